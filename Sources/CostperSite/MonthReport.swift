// What one month's page says, as values: the accounts plus what comes from outside them
// (last month's figure, comparables, flags, alerts), and the Mustache context built from it.
import CostperMoney
import CostperVocabulary
import CostperCore

/// A published figure as the report shows it beside this month (filled by the comparables engine).
package struct ComparableLine: Sendable, Equatable, Codable {
    package var name: String
    package var domain: Domain
    /// The unit as the publication states it.
    package var unit: String
    package var basis: FigureBasis
    /// "$0.99", "$1.50–2.50".
    package var published: String
    /// The figure compared with (adjusted); nil for a figure in another unit, never compared.
    package var adjusted: Quotient?
    package var adjustment: String
    package var formula: String
    package var ratio: Quotient?
    /// This month is more than the threshold times this figure.
    package var exceeded: Bool
    package var kind: FigureKind
    package var disclosure: String
    package var citation: String
    package var secondarySource: String
    package var notes: String
    /// What the figure covers, how it is known, and when it was true (comparables.csv).
    package var scope: FigureScope = .operator_all_in
    package var tier: FigureTier = .disclosed
    package var asOf = AsOf.undated
    /// "older than 12 months at October 2026 (…)", "undated: …", or "".
    package var asOfNote = ""
    package var resolutionDefinition = ""
    /// Which of our figures it is compared with: "AI layer per AI resolution", "all-in per resolved ticket".
    package var ours = ""
    /// Shown for context: never sets the flag threshold.
    package var illustrative = false
    /// The vendor's price made all-in: price × our AI resolutions + our own human handling.
    package var buildOrBuy = false
    /// The publisher of the figure.
    package var publisher = ""
}

/// One line of the flag check: the month, a service type, a forecast line or a run rate; each
/// line once, whatever the number of comparables it exceeds.
package struct FlagLine: Sendable, Equatable, Codable {
    package enum Kind: String, Sendable, Codable, CodingKeyRepresentable { case ai_layer, actual, service_type, plan, run_rate }
    package var kind: Kind
    package var subject: String
    package var domain: Domain
    package var serviceType: String
    package var basis: FigureBasis
    package var value: Quotient
    package var state: LineState
    package var rule: FlagBasis
    /// The figure the rule compares with (median, highest or lowest adjusted comparable).
    package var ruleFigure: Quotient?
    package var ratio: Quotient?
    package var threshold: Quotient
    /// The comparables the line is more than the threshold times, with their ratios.
    package var exceeded: [ExceededComparable]
    package var comparableCount: Int
    /// Illustrative figures beside the line (never in the rule's figure), with its ratio to each.
    package var illustrative: [ExceededComparable] = []
    package var drivers: [FlagDriver]
    /// For plan and run-rate lines: the volume, the months, the monthly cost, the plan's own F.
    package var volume: Int64?
    package var months: [Month] = []
    package var monthlyCost: Quotient?
    package var planFixed: Money?
    /// For plan lines: the plan against our own actual in its unit, the driver it names, how its
    /// figure was made ("$0.95 + $2,500.00 ÷ 3,850 = $1.5994") and what it is counted per.
    package var reality: PlanReality?
    package var planDriver: String?
    package var planFigure: String?
    package var countedPer: String?

    package static func == (a: FlagLine, b: FlagLine) -> Bool {
        a.kind == b.kind && a.subject == b.subject && a.value == b.value && a.state == b.state && a.ratio == b.ratio
            && a.exceeded.map(\.name) == b.exceeded.map(\.name) && a.drivers == b.drivers && a.months == b.months
    }

    /// The figure shown beside the line: the rule's, else the first illustrative one (context only).
    package var shownFigure: Quotient? {
        ruleFigure ?? illustrative.first.flatMap { value.divided(by: $0.ratio) }
    }
    package var shownRatio: Quotient? { ratio ?? illustrative.first?.ratio }

    init(_ kind: Kind, _ c: Comparison) {
        self.kind = kind
        subject = c.subject.label
        domain = c.subject.domain
        serviceType = c.subject.serviceType
        basis = c.subject.basis
        value = c.subject.value
        state = c.state
        rule = c.rule.basis
        ruleFigure = c.ruleFigure
        ratio = c.ratio
        threshold = c.rule.threshold
        exceeded = c.exceeded.map { ExceededComparable(name: $0.comparable.name, ratio: $0.ratio ?? Quotient(0)) }
        comparableCount = c.checks.count
        illustrative = c.illustrative.map { ExceededComparable(name: $0.comparable.name, ratio: $0.ratio ?? Quotient(0)) }
        drivers = c.drivers
        volume = c.subject.scale?.volume
    }
}

