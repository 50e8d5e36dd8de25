// The next quarter from our own costs: each of the next three months at the plan's volume (or, with
// no plan for it, this month's resolved tickets) and at ±20%, costed with this month's variable
// cost per resolved ticket and its fixed cost; the autonomous resolution rate the go-live plan
// expects by then against this month's; the annualised run rate. Exact; rounded once, for display.
import CostperMoney
import CostperVocabulary
import CostperCore

package struct ForwardMonth: Sendable, Equatable, Codable {
    package var month: Month
    /// Resolved tickets the month is costed at, and where that volume came from.
    package var volume: Int64
    package var fromPlan: Bool
    /// Monthly cost at 80%, 100% and 120% of the volume.
    package var low: Quotient
    package var base: Quotient
    package var high: Quotient
    package var perResolved: Quotient
    /// The go-live plan's autonomous resolution target by the month's last day, when there is a plan.
    package var target: StageAhead?
}

package struct ForwardView: Sendable, Equatable, Codable {
    package var months: [ForwardMonth]
    package var quarterLow: Quotient
    package var quarter: Quotient
    package var quarterHigh: Quotient
    /// This month's all-in cost × 12.
    package var annualRunRate: Quotient
    package var rate: Quotient?

    /// The share the volume moves by, each way.
    package static let swing = Quotient(numerator: 20, denominator: 100)

    /// Nil with no resolved ticket (no variable cost per resolved ticket to carry forward).
    package static func of(_ r: MonthReport) -> ForwardView? {
        let a = r.accounts
        guard a.resolvedTickets > 0 else { return nil }
        let plans = r.lines.filter { $0.kind == .plan && $0.serviceType.isEmpty && $0.domain == .support }
        var months: [ForwardMonth] = []
        for k in 1...3 {
            let m = Month(key: a.month.key + k)
            let planned = plans.first { $0.months.contains(m) }?.volume
            let v = planned ?? Int64(a.resolvedTickets)
            func cost(_ share: Quotient) -> Quotient? {
                // Volume × share, exact (not rounded to whole tickets): cost = variable × V + fixed.
                let vq = Quotient(numerator: Int128(v), denominator: 1).times(share)
                let fixed = a.fixedThisMonth.dollars
                let variable = a.total.dollars.minus(fixed).divided(by: Quotient(a.resolvedTickets))
                return variable.map { $0.times(vq).plus(fixed) }
            }
            guard v > 0, let base = cost(Quotient(1)), let low = cost(Quotient(1).minus(swing)), let high = cost(Quotient(1).plus(swing)),
                  let per = base.divided(by: Quotient(numerator: Int128(v), denominator: 1)) else { continue }
            months.append(ForwardMonth(month: m, volume: v, fromPlan: planned != nil, low: low, base: base, high: high, perResolved: per,
                                       target: r.resolution.ahead?.first { $0.month == m }))
        }
        guard !months.isEmpty else { return nil }
        func sum(_ f: (ForwardMonth) -> Quotient) -> Quotient { months.reduce(Quotient(0)) { $0.plus(f($1)) } }
        return ForwardView(months: months, quarterLow: sum(\.low), quarter: sum(\.base), quarterHigh: sum(\.high),
                           annualRunRate: a.total.dollars.times(Quotient(12)), rate: r.resolution.autonomous)
    }

    func targetText(_ t: StageAhead?) -> String {
        guard let t else { return "no go-live plan" }
        let range = t.stage.high.map { "\(Show.percent(t.stage.low, decimals: 0))–\(Show.percent($0, decimals: 0))" } ?? Show.percent(t.stage.low, decimals: 0)
        return "\(range) (day \(t.daysLive))"
    }
}

extension SiteBuilder {
    /// forward.csv (and the Forward sheet).
    static func forwardTable(_ f: ForwardView?) -> CSVDocument {
        var d = CSVDocument(header: ["month", "resolved_tickets", "volume_from", "cost_at_80_percent_usd", "cost_usd", "cost_at_120_percent_usd",
                                     "cost_per_resolved_usd", "plan_autonomous_low", "plan_autonomous_high", "days_live"])
        for m in f?.months ?? [] {
            d.append([.text(m.month.description), .number(String(m.volume), .count), .text(m.fromPlan ? "plan" : "this month"),
                      .money(m.low), .money(m.base), .money(m.high), .money(m.perResolved),
                      m.target.map { .share($0.stage.low) } ?? .empty, m.target.flatMap { $0.stage.high }.map { .share($0) } ?? .empty,
                      m.target.map { .number(String($0.daysLive), .count) } ?? .empty])
        }
        return d
    }

    /// The forward view's template values.
    static func forwardContext(_ r: MonthReport, into c: inout [String: Any]) {
        let show = r.accounts.show
        let f = ForwardView.of(r)
        c["has_forward"] = f != nil
        guard let f else { return }
        c["forward"] = f.months.map { m -> [String: Any] in
            ["month": m.month.title, "volume": Show.count(m.volume) + (m.fromPlan ? " (plan)" : " (as this month)"),
             "low": show.amount(m.low), "base": show.amount(m.base), "high": show.amount(m.high), "per_resolved": show.unit(m.perResolved),
             "target": f.targetText(m.target)]
        }
        c["forward_quarter"] = show.amount(f.quarter)
        c["forward_quarter_range"] = show.amount(f.quarterLow) + "–" + show.amount(f.quarterHigh)
        c["forward_annual"] = show.amount(f.annualRunRate, decimals: 0)
        c["forward_rate"] = Show.percent(f.rate)
    }
}
