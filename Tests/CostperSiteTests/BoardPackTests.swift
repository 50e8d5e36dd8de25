// The board pack's formats: the paper setting, the printed page (report.pdf through headless
// Chromium), the workbook (report.xlsx through libxlsxwriter, read back with openpyxl), and the
// month page at a phone's width. The tests that need Chromium, poppler-utils or openpyxl say so and
// stop when they are missing (`make test` installs them).
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
import CostperIO
import XLSX

@Suite struct BoardPackValueTests {
    @Test func paperIsA4OrLetterAndNothingElse() throws {
        #expect(try CostperConfig.parse("").paper == .a4)
        #expect(try CostperConfig.parse("[report]\npaper = \"Letter\"\n").paper == .letter)
        #expect(try CostperConfig.parse("[report]\npaper = \"a4\"\n").paper == .a4)
        #expect(Paper.letter.css == "letter" && Paper.a4.css == "A4")
        do {
            _ = try CostperConfig.parse("[report]\npaper = \"A3\"\n")
            Issue.record("paper = A3 was accepted")
        } catch {
            #expect(error.description == "costper.toml: report.paper: must be \"A4\" or \"Letter\" (it is \"A3\")")
        }
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[report]\npaper = 4\n") }
    }

    @Test func aCSSStringFromTheSettingsCannotLeaveItsString() {
        #expect(PrintLayout.cssString("Acme · October 2026") == "\"Acme · October 2026\"")
        // The space after a hex escape ends it and is consumed: "a" ":" "b" stays "a:b".
        #expect(PrintLayout.cssString("a:b") == "\"a\\00003a b\"")
        let hostile = PrintLayout.cssString("x\"; } @page { size: 1px } </style><script>alert(1)</script>\\\n\u{202E}")
        let inner = hostile.dropFirst().dropLast()
        for bad in ["\"", ";", "}", "{", "<", ">", "\\\n", "\n", "\u{202E}"] { #expect(!inner.contains(bad), "\(bad) left raw") }
        #expect(hostile.contains("\\00003c "))   // "<" escaped
    }

    @Test func thePrintedPageLinksNoFileBesideIt() {
        let page = "<link rel=\"stylesheet\" href=\"../assets/style.css\"><p><a href=\"by_tenant.csv\">by_tenant.csv</a> "
            + "<a href=\"https://sierra.ai/blog\">Sierra</a> <a href=\"#method\">Method</a> <a href=\"../index.html\">All</a></p>"
        #expect(PrintLayout.printable(page: page, stylesheet: "p { margin: 0 }\n") ==
                "<style>\np { margin: 0 }\n</style><p><a>by_tenant.csv</a> <a href=\"https://sierra.ai/blog\">Sierra</a> <a href=\"#method\">Method</a> <a>All</a></p>")
        // A replaced stylesheet cannot close the <style> element.
        #expect(!PrintLayout.printable(page: page, stylesheet: "</style><script>").contains("</style><script>"))
    }

