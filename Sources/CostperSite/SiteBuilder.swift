// Builds every file of a month's report, and the site index, as bytes: no file system here.
import CostperMoney
import CostperVocabulary
import CostperCore
import GFM
import Mustache

/// The report's templates (Markdown report, HTML layout, site index, stylesheet).
package struct TemplateSet: Sendable {
    package var report: MustacheTemplate
    package var layout: MustacheTemplate
    package var index: MustacheTemplate
    package var stylesheet: String

    /// Parses template texts; an error names the template file and line.
    package init(report: String, layout: String, index: String, stylesheet: String, folder: String = "Templates") throws(CostperError) {
        func parse(_ text: String, _ name: String) throws(CostperError) -> MustacheTemplate {
            // The parser recurses per nested section: 100,000 of them overflowed the stack.
            if let line = TemplateSet.lineOverNestingLimit(text) {
                throw CostperError(.badData, "\(folder)/\(name):\(line): template error: sections nested more than \(TemplateSet.maxNesting) deep")
            }
            if text.utf8.contains(0) {
                let line = text.utf8.prefix { $0 != 0 }.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                throw CostperError(.badData, "\(folder)/\(name):\(line): template error: a NUL byte: settings and templates are text")
            }
            do {
                return try MustacheTemplate(string: text)
            } catch let e as MustacheTemplate.ParserError {
                throw CostperError(.badData, "\(folder)/\(name):\(e.context.lineNumber): column \(e.context.columnNumber): template error: \(e.error)")
            } catch {
                throw CostperError(.badData, "\(folder)/\(name): template error: \(error)")
            }
        }
        TemplateSet.registerContentTypes
        // {{tags}} escape by default: for Markdown in the report, for HTML in the page and the
        // index; {{{tags}}} mark the few blocks costper renders itself (numbers, the page body,
        // charts). The pragma goes on the first line, so line numbers in errors stay true.
        // A tag naming no value costper gives would print as nothing: refused with its line.
        self.report = try parse("{{% CONTENT_TYPE: COSTPER_MARKDOWN}}" + report, TemplateFile.report)
        self.layout = try parse("{{% CONTENT_TYPE: COSTPER_HTML}}" + layout, TemplateFile.layout)
        self.index = try parse("{{% CONTENT_TYPE: COSTPER_HTML}}" + index, TemplateFile.index)
        try TemplateTags.check(report, file: "\(folder)/\(TemplateFile.report)", known: TemplateTags.report)
        try TemplateTags.check(layout, file: "\(folder)/\(TemplateFile.layout)", known: TemplateTags.layout)
        try TemplateTags.check(index, file: "\(folder)/\(TemplateFile.index)", known: TemplateTags.index)
        self.stylesheet = stylesheet
    }
}

extension TemplateSet {
    /// The deepest nesting of sections (`{{#…}}`, `{{^…}}`, `{{$…}}`, `{{<…}}`) a template may have.
    package static let maxNesting = 100

    /// The line where a template's sections nest deeper than `maxNesting`, or nil. Follows set-
    /// delimiter tags (`{{=<% %>=}}`) as the parser does, so they cannot hide a section.
    static func lineOverNestingLimit(_ text: String) -> Int? {
        let b = Array(text.utf8)
        var open: [UInt8] = Array("{{".utf8), close: [UInt8] = Array("}}".utf8)
        var depth = 0, line = 1, i = 0
        func at(_ p: Int, _ s: [UInt8]) -> Bool {
            guard p + s.count <= b.count, !s.isEmpty else { return false }
            for k in 0..<s.count where b[p + k] != s[k] { return false }
            return true
        }
        while i < b.count {
            if b[i] == 0x0A { line += 1; i += 1; continue }
            guard at(i, open) else { i += 1; continue }
            var p = i + open.count
            while p < b.count && (b[p] == 0x20 || b[p] == 0x09) { p += 1 }
            let sigil = p < b.count ? b[p] : 0
            // The tag's end (a triple mustache ends with "}" and the close delimiter).
            var end = p
            while end < b.count && !at(end, close) { if b[end] == 0x0A { line += 1 }; end += 1 }
            switch sigil {
            case UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "<"):
                depth += 1
                if depth > maxNesting { return line }
            case UInt8(ascii: "/"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "="):
                // {{=<% %>=}}: the new delimiters, separated by white space, before "=".
                var inner = Array(b[(p + 1)..<end])
                if inner.last == UInt8(ascii: "=") { inner.removeLast() }
                let parts = inner.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A })
                if parts.count == 2 { let was = close.count; open = Array(parts[0]); close = Array(parts[1]); i = end + was; continue }
            default: break
            }
            i = end + close.count
        }
        return nil
    }
}

/// Data text as literal Markdown (the report) or HTML text (the page, the index).
struct MarkdownText: MustacheContentType {
    func escapeText(_ text: String) -> String { SafeText.markdown(text) }
}

struct HTMLText: MustacheContentType {
    func escapeText(_ text: String) -> String { SafeText.html(text) }
}

extension TemplateSet {
    static let registerContentTypes: Void = {
        MustacheContentTypes.register(MarkdownText(), named: "COSTPER_MARKDOWN")
        MustacheContentTypes.register(HTMLText(), named: "COSTPER_HTML")
    }()
}

/// A tenant's month, as summary.json lists it.
package struct TenantMonth: Sendable, Equatable, Codable {
    package var tenant: String
    package var cost: Quotient
    package var resolvedTickets: Int
    package var costPerResolved: Quotient?
    package init(tenant: String, cost: Quotient, resolvedTickets: Int, costPerResolved: Quotient?) {
        self.tenant = tenant; self.cost = cost; self.resolvedTickets = resolvedTickets; self.costPerResolved = costPerResolved
    }
}

/// A service type's month, as summary.json lists it.
package struct ServiceTypeMonth: Sendable, Equatable, Codable {
    package var serviceType: String
    package var label: String
    package var resolved: Int
    package var cost: Money
}

