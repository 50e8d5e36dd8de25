@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite

@Suite struct ReportRenderingTests {
    @Test func tinyMonthReportMatchesTheGoldenFile() throws {
        let files = try tinyMonth()
        try expectGolden(String(decoding: files["report.md"]!, as: UTF8.self), "tiny.report.md")
        try expectGolden(String(decoding: files["summary.json"]!, as: UTF8.self), "tiny.summary.json")
    }

    @Test func thePageHoldsARenderedTable() throws {
        let files = try tinyMonth()
        let html = String(decoding: files["index.html"]!, as: UTF8.self)
        #expect(html.contains("<table>"))
        #expect(html.contains("<link rel=\"stylesheet\" href=\"../assets/style.css\">"))
        #expect(html.contains("$16.68"))
        #expect(!html.contains("<script"))
        // Every table has a caption (a `Table:` line before it in the Markdown).
        let tables = html.components(separatedBy: "<table>").count - 1
        #expect(tables > 10)
        #expect(html.components(separatedBy: "<table>\n<caption>").count - 1 == tables)
        #expect(!html.contains("<p>Table:"))
    }

    @Test func sameInputsGiveIdenticalBytes() throws {
        let t = try repoTemplates()
        let one = try tinyMonth()
        let two = try tinyMonth()
        #expect(one == two)
    }

    @Test func everyFileOfOutputsMdIsWritten() throws {
        let files = try tinyMonth()
        for name in ["index.html", "report.md", "summary.json", "cost_by_category.csv", "by_tenant.csv", "by_segment.csv", "by_service_type.csv",
                     "by_outcome.csv", "by_model.csv", "by_endpoint.csv", "by_prompt_version.csv", "comparables.csv", "flags.csv",
                     "alerts.csv", "rejects.csv", "manifest.json"] {
            #expect(files[name] != nil, "\(name) is missing")
        }
    }

    @Test func summaryHasEveryKeyOfOutputsMd() throws {
        let files = try tinyMonth()
        let obj = try JSONSerialization.jsonObject(with: Data(files["summary.json"]!)) as! [String: Any]
        for key in ["month", "company", "currency", "tickets", "resolved_tickets", "requests", "outcomes", "total_cost_usd",
                    "cost_per_resolved_ticket_usd", "cost_per_ticket_usd", "cost_by_category_usd", "hidden_cost_share",
                    "baseline_cost_per_resolved_usd", "savings_share", "comparables", "flags", "rejected_rows", "orphan_requests"] {
            #expect(obj[key] != nil, "summary.json lacks \(key)")
        }
        #expect((obj["cost_by_category_usd"] as! [String: Any]).count == 8)
    }
}

@Suite struct HostileTextTests {
    let nasty = [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "**bold** [link](javascript:alert(1))",
        "=HYPERLINK(\"http://evil\")", "+1+2", "-2", "@SUM(A1)", "a | b | c", "line\nbreak", "\u{00A0}=1+1", "http://evil.example/x",
        "www.evil.example", "WWW.evil.example", "x@evil.example", "1. listed", "- dashed", "# heading", "![img](http://x/y.png)", "`code`", "&lt;b&gt;",
    ]

