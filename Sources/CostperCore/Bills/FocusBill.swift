// FOCUS billing exports (FinOps Foundation, "FOCUS: FinOps Open Cost and Usage Specification",
// version 1.0, https://focus.finops.org/focus-specification/v1-0/): one row per charge, costs as
// decimals in BillingCurrency, charge periods in ISO 8601 (end exclusive), Tags a JSON object.
import CostperMoney
import CostperIngest
import CostperVocabulary
import Foundation

/// One accepted FOCUS row, as costper uses it.
package struct FocusRow: Sendable, Equatable {
    /// A usage or purchase charge, a credit or refund (ChargeCategory Credit, Adjustment), or a
    /// correction of an earlier period (ChargeClass Correction): credits and corrections are netted.
    package enum Kind: String, Sendable, Codable, CodingKeyRepresentable { case charge, credit, correction }
    package var file: String
    package var line: Int
    package var month: Month
    package var serviceName = ""
    package var serviceCategory = ""
    package var resourceId = ""
    package var subAccountName = ""
    package var subAccountId = ""
    package var providerName = ""
    package var tags: [String: String] = [:]
    package var kind = Kind.charge
    package var currency = "USD"
    /// The basis column's amount (EffectiveCost or BilledCost), in nano-units of `currency`.
    package var amount = Money.zero
    /// What two exports of the same bill share (FocusOverlap): BillingAccountId, the charge period
    /// (seconds since 1970; the end Int64.min when empty), SkuPriceId, ChargeCategory (lowercased)
    /// and both costs.
    package var billingAccountId = ""
    package var periodStart: Int64 = 0
    package var periodEnd = Int64.min
    package var skuPriceId = ""
    package var chargeCategory = ""
    package var billedCost = Money.zero
    package var effectiveCost = Money.zero
    /// CommitmentDiscountId: a commitment's purchase and the usage it covers share it.
    package var commitmentDiscountId = ""
}

