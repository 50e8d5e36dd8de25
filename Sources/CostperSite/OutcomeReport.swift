// Outcome economics on the page and in files: cost per escalation avoided, the month week by
// week, margin by tenant. Every money column adds up to its total (DisplayRounding).
import CostperMoney
import CostperVocabulary
import CostperCore
import GFM

enum OutcomeContext {
    static func add(to c: inout [String: Any], _ r: MonthReport) {
        let show = r.accounts.show
        let a = r.accounts
        // Cost per escalation avoided.
        c["cost_per_escalation_avoided"] = show.unit(a.costPerEscalationAvoided)
        c["escalations_avoided"] = Show.count(a.escalationsAvoided)
        c["escalation_avoided_labels"] = a.config.outcomes.escalationAvoided.map { "\u{201C}" + $0.label + "\u{201D}" }.joined(separator: " or ")

        // The month week by week.
        let weeks = a.weekly.weeks
        var costs = weeks.map(\.cost)
        var labels = weeks.map { $0.label(a.month) }
        if a.weekly.orphanCost.nanos != 0 { costs.append(a.weekly.orphanCost); labels.append(AttributionGroup.orphanRequests(of: nil).label) }
        if a.weekly.unallocatedFixed.nanos != 0 { costs.append(a.weekly.unallocatedFixed); labels.append(AttributionGroup.fixedWithoutTickets.label) }
        let usd = DisplayRounding.usd(costs, total: a.weekly.total, in: show)
        let per = DisplayRounding.perTicket(weeks.map(\.costPerResolved) + [a.costPerResolved], total: nil, in: show)
        var rows: [[String: Any]] = []
        for (i, label) in labels.enumerated() {
            if i < weeks.count {
                let w = weeks[i]
                rows.append(["label": label, "tickets": Show.count(w.tickets), "resolved": Show.count(w.resolved), "cost": usd.rows[i],
                             "per_resolved": per.rows[i], "rate": Show.percent(w.resolutionRate)])
            } else {
                rows.append(["label": label, "tickets": "—", "resolved": "—", "cost": usd.rows[i], "per_resolved": "—", "rate": "—"])
            }
        }
        c["weeks"] = rows
        c["has_week_chart"] = weeks.contains { $0.costPerResolved != nil }
        c["weeks_total_cost"] = usd.total
        c["weeks_rounding"] = DisplayRounding.roundingRow(["cost": usd])
        c["weeks_total_per_resolved"] = per.rows.last ?? "—"
        c["weeks_total_rate"] = Show.percent(a.rate(a.config.resolvedOutcomes))

        addResolution(to: &c, r)

        // Margin by tenant.
        c["has_margins"] = r.margins != nil
        guard let m = r.margins else { c["gross_margin"] = "—"; return }
        // The headline margin is the served tenants'; revenue from tenants served nothing is said
        // beside it, never mixed into it.
        let unservedText = m.unserved.isEmpty ? "" : "; \(Show.percent(m.marginShare)) with the \(show.amount(m.unservedRevenue)) of revenue from tenants served nothing this month"
        c["gross_margin"] = Show.percent(m.servedMarginShare) + " (" + show.amount(m.servedMargin) + " on " + show.amount(m.servedRevenue) + " of revenue from the tenants served)" + unservedText
        let served = m.served
        let revenue = DisplayRounding.usd(served.map(\.revenue), total: m.servedRevenue, in: show)
        let cost = DisplayRounding.usd(served.map(\.cost), total: m.servedCost, in: show)
        let margin = DisplayRounding.usd(served.map(\.margin), total: m.servedMargin, in: show)
        let cpr = DisplayRounding.perTicket(served.map(\.costPerResolved) + served.map(\.pricePerResolved), total: nil, in: show)
        let floor = a.config.outcomes.marginFloorShare
        c["margins"] = served.enumerated().map { i, row -> [String: Any] in
            ["tenant": row.tenant, "revenue": revenue.rows[i], "cost": cost.rows[i], "margin": margin.rows[i],
             "margin_share": Show.percent(row.marginShare), "cost_per_resolved": cpr.rows[i], "price_per_resolved": cpr.rows[served.count + i],
             "tickets": Show.count(row.tickets), "resolved": Show.count(row.resolved),
             "below": row.cost.nanos > 0 && (row.marginShare.map { $0 < floor } ?? true) ? "below" : ""]
        }
        c["margin_revenue_total"] = revenue.total
        c["margin_cost_total"] = cost.total
        c["margin_total"] = margin.total
        c["margin_rounding"] = DisplayRounding.roundingRow(["revenue": revenue, "cost": cost, "margin": margin])
        c["margin_share_total"] = Show.percent(m.servedMarginShare)
        c["margin_floor"] = Show.percent(floor)
        c["margin_tickets_total"] = Show.count(served.reduce(0) { $0 + $1.tickets })
        c["margin_resolved_total"] = Show.count(served.reduce(0) { $0 + $1.resolved })
        // Revenue concentration beside cost concentration: the largest tenant by each.
        let byRevenue = served.max { ($0.revenue, $1.tenant) < ($1.revenue, $0.tenant) }
        let byCost = served.max { ($0.cost, $1.tenant) < ($1.cost, $0.tenant) }
        func share(_ x: Money, of t: Money) -> String { t.nanos > 0 ? Show.percent(Quotient(numerator: Int128(x.nanos), denominator: Int128(t.nanos))) : "—" }
        if let rv = byRevenue, let cs = byCost, m.servedRevenue.nanos > 0, m.servedCost.nanos > 0 {
            c["concentration_sentence"] = "The largest tenant by revenue is \(SafeText.markdown(rv.tenant)), \(share(rv.revenue, of: m.servedRevenue)) of the served tenants' revenue; by cost, \(SafeText.markdown(cs.tenant)), \(share(cs.cost, of: m.servedCost)) of their cost."
                + (rv.tenant == cs.tenant ? "" : " \(SafeText.markdown(rv.tenant)) costs \(share(rv.cost, of: m.servedCost)) of the cost.")
        } else {
            c["concentration_sentence"] = ""
        }
        // A cost budget above what the tenant's revenue allows at the margin floor.
        let revenueOf = Dictionary(m.rows.map { ($0.tenant, $0.revenue) }, uniquingKeysWith: { Money(nanos: $0.nanos &+ $1.nanos) })
        let keep = Quotient(1).minus(floor)
        let over = a.config.budgets.compactMap { b -> String? in
            guard let rev = revenueOf[b.tenant], rev.nanos > 0 else { return nil }
            let allowed = rev.dollars.times(keep)
            guard b.amount.dollars > allowed else { return nil }
            return "\(SafeText.markdown(b.tenant)), a budget of \(show.amount(b.amount)) against \(show.amount(allowed)) (\(show.amount(rev)) of revenue × \(Show.percent(keep)))"
        }
        c["budget_over_revenue"] = over.isEmpty ? "" : "Cost budgets above what the tenant's revenue allows at the \(Show.percent(floor)) margin floor: " + over.joined(separator: "; ") + "."
        c["has_budget_over_revenue"] = !over.isEmpty
        let s = a.config.outcomes
        var basis: [String] = []
        if a.revenue != nil { basis.append("revenue.csv") }
        if let p = s.pricePerResolved { basis.append("\(show.unit(p.dollars)) per resolved ticket ([pricing] per_resolved_usd)") }
        if !s.subscriptions.isEmpty { basis.append("monthly subscriptions of \(Show.count(s.subscriptions.count)) tenants ([pricing.subscriptions])") }
        c["revenue_basis"] = basis.joined(separator: ", ")
        c["revenue_only"] = m.unserved.map { ["tenant": $0.tenant, "revenue": show.amount($0.revenue)] }
        c["has_revenue_only"] = !m.revenueOnly.isEmpty
    }
}