    @Test func namesFromDataNeverBecomeMarkupOnThePage() throws {
        var tickets = "ticket_id,outcome,tenant,closed_at\n"
        var requests = "timestamp,ticket_id,kind,cost_usd\n"
        for (i, name) in nasty.enumerated() {
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            tickets += "T\(i),auto_resolved,\(quoted),2026-10-02T10:00:00Z\n"
            requests += "2026-10-02T09:00:00Z,T\(i),llm,0.01\n"
        }
        let dir = try temporaryFolder()
        try tickets.write(to: dir.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try requests.write(to: dir.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        var a = try accounts(dir).entries
        a.config.topN = 100
        let files = try SiteBuilder.monthFiles(MonthReport(accounts: MonthAccounts(a), costperVersion: "t", cmarkVersion: "t"), templates: try repoTemplates(), inputs: [], options: [])
        let html = String(decoding: files["index.html"]!, as: UTF8.self)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"), "\(html.components(separatedBy: "<img").dropFirst().map { String($0.prefix(120)) })")
        #expect(!html.contains("href=\"javascript"))
        #expect(html.contains("[link](javascript:alert(1))"))
        #expect(!html.contains("href=\"http://evil"))
        // cmark-gfm's autolink turned a bare e-mail address into a mailto: link after escapes were
        // resolved; issue 14: data never becomes a link (a WORD JOINER before the @ prevents it).
        #expect(!html.contains("mailto:"))
        #expect(html.contains("x\u{2060}@evil.example"))
        #expect(!html.contains("<a href=\"http://www"))
        #expect(!html.replacingOccurrences(of: "<ol class=\"", with: "").contains("<ol"))   // costper's own lists (findings, contents) have a class
        #expect(!html.contains("<strong>bold</strong>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // The tenant table keeps its shape: every row has 8 cells although names hold "|".
        let tenantSection = html.components(separatedBy: "<h3>By Tenant</h3>")[1].components(separatedBy: "</table>")[0]
        for row in tenantSection.components(separatedBy: "<tr>").dropFirst(2) {
            #expect(row.components(separatedBy: "<td").count - 1 == 8, "a row lost its shape: \(row)")
        }
        // The CSV: formulas neutralized, values read back intact.
        let csv = files["by_tenant.csv"]!
        let rows = readCSV(csv)
        let labels = Set(rows.dropFirst().map { $0[0] })
        #expect(labels.contains("'=HYPERLINK(\"http://evil\")"))
        #expect(labels.contains("'+1+2"))
        #expect(labels.contains("'-2"))
        #expect(labels.contains("'@SUM(A1)"))
        #expect(labels.contains("'\u{00A0}=1+1"))
        #expect(labels.contains("line\nbreak"))
        #expect(labels.contains("a | b | c"))
    }
}

/// A strict RFC 4180 read-back of a CSV file costper wrote (BOM, CRLF).
func readCSV(_ bytes: [UInt8]) -> [[String]] {
    #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    return Bytes.of(bytes) { buf in
        var reader = CSVRecordReader(buffer: buf)
        var fields = FieldList()
        var out: [[String]] = []
        while case .record = reader.next(into: &fields) {
            out.append((0..<fields.count).map { String(decoding: fields[$0], as: UTF8.self) })
        }
        return out
    }
}

@Suite struct CSVWriterTests {
    @Test func rfc4180WithBOMAndCRLF() {
        var d = CSVDocument(header: ["name", "cost_usd", "n"])
        d.append([.text("Globex, \"Inc.\""), .money(Money(nanos: 1_500_000)), .int(3)])
        d.append([.text("=cmd"), .money(Quotient?.none), .int(Int?.none)])
        let bytes = d.bytes(in: .usd)
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "name,cost_usd,n\r\n\"Globex, \"\"Inc.\"\"\",0.001500,3\r\n'=cmd,,\r\n")
        #expect(readCSV(bytes) == [["name", "cost_usd", "n"], ["Globex, \"Inc.\"", "0.001500", "3"], ["'=cmd", "", ""]])
    }

    @Test(arguments: ["=1", "+1", "-1", "@x", "\tx", "\rx", "\nx", " =1", "\u{00A0}@x", "  \u{00A0} -x"])
    func formulasAreNeutralized(_ s: String) {
        #expect(SafeText.csvCellText(s) == "'" + s)
    }

    @Test(arguments: ["Globex", "a=b", "1-2", "", " plain", "'quoted"])
    func ordinaryTextIsUntouched(_ s: String) {
        #expect(SafeText.csvCellText(s) == s)
    }
}

@Suite struct ChartTests {
    @Test func chartsAreInlineWithTitleAndDescription() throws {
        let a = try accounts(fixture("tiny"), prices: tinyPrices)
        let r = MonthReport(accounts: a, costperVersion: "t", cmarkVersion: "t")
        let files = try SiteBuilder.monthFiles(r, templates: try repoTemplates(), inputs: [], options: [])
        let html = String(decoding: files["index.html"]!, as: UTF8.self)
        #expect(html.components(separatedBy: "<figure class=\"chart\"><svg").count - 1 == 3)   // iceberg, tenants, weeks
        #expect(!html.contains("<img"))
        let iceberg = String(decoding: files["chart-iceberg.svg"]!, as: UTF8.self)
        #expect(iceberg.contains("<title id=\"iceberg-title\">The cost iceberg, October 2026</title>"))
        #expect(iceberg.contains("<desc id=\"iceberg-desc\">Cost by category: the model bill above the waterline (0.1%), everything else below it (99.9%). Total $33.37. The AI layer $30.03 (90.0%), human handling $3.33 (10.0%).</desc>"))
        #expect(iceberg.contains("url(#iceberg-hatch)"))   // hidden categories are hatched: legible in black and white
        #expect(!iceberg.contains("script"))
    }

