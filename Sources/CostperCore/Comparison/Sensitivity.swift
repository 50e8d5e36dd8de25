// Sensitivity (issue 26 item 2): the headline, the saving and the flags under the key assumptions,
// each at its low, base and high value, with where the range comes from. Every figure is
// recomputed from the month's own accounts, never interpolated.
import CostperMoney
import CostperIngest
import CostperVocabulary

/// One assumption at three values, and what the month's figures become at each.
package struct SensitivityRow: Sendable, Equatable, Codable {
    package enum Key: String, Sendable, Codable, CaseIterable {
        case human_baseline, deflected_counted, labour_rate, focus_mode, flag_basis, flag_ratio, range_end
    }
    package var key: Key
    /// "Human baseline per human-handled ticket".
    package var assumption: String
    /// The assumption's values, low / base / high, as printed.
    package var values: [String]
    /// Where the range comes from.
    package var source: String
    /// Cost per resolved ticket, saving a month and lines flagged at low, base, high (nil: not
    /// moved by this assumption, so the base figure holds).
    package var headline: [Quotient?]
    package var saving: [Quotient?]
    package var flags: [Int?]

    /// The widest swing of the saving (or, without one, of the headline) across the three values:
    /// the tornado's order.
    package var swing: Quotient {
        func spread(_ xs: [Quotient?]) -> Quotient {
            let v = xs.compactMap { $0 }
            guard let lo = v.min(), let hi = v.max() else { return Quotient(0) }
            return hi.minus(lo)
        }
        let s = spread(saving)
        return s > Quotient(0) ? s : spread(headline)
    }
}

