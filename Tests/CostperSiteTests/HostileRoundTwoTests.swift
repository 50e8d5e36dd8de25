// Issue 14 ("Hostile inputs, round two"), through the built executable and the I/O edge: no hang
// on a FIFO, no SIGBUS on a file truncated while mapped, concurrent runs into one --out leave a
// whole, consistent site, --out on another file system, copies of an export refused, settings and
// templates with NUL or invalid bytes refused, template nesting limited, control characters shown.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperIO
@testable import CostperSite

/// `costper ARGS` killed after `seconds` (a regression that hangs fails instead of hanging the suite).
func runCostperBounded(_ args: [String], seconds: Int = 20) throws -> (status: Int32, stdout: String, stderr: String) {
    let exe = ProcessInfo.processInfo.environment["COSTPER_EXE"] ?? repoRoot.appendingPathComponent(".build/debug/costper").path
    return try runCostper(["-k", "2", String(seconds), exe] + args, executable: URL(fileURLWithPath: "/usr/bin/timeout"))
}

/// A copy of the tiny month, its dates moved to `month` (2026-10 by default).
func tinyInput(_ name: String = #function, month: String = "2026-10") throws -> URL {
    let dir = try temporaryFolder(name).appendingPathComponent("in")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for f in try FileManager.default.contentsOfDirectory(atPath: fixture("tiny").path) {
        let text = try String(contentsOf: fixture("tiny").appendingPathComponent(f), encoding: .utf8)
        try text.replacingOccurrences(of: "2026-10", with: month).write(to: dir.appendingPathComponent(f), atomically: true, encoding: .utf8)
    }
    return dir
}

@Suite struct HostileRoundTwoTests {
    // MARK: item 2, no hang

