// The executive summary: the first thing on a month's page. Everything in it comes from the
// month's record and the earlier months' records (as published: to the nano), so that publishing
// an earlier month again renders every later month exactly as a fresh run would (Site.render).
import CostperMoney
import CostperVocabulary
import CostperCore

/// The summary block of one month, against the earlier months of the site.
package struct ExecutiveSummary: Sendable, Codable {
    package var month: PublishedMonth
    /// The latest earlier month in the site (not necessarily the calendar month before).
    package var previous: PublishedMonth?
    /// Up to three latest earlier months with a cost per resolved ticket, oldest first, and the
    /// mean of their cost per resolved ticket.
    package var averageMonths: [PublishedMonth] = []
    package var average: Quotient?
    package var bridge: VarianceBridge?
    /// Why there is no bridge, when there is none.
    package var bridgeNote = ""
    /// Page 1's findings (Findings.swift), most dollars first.
    package var findings: [Finding] = []

    /// Where the block sits in report.md and index.html: costper's own marker lines, which data
    /// cannot produce (its `<` is escaped in both).
    /// How the summary's amounts are written: in the month's reporting currency.
    package var show: AmountFormat { month.show }

    package static let begin = "<!-- costper:summary -->\n"
    package static let end = "<!-- /costper:summary -->\n"

    package init(_ month: PublishedMonth, earlier all: [PublishedMonth]) {
        self.month = month
        let earlier = all.filter { $0.month < month.month }.sorted { $0.month < $1.month }
        previous = earlier.last
        averageMonths = Array(earlier.filter { $0.costPerResolved != nil }.suffix(3))
        if !averageMonths.isEmpty {
            let sum = averageMonths.reduce(Quotient(0)) { $0.plus($1.costPerResolved!) }
            average = sum.divided(by: Quotient(averageMonths.count))
        }
        if let p = previous {
            if let unmeasured = [p, month].first(where: { $0.humanReviewNotMeasured == true }) {
                // A human review step between a measured month and an unmeasured one would be a fiction.
                bridgeNote = "No bridge: human review is not measured in \(unmeasured.month.title) (\(unmeasured.notMeasuredBecause)), so the change cannot be split into its steps."
            } else if let f0 = p.figures, let f1 = month.figures {
                bridge = VarianceBridge.make(from: f0, to: f1)
                if bridge == nil { bridgeNote = "No bridge: \(f0.resolvedTickets == 0 ? p.month.title : month.month.title) has no resolved ticket." }
            } else {
                bridgeNote = "No bridge: \(p.month.title)'s summary.json was written by an earlier costper, without the figures the bridge needs; publish \(p.month.title) again to add them."
            }
        } else {
            bridgeNote = "The bridge from last month starts when an earlier month is published into this site."
        }
    }

    /// "August 2026" (the latest earlier month).
    var previousName: String { previous?.month.title ?? "" }

    /// Said when the latest earlier month is not the calendar month before.
    var gapNote: String {
        guard let p = previous, p.month != month.month.previous else { return "" }
        let missing = p.month.key + 1 == month.month.key - 1 ? month.month.previous.title
            : Month(key: p.month.key + 1).title + " to " + month.month.previous.title
        return " (the latest earlier month in this site: \(missing) \(p.month.key + 1 == month.month.key - 1 ? "is" : "are") not in it)"
    }

    static func signedPercent(_ q: Quotient) -> String {
        (q > Quotient(0) ? "up " : q == Quotient(0) ? "unchanged, " : "down ") + Show.percent(q < Quotient(0) ? Quotient(0).minus(q) : q)
    }

    /// The change from the previous month (a share), when both have a cost per resolved ticket.
    package var change: Quotient? {
        guard let now = month.costPerResolved, let prev = previous?.costPerResolved, prev > Quotient(0), let r = now.divided(by: prev) else { return nil }
        return r.minus(Quotient(1))
    }

    package var changeFromAverage: Quotient? {
        guard let now = month.costPerResolved, let avg = average, avg > Quotient(0), let r = now.divided(by: avg) else { return nil }
        return r.minus(Quotient(1))
    }

    /// "up 4.8% from September 2026 ($1.15)".
    package var changeText: String {
        guard let p = previous else { return "no earlier month in this site" }
        guard let c = change else { return "no comparison with \(previousName)\(gapNote): no cost per resolved ticket in one of them" }
        return ExecutiveSummary.signedPercent(c) + " from " + show.unit(p.costPerResolved) + " in " + previousName + gapNote
    }

    var averageName: String {
        let names = averageMonths.map(\.month.title)
        let list = names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
        let consecutive = averageMonths.count == 3 && averageMonths[2].month.key - averageMonths[0].month.key == 2
        if consecutive { return "the 3-month average (" + list + ")" }
        return "the average of " + (averageMonths.count == 1 ? "the one earlier month" : "the \(averageMonths.count) latest earlier months") + " in this site (" + list + ")"
    }

    package var averageText: String {
        guard let avg = average, let c = changeFromAverage else { return "no 3-month average: no earlier month in this site" }
        return ExecutiveSummary.signedPercent(c) + " on " + averageName + ": " + show.unit(avg)
    }

    // MARK: the three sentences

    static func baselineSentence(_ m: PublishedMonth) -> String {
        let show = m.show
        guard let s = m.savingsShare else { return "There is no saving against the human baseline to show (no cost per resolved ticket)." }
        let base = "the human baseline of \(show.unit(m.baseline)) a ticket"
        return s < Quotient(0) ? "That is \(Show.percent(Quotient(0).minus(s))) above \(base), not below it." : "That is \(Show.percent(s)) below \(base)."
    }

    func signedUnit(_ units: Int128, decimals: Int) -> String {
        let q = Quotient(numerator: units, denominator: Fixed.pow10(decimals))
        return (units < 0 ? "−" : units > 0 ? "+" : "") + show.amount(units < 0 ? Quotient(0).minus(q) : q, decimals: decimals)
    }

    /// Why a step moved, from the two months' figures.
    func reason(_ s: BridgeStep, _ b: VarianceBridge) -> String {
        let m0 = b.from, m1 = b.to
        switch s {
        case .volume:
            return "resolved tickets went from \(Show.count(m0.resolvedTickets)) to \(Show.count(m1.resolvedTickets)), over which \(previousName)'s fixed bills of \(show.amount(Quotient(numerator: m0.fixedTotal, denominator: Int128(Money.scale)))) are spread"
        case .mix:
            return "the share of tickets handled that were resolved went from \(Show.percent(m0.resolvedShare)) to \(Show.percent(m1.resolvedShare))"
        case .fixed_absorption:
            return "the fixed bills went from \(show.amount(Quotient(numerator: m0.fixedTotal, denominator: Int128(Money.scale)))) to \(show.amount(Quotient(numerator: m1.fixedTotal, denominator: Int128(Money.scale))))"
        case .human_review, .model, .retries, .other:
            let what = s == .other ? "the other costs (embeddings, vector database, observability, integrations and infrastructure, beyond their fixed bills)" : s == .model ? "model cost (first attempts)" : s == .retries ? "retry cost" : "human review cost"
            return what + " per ticket handled went from \(show.unit(m0.variablePerTicket(s.categories))) to \(show.unit(m1.variablePerTicket(s.categories)))"
        }
    }

    /// The summary's sentences: the figures' three, then, when the month's human review was not
    /// measured, a fourth that says so (the figures leave it out).
    package var sentences: [String] {
        figureSentences + (month.humanReviewNotMeasured == true
            ? ["Human review is not measured in \(month.month.title) (\(month.notMeasuredBecause)): every figure here leaves it out."] : [])
    }

    /// Three sentences from the figures: what changed, its largest step, and what offset it (or
    /// the next largest step). Deterministic: ties go to the earlier step.
    var figureSentences: [String] {
        let now = month.month.title
        guard let p = previous else {
            return [
                "\(now) is the first month in this site: \(show.unit(month.costPerResolved)) per resolved ticket, \(show.amount(month.totalCost)) all-in over \(Show.count(month.resolvedTickets)) resolved tickets.",
                ExecutiveSummary.baselineSentence(month) + " \(month.flags) of \(month.lineCount) lines are flagged against the published figures.",
                "The variance bridge from last month starts when an earlier month is published into this site.",
            ]
        }
        guard let b = bridge else {
            return ["Cost per resolved ticket: \(show.unit(month.costPerResolved)) in \(now), \(changeText).", bridgeNote,
                    "\(month.flags) of \(month.lineCount) lines are flagged against the published figures."]
        }
        let d = b.displayed()
        let total = d.end - d.start
        let verb = total > 0 ? "rose" : total < 0 ? "fell" : "held"
        var first = "Cost per resolved ticket \(verb) from \(show.unit(b.start.dollars)) in \(previousName) to \(show.unit(b.end.dollars)) in \(now)"
        if total != 0, let c = change { first += " (\(signedUnit(total, decimals: d.decimals)), \(c < Quotient(0) ? "−" : "+")\(Show.percent(c < Quotient(0) ? Quotient(0).minus(c) : c)))" }
        first += gapNote + "."
        // Steps by size as printed, ties to the earlier step.
        let indexed = b.steps.enumerated().map { (i: $0.offset, step: $0.element.step, units: d.steps[$0.offset], exact: $0.element.amount) }
        let sign: Int128 = total >= 0 ? 1 : -1
        let sameWay = indexed.filter { $0.units * sign > 0 }.sorted { ($0.units * sign, -$0.i) > ($1.units * sign, -$1.i) }
        let against = indexed.filter { $0.units * sign < 0 }.sorted { (-$0.units * sign, -$0.i) > (-$1.units * sign, -$1.i) }
        func describe(_ x: (i: Int, step: BridgeStep, units: Int128, exact: Money)) -> String {
            x.step.title.lowercased() + " (" + signedUnit(x.units, decimals: d.decimals) + "): " + reason(x.step, b)
        }
        let none = "by \(d.decimals == 2 ? "a cent" : show.amount(Quotient(numerator: 1, denominator: Fixed.pow10(d.decimals)), decimals: d.decimals)) or more"
        var second = "No step moved it \(none)."
        var third = "The steps are in the table below."
        if total != 0 {
            if let top = sameWay.first { second = "The largest driver was " + describe(top) + "." }
            if let off = against.first {
                third = "Partly offsetting it, " + describe(off) + "."
            } else if sameWay.count > 1 {
                third = "Next came " + describe(sameWay[1]) + "."
            } else {
                third = "No other step moved it \(none)."
            }
        } else if let up = sameWay.first {
            // Held: the largest rise (sameWay holds the rises then) against the largest fall.
            second = "Within it, " + describe(up) + "."
            if let down = against.first { third = "Against it, " + describe(down) + "." }
        } else if let down = against.first {
            second = "Within it, " + describe(down) + "."
        }
        return [first, second, third]
    }

    // MARK: the block, in Markdown (report.md) and in HTML (the page)

    struct Tile { var label: String; var value: String; var notes: [String] }

    var tiles: [Tile] {
        [
            Tile(label: "Cost per resolved ticket", value: show.unit(month.costPerResolved), notes: previous == nil ? [changeText] : [changeText, averageText]),
            Tile(label: "Total cost", value: show.amount(month.totalCost),
                 notes: [month.humanReviewNotMeasured == true ? "the month, without human review (not measured)" : "all-in, the month"]),
            Tile(label: "Resolved tickets", value: Show.count(month.resolvedTickets), notes: ["of \(Show.count(month.tickets)) tickets handled"]),
            Tile(label: "Savings against the human baseline", value: Show.percent(month.savingsShare), notes: ["baseline \(show.unit(month.baseline)) a ticket"]),
            Tile(label: "Lines flagged", value: String(month.flags), notes: ["of \(month.lineCount) checked against the published figures; see Flags"]),
        ]
    }

    /// The bridge table's rows as printed: (label, change, running cost per resolved ticket).
    var bridgeRows: [(label: String, change: String, level: String)] {
        guard let b = bridge else { return [] }
        let d = b.displayed()
        func money(_ u: Int128) -> String { show.amount(Quotient(numerator: u, denominator: Fixed.pow10(d.decimals)), decimals: d.decimals) }
        var rows = [(b.from.month.title, "", money(d.start))]
        var level = d.start
        for (i, s) in b.steps.enumerated() {
            level += d.steps[i]
            rows.append((s.step.title, signedUnit(d.steps[i], decimals: d.decimals), money(level)))
        }
        if d.rounding != 0 {
            level += d.rounding
            rows.append(("Rounding", signedUnit(d.rounding, decimals: d.decimals), money(level)))
        }
        rows.append((b.to.month.title, signedUnit(d.end - d.start, decimals: d.decimals), money(d.end)))
        return rows
    }

    var bridgeCaption: String {
        guard let b = bridge else { return "" }
        return "From \(b.from.month.title) to \(b.to.month.title): cost per resolved ticket, step by step"
    }

    package var markdown: String {
        var s = ExecutiveSummary.begin + "## Summary\n\n"
        if !findings.isEmpty {
            s += "Findings, most dollars a month first · [findings.csv](findings.csv)\n\n"
            for (i, f) in findings.enumerated() { s += "\(i + 1). **\(SafeText.markdown(f.figure))** \(SafeText.markdown(f.why)) *\(SafeText.markdown(f.lever))*\n" }
            s += "\n"
        }
        for t in tiles { s += "- **\(t.label): \(t.value)**" + (t.notes.isEmpty ? "" : " (" + t.notes.joined(separator: "; ") + ")") + "\n" }
        s += "\n" + sentences.joined(separator: " ") + "\n\n"
        if bridge != nil {
            s += "![\(bridgeCaption)](chart-bridge.svg)\n\n"
            s += "Table: \(bridgeCaption) · [bridge.csv](bridge.csv)\n\n| Step | Change | Cost per resolved ticket |\n|---|--:|--:|\n"
            for r in bridgeRows { s += "| \(r.label) | \(r.change) | \(r.level) |\n" }
            s += "\n"
        } else if previous != nil {
            s += bridgeNote + "\n\n"
        }
        return s + ExecutiveSummary.end
    }

    package var html: String {
        let h = SafeText.html
        var s = ExecutiveSummary.begin + "<section class=\"summary\" id=\"summary\">\n<h2>Summary</h2>\n"
        if !findings.isEmpty {
            s += "<ol class=\"findings\" aria-label=\"Findings, most dollars a month first\">\n"
            for f in findings { s += "<li><strong>\(h(f.figure))</strong> \(h(f.why)) <em>\(h(f.lever))</em></li>\n" }
            s += "</ol>\n<p class=\"findings-csv\"><a href=\"findings.csv\">Findings as CSV</a></p>\n"
        }
        s += "<div class=\"tiles\">\n"
        for (i, t) in tiles.enumerated() {
            s += "<div class=\"tile\(i == 0 ? " tile-main" : "")\"><p class=\"tile-label\">\(h(t.label))</p><p class=\"tile-value\">\(h(t.value))</p>"
            for n in t.notes { s += "<p class=\"tile-note\">\(h(n))</p>" }
            s += "</div>\n"
        }
        s += "</div>\n<p class=\"summary-text\">" + h(sentences.joined(separator: " ")) + "</p>\n"
        if let svg = bridgeSVG {
            s += "<figure class=\"chart\">" + svg + "<figcaption>" + h(bridgeCaption) + "</figcaption></figure>\n"
            s += "<table>\n<caption>" + h(bridgeCaption) + " · <a href=\"bridge.csv\">bridge.csv</a></caption>\n<thead>\n<tr>\n<th>Step</th>\n<th align=\"right\">Change</th>\n<th align=\"right\">Cost per resolved ticket</th>\n</tr>\n</thead>\n<tbody>\n"
            for r in bridgeRows { s += "<tr>\n<td>\(h(r.label))</td>\n<td align=\"right\">\(h(r.change))</td>\n<td align=\"right\">\(h(r.level))</td>\n</tr>\n" }
            s += "</tbody>\n</table>\n"
        } else if previous != nil {
            s += "<p>" + h(bridgeNote) + "</p>\n"
        }
        return s + "</section>\n" + ExecutiveSummary.end
    }

    /// The waterfall chart, or nil without a bridge.
    package var bridgeSVG: String? {
        guard let b = bridge else { return nil }
        let d = b.displayed()
        return Charts.waterfall(id: "bridge", title: "Variance bridge, cost per resolved ticket",
                                month: b.to.month.title,
                                description: bridgeCaption + ": " + bridgeRows.map { "\($0.label) \($0.change.isEmpty ? $0.level : $0.change)" }.joined(separator: "; ") + ".",
                                start: (b.from.month.title, d.start),
                                steps: b.steps.enumerated().map { ($0.element.step.title, d.steps[$0.offset]) } + (d.rounding != 0 ? [("Rounding", d.rounding)] : []),
                                end: (b.to.month.title, d.end), decimals: d.decimals, show: show)
    }

    /// chart-bridge.svg: the chart with its title, month and source.
    package var bridgeFile: String? {
        guard let svg = bridgeSVG, let b = bridge else { return nil }
        return Charts.standalone(svg, title: "Variance bridge: cost per resolved ticket, \(b.from.month.title) to \(b.to.month.title)", month: b.to.month.title,
                                 source: "Source: costper, from the summary.json of \(b.from.month.description) and \(b.to.month.description)")
    }

    /// bridge.csv: the start, the seven steps and the end; exact amounts (9 decimals: they add up to
    /// the nano-dollar) and the amounts as printed.
    package var bridgeCSV: CSVDocument {
        var d = CSVDocument(header: ["row", "from_month", "to_month", "amount_usd", "shown_usd"])
        guard let b = bridge else { return d }
        let shown = b.displayed()
        func cents(_ u: Int128) -> CSVCell { .number(Fixed.formatRatio(u, Fixed.pow10(shown.decimals), decimals: shown.decimals)) }
        let from = CSVCell.text(b.from.month.description), to = CSVCell.text(b.to.month.description)
        d.append([.text("start: cost per resolved ticket, \(b.from.month.description)"), from, to, .number(b.start.formatted(decimals: 9)), cents(shown.start)])
        for (i, s) in b.steps.enumerated() { d.append([.text(s.step.rawValue), from, to, .number(s.amount.formatted(decimals: 9)), cents(shown.steps[i])]) }
        // The printed steps' rounding, when they miss the printed change: nothing exact, all shown.
        if shown.rounding != 0 { d.append([.text("rounding"), from, to, .number(Money.zero.formatted(decimals: 9)), cents(shown.rounding)]) }
        d.append([.text("end: cost per resolved ticket, \(b.to.month.description)"), from, to, .number(b.end.formatted(decimals: 9)), cents(shown.end)])
        return d
    }

    /// summary.json's comparison keys (replaced in every later month when an earlier one is published).
    var jsonFields: [(String, JSONValue)] {
        [
            ("previous_month", previous.map { .string($0.month.description) } ?? .null),
            ("previous_cost_per_resolved_ticket_usd", .money(previous?.costPerResolved)),
            ("change_from_previous_share", .money(change)),
            ("average_months", .array(averageMonths.map { .string($0.month.description) })),
            ("average_cost_per_resolved_ticket_usd", .money(average)),
            ("change_from_average_share", .money(changeFromAverage)),
            ("bridge", bridge.map { b in
                .object([("from_month", .string(b.from.month.description)), ("to_month", .string(b.to.month.description)),
                         ("start_usd", .money(b.start)), ("end_usd", .money(b.end)),
                         ("steps", .object(b.steps.map { ($0.step.rawValue, .money($0.amount)) }))])
            } ?? .null),
        ]
    }

    /// headline.csv's comparison rows.
    var headlineRows: [[CSVCell]] {
        [
            [.text("previous month's cost per resolved ticket"), .money(previous?.costPerResolved), .text("USD")],
            [.text("change from the previous month"), .ratio(change), .text("share")],
            [.text("average cost per resolved ticket of up to 3 earlier months"), .money(average), .text("USD")],
            [.text("change from that average"), .ratio(changeFromAverage), .text("share")],
        ]
    }
}
