// The assumptions a month's figures rest on, in one table: each with its value as printed, where
// it was set (costper.toml, the input folder, or costper's default), and its change since the
// previous month of the site. On the page (appendix), in assumptions.csv and report.xlsx.
import CostperMoney
import CostperVocabulary
import CostperCore

package struct Assumption: Sendable, Equatable, Codable {
    /// A stable name, to find the same assumption in the previous month.
    package var key: String
    package var label: String
    package var value: String
    package var source: String

    /// Every assumption of the month, in the order of the table.
    package static func of(_ r: MonthReport) -> [Assumption] {
        let show = r.accounts.show
        let a = r.accounts, c = a.config
        // Where a value was set: the costper.toml keys that give it, else costper's default.
        func set(_ keys: [String], _ label: String) -> String { keys.contains { c.gives($0) } ? "costper.toml " + label : "default" }
        var out: [Assumption] = []
        let perMinute = c.reviewCostPerMinute
        out.append(Assumption(key: "labour_rate", label: "Labour rate (review and escalations)",
                              value: "\(show.amount(c.reviewerLoadedAnnual, decimals: 0)) a year, \(Show.grouped(c.productiveHoursPerYear.formatted(decimals: 0))) hours (\(show.unit(perMinute))/min)",
                              source: set(["labor"], "[labor]")))
        out.append(Assumption(key: "labour_overhead", label: "Labour overhead on the baseline",
                              value: Show.percent(c.baseline.overheadShare),
                              source: set(["baseline.overhead_share"], "[baseline] overhead_share")))
        let base = a.baseline
        // Unless costper.toml sets it, the baseline comes from the labour rate and the month's handle time.
        let own = c.gives("baseline.cost_per_resolved_usd") ? nil : a.humanBaseline.own
        out.append(Assumption(key: "baseline", label: "Human baseline per resolved ticket", value: show.unit(base.cost),
                              source: own != nil ? "the labour rate × the month's handle time" : set(["baseline"], "[baseline]")))
        out.append(Assumption(key: "prices", label: "Model prices", value: a.priceSource.isEmpty ? "the traces' own costs" : a.priceSource,
                              source: a.pricedFromCatalog > 0 ? "\(Show.count(a.pricedFromCatalog)) \(a.pricedFromCatalog == 1 ? "request" : "requests") priced from it" : "the requests' own costs"))
        out.append(Assumption(key: "flag_rule", label: "Flag rule", value: "more than \(Show.ratio(c.flagRatio)) the comparables (\(c.flagBasis.rawValue))",
                              source: set(["flag_ratio", "flag_basis"], "flag_ratio, flag_basis")))
        out.append(Assumption(key: "resolved_outcomes", label: "Outcomes counted as resolved", value: c.resolvedOutcomes.map(\.rawValue).joined(separator: ", "),
                              source: set(["resolved_outcomes"], "resolved_outcomes")))
        out.append(Assumption(key: "focus_mode", label: "FOCUS bills against fixed_costs.csv", value: a.bills.map { b in b.hasFocus ? "\(c.bills.focus.fixedCosts.rawValue), costed at \(b.basis.label)" : c.bills.focus.fixedCosts.rawValue } ?? "no FOCUS bill read",
                              source: a.bills == nil ? "the input folder" : set(["focus.fixed_costs"], "[focus] fixed_costs")))
        out.append(Assumption(key: "go_live", label: "Go-live date", value: c.outcomes.goLive.map { String(Scalars.formatUTC(Int64($0) * 86_400).prefix(10)) } ?? "not given",
                              source: set(["go_live", "outcomes.go_live"], "go_live")))
        out.append(Assumption(key: "fx_rate", label: "Exchange rate", value: a.currency.isUSD ? "none: the month is in USD" : "1 USD = \(a.currency.rate.formatted(decimals: 6)) \(a.currency.code)",
                              source: a.currency.isUSD ? "default" : a.currency.source))
        return out
    }

    /// Each assumption's change since `previous` (the latest earlier month of the site).
    package static func changes(_ now: [Assumption], previous: [Assumption]?, previousMonth: Month?) -> [String] {
        guard let previous, let pm = previousMonth else { return now.map { _ in "—" } }
        return now.map { x in
            guard let p = previous.first(where: { $0.key == x.key }) else { return "new since \(pm.title)" }
            return p.value == x.value ? "unchanged" : "was \(p.value) in \(pm.title)"
        }
    }
}

extension SiteBuilder {
    /// The month's assumptions, each with its change since the latest earlier month of the site.
    static func assumptionsWithChanges(_ r: MonthReport) -> [(assumption: Assumption, change: String)] {
        let now = Assumption.of(r)
        let last = r.earlier.last
        return Array(zip(now, Assumption.changes(now, previous: last?.assumptions, previousMonth: last?.month)))
    }

    /// assumptions.csv (and the Assumptions sheet of report.xlsx).
    /// sensitivity.csv (and the Sensitivity sheet): each assumption at its low, base and high
    /// value, and the headline, saving and lines flagged at each (empty where it does not move them).
    static func sensitivityTable(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["key", "assumption", "low", "base", "high", "source",
                                     "cost_per_resolved_low_usd", "cost_per_resolved_base_usd", "cost_per_resolved_high_usd",
                                     "saving_month_low_usd", "saving_month_base_usd", "saving_month_high_usd", "flags_low", "flags_base", "flags_high"])
        for x in r.sensitivity ?? [] {
            d.append([.text(x.key.rawValue), .text(x.assumption), .text(x.values[0]), .text(x.values[1]), .text(x.values[2]), .text(x.source),
                      .money(x.headline[0]), .money(x.headline[1]), .money(x.headline[2]), .money(x.saving[0]), .money(x.saving[1]), .money(x.saving[2]),
                      .int(x.flags[0]), .int(x.flags[1]), .int(x.flags[2])])
        }
        return d
    }

    static func assumptionsTable(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["assumption", "value", "set_in", "change_since_previous_month"])
        for (x, ch) in assumptionsWithChanges(r) { d.append([.text(x.label), .text(x.value), .text(x.source), .text(ch)]) }
        return d
    }

    /// The report's rows of the assumptions table.
    static func assumptionRows(_ r: MonthReport) -> [[String: Any]] {
        assumptionsWithChanges(r).map { x, ch in ["label": x.label, "value": x.value, "source": x.source, "change": ch] }
    }
}