    @Test func pdfDatesAreReplacedInPlaceFromTheReportClock() throws {
        let pdf = Array("%PDF-1.4\n<</CreationDate (D:20261125201825+00'00')\n/ModDate (D:20261125201825+00'00')>>\nxref 42".utf8)
        let fixed = try #require(PrintedReport.fixingDates(pdf, clock: 1_790_000_000))
        #expect(fixed.count == pdf.count)   // the cross-reference offsets stay true
        #expect(PrintedReport.pdfDate(1_790_000_000) == "D:20260921141320+00'00'")
        #expect(String(decoding: fixed, as: UTF8.self) ==
                "%PDF-1.4\n<</CreationDate (D:20260921141320+00'00')\n/ModDate (D:20260921141320+00'00')>>\nxref 42")
        #expect(PrintedReport.fixingDates(Array("%PDF-1.4 /ModDate (D:2026Z)".utf8), clock: 0) == nil)
        #expect(PrintedReport.fixingDates(Array("%PDF-1.4 nothing".utf8), clock: 0) == nil)
    }

    @Test func sheetNamesAreValidAndUnique() {
        var used = Set<String>()
        #expect(ReportWorkbook.sheetName("by_tenant", used: &used) == "by_tenant")
        #expect(ReportWorkbook.sheetName("BY_TENANT", used: &used) == "BY_TENANT (2)")
        let long = ReportWorkbook.sheetName("a/b\\c[d]e:f*g?h 0123456789012345678901234567890", used: &used)
        #expect(long == "a_b_c_d_e_f_g_h 012345678901234")
        #expect(long.count == 31)
        #expect(ReportWorkbook.sheetName("'quoted'", used: &used) == "quoted")
        #expect(ReportWorkbook.sheetName("''", used: &used) == "Sheet")
    }

    @Test func currencyFormatsComeFromOneFunction() {
        #expect(ReportWorkbook.currencyFormat("USD") == "$#,##0.00")
        #expect(ReportWorkbook.currencyFormat("USD", decimals: 4) == "$#,##0.0000")
        #expect(ReportWorkbook.currencyFormat("CHF") == "#,##0.00 \"CHF\"")
        #expect(ReportWorkbook.currencyFormat("x\"y") == "#,##0.00 \"?\"")
    }

    /// The workbook holds one sheet per CSV file, in typed cells equal to the CSV's values.
    @Test func theWorkbookIsTheCSVTablesTyped() throws {
        let site = try buildMonth(fixture("tiny"), prices: tinyPrices, forecast: tinyForecast, pack: BoardPack(xlsx: true, inputsDigest: "ab12"))
        let book = try #require(site.workbook)
        let csvs = site.monthFiles.keys.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
        #expect(book.sheets.map(\.name).sorted() == (csvs + ["Sources"]).sorted())
        #expect(book.sheets.first?.name == "headline" && book.created == 1_790_000_000)
        let byTenant = try #require(book.sheets.first { $0.name == "by_tenant" })
        let csv = String(decoding: site.monthFiles["by_tenant.csv"]!, as: UTF8.self).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let cost = try #require(byTenant.header.firstIndex(of: "cost_usd"))
        let share = try #require(byTenant.header.firstIndex(of: "share_of_cost"))
        let tickets = try #require(byTenant.header.firstIndex(of: "tickets"))
        let globex = try #require(byTenant.rows.first { $0[0] == .text("Globex") })
        let globexCSV = try #require(csv.first { $0.first == "Globex" })
        #expect(globex[cost] == .number(String(globexCSV[cost + 0]), format: "$#,##0.00"))
        #expect(globex[share] == .number(String(globexCSV[share]), format: "0.0%"))
        #expect(globex[tickets] == .number(String(globexCSV[tickets]), format: "#,##0"))
        #expect(byTenant.widths.count == byTenant.header.count && byTenant.widths.allSatisfy { $0 >= 6 && $0 <= 60 })
        let sources = try #require(book.sheets.last)
        #expect(sources.rows.contains { $0[0] == .text("input file") && $0[1] == .text("requests.csv") })
        #expect(sources.rows.last?[6] == .text("ab12"))
        #expect(sources.rows.contains { $0[2] == .text("Intercom") && $0[5] != .empty })
    }

    /// A month reported in EUR: every amount column of every sheet names EUR, as the CSV files do.
    @Test func aEURWorkbookNamesEURInItsHeaders() {
        var d = CSVDocument(header: ["tenant", "cost_usd", "share_of_cost", "first_day"])
        d.append([.text("Acme"), .money(Money(dollars: 12)), .share(Quotient(numerator: 1, denominator: 4)), .text("2026-10-05")])
        let sheet = ReportWorkbook.sheet("t", d, currency: "EUR")
        #expect(sheet.header == ["tenant", "cost_eur", "share_of_cost", "first_day"])
        #expect(sheet.rows[0][1] == .number("12.000000", format: "[$€-x-euro2] #,##0.00"))
        #expect(sheet.rows[0][2] == .number("0.250000", format: "0.0%"))
        #expect(sheet.rows[0][3] == .date(year: 2026, month: 10, day: 5, format: "yyyy-mm-dd"))
        #expect(sheet.autofilter)
        #expect(ReportWorkbook.sheet("t", d, currency: "USD").header == d.header)
    }

    /// Dates become date cells only when they are dates: a day or a month, in range; anything
    /// else in a date column stays text.
    @Test func onlyRealDatesBecomeDateCells() {
        #expect(ReportWorkbook.date("2026-10") == .date(year: 2026, month: 10, day: 1, format: "yyyy-mm"))
        #expect(ReportWorkbook.date("2024-02-29") == .date(year: 2024, month: 2, day: 29, format: "yyyy-mm-dd"))
        for s in ["2026-02-29", "2026-13", "2026-00-10", "26-10-05", "2026-10-05T00:00", "2026/10/05", "", "2026-1-05", "０２６-10"] {
            #expect(ReportWorkbook.date(s) == nil, "\(s)")
        }
    }

    @Test func textFromTheInputsIsNeutralizedAsInTheCSV() {
        var d = CSVDocument(header: ["tenant", "cost_usd", "ticket"])
        d.append([.text("=HYPERLINK(\"http://x\")"), .money(Money(nanos: 1_500_000)), .text("0000588")])
        d.append([.text("a\u{202E}b\u{1B}"), .money(Money(dollars: 12)), .text(" -1")])
        let sheet = ReportWorkbook.sheet("t", d, currency: "USD")
        #expect(sheet.rows[0] == [.text("'=HYPERLINK(\"http://x\")"), .number("0.001500", format: "$#,##0.0000"), .text("0000588")])
        #expect(sheet.rows[1] == [.text("a<U+202E>b<U+001B>"), .number("12.000000", format: "$#,##0.00"), .text("' -1")])
    }
}

