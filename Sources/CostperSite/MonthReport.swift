// What one month's page says, as values: the accounts plus what comes from outside them
// (last month's figure, comparables, flags, alerts), and the Mustache context built from it.
import CostperCore

/// A comparable as the report shows it (filled by the comparables engine).
public struct ComparableLine: Sendable, Equatable {
    public var name: String
    public var domain: Domain
    public var unit: String
    public var figure: Quotient
    public var adjusted: Quotient
    public var adjustment: String
    public var ratio: Quotient?
    public var flagged: Bool
    public var source: String

    public init(name: String, domain: Domain, unit: String, figure: Quotient, adjusted: Quotient, adjustment: String,
                ratio: Quotient?, flagged: Bool, source: String) {
        self.name = name; self.domain = domain; self.unit = unit; self.figure = figure; self.adjusted = adjusted
        self.adjustment = adjustment; self.ratio = ratio; self.flagged = flagged; self.source = source
    }
}

/// A "more than 2x the comparables" flag.
public struct FlagLine: Sendable, Equatable {
    public var subject: String
    public var domain: Domain
    public var serviceType: String
    public var value: Quotient
    public var comparable: String
    public var comparableValue: Quotient
    public var ratio: Quotient
    public var threshold: Quotient
    public var drivers: [CostCategory]
    public var aboveAll: Bool

    public init(subject: String, domain: Domain, serviceType: String, value: Quotient, comparable: String, comparableValue: Quotient,
                ratio: Quotient, threshold: Quotient, drivers: [CostCategory], aboveAll: Bool) {
        self.subject = subject; self.domain = domain; self.serviceType = serviceType; self.value = value
        self.comparable = comparable; self.comparableValue = comparableValue; self.ratio = ratio; self.threshold = threshold
        self.drivers = drivers; self.aboveAll = aboveAll
    }
}

/// A line of the forecast check.
public struct ForecastLine: Sendable, Equatable {
    public var label: String
    public var month: String
    public var domain: Domain
    public var serviceType: String
    public var volume: Int64
    public var costPerOutcome: Quotient
    public var worstRatio: Quotient?
    public var worstComparable: String
    public var flagged: Bool
    /// The month's cost at this line (volume × cost per outcome).
    public var monthlyCost: Quotient
    public var fixedSource: String
    public var aboveAll: Bool

    public init(label: String, month: String, domain: Domain, serviceType: String, volume: Int64, costPerOutcome: Quotient,
                worstRatio: Quotient?, worstComparable: String, flagged: Bool, monthlyCost: Quotient, fixedSource: String = "", aboveAll: Bool = false) {
        self.label = label; self.month = month; self.domain = domain; self.serviceType = serviceType; self.volume = volume
        self.costPerOutcome = costPerOutcome; self.worstRatio = worstRatio; self.worstComparable = worstComparable; self.flagged = flagged
        self.monthlyCost = monthlyCost; self.fixedSource = fixedSource; self.aboveAll = aboveAll
    }
}

/// Everything a month's page and files are made from.
public struct MonthReport: Sendable {
    /// The most rows any list of the page shows ("… and N more" says the rest; the CSVs keep all).
    public static let pageRowCap = 20
    public var accounts: MonthAccounts
    /// Last month's cost per resolved ticket, when the site holds it.
    public var previousCostPerResolved: Quotient?
    public var previousMonth: Month?
    public var comparables: [ComparableLine] = []
    public var comparablesNote = ""
    public var flags: [FlagLine] = []
    public var alertReport = AlertReport()
    public var alerts: [Alert] { alertReport.alerts }
    public var forecast: [ForecastLine] = []
    /// The month's service types against the seed's per-service-type table.
    public var serviceTypeChecks: [ComparableLine] = []
    /// The cost categories furthest above the reference stack (sentences).
    public var drivers: [String] = []
    public var references: [ReferenceRange] = []
    public var actualAboveAll = false
    /// When the report was prepared: SOURCE_DATE_EPOCH when set, else the latest request (never the wall clock).
    public var prepared: (seconds: Int64, source: String)?
    public var costperVersion: String
    public var cmarkVersion: String

    init(accounts: MonthAccounts, costperVersion: String, cmarkVersion: String) {
        self.accounts = accounts
        self.costperVersion = costperVersion
        self.cmarkVersion = cmarkVersion
    }