    @Test func coordinatesAreLocaleFreeFixedPoint() {
        #expect(Charts.n(12.34) == "12.3")
        #expect(Charts.n(-0.05) == "-0.1")
        #expect(Charts.n(100) == "100")
    }
}

@Suite struct TableCaptionTests {
    @Test func aTableLineBeforeATableBecomesItsCaption() {
        let html = "<p>Table: Cost &amp; share</p>\n<table>\n<thead>\n<p>Table: no table follows</p>\n<p>x</p>\n"
        #expect(Charts.captions(html) == "<table>\n<caption>Cost &amp; share</caption>\n<thead>\n<p>Table: no table follows</p>\n<p>x</p>\n")
        // A paragraph with markup inside is left alone.
        let marked = "<p>Table: <em>x</em></p>\n<table>\n"
        #expect(Charts.captions(marked) == marked)
    }

    @Test func aTemplateErrorNamesTheFileAndLine() throws {
        let good = try repoTemplates()
        do {
            _ = try TemplateSet(report: "# Report\n\n{{#open}}\nnever closed\n", layout: "{{{body}}}", index: "", stylesheet: "", folder: "mine")
            Issue.record("a broken template was accepted")
        } catch {
            #expect(error.message.hasPrefix("mine/report.md.mustache:"))
            #expect(error.exitCode == 65)
        }
        _ = good
    }
}

/// Every CSV of a month, read back by costper's strict RFC 4180 reader, gives what was written.
@Suite struct CSVReadBackTests {
    @Test func everyCSVOfTheMonthReadsBackStrictly() throws {
        let a = try accounts(fixture("tiny"), prices: tinyPrices)
        _ = a
        let files = try tinyMonth(forecast: nil)
        let csvs = files.keys.filter { $0.hasSuffix(".csv") }.sorted()
        #expect(csvs.count >= 20)
        for name in csvs {
            let bytes = files[name]!
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name) starts with a BOM")
            #expect(bytes.count < 5 || Array(bytes.suffix(2)) == [0x0D, 0x0A], "\(name) ends lines with CRLF")
            let rows: [[String]] = Bytes.of(bytes) { buf in
                var reader = CSVRecordReader(buffer: buf)
                var fields = FieldList()
                var out: [[String]] = []
                while true {
                    switch reader.next(into: &fields) {
                    case .end: return out
                    case .malformed(let line, let reason): Issue.record("\(name):\(line): \(reason)"); return out
                    case .record: out.append((0..<fields.count).map { String(decoding: fields[$0], as: UTF8.self) })
                    }
                }
            }
            let header = rows[0]
            for (i, row) in rows.enumerated().dropFirst() {
                #expect(row.count == header.count, "\(name):\(i + 1) has \(row.count) fields")
                for (col, value) in zip(header, row) where col.hasSuffix("_usd") && !value.isEmpty {
                    // Money: a plain number with six decimals (up to nine for an amount whose three
                    // significant figures need them), never quoted, no thousands separator.
                    #expect(value.range(of: #"^-?[0-9]+\.[0-9]{6,9}$"#, options: .regularExpression) != nil, "\(name) \(col) = \(value)")
                }
            }
        }
        // The values are the accounts' own.
        let byCategory = try #require(files["cost_by_category.csv"])
        let text = String(decoding: byCategory, as: UTF8.self)
        #expect(text.contains("\r\ninfrastructure,hidden,30.000000,"))
        #expect(text.contains("\r\ntotal,,33.368209,1.000000,16.684105,11.122736\r\n"))
        let tenants = String(decoding: files["by_tenant.csv"]!, as: UTF8.self)
        #expect(tenants.contains("\r\n\"Acme, Inc.\",1,1,"))   // a comma in a name is quoted, not split
    }
}

@Suite struct TemplateEscapingTests {
    /// A user's template gets escaping by default: {{tag}} is literal Markdown in the report and
    /// HTML text in the page; {{{tag}}} is costper's own pre-rendered text.
    @Test func doubleBracesEscapeForTheTemplatesLanguage() throws {
        let t = try TemplateSet(report: "{{company}}|{{{company}}}", layout: "{{company}}|{{{company}}}", index: "{{company}}", stylesheet: "")
        let data = ["company": "*a* <b>[l](http://e)"]
        #expect(t.report.render(data) == "\\*a\\* \\<b\\>\\[l\\](http\\://e)|*a* <b>[l](http://e)")
        #expect(t.layout.render(data) == "*a* &lt;b&gt;[l](http://e)|*a* <b>[l](http://e)")
        #expect(t.index.render(data) == "*a* &lt;b&gt;[l](http://e)")
    }
}
