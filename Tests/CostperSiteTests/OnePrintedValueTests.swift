@testable import CostperMoney
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperSite

/// One figure, one printed value (issue 26 item 5), and the pack's order (item 7), on the
/// committed sample render (site/2026-10, itself checked against a fresh render of data/sample by
/// PublishedSampleSiteTests): every figure rounded once, half to even, the same on the page, in
/// the CSV and in the workbook; a Rounding row where a table's printed rows miss its total.
@Suite struct OnePrintedValueTests {
    static let month = repoRoot.appendingPathComponent("site/2026-10")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: month.appendingPathComponent(name), encoding: .utf8)
    }

    /// The CSV row of `by_tenant.csv` whose tenant is `name`, as fields (the test's tenants have no
    /// comma outside their quotes but Globex's, handled by the reader's rule: quoted first field).
    static func csvValue(_ file: String, row prefix: String, column: String) throws -> String {
        let lines = try text(file).split(separator: "\r\n").map(String.init)
        let header = lines[0].replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: ",").map(String.init)
        let line = try #require(lines.first { $0.hasPrefix(prefix) }, "\(prefix) in \(file)")
        let rest = String(line.dropFirst(prefix.count)).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let i = try #require(header.firstIndex(of: column))
        return rest[i - 1]
    }

    @Test func aFigureIsPrintedTheSameOnThePageInTheCSVAndInTheWorkbook() throws {
        let md = try Self.text("report.md")
        // Globex's all-in cost, $1,173.558159: $1,173.56 in every table, sentence and budget
        // (largest remainder used to move a cent onto it in some tables and not others).
        #expect(md.contains("| Globex, Inc. | 1,313 | 912 | 9,273 | $1,173.56 |"))
        #expect(md.contains("| Globex, Inc. | $1,768.00 | $1,173.56 |"))
        #expect(md.contains("($1,173.56 of $4,559.98)"))
        #expect(md.contains("| Globex, Inc. | $1,235.00 | $1,173.56 | 95.0% |"))
        #expect(!md.contains("$1,173.55") && !md.contains("$1,173.57"))
        let csv = try Self.csvValue("by_tenant.csv", row: "\"Globex, Inc.\",", column: "cost_usd")
        #expect(csv == "1173.558159")
        #expect(AmountFormat.usd.amount(try #require(Money(exactDecimal: csv))) == "$1,173.56")
        // Human review: the same $3,506.89 in the month's figures and the cost by category.
        #expect(md.contains("| Human review | beyond the model API bill | $3,506.89 | 76.9% | $1.03 |"))
        #expect(md.contains("{{") == false)
        // No amount of a dime or more with more than cents; no non-zero amount printed as zero.
        let overPrecise = try Regex(#"\$[0-9,]*[1-9][0-9,]*\.[0-9]{3,}|\$0\.[1-9][0-9]{2,}"#)
        #expect(md.firstMatch(of: overPrecise) == nil, "\(md.firstMatch(of: overPrecise).map { String($0.0) } ?? "")")
        #expect(md.firstMatch(of: try Regex(#"\$0\.0{3,}(?![0-9])"#)) == nil)   // "$0.0000"
        #expect(md.contains("| Embeddings | beyond the model API bill | $0.00598 | <0.1% | $0.00000175 |"))
        // The category table's rows, each rounded once, print to $4,559.99: a Rounding row says so.
        #expect(md.contains("| Rounding | | -$0.01 |  |  |\n| **Total** | | **$4,559.98** | 100.0% | **$1.34** |"))

        guard (try? Self.python(["-c", "import openpyxl"]).status) == 0 else {
            print("skipped: reading report.xlsx back needs python3 with openpyxl (make test installs it)")
            return
        }
        let script = """
        import json, sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        out = {}
        for sheet, key in (("by_tenant", "Globex, Inc."), ("cost_by_category", "embeddings")):
            ws = wb[sheet]
            head = [c.value for c in ws[1]]
            for row in ws.iter_rows(min_row=2):
                if row[0].value == key:
                    out[sheet] = {head[i]: [str(c.value), c.number_format] for i, c in enumerate(row)}
        print(json.dumps(out))
        """
        let r = try Self.python(["-c", script, Self.month.appendingPathComponent("report.xlsx").path])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: [String: [String]]])
        // The workbook's cell holds the CSV's value, formatted at the page's precision.
        let globex = try #require(json["by_tenant"]?["cost_usd"])
        #expect(globex == ["1173.558159", "$#,##0.00"])
        let embeddings = try #require(json["cost_by_category"]?["cost_usd"])
        #expect(embeddings[1] == "$#,##0.00000", "\(embeddings)")   // $0.00598, as on the page
    }

    /// The pack's order: findings and tiles (the summary), the cost structure, comparisons and
    /// flags, the plan against actual, tenants; then alerts, sensitivity, assumptions and the
    /// bills; then the appendix (published ranges, sources, method, data quality). A contents
    /// list links every section.
    @Test func thePackRunsFromFindingsToTheAppendix() throws {
        let html = try Self.text("index.html")
        let order = ["Summary", "The month in figures", "The cost iceberg", "Where the money goes",
                     "Like for like: the AI layer, and build or buy", "Flags", "Comparables", "Forecast check",
                     "Margin by tenant", "Alerts", "Sensitivity", "Assumptions", "Ties to the invoices",
                     "Cloud bills (FOCUS)", "Appendix", "Method", "Data quality"]
        var positions: [Int] = []
        for title in order {
            let r = try #require(html.range(of: "<h2>\(title)</h2>"), "\(title)")
            positions.append(html.distance(from: html.startIndex, to: r.lowerBound))
        }
        #expect(positions == positions.sorted(), "\(zip(order, positions).map { "\($0.0) \($0.1)" })")
        let findings = try #require(html.range(of: "<ol class=\"findings\""))
        let tiles = try #require(html.range(of: "<div class=\"tiles\">"))
        #expect(findings.lowerBound < tiles.lowerBound)
        // The contents list links each section after the summary by its anchor.
        for title in order.dropFirst() {
            let id = PageSections.slug(title)
            #expect(html.contains("<li><a href=\"#\(id)\">\(title.replacingOccurrences(of: "&", with: "&amp;"))</a></li>") && html.contains("<section id=\"\(id)\">"), "\(title)")
        }
        // The published ranges and every source are in the appendix, not between the comparisons.
        let appendix = try #require(html.range(of: "<h2>Appendix</h2>"))
        let ranges = try #require(html.range(of: "<h3>Published ranges</h3>"))
        let sources = try #require(html.range(of: "<h3>Sources</h3>"))
        #expect(appendix.lowerBound < ranges.lowerBound && ranges.lowerBound < sources.lowerBound)
        #expect(html[sources.upperBound...].contains("Intercom"))
        // Each CSV link names its table's file.
        #expect(html.contains("Cost by category · <a href=\"cost_by_category.csv\">cost_by_category.csv</a></caption>"))
        #expect(!html.contains("\">CSV</a>"))
    }

    static func python(_ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// The workbook lists the first rejected rows and says how many more rejects.csv holds.
@Suite struct WorkbookRejectsTests {
    @Test func theRejectsSheetListsTheFirstRowsAndCountsTheRest() {
        var d = CSVDocument(header: ["file", "line", "column", "reason"])
        for i in 1...25 { d.append([.text("requests.csv"), .int(i + 1), .text("input_tokens"), .text("\"abc\" is not a whole number")]) }
        let s = ReportWorkbook.sheet("rejects", d, currency: "USD", limit: 20)
        #expect(s.rows.count == 21)
        #expect(s.rows[19].first == .text("requests.csv") && s.rows[19][1] == .number("21", format: ReportWorkbook.countFormat))
        #expect(s.rows[20].first == .text("… 5 more rows in rejects.csv (this sheet lists the first 20)"))
        #expect(s.rows[20].count == 4)
        // Within the limit: every row, no note.
        #expect(ReportWorkbook.sheet("rejects", d, currency: "USD", limit: 25).rows.count == 25)
        // The rejects are cut at 10,000; every other table only at Excel's limit.
        #expect(ReportWorkbook.rowLimit("rejects") == 10_000 && ReportWorkbook.rejectRows == 10_000)
        #expect(ReportWorkbook.rowLimit("by_prompt_version") == 1_048_574)
    }
}