/// Everything a month's page and files are made from.
package struct MonthReport: Sendable, Codable {
    /// The most rows any list of the page shows ("… and N more" says the rest; the CSVs keep all).
    package static let pageRowCap = 20
    package var accounts: MonthAccounts
    /// The latest earlier month's cost per resolved ticket, when the site holds one.
    package var previousCostPerResolved: Quotient?
    package var previousMonth: Month?
    /// The months of the site before this one (as their summary.json says).
    package var earlier: [PublishedMonth] = []
    /// This month against each published figure of its domain.
    package var comparables: [ComparableLine] = []
    package var comparablesNote = ""
    /// Every line of the flag check, once: the month, its service types, the plan, the run rates.
    package var lines: [FlagLine] = []
    /// The lines flagged.
    package var flags: [FlagLine] { lines.filter { $0.state == .flagged } }
    package var rule = ComparisonRule()
    package var ruleSentence = ""
    package var scale: ScaleBasis?
    package var alertReport = AlertReport()
    /// Margin by tenant, when revenue is given (revenue.csv or [pricing]).
    package var margins: MarginTable?
    /// The month split into the AI layer and human handling, build or buy, the baseline and the savings.
    package var economics: MonthEconomics?
    /// The month's resolution rates against the business type and the go-live plan.
    package var resolution = ResolutionReview()
    /// The headline, the saving and the flags under the key assumptions (nil in records made before it).
    package var sensitivity: [SensitivityRow]?
    package var alerts: [Alert] { alertReport.alerts }
    /// The cost categories furthest above the reference stack (sentences).
    package var drivers: [String] = []
    package var references: [ReferenceRange] = []
    /// The reference stack's cost of one ticket, in the month's currency: set when the month is
    /// rendered, from the record's benchmark register (the record does not store it twice).
    package var referenceStackPerTicket: Quotient?
    /// Codes shown by name: service types (from the reference table), segments, outcomes.
    package var serviceTypeLabels: [String: String] = [:]
    /// When the report was prepared: SOURCE_DATE_EPOCH when set, else the latest request (never the wall clock).
    package var prepared: ReportClock?
    package var costperVersion: String
    package var cmarkVersion: String
    /// The PDF and workbook published beside the page, and the inputs' hash (BoardPack.swift).
    package var pack = BoardPack()

    init(accounts: MonthAccounts, costperVersion: String, cmarkVersion: String) {
        self.accounts = accounts
        self.costperVersion = costperVersion
        self.cmarkVersion = cmarkVersion
    }

    /// The whole month's report: its accounts, last month's figure, when it was prepared, its
    /// alerts, and the comparables review.
    package init(accounts: MonthAccounts, versions: (costper: String, cmark: String), previous: PublishedMonth?, prepared: ReportClock?,
                alerts: AlertReport, review: ComparablesReview, references: [ReferenceRange]) {
        self.init(accounts: accounts, costperVersion: versions.costper, cmarkVersion: versions.cmark)
        if let previous {
            previousMonth = previous.month
            previousCostPerResolved = previous.costPerResolved
        }
        self.prepared = prepared
        alertReport = alerts
        apply(review, references: references)
    }

    /// Fills the comparables and the flag check from a review of this month.
    /// How the month's amounts are written: in its reporting currency.
    package var show: AmountFormat { accounts.show }

    mutating func apply(_ review: ComparablesReview, references: [ReferenceRange]) {
        self.references = references
        serviceTypeLabels = review.serviceTypeLabels
        rule = review.rule
        ruleSentence = review.rule.basis.sentence(review.rule.threshold)
        scale = review.actualBasis
        drivers = review.actual?.drivers.map { $0.sentence(show) } ?? []
        economics = review.economics
        let month = accounts.month
        func line(_ p: PublishedFigure, ours: String) -> ComparableLine {
            var l = ComparableLine(name: p.name, domain: p.domain, unit: p.unit, basis: p.basis,
                                   published: p.publishedText(show) + (p.publishedAs.map { " (published in USD: \($0))" } ?? ""), adjusted: nil,
                                   adjustment: "", formula: "", ratio: nil, exceeded: false,
                                   kind: p.citation.kind, disclosure: p.citation.disclosure, citation: p.citation.text,
                                   secondarySource: p.citation.secondarySource, notes: p.notes)
            l.scope = p.scope; l.tier = p.tier; l.asOf = p.asOf; l.asOfNote = p.asOf.note(at: month) ?? ""
            l.resolutionDefinition = p.resolutionDefinition; l.ours = ours; l.illustrative = p.isIllustrative; l.publisher = p.citation.publisher
            return l
        }
        func checked(_ c: ComparableCheck, ours: String) -> ComparableLine {
            var l = line(c.comparable, ours: ours)
            l.adjusted = c.adjusted; l.adjustment = c.adjustment.sentence; l.formula = c.adjustment.formula; l.ratio = c.ratio
            l.exceeded = c.exceeds && !l.illustrative; l.buildOrBuy = c.buildOrBuy
            return l
        }
        comparables = []
        if let ai = review.aiLayer {
            comparables += ai.checks.map { checked($0, ours: "AI layer per AI resolution") }
        }
        if let actual = review.actual {
            comparables += actual.checks.map { checked($0, ours: "all-in per resolved ticket") }
            comparables += actual.illustrative.map { checked($0, ours: "all-in per resolved ticket") }
            comparables += actual.otherScopes.map { p in
                var l = line(p, ours: "")
                l.adjustment = "not compared: \(p.scope.label), not an all-in cost"
                return l
            }
            comparables += actual.otherUnits.map { p in
                var l = line(p, ours: "")
                l.adjustment = "not compared: counted \(p.basis.label), not \(actual.subject.basis.label)"
                return l
            }
        }
        if let b = review.actualBasis {
            comparablesNote = "A figure whose variable part is known is compared at your scale: this month's volume (\(Show.count(b.volume)) resolved tickets) and fixed monthly cost (\(show.amount(b.fixedMonthly.dollars)), \(b.fixedSource)), the same for every line; a vendor margin is taken off where estimated; a range is compared at its top."
        }
        lines = (review.aiLayer.map { [FlagLine(.ai_layer, $0)] } ?? []) + (review.actual.map { [FlagLine(.actual, $0)] } ?? [])
            + review.serviceTypes.map { FlagLine(.service_type, $0) }
        lines += review.plans.map { p in
            var l = FlagLine(.plan, p.comparison)
            l.months = [p.plan.month]
            l.monthlyCost = p.plan.allIn.times(Quotient(numerator: Int128(p.plan.volume), denominator: 1))
            l.planFixed = p.plan.fixedMonthly
            l.reality = p.reality
            l.planDriver = p.plan.driver
            l.planFigure = p.plan.allInSentence(show)
            l.countedPer = p.plan.countedPer
            return l
        }
        lines += review.runRates.map { r in
            var l = FlagLine(.run_rate, r.comparison)
            l.months = r.months
            l.monthlyCost = r.monthly
            return l
        }
    }

    package var change: Quotient? {
        guard let prev = previousCostPerResolved, prev > Quotient(0), let now = accounts.costPerResolved,
              let r = now.divided(by: prev) else { return nil }
        return r.minus(Quotient(1))
    }
}

