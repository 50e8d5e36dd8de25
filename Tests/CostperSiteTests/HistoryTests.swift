@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
import CostperIO

/// A history that stays true: "last month" is the latest earlier month of the site, named, and
/// publishing a month again re-renders every later month's comparison, as a fresh run would.
@Suite struct HistoryTests {
    /// Every file under `root`, by relative path.
    static func tree(_ root: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in e where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.path.dropFirst(root.path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    /// Writes a small generated month with the CLI (`costper sample`).
    static func sample(_ month: String, seed: Int, tickets: Int = 300, into dir: URL) throws -> URL {
        let folder = dir.appendingPathComponent("in-\(month)-\(seed)")
        let r = try runCostper(["sample", "--tickets", String(tickets), "--seed", String(seed), "--month", month, "--out", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        return folder
    }

    static func report(_ input: URL, _ out: URL) throws -> String {
        let r = try runCostper(["report", "--input", input.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    static func summaryBlock(_ site: URL, _ month: String) throws -> String {
        let md = try String(contentsOf: site.appendingPathComponent(month).appendingPathComponent("report.md"), encoding: .utf8)
        let b = try #require(md.range(of: ExecutiveSummary.begin)), e = try #require(md.range(of: ExecutiveSummary.end))
        return String(md[b.upperBound..<e.lowerBound])
    }

    @Test func republishingAnEarlierMonthRerendersTheLaterOnesAsAFreshRunWould() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let aug = try Self.sample("2026-08", seed: 1, into: dir), sepOld = try Self.sample("2026-09", seed: 2, into: dir)
        let sepNew = try Self.sample("2026-09", seed: 5, tickets: 450, into: dir)
        let oct = try Self.sample("2026-10", seed: 3, into: dir), nov = try Self.sample("2026-11", seed: 4, into: dir)

        // A gap: with August and October published and September missing, October compares with
        // August and says so.
        let site = dir.appendingPathComponent("site")
        _ = try Self.report(aug, site)
        _ = try Self.report(oct, site)
        let gap = try Self.summaryBlock(site, "2026-10")
        #expect(gap.contains("in August 2026 (the latest earlier month in this site: September 2026 is not in it)"), "\(gap)")
        #expect(gap.contains("Table: From August 2026 to October 2026"))
        #expect(!gap.contains("no earlier month"))

        // September published after November: October and November are re-rendered.
        _ = try Self.report(nov, site)
        _ = try Self.report(sepOld, site)
        let octBefore = try Self.summaryBlock(site, "2026-10")
        #expect(octBefore.contains("Table: From September 2026 to October 2026"))
        let novBefore = try Self.summaryBlock(site, "2026-11")
        let out = try Self.report(sepNew, site)
        #expect(out.contains("rendered the later months again against this one: 2026-10, 2026-11"), "\(out)")
        #expect(try Self.summaryBlock(site, "2026-10") != octBefore, "October's comparison with September changed")
        #expect(try Self.summaryBlock(site, "2026-11") != novBefore, "November's 3-month average includes September")

        // The same months published in calendar order into a fresh site: every file the same,
        // the later months' workbooks, PDFs and records included.
        let fresh = dir.appendingPathComponent("fresh")
        for input in [aug, sepNew, oct, nov] { _ = try Self.report(input, fresh) }
        let a = try Self.tree(site), b = try Self.tree(fresh)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.contains("2026-10/report.xlsx") && a.keys.contains("2026-10/month.json"))
        for name in a.keys.sorted() where a[name] != b[name] {
            Issue.record("\(name) differs from a fresh run's")
        }
    }

    @Test func aLaterMonthHoldingFilesCostperDidNotWriteStopsThePublication() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sep = try Self.sample("2026-09", seed: 2, into: dir), oct = try Self.sample("2026-10", seed: 3, into: dir)
        let site = dir.appendingPathComponent("site")
        _ = try Self.report(oct, site)
        let hidden = site.appendingPathComponent("2026-10/.htaccess")
        try Data("Require all granted\n".utf8).write(to: hidden)
        let before = try Self.tree(site)
        let r = try runCostper(["report", "--input", sep.path, "--out", site.path])
        #expect(r.status == 73, "\(r.stderr)")
        #expect(r.stderr.contains("2026-10 holds .htaccess, which costper does not write: publishing replaces the whole folder and would drop it"), "\(r.stderr)")
        #expect(try Self.tree(site) == before)
    }

    @Test func alertsCSVHoldsNumbers() throws {
        let files = try buildMonth(repoRoot.appendingPathComponent("data/sample"), prices: try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-10")).monthFiles
        let text = String(decoding: files["alerts.csv"]!, as: UTF8.self)
        let rows = text.split(separator: "\r\n").dropFirst()
        #expect(rows.count >= 3, "the sample month fires alerts")
        for row in rows {
            // kind, subject, severity, measure, value, threshold, unit, message, impact_usd,
            // impact_basis, material: value, threshold and impact are plain numbers (a share as a
            // fraction), never text such as '+9.6%.
            let cells = try #require(CSVReaderForTests.cells(String(row)))
            #expect(cells.count == 11)
            #expect(Double(cells[8]) != nil && ["yes", "no"].contains(cells[10]), "\(row)")
            for c in [cells[4], cells[5]] {
                #expect(Double(c) != nil && !c.contains("%") && !c.hasPrefix("'"), "\(row)")
            }
            #expect(["share", "USD", "requests"].contains(cells[6]))
        }
    }

    @Test func everyTableCaptionLinksItsCSV() throws {
        // The tiny month with an earlier month published: the bridge table is on the page too.
        let before = try buildMonth(fixture("tiny"), prices: tinyPrices, forecast: tinyForecast)
        let previous = relabelled(before.record.published, "2026-09")
        let files = try buildMonth(fixture("tiny"), prices: tinyPrices, forecast: tinyForecast, published: [previous]).monthFiles
        let html = String(decoding: files["index.html"]!, as: UTF8.self)
        var rest = Substring(html)
        var captions = 0
        while let open = rest.range(of: "<caption>"), let close = rest.range(of: "</caption>", range: open.upperBound..<rest.endIndex) {
            let caption = rest[open.upperBound..<close.lowerBound]
            captions += 1
            let link = try #require(caption.range(of: " · <a href=\""), "no CSV link in the caption \(caption)")
            let name = String(caption[link.upperBound...].prefix { $0 != "\"" })
            // The link names its table's file: `<a href="bridge.csv">bridge.csv</a>`.
            #expect(caption.hasSuffix("\">\(name)</a>"), "\(caption)")
            #expect(files[name] != nil, "\(name), linked from \(caption), is not in the month's folder")
            rest = rest[close.upperBound...]
        }
        #expect(captions >= 15)
        #expect(html.contains("<caption>From September 2026 to October 2026: cost per resolved ticket, step by step · <a href=\"bridge.csv\">bridge.csv</a></caption>"))
    }
}

/// The cells of one RFC 4180 line (quoted cells with doubled quotes).
enum CSVReaderForTests {
    static func cells(_ line: String) -> [String]? {
        var out: [String] = [], cell = "", quoted = false, i = line.startIndex
        while i < line.endIndex {
            let ch = line[i]
            if quoted {
                if ch == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex && line[next] == "\"" { cell.append("\""); i = next } else { quoted = false }
                } else { cell.append(ch) }
            } else if ch == "\"" { quoted = true } else if ch == "," { out.append(cell); cell = "" } else { cell.append(ch) }
            i = line.index(after: i)
        }
        out.append(cell)
        return quoted ? nil : out
    }
}

@Suite struct ChartLegibilityTests {
    /// Every chart of the sample month: drawn 640 wide (Charts.width), no text below 12 px. On a
    /// phone style.css keeps a chart at least 590 px wide (12 × 590 ÷ 640 ≈ 11 px text), scrolling in
    /// its own box; the print size is ChartTests' (at least 8 pt).
    @Test func chartsKeepTheirTextLegibleOnAPhone() throws {
        let files = try buildMonth(repoRoot.appendingPathComponent("data/sample"), prices: try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-10")).monthFiles
        let charts = files.keys.filter { $0.hasSuffix(".svg") }
        #expect(charts.count >= 4)
        for name in charts {
            let svg = String(decoding: files[name]!, as: UTF8.self)
            for size in svg.split(separator: "font-size=\"").dropFirst().map({ Double($0.prefix { $0 != "\"" })! }) {
                #expect(size >= 12, "\(name): text at \(size) px")
            }
            for width in svg.split(separator: " width=\"").dropFirst().compactMap({ Double($0.prefix { $0 != "\"" }) }) {
                #expect(width <= Charts.width, "\(name): \(width) px wide")
            }
            // The file carries its title, month and source line.
            #expect(svg.contains("October 2026") && svg.contains("Source"), "\(name)")
        }
        let comparables = String(decoding: files["chart-comparables.svg"]!, as: UTF8.self)
        #expect(comparables.contains(">This month: Northwind Support<") || comparables.contains(">This month: Northwind Suppo…<"))
        #expect(!comparables.contains("flagged"))
        #expect(comparables.contains(">2.00x the median figure: $4.04</text></g>"))   // the dotted line's legend   // 2 × Intercom Fin bought: $0.99 + our human handling per resolved ticket
        #expect(comparables.contains(">$0<") && comparables.contains(">USD<"), "an axis with values and its unit")
    }

    @Test func theTrendSaysWhereItsAxisStarts() {
        let points: [(label: String, value: Quotient?, valueLabel: String)] = [
            ("2026-09", Quotient(numerator: 115, denominator: 100), "$1.15"), ("2026-10", Quotient(numerator: 120, denominator: 100), "$1.20")]
        let svg = Charts.trend(id: "t", title: "t", description: "d", points: points, show: .usd)
        #expect(svg.contains("the axis starts at $1.14, not at zero"), "\(svg)")   // $1.15 less 15% of the spread, down to a $0.02 tick
        #expect(svg.contains("<path d=\"M") && svg.contains("<circle"), "a line with points")
    }
}