extension SiteBuilder {
    static func weekly(_ a: MonthAccounts) -> CSVDocument {
        var d = CSVDocument(header: ["week", "iso_week", "first_day", "last_day", "partial", "tickets", "resolved_tickets", "cost_usd",
                                     "cost_per_resolved_ticket_usd", "resolution_rate"])
        for w in a.weekly.weeks {
            d.append([.text(w.label(a.month)), .text(w.isoLabel), .text(day(a.month, w.firstDay)), .text(day(a.month, w.lastDay)),
                      .text(w.partial ? "true" : "false"), .int(w.tickets), .int(w.resolved), .money(w.cost), .money(w.costPerResolved),
                      .share(w.resolutionRate)])
        }
        if a.weekly.orphanCost.nanos != 0 {
            d.append([.text(AttributionGroup.orphanRequests(of: nil).label), .empty, .empty, .empty, .empty, .empty, .empty,
                      .money(a.weekly.orphanCost), .empty, .empty])
        }
        if a.weekly.unallocatedFixed.nanos != 0 {
            d.append([.text(AttributionGroup.fixedWithoutTickets.label), .empty, .empty, .empty, .empty, .empty, .empty,
                      .money(a.weekly.unallocatedFixed), .empty, .empty])
        }
        d.append([.text("total"), .empty, .text(day(a.month, 1)), .text(day(a.month, a.month.days)), .empty, .int(a.tickets), .int(a.resolvedTickets),
                  .money(a.weekly.total), .money(a.costPerResolved), .share(a.rate(a.config.resolvedOutcomes))])
        return d
    }

