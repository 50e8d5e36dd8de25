// The variance bridge: from an earlier month's cost per resolved ticket to this month's, in seven
// steps of exact money that add up to the change to the nano-dollar. Values in, values out.
import CostperMoney
import CostperIngest
import CostperVocabulary


/// What the bridge needs of one month: counts and exact costs, variable and fixed apart. A month
/// keeps these in its summary.json, so a later month can be compared with it without its inputs.
package struct MonthFigures: Sendable, Equatable, Codable {
    package var month: Month
    /// Tickets handled in the month (every outcome).
    package var tickets: Int
    package var resolvedTickets: Int
    /// All-in cost by category (requests, human review and the fixed bills of that category).
    package var costByCategory: [CostCategory: Money]
    /// The fixed bills by category (fixed_costs.csv).
    package var fixedByCategory: [CostCategory: Money]

    package init(month: Month, tickets: Int, resolvedTickets: Int, costByCategory: [CostCategory: Money], fixedByCategory: [CostCategory: Money]) {
        self.month = month; self.tickets = tickets; self.resolvedTickets = resolvedTickets
        self.costByCategory = costByCategory; self.fixedByCategory = fixedByCategory
    }

    /// A month's figures from its accounts.
    package init(_ a: MonthAccounts) {
        var fixed: [CostCategory: Money] = [:]
        for f in a.fixedCosts where f.isFixed { fixed[f.category, default: .zero].nanos &+= f.amount.nanos }
        self.init(month: a.month, tickets: a.tickets, resolvedTickets: a.resolvedTickets, costByCategory: a.costByCategory, fixedByCategory: fixed)
    }

    package var total: Int128 { CostCategory.allCases.reduce(0) { $0 + Int128((costByCategory[$1] ?? .zero).nanos) } }
    package var fixedTotal: Int128 { CostCategory.allCases.reduce(0) { $0 + Int128((fixedByCategory[$1] ?? .zero).nanos) } }
    /// The variable cost (requests and human review) of the categories of one bridge step, in nano-dollars.
    package func variable(_ categories: [CostCategory]) -> Int128 {
        categories.reduce(0) { $0 + Int128((costByCategory[$1] ?? .zero).nanos) - Int128((fixedByCategory[$1] ?? .zero).nanos) }
    }
    package var variableTotal: Int128 { total - fixedTotal }
    /// Cost per resolved ticket, exact; nil with no resolved ticket.
    package var costPerResolved: Quotient? {
        resolvedTickets > 0 ? Quotient(numerator: total, denominator: Int128(resolvedTickets) * Int128(Money.scale)).reduced : nil
    }
    /// Variable cost of some categories per ticket handled, in dollars.
    package func variablePerTicket(_ categories: [CostCategory]) -> Quotient? {
        tickets > 0 ? Quotient(numerator: variable(categories), denominator: Int128(tickets) * Int128(Money.scale)).reduced : nil
    }
    /// The share of handled tickets that were resolved.
    package var resolvedShare: Quotient? { tickets > 0 ? Quotient(numerator: Int128(resolvedTickets), denominator: Int128(tickets)).reduced : nil }
}

/// One step of the bridge.
package enum BridgeStep: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case volume, mix, human_review, model, retries, fixed_absorption, other

    package var title: String {
        switch self {
        case .volume: return "Volume"
        case .mix: return "Outcome mix"
        case .human_review: return "Human review"
        case .model: return "Model tokens and prices"
        case .retries: return "Retries"
        case .fixed_absorption: return "Fixed-cost absorption"
        case .other: return "Other"
        }
    }

    /// The cost categories whose variable cost the step follows (none for the volume and fixed steps).
    package var categories: [CostCategory] {
        switch self {
        case .human_review: return [.human_review]
        case .model: return [.model]
        case .retries: return [.retries]
        case .other: return [.embeddings, .vector_db, .observability, .integrations, .infrastructure]
        case .volume, .mix, .fixed_absorption: return []
        }
    }
}