    /// The whole month's report: its accounts, last month's figure, when it was prepared, its
    /// alerts, and the comparables review.
    public init(accounts: MonthAccounts, versions: (costper: String, cmark: String), previous: PublishedMonth?, prepared: ReportClock?,
                alerts: AlertReport, review: ComparablesReview, references: [ReferenceRange]) {
        self.init(accounts: accounts, costperVersion: versions.costper, cmarkVersion: versions.cmark)
        if let previous {
            previousMonth = previous.month
            previousCostPerResolved = previous.costPerResolved
        }
        self.prepared = prepared.map { ($0.seconds, $0.source) }
        alertReport = alerts
        apply(review, references: references)
    }

    /// Fills the comparables, flags and forecast check from a review of this month.
    mutating func apply(_ review: ComparablesReview, references: [ReferenceRange]) {
        self.references = references
        drivers = review.drivers.map(\.sentence)
        func line(_ c: ComparableCheck) -> ComparableLine {
            ComparableLine(name: c.comparable.name, domain: c.comparable.domain, unit: c.comparable.unit, figure: c.comparable.figure.dollars,
                           adjusted: c.adjusted, adjustment: c.adjustment.sentence, ratio: c.ratio, flagged: c.flagged,
                           source: c.comparable.source + (c.comparable.asOf.isEmpty ? "" : " (\(c.comparable.asOf))"))
        }
        comparables = review.actual?.checks.map(line) ?? []
        actualAboveAll = review.actual?.aboveAll ?? false
        serviceTypeChecks = review.serviceTypes.compactMap { cmp in
            cmp.checks.first { $0.comparable.serviceType == cmp.subject.serviceType }.map {
                var l = line($0); l.name = cmp.subject.serviceType; l.figure = cmp.subject.value; return l
            }
        }
        if let b = review.actualBasis {
            comparablesNote = "At your scale means this month's volume (\(Show.count(b.volume)) resolved tickets) and fixed monthly cost (\(Show.usd(b.fixedMonthly.dollars)), from \(b.fixedSource)) for comparables whose variable part is known; a vendor price is reduced by its margin where the margin is known; other figures are used as published."
        }
        flags = []
        for cmp in review.all {
            let ownDomain = cmp.subject.domain == (review.actual?.subject.domain ?? .support)
            for c in cmp.flagged {
                flags.append(FlagLine(subject: cmp.subject.label, domain: cmp.subject.domain, serviceType: cmp.subject.serviceType,
                                      value: cmp.subject.value, comparable: c.comparable.name, comparableValue: c.adjusted, ratio: c.ratio ?? Quotient(0),
                                      threshold: cmp.threshold, drivers: ownDomain ? review.drivers.map(\.category) : [], aboveAll: cmp.aboveAll))
            }
        }
        // A forecast line, as planned or at this month's run rate: its monthly cost is volume × cost per outcome.
        func forecastLine(_ label: String, _ plan: ForecastPlan, _ c: Comparison) -> ForecastLine {
            ForecastLine(label: label, month: plan.month.description, domain: plan.domain, serviceType: plan.serviceType,
                         volume: plan.volume, costPerOutcome: c.subject.value, worstRatio: c.worst?.ratio,
                         worstComparable: c.worst?.comparable.name ?? "", flagged: !c.flagged.isEmpty,
                         monthlyCost: c.subject.value.times(Quotient(numerator: Int128(plan.volume), denominator: 1)),
                         fixedSource: c.subject.basis?.fixedSource ?? "", aboveAll: c.aboveAll)
        }
        forecast = review.plans.map { forecastLine("plan", $0.plan, $0.comparison) }
            + review.runRates.map { forecastLine("run rate", $0.plan, $0.comparison) }
    }

    public var change: Quotient? {
        guard let prev = previousCostPerResolved, prev > Quotient(0), let now = accounts.costPerResolved,
              let r = now.divided(by: prev) else { return nil }
        return r.minus(Quotient(1))
    }
}