    static func day(_ m: Month, _ d: Int) -> String { m.description + "-" + (d < 10 ? "0" : "") + String(d) }

    static func marginByTenant(_ r: MonthReport) -> CSVDocument {
        let show = r.accounts.show
        var d = CSVDocument(header: ["tenant", "revenue_usd", "all_in_cost_usd", "margin_usd", "margin_share", "cost_per_resolved_ticket_usd",
                                     "price_per_resolved_ticket_usd", "tickets", "resolved_tickets", "below_floor", "dominant_driver", "served"])
        guard let m = r.margins else { return d }
        let floor = r.accounts.config.outcomes.marginFloorShare
        let measures = Margins.MonthMeasures(r.accounts)
        let apart = Set(m.revenueOnly)
        for x in m.rows {
            let below = x.cost.nanos > 0 && (x.marginShare.map { $0 < floor } ?? true)
            d.append([.text(x.tenant), .money(x.revenue), .money(x.cost), .money(x.margin), .share(x.marginShare), .money(x.costPerResolved),
                      .money(x.pricePerResolved), .int(x.tickets), .int(x.resolved), .text(below ? "true" : "false"),
                      .text(below ? Margins.driver(x, measures: measures, show: show).map(\.kind.rawValue) ?? "" : ""), .text(apart.contains(x.tenant) ? "false" : "true")])
        }
        d.append([.text("total of the tenants served"), .money(m.servedRevenue), .money(m.servedCost), .money(m.servedMargin), .share(m.servedMarginShare), .empty, .empty,
                  .int(m.served.reduce(0) { $0 + $1.tickets }), .int(m.served.reduce(0) { $0 + $1.resolved }), .empty, .empty, .empty])
        d.append([.text("total"), .money(m.revenue), .money(m.cost), .money(m.margin), .share(m.marginShare), .empty, .empty,
                  .int(m.rows.reduce(0) { $0 + $1.tickets }), .int(m.rows.reduce(0) { $0 + $1.resolved }), .empty, .empty, .empty])
        return d
    }

    static func weeklyChart(_ a: MonthAccounts) -> String? {
        let show = a.show
        let weeks = a.weekly.weeks.filter { $0.costPerResolved != nil }
        guard !weeks.isEmpty else { return nil }
        let bars = weeks.map { w in
            ChartBar(label: w.label(a.month), value: w.costPerResolved!, valueLabel: show.unit(w.costPerResolved) + " · " + Show.percent(w.resolutionRate) + " resolved",
                     style: w.partial ? .hatched : .solid)
        }
        return Charts.horizontalBars(id: "weeks", title: "Cost per resolved ticket, week by week, \(a.month.title)",
                                     description: "Cost per resolved ticket of each ISO week of the month, with its resolution rate; weeks cut at the month's edges are hatched. The month: \(show.unit(a.costPerResolved)).",
                                     bars: bars, marker: a.costPerResolved.map { ($0, "the month: " + show.unit($0)) },
                                     legend: [LegendItem(.bar(.solid), "a full ISO week")] + (weeks.contains { $0.partial } ? [LegendItem(.bar(.hatched), "a week cut at the month's edge (partial)")] : []), show: show)
    }
}

extension SiteBuilder {
    static func rateCheckJSON(_ c: RateCheck) -> JSONValue {
        .object([("reference", .string(c.reference.kind.rawValue)), ("key", .string(c.reference.key)), ("rate", .money(c.rate)),
                 ("low", .money(c.reference.low)), ("high", .money(c.reference.high)), ("on_track_up_to", .money(c.onTrackHigh)),
                 ("verdict", .string(c.verdict.label))])
    }

    static func resolutionRates(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["reference", "key", "label", "autonomous_resolution_rate", "low", "high", "on_track_up_to", "verdict",
                                     "days_since_go_live", "source", "disclosure", "secondary_source"])
        for c in r.resolution.checks {
            d.append([.text(c.reference.kind.rawValue), .text(c.reference.key), .text(c.reference.label), .share(c.rate), .share(c.reference.low),
                      .share(c.reference.high), .share(c.onTrackHigh), .text(c.verdict.label),
                      c.reference.kind == .plan ? .int(r.resolution.daysLive) : .empty, .text(c.reference.citation.text),
                      .text(c.reference.citation.disclosure), .text(c.reference.citation.secondarySource)])
        }
        return d
    }
}