package enum Sensitivity {
    /// The rows for a month, its comparables and its plan. Empty without a resolved ticket.
    package static func of(_ a: MonthAccounts, data: BenchmarkData, forecast: [ForecastPlan], base: ComparablesReview) -> [SensitivityRow] {
        let show = a.show
        guard a.resolvedTickets > 0, let headline = a.costPerResolved else { return [] }
        let e = base.economics
        let resolved = Quotient(numerator: Int128(a.resolvedTickets), denominator: 1)
        let total = a.total.dollars
        let baseFlags = flagged(base)
        let baseSaving = e?.savings?.perMonth
        var rows: [SensitivityRow] = []

        // The human baseline: the published low and high of one ticket handled by a person.
        if let s = e?.savings {
            rows.append(SensitivityRow(key: .human_baseline, assumption: "Human baseline per ticket",
                                       values: [show.unit(s.low), show.unit(s.baseline), show.unit(s.high)],
                                       source: "the lowest and highest published human cost of a ticket (Comparables), around " + (e!.baseline.isUsers ? "the figure you set" : "our own labour rate × handle time"),
                                       headline: [nil, nil, nil], saving: [s.perMonthLow, s.perMonth, s.perMonthHigh], flags: [nil, nil, nil]))
        }

        // Deflected tickets counted as resolved (and billed), against resolved strictly.
        let deflected = a.outcomes[.deflected] ?? 0
        if deflected > 0, let broad = a.total.quotient(per: a.resolvedTickets + deflected) {
            let savingBroad = e?.savings.map { $0.baseline.times(Quotient(numerator: Int128(a.resolvedTickets + deflected), denominator: 1)).minus(total) }
            rows.append(SensitivityRow(key: .deflected_counted, assumption: "Deflected tickets counted as resolved",
                                       values: ["no", "no", "yes (\(Show.count(deflected)))"],
                                       source: "the outcomes counted as resolved (deflected: the customer left without a person)",
                                       headline: [headline, headline, broad], saving: [baseSaving, baseSaving, savingBroad], flags: [nil, nil, nil]))
        }

        // The labour rate with its overhead, 20% lower and higher: human review moves, and so does
        // a baseline made from the same rate.
        let review = (a.costByCategory[.human_review] ?? .zero).dollars
        if review > Quotient(0) {
            let ownBaseline = !(e?.baseline.isUsers ?? true)
            func at(_ f: Quotient) -> (Quotient, Quotient?) {
                let t = total.plus(review.times(f.minus(Quotient(1))))
                let h = t.divided(by: resolved)!
                let s = e?.savings.map { ($0.baseline.times(ownBaseline ? f : Quotient(1))).times(resolved).minus(t) }
                return (h, s)
            }
            let lo = at(Quotient(numerator: 8, denominator: 10)), hi = at(Quotient(numerator: 12, denominator: 10))
            let rate = a.config.reviewCostPerMinute.times(Quotient(60))
            rows.append(SensitivityRow(key: .labour_rate, assumption: "Labour rate with overhead, an hour",
                                       values: [show.amount(rate.times(Quotient(numerator: 8, denominator: 10))), show.amount(rate), show.amount(rate.times(Quotient(numerator: 12, denominator: 10)))],
                                       source: "±20% of the loaded rate that costs human review" + (ownBaseline ? " and the human baseline" : ""),
                                       headline: [lo.0, headline, hi.0], saving: [lo.1, baseSaving, hi.1], flags: [nil, nil, nil]))
        }

        // The FOCUS bills replacing the fixed_costs.csv rows that are the same line, or adding to
        // every row: the month's total with and without those rows.
        if let b = a.bills, b.hasFocus {
            let standIns = (b.standIns ?? []).filter { $0.month == a.month }
            let standIn = Quotient(numerator: Int128(standIns.reduce(Int64(0)) { $0 &+ $1.amount.nanos }), denominator: Int128(Money.scale))
            let replaceTotal = b.mode == .replace ? total : total.minus(standIn)
            let addTotal = b.mode == .add ? total : total.plus(standIn)
            func saving(_ t: Quotient) -> Quotient? { e?.savings.map { $0.baseline.times(resolved).minus(t) } }
            let which = standIns.isEmpty ? "no fixed_costs.csv row is the same line as a bill, so both read the same"
                : "the rows the bills stand for: " + standIns.map(\.name).joined(separator: ", ")
            rows.append(SensitivityRow(key: .focus_mode, assumption: "FOCUS bills replace or add to fixed_costs.csv",
                                       values: ["replace" + (b.mode == .replace ? " (as set)" : ""), b.mode.rawValue + " (as set)", "add" + (b.mode == .add ? " (as set)" : "")],
                                       source: "[focus] fixed_costs, \(which)",
                                       headline: [replaceTotal.divided(by: resolved), headline, addTotal.divided(by: resolved)],
                                       saving: [saving(replaceTotal), baseSaving, saving(addTotal)], flags: [nil, nil, nil]))
        }

        // The flag rule: its basis and its ratio.
        func flagsWith(_ change: (inout MonthAccountEntries, inout BenchmarkData) -> Void) -> Int {
            var b = a.entries, d = data
            change(&b, &d)
            return flagged(ComparablesReview.make(MonthAccounts(b), data: d, forecast: forecast))
        }
        let every = flagsWith { b, _ in b.config.flagBasis = .every }, any = flagsWith { b, _ in b.config.flagBasis = .any }
        rows.append(SensitivityRow(key: .flag_basis, assumption: "Flag basis (the comparables a line is held to)",
                                   values: ["every (the highest)", "\(a.config.flagBasis.rawValue) (as set)", "any (the lowest)"],
                                   source: "the three rules costper offers: above every comparable, the median, any one",
                                   headline: [nil, nil, nil], saving: [nil, nil, nil], flags: [every, baseFlags, any]))
        let r = a.config.flagRatio
        let low = r.times(Quotient(numerator: 3, denominator: 4)), high = r.times(Quotient(numerator: 3, denominator: 2))
        rows.append(SensitivityRow(key: .flag_ratio, assumption: "Flag ratio",
                                   values: [Show.ratio(high), Show.ratio(r), Show.ratio(low)],
                                   source: "the ratio × 1.5 and × 0.75 (a looser and a stricter rule)",
                                   headline: [nil, nil, nil], saving: [nil, nil, nil],
                                   flags: [flagsWith { b, _ in b.config.flagRatio = high }, baseFlags, flagsWith { b, _ in b.config.flagRatio = low }]))

        // A published range compared at its top (as the report does), middle or bottom.
        if data.comparables.contains(where: { $0.figure == nil && $0.low != nil && $0.high != nil }) {
            func ranged(_ pick: @escaping (Money, Money) -> Money) -> (inout MonthAccountEntries, inout BenchmarkData) -> Void {
                { _, d in
                    for i in d.comparables.indices where d.comparables[i].figure == nil {
                        if let lo = d.comparables[i].low, let hi = d.comparables[i].high { d.comparables[i].high = pick(lo, hi) }
                    }
                }
            }
            rows.append(SensitivityRow(key: .range_end, assumption: "A published range compared at",
                                       values: ["its bottom", "its top (as reported)", "its middle"],
                                       source: "the ends and middle of each published range (the report compares a range at its top)",
                                       headline: [nil, nil, nil], saving: [nil, nil, nil],
                                       flags: [flagsWith(ranged { lo, _ in lo }), baseFlags, flagsWith(ranged { lo, hi in Money(nanos: lo.nanos / 2 + hi.nanos / 2) })]))
        }
        return rows
    }

    /// Lines flagged in a review: the AI layer, the all-in, the service types, the plans and the run rates.
    static func flagged(_ r: ComparablesReview) -> Int {
        var n = 0
        if r.aiLayer?.isFlagged == true { n += 1 }
        if r.actual?.isFlagged == true { n += 1 }
        n += r.serviceTypes.filter(\.isFlagged).count
        n += r.plans.filter { $0.comparison.isFlagged }.count
        n += r.runRates.filter { $0.comparison.isFlagged }.count
        return n
    }
}
