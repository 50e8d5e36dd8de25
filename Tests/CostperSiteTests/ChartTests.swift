// Charts a board can read (issue 26 item 6) and the sensitivity tornado (item 2): legends where
// hatching carries meaning, the iceberg's AI layer apart from human handling, the comparables'
// publisher and tier, the bridge's volume and mix apart, and text of at least 8 pt in print.
import Foundation
import Testing
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
@testable import CostperCore
@testable import CostperSite
@testable import CostperIO

@Suite struct BoardChartTests {
    static func sample() throws -> BuiltMonth {
        try buildMonth(repoRoot.appendingPathComponent("data/sample"), prices: try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-10"))
    }
    static func text(_ files: [String: [UInt8]], _ name: String) throws -> String {
        String(decoding: try #require(files[name], "no \(name)"), as: UTF8.self)
    }
    /// The texts of a chart's <text> elements, in order.
    static func texts(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text ").dropFirst().map { t in
            let body = t.drop { $0 != ">" }.dropFirst()
            return String(body.prefix { $0 != "<" })
        }
    }
    /// The legend group of a chart ("" without one).
    static func legend(_ svg: String) -> String {
        guard let a = svg.range(of: "<g class=\"legend\">"), let b = svg.range(of: "</g>", range: a.upperBound..<svg.endIndex) else { return "" }
        return String(svg[a.lowerBound..<b.upperBound])
    }

    /// Hatching means "a week cut at the month's edge" in the week chart and "a published figure"
    /// in the comparables: each chart that hatches a bar says so in its legend, with the hatch swatch.
    @Test func aChartThatHatchesABarSaysWhatTheHatchingMeans() throws {
        let files = try Self.sample().monthFiles
        let weeks = try Self.text(files, "chart-weeks.svg"), comparables = try Self.text(files, "chart-comparables.svg")
        #expect(weeks.contains("url(#weeks-hatch)\" stroke"), "the sample month has partial weeks")
        #expect(Self.legend(weeks).contains("fill=\"url(#weeks-hatch)\"") && Self.legend(weeks).contains(">a week cut at the month&#39;s edge (partial)<"))
        let cpr = AmountFormat.usd.unit(try Self.sample().record.report.accounts.costPerResolved)
        #expect(Self.legend(weeks).contains(">a full ISO week<") && Self.legend(weeks).contains(">the month: \(cpr)<"))
        #expect(Self.legend(comparables).contains("fill=\"url(#comparables-hatch)\"") && Self.legend(comparables).contains(">a published figure, at this month&#39;s scale<"))
        #expect(Self.legend(comparables).contains(">this month, ours<"))
        // Every chart of the month that hatches a bar has a legend entry with the hatch.
        for name in files.keys.filter({ $0.hasSuffix(".svg") }).sorted() {
            let svg = try Self.text(files, name)
            let id = try #require(svg.range(of: "aria-labelledby=\"").map { String(svg[$0.upperBound...].prefix { $0 != "-" }) })
            let hatched = svg.components(separatedBy: "fill=\"url(#\(id)-hatch)\"").count - 1
            let inLegend = Self.legend(svg).components(separatedBy: "fill=\"url(#\(id)-hatch)\"").count - 1
            if hatched > inLegend { #expect(inLegend >= 1, "\(name) hatches bars with no legend") }
        }
    }

    /// The iceberg shows the AI layer and human handling as two groups, each with its heading and
    /// its total, the AI layer's seven categories under the first and human review under the second.
    @Test func theIcebergGroupsTheAILayerApartFromHumanHandling() throws {
        let built = try Self.sample()
        let a = built.record.report.accounts
        let svg = try Self.text(built.monthFiles, "chart-iceberg.svg")
        let t = Self.texts(svg)
        let ai = try #require(t.firstIndex { $0.hasPrefix("AI layer: ") }), human = try #require(t.firstIndex { $0.hasPrefix("Human handling (review and escalations): ") })
        #expect(ai < human)
        // The AI layer: every category but human review; its sum to the nano-dollar, shown in cents.
        let aiNanos = CostCategory.allCases.filter { $0 != .human_review }.reduce(Int64(0)) { $0 + (a.costByCategory[$1] ?? .zero).nanos }
        #expect(aiNanos + (a.costByCategory[.human_review] ?? .zero).nanos == a.total.nanos)
        #expect(t[ai] == "AI layer: \(AmountFormat.usd.amount(Money(nanos: aiNanos))) · \(Show.percent(a.share(of: Money(nanos: aiNanos)))) of the month")
        let review = a.costByCategory[.human_review] ?? .zero
        #expect(review > .zero)
        #expect(t[human] == "Human handling (review and escalations): \(AmountFormat.usd.amount(review)) · \(Show.percent(a.share(of: review)))")
        let between = Array(t[ai..<human])
        for c in CostCategory.allCases where c != .human_review { #expect(between.contains(c.title), "\(c) under the AI layer") }
        #expect(!between.contains(CostCategory.human_review.title))
        #expect(t[human...].contains(CostCategory.human_review.title))
        // The waterline stays: the model bill above it, the rest below, hatched, in the legend.
        #expect(t.contains("waterline: visible above, hidden below"))
        #expect(Self.legend(svg).contains(">visible: the model API bill<") && Self.legend(svg).contains(">hidden: below the waterline, beyond the model bill<"))
    }

    /// Each published figure in the comparables chart carries its publisher and tier.
    @Test func theComparablesChartLabelsEachFigureWithItsPublisherAndTier() throws {
        let built = try Self.sample()
        let svg = try Self.text(built.monthFiles, "chart-comparables.svg")
        let t = Self.texts(svg)
        let compared = built.record.report.comparables.filter { $0.adjusted != nil && !$0.illustrative && $0.ours.hasPrefix("all-in") }
        #expect(!compared.isEmpty)
        for c in compared {
            let label = try #require(t.firstIndex(of: c.buildOrBuy ? c.name + ", build or buy" : c.name), "\(c.name)")
            #expect(t[label + 2] == c.publisher + " · " + c.tier.label + (c.buildOrBuy ? " + our own human handling" : ""), "\(t[label...])")
        }
        #expect(t.contains("Intercom · vendor list price + our own human handling"))
        // Text from the register is escaped: a publisher with markup stays text.
        var line = compared[0]
        line.publisher = "<b>Evil & Co</b>"
        #expect(SiteBuilder.comparableNote(line).hasPrefix("<b>Evil & Co</b> · "))
        let drawn = Charts.horizontalBars(id: "x", title: "t", description: "d", bars: [ChartBar(label: "a", value: Quotient(1), valueLabel: "$1", note: SiteBuilder.comparableNote(line))], show: .usd)
        #expect(drawn.contains("&lt;b&gt;Evil &amp; Co&lt;/b&gt; · ") && !drawn.contains("<b>"))
    }

    /// The bridge splits volume (last month's fixed bills over this month's resolved tickets) from
    /// the outcome mix; with the other steps they add up to the change exactly, and the chart and
    /// bridge.csv show both.
    @Test func theBridgeSeparatesVolumeFromMixAndTheStepsAddUp() throws {
        let before = try buildMonth(fixture("tiny"), prices: tinyPrices, forecast: tinyForecast)
        var previous = relabelled(before.record.published, "2026-09")
        // September: two more tickets handled, one fewer resolved, the same bills: both effects move.
        var f0 = try #require(previous.figures)
        f0.tickets += 2
        f0.resolvedTickets -= 1
        previous.figures = f0
        let built = try buildMonth(fixture("tiny"), prices: tinyPrices, forecast: tinyForecast, published: [previous])
        let s = ExecutiveSummary(built.record.published, earlier: [previous])
        let b = try #require(s.bridge)
        #expect(b.steps.map(\.step) == [.volume, .mix, .human_review, .model, .retries, .fixed_absorption, .other])
        #expect(b.steps.reduce(Int64(0)) { $0 + $1.amount.nanos } == b.change.nanos)
        let f1 = b.to
        let r0 = Quotient(f0.resolvedTickets), r1 = Quotient(f1.resolvedTickets), n0 = Quotient(f0.tickets), n1 = Quotient(f1.tickets)
        let fixed0 = Quotient(numerator: f0.fixedTotal, denominator: 1_000_000_000), var0 = Quotient(numerator: f0.variableTotal, denominator: 1_000_000_000)
        #expect(fixed0 > Quotient(0))
        let volume = fixed0.divided(by: r1)!.minus(fixed0.divided(by: r0)!)
        let mix = var0.divided(by: n0)!.times(n1.divided(by: r1)!.minus(n0.divided(by: r0)!))
        #expect(b.exact[.volume] == volume && b.exact[.mix] == mix)
        #expect(b.amount(.volume) == volume.asMoney && b.amount(.mix) == mix.asMoney)
        #expect(b.amount(.volume) != .zero && b.amount(.mix) != .zero)
        // The exact steps add up to the exact change.
        #expect(BridgeStep.allCases.reduce(Quotient(0)) { $0.plus(b.exact[$1]!) } == f1.costPerResolved!.minus(f0.costPerResolved!))
        // As printed: start plus the steps is the end.
        let d = b.displayed()
        #expect(d.start + d.steps.reduce(0, +) + d.rounding == d.end)
        let chart = try Self.text(built.monthFiles, "chart-bridge.svg")
        let t = Self.texts(chart)
        #expect(t.contains("Volume") && t.contains("Outcome mix"))
        #expect(Self.legend(chart).contains(">a step that raised it<") && Self.legend(chart).contains(">a step that lowered it<"))
        let csv = try Self.text(built.monthFiles, "bridge.csv")
        #expect(csv.contains("\nvolume,2026-09,2026-10,") && csv.contains("\nmix,2026-09,2026-10,"))
    }

    /// The tornado: one bar per sensitivity row that moves the figure it draws (the cost per
    /// resolved ticket in the sample), in swing order, largest on top; each bar from the figure at
    /// the low value to the figure at the high value around the base line. The rows that do not
    /// move it are named in its description and stay in the table.
    @Test func theTornadoHasOneRowPerAssumptionInSwingOrder() throws {
        let built = try Self.sample()
        let rows = try #require(built.record.report.sensitivity)
        let svg = try Self.text(built.monthFiles, "chart-sensitivity.svg")
        let page = try Self.text(built.monthFiles, "index.html")
        #expect(page.contains("<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" role=\"img\" aria-labelledby=\"sensitivity-title"))
        #expect(svg.contains("Sources:") || svg.contains("Source:"))
        func swing(_ r: SensitivityRow) -> Quotient {
            let v = r.headline.compactMap { $0 }
            return (v.max() ?? Quotient(0)).minus(v.min() ?? Quotient(0))
        }
        let expected = rows.enumerated().sorted { swing($0.element) != swing($1.element) ? swing($0.element) > swing($1.element) : $0.offset < $1.offset }.map(\.element.assumption)
        #expect(expected.first == "Labour rate with overhead, an hour" && expected[1] == "Deflected tickets counted as resolved")
        // The labels in order (a long one wraps onto a second line).
        let t = Self.texts(svg).joined(separator: "\n")
        var at = t.startIndex
        for label in expected.prefix(2) {
            let first = Charts.wrap(label, 35)[0]
            let r = try #require(t.range(of: first, range: at..<t.endIndex), "\(label) out of order")
            at = r.upperBound
        }
        // One bar side per value that moves the headline: labour rate both ways, deflected one way.
        #expect(svg.components(separatedBy: "class=\"tornado-low\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "class=\"tornado-high\"").count - 1 == 2)
        for row in rows where swing(row) > Quotient(0) {
            let base = try #require(row.headline[1])
            #expect(t.contains(AmountFormat.usd.unit(row.headline[0] ?? base) + " / " + AmountFormat.usd.unit(row.headline[2] ?? base)), "\(row.assumption)")
        }
        #expect(!t.contains("not moved"))
        for row in rows where swing(row) == Quotient(0) { #expect(!t.contains(Charts.wrap(row.assumption, 35)[0]), "\(row.assumption)") }
        #expect(svg.contains("Not moving it (in the table): Human baseline per ticket; FOCUS bills replace or add to fixed_costs.csv; Flag basis"))
        let cpr = AmountFormat.usd.unit(built.record.report.accounts.costPerResolved)
        #expect(Self.legend(svg).contains(">base: \(cpr)<") && Self.legend(svg).contains(">at the assumption&#39;s low value<"))
    }

    /// 8 pt in print: every chart's text, at its font size in user units, scaled from its viewBox
    /// width to the width style.css prints it at, is at least 8 pt (10.67 CSS px at 96 an inch).
    @Test func chartTextPrintsAtEightPointOrMore() throws {
        let files = try Self.sample().monthFiles
        let css = try String(contentsOf: repoRoot.appendingPathComponent("Templates/style.css"), encoding: .utf8)
        let print = try #require(css.range(of: "@media print {").map { String(css[$0.upperBound...]) })
        let rule = try #require(print.range(of: "figure.chart svg {").map { String(print[$0.upperBound...].prefix { $0 != "}" }) })
        let width = try #require(rule.range(of: "width: ").map { String(rule[$0.upperBound...].prefix { $0 != ";" }) })
        #expect(width.hasSuffix("cm"))
        let cm = try #require(Double(width.dropLast(2)))
        #expect(cm == Charts.printWidthCM)
        #expect(cm * 10 <= 190, "wider than the A4 column")
        let printedPx = cm / 2.54 * 96
        #expect(!rule.contains("max-height"), "a height limit would shrink the chart below its width")
        var checked = 0
        for name in files.keys.filter({ $0.hasSuffix(".svg") }).sorted() {
            let svg = try Self.text(files, name)
            // The inner chart's viewBox (a standalone file wraps it in one of the same width).
            for box in svg.components(separatedBy: "viewBox=\"0 0 ").dropFirst() {
                let viewWidth = try #require(Double(box.prefix { $0 != " " }))
                #expect(viewWidth == Charts.width, "\(name)")
            }
            for size in svg.split(separator: "font-size=\"").dropFirst().map({ Double($0.prefix { $0 != "\"" })! }) {
                let pt = size * printedPx / Charts.width * 72 / 96
                #expect(pt >= 8, "\(name): text at \(size) prints at \(pt) pt")
                checked += 1
            }
        }
        #expect(checked >= 10)
        // 12 × (16 ÷ 2.54 × 96) ÷ 640 × 72 ÷ 96 = 8.50 pt.
        #expect(abs(Double(Charts.fontSize) * printedPx / Charts.width * 0.75 - 8.5039) < 0.001)
        // On screen a chart takes the column's width.
        #expect(css.contains("figure.chart svg { width: 100%; height: auto; }"))
    }

    /// In report.pdf the chart text is at least 8 pt: nothing makes Chromium shrink the page to fit
    /// (a table wider than the column did, to 85%). Measured on the printed words: a word's box is
    /// the font size × 1.117 (Liberation Sans' ascent and descent).
    @Test func theChartsPrintAtEightPointOrMoreInTheSamplePDF() throws {
        guard BoardPackFileTests.chromium != nil, BoardPackFileTests.tool("pdftotext") else {
            print("skipped: report.pdf needs chromium and pdftotext")
            return
        }
        let out = try temporaryFolder().appendingPathComponent("site")
        let r = try runCostper(["report", "--input", "data/sample", "--out", out.path], pdf: true)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let boxes = try BoardPackFileTests.run("pdftotext", ["-bbox", out.appendingPathComponent("2026-10/report.pdf").path, "-"]).out
        var found = 0
        // Words only the charts print (their legends and the waterline).
        for word in ["visible:", "ours", "waterline:", "assumption's"] {
            for line in boxes.split(separator: "\n") where line.hasSuffix(">\(word)</word>") {
                func attr(_ n: String) -> Double? { line.range(of: n + "=\"").flatMap { Double(line[$0.upperBound...].prefix { $0 != "\"" }) } }
                let height = try #require(attr("yMax")) - (try #require(attr("yMin")))
                #expect(height / 1.117 >= 7.95, "\(word) prints at \(height / 1.117) pt")
                found += 1
            }
        }
        #expect(found >= 2, "no chart legend word found in the PDF")
    }
}
