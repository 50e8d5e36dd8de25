// invoices.csv: what each model provider invoiced for a month, to tie to the traces.
import CostperMoney
import CostperIngest
import CostperVocabulary


package struct InvoiceLine: Sendable, Equatable, Codable {
    package var file: String
    package var line: Int
    package var provider: String
    package var month: Month
    /// In nano-units of `currency`.
    package var amount: Money
    package var currency: String
    package var model: String
    package var lineItem: String
}

package struct InvoiceList: Sendable, Codable {
    package var file: String
    package var lines: [InvoiceLine] = []
    package var rowsRead = 0
    package var rejects: [Reject] = []
    package var unknownColumns: [String] = []

    package static let columns = ["provider", "month", "amount", "currency", "model", "line_item"]

    package static func read(_ input: InputBuffer) throws(CostperError) -> InvoiceList {
        var list = InvoiceList(file: input.name)
        var rejects: [Reject] = []
        var lines: [InvoiceLine] = []
        let (header, n) = try readCSVTable(input, required: ["provider", "month", "amount", "currency"], known: columns, rejects: &rejects) { line, header, fields, rejects in
            func text(_ n: String) -> String {
                guard let p = header.position(n), p < fields.count else { return "" }
                return (utf8String(fields[p]) ?? "").trimmingSpaces
            }
            func reject(_ c: String, _ r: String) { rejects.append(Reject(file: input.name, line: line, column: c, reason: r)) }
            let provider = text("provider")
            if provider.isEmpty { return reject("provider", "is empty") }
            if provider.utf8.count > InputLimits.maxTextBytes { return reject("provider", "is longer than \(InputLimits.maxTextBytes) bytes") }
            let monthText = text("month")
            guard let month = Month(monthText) else { return reject("month", "\(Scalars.quoteForMessage(monthText)) is not a month (YYYY-MM)") }
            let amountText = text("amount")
            let amount: Money
            switch FocusBill.signedDecimal(amountText) {
            case .success(let v): amount = Money(nanos: v)
            case .failure(let e): return reject("amount", e.reason(for: amountText))
            }
            let currency = text("currency").uppercased()
            guard Currency.isCode(currency) else { return reject("currency", "\(Scalars.quoteForMessage(text("currency"))) is not an ISO 4217 currency code") }
            let model = text("model"), item = text("line_item")
            if model.utf8.count > InputLimits.maxTextBytes { return reject("model", "is longer than \(InputLimits.maxTextBytes) bytes") }
            if item.utf8.count > InputLimits.maxTextBytes { return reject("line_item", "is longer than \(InputLimits.maxTextBytes) bytes") }
            lines.append(InvoiceLine(file: input.name, line: line, provider: provider, month: month, amount: amount, currency: currency,
                                     model: model, lineItem: item))
        }
        list.lines = lines
        list.rowsRead = n
        list.rejects = rejects
        list.unknownColumns = header.unknown
        return list
    }
}