/// A FOCUS file read: its accepted rows and its rejects.
package struct FocusBill: Sendable {
    package var file: String
    package var rows: [FocusRow] = []
    package var rowsRead = 0
    package var rejects: [Reject] = []

    /// The columns of FOCUS 1.0 (all present in a conforming file, many nullable), lowercased as
    /// costper reads headers; those of 1.1 and 1.2 that costper meets are known too.
    package static let columns = [
        "availabilityzone", "billedcost", "billingaccountid", "billingaccountname", "billingcurrency", "billingperiodend",
        "billingperiodstart", "chargecategory", "chargeclass", "chargedescription", "chargefrequency", "chargeperiodend",
        "chargeperiodstart", "commitmentdiscountcategory", "commitmentdiscountid", "commitmentdiscountname",
        "commitmentdiscountstatus", "commitmentdiscounttype", "consumedquantity", "consumedunit", "contractedcost",
        "contractedunitprice", "effectivecost", "invoiceissuername", "listcost", "listunitprice", "pricingcategory",
        "pricingquantity", "pricingunit", "providername", "publishername", "regionid", "regionname", "resourceid",
        "resourcename", "resourcetype", "servicecategory", "servicename", "skuid", "skupriceid", "subaccountid",
        "subaccountname", "tags",
        // The names focus-validator 2.2.1 checks for 1.0 (from the 1.0 preview).
        "provider", "publisher", "invoiceissuer",
        // FOCUS 1.1 / 1.2 additions.
        "billingaccounttype", "subaccounttype", "capacityreservationid", "capacityreservationstatus", "commitmentdiscountquantity",
        "commitmentdiscountunit", "servicesubcategory", "skumeter", "skupricedetails", "invoiceid", "pricingcurrency",
        "pricingcurrencycontractedunitprice", "pricingcurrencyeffectivecost", "pricingcurrencylistunitprice",
    ]
    package static let required = ["billedcost", "effectivecost", "billingcurrency", "chargeperiodstart", "chargecategory", "servicename"]

    /// True when a header (lowercased) is a FOCUS export's.
    package static func matches(_ columns: [String]) -> Bool {
        Set(columns).isSuperset(of: ["billedcost", "effectivecost", "billingcurrency", "chargeperiodstart"])
    }

    /// The FOCUS name of a column, for messages (`EffectiveCost`).
    static func focusName(_ lower: String) -> String {
        let names = ["billedcost": "BilledCost", "effectivecost": "EffectiveCost", "billingcurrency": "BillingCurrency",
                     "chargeperiodstart": "ChargePeriodStart", "chargeperiodend": "ChargePeriodEnd", "chargecategory": "ChargeCategory",
                     "chargeclass": "ChargeClass", "servicename": "ServiceName", "tags": "Tags"]
        return names[lower] ?? lower
    }

    package static func read(_ input: InputBuffer, basis: FocusBasis) throws(CostperError) -> FocusBill {
        var bill = FocusBill(file: input.name)
        var rejects: [Reject] = []
        var rows: [FocusRow] = []
        let (_, n) = try readCSVTable(input, required: required, known: columns, rejects: &rejects) { line, header, fields, rejects in
            func text(_ n: String) -> String {
                guard let p = header.position(n), p < fields.count else { return "" }
                return (utf8String(fields[p]) ?? "").trimmingSpaces
            }
            func reject(_ c: String, _ r: String) { rejects.append(Reject(file: input.name, line: line, column: focusName(c), reason: r)) }
            var row = FocusRow(file: input.name, line: line, month: Month(epochSeconds: 0))
            // Both costs must be numbers (each is required and non-null in FOCUS).
            var amounts: [String: Money] = [:]
            for c in ["billedcost", "effectivecost"] {
                let t = text(c)
                switch FocusBill.signedDecimal(t) {
                case .success(let v): amounts[c] = Money(nanos: v)
                case .failure(let e): return reject(c, e.reason(for: t))
                }
            }
            row.amount = amounts[basis == .effective ? "effectivecost" : "billedcost"]!
            row.billedCost = amounts["billedcost"]!
            row.effectiveCost = amounts["effectivecost"]!
            row.currency = text("billingcurrency")
            guard Currency.isCode(row.currency) else {
                return reject("billingcurrency", "\(Scalars.quoteForMessage(row.currency)) is not an ISO 4217 currency code")
            }
            let startText = text("chargeperiodstart")
            let start: Int64
            switch Scalars.parseTimestamp(startText) {
            case .success(let s): start = s
            case .failure(let e): return reject("chargeperiodstart", e.reason(for: startText) + ": the charge period is outside any month")
            }
            let endText = text("chargeperiodend")
            if !endText.isEmpty {
                switch Scalars.parseTimestamp(endText) {
                case .success(let e):
                    row.periodEnd = e
                    if e < start { return reject("chargeperiodend", "\(Scalars.quoteForMessage(endText)) is before ChargePeriodStart: the charge period is outside any month") }
                case .failure(let e): return reject("chargeperiodend", e.reason(for: endText))
                }
            }
            row.month = Month(epochSeconds: start)
            row.periodStart = start
            let category = text("chargecategory").lowercased()
            row.chargeCategory = category
            guard ["usage", "purchase", "tax", "credit", "adjustment"].contains(category) else {
                return reject("chargecategory", "\(Scalars.quoteForMessage(text("chargecategory"))) is not a FOCUS charge category (Usage, Purchase, Tax, Credit, Adjustment)")
            }
            let chargeClass = text("chargeclass").lowercased()
            row.kind = chargeClass == "correction" ? .correction : (category == "credit" || category == "adjustment") ? .credit : .charge
            row.serviceName = text("servicename")
            row.serviceCategory = text("servicecategory")
            row.resourceId = text("resourceid")
            row.subAccountName = text("subaccountname")
            row.subAccountId = text("subaccountid")
            row.billingAccountId = text("billingaccountid")
            row.skuPriceId = text("skupriceid")
            row.commitmentDiscountId = text("commitmentdiscountid")
            row.providerName = text("providername").isEmpty ? text("provider") : text("providername")
            if row.serviceName.utf8.count > InputLimits.maxTextBytes { return reject("servicename", "is longer than \(InputLimits.maxTextBytes) bytes") }
            let tags = text("tags")
            if !tags.isEmpty {
                guard let t = FocusBill.parseTags(tags) else { return reject("tags", "is not a JSON object of tags") }
                row.tags = t
            }
            rows.append(row)
        }
        bill.rows = rows
        bill.rowsRead = n
        bill.rejects = rejects
        return bill
    }

    /// A decimal amount that may be negative (a credit), exactly to the nano-unit.
    static func signedDecimal(_ text: String) -> Result<Int64, ScalarError> {
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        if negative && (digits.hasPrefix("-") || digits.hasPrefix("+")) { return .failure(.notANumber) }
        switch Scalars.parseDecimal(digits) {
        case .success(let r): return .success(negative ? -r.value : r.value)
        case .failure(let e): return .failure(e)
        }
    }

    /// FOCUS Tags: a JSON object; values other than text are read as their JSON text.
    static func parseTags(_ text: String) -> [String: String]? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        var out: [String: String] = [:]
        for (k, v) in obj {
            switch v {
            case let s as String: out[k] = s
            case is NSNull: out[k] = ""
            case let n as NSNumber: out[k] = n.stringValue
            default: out[k] = ""
            }
        }
        return out
    }
}