/// The Mustache context of the report template. Every value is text already made safe for
/// Markdown (data-derived names are escaped), so templates use `{{{triple}}}` braces.
public enum ReportContext {
    public static func make(_ r: MonthReport) -> [String: Any] {
        let a = r.accounts
        // Text from data goes in raw: the report template escapes {{tags}} for Markdown (SafeText.markdown).
        let md: (String) -> String = { $0 }
        var c: [String: Any] = [:]
        c["company"] = md(a.config.company)
        c["month"] = a.month.description
        c["month_title"] = a.month.title
        c["cost_per_resolved"] = Show.unit(a.costPerResolved)
        c["cost_per_ticket"] = Show.unit(a.costPerTicket)
        c["total_cost"] = Show.usd(a.total)
        c["tickets"] = Show.count(a.tickets)
        c["resolved_tickets"] = Show.count(a.resolvedTickets)
        c["requests"] = Show.count(a.requests)
        c["resolved_outcomes"] = a.config.resolvedOutcomes.map(\.rawValue).joined(separator: ", ")
        c["hidden_share"] = Show.percent(a.hiddenShare)
        c["visible_share"] = Show.percent(a.hiddenShare.map { Quotient(1).minus($0) })
        c["baseline"] = Show.unit(a.baseline.cost)
        c["baseline_source"] = a.baseline.source  // costper's own sentence, not data
        c["savings_share"] = Show.percent(a.savingsShare)
        c["has_savings"] = a.savingsShare != nil
        if let change = r.change, let prev = r.previousMonth {
            let up = change > Quotient(0)
            c["change"] = (up ? "up " : change == Quotient(0) ? "unchanged, " : "down ") + Show.percent(up || change == Quotient(0) ? change : Quotient(0).minus(change))
                + " from " + prev.title + " (" + Show.unit(r.previousCostPerResolved) + ")"
        } else {
            c["change"] = "no earlier month in this site"
        }
        c["flag_count"] = String(r.flags.count)
        c["prepared"] = r.prepared.map { Scalars.formatUTC($0.seconds) } ?? "—"
        c["prepared_source"] = r.prepared?.source ?? "no request in the month"
        c["alert_count"] = String(r.alerts.count)
        c["has_resolved"] = a.resolvedTickets > 0

        c["categories"] = CostCategory.allCases.map { cat -> [String: Any] in
            let m = a.costByCategory[cat] ?? .zero
            return ["key": cat.rawValue, "title": cat.title, "cost": Show.usd(m), "share": Show.percent(a.share(of: m)),
                    "per_resolved": Show.unit(m.quotient(per: a.resolvedTickets)),
                    "layer": cat.isVisible ? "visible" : "hidden"]
        }
        c["outcomes"] = Outcome.allCases.map { o -> [String: Any] in
            let n = a.outcomes[o] ?? 0
            let cost = a.outcomeCost[o] ?? .zero
            return ["outcome": o.rawValue, "tickets": Show.count(n), "share": Show.percent(a.tickets > 0 ? Quotient(numerator: Int128(n), denominator: Int128(a.tickets)) : nil),
                    "cost": Show.usd(cost), "cost_per_ticket": Show.unit(cost.quotient(per: n)),
                    "resolved": a.config.resolvedOutcomes.contains(o) ? "yes" : "no"]
        }
        c["attribution"] = a.attribution.map { t -> [String: Any] in attributionContext(t, a) }

        c["has_comparables"] = !r.comparables.isEmpty
        c["comparables_note"] = SafeText.markdown(r.comparablesNote, limit: 2_000)  // costper's own sentence, with names from data
        c["comparables"] = r.comparables.map { l -> [String: Any] in
            ["name": md(l.name), "domain": md(l.domain.rawValue), "unit": md(l.unit), "figure": Show.unit(l.figure),
             "adjusted": Show.unit(l.adjusted), "adjustment": md(l.adjustment), "ratio": Show.ratio(l.ratio),
             "flagged": l.flagged ? "**yes**" : "no", "source": md(l.source)]
        }
        c["actual_above_all"] = r.actualAboveAll
        c["has_drivers"] = !r.drivers.isEmpty
        c["drivers"] = r.drivers.map { ["text": md($0)] }
        c["has_service_type_checks"] = !r.serviceTypeChecks.isEmpty
        c["service_type_checks"] = r.serviceTypeChecks.map { l -> [String: Any] in
            ["service_type": md(l.name), "value": Show.unit(l.figure), "reference": Show.unit(l.adjusted), "ratio": Show.ratio(l.ratio),
             "flagged": l.flagged ? "**yes**" : "no"]
        }
        c["has_references"] = !r.references.isEmpty
        c["references"] = r.references.map { x -> [String: Any] in
            let range: String
            if let lo = x.low, let hi = x.high { range = Show.unit(lo.dollars) + "–" + Show.unit(hi.dollars) } else { range = x.figure.map { Show.unit($0.dollars) } ?? "—" }
            return ["label": md(x.label), "unit": md(x.unit), "range": range, "source": md(x.source), "notes": md(x.notes)]
        }
        c["has_flags"] = !r.flags.isEmpty
        c["flags"] = r.flags.map { f -> [String: Any] in
            ["subject": md(f.subject), "domain": md(f.domain.rawValue), "service_type": md(f.serviceType.isEmpty ? "all" : f.serviceType),
             "value": Show.unit(f.value), "comparable": md(f.comparable), "comparable_value": Show.unit(f.comparableValue),
             "ratio": Show.ratio(f.ratio), "threshold": Show.ratio(f.threshold),
             "drivers": f.drivers.isEmpty ? "—" : SafeText.markdown(f.drivers.map { $0.title.lowercased() }.joined(separator: ", ")),
             "above_all": f.aboveAll ? "**yes**" : "no"]
        }
        c["has_alerts"] = !r.alerts.isEmpty
        // Every list on the page is capped (the CSVs keep every row): 100k endpoints once gave
        // 100k drift alerts and a 58 MB page.
        let cap = MonthReport.pageRowCap
        func more(_ n: Int) -> Any { n > cap ? Show.count(n - cap) : false }   // "" would be truthy
        c["more_alerts"] = more(r.alerts.count)
        c["alerts"] = r.alerts.prefix(cap).map { l -> [String: Any] in
            ["kind": md(l.kind.rawValue.replacingOccurrences(of: "_", with: " ")), "subject": md(l.subject), "severity": l.severity.rawValue, "value": md(l.value),
             "threshold": md(l.threshold), "message": md(l.message)]
        }
        let ar = r.alertReport
        if let d = ar.distribution {
            c["distribution"] = ["tickets": Show.count(d.tickets), "p50": Show.unit(d.p50.dollars), "p95": Show.unit(d.p95.dollars),
                                 "p99": Show.unit(d.p99.dollars), "max": Show.unit(d.max.dollars), "above_p99": Show.count(d.aboveP99),
                                 "above_p99_cost": Show.usd(d.aboveP99Cost), "above_p99_share": Show.percent(d.aboveP99Share),
                                 "outliers": d.outliers.map { ["ticket": md($0.id), "cost": Show.unit($0.cost.dollars), "requests": Show.count($0.requests)] },
                                 "has_outliers": !d.outliers.isEmpty] as [String: Any]
        }
        c["has_budgets"] = !ar.budgets.isEmpty
        c["more_budgets"] = more(ar.budgets.count)
        c["budgets"] = ar.budgets.prefix(cap).map { b -> [String: Any] in
            ["tenant": md(b.tenant), "budget": Show.usd(b.budget), "spent": Show.usd(b.spent), "share": Show.percent(b.share), "state": b.state.rawValue]
        }
        c["has_drift"] = !ar.drift.isEmpty
        c["more_drift"] = more(ar.drift.count)
        c["drift"] = ar.drift.prefix(cap).map { d -> [String: Any] in
            ["endpoint": md(d.endpoint), "previous": md(d.previous), "newest": md(d.newest),
             "previous_cost": Show.unit(d.previousCostPerRequest), "newest_cost": Show.unit(d.newestCostPerRequest),
             "cost_change": Show.percent(d.costChange), "previous_tokens": Show.grouped(d.previousTokensPerRequest.formatted(decimals: 0)),
             "newest_tokens": Show.grouped(d.newestTokensPerRequest.formatted(decimals: 0)), "token_change": Show.percent(d.tokenChange)]
        }
        c["median_hour"] = Show.count(ar.medianHour)
        c["has_forecast"] = !r.forecast.isEmpty
        c["more_forecast"] = more(r.forecast.count)
        c["forecast"] = r.forecast.prefix(cap).map { l -> [String: Any] in
            ["label": md(l.label), "month": md(l.month), "domain": md(l.domain.rawValue), "service_type": md(l.serviceType.isEmpty ? "all" : l.serviceType),
             "volume": Show.count(l.volume), "cost_per_outcome": Show.unit(l.costPerOutcome),
             "worst_ratio": Show.ratio(l.worstRatio), "worst_comparable": md(l.worstComparable),
             "flagged": l.flagged ? (l.aboveAll ? "**yes, above every comparable**" : "**yes**") : "no",
             "monthly_cost": Show.usd(l.monthlyCost), "fixed_source": md(l.fixedSource)]
        }

        // Data quality.
        c["more_files"] = more(a.files.count)
        c["files"] = a.files.prefix(cap).map { f -> [String: Any] in
            ["file": md(f.file), "reader": md(f.reader), "rows": Show.count(f.rowsRead), "accepted": Show.count(f.accepted),
             "rejected": Show.count(f.rejected), "outside": Show.count(f.outsideMonth)]
        }
        c["rejected_rows"] = Show.count(a.rejectedRows)
        c["has_rejects"] = !a.rejects.isEmpty
        c["first_rejects"] = a.rejects.prefix(20).map { ["message": md($0.message)] }
        c["more_rejects"] = a.rejects.count > 20 ? Show.count(a.rejects.count - 20) : ""
        c["orphan_requests"] = Show.count(a.orphanRequests)
        c["orphan_tickets"] = Show.count(a.orphanTickets)
        c["orphan_cost"] = Show.usd(a.orphanCost)
        c["rounded_costs"] = Show.count(a.roundedCosts)
        c["priced_from_catalog"] = Show.count(a.pricedFromCatalog)
        c["price_source"] = md(a.priceSource)
        c["notices"] = a.notices.prefix(cap).map { ["text": md($0)] }
        c["more_notices"] = more(a.notices.count)
        c["has_notices"] = !a.notices.isEmpty

        // Method.
        c["review_rate_hour"] = Show.usd(a.config.reviewCostPerMinute.times(Quotient(60)))
        c["reviewer_annual"] = Show.usd(a.config.reviewerLoadedAnnual, decimals: 0)
        c["productive_hours"] = Show.grouped(a.config.productiveHoursPerYear.formatted(decimals: 0))
        c["review_minutes"] = Show.grouped(a.reviewMinutes.formatted(decimals: 1))
        c["flag_ratio"] = Show.ratio(a.config.flagRatio)
        c["fixed_costs"] = a.fixedCosts.map { f -> [String: Any] in
            ["name": md(f.name), "category": f.category.rawValue, "amount": Show.usd(f.amount)]
        }
        c["has_fixed_costs"] = !a.fixedCosts.isEmpty
        c["costper_version"] = md(r.costperVersion)
        c["cmark_version"] = md(r.cmarkVersion)
        return c
    }