/// The files the command line publishes: report.xlsx read back by openpyxl, report.pdf measured by
/// poppler-utils, the month page laid out by Chromium at 390 px.
@Suite(.serialized) struct BoardPackFileTests {
    static let chromium = PrintedReport.findChromium(path: ProcessInfo.processInfo.environment["PATH"])

    static func tool(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { access("\($0)/\(name)", X_OK) == 0 }
    }

    static func run(_ exe: String, _ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [exe] + args
        let dir = try temporaryFolder("tool")
        let outURL = dir.appendingPathComponent("out")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try? out.close()
        return (p.terminationStatus, String(decoding: try Data(contentsOf: outURL), as: UTF8.self))
    }

    /// The tiny month with a tenant named with leading zeros and one that looks like a formula.
    static func oddTenantsMonth() throws -> URL {
        let dir = try temporaryFolder("oddtenants").appendingPathComponent("input")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in ["requests.csv", "tickets.csv", "fixed_costs.csv", "costper.toml"] {
            var text = try String(contentsOf: fixture("tiny").appendingPathComponent(f), encoding: .utf8)
            text = text.replacingOccurrences(of: "Globex", with: "0000588").replacingOccurrences(of: "\"Acme, Inc.\"", with: "=1+2")
            try text.write(to: dir.appendingPathComponent(f), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func theWorkbookOpensWithTypedCellsAndIsTheSameEveryRun() throws {
        let input = try Self.oddTenantsMonth()
        let sites = [input.deletingLastPathComponent().appendingPathComponent("a"), input.deletingLastPathComponent().appendingPathComponent("b")]
        for s in sites {
            let r = try runCostper(["report", "--no-pdf", "--input", input.path, "--out", s.path])
            #expect(r.status == 0, "stderr: \(r.stderr)")
        }
        let xlsx = sites.map { $0.appendingPathComponent("2026-10/report.xlsx") }
        let a = try Data(contentsOf: xlsx[0]), b = try Data(contentsOf: xlsx[1])
        #expect(a == b, "report.xlsx differs between two runs")
        #expect(!FileManager.default.fileExists(atPath: sites[0].appendingPathComponent("2026-10/report.pdf").path))
        let page = try String(contentsOf: sites[0].appendingPathComponent("2026-10/index.html"), encoding: .utf8)
        #expect(page.contains("<a href=\"report.xlsx\">Excel workbook</a>") && !page.contains("report.pdf"))
        let index = try String(contentsOf: sites[0].appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("<a href=\"2026-10/report.xlsx\">Excel workbook</a>") && !index.contains("report.pdf"))
        // Without Chromium on the PATH: one notice, and the month publishes without a PDF.
        let noChromium = try runCostper(["report", "--input", input.path, "--out", sites[1].path], environment: ["PATH": "/nonexistent"], pdf: true)
        #expect(noChromium.status == 0, "stderr: \(noChromium.stderr)")
        #expect(noChromium.stdout.contains("costper: notice: no report.pdf: headless Chromium is not installed"), "\(noChromium.stdout)")
        #expect(!FileManager.default.fileExists(atPath: sites[1].appendingPathComponent("2026-10/report.pdf").path))
        // A later month published beside it: the index links each month's own downloads.
        let november = input.deletingLastPathComponent().appendingPathComponent("november")
        #expect(try runCostper(["sample", "--tickets", "50", "--month", "2026-11", "--out", november.path]).status == 0)
        #expect(try runCostper(["report", "--input", november.path, "--out", sites[0].path]).status == 0)
        let both = try String(contentsOf: sites[0].appendingPathComponent("index.html"), encoding: .utf8)
        #expect(both.contains("<a href=\"2026-10/report.xlsx\">Excel workbook</a>") && both.contains("<a href=\"2026-11/report.xlsx\">Excel workbook</a>"))
        guard Self.tool("python3"), (try? Self.run("python3", ["-c", "import openpyxl"]).status) == 0 else {
            print("skipped: reading report.xlsx back needs python3 with openpyxl (make test installs it: pip install openpyxl)")
            return
        }
        let script = """
        import json, sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb["by_tenant"]
        head = [c.value for c in ws[1]]
        rows = {}
        for row in ws.iter_rows(min_row=2):
            rows[str(row[0].value)] = {head[i]: [c.value, c.data_type, c.number_format] for i, c in enumerate(row)}
        weekly = wb["weekly"]
        wh = [c.value for c in weekly[1]]
        first = weekly.cell(row=2, column=wh.index("first_day") + 1)
        filters = {name: wb[name].auto_filter.ref for name in wb.sheetnames}
        print(json.dumps({"sheets": wb.sheetnames, "freeze": ws.freeze_panes, "rows": rows,
                          "created": wb.properties.created.isoformat(), "width": ws.column_dimensions["A"].width,
                          "filter": ws.auto_filter.ref, "dims": ws.dimensions, "filters": filters,
                          "first_day": [first.is_date, first.value.isoformat() if first.is_date else str(first.value), first.number_format]}))
        """
        let out = try Self.run("python3", ["-c", script, xlsx[0].path])
        #expect(out.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.out.utf8)) as? [String: Any])
        let sheets = try #require(json["sheets"] as? [String])
        #expect(sheets.first == "headline" && sheets.last == "Sources" && sheets.contains("by_tenant") && sheets.count > 20)
        #expect(json["freeze"] as? String == "A2")
        let rows = try #require(json["rows"] as? [String: [String: [Any]]])
        // The id with leading zeros stays text; the formula-like name is text with a quote in front.
        let zeros = try #require(rows["0000588"])
        #expect(zeros["tenant"]?[1] as? String == "s")
        #expect(rows["'=1+2"]?["tenant"]?[1] as? String == "s")
        // Money is a number equal to the CSV's value, in the currency format; shares in percent; counts whole.
        let csv = try String(contentsOf: sites[0].appendingPathComponent("2026-10/by_tenant.csv"), encoding: .utf8)
        let line = try #require(csv.split(separator: "\r\n").first { $0.hasPrefix("0000588,") }).split(separator: ",")
        let cost = try #require(zeros["cost_usd"])
        #expect(cost[1] as? String == "n" && cost[2] as? String == "$#,##0.00")
        #expect((cost[0] as? NSNumber)?.doubleValue == Double(String(line[4])))
        #expect(zeros["share_of_cost"]?[2] as? String == "0.0%")
        #expect((zeros["share_of_cost"]?[0] as? NSNumber)?.doubleValue == Double(String(line[5])))
        #expect(zeros["tickets"]?[1] as? String == "n" && zeros["tickets"]?[2] as? String == "#,##0")
        #expect((json["created"] as? String)?.hasPrefix("2026-10-") == true)   // the report's clock, not today
        #expect(((json["width"] as? NSNumber)?.doubleValue ?? 0) >= 8)
        // Every table sheet has an autofilter over its header and rows; days are real date cells.
        #expect(json["filter"] as? String == json["dims"] as? String, "\(json["filter"] ?? "") \(json["dims"] ?? "")")
        let filters = try #require(json["filters"] as? [String: Any])
        #expect(filters.count == sheets.count && filters.values.allSatisfy { ($0 as? String)?.hasPrefix("A1:") == true }, "\(filters)")
        // The first week of the month starts on its first day (weekly.csv: "…,2026-W40,2026-10-01,2026-10-04,…").
        let weeklyCSV = try String(contentsOf: sites[0].appendingPathComponent("2026-10/weekly.csv"), encoding: .utf8)
        #expect(weeklyCSV.split(separator: "\r\n")[1].contains(",2026-10-01,"))
        let firstDay = "2026-10-01"
        let day = try #require(json["first_day"] as? [Any])
        #expect((day[0] as? NSNumber)?.boolValue == true && day[1] as? String == firstDay + "T00:00:00" && day[2] as? String == "yyyy-mm-dd", "\(day) \(firstDay)")
    }

    /// A Chromium that fails: one notice naming it, and the month publishes without a PDF or a link to one.
    @Test func aFailingChromiumLeavesTheReportWithoutAPDF() throws {
        let dir = try temporaryFolder()
        let bin = dir.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fake = bin.appendingPathComponent("chromium")
        try "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n".write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let out = dir.appendingPathComponent("site")
        let r = try runCostper(["report", "--input", fixture("tiny").path, "--out", out.path],
                               environment: ["PATH": bin.path + ":/usr/bin:/bin"], pdf: true)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("costper: notice: no report.pdf: \(fake.path) printed no PDF (exit 3): cannot open display"), "\(r.stdout)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("2026-10").path)
        #expect(files.contains("report.xlsx") && !files.contains("report.pdf"))
        #expect(!(try String(contentsOf: out.appendingPathComponent("2026-10/index.html"), encoding: .utf8)).contains("report.pdf"))
    }

    /// The sample month's pack: at most 8 pages on A4 and on Letter, the headline on page 1, the
    /// same bytes on every run, Letter 612 x 792 pt.
    @Test func theSampleMonthPrintsToAtMostEightPagesOnA4AndLetter() throws {
        guard Self.chromium != nil, Self.tool("pdfinfo"), Self.tool("pdftotext") else {
            print("skipped: report.pdf needs chromium, and its test pdfinfo and pdftotext (make test installs chromium and poppler-utils)")
            return
        }
        let base = try temporaryFolder()
        let letterInput = base.appendingPathComponent("letter-input")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("data/sample"), to: letterInput)
        let toml = letterInput.appendingPathComponent("costper.toml")
        let text = try String(contentsOf: toml, encoding: .utf8)
        #expect(!text.contains("[report]"))
        try (text + "\n[report]\npaper = \"Letter\"\n").write(to: toml, atomically: true, encoding: .utf8)
        let runs: [(input: String, out: URL)] = [(repoRoot.appendingPathComponent("data/sample").path, base.appendingPathComponent("a4")),
                                                 (repoRoot.appendingPathComponent("data/sample").path, base.appendingPathComponent("a4-again")),
                                                 (letterInput.path, base.appendingPathComponent("letter"))]
        for r in runs {
            let res = try runCostper(["report", "--input", r.input, "--out", r.out.path], pdf: true)
            #expect(res.status == 0, "stderr: \(res.stderr)")
            #expect(!res.stdout.contains("notice: no report.pdf"), "\(res.stdout)")
        }
        let pdfs = runs.map { $0.out.appendingPathComponent("2026-10/report.pdf") }
        #expect(try Data(contentsOf: pdfs[0]) == (try Data(contentsOf: pdfs[1])), "report.pdf differs between two runs")
        for (pdf, size) in [(pdfs[0], "594.96 x 841.92 pts (A4)"), (pdfs[2], "612 x 792 pts (letter)")] {
            let info = try Self.run("pdfinfo", [pdf.path]).out
            let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
            #expect(pages >= 2 && pages <= 8, "\(pdf.lastPathComponent): \(pages) pages")
            #expect(info.contains("Page size:       \(size)"), "\(info)")
            // The report's clock (the month's latest request), not the time of the print.
            #expect((try Data(contentsOf: pdf)).contains(Data("/CreationDate (D:20261031213312+00'00')".utf8)))
            let first = try Self.run("pdftotext", ["-f", "1", "-l", "1", pdf.path, "-"]).out
            for words in ["Northwind Support: cost per resolved ticket, October 2026", "Summary", "Total cost", "Savings against the", "Cost per resolved ticket", "$1.34",
                          "Page 1 of \(pages)", "costper 0.1.0 · inputs "] {
                #expect(first.contains(words), "page 1 of \(pdf.path) lacks \(words)")
            }
        }
        let page = try String(contentsOf: runs[0].out.appendingPathComponent("2026-10/index.html"), encoding: .utf8)
        #expect(page.contains("<a href=\"report.pdf\">PDF</a> · <a href=\"report.xlsx\">Excel workbook</a>"))
        #expect(!(try Data(contentsOf: pdfs[0])).contains(Data("file://".utf8)), "the PDF links the folder it was printed in")
    }

    /// At 390 px the month page stays within the screen: wide tables scroll in their own box.
    @Test func theMonthPageFitsAPhone() throws {
        guard let chromium = Self.chromium else {
            print("skipped: the layout probe needs chromium (make test installs it)")
            return
        }
        let out = try temporaryFolder().appendingPathComponent("site")
        let r = try runCostper(["report", "--no-pdf", "--input", "data/sample", "--out", out.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        var page = try String(contentsOf: out.appendingPathComponent("2026-10/index.html"), encoding: .utf8)
        let css = try String(contentsOf: out.appendingPathComponent("assets/style.css"), encoding: .utf8)
        page = page.replacingOccurrences(of: "<link rel=\"stylesheet\" href=\"../assets/style.css\">", with: "<style>" + css + "</style>")
        // Headless Chromium's window is at least 500 px wide: the page goes in a 390 px frame, and
        // the probe compares the frame's content width with its width.
        let escaped = page.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
        let probe = """
        <!DOCTYPE html><html><body style="margin:0"><iframe id="f" style="width:390px;height:844px;border:0" srcdoc="\(escaped)"></iframe>
        <script>document.getElementById("f").addEventListener("load", function () { var d = this.contentDocument.documentElement;
        document.body.setAttribute("data-probe", d.scrollWidth + "x" + d.clientWidth); });</script></body></html>
        """
        let probeURL = out.deletingLastPathComponent().appendingPathComponent("probe.html")
        try probe.write(to: probeURL, atomically: true, encoding: .utf8)
        let dom = try Self.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + out.deletingLastPathComponent().appendingPathComponent("profile").path,
                                          "--dump-dom", probeURL.absoluteString]).out
        let measured = try #require(dom.range(of: "data-probe=\"").map { dom[$0.upperBound...].prefix { $0 != "\"" } }, "no probe in \(dom.prefix(200))")
        let parts = measured.split(separator: "x").compactMap { Int($0) }
        #expect(parts.count == 2 && parts[1] > 300 && parts[0] <= parts[1], "the page is \(measured) px (content x frame) at 390 px")
    }
}