/// The Mustache context of the report template. Every value is text already made safe for
/// Markdown (data-derived names are escaped), so templates use `{{{triple}}}` braces.
package enum ReportContext {
    package static func make(_ r: MonthReport) -> [String: Any] {
        let show = r.accounts.show
        let a = r.accounts
        // Text from data goes in raw: the report template escapes {{tags}} for Markdown (SafeText.markdown).
        let md: (String) -> String = { $0 }
        var c: [String: Any] = [:]
        c["company"] = md(a.config.company)
        c["month"] = a.month.description
        c["month_title"] = a.month.title
        c["cost_per_resolved"] = show.unit(a.costPerResolved)
        c["cost_per_ticket"] = show.unit(a.costPerTicket)
        c["total_cost"] = show.amount(a.total)
        c["tickets"] = Show.count(a.tickets)
        c["resolved_tickets"] = Show.count(a.resolvedTickets)
        c["requests"] = Show.count(a.requests)
        c["resolved_outcomes"] = a.config.resolvedOutcomes.map(\.rawValue).joined(separator: ", ")
        c["resolved_labels"] = a.config.resolvedOutcomes.map { "\u{201C}" + $0.label + "\u{201D}" }.joined(separator: " or ")
        c["deflected_rule"] = a.config.resolvedOutcomes.contains(.deflected)
            ? "a deflected ticket (answered by self-service, no agent) counts as resolved."
            : "a deflected ticket (answered by self-service, no agent) does not count as resolved, though its cost is in the total."
        c["data_as_of"] = a.latestRequest.map { Scalars.formatUTC($0) } ?? "—"
        // Human review against the human baseline: the same loaded basis, or the difference said.
        let b = a.config.baseline
        let own = r.economics?.baseline ?? a.humanBaseline
        if b.costPerResolved == nil, b.loadedAnnual == nil, own.own != nil {
            c["review_basis"] = "The human baseline uses the same loaded rate, over the month's handle time per human-handled ticket."
        } else if b.costPerResolved != nil {
            c["review_basis"] = "The human baseline is a figure given in costper.toml, not derived from this loaded rate."
        } else if let annual = b.loadedAnnual, annual == a.config.reviewerLoadedAnnual, b.hours == a.config.productiveHoursPerYear {
            c["review_basis"] = "The human baseline uses the same loaded cost and productive hours."
        } else if let annual = b.loadedAnnual {
            c["review_basis"] = "The human baseline uses a different basis: \(show.amount(annual, decimals: 0)) loaded a year over \(Show.grouped(b.hours.formatted(decimals: 0))) productive hours."
        } else {
            c["review_basis"] = "The human baseline is costper's default figure, not derived from this loaded rate."
        }
        c["hidden_share"] = Show.percent(a.hiddenShare)
        c["visible_share"] = Show.percent(a.hiddenShare.map { Quotient(1).minus($0) })
        c["baseline"] = show.unit(a.baseline.cost)
        c["baseline_source"] = a.baseline.source  // costper's own sentence, not data
        c["savings_share"] = Show.percent(a.savingsShare)
        c["has_savings"] = a.savingsShare != nil
        if let change = r.change, let prev = r.previousMonth {
            let up = change > Quotient(0)
            c["change"] = (up ? "up " : change == Quotient(0) ? "unchanged, " : "down ") + Show.percent(up || change == Quotient(0) ? change : Quotient(0).minus(change))
                + " from " + prev.title + " (" + show.unit(r.previousCostPerResolved) + ")"
        } else {
            c["change"] = "no earlier month in this site"
        }
        c["flag_count"] = String(r.flags.count)
        c["line_count"] = String(r.lines.count)
        c["prepared"] = r.prepared.map { Scalars.formatUTC($0.seconds) } ?? "—"
        c["prepared_source"] = r.prepared?.source ?? "no request in the month"
        // Sign-off ([report] prepared_by, reviewed_by, status): names as the settings give them.
        let signOff = a.config.signOff
        c["has_sign_off"] = signOff != nil
        c["prepared_by"] = signOff?.preparedBy ?? "not stated"
        c["reviewed_by"] = signOff?.reviewedBy ?? "not yet reviewed"
        c["status"] = signOff?.status.map { $0 == .draft ? "Draft: not for circulation" : "Final" } ?? "status not stated"
        let materiality = Alerts.materiality(a)
        let belowMateriality = r.alerts.filter { !$0.isMaterial(materiality) }
        c["alert_count"] = String(r.alerts.count) + (belowMateriality.isEmpty ? "" : " (\(belowMateriality.count) below materiality)")
        c["has_resolved"] = a.resolvedTickets > 0

        // Every figure rounded once; a table whose printed rows miss its printed total shows a
        // Rounding row with the difference (DisplayRounding).
        let categoryCosts = CostCategory.allCases.map { a.costByCategory[$0] ?? .zero }
        let categoryUSD = DisplayRounding.usd(categoryCosts, total: a.total, in: show)
        let categoryShares = DisplayRounding.percents(categoryCosts.map { a.share(of: $0) })
        let categoryPer = DisplayRounding.perTicket(categoryCosts.map { $0.quotient(per: a.resolvedTickets) }, total: a.costPerResolved, in: show)
        c["categories"] = CostCategory.allCases.enumerated().map { i, cat -> [String: Any] in
            // Human review not measured (a help-desk export without review minutes) is said, never $0.
            let unmeasured = cat == .human_review && !a.humanReviewMeasured
            return ["key": cat.rawValue, "title": cat.title, "cost": unmeasured ? SiteText.notMeasured : categoryUSD.rows[i],
                    "share": unmeasured ? SiteText.notMeasured : categoryShares.rows[i],
                    "per_resolved": unmeasured ? SiteText.notMeasured : categoryPer.rows[i], "layer": cat.isVisible ? "model API bill" : "beyond the model API bill"]
        }
        c["category_total"] = categoryUSD.total
        c["category_per_resolved_total"] = categoryPer.total
        c["category_rounding"] = DisplayRounding.roundingRow(["cost": categoryUSD, "share": categoryShares, "per_resolved": categoryPer])
        let outcomeCosts = a.reportedOutcomes.map { a.outcomeCost[$0] ?? .zero }
        let outcomeUSD = DisplayRounding.usd(outcomeCosts, total: Money(nanos: outcomeCosts.reduce(0) { $0 &+ $1.nanos }), in: show)
        let outcomeShares = DisplayRounding.percents(a.reportedOutcomes.map { o in
            a.tickets > 0 ? Quotient(numerator: Int128(a.outcomes[o] ?? 0), denominator: Int128(a.tickets)) : nil
        })
        let outcomePer = DisplayRounding.perTicket(a.reportedOutcomes.map { (a.outcomeCost[$0] ?? .zero).quotient(per: a.outcomes[$0] ?? 0) }, total: nil, in: show)
        c["outcomes"] = a.reportedOutcomes.enumerated().map { i, o -> [String: Any] in
            ["outcome": o.label, "tickets": Show.count(a.outcomes[o] ?? 0), "share": outcomeShares.rows[i],
             "cost": outcomeUSD.rows[i], "cost_per_ticket": outcomePer.rows[i],
             "resolved": a.config.resolvedOutcomes.contains(o) ? "yes" : "no"]
        }
        c["outcome_tickets_total"] = Show.count(a.tickets)
        c["outcome_cost_total"] = outcomeUSD.total
        c["outcome_rounding"] = DisplayRounding.roundingRow(["cost": outcomeUSD, "share": outcomeShares])
        c["attribution"] = a.attribution.map { t -> [String: Any] in attributionContext(t, a, labels: r.serviceTypeLabels) }
        for (k, v) in ModelLeverReport.context(a, labels: r.serviceTypeLabels) { c[k] = v }

        c["has_comparables"] = !r.comparables.isEmpty
        c["comparables_note"] = SafeText.markdown(r.comparablesNote, limit: 2_000)  // costper's own sentence, with names from data
        c["comparables"] = r.comparables.map { l -> [String: Any] in
            ["name": l.name, "unit": l.unit, "basis": l.basis.label, "published": l.published, "kind": l.kind.label,
             "adjusted": show.unit(l.adjusted), "formula": l.formula.isEmpty ? l.adjustment : l.formula, "adjustment": l.adjustment,
             "ratio": Show.ratio(l.ratio, threshold: r.rule.threshold),
             "exceeded": l.adjusted == nil ? "not compared" : l.illustrative ? "context only" : l.exceeded ? "**yes**" : "no", "source": l.citation, "disclosure": l.disclosure,
             "scope": l.scope.short, "tier": l.tier.label, "as_of": l.asOf.text,
             "ours": l.ours.isEmpty ? "—" : l.ours, "publisher": l.publisher,
             "figure_by": l.publisher.isEmpty || l.name.contains(l.publisher) ? l.name : "\(l.name) (\(l.publisher))"]
        }
        // Each published figure's source once, whatever the number of lines it is compared on.
        // Figures of one publication (the same citation, disclosure and date) share one line.
        var groups: [(names: [String], line: ComparableLine)] = []
        for l in r.comparables {
            if let i = groups.firstIndex(where: { $0.line.citation == l.citation && $0.line.disclosure == l.disclosure && $0.line.asOf == l.asOf }) {
                if !groups[i].names.contains(l.name) { groups[i].names.append(l.name) }
            } else {
                groups.append(([l.name], l))
            }
        }
        c["comparable_sources"] = groups.map { g -> [String: Any] in
            // Escaped here with the register's own length limit: a publication's address is never cut.
            ["name": g.names.joined(separator: "; "), "source": SafeText.markdown(g.line.citation, limit: 2_000), "disclosure": g.line.disclosure,
             "as_of_sentence": g.line.asOf.sentence(at: a.month)]
        }
        c["rule_sentence"] = r.ruleSentence
        c["reference_stack_ticket"] = r.show.unit(r.referenceStackPerTicket)
        c["has_drivers"] = !r.drivers.isEmpty
        c["drivers"] = r.drivers.map { ["text": md($0)] }
        let serviceTypes = r.lines.filter { $0.kind == .service_type }
        c["has_service_type_checks"] = !serviceTypes.isEmpty
        c["service_type_checks"] = serviceTypes.map { l -> [String: Any] in
            ["service_type": r.serviceTypeLabels[l.serviceType] ?? l.serviceType, "value": show.unit(l.value), "reference": show.unit(l.shownFigure),
             "ratio": Show.ratio(l.shownRatio, threshold: l.threshold), "state": l.state == .flagged ? "**flagged**" : l.state.label]
        }
        c["has_references"] = !r.references.isEmpty
        c["references"] = r.references.map { x -> [String: Any] in
            let range: String
            if let lo = x.low, let hi = x.high { range = show.unit(lo.dollars) + "–" + show.unit(hi.dollars) } else { range = x.figure.map { show.unit($0.dollars) } ?? "—" }
            return ["label": md(x.label), "unit": md(x.unit), "range": range, "source": md(x.citation.disclosure), "notes": md(x.notes)]
        }
        c["has_lines"] = !r.lines.isEmpty
        c["lines_checked"] = Show.count(r.lines.filter { $0.state == .flagged || $0.state == .within || $0.state == .watch }.count)
        c["more_lines"] = r.lines.count > MonthReport.pageRowCap ? Show.count(r.lines.count - MonthReport.pageRowCap) : false
        c["lines"] = r.lines.prefix(MonthReport.pageRowCap).map { l -> [String: Any] in
            ["subject": l.subject, "domain": l.domain.rawValue, "basis": l.basis.label, "value": show.unit(l.value),
             "rule_figure": show.unit(l.ruleFigure), "ratio": Show.ratio(l.ratio, threshold: l.threshold),
             "state": l.state == .flagged ? "**flagged**" : l.state.label,
             "exceeded": l.exceeded.isEmpty ? "—" : l.exceeded.map { "\($0.name) (\(Show.ratio($0.ratio, threshold: l.threshold)))" }.joined(separator: ", "),
             // Each illustrative figure by its value (named in the tables below): short enough for a printed row.
             "context": l.illustrative.isEmpty ? "—" : l.illustrative.map { "\(show.unit(l.value.divided(by: $0.ratio))) (\(Show.ratio($0.ratio, threshold: l.threshold)))" }.joined(separator: ", "),
             "drivers": l.drivers.isEmpty ? "—" : l.drivers.map(\.name).joined(separator: ", ")]
        }
        // Every list on the page is capped (the CSVs keep every row): 100k endpoints once gave
        // 100k drift alerts and a 58 MB page.
        let cap = MonthReport.pageRowCap
        func more(_ n: Int) -> Any { n > cap ? Show.count(n - cap) : false }   // "" would be truthy
        // The material alerts in the table, each with its dollars this month; those below
        // materiality named in one line under it.
        let material = r.alerts.filter { $0.isMaterial(materiality) }
        c["has_alerts"] = !material.isEmpty
        c["more_alerts"] = more(material.count)
        c["alerts"] = material.prefix(cap).map { l -> [String: Any] in
            ["kind": md(l.kind.rawValue.replacingOccurrences(of: "_", with: " ")), "subject": md(l.subject), "severity": l.severity.rawValue, "value": md(l.value),
             "threshold": md(l.threshold), "impact": l.impact.map { show.amount($0) } ?? "—",
             // A sentence of ours around the input's names: escaped here, never cut at an input field's length.
             "message": SafeText.markdown(l.message, limit: 2_000)]
        }
        c["materiality"] = show.amount(materiality) + (a.config.alerts.minImpact == nil ? " a month, 0.5% of the month's cost" : " a month, as set")
        // Sensitivity: each assumption at its low, base and high value.
        let rows = r.sensitivity ?? []
        c["has_sensitivity"] = !rows.isEmpty
        c["sensitivity"] = rows.map { x -> [String: Any] in
            func three(_ v: [Quotient?], _ f: (Quotient) -> String) -> String {
                v.allSatisfy({ $0 == nil }) ? "—" : v.map { $0.map(f) ?? "—" }.joined(separator: " / ")
            }
            return ["assumption": x.assumption, "low": x.values[0], "base": x.values[1], "high": x.values[2], "source": x.source,
                    "headline": three(x.headline) { show.unit($0) }, "saving": three(x.saving) { show.amount($0) },
                    "flags": x.flags.allSatisfy({ $0 == nil }) ? "—" : x.flags.map { $0.map { Show.count($0) } ?? "—" }.joined(separator: " / ")]
        }
        c["has_below_materiality"] = !belowMateriality.isEmpty
        c["more_below_materiality"] = more(belowMateriality.count)
        c["below_materiality"] = belowMateriality.prefix(cap).enumerated().map { i, l -> [String: Any] in
            ["kind": md(l.kind.rawValue.replacingOccurrences(of: "_", with: " ")), "subject": md(l.subject),
             "impact": l.impact.map { show.amount($0) } ?? "—", "sep": i == min(belowMateriality.count, cap) - 1 ? "." : ";"]
        }
        let ar = r.alertReport
        if let d = ar.distribution {
            c["distribution"] = ["tickets": Show.count(d.tickets), "p50": show.unit(d.p50.dollars), "p95": show.unit(d.p95.dollars),
                                 "p99": show.unit(d.p99.dollars), "max": show.unit(d.max.dollars), "above_p99": Show.count(d.aboveP99),
                                 "above_p99_cost": show.amount(d.aboveP99Cost), "above_p99_share": Show.percent(d.aboveP99Share),
                                 "outliers": d.outliers.map { ["ticket": md($0.id), "cost": show.unit($0.cost.dollars), "requests": Show.count($0.requests)] },
                                 "has_outliers": !d.outliers.isEmpty] as [String: Any]
        }
        c["has_budgets"] = !ar.budgets.isEmpty
        c["more_budgets"] = more(ar.budgets.count)
        c["budgets"] = ar.budgets.prefix(cap).map { b -> [String: Any] in
            ["tenant": md(b.tenant), "budget": show.amount(b.budget), "spent": show.amount(b.spent), "share": Show.percent(b.share), "state": b.state.rawValue]
        }
        c["has_drift"] = !ar.drift.isEmpty
        c["more_drift"] = more(ar.drift.count)
        c["drift"] = ar.drift.prefix(cap).map { d -> [String: Any] in
            ["endpoint": md(d.endpoint), "previous": md(d.previous), "newest": md(d.newest),
             "previous_cost": show.unit(d.previousCostPerRequest), "newest_cost": show.unit(d.newestCostPerRequest),
             "cost_change": Show.percent(d.costChange), "previous_tokens": Show.grouped(d.previousTokensPerRequest.formatted(decimals: 0)),
             "newest_tokens": Show.grouped(d.newestTokensPerRequest.formatted(decimals: 0)), "token_change": Show.percent(d.tokenChange)]
        }
        c["median_hour"] = Show.count(ar.medianHour)
        let plan = r.lines.filter { $0.kind == .plan || $0.kind == .run_rate }
        c["has_forecast"] = !plan.isEmpty
        c["more_forecast"] = more(plan.count)
        c["forecast"] = plan.prefix(cap).map { l -> [String: Any] in
            ["label": l.kind == .plan ? "plan" : "run rate", "month": l.months.map(\.description).joined(separator: ", "), "domain": l.domain.rawValue,
             "service_type": l.serviceType.isEmpty ? "all" : r.serviceTypeLabels[l.serviceType] ?? l.serviceType,
             "volume": l.volume.map { Show.count($0) } ?? "—", "cost_per_outcome": show.unit(l.value),
             "ratio": Show.ratio(l.shownRatio, threshold: l.threshold), "rule_figure": show.unit(l.shownFigure),
             "state": l.state == .flagged ? "**flagged**" : l.state.label,
             "monthly_cost": l.monthlyCost.map { show.amount($0) } ?? "—",
             "plan_fixed": l.kind == .run_rate ? "—" : l.planFixed.map { $0.nanos == 0 ? "none stated (excluded)" : show.amount($0) + " (included)" } ?? "none stated (excluded)"]
        }
        // Each plan line against our own actual in its unit, and the change it makes.
        let planLines = r.lines.filter { $0.kind == .plan }
        let allowed = a.config.planChangeAllowed
        c["has_plan_reality"] = !planLines.isEmpty
        c["plan_change_allowed"] = Show.percent(allowed)
        c["plan_reality"] = planLines.prefix(cap).map { l -> [String: Any] in
            let x = l.reality
            let change: String
            if let ch = x?.change {
                change = ch < Quotient(0) ? Show.percent(Quotient(0).minus(ch)) + " below" : Show.percent(ch) + " above"
            } else { change = "—" }
            let state: String
            if x?.unexplained == true { state = "**more than \(Show.percent(allowed)) with no driver**" }
            else if x?.change == nil { state = "not compared" }
            else if (l.planDriver ?? "").isEmpty { state = "within \(Show.percent(allowed))" }
            else { state = "driver named" }
            return ["month": l.months.map(\.description).joined(separator: ", "),
                    "service_type": l.serviceType.isEmpty ? "all" : r.serviceTypeLabels[l.serviceType] ?? l.serviceType,
                    "counted_per": l.countedPer ?? "—", "volume": l.volume.map { Show.count($0) } ?? "—",
                    "plan_figure": l.planFigure ?? show.unit(l.value), "ours": x?.ours.map { show.unit($0) } ?? "—",
                    "ours_label": x?.oursLabel ?? "—", "change": change, "driver": md((l.planDriver ?? "").isEmpty ? "none named" : l.planDriver!),
                    "reality_state": state]
        }
        // Lines within 1% of the limit: not flagged, but named.
        let watch = r.lines.filter { $0.state == .watch }
        c["has_watch"] = !watch.isEmpty
        c["watch"] = watch.map { l -> [String: Any] in
            ["subject": md(l.subject), "ratio": Show.ratio(l.shownRatio, threshold: l.threshold), "rule_figure": show.unit(l.shownFigure)]
        }
        SiteBuilder.forwardContext(r, into: &c)
        c["scale_fixed_headline"] = r.scale.map { show.amount($0.fixedMonthly) + ($0.assumed ? " (assumed: costper.toml default)" : " (this month's fixed costs)") } ?? "—"
        c["scale_fixed"] = r.scale.map { show.amount($0.fixedMonthly) + " a month (" + $0.fixedSource + ")" } ?? "—"

        // Data quality.
        c["more_files"] = more(a.files.count)
        c["files"] = a.files.prefix(cap).map { f -> [String: Any] in
            ["file": md(f.file), "reader": md(f.reader), "rows": Show.count(f.rowsRead), "accepted": Show.count(f.accepted),
             "rejected": Show.count(f.rejected), "outside": Show.count(f.outsideMonth)]
        }
        c["rejected_rows"] = Show.count(a.rejectedRows)
        c["has_rejects"] = !a.rejects.isEmpty
        c["first_rejects"] = a.rejects.prefix(20).map { ["message": md($0.message)] }
        c["more_rejects"] = a.rejects.count > 20 ? Show.count(a.rejects.count - 20) : false   // "" would be truthy
        c["orphan_requests"] = Show.count(a.orphanRequests)
        c["orphan_tickets"] = Show.count(a.orphanTickets)
        c["orphan_cost"] = show.amount(a.orphanCost)
        c["rounded_costs"] = Show.count(a.roundedCosts)
        c["priced_from_catalog"] = Show.count(a.pricedFromCatalog)
        c["price_source"] = md(a.priceSource)
        c["notices"] = a.notices.prefix(cap).map { ["text": md($0)] }
        c["more_notices"] = more(a.notices.count)
        c["has_notices"] = !a.notices.isEmpty

        // Method.
        c["review_rate_hour"] = show.amount(a.config.reviewCostPerMinute.times(Quotient(60)))
        c["reviewer_annual"] = show.amount(a.config.reviewerLoadedAnnual, decimals: 0)
        c["productive_hours"] = Show.grouped(a.config.productiveHoursPerYear.formatted(decimals: 0))
        c["review_minutes"] = Show.grouped(a.reviewMinutes.formatted(decimals: 1))
        c["review_measured"] = a.humanReviewMeasured
        c["review_not_measured"] = a.humanReviewNotMeasured.map { SafeText.markdown($0, limit: 2_000) } ?? ""
        c["has_outcomes_from_traces"] = a.outcomesFromTraces != nil
        c["outcomes_from_traces"] = a.outcomesFromTraces.map { SafeText.markdown($0, limit: 2_000) } ?? ""
        c["flag_ratio"] = Show.ratio(a.config.flagRatio)
        let fixedLines = a.fixedCosts.filter(\.isFixed), gapLines = a.fixedCosts.filter { !$0.isFixed }
        c["gap_lines"] = gapLines.map { show.amount($0.amount) + " (" + md($0.name) + ")" }.joined(separator: "; ")
        c["has_gap_lines"] = !gapLines.isEmpty
        c["fixed_costs"] = fixedLines.enumerated().map { i, f -> [String: Any] in
            ["name": md(f.name), "category": f.category.rawValue, "amount": show.amount(f.amount), "sep": i == fixedLines.count - 1 ? "." : "; "]
        }
        c["has_fixed_costs"] = !fixedLines.isEmpty
        c["assumptions"] = SiteBuilder.assumptionRows(r)
        OutcomeContext.add(to: &c, r)
        QualityContext.add(to: &c, r)
        EconomicsContext.add(to: &c, r)
        BillsContext.add(to: &c, r)
        c["costper_version"] = md(r.costperVersion)
        c["cmark_version"] = md(r.cmarkVersion)
        return c
    }

    /// Segment codes as finance names them.
    static let segmentLabels = ["smb": "Small business", "small_business": "Small business", "mid_market": "Mid-market", "midmarket": "Mid-market",
                                "enterprise": "Enterprise", "consumer": "Consumer"]

    /// A row's name: a known code by its label, any other value as it is.
    static func displayLabel(_ r: AttributionRow, _ t: AttributionTable, serviceTypes: [String: String]) -> String {
        guard case .value(let v) = r.group else { return r.label }
        switch t.dimension {
        case .outcome: return Outcome(rawValue: v)?.label ?? v
        case .service_type: return serviceTypes[v] ?? v
        case .segment: return segmentLabels[v] ?? v
        default: return v
        }
    }

    static func attributionContext(_ t: AttributionTable, _ a: MonthAccounts, labels: [String: String] = [:]) -> [String: Any] {
        let show = a.show
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
        let shown = rows + (rest.map { [$0] } ?? [])
        let costs = DisplayRounding.usd(shown.map(\.cost), total: t.total, in: show)
        let shares = DisplayRounding.percents(shown.map { a.share(of: $0.cost) })
        let perColumn: PrintedColumn
        if t.level == .ticket {
            perColumn = DisplayRounding.perTicket(shown.map(\.costPerResolved), total: nil, in: show)
        } else {
            // Each row's share of the cost per resolved ticket: the rows add up to it.
            perColumn = DisplayRounding.perTicket(shown.map { $0.cost.quotient(per: a.resolvedTickets) }, total: t.total.quotient(per: a.resolvedTickets), in: show)
        }
        func row(_ i: Int, _ r: AttributionRow, escapeLabel: Bool) -> [String: Any] {
            ["label": escapeLabel ? SafeText.markdown(displayLabel(r, t, serviceTypes: labels)) : r.label,
             "tickets": r.tickets.map(Show.count) ?? "—", "resolved": r.resolved.map(Show.count) ?? "—",
             "requests": Show.count(r.requests), "cost": costs.rows[i], "share": shares.rows[i],
             "per_resolved": perColumn.rows[i],
             "tokens_per_request": r.tokensPerRequest.map { Show.grouped($0.formatted(decimals: 0)) } ?? "—"]
        }
        var list = rows.enumerated().map { row($0.offset, $0.element, escapeLabel: true) }
        if let rest { list.append(row(rows.count, rest, escapeLabel: false)) }
        return ["title": t.title, "dimension": t.dimension, "dimension_title": t.title.lowercased(),
                "per_resolved_title": t.level == .ticket ? "Cost per resolved ticket" : "Share of cost per resolved ticket",
                "is_ticket_level": t.level == .ticket, "rows": list, "total": costs.total,
                "rounding": DisplayRounding.roundingRow(t.level == .ticket ? ["cost": costs, "share": shares, "per_resolved": PrintedColumn(rows: [], total: "", rounding: nil)] : ["cost": costs, "share": shares, "per_resolved": perColumn]),
                "per_resolved_total": t.level == .ticket ? "" : "**" + perColumn.total + "**",
                "csv": "by_\(t.dimension).csv", "complete_count": Show.count(t.rows.count), "truncated": rest != nil,
                "has_chart": t.dimension == .tenant && !t.rows.isEmpty, "chart": "chart-tenants.svg", "chart_alt": "Top tenants by cost"]
    }
}

/// A comparable a flag line is more than the threshold times, with the ratio.
package struct ExceededComparable: Sendable, Equatable, Codable {
    package var name: String
    package var ratio: Quotient
}