extension OutcomeContext {
    static func addResolution(to c: inout [String: Any], _ r: MonthReport) {
        let v = r.resolution
        c["autonomous_rate"] = r.accounts.humanReviewMeasured ? Show.percent(v.autonomous) : SiteText.notMeasured
        c["containment_rate"] = Show.percent(v.containment)
        c["escalation_rate"] = Show.percent(v.escalation)
        func range(_ x: ResolutionReference) -> String {
            x.high.map { Show.percent(x.low, decimals: 0) + "–" + Show.percent($0, decimals: 0) } ?? Show.percent(x.low, decimals: 0)
        }
        var checks: [[String: Any]] = []
        if let b = v.businessType {
            let against: String = "Business type: " + b.reference.label
            let source: String = b.reference.citation.text + " (" + b.reference.citation.disclosure + ")"
            checks.append(["against": against, "range": range(b.reference), "rate": Show.percent(b.rate), "verdict": b.verdict.label, "source": source])
        }
        if let p = v.plan, let days = v.daysLive {
            var expected = range(p.reference)
            if p.reference.high == nil && p.onTrackHigh != p.reference.low {
                expected += " (ahead above " + Show.percent(p.onTrackHigh, decimals: 0) + ")"
            }
            let against: String = "Go-live plan, day \(Show.count(days)): " + p.reference.label
            let source: String = p.reference.citation.text + " (" + p.reference.citation.disclosure + ")"
            checks.append(["against": against, "range": expected, "rate": Show.percent(p.rate), "verdict": p.verdict.label, "source": source])
        }
        c["rate_checks"] = checks
        c["has_rate_checks"] = !checks.isEmpty
        c["rate_secondary"] = v.checks.first?.reference.citation.secondarySource ?? ""
    }
}

extension SiteBuilder {
    static func resolutionChecksJSON(_ r: MonthReport) -> JSONValue {
        let list: [JSONValue] = r.resolution.checks.map { rateCheckJSON($0) }
        return .array(list)
    }
}

/// A forecast line as a month's summary.json keeps it: the month planned, its service type (empty
/// for the whole month), the volume of outcomes and the cost per outcome.
package struct PlannedLine: Sendable, Equatable, Codable {
    package var month: Month
    package var domain: String
    package var serviceType: String
    package var volume: Int64
    package var costPerOutcome: Quotient

    package init(month: Month, domain: String, serviceType: String, volume: Int64, costPerOutcome: Quotient) {
        self.month = month; self.domain = domain; self.serviceType = serviceType; self.volume = volume; self.costPerOutcome = costPerOutcome
    }

    static func of(_ r: MonthReport) -> [PlannedLine] {
        r.lines.filter { $0.kind == .plan }.compactMap { l in
            guard let m = l.months.first, let v = l.volume else { return nil }
            return PlannedLine(month: m, domain: l.domain.rawValue, serviceType: l.serviceType, volume: v, costPerOutcome: PublishedMonth.nano(l.value)!)
        }
    }
}