/// From the earlier month's cost per resolved ticket to this month's (see docs/report.md):
///
/// With N tickets handled, R resolved, F the fixed bills and V the variable cost (V_c of a step's
/// categories), cost per resolved ticket = V/R + F/R = (V/N)·(N/R) + F/R. From month 0 to month 1:
/// - each cost step (human review, model, retries, other) = (V_c1/N1 − V_c0/N0) · N1/R1: its cost
///   per ticket handled moved, at this month's tickets handled per resolved ticket;
/// - volume = F0/R1 − F0/R0: last month's fixed bills spread over this month's resolved tickets
///   instead of last month's (more resolved tickets, less fixed cost on each);
/// - mix = (V0/N0)·(N1/R1 − N0/R0): last month's variable cost per ticket handled at this month's
///   tickets handled per resolved ticket (the outcome mix: the share of tickets that resolve);
/// - fixed-cost absorption = (F1 − F0)/R1: the change in the fixed bills over this month's resolved tickets.
/// The steps add up to the change exactly. Each is rounded half to even to the nano-dollar once;
/// "other" is the exact residual, so the Money steps add up to `change` (the two cost per resolved
/// tickets, each rounded to the nano-dollar) to the nano-dollar.
package struct VarianceBridge: Sendable, Equatable, Codable {
    package var from: MonthFigures
    package var to: MonthFigures
    /// Cost per resolved ticket of each month, rounded half to even to the nano-dollar.
    package var start: Money
    package var end: Money
    /// The steps, in `BridgeStep.allCases` order.
    package var steps: [BridgeMovement]
    /// Each step as an exact fraction (dollars), before rounding; "other" here is its own formula.
    package var exact: [BridgeStep: Quotient]

    package var change: Money { Money(nanos: end.nanos &- start.nanos) }
    package func amount(_ s: BridgeStep) -> Money { steps.first { $0.step == s }?.amount ?? .zero }

    package static func == (a: VarianceBridge, b: VarianceBridge) -> Bool {
        a.from == b.from && a.to == b.to && a.start == b.start && a.end == b.end
            && a.steps.map(\.step) == b.steps.map(\.step) && a.steps.map(\.amount) == b.steps.map(\.amount)
    }

    /// The bridge from `from` to `to`; nil when either month has no resolved ticket, or when the
    /// figures are too large for exact 128-bit arithmetic (never in practice: about 10^19 tickets).
    package static func make(from m0: MonthFigures, to m1: MonthFigures) -> VarianceBridge? {
        guard m0.resolvedTickets > 0, m1.resolvedTickets > 0, m0.tickets > 0, m1.tickets > 0 else { return nil }
        let n0 = Int128(m0.tickets), n1 = Int128(m1.tickets), r0 = Int128(m0.resolvedTickets), r1 = Int128(m1.resolvedTickets)
        let scale = Int128(Money.scale)
        func mul(_ a: Int128, _ b: Int128) -> Int128? { let (p, o) = a.multipliedReportingOverflow(by: b); return o ? nil : p }
        func sub(_ a: Int128, _ b: Int128) -> Int128? { let (p, o) = a.subtractingReportingOverflow(b); return o ? nil : p }
        // A fraction of nano-dollars, as (numerator, denominator).
        var fractions: [BridgeStep: (Int128, Int128)] = [:]
        for s in [BridgeStep.human_review, .model, .retries, .other] {
            // (V_c1/N1 − V_c0/N0)·N1/R1 = (V_c1·N0 − V_c0·N1) / (N0·R1)
            guard let a = mul(m1.variable(s.categories), n0), let b = mul(m0.variable(s.categories), n1),
                  let num = sub(a, b), let den = mul(n0, r1) else { return nil }
            fractions[s] = (num, den)
        }
        // mix: V0·(N1·R0 − N0·R1) / (N0·R1·R0)
        guard let n1r0 = mul(n1, r0), let n0r1 = mul(n0, r1), let shift = sub(n1r0, n0r1), let mixNum = mul(m0.variableTotal, shift),
              let mixDen = mul(n0r1, r0) else { return nil }
        fractions[.mix] = (mixNum, mixDen)
        // volume: F0·(R0 − R1) / (R1·R0)
        guard let volNum = mul(m0.fixedTotal, r0 - r1), let volDen = mul(r1, r0) else { return nil }
        fractions[.volume] = (volNum, volDen)
        guard let dF = sub(m1.fixedTotal, m0.fixedTotal) else { return nil }
        fractions[.fixed_absorption] = (dF, r1)

        func round(_ f: (Int128, Int128)) -> Int64? { Int64(exactly: Fixed.divideHalfEven(f.0, f.1)) }
        guard let start = round((m0.total, r0)), let end = round((m1.total, r1)) else { return nil }
        var steps: [BridgeMovement] = []
        var exact: [BridgeStep: Quotient] = [:]
        var sum: Int64 = 0
        for s in BridgeStep.allCases {
            let f = fractions[s]!
            exact[s] = Quotient(numerator: f.0, denominator: f.1 * scale).reduced
            guard s != .other else { continue }
            guard let nanos = round(f) else { return nil }
            let (t, o) = sum.addingReportingOverflow(nanos)
            if o { return nil }
            sum = t
            steps.append(BridgeMovement(step: s, amount: Money(nanos: nanos)))
        }
        let (change, o1) = end.subtractingReportingOverflow(start)
        let (other, o2) = change.subtractingReportingOverflow(sum)
        if o1 || o2 { return nil }
        steps.insert(BridgeMovement(step: .other, amount: Money(nanos: other)), at: BridgeStep.allCases.firstIndex(of: .other)!)
        return VarianceBridge(from: m0, to: m1, start: Money(nanos: start), end: Money(nanos: end), steps: steps, exact: exact)
    }

    /// The bridge as printed: the start, each step and the end at `decimals` decimals (cents, or
    /// the three significant figures of the smaller month when it is under $0.10, as `Show.usd`
    /// prints it), in units of 10^-decimals, each rounded once, half to even. `rounding` is what
    /// the printed steps miss of the printed change (end − start − the steps), shown as its own
    /// Rounding step when it is not zero; no step is moved to absorb it.
    package func displayed() -> (decimals: Int, start: Int128, steps: [Int128], rounding: Int128, end: Int128) {
        let smaller = min(start.nanos.magnitude, end.nanos.magnitude)
        let decimals = min(9, max(2, Show.precision(of: Quotient(numerator: Int128(smaller), denominator: Int128(Money.scale)))))
        var unit: Int128 = 1
        for _ in 0..<(9 - decimals) { unit *= 10 }
        let s = Fixed.divideHalfEven(Int128(start.nanos), unit), e = Fixed.divideHalfEven(Int128(end.nanos), unit)
        let rows = steps.map { Fixed.divideHalfEven(Int128($0.amount.nanos), unit) }
        return (decimals, s, rows, e - s - rows.reduce(0, +), e)
    }
}