    static func attributionContext(_ t: AttributionTable, _ a: MonthAccounts) -> [String: Any] {
        let n = a.config.topN
        var rows = t.rows
        var rest: AttributionRow?
        if rows.count > n {
            let tail = rows[(n - 1)...]
            rows = Array(rows.prefix(n - 1))
            var r = AttributionRow(group: .others(count: tail.count), tickets: t.level == .ticket ? 0 : nil, resolved: t.level == .ticket ? 0 : nil,
                                   requests: 0, cost: .zero, inputTokens: 0, outputTokens: 0)
            for x in tail {
                r.requests += x.requests
                r.cost.nanos &+= x.cost.nanos
                r.inputTokens += x.inputTokens
                r.outputTokens += x.outputTokens
                if let tk = x.tickets { r.tickets = (r.tickets ?? 0) + tk }
                if let rs = x.resolved { r.resolved = (r.resolved ?? 0) + rs }
            }
            rest = r
        }
        func row(_ r: AttributionRow, escapeLabel: Bool) -> [String: Any] {
            let perResolved: Quotient? = t.level == .ticket ? r.costPerResolved : r.cost.quotient(per: a.resolvedTickets)
            return ["label": escapeLabel ? SafeText.markdown(r.label) : r.label,
                    "tickets": r.tickets.map(Show.count) ?? "—", "resolved": r.resolved.map(Show.count) ?? "—",
                    "requests": Show.count(r.requests), "cost": Show.usd(r.cost), "share": Show.percent(a.share(of: r.cost)),
                    "per_resolved": Show.unit(perResolved),
                    "tokens_per_request": r.tokensPerRequest.map { Show.grouped($0.formatted(decimals: 0)) } ?? "—"]
        }
        var list = rows.map { row($0, escapeLabel: true) }
        if let rest { list.append(row(rest, escapeLabel: false)) }
        return ["title": t.title, "dimension": t.dimension, "dimension_title": t.title.lowercased(),
                "per_resolved_title": t.level == .ticket ? "Cost per resolved ticket" : "Share of cost per resolved ticket",
                "is_ticket_level": t.level == .ticket, "rows": list, "total": Show.usd(t.total),
                "csv": "by_\(t.dimension).csv", "complete_count": Show.count(t.rows.count), "truncated": rest != nil,
                "has_chart": t.dimension == .tenant && !t.rows.isEmpty, "chart": "chart-tenants.svg", "chart_alt": "Top tenants by cost"]
    }
}