/// A forecast line of an earlier month for this month, against what happened.
package struct PlanActual: Sendable, Equatable, Codable {
    package var plannedIn: Month
    package var line: PlannedLine
    package var actualVolume: Int
    package var actualCostPerOutcome: Quotient?
    package var actualTotal: Money

    package var plannedTotal: Quotient { line.costPerOutcome.times(Quotient(numerator: Int128(line.volume), denominator: 1)) }
    package var volumeVariance: Int64 { Int64(actualVolume) - line.volume }
    package var costPerOutcomeVariance: Quotient? { actualCostPerOutcome.map { $0.minus(line.costPerOutcome) } }
    package var totalVariance: Quotient { actualTotal.dollars.minus(plannedTotal) }
    /// Actual total ÷ planned total − 1.
    package var totalVarianceShare: Quotient? { plannedTotal > Quotient(0) ? totalVariance.divided(by: plannedTotal) : nil }

    /// Every line an earlier published month planned for this month (oldest plan first). The
    /// whole-month line is read against resolved tickets and cost per resolved ticket; a service
    /// type's line against that service type's row. From what the site keeps of each month (its
    /// summary.json), so that a later re-render gives the same lines.
    package static func compare(_ own: PublishedMonth, earlier: [PublishedMonth]) -> [PlanActual] {
        var out: [PlanActual] = []
        for p in earlier.filter({ $0.month < own.month }).sorted(by: { $0.month < $1.month }) {
            for line in p.plans where line.month == own.month {
                if line.serviceType.isEmpty {
                    let total = Money(nanos: Int64(clamping: own.figures?.total ?? 0))
                    out.append(PlanActual(plannedIn: p.month, line: line, actualVolume: own.resolvedTickets,
                                          actualCostPerOutcome: own.figures?.costPerResolved ?? own.costPerResolved, actualTotal: total))
                } else {
                    let row = own.serviceTypes.first { $0.serviceType == line.serviceType }
                    out.append(PlanActual(plannedIn: p.month, line: line, actualVolume: row?.resolved ?? 0,
                                          actualCostPerOutcome: row.flatMap { $0.cost.quotient(per: $0.resolved) }, actualTotal: row?.cost ?? .zero))
                }
            }
        }
        return out
    }

    static let begin = "<!-- costper:plan-actual -->\n", end = "<!-- /costper:plan-actual -->\n"

    /// The "Plan against actual" block of report.md (empty between its markers when no earlier
    /// month planned this one).
    static func markdown(_ lines: [PlanActual], labels: [String: String], show: AmountFormat) -> String {
        guard !lines.isEmpty else { return begin + end }
        func signed(_ q: Quotient?) -> String {
            guard let q else { return "—" }
            return q > Quotient(0) ? "+" + show.amount(q) : show.amount(q)
        }
        var s = begin + "### Plan against actual\n\nForecast lines of earlier months' reports for this month, against what happened: a whole-month line against resolved tickets, cost per resolved ticket and the month's total; a service type's line against that service type. All in [plan_vs_actual.csv](plan_vs_actual.csv).\n\n"
        s += "Table: Plan against actual · [plan_vs_actual.csv](plan_vs_actual.csv)\n\n| Planned in | Line | Volume planned | actual | Variance | Cost per outcome planned | actual | Total planned | actual | Variance | Variance % |\n|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
        for p in lines {
            let line = p.line.serviceType.isEmpty ? "The whole month" : SafeText.markdown(labels[p.line.serviceType] ?? p.line.serviceType)
            let cells = [p.plannedIn.title, line, Show.count(p.line.volume), Show.count(p.actualVolume), (p.volumeVariance > 0 ? "+" : "") + Show.count(p.volumeVariance),
                         show.unit(p.line.costPerOutcome), show.unit(p.actualCostPerOutcome), show.amount(p.plannedTotal), show.amount(p.actualTotal),
                         signed(p.totalVariance), p.totalVarianceShare.map { ($0 > Quotient(0) ? "+" : "") + Show.percent($0) } ?? "—"]
            s += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return s + "\n" + end
    }

    /// The same block as HTML (cmark-gfm, the table's caption made).
    static func html(_ markdown: String) throws -> String {
        let inner = String(markdown.dropFirst(begin.count).dropLast(end.count))
        return begin + (inner.isEmpty ? "" : Charts.captions(try GFM.html(inner))) + end
    }
}

extension SiteBuilder {
    static func plansJSON(_ r: MonthReport) -> JSONValue {
        let list: [JSONValue] = PlannedLine.of(r).map { p in
            .object([("month", .string(p.month.description)), ("domain", .string(p.domain)), ("service_type", .string(p.serviceType)),
                     ("volume", .int(p.volume)), ("cost_per_outcome_usd", .money(p.costPerOutcome))])
        }
        return .array(list)
    }

    static func planVsActual(_ lines: [PlanActual]) -> CSVDocument {
        var d = CSVDocument(header: ["planned_in", "month", "service_type", "planned_volume", "actual_volume", "volume_variance",
                                     "planned_cost_per_outcome_usd", "actual_cost_per_outcome_usd", "cost_per_outcome_variance_usd",
                                     "planned_total_usd", "actual_total_usd", "total_variance_usd", "total_variance_share"])
        for p in lines {
            d.append([.text(p.plannedIn.description), .text(p.line.month.description), .text(p.line.serviceType), .int(p.line.volume),
                      .int(p.actualVolume), .int(p.volumeVariance), .money(p.line.costPerOutcome), .money(p.actualCostPerOutcome),
                      .money(p.costPerOutcomeVariance), .money(p.plannedTotal), .money(p.actualTotal), .money(p.totalVariance), .share(p.totalVarianceShare)])
        }
        return d
    }
}

extension PublishedMonth {
    /// "business type: on track; plan: behind".
    static func verdicts(_ checks: [(kind: String, verdict: String)]) -> String {
        checks.map { ($0.kind == "business_type" ? "business type" : $0.kind == "plan" ? "go-live plan" : $0.kind) + ": " + $0.verdict }
            .joined(separator: "; ")
    }
}