/// A month already in the site, as its summary.json says.
package struct PublishedMonth: Sendable, Equatable, Codable {
    package var month: Month
    /// The reporting currency of its amounts (one for the whole site; the store refuses a mix).
    package var currency: String?
    /// How its amounts are written.
    package var show: AmountFormat { AmountFormat(currency ?? "USD") }
    package var costPerResolved: Quotient?
    package var totalCost: Quotient
    package var resolvedTickets: Int
    package var flags: Int
    package var tenants: [TenantMonth]
    /// The forecast lines the month's report checked (its forecast.csv), for plan against actual later.
    package var plans: [PlannedLine] = []
    /// The autonomous resolution rate and its verdicts ("business type: on track; plan: behind").
    package var autonomousRate: Quotient?
    package var rateVerdicts = ""
    /// Each service type's resolved tickets and cost (plan against actual, in later re-renders).
    package var serviceTypes: [ServiceTypeMonth] = []
    /// What the variance bridge needs (nil in a summary.json written before the bridge existed).
    package var figures: MonthFigures?
    /// Tickets handled, lines checked, the human baseline and the savings against it, for the summary's tiles.
    package var tickets = 0
    package var lineCount = 0
    package var baseline: Quotient?
    package var savingsShare: Quotient?
    /// The files published beside the month's page (report.pdf, report.xlsx), for the index's links.
    package var downloads: [String] = []
    /// The assumptions the month rests on, for the next month's "change since" column.
    package var assumptions: [Assumption] = []
    /// True when the month's human review was not measured (nil: it was); no bridge crosses it.
    package var humanReviewNotMeasured: Bool?
    /// True when the month's tickets were built from the traces (`[tickets] source = "traces"`),
    /// which record no human review (nil: a tickets file or help desk).
    package var ticketsFromTraces: Bool?
    /// Why the month's human review is not measured, as the summary says it.
    package var notMeasuredBecause: String {
        ticketsFromTraces == true ? "its tickets come from the traces, which record no human review" : "its help-desk export has no review minutes"
    }
    package init(month: Month, costPerResolved: Quotient?, totalCost: Quotient, resolvedTickets: Int, flags: Int, tenants: [TenantMonth] = []) {
        self.month = month; self.costPerResolved = costPerResolved; self.totalCost = totalCost
        self.resolvedTickets = resolvedTickets; self.flags = flags; self.tenants = tenants
    }

    /// A month's entry, from its report: each ratio as summary.json publishes it (to the nano,
    /// half to even), so that every month compares with the figures its readers see.
    package init(_ r: MonthReport) {
        let a = r.accounts
        let nano = PublishedMonth.nano
        self.init(month: a.month, costPerResolved: nano(a.costPerResolved), totalCost: a.total.dollars, resolvedTickets: a.resolvedTickets,
                  flags: r.flags.count, tenants: SiteBuilder.tenantMonths(a).map {
                      TenantMonth(tenant: $0.tenant, cost: $0.cost, resolvedTickets: $0.resolvedTickets, costPerResolved: nano($0.costPerResolved))
                  })
        currency = a.currency.code
        plans = PlannedLine.of(r)
        figures = MonthFigures(a)
        serviceTypes = SiteBuilder.serviceTypeMonths(r)
        tickets = a.tickets
        lineCount = r.lines.count
        baseline = nano(a.baseline.cost)
        savingsShare = nano(a.savingsShare)
        autonomousRate = nano(r.resolution.autonomous)
        rateVerdicts = PublishedMonth.verdicts(r.resolution.checks.map { ($0.reference.kind.rawValue, $0.verdict.label) })
        assumptions = Assumption.of(r)
        humanReviewNotMeasured = a.humanReviewMeasured ? nil : true
        ticketsFromTraces = a.outcomesFromTraces == nil ? nil : true
    }
}

extension PublishedMonth {
    /// A ratio to the nano, half to even: the figure as summary.json writes it.
    static func nano(_ q: Quotient?) -> Quotient? {
        q.map { Quotient(numerator: Fixed.divideHalfEven($0.numerator * Int128(Money.scale), $0.denominator), denominator: Int128(Money.scale)) }
    }
}

