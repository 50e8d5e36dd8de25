// Where each category's cost of the month comes from (the traces, a FOCUS bill, fixed_costs.csv,
// the labour rate, an invoice gap) and what share of the month is tied to an invoice or a payroll:
// the coverage table a CFO reads before signing an all-in figure.
import CostperMoney
import CostperIngest
import CostperVocabulary

/// Where a part of the month's cost comes from.
package enum CoverageSource: String, Sendable, Codable, CaseIterable {
    /// The requests' own cost (requests.csv or an export): model calls, retries, embeddings, and
    /// any per-request vector database or integration cost.
    case traces
    /// A cloud bill's line in a FOCUS export.
    case focus
    /// A row of fixed_costs.csv, typed in by hand.
    case fixed_costs
    /// Review minutes × the loaded labour rate.
    case labour_rate
    /// Invoiced − traced for a model provider (variable model cost).
    case invoice_gap

    package var label: String {
        switch self {
        case .traces: return "the traces (each request's cost)"
        case .focus: return "a FOCUS bill"
        case .fixed_costs: return "fixed_costs.csv"
        case .labour_rate: return "review minutes × the labour rate"
        case .invoice_gap: return "provider invoice − traces"
        }
    }
}

/// One row of the coverage table: a category's cost from one source, and how much of it is tied
/// to an invoice or payroll.
package struct CoverageRow: Sendable, Equatable, Codable {
    package var category: CostCategory
    package var source: CoverageSource
    /// What the row holds ("Pinecone standard plan"; "3 models' requests").
    package var detail: String
    package var cost: Money
    /// The part of `cost` an invoice or the payroll backs.
    package var tied: Money
    /// What it is tied to ("the Anthropic and OpenAI invoices", "focus_aws.csv", "payroll", "not tied").
    package var tiedTo: String
}

package struct Coverage: Sendable, Equatable, Codable {
    package var rows: [CoverageRow] = []
    package var total = Money.zero
    package var tied = Money.zero
    /// `[reconcile] payroll_usd`, when given.
    package var payroll: Money?
    /// Tied ÷ total; nil for a month without cost.
    package var tiedShare: Quotient? { total.nanos > 0 ? Quotient(numerator: Int128(tied.nanos), denominator: Int128(total.nanos)) : nil }

    /// The month's coverage from its closed accounts. Requests' cost per category is the
    /// category's cost less its fixed lines; the model categories' requests are tied for the
    /// providers whose invoice is tied to the traces (their traced cost), the rest not.
    package static func make(_ a: MonthAccounts) -> Coverage {
        var c = Coverage()
        c.payroll = a.config.bills.reconcile.payroll
        let bills = a.bills
        let focusNames = Set((bills?.lines ?? []).map { $0.category.rawValue + "\u{0}" + $0.name })
        let focusFiles = (bills?.focusFiles ?? []).joined(separator: ", ")
        var lineCost: [CostCategory: Int64] = [:]
        var rows: [CoverageRow] = []
        for f in a.fixedCosts where f.month == a.month {
            lineCost[f.category, default: 0] &+= f.amount.nanos
            let source: CoverageSource = !f.isFixed ? .invoice_gap : focusNames.contains(f.category.rawValue + "\u{0}" + f.name) ? .focus : .fixed_costs
            let tied = source == .fixed_costs ? Money.zero : f.amount
            let to = source == .focus ? (focusFiles.isEmpty ? "the FOCUS bill" : focusFiles) : source == .invoice_gap ? "the provider's invoice" : "not tied"
            rows.append(CoverageRow(category: f.category, source: source, detail: f.name, cost: f.amount, tied: tied, tiedTo: to))
        }
        // The requests' own cost of each category, and the part the provider invoices back.
        let ties = bills?.reconciliation?.ties ?? []
        let tiedTraced = ties.reduce(Int64(0)) { $0 &+ $1.traced.nanos }
        let modelCategories: [CostCategory] = [.model, .retries, .embeddings]
        var modelTraced: Int64 = 0
        for cat in modelCategories { modelTraced &+= (a.costByCategory[cat] ?? .zero).nanos &- (lineCost[cat] ?? 0) }
        let invoiceNames = ties.map(\.provider).joined(separator: ", ")
        var traceRows: [CoverageRow] = []
        for cat in CostCategory.allCases where cat != .human_review {
            let requests = (a.costByCategory[cat] ?? .zero).nanos &- (lineCost[cat] ?? 0)
            guard requests != 0 else { continue }
            var tied: Int64 = 0
            if modelCategories.contains(cat) && modelTraced > 0 && tiedTraced > 0 {
                // The tied providers' traced cost, shared across the model categories by their cost.
                tied = Int64(Fixed.mulDivHalfEven(Int128(min(tiedTraced, modelTraced)), Int128(requests), Int128(modelTraced)) ?? 0)
            }
            traceRows.append(CoverageRow(category: cat, source: .traces, detail: "the month's requests", cost: Money(nanos: requests), tied: Money(nanos: tied),
                                         tiedTo: tied != 0 ? "the provider invoices (\(invoiceNames))" : "not tied (no invoice for it)"))
        }
        // Human review, costed at the labour rate; tied to the payroll up to the payroll.
        var reviewRows: [CoverageRow] = []
        if a.humanReviewMeasured, let review = a.costByCategory[.human_review], review.nanos != 0 {
            let tied = c.payroll.map { Money(nanos: min($0.nanos, review.nanos)) } ?? .zero
            reviewRows.append(CoverageRow(category: .human_review, source: .labour_rate, detail: "review minutes of the month", cost: review, tied: tied,
                                          tiedTo: c.payroll == nil ? "not tied (no [reconcile] payroll_usd)" : "the payroll"))
        }
        let order = Dictionary(uniqueKeysWithValues: CostCategory.allCases.enumerated().map { ($0.element, $0.offset) })
        let sourceOrder = Dictionary(uniqueKeysWithValues: CoverageSource.allCases.enumerated().map { ($0.element, $0.offset) })
        c.rows = (traceRows + rows + reviewRows).enumerated().sorted {
            (order[$0.element.category]!, sourceOrder[$0.element.source]!, $0.offset) < (order[$1.element.category]!, sourceOrder[$1.element.source]!, $1.offset)
        }.map(\.element)
        c.total = Money(nanos: c.rows.reduce(0) { $0 &+ $1.cost.nanos })
        c.tied = Money(nanos: c.rows.reduce(0) { $0 &+ $1.tied.nanos })
        return c
    }
}
