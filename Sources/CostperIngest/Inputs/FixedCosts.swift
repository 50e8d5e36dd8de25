// fixed_costs.csv (monthly bills) and models.csv (the price catalog).
import CostperMoney
import CostperVocabulary


package struct FixedCost: Equatable, Sendable, Codable {
    package var month: Month
    package var category: CostCategory
    package var name: String
    package var amount: Money
    /// A line that is variable cost, not a fixed bill: an invoice gap (invoiced − traced), which
    /// follows the model calls. Allocated to tickets by their request cost, and never counted in
    /// the month's fixed cost (the scale F, the run rate, the bridge). nil = a fixed bill.
    package var variable: Bool?
    package init(month: Month, category: CostCategory, name: String, amount: Money, variable: Bool? = nil) {
        self.month = month; self.category = category; self.name = name; self.amount = amount; self.variable = variable
    }
    package var isFixed: Bool { variable != true }
}

package struct FixedCostList: Sendable, Codable {
    package var items: [FixedCost] = []
    package var rowsRead = 0
    package var rejects: [Reject] = []
    package var unknownColumns: [String] = []

    package static let columns = ["month", "category", "name", "amount_usd"]

    package static func read(_ input: InputBuffer) throws(CostperError) -> FixedCostList {
        var list = FixedCostList()
        var rejects: [Reject] = []
        let (header, rows, _) = try readAnyTable(input, columns: columns, required: columns, rejects: &rejects) { line, header, fields, rejects in
            func col(_ n: String) -> Bytes { fields[header.position(n)!] }
            func reject(_ c: String, _ r: String) { rejects.append(Reject(file: input.name, line: line, column: c, reason: r)) }
            let monthText = String(decoding: col("month"), as: UTF8.self)
            guard let month = Month(monthText) else { return reject("month", "\(Scalars.quoteForMessage(monthText)) is not a month (YYYY-MM)") }
            let catText = String(decoding: col("category"), as: UTF8.self)
            guard let category = CostCategory(rawValue: catText) else {
                return reject("category", "\(Scalars.quoteForMessage(catText)) is not a category (\(CostCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let name = utf8String(col("name")) else { return reject("name", "is not valid UTF-8") }
            if col("name").count > InputLimits.maxTextBytes { return reject("name", "is longer than \(InputLimits.maxTextBytes) bytes") }
            let amountField = col("amount_usd")
            switch Scalars.parseDecimal(amountField) {
            case .success(let r): list.items.append(FixedCost(month: month, category: category, name: name, amount: Money(nanos: r.value)))
            case .failure(let e): reject("amount_usd", e.reason(for: String(decoding: amountField, as: UTF8.self)))
            }
        }
        list.rowsRead = rows
        list.rejects = rejects
        list.unknownColumns = header.unknown
        return list
    }
    package init(items: [FixedCost] = [], rejects: [Reject] = [], unknownColumns: [String] = []) { self.items = items; self.rejects = rejects; self.unknownColumns = unknownColumns }
}