    /// A named pipe in place of any input file: open() used to wait for a writer forever.
    @Test(arguments: ["requests.csv", "tickets.csv", "fixed_costs.csv", "costper.toml", "forecast.csv", "extra.jsonl"])
    func aNamedPipeInTheInputFolderStopsTheRun(_ file: String) throws {
        let input = try tinyInput("fifo" + file.filter(\.isLetter))
        let path = input.appendingPathComponent(file).path
        try? FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o644) == 0)
        let out = input.deletingLastPathComponent().appendingPathComponent("site")
        let start = Date()
        let r = try runCostperBounded(["report", "--input", input.path, "--out", out.path])
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr == "\(file): error: is not a regular file (a named pipe): costper reads only regular files\n", "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func aNamedPipeAsTemplateOrConfigOptionStopsTheRun() throws {
        let input = try tinyInput()
        let fifo = input.deletingLastPathComponent().appendingPathComponent("settings.toml").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let r = try runCostperBounded(["report", "--input", input.path, "--out", input.deletingLastPathComponent().appendingPathComponent("site").path, "--config", fifo])
        #expect(r.status == 65)
        #expect(r.stderr.contains("is not a regular file (a named pipe)"))
    }

    /// A file truncated while it is mapped: reads past the new end used to raise SIGBUS (exit 135).
    /// Now they read zeros, and the check after reading stops the run naming the file.
    @Test func aFileTruncatedWhileMappedIsAnErrorNotASIGBUS() throws {
        let dir = try temporaryFolder()
        let url = dir.appendingPathComponent("requests.csv")
        try Data(repeating: UInt8(ascii: "x"), count: 4 << 20).write(to: url)
        let f = try MappedFile(path: url.path, name: "requests.csv")
        #expect(truncate(url.path, 4096) == 0)
        var sum = 0
        for b in f.bytes { sum &+= Int(b) }          // touches every page, most of them past the end
        #expect(sum > 0)
        do { try f.checkUnchanged(); Issue.record("no error") } catch {
            #expect(error.location?.file == "requests.csv")
            #expect(error.message.contains("changed while costper read it"), "\(error.message)")
        }
        // Grown while read: also refused (the rows past the mapped end would be missing).
        let g = dir.appendingPathComponent("tickets.csv")
        try Data("a\n".utf8).write(to: g)
        let m = try MappedFile(path: g.path, name: "tickets.csv")
        let h = try FileHandle(forWritingTo: g); h.seekToEndOfFile(); h.write(Data("b\n".utf8)); try h.close()
        #expect(throws: CostperError.self) { try m.checkUnchanged() }
        // Unchanged: fine.
        let u = try MappedFile(path: url.path, name: "requests.csv")
        try u.checkUnchanged()
    }

    // MARK: items 4 and 5, publication

    /// 20 pairs of runs into one --out at once (two months, then the same month twice with
    /// different totals): every run exits 0 and the site is consistent after each pair (the index
    /// lists every month folder; each month's total in the index is its summary.json total).
    @Test func concurrentRunsIntoOneSiteLeaveItConsistent() throws {
        let october = try tinyInput("october")
        let november = try tinyInput("november", month: "2026-11")
        let octoberB = try tinyInput("octoberB")
        try "month,category,name,amount_usd\n2026-10,infrastructure,Hosting and queue,45.00\n".write(to: octoberB.appendingPathComponent("fixed_costs.csv"), atomically: true, encoding: .utf8)
        let out = try temporaryFolder().appendingPathComponent("site")
        let exe = ProcessInfo.processInfo.environment["COSTPER_EXE"] ?? repoRoot.appendingPathComponent(".build/debug/costper").path
        func start(_ input: URL) throws -> (Process, Pipe) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = ["report", "--input", input.path, "--out", out.path]
            p.currentDirectoryURL = repoRoot
            let err = Pipe()
            p.standardOutput = FileHandle.nullDevice
            p.standardError = err
            try p.run()
            return (p, err)
        }
        for i in 0..<20 {
            let pair = i % 2 == 0 ? (october, november) : (october, octoberB)
            let a = try start(pair.0), b = try start(pair.1)
            let errA = String(decoding: a.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errB = String(decoding: b.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            a.0.waitUntilExit(); b.0.waitUntilExit()
            #expect(a.0.terminationStatus == 0, "pair \(i): \(errA)")
            #expect(b.0.terminationStatus == 0, "pair \(i): \(errB)")
            for e in [errA, errB] where !e.isEmpty { #expect(e.hasPrefix("costper: waiting for another costper run publishing into"), "\(e)") }
            try expectConsistentSite(out, pair: i)
        }
        let hidden = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        #expect(hidden.isEmpty, "\(hidden)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path) == ["site"])
    }

    func expectConsistentSite(_ out: URL, pair: Int) throws {
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        let months = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { Month($0) != nil }.sorted()
        let row = try Regex(#"<a href="(\d{4}-\d{2})/index.html">[^<]*</a></th><td class="num">[^<]*</td><td class="num">\$([0-9,.]+)</td>"#)
        var shown: [String: String] = [:]
        for m in index.matches(of: row) { shown[String(m.output[1].substring!)] = String(m.output[2].substring!) }
        #expect(shown.keys.sorted() == months, "pair \(pair): the index lists \(shown.keys.sorted()), the site holds \(months)")
        for m in months {
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(m).appendingPathComponent("summary.json"))) as! [String: Any]
            let total = (summary["total_cost_usd"] as! NSNumber).decimalValue
            var rounded = Decimal(), t = total
            NSDecimalRound(&rounded, &t, 2, .bankers)
            let figure = shown[m]?.replacingOccurrences(of: ",", with: "")
            #expect(figure.flatMap { Decimal(string: $0) } == rounded, "pair \(pair): \(m) shows \(figure ?? "nothing"), summary.json holds \(total)")
        }
    }

    /// --out as a symlink into another file system (a tmpfs): the month used to be staged beside
    /// the symlink and the rename failed with "Invalid cross-device link".
    @Test func outOnAnotherFileSystem() throws {
        let shm = URL(fileURLWithPath: "/dev/shm")
        guard FileManager.default.isWritableFile(atPath: shm.path) else { return }
        let target = shm.appendingPathComponent("costper-test-\(getpid())-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: target) }
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let link = try temporaryFolder().appendingPathComponent("site")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let input = try tinyInput()
        for _ in 0..<2 {
            let r = try runCostperBounded(["report", "--input", input.path, "--out", link.path])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted() == ["2026-10", "assets", "index.html", "tenants_by_month.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: link.deletingLastPathComponent().path) == ["site"])
    }

    // MARK: item 7, copies of an export

    @Test(arguments: ["requests (copy).csv", "requests copy.csv", "requests - Copy.csv", "Copy of requests.csv", "requests (1).csv", "requests-1.csv"])
    func aCopyOfTheRequestsFileStopsTheRun(_ name: String) throws {
        let input = try tinyInput("copy" + name.filter(\.isLetter))
        try FileManager.default.copyItem(at: input.appendingPathComponent("requests.csv"), to: input.appendingPathComponent(name))
        // A changed byte: only the name says it is a copy.
        let h = try FileHandle(forWritingTo: input.appendingPathComponent(name)); h.seekToEndOfFile(); h.write(Data("\n".utf8)); try h.close()
        let r = try runCostperBounded(["report", "--input", input.path, "--out", input.deletingLastPathComponent().appendingPathComponent("site").path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("requests.csv and \(name) look like copies of one export"), "\(r.stderr)")
    }

    @Test func theSameBytesUnderAnotherNameStopTheRun() throws {
        let input = try tinyInput()
        try FileManager.default.copyItem(at: input.appendingPathComponent("requests.csv"), to: input.appendingPathComponent("october_calls.csv"))
        let r = try runCostperBounded(["report", "--input", input.path, "--out", input.deletingLastPathComponent().appendingPathComponent("site").path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("october_calls.csv and requests.csv are the same file (SHA-256") || r.stderr.contains("requests.csv and october_calls.csv are the same file (SHA-256"), "\(r.stderr)")
    }

    @Test func partsOfAnExportAreNotCopies() {
        #expect(InputFolder.copyStem("spend_1.json") == "spend")
        #expect(InputFolder.copyStem("requests (copy 2).csv") == "requests")
        #expect(InputFolder.copyStem("otel-2026-10.json") == "otel-2026")
        #expect(InputFolder.copyStem("requests.csv") == "requests")
    }

    // MARK: item 6, settings and templates

    @Test func aNulInCostperTomlStopsTheRunWithItsLine() throws {
        let input = try tinyInput()
        var bytes = Array(try Data(contentsOf: input.appendingPathComponent("costper.toml")))
        bytes = Array("company = \"Acme\"\n".utf8) + [0] + Array("\n".utf8) + bytes
        try Data(bytes).write(to: input.appendingPathComponent("costper.toml"))
        let r = try runCostperBounded(["report", "--input", input.path, "--out", input.deletingLastPathComponent().appendingPathComponent("site").path])
        #expect(r.status == 65)
        #expect(r.stderr == "costper.toml:2: error: a NUL byte: settings and templates are text\n", "\(r.stderr)")
    }

    @Test(arguments: [[UInt8(0)], [UInt8(0xFF)], [UInt8(0xC0), 0xAF]])
    func aBadByteInATemplateStopsTheRunWithItsLine(_ bad: [UInt8]) throws {
        let templates = try temporaryFolder("tpl\(bad.first!)").appendingPathComponent("templates")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("Templates"), to: templates)
        let report = templates.appendingPathComponent("report.md.mustache")
        try Data(Array("# Title\n\nline ".utf8) + bad + Array("\n".utf8) + Array(try Data(contentsOf: report))).write(to: report)
        let input = try tinyInput("tplin\(bad.first!)")
        let r = try runCostperBounded(["report", "--input", input.path, "--out", input.deletingLastPathComponent().appendingPathComponent("site").path, "--templates", templates.path])
        #expect(r.status == 65)
        #expect(r.stderr.hasPrefix("\(report.path):3: error:"), "\(r.stderr)")
    }

    /// 100,000 nested sections overflowed the parser's stack (SIGSEGV): a limit of 100, with the line.
    @Test func deeplyNestedSectionsAreATemplateError() throws {
        let deep = String(repeating: "{{#a}}\n", count: 100_000) + String(repeating: "{{/a}}", count: 100_000)
        do { _ = try TemplateSet(report: deep, layout: "", index: "", stylesheet: ""); Issue.record("parsed") } catch {
            #expect(error.message == "Templates/report.md.mustache:101: template error: sections nested more than 100 deep", "\(error.message)")
        }
        // Inverted sections and changed delimiters count too.
        let hidden = "{{=<% %>=}}" + String(repeating: "<%^a%>", count: 101) + String(repeating: "<%/a%>", count: 101)
        #expect(throws: CostperError.self) { try TemplateSet(report: hidden, layout: "", index: "", stylesheet: "") }
        // 100 deep is fine.
        let ok = String(repeating: "{{#alerts}}", count: 100) + String(repeating: "{{/alerts}}", count: 100)
        _ = try TemplateSet(report: ok, layout: "", index: "", stylesheet: "")
    }

    // MARK: item 8, text

    /// ESC, C1, DEL and bidi controls in names: `<U+…>` in the page, the CSVs and the terminal;
    /// e-mail- and URI-like names never become links; the formula guard sees through invisible
    /// leading characters and full-width signs.
    @Test func controlsBidiLinksAndFormulasInNames() throws {
        let input = try tinyInput()
        let names = ["esc\u{1B}[31mred", "rtl\u{202E}gnp.exe", "c1\u{85}x\u{7F}", "billing@evil.example", "xmpp:ceo@evil.example/x",
                     "\u{2003}=1+1", "\u{200B}@SUM(A1)", "\u{FEFF}-2", "\u{FF1D}HYPERLINK(1)", "\u{3000}\u{FF0B}1", "\u{0B}=1"]
        // One ticket per name (T1-T3 keep their requests; the others have none).
        var tickets = "ticket_id,outcome,tenant,closed_at\n"
        for (i, n) in names.enumerated() {
            tickets += "T\(i + 1),\(i % 2 == 0 ? "auto_resolved" : "escalated"),\"\(n)\",2026-10-0\(i % 9 + 1)T10:00:00Z\n"
        }
        try tickets.write(to: input.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        let out = input.deletingLastPathComponent().appendingPathComponent("site")
        let r = try runCostperBounded(["report", "--input", input.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let month = out.appendingPathComponent("2026-10")
        let html = try String(contentsOf: month.appendingPathComponent("index.html"), encoding: .utf8)
        for n in names {
            for ch in n.unicodeScalars where Scalars.visibleEscape(ch) != nil {
                #expect(!html.unicodeScalars.contains(ch), "U+\(String(ch.value, radix: 16)) reached the page")
            }
        }
        #expect(html.contains("esc&lt;U+001B&gt;[31mred") && html.contains("rtl&lt;U+202E&gt;gnp.exe"))
        #expect(!html.contains("mailto:"))
        #expect(!html.contains("href=\"xmpp:"))
        let csv = String(decoding: try Data(contentsOf: month.appendingPathComponent("by_tenant.csv")), as: UTF8.self)
        #expect(!csv.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x85 || $0.value == 0x7F })
        for row in readCSV(Array(csv.utf8)).dropFirst() {
            let cell = row[0].unicodeScalars.drop { [0x20, 0x0B, 0x0C, 0xA0, 0x200B, 0x3000, 0xFEFF, 0x2003].contains($0.value) }
            if let f = cell.first { #expect(!["=", "+", "-", "@", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"].contains(f), "\(row[0]) is a formula") }
        }
    }

    @Test func safeTextForEveryPlace() {
        #expect(SafeText.csvCellText("\u{2003}=1") == "'\u{2003}=1")
        #expect(SafeText.csvCellText("\u{200B}@x") == "'\u{200B}@x")
        #expect(SafeText.csvCellText("\u{FEFF}+1") == "'\u{FEFF}+1")
        #expect(SafeText.csvCellText("\u{FF1D}1") == "'\u{FF1D}1")
        #expect(SafeText.csvCellText("\u{0C}-1") == "<U+000C>-1")    // shown, so no longer a formula
        #expect(SafeText.csvCellText("plain") == "plain")
        #expect(SafeText.csvCellText("a\u{1B}b") == "a<U+001B>b")
        #expect(SafeText.html("a\u{202E}b") == "a&lt;U+202E&gt;b")
        #expect(SafeText.markdown("a\u{1B}b") == "a\\<U+001B\\>b")
        // Autolinks: @ and : are escaped, so cmark-gfm's autolink extension finds nothing to link.
        #expect(SafeText.markdown("billing@evil.example") == "billing\u{2060}\\@evil.example")
        #expect(SafeText.markdown("xmpp:ceo@evil.example/x") == "xmpp\\:ceo\u{2060}\\@evil.example/x")
    }
}

/// The round-two file cases of Tests/Fixtures/hostile beyond what `corpusCase` checks.
@Suite struct HostileRoundTwoCorpusTests {
    @Test func nfcAndNfdAreOneTenantEverywhere() throws {
        let r = try runReport(fixture("hostile/nfc-nfd-names"))
        #expect(r.status == 0, "\(r.stderr)")
        let cafe = try r.csv("by_tenant.csv").dropFirst().filter { $0[0].unicodeScalars.first == "c" && $0[0].hasPrefix("caf") }
        #expect(cafe.count == 1, "\(cafe)")
        #expect(cafe.first?[0].unicodeScalars.elementsEqual("caf\u{E9}".unicodeScalars) == true)
        let byMonth = String(decoding: try Data(contentsOf: r.out.appendingPathComponent("tenants_by_month.csv")), as: UTF8.self)
        #expect(byMonth.components(separatedBy: "caf").count - 1 == 1)
        // The budget named in NFD counts the one tenant.
        let budgets = try r.csv("budgets.csv").dropFirst()
        #expect(budgets.count == 1)
    }

    @Test func controlNamesAreVisibleEverywhere() throws {
        let r = try runReport(fixture("hostile/control-names"))
        #expect(r.status == 0, "\(r.stderr)")
        for file in ["index.html", "report.md", "by_tenant.csv", "by_endpoint.csv"] {
            let text = try r.text(file)
            for v in [0x1B, 0x202E, 0x85, 0x7F, 0x2066, 0x2069] as [UInt32] {
                #expect(!text.unicodeScalars.contains { $0.value == v }, "\(file) holds U+\(String(v, radix: 16))")
            }
        }
        let html = try r.text("index.html")
        #expect(html.contains("esc&lt;U+001B&gt;[31mred"))
        #expect(!html.contains("mailto:") && !html.contains("href=\"xmpp:"))
        #expect(try r.csv("by_tenant.csv").contains { $0[0] == "rtl<U+202E>gnp.exe" })
    }

    @Test func invisibleLeadingCharactersDoNotHideAFormula() throws {
        let r = try runReport(fixture("hostile/invisible-formula-names"))
        #expect(r.status == 0, "\(r.stderr)")
        for file in ["by_tenant.csv", "by_endpoint.csv"] {
            let labels = try r.csv(file).dropFirst().map { $0[0] }
            for n in ["\u{2003}=1+1", "\u{200B}@SUM(A1)", "\u{FEFF}-2", "\u{FF1D}HYPERLINK(1)", "\u{3000}\u{FF0B}1", "\u{205F}\u{FF20}x", "\u{2000}\u{FF0D}3"] {
                #expect(labels.contains("'" + n), "\(file) lacks '\(n)")
            }
        }
    }

    @Test func stickyRoundingAndClosedBeforeOpened() throws {
        let a = try accounts(fixture("hostile/sticky-rounding"))
        #expect(a.costByCategory[.model] == Money(nanos: 5_000_000 + 1))   // 0.002 + 0.003 + one nano-dollar
        let b = try accounts(fixture("hostile/closed-before-opened"))
        #expect(b.notices.contains { $0.hasPrefix("tickets.csv: 2 tickets have closed_at before opened_at") }, "\(b.notices)")
        let r = try runReport(fixture("hostile/closed-before-opened"))
        #expect(try r.text("report.md").contains("2 tickets have closed\\_at before opened\\_at"))
    }
}

@Suite struct HostileTerminalTests {
    /// `costper validate` prints data: ESC and bidi controls reach the terminal only as `<U+…>`.
    @Test func validatePrintsControlsVisibly() throws {
        let r = try runCostperBounded(["validate", "--input", fixture("hostile/control-names").path, "--month", "2026-10"])
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x85 })
        #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x85 })
        let bad = try runCostperBounded(["validate", "--input", fixture("hostile/bom-in-middle").path, "--month", "2026-10"])
        #expect(bad.stdout.contains("\\u{feff}"))
    }
}

@Suite struct CalculatorOverflowTests {
    /// The calculators with extreme arguments: a figure or a usage error (64) with a sentence,
    /// never a trap (exit 132) and never a wrapped or saturated figure.
    @Test(arguments: [
        (["baseline", "--loaded-annual", "50000.123456789", "--hours", "1800.123456789", "--aht-minutes", "6.123456789", "--repeat-factor", "1.323456789", "--overhead", "0.253456789"], Int32(0)),
        (["baseline", "--loaded-annual", "9000000000", "--hours", "0.000000001", "--aht-minutes", "100000000"], Int32(64)),
        (["roi", "--tickets", "9223372036854775807", "--deflection", "1", "--human-cost-per-ticket", "9000000000", "--ai-cost-monthly", "0.000000001"], Int32(64)),
        (["roi", "--tickets", "9223372036854775807", "--deflection", "0.000000001", "--human-cost-per-ticket", "0.000000001", "--ai-cost-monthly", "0.000000001"], Int32(0)),
        (["compare", "--cost-per-outcome", "9000000000", "--domain", "support", "--volume", "9223372036854775807", "--fixed-monthly", "9000000000"], Int32(0)),
    ])
    func extremeArguments(_ args: [String], _ status: Int32) throws {
        let r = try runCostperBounded(args)
        #expect(r.status == status, "\(args): \(r.stderr)")
        if status == 64 { #expect(r.stderr.hasPrefix("costper: error: ") && r.stderr.contains("outside costper's money range"), "\(r.stderr)") }
    }

    @Test func estimateWithA9000DollarPerTokenPriceIsAUsageError() throws {
        let dir = try temporaryFolder()
        let prices = dir.appendingPathComponent("prices.csv")
        try "model,input_per_mtok_usd,output_per_mtok_usd\ngpt-x,9000000000,9000000000\n".write(to: prices, atomically: true, encoding: .utf8)
        let r = try runCostperBounded(["estimate", "--model", "gpt-x", "--prices", prices.path, "--volumes", "1000000000", "--system-tokens", "10000000", "--turns", "1000"])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("outside costper's money range"))
    }
}