package enum SiteBuilder {
    /// The files of one month's folder, by name.
    package static func monthFiles(_ r: MonthReport, templates: TemplateSet, inputs: [InputRecord], options: [(String, String)]) throws -> [String: [UInt8]] {
        let show = r.accounts.show
        var files: [String: [UInt8]] = [:]
        // The comparison with the earlier months (r.earlier: their records, as Site.render passes them).
        let comparison = EarlierComparison(r)
        let own = comparison.own, executive = comparison.executive, planActual = comparison.planActual
        files["summary.json"] = summaryFile(r, executive)
        let planBlock = PlanActual.markdown(planActual, labels: own.serviceTypeLabels, show: show)
        let context = reportContext(r, comparison, planBlock: planBlock)
        let markdown = templates.report.render(context)
        files["report.md"] = Array(markdown.utf8)
        let a = r.accounts
        let charts = monthCharts(r)
        for (name, svg) in charts {
            // The file carries its title, month and source, to be pasted into a deck on its own.
            let title = chartTitles[name] ?? name
            let source = name == "chart-comparables.svg"
                ? "Sources: costper; the published figures of " + Array(Set(r.comparables.filter { $0.adjusted != nil && !$0.illustrative }.map(\.name))).sorted().joined(separator: ", ") + " (their publications in comparables.csv)"
                : "Source: costper, from the month's requests, tickets and fixed costs (manifest.json)"
            files[name] = Array(Charts.standalone(svg, title: title, month: a.month.title, source: source).utf8)
        }
        files["bridge.csv"] = executive.bridgeCSV.bytes(in: r.accounts.show)
        if let svg = executive.bridgeFile { files["chart-bridge.svg"] = Array(svg.utf8) }
        // Each piece of Markdown gets its sections (PageSections); the contents go after the summary.
        var ids: Set<String> = ["summary", "contents"]
        var contents: [(id: String, title: String)] = []
        func html(_ md: String) throws -> String {
            let w = PageSections.wrap(Charts.captions(Charts.inline(try GFM.html(md), charts: charts)), used: &ids)
            contents += w.contents
            return w.html
        }
        // The summary and plan-against-actual blocks have HTML of their own (tiles, tables): the
        // page is the Markdown around them through cmark-gfm, and each block as costper renders it
        // (found by its marker in this render's Markdown; nothing is read back from a file).
        var body = ""
        var rest = Substring(markdown)
        for (begin, end, block) in [(ExecutiveSummary.begin, ExecutiveSummary.end, executive.html),
                                    (PlanActual.begin, PlanActual.end, try PlanActual.html(planBlock))] {
            guard let b = rest.range(of: begin), let e = rest.range(of: end, range: b.upperBound..<rest.endIndex) else { continue }
            body += try html(String(rest[..<b.lowerBound])) + block
            rest = rest[e.upperBound...]
        }
        body += try html(String(rest))
        let toc = PageSections.contents(contents)
        if let at = body.range(of: ExecutiveSummary.end) { body.insert(contentsOf: toc, at: at.upperBound) } else { body = toc + body }
        let page = templates.layout.render(layoutContext(r, body: body))
        files["index.html"] = Array(page.utf8)
        // The report's tables: one CSV each, and one sheet each of report.xlsx (ReportWorkbook.swift).
        // bridge.csv is written above with its chart.
        for t in monthTables(r, comparison) where t.name != "bridge" { files[t.name + ".csv"] = t.table.bytes(in: r.accounts.show) }
        files["manifest.json"] = Array((manifest(r, inputs: inputs, options: options).text + "\n").utf8)
        return files
    }

    /// The report template's values: the month's (ReportContext) and its comparison with earlier months.
    static func reportContext(_ r: MonthReport, _ comparison: EarlierComparison, planBlock: String) -> [String: Any] {
        let show = r.accounts.show
        let own = comparison.own, executive = comparison.executive, planActual = comparison.planActual
        var context = ReportContext.make(r)
        context["executive_summary"] = executive.markdown
        context["plan_actual_block"] = planBlock
        // For templates written before the block (not re-rendered later: use plan_actual_block).
        context["has_plan_actual"] = !planActual.isEmpty
        context["plan_actual"] = planActual.map { p -> [String: Any] in
            ["planned_in": p.plannedIn.title, "line": p.line.serviceType.isEmpty ? "The whole month" : (own.serviceTypeLabels[p.line.serviceType] ?? p.line.serviceType),
             "planned_volume": Show.count(p.line.volume), "actual_volume": Show.count(p.actualVolume),
             "volume_variance": (p.volumeVariance > 0 ? "+" : "") + Show.count(p.volumeVariance),
             "planned_cpo": show.unit(p.line.costPerOutcome), "actual_cpo": show.unit(p.actualCostPerOutcome),
             "planned_total": show.amount(p.plannedTotal), "actual_total": show.amount(p.actualTotal),
             "total_variance": p.totalVariance > Quotient(0) ? "+" + show.amount(p.totalVariance) : show.amount(p.totalVariance),
             "total_variance_share": p.totalVarianceShare.map { ($0 > Quotient(0) ? "+" : "") + Show.percent($0) } ?? "—"]
        }
        return context
    }

    /// The page layout's values: the month's titles, the rendered body, the print layout's.
    static func layoutContext(_ r: MonthReport, body: String) -> [String: Any] {
        let a = r.accounts
        return [
            "title": "\(a.config.company) — cost per resolved ticket, \(a.month.title)",
            "company": a.config.company,
            "month": a.month.description,
            "month_title": a.month.title,
            "stylesheet": "../assets/style.css",
            "home": "../index.html",
            "body": body,
            "costper_version": r.costperVersion,
            "cmark_version": r.cmarkVersion,
        ].merging(PrintLayout.context(r)) { a, _ in a } as [String: Any]
    }

    /// Each chart file's visible title.
    static let chartTitles = ["chart-iceberg.svg": "The cost iceberg: cost by category", "chart-tenants.svg": "Top tenants by cost",
                              "chart-weeks.svg": "Cost per resolved ticket, week by week",
                              "chart-comparables.svg": "Cost per resolved ticket against the published figures",
                              "chart-sensitivity.svg": "Sensitivity: the month's figures under each key assumption"]

    /// The month's charts, by file name.
    package static func monthCharts(_ r: MonthReport) -> [String: String] {
        let show = r.accounts.show
        let a = r.accounts
        var charts: [String: String] = [:]
        // The AI layer (every category but human review) and human handling apart, each under its
        // heading; the waterline (the model bill above it) within the AI layer.
        let human: [CostCategory] = [.human_review]
        let ai = CostCategory.allCases.filter { !human.contains($0) }
        func bar(_ c: CostCategory) -> ChartBar {
            let m = a.costByCategory[c] ?? .zero
            let unmeasured = c == .human_review && !a.humanReviewMeasured
            return ChartBar(label: c.title, value: m.dollars, valueLabel: unmeasured ? SiteText.notMeasured : show.amount(m) + " · " + Show.share(a.share(of: m)),
                            style: c.isVisible ? .solid : .hatched)
        }
        func sum(_ cs: [CostCategory]) -> Money { Money(nanos: cs.reduce(Int64(0)) { $0 + (a.costByCategory[$1] ?? .zero).nanos }) }
        let aiCost = sum(ai), humanCost = sum(human)
        charts["chart-iceberg.svg"] = Charts.horizontalBars(
            id: "iceberg", title: "The cost iceberg, \(a.month.title)",
            description: "Cost by category: the model bill above the waterline (\(Show.percent(a.hiddenShare.map { Quotient(1).minus($0) }))), everything else below it (\(Show.percent(a.hiddenShare))). Total \(show.amount(a.total)). The AI layer \(show.amount(aiCost)) (\(Show.percent(a.share(of: aiCost)))), human handling \(a.humanReviewMeasured ? show.amount(humanCost) + " (" + Show.percent(a.share(of: humanCost)) + ")" : SiteText.notMeasured).",
            bars: ai.map(bar) + human.map(bar), divider: (1, "waterline: visible above, hidden below"),
            groups: [ChartGroup(first: 0, label: "AI layer: \(show.amount(aiCost)) · \(Show.percent(a.share(of: aiCost))) of the month"),
                     ChartGroup(first: ai.count, label: "Human handling (review and escalations): " + (a.humanReviewMeasured ? "\(show.amount(humanCost)) · \(Show.percent(a.share(of: humanCost)))" : SiteText.notMeasured))],
            legend: [LegendItem(.bar(.solid), "visible: the model API bill"), LegendItem(.bar(.hatched), "hidden: below the waterline, beyond the model bill")], show: show)
        if let tenants = a.table(.tenant), !tenants.rows.isEmpty {
            let top = tenants.rows.prefix(8).map {
                ChartBar(label: $0.label, value: $0.cost.dollars, valueLabel: show.amount($0.cost) + " · " + Show.share(a.share(of: $0.cost)))
            }
            charts["chart-tenants.svg"] = Charts.horizontalBars(
                id: "tenants", title: "Top tenants by cost, \(a.month.title)",
                description: "The \(top.count) tenants with the largest share of the month's cost, largest first.", bars: Array(top), show: show)
        }
        if let weeks = weeklyChart(a) { charts["chart-weeks.svg"] = weeks }
        // Our all-in against the figures it is compared with (an operator's all-in, a vendor price as build or buy).
        let compared = r.comparables.filter { $0.adjusted != nil && !$0.illustrative && $0.ours.hasPrefix("all-in") }
        if !compared.isEmpty, let cpr = a.costPerResolved {
            var bars = [ChartBar(label: "This month: \(a.config.company)", value: cpr, valueLabel: show.unit(cpr))]
            for c in compared {
                let adjusted = c.adjusted ?? Quotient(0)
                bars.append(ChartBar(label: c.buildOrBuy ? c.name + ", build or buy" : c.name, value: adjusted, valueLabel: show.unit(adjusted), style: .hatched,
                                     note: comparableNote(c)))
            }
            var marker: (value: Quotient, label: String)?
            if let actual = r.lines.first(where: { $0.kind == .actual }), let figure = actual.ruleFigure {
                let line = figure.times(r.rule.threshold)
                marker = (line, "\(Show.ratio(r.rule.threshold)) the \(r.rule.basis.rawValue) figure: \(show.unit(line))")
            }
            charts["chart-comparables.svg"] = Charts.horizontalBars(
                id: "comparables", title: "Cost per resolved ticket against the published figures",
                description: "This month's all-in cost per resolved ticket (\(show.unit(cpr))) beside the published figures of the same scope counted per resolved ticket (a vendor price per AI resolution as build or buy: the price × our AI resolutions + our own human handling), at this month's scale; the dotted line is the flag threshold, \(Show.ratio(r.rule.threshold)) the \(r.rule.basis.rawValue) of them\(marker.map { " (" + show.unit($0.value) + ")" } ?? "").",
                bars: bars, marker: marker,
                legend: [LegendItem(.bar(.solid), "this month, ours"), LegendItem(.bar(.hatched), "a published figure, at this month's scale")], show: show)
        }
        if let rows = r.sensitivity, !rows.isEmpty, let chart = sensitivityChart(a, rows) { charts["chart-sensitivity.svg"] = chart }
        return charts
    }

    /// A comparable's publisher and tier, as its bar's second line: "Intercom · vendor list price".
    static func comparableNote(_ c: ComparableLine) -> String {
        (c.publisher.isEmpty ? "" : c.publisher + " · ") + c.tier.label + (c.buildOrBuy ? " + our own human handling" : "")
    }

    /// The tornado of the Sensitivity section: the cost per resolved ticket under each key
    /// assumption from its low to its high value, or, when no assumption moves it, the saving a
    /// month; largest swing on top (ties in the table's order).
    static func sensitivityChart(_ a: MonthAccounts, _ rows: [SensitivityRow]) -> String? {
        func spread(_ xs: [Quotient?]) -> Quotient {
            let v = xs.compactMap { $0 }
            guard let lo = v.min(), let hi = v.max() else { return Quotient(0) }
            return hi.minus(lo)
        }
        let savingBase = rows.lazy.compactMap { $0.saving[1] }.first
        let headlineMoves = rows.contains { spread($0.headline) > Quotient(0) } || savingBase == nil
        let figure: (SensitivityRow) -> [Quotient?] = headlineMoves ? { $0.headline } : { $0.saving }
        guard let base = headlineMoves ? a.costPerResolved : savingBase else { return nil }
        let name = headlineMoves ? "cost per resolved ticket" : "saving a month"
        let show = a.show
        let write: (Quotient) -> String = headlineMoves ? { show.unit($0) } : { show.amount($0) }
        let ordered = rows.enumerated().sorted { x, y in
            let sx = spread(figure(x.element)), sy = spread(figure(y.element))
            return sx != sy ? sx > sy : x.offset < y.offset
        }.map(\.element)
        // The chart draws the assumptions that move its figure; the others (the flag rule's, and
        // the baseline's when the cost is drawn) are in the table beside it, and named below it.
        let still = ordered.filter { spread(figure($0)) == Quotient(0) }
        let drawn = ordered.filter { spread(figure($0)) > Quotient(0) }
        let stillNote = still.isEmpty ? "" : " Not moving it (in the table): " + still.map(\.assumption).joined(separator: "; ") + "."
        guard !drawn.isEmpty else { return nil }
        let tornado = drawn.map { row -> TornadoRow in
            let v = figure(row)
            let low = v[0] ?? base, high = v[2] ?? base
            let moves = low != base || high != base
            let other = !headlineMoves ? nil : spread(row.saving) > Quotient(0) ? "moves the saving" : row.flags.contains { $0 != nil } ? "moves only the flags" : nil
            return TornadoRow(label: row.assumption, low: v[0], high: v[2],
                              valueLabel: moves ? write(low) + " / " + write(high) : "not moved" + (other.map { ": " + $0 } ?? ""))
        }
        return Charts.tornado(id: "sensitivity", title: "Sensitivity: the \(name) under each key assumption, \(a.month.title)",
                              description: "The \(name) (base \(write(base))) at each key assumption's low and high value, largest swing first: "
                                + zip(drawn, tornado).map { "\($0.0.assumption) \($0.1.valueLabel)" }.joined(separator: "; ") + "." + stillNote,
                              rows: tornado, base: base, baseLabel: "base: " + write(base), unit: headlineMoves ? "USD per resolved ticket" : "USD a month", show: show)
    }

    static func flagRuleJSON(_ r: MonthReport) -> JSONValue {
        .object([("basis", .string(r.rule.basis.rawValue)), ("threshold", .money(r.rule.threshold)),
                 ("fixed_monthly_usd", .money(r.scale?.fixedMonthly)), ("fixed_monthly_source", .string(r.scale?.fixedSource ?? ""))])
    }

    static func comparableJSON(_ c: ComparableLine) -> JSONValue {
        .object([("name", .string(c.name)), ("domain", .string(c.domain.rawValue)), ("basis", .string(c.basis.rawValue)),
                 ("published", .string(c.published)), ("adjusted_usd", .money(c.adjusted)), ("adjustment", .string(c.adjustment)),
                 ("ratio", .money(c.ratio)), ("exceeded", .bool(c.exceeded)), ("source", .string(c.citation)),
                 ("publisher", .string(c.publisher)), ("scope", .string(c.scope.rawValue)), ("tier", .string(c.tier.rawValue)),
                 ("as_of", .string(c.asOf.text)), ("against_our", .string(c.ours)), ("illustrative", .bool(c.illustrative))])
    }

    /// The month split into the AI layer and human handling, build or buy, the baseline, the savings.
    static func economicsJSON(_ r: MonthReport) -> JSONValue {
        guard let e = r.economics else { return .null }
        return .object([
            ("ai_layer_usd", .money(e.aiLayer)), ("human_handling_usd", r.accounts.humanReviewMeasured ? .money(e.humanHandling) : .null),
            ("ai_resolutions", .int(e.aiResolutions)), ("deflected_tickets", .int(e.deflected)),
            ("human_handled_tickets", r.accounts.humanReviewMeasured ? .int(e.humanHandledTickets) : .null),
            ("ai_layer_per_ai_resolution_usd", .money(e.aiLayerPerAIResolution)),
            ("ai_layer_per_ai_resolution_with_deflected_usd", .money(e.aiLayerPerAIResolutionWithDeflected)),
            ("all_in_per_resolved_with_deflected_usd", .money(e.allInPerResolvedWithDeflected)),
            ("vendors", .array(e.vendors.map { v in
                .object([("name", .string(v.name)), ("price_usd", .money(v.price)), ("tier", .string(v.tier.rawValue)),
                         ("ai_layer_ratio", .money(v.aiLayerRatio)), ("ai_layer_ratio_with_deflected", .money(v.aiLayerRatioWithDeflected)),
                         ("build_or_buy_per_resolved_usd", .money(v.buildOrBuy)), ("build_or_buy_with_deflected_usd", .money(v.buildOrBuyWithDeflected)),
                         ("all_in_ratio", .money(v.allInRatio)), ("all_in_ratio_with_deflected", .money(v.allInRatioWithDeflected)),
                         ("resolution_definition", .string(v.resolutionDefinition))])
            })),
            ("baseline_usd", .money(e.baseline.used)), ("baseline_own_usd", .money(e.baseline.own)), ("baseline_is_users", .bool(e.baseline.isUsers)),
            ("baseline_source", .string(e.baseline.usedSource)),
            ("savings_month_usd", .money(e.savings?.perMonth)), ("savings_year_usd", .money(e.savings?.annual)),
            ("savings_baseline_low_usd", .money(e.savings?.low)), ("savings_baseline_high_usd", .money(e.savings?.high)),
            ("savings_month_low_usd", .money(e.savings?.perMonthLow)), ("savings_month_high_usd", .money(e.savings?.perMonthHigh)),
            ("ai_cost_per_avoided_escalation_usd", .money(e.aiCostPerAvoidedEscalation)),
            ("escalated_ticket_cost_usd", .money(e.escalatedTicketCost)), ("ai_resolution_cost_usd", .money(e.aiResolutionCost)),
            ("escalation_point_value_usd", .money(e.escalationPointValue)),
            ("cost_per_ticket_resolved_by_anyone_usd", .money(e.costPerTicketResolvedByAnyone)),
        ])
    }

    static func lineJSON(_ f: FlagLine) -> JSONValue {
        .object([("line", .string(f.kind.rawValue)), ("subject", .string(f.subject)), ("domain", .string(f.domain.rawValue)),
                 ("service_type", .string(f.serviceType)), ("basis", .string(f.basis.rawValue)), ("value_usd", .money(f.value)),
                 ("state", .string(f.state.label)), ("rule_figure_usd", .money(f.ruleFigure)), ("ratio", .money(f.ratio)),
                 ("threshold", .money(f.threshold)), ("exceeded", .array(f.exceeded.map { .string($0.name) })),
                 ("drivers", .array(f.drivers.map { .string($0.category.rawValue) }))])
    }

    /// summary.json with its comparison with the earlier months (the summary's keys set in place).
    static func summaryFile(_ r: MonthReport, _ s: ExecutiveSummary) -> [UInt8] {
        guard case .object(var pairs) = summary(r) else { return [] }
        for (k, v) in s.jsonFields {
            if let i = pairs.firstIndex(where: { $0.0 == k }) { pairs[i].1 = v } else { pairs.append((k, v)) }
        }
        return Array((JSONValue.object(pairs).text + "\n").utf8)
    }

    /// summary.json, with the keys of outputs.md in a stable order.
    /// Cost by category; human review not measured is null, never 0.
    static func categoriesJSON(_ a: MonthAccounts) -> JSONValue {
        .object(CostCategory.allCases.map { c -> (String, JSONValue) in
            (c.rawValue, c == .human_review && !a.humanReviewMeasured ? JSONValue.null : JSONValue.money(a.costByCategory[c] ?? .zero))
        })
    }

    /// Why human review is not measured, when it is not (no key otherwise).
    static func notMeasuredJSON(_ a: MonthAccounts) -> [(String, JSONValue)] {
        a.humanReviewNotMeasured.map { [("human_review_not_measured", JSONValue.string($0))] } ?? []
    }

    package static func summary(_ r: MonthReport) -> JSONValue {
        let a = r.accounts
        return .object([
            ("month", .string(a.month.description)),
            ("company", .string(a.config.company)),
            ("currency", .string(a.config.currency)),
            ("tickets", .int(a.tickets)),
            ("resolved_tickets", .int(a.resolvedTickets)),
            ("requests", .int(a.requests)),
            ("outcomes", .object(a.reportedOutcomes.map { ($0.rawValue, .int(a.outcomes[$0] ?? 0)) })),
            ("total_cost_usd", .money(a.total)),
            ("cost_per_resolved_ticket_usd", .money(a.costPerResolved)),
            ("cost_per_ticket_usd", .money(a.costPerTicket)),
            ("escalations_avoided", .int(a.escalationsAvoided)),
            ("cost_per_escalation_avoided_usd", .money(a.costPerEscalationAvoided)),
            ("revenue_usd", .money(r.margins?.revenue)),
            ("gross_margin_share", .money(r.margins?.servedMarginShare)),
            ("gross_margin_share_with_unserved_revenue", .money(r.margins?.marginShare)),
            ("autonomous_resolution_rate", .money(r.resolution.autonomous)),
            ("containment_rate", .money(r.resolution.containment)),
            ("escalation_rate", .money(r.resolution.escalation)),
            ("resolution_rate_checks", resolutionChecksJSON(r)),
            ("cost_by_category_usd", categoriesJSON(a)),
            ("fixed_cost_by_category_usd", .object(CostCategory.allCases.map { c in (c.rawValue, .money(MonthFigures(a).fixedByCategory[c] ?? .zero)) })),
            ("hidden_cost_share", .money(a.hiddenShare)),
            ("baseline_cost_per_resolved_usd", .money(a.baseline.cost)),
            ("savings_share", .money(a.savingsShare)),
            // The comparison with earlier months: set by summaryFile from the ExecutiveSummary (placeholders here).
            ("previous_month", .null), ("previous_cost_per_resolved_ticket_usd", .null), ("change_from_previous_share", .null),
            ("average_months", .array([])), ("average_cost_per_resolved_ticket_usd", .null), ("change_from_average_share", .null),
            ("bridge", .null),
            ("flag_rule", flagRuleJSON(r)),
            ("comparables", .array(r.comparables.map(comparableJSON))),
            ("economics", economicsJSON(r)),
            ("quality", qualityJSON(a)),
            ("lines", .array(r.lines.map(lineJSON))),
            ("flags", .array(r.flags.map(lineJSON))),
            ("alerts", .int(r.alerts.count)),
            ("service_types", .array(serviceTypeMonths(r).map { t in
                .object([("service_type", .string(t.serviceType)), ("label", .string(t.label)), ("resolved_tickets", .int(t.resolved)),
                         ("cost_usd", .money(t.cost))])
            })),
            ("tenants", .array(tenantMonths(a).map { t in
                .object([("tenant", .string(t.tenant)), ("cost_usd", .money(t.cost)), ("resolved_tickets", .int(t.resolvedTickets)),
                         ("cost_per_resolved_ticket_usd", .money(t.costPerResolved))])
            })),
            ("prepared_at", .string(r.prepared.map { Scalars.formatUTC($0.seconds) } ?? "")),
            ("rejected_rows", .int(a.rejectedRows)),
            ("orphan_requests", .int(a.orphanRequests)),
            ("plans", plansJSON(r)),
        ] + notMeasuredJSON(a) + BillsFiles.summary(a))
    }

    static func costByCategory(_ a: MonthAccounts) -> CSVDocument {
        var d = CSVDocument(header: ["category", "layer", "cost_usd", "share", "per_resolved_ticket_usd", "per_ticket_usd"])
        for c in CostCategory.allCases {
            let m = a.costByCategory[c] ?? .zero
            if c == .human_review && !a.humanReviewMeasured {
                let n = CSVCell.text(SiteText.notMeasured)
                d.append([.text(c.rawValue), .text("hidden"), n, n, n, n])
                continue
            }
            d.append([.text(c.rawValue), .text(c.isVisible ? "visible" : "hidden"), .money(m), .share(a.share(of: m)),
                      .money(m.quotient(per: a.resolvedTickets)), .money(m.quotient(per: a.tickets))])
        }
        d.append([.text("total"), .empty, .money(a.total), .share(a.total.nanos > 0 ? Quotient(1) : nil),
                  .money(a.costPerResolved), .money(a.costPerTicket)])
        return d
    }

    static func attribution(_ t: AttributionTable, _ a: MonthAccounts) -> CSVDocument {
        var d = CSVDocument(header: [t.dimension.rawValue, "tickets", "resolved_tickets", "requests", "cost_usd", "share_of_cost",
                                     t.level == .ticket ? "cost_per_resolved_ticket_usd" : "share_of_cost_per_resolved_ticket_usd",
                                     "input_tokens", "output_tokens", "tokens_per_request"])
        for r in t.rows {
            let per: Quotient? = t.level == .ticket ? r.costPerResolved : r.cost.quotient(per: a.resolvedTickets)
            d.append([.text(r.label), .int(r.tickets), .int(r.resolved), .int(r.requests), .money(r.cost), .share(a.share(of: r.cost)),
                      .money(per), .int(r.inputTokens), .int(r.outputTokens), .ratio(r.tokensPerRequest)])
        }
        return d
    }

    static func comparables(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["name", "domain", "unit", "basis", "published", "kind", "disclosure", "adjusted_usd", "adjustment",
                                     "ratio", "exceeded", "source", "secondary_source", "notes",
                                     "publisher", "scope", "tier", "as_of", "as_of_note", "against_our", "resolution_definition"])
        for c in r.comparables {
            d.append([.text(c.name), .text(c.domain.rawValue), .text(c.unit), .text(c.basis.rawValue), .text(c.published), .text(c.kind.rawValue),
                      .text(c.disclosure), .money(c.adjusted), .text(c.formula.isEmpty ? c.adjustment : c.adjustment + ": " + c.formula),
                      .ratio(c.ratio), .text(c.adjusted == nil ? "not compared" : c.illustrative ? "context only" : c.exceeded ? "true" : "false"), .text(c.citation),
                      .text(c.secondarySource), .text(c.notes),
                      .text(c.publisher), .text(c.scope.rawValue), .text(c.tier.rawValue), .text(c.asOf.text), .text(c.asOfNote), .text(c.ours),
                      .text(c.resolutionDefinition)])
        }
        return d
    }

    /// One row per line checked: the month, each service type, each plan line, each run rate.
    static func flags(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["line", "subject", "domain", "service_type", "basis", "value_usd", "state", "rule", "rule_figure_usd",
                                     "ratio", "threshold", "comparables_exceeded", "drivers"])
        for f in r.lines {
            d.append([.text(f.kind.rawValue), .text(f.subject), .text(f.domain.rawValue), .text(f.serviceType), .text(f.basis.rawValue), .money(f.value),
                      .text(f.state.label), .text(f.rule.rawValue), .money(f.ruleFigure), .ratio(f.ratio), .ratio(f.threshold),
                      .text(f.exceeded.map(\.name).joined(separator: "; ")), .text(f.drivers.map(\.category.rawValue).joined(separator: "; "))])
        }
        return d
    }

    static func forecastCheck(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["line", "months", "domain", "service_type", "volume", "cost_per_outcome_usd", "monthly_cost_usd",
                                     "rule_figure_usd", "ratio", "state", "plan_fixed_monthly_usd", "fixed_monthly_used_usd",
                                     "counted_per", "plan_figure", "ours_usd", "ours_basis", "change_from_ours", "driver", "unexplained_change"])
        for l in r.lines where l.kind == .plan || l.kind == .run_rate {
            let x = l.reality
            d.append([.text(l.kind.rawValue), .text(l.months.map(\.description).joined(separator: "; ")), .text(l.domain.rawValue), .text(l.serviceType),
                      .int(l.volume), .money(l.value), .money(l.monthlyCost), .money(l.ruleFigure), .ratio(l.ratio), .text(l.state.label),
                      .money(l.planFixed), .money(r.scale?.fixedMonthly),
                      l.countedPer.map { .text($0) } ?? .empty, l.planFigure.map { .text($0) } ?? .empty, .money(x?.ours), x.map { .text($0.oursLabel) } ?? .empty,
                      .share(x?.change), l.planDriver.map { .text($0) } ?? .empty, x.map { .text($0.unexplained ? "yes" : "no") } ?? .empty])
        }
        return d
    }

    static func headline(_ r: MonthReport) -> CSVDocument {
        let a = r.accounts
        var d = CSVDocument(header: ["figure", "value", "unit"])
        d.append([.text("cost per resolved ticket"), .money(a.costPerResolved), .text("USD")])
        // The comparison rows: set from the ExecutiveSummary (monthTables; placeholders here).
        d.append([.text("previous month's cost per resolved ticket"), .empty, .text("USD")])
        d.append([.text("change from the previous month"), .empty, .text("share")])
        d.append([.text("average cost per resolved ticket of up to 3 earlier months"), .empty, .text("USD")])
        d.append([.text("change from that average"), .empty, .text("share")])
        d.append([.text("human baseline per resolved ticket"), .money(a.baseline.cost), .text("USD")])
        d.append([.text("savings against the human baseline"), .share(a.savingsShare), .text("share")])
        if let e = r.economics {
            d.append([.text("savings against the human baseline, a month"), .money(e.savings?.perMonth), .text("USD")])
            d.append([.text("savings against the human baseline, a year"), .money(e.savings?.annual), .text("USD")])
            d.append([.text("AI layer (all cost but human handling)"), .money(e.aiLayer), .text("USD")])
            d.append([.text("human handling of escalated tickets"), .money(e.humanHandling), .text("USD")])
            d.append([.text("AI layer per AI resolution"), .money(e.aiLayerPerAIResolution), .text("USD")])
            for v in e.vendors {
                d.append([.text("build or buy per resolved ticket: \(v.name)"), .money(v.buildOrBuy), .text("USD")])
            }
            d.append([.text("AI cost per avoided escalation"), .money(e.aiCostPerAvoidedEscalation), .text("USD")])
            d.append([.text("one escalated ticket (all-in)"), .money(e.escalatedTicketCost), .text("USD")])
            d.append([.text("one AI resolution (all-in)"), .money(e.aiResolutionCost), .text("USD")])
            d.append([.text("one point of escalation rate, a month"), .money(e.escalationPointValue), .text("USD")])
            d.append([.text("cost per ticket resolved by anyone"), .money(e.costPerTicketResolvedByAnyone), .text("USD")])
        }
        d.append([.text("flags"), .int(r.flags.count), .text("count")])
        d.append([.text("alerts"), .int(r.alerts.count), .text("count")])
        if let m = r.margins {
            d.append([.text("gross margin on AI support"), .share(m.servedMarginShare), .text("share")])
            d.append([.text("gross margin with the revenue of tenants served nothing"), .share(m.marginShare), .text("share")])
        }
        d.append([.text("cost per ticket handled"), .money(a.costPerTicket), .text("USD")])
        d.append([.text("total cost"), .money(a.total), .text("USD")])
        d.append([.text("tickets handled"), .int(a.tickets), .text("count")])
        d.append([.text("resolved tickets"), .int(a.resolvedTickets), .text("count")])
        d.append([.text("billable requests"), .int(a.requests), .text("count")])
        d.append([.text("hidden cost share"), .share(a.hiddenShare), .text("share")])
        return d
    }

    static func serviceTypeCheck(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["service_type", "cost_per_ticket_handled_usd", "reference_usd", "ratio", "state"])
        for l in r.lines where l.kind == .service_type {
            d.append([.text(l.serviceType), .money(l.value), .money(l.shownFigure), .ratio(l.shownRatio), .text(l.state.label)])
        }
        return d
    }

    static func referenceRanges(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["key", "label", "unit", "low_usd", "high_usd", "figure_usd", "disclosure", "source", "notes"])
        for x in r.references {
            d.append([.text(x.key), .text(x.label), .text(x.unit), x.low.map { .money($0) } ?? .empty, x.high.map { .money($0) } ?? .empty,
                      x.figure.map { .money($0) } ?? .empty, .text(x.citation.disclosure), .text(x.citation.secondarySource), .text(x.notes)])
        }
        return d
    }

    static func ticketDistribution(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["figure", "ticket", "cost_usd", "requests"])
        if let x = r.alertReport.distribution {
            d.append([.text("p50"), .empty, .money(x.p50), .empty])
            d.append([.text("p95"), .empty, .money(x.p95), .empty])
            d.append([.text("p99"), .empty, .money(x.p99), .empty])
            d.append([.text("max"), .empty, .money(x.max), .empty])
            for o in x.outliers { d.append([.text("outlier above p99"), .text(o.id), .money(o.cost), .int(o.requests)]) }
        }
        return d
    }

    static func promptDrift(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["endpoint", "previous_version", "newest_version", "previous_cost_per_request_usd", "newest_cost_per_request_usd",
                                     "cost_change", "previous_tokens_per_request", "newest_tokens_per_request", "token_change"])
        for x in r.alertReport.drift {
            d.append([.text(x.endpoint), .text(x.previous), .text(x.newest), .money(x.previousCostPerRequest), .money(x.newestCostPerRequest),
                      .share(x.costChange), .ratio(x.previousTokensPerRequest), .ratio(x.newestTokensPerRequest), .share(x.tokenChange)])
        }
        return d
    }

    static func budgets(_ r: MonthReport) -> CSVDocument {
        var d = CSVDocument(header: ["tenant", "budget_usd", "spent_usd", "share_used", "state"])
        for b in r.alertReport.budgets { d.append([.text(b.tenant), .money(b.budget), .money(b.spent), .share(b.share), .text(b.state.rawValue)]) }
        return d
    }

    static func dataQuality(_ a: MonthAccounts) -> CSVDocument {
        var d = CSVDocument(header: ["file", "reader", "rows_read", "accepted", "rejected", "outside_month"])
        for f in a.files { d.append([.text(f.file), .text(f.reader), .int(f.rowsRead), .int(f.accepted), .int(f.rejected), .int(f.outsideMonth)]) }
        return d
    }

    static func alerts(_ r: MonthReport) -> CSVDocument {
        // Values as numbers (a share as a fraction: 0.096 for +9.6%), their unit in a column of its own.
        var d = CSVDocument(header: ["kind", "subject", "severity", "measure", "value", "threshold", "unit", "message", "impact_usd", "impact_basis", "material"])
        let materiality = Alerts.materiality(r.accounts)
        for l in r.alerts {
            d.append([.text(l.kind.rawValue), .text(l.subject), .text(l.severity.rawValue), .text(l.measure), .ratio(l.amount), .ratio(l.limit),
                      .text(l.unit), .text(l.message), .money(l.impact), l.impactBasis.map { .text($0) } ?? .empty, .text(l.isMaterial(materiality) ? "yes" : "no")])
        }
        return d
    }

    static func rejects(_ a: MonthAccounts) -> CSVDocument {
        var d = CSVDocument(header: ["file", "line", "column", "reason"])
        for x in a.rejects { d.append([.text(x.file), .int(x.line), .text(x.column), .text(x.reason)]) }
        return d
    }

    static func manifest(_ r: MonthReport, inputs: [InputRecord], options: [(String, String)]) -> JSONValue {
        .object([
            ("month", .string(r.accounts.month.description)),
            ("costper_version", .string(r.costperVersion)),
            ("cmark_gfm_version", .string(r.cmarkVersion)),
            ("inputs_sha256", .string(r.pack.inputsDigest)),
            ("inputs", .array(inputs.map { i in
                .object([("path", .string(i.path)), ("bytes", .int(i.bytes)), ("sha256", .string(i.sha256)),
                         ("rows_read", i.rowsRead.map { .int($0) } ?? .null),
                         ("rows_rejected", i.rowsRejected.map { .int($0) } ?? .null)])
            })),
            ("options", .object(options.map { ($0.0, .string($0.1)) })),
        ])
    }

    /// Every service type of the month with its resolved tickets and cost.
    static func serviceTypeMonths(_ r: MonthReport) -> [ServiceTypeMonth] {
        (r.accounts.table(.service_type)?.rows ?? []).compactMap { row in
            guard case .value(let v) = row.group else { return nil }
            return ServiceTypeMonth(serviceType: v, label: r.serviceTypeLabels[v] ?? v, resolved: row.resolved ?? 0, cost: row.cost)
        }
    }

    /// Every tenant of the month with its cost and cost per resolved ticket (the tenant table, complete).
    package static func tenantMonths(_ a: MonthAccounts) -> [TenantMonth] {
        (a.table(.tenant)?.rows ?? []).map {
            TenantMonth(tenant: $0.label, cost: $0.cost.dollars, resolvedTickets: $0.resolved ?? 0, costPerResolved: $0.costPerResolved)
        }
    }

    /// Tenants month by month (oldest first): the tenants of the newest month by cost, then any other.
    package static func tenantTrend(_ months: [PublishedMonth]) -> (months: [Month], rows: [(tenant: String, values: [TenantMonth?])]) {
        let chronological = months.sorted { $0.month < $1.month }
        var order: [String] = []
        var seen = Set<String>()
        for m in chronological.reversed() {
            for t in m.tenants.sorted(by: { $0.cost != $1.cost ? $0.cost > $1.cost : $0.tenant < $1.tenant }) where !seen.contains(t.tenant) {
                seen.insert(t.tenant); order.append(t.tenant)
            }
        }
        // One dictionary per month: a lookup per tenant and month, not a search (100k tenants took 55 s).
        let byName: [[String: TenantMonth]] = chronological.map { m in
            var d: [String: TenantMonth] = [:]
            for t in m.tenants where d[t.tenant] == nil { d[t.tenant] = t }
            return d
        }
        let rows = order.map { name in (name, byName.map { $0[name] }) }
        return (chronological.map(\.month), rows)
    }

    /// tenants_by_month.csv: one row per tenant and month.
    package static func tenantTrendCSV(_ months: [PublishedMonth]) -> CSVDocument {
        let t = tenantTrend(months)
        var d = CSVDocument(header: ["tenant", "month", "cost_usd", "resolved_tickets", "cost_per_resolved_ticket_usd"])
        for row in t.rows {
            for (i, v) in row.values.enumerated() {
                guard let v else { continue }
                d.append([.text(row.tenant), .text(t.months[i].description), .money(v.cost), .int(v.resolvedTickets), .money(v.costPerResolved)])
            }
        }
        return d
    }

    /// The site's front page: every month, newest first.
    package static func indexPage(_ months: [PublishedMonth], templates: TemplateSet, company: String, show: AmountFormat) -> [UInt8] {
        Array(templates.index.render(indexContext(months, company: company, show: show)).utf8)
    }

    /// The index template's values: every month, newest first, the trend and the tenants by month.
    static func indexContext(_ months: [PublishedMonth], company: String, show: AmountFormat) -> [String: Any] {
        let sorted = months.sorted { $0.month > $1.month }
        let chronological = sorted.reversed().suffix(24)
        let trend = Charts.trend(id: "trend", title: "Cost per resolved ticket, month by month",
                                 description: "Cost per resolved ticket for each published month, oldest on the left: " +
                                    chronological.map { "\($0.month.title) \(show.unit($0.costPerResolved))" }.joined(separator: "; ") + ".",
                                 points: chronological.map { ($0.month.description, $0.costPerResolved, show.unit($0.costPerResolved)) }, show: show)
        let rows: [[String: Any]] = sorted.map { m in
            ["month": m.month.description, "month_title": m.month.title, "href": "\(m.month.description)/index.html",
             "cost_per_resolved": show.unit(m.costPerResolved), "total_cost": show.amount(m.totalCost),
             "resolved_tickets": Show.count(m.resolvedTickets), "flags": String(m.flags),
             "autonomous_rate": Show.percent(m.autonomousRate) + (m.rateVerdicts.isEmpty ? "" : " (" + m.rateVerdicts + ")"),
             "downloads": m.downloads.map { ["href": "\(m.month.description)/\($0)", "label": PrintLayout.label($0)] }]
        }
        // Tenants month by month, when the site holds more than one month.
        let trendTable = tenantTrend(months)
        let shownMonths = Array(trendTable.months.suffix(12))
        let tenantRows: [[String: Any]] = trendTable.rows.prefix(15).map { row in
            ["tenant": SafeText.truncated(row.tenant),
             "values": row.values.suffix(12).map { ["value": show.unit($0?.costPerResolved)] }]
        }
        return [
            "has_tenant_trend": months.count > 1 && !tenantRows.isEmpty,
            "tenant_months": shownMonths.map { ["month_title": $0.title] },
            "tenant_rows": tenantRows,
            "tenant_count": Show.count(trendTable.rows.count),
            "title": "\(company) — AI support cost per resolved ticket",
            "company": company,
            "stylesheet": "assets/style.css",
            "months": rows,
            "has_months": !rows.isEmpty,
            "trend_chart": trend,
        ] as [String: Any]
    }
}

extension PublishedMonth {
    /// Service types by their name in the report.
    var serviceTypeLabels: [String: String] {
        var d: [String: String] = [:]
        for t in serviceTypes { d[t.serviceType] = t.label }
        return d
    }
}
