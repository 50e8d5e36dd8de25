// Issue 7: hostile inputs never crash costper, never lose a row, never hang. Every case of
// Tests/Fixtures/hostile (see its README.md) runs through the built executable with its expected
// exit status, rejects (`file:line: column: reason`), rows read, and whether the report renders;
// the huge cases (a 10 MB line, 100,000 columns, cmark-gfm's pathological strings at full size)
// are generated here at run time. Each run must finish in under 20 s.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
@testable import CostperSite

/// What a hostile case must do.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var name: String
    var status: Int32 = 0
    /// A part of the one-sentence error on stderr (when the run stops).
    var stderr: String?
    /// Each rejected row, as `file:line: column: reason` (a prefix of the message), in file/line order.
    var rejects: [String] = []
    /// rows_read of the manifest, per input file.
    var rowsRead: [String: Int] = [:]
    var month: String? = "2026-10"
    var testDescription: String { month == nil ? name + " (no --month)" : name }
}

/// The result of one run of `costper report`.
struct HostileRun {
    var status: Int32
    var stderr: String
    var seconds: Double
    var out: URL
    var monthDir: URL { out.appendingPathComponent("2026-10") }
    func text(_ file: String) throws -> String { try String(decoding: Data(contentsOf: monthDir.appendingPathComponent(file)), as: UTF8.self) }
    func csv(_ file: String) throws -> [[String]] { readCSV(Array(try Data(contentsOf: monthDir.appendingPathComponent(file)))) }
    func summary() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: monthDir.appendingPathComponent("summary.json"))) as! [String: Any]
    }
    func rejectMessages() throws -> [String] {
        try csv("rejects.csv").dropFirst().map { $0[2].isEmpty ? "\($0[0]):\($0[1]): \($0[3])" : "\($0[0]):\($0[1]): \($0[2]): \($0[3])" }
    }
}

let hostileTimeLimit = 20.0

/// Runs `costper report` on `input` into a fresh site folder and checks the time bound.
func runReport(_ input: URL, month: String? = "2026-10", out: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> HostileRun {
    let site = try out ?? temporaryFolder("hostile").appendingPathComponent("site")
    var args = ["report", "--input", input.path, "--out", site.path]
    if let month { args += ["--month", month] }
    let start = Date()
    let r = try runCostper(args)
    let seconds = Date().timeIntervalSince(start)
    #expect(seconds < hostileTimeLimit, "costper report on \(input.lastPathComponent) took \(seconds) s", sourceLocation: sourceLocation)
    return HostileRun(status: r.status, stderr: r.stderr, seconds: seconds, out: site)
}

/// HTML that a browser would run: script elements, event-handler attributes, javascript: URLs.
func activeMarkup(in html: String) -> [String] {
    var found: [String] = []
    let lower = html.lowercased()
    if lower.contains("<script") { found.append("<script") }
    for pattern in [#"<[a-z][^>]*\son[a-z]+\s*="#, #"(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*javascript:"#, #"<(iframe|object|embed|img|svg[^>]*onload)"#] {
        if let r = lower.range(of: pattern, options: .regularExpression) { found.append(String(lower[r])) }
    }
    return found
}

@Suite struct HostileInputTests {
    static let cases: [HostileCase] = [
        HostileCase(name: "unbalanced-quotes", rejects: [
            "requests.csv:4: a quote inside an unquoted field",
            "requests.csv:6: unterminated quoted field (a quote opened here is never closed, so lines 6-7 were read as one row)",
        ], rowsRead: ["requests.csv": 5]),
        HostileCase(name: "ragged-rows", rejects: [
            "requests.csv:4: has 3 fields, the header has 14", "requests.csv:5: has 16 fields, the header has 14",
            "tickets.csv:4: has 2 fields, the header has 8",
        ], rowsRead: ["requests.csv": 5, "tickets.csv": 3]),
        HostileCase(name: "wrong-types", rejects: [
            "requests.csv:4: input_tokens: \"abc\" is not a whole number", "requests.csv:5: attempt: \"x\" is not a whole number",
            "requests.csv:6: status: \"maybe\" is not a status", "requests.csv:7: kind: \"gpu\" is not a kind",
            "requests.csv:8: timestamp: \"yesterday\" is not an ISO-8601 timestamp", "requests.csv:9: timestamp: \"2026-02-30T00:00:00Z\" is not an ISO-8601",
            "requests.csv:10: attempt: 0 is below 1", "tickets.csv:4: outcome: \"solved\" is not an outcome",
            "tickets.csv:5: review_minutes: \"ten\" is not a number", "tickets.csv:6: closed_at: \"yesterday\" is not an ISO-8601 timestamp",
        ]),
        HostileCase(name: "bad-numbers", rejects: [
            "requests.csv:4: cost_usd: \"12abc\" is not a number", "requests.csv:5: cost_usd: \"NaN\" is not a number",
            "requests.csv:6: cost_usd: \"Infinity\" is not a number", "requests.csv:7: cost_usd: \"-Infinity\" is not a number",
            "requests.csv:8: cost_usd: \"1e400\" is out of range", "requests.csv:9: cost_usd: \"0x10\" is not a number",
            "requests.csv:10: cost_usd: \"1,5\" is not a number", "requests.csv:11: cost_usd: \" 1\" is not a number",
            "requests.csv:12: cost_usd: \"1e\" is not a number", "requests.csv:13: cost_usd: \"--1\" is not a number",
            "requests.csv:14: cost_usd: \"1.2.3\" is not a number",
        ]),
        HostileCase(name: "negative-costs", rejects: [
            "fixed_costs.csv:3: amount_usd: \"-10\" is negative", "requests.csv:4: cost_usd: \"-0.5\" is negative",
            "requests.csv:5: cost_usd: \"-1e-3\" is negative", "tickets.csv:4: review_minutes: \"-5\" is negative",
        ]),
        HostileCase(name: "overflow-one-category",
                    rejects: (5...53).map { "requests.csv:\($0): cost_usd: adding this cost overflows the month's total (above $9.2 billion)" },
                    rowsRead: ["requests.csv": 52]),
        HostileCase(name: "overflow-across-categories", status: 65, stderr: "the month's costs add up to more than costper's money range"),
        HostileCase(name: "non-integer-tokens", rejects: [
            "requests.csv:4: input_tokens: \"1.5\" is not a whole number", "requests.csv:5: input_tokens: \"1e3\" is not a whole number",
            "requests.csv:6: output_tokens: \"-3\" is negative", "requests.csv:7: input_tokens: \"99999999999999999999\" is out of range",
            "requests.csv:8: input_tokens: is more than a trillion tokens", "requests.csv:9: cached_input_tokens: 20 is more than input_tokens (10)",
        ]),
        HostileCase(name: "duplicate-ticket-ids", rejects: [
            "tickets.csv:4: ticket_id: duplicate ticket id \"T1\" (first on line 2)", "tickets.csv:5: ticket_id: duplicate ticket id \"T2\" (first on line 3)",
        ], rowsRead: ["tickets.csv": 4]),
        HostileCase(name: "duplicate-json-keys", rejects: [
            "requests.jsonl:2: duplicate key \"cost_usd\"", "requests.jsonl:3: duplicate key \"ticket_id\"",
            "requests.jsonl:4: cost_usd: not a JSON value", "requests.jsonl:5: cost_usd: \"1e400\" is out of range",
            "requests.jsonl:6: unexpected text after the object", "requests.jsonl:7: nested more than 64 levels",
            "requests.jsonl:8: an unpaired surrogate in a string",
        ], rowsRead: ["requests.jsonl": 9]),
        HostileCase(name: "invalid-utf8", rejects: [
            "requests.csv:4: tenant: is not valid UTF-8", "requests.csv:5: endpoint: is not valid UTF-8", "requests.csv:6: ticket_id: is not valid UTF-8",
            "tickets.csv:4: tenant: is not valid UTF-8", "tickets.csv:5: ticket_id: is not valid UTF-8",
        ]),
        HostileCase(name: "nul-bytes", rejects: [
            "requests.csv:4: NUL byte in a field", "requests.csv:5: NUL byte in a field", "tickets.csv:4: NUL byte in a field",
        ], rowsRead: ["requests.csv": 5]),
        HostileCase(name: "mixed-line-endings", rejects: ["requests.csv:4: a carriage return inside an unquoted field"],
                    rowsRead: ["requests.csv": 5, "tickets.csv": 2]),
        HostileCase(name: "bom-in-middle", rejects: [
            "requests.csv:4: timestamp: \"\\u{feff}timestamp\" is not an ISO-8601 timestamp", "requests.csv:5: cost_usd: \"\\u{feff}0.5\" is not a number",
            "tickets.csv:4: outcome: \"outcome\" is not an outcome",
        ], rowsRead: ["requests.csv": 5, "tickets.csv": 4]),
        HostileCase(name: "empty-tickets", status: 65, stderr: "tickets.csv: error: the file is empty (a header row with ticket_id, outcome is required)"),
        HostileCase(name: "empty-requests", status: 65, stderr: "requests.csv: error: the file is empty (a header row with timestamp, ticket_id, kind is required)"),
        HostileCase(name: "blank-lines-only", status: 65, stderr: "tickets.csv: error: the file is empty"),
        // An empty month is never published (issue 27).
        HostileCase(name: "header-only", status: 65, stderr: "costper: error: 2026-10 has no accepted request and no ticket, so it is not published: no request of any month was read; no ticket of any month was read"),
        HostileCase(name: "header-only", status: 65, stderr: "no timestamp in the input names a month; give one with --month YYYY-MM", month: nil),
        HostileCase(name: "not-csv", status: 65, stderr: "requests.csv:1: error: the header row is not valid UTF-8"),
        HostileCase(name: "html-names", rejects: (0..<7).map { "requests.csv:\(5 + 2 * $0): model: " }),
        HostileCase(name: "markdown-names", rejects: (0..<11).map { "requests.csv:\(5 + 2 * $0): model: " }),
        HostileCase(name: "csv-formula-names", rejects: (0..<7).map { "requests.csv:\(5 + 2 * $0): model: " }),
        HostileCase(name: "pipes-and-newlines", rejects: ["requests.csv:5: model: ", "requests.csv:9: model: ", "requests.csv:16: model: ", "requests.csv:21: model: "]),
        HostileCase(name: "path-names", rejects: (0..<9).map { "requests.csv:\(5 + 2 * $0): model: " }),
        HostileCase(name: "cmark-pathological-short", rejects: (0..<12).map { "requests.csv:\(5 + 2 * $0): model: " }),
        // Round two (issue 14).
        HostileCase(name: "int64-max-counts", rejects: [
            "ticket_costs.csv:3: input_tokens: is more than a trillion tokens", "ticket_costs.csv:4: requests: is more than a trillion requests",
            "ticket_costs.csv:5: requests: is more than a trillion requests",
        ], rowsRead: ["ticket_costs.csv": 4]),
        HostileCase(name: "forecast-int64-volume", rejects: ["forecast.csv:2: volume: is more than a trillion outcomes a month"]),
        HostileCase(name: "duplicate-header", status: 65, stderr: "requests.csv:1: error: the header names one column twice: \"cost_usd\" (column 11) and \"cost_usd\" (column 14)"),
        HostileCase(name: "folded-header", status: 65, stderr: "requests.csv:1: error: the header names one column twice: \"cost_usd\" (column 11) and \"Cost_USD\" (column 14)"),
        HostileCase(name: "typo-header", status: 65, stderr: "requests.csv:1: error: the column \"costusd\" is not one costper knows: did you mean cost_usd?"),
        HostileCase(name: "typo-ticket-id", status: 65, stderr: "tickets.csv:1: error: the column \"ticketid\" is not one costper knows: did you mean ticket_id?"),
        HostileCase(name: "copy-of-requests", status: 65, stderr: "requests.csv and requests (copy).csv look like copies of one export"),
        HostileCase(name: "same-bytes-requests", status: 65, stderr: "requests.csv and october_calls.csv are the same file (SHA-256"),
        HostileCase(name: "nul-in-config", status: 65, stderr: "costper.toml:2: error: a NUL byte: settings and templates are text"),
        HostileCase(name: "invalid-utf8-config", status: 65, stderr: "costper.toml:1: error: bytes that are not UTF-8"),
        HostileCase(name: "config-overflow", status: 65, stderr: "costper.toml: error: labor: the review cost per minute these values give"),
        HostileCase(name: "config-nine-decimals"),
        HostileCase(name: "nfc-nfd-names", rowsRead: ["tickets.csv": 4, "requests.csv": 4]),
        HostileCase(name: "control-names", rowsRead: ["tickets.csv": 8, "requests.csv": 8]),
        HostileCase(name: "invisible-formula-names", rowsRead: ["tickets.csv": 9, "requests.csv": 9]),
        HostileCase(name: "sticky-rounding", rowsRead: ["requests.csv": 3]),
        HostileCase(name: "year-zero", rejects: [
            "requests.csv:4: timestamp: \"0000-01-02T09:00:00Z\" is outside the years costper reports (1970-9999)",
            "tickets.csv:4: closed_at: \"0000-01-02T10:00:00Z\" is outside the years costper reports (1970-9999)",
        ]),
        HostileCase(name: "closed-before-opened", rowsRead: ["tickets.csv": 4]),
    ]

    @Test(arguments: cases)
    func corpusCase(_ c: HostileCase) throws {
        let input = fixture("hostile/" + c.name)
        let r = try runReport(input, month: c.month)
        #expect(r.status == c.status, "\(c.name): stderr \(r.stderr)")
        if c.status != 0 {
            // One sentence, naming the file where there is one; and nothing written.
            #expect(r.stderr.contains(": error: ") && r.stderr.hasSuffix("\n") && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
            if let s = c.stderr { #expect(r.stderr.contains(s), "\(c.name): \(r.stderr)") }
            #expect(!FileManager.default.fileExists(atPath: r.out.path), "\(c.name) wrote \(r.out.path)")
            return
        }
        // The report renders, and every rejected row is in rejects.csv and counted in summary.json.
        let html = try r.text("index.html")
        #expect(html.contains("</html>"))
        let messages = try r.rejectMessages()
        #expect(messages.count == c.rejects.count, "\(c.name): \(messages)")
        for (m, e) in zip(messages, c.rejects) { #expect(m.hasPrefix(e), "\(c.name): got \(m), expected \(e)") }
        let summary = try r.summary()
        #expect((summary["rejected_rows"] as? NSNumber)?.intValue == c.rejects.count)
        let report = try r.text("report.md")
        if !c.rejects.isEmpty { #expect(report.contains("rejects.csv")) }
        // Rows read = accepted + rejected, per file (nothing dropped silently).
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: r.monthDir.appendingPathComponent("manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [[String: Any]]
        for (file, n) in c.rowsRead {
            let entry = inputs.first { $0["path"] as? String == file }
            #expect((entry?["rows_read"] as? NSNumber)?.intValue == n, "\(c.name): \(file) rows_read \(String(describing: entry))")
        }
        let rejectedPerFile = Dictionary(grouping: messages, by: { String($0.prefix { $0 != ":" }) }).mapValues(\.count)
        for entry in inputs {
            guard let path = entry["path"] as? String, let rejected = (entry["rows_rejected"] as? NSNumber)?.intValue else { continue }
            #expect(rejected == rejectedPerFile[path, default: 0], "\(c.name): \(path) rows_rejected")
        }
        // Whatever the names hold, no active markup reaches any page, and no file is written
        // outside the month folder.
        #expect(activeMarkup(in: html).isEmpty, "\(c.name): \(activeMarkup(in: html))")
        #expect(activeMarkup(in: try String(decoding: Data(contentsOf: r.out.appendingPathComponent("index.html")), as: UTF8.self)).isEmpty)
        let written = try FileManager.default.contentsOfDirectory(atPath: r.out.path).sorted()
        #expect(written == ["2026-10", "assets", "index.html", "tenants_by_month.csv"], "\(written)")
        let siblings = try FileManager.default.contentsOfDirectory(atPath: r.out.deletingLastPathComponent().path)
        #expect(siblings == ["site"], "\(siblings)")
    }

    @Test func htmlInNamesNeverBecomesMarkup() throws {
        let r = try runReport(fixture("hostile/html-names"))
        #expect(r.status == 0, "\(r.stderr)")
        for page in ["index.html"] {
            let html = try r.text(page)
            #expect(!html.lowercased().contains("<script"))
            #expect(html.range(of: #"<[^>]*\sonerror\s*="#, options: .regularExpression) == nil)
            #expect(html.range(of: #"href\s*=\s*["']?javascript:"#, options: [.regularExpression, .caseInsensitive]) == nil)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))   // shown as text, not dropped
        }
        for svg in try FileManager.default.contentsOfDirectory(atPath: r.monthDir.path) where svg.hasSuffix(".svg") {
            #expect(activeMarkup(in: try r.text(svg)).isEmpty, "\(svg)")
        }
        let site = try String(decoding: Data(contentsOf: r.out.appendingPathComponent("index.html")), as: UTF8.self)
        #expect(!site.lowercased().contains("<script"), "the company name reached the index as markup")
    }

    @Test func markdownInNamesStaysText() throws {
        let r = try runReport(fixture("hostile/markdown-names"))
        #expect(r.status == 0, "\(r.stderr)")
        let html = try r.text("index.html")
        #expect(!html.contains("<strong>bold</strong>"))
        #expect(!html.contains("<h1>heading"))
        #expect(!html.contains("<code>code</code>"))
        #expect(html.range(of: #"(href|src)\s*=\s*["']?javascript:"#, options: [.regularExpression, .caseInsensitive]) == nil)
        // No comment from the data: only costper's own markers around the blocks it re-renders.
        var withoutMarkers = html
        for marker in [ExecutiveSummary.begin, ExecutiveSummary.end, PlanActual.begin, PlanActual.end] {
            withoutMarkers = withoutMarkers.replacingOccurrences(of: marker, with: "")
        }
        #expect(!withoutMarkers.contains("<!--"))
        #expect(html.contains("[link](javascript:alert(1))"))
    }

    @Test func formulasInNamesAreNeutralizedInEveryCSV() throws {
        let r = try runReport(fixture("hostile/csv-formula-names"))
        #expect(r.status == 0, "\(r.stderr)")
        let formulas = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-2+3", "\t=1", " =1", "=1+1"]
        for file in ["by_tenant.csv", "by_segment.csv", "by_service_type.csv", "by_endpoint.csv"] {
            let labels = try r.csv(file).dropFirst().map { $0[0] }
            for f in formulas {
                #expect(labels.contains("'" + f), "\(file) lacks '\(f): \(labels)")
                #expect(!labels.contains(f), "\(file) holds the formula \(f) unquoted")
            }
            for l in labels where !l.isEmpty {
                #expect(!["=", "+", "-", "@", "\t", "\r"].contains(l.first!), "\(file): \(l)")
            }
        }
        for row in try r.csv("rejects.csv").dropFirst() {
            for cell in row where !cell.isEmpty { #expect(!["=", "+", "-", "@"].contains(cell.first!), "\(cell)") }
        }
    }

    @Test func pipesAndNewlinesKeepTablesInShape() throws {
        let r = try runReport(fixture("hostile/pipes-and-newlines"))
        #expect(r.status == 0, "\(r.stderr)")
        let labels = try r.csv("by_tenant.csv").dropFirst().map { $0[0] }
        #expect(labels.contains("a | b | c"))
        #expect(labels.contains("line\nbreak"))
        #expect(labels.contains("||||"))
        let html = try r.text("index.html")
        let tenantSection = html.components(separatedBy: "<h3>By Tenant</h3>")[1].components(separatedBy: "</table>")[0]
        let rows = tenantSection.components(separatedBy: "<tr>").dropFirst(2)
        #expect(rows.count >= 4)
        let cells = Set(rows.map { $0.components(separatedBy: "<td").count - 1 })
        #expect(cells.count == 1, "rows lost their shape: \(cells)")
    }

    @Test func pathLikeNamesWriteNoFiles() throws {
        let r = try runReport(fixture("hostile/path-names"))
        #expect(r.status == 0, "\(r.stderr)")
        let labels = Set(try r.csv("by_tenant.csv").dropFirst().map { $0[0] })
        #expect(labels.isSuperset(of: ["../../etc", "CON", "a/b", "/etc/passwd", "..", "NUL.txt"]))
        let files = try FileManager.default.contentsOfDirectory(atPath: r.monthDir.path)
        #expect(files.allSatisfy { $0.range(of: #"^[a-z_\-]+\.(html|md|json|csv|svg|xlsx|pdf)$"#, options: .regularExpression) != nil }, "\(files)")
    }

    // MARK: generated at run time (too big to commit)

    static let ticketsText = "ticket_id,outcome,tenant,closed_at\nT1,auto_resolved,Acme,2026-10-02T10:00:00Z\nT2,escalated,Globex,2026-10-03T10:00:00Z\n"
    static let requestHeader = "timestamp,ticket_id,tenant,endpoint,kind,cost_usd\n"
    static let okRow = "2026-10-02T09:00:00Z,T1,Acme,support.reply,llm,0.002\n"

    func folder(tickets: [UInt8] = Array(ticketsText.utf8), requests: [UInt8], requestsName: String = "requests.csv", name: String = #function) throws -> URL {
        let dir = try temporaryFolder(name).appendingPathComponent("in")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(tickets).write(to: dir.appendingPathComponent("tickets.csv"))
        try Data(requests).write(to: dir.appendingPathComponent(requestsName))
        return dir
    }

    /// An input folder whose requests file is written in pieces (the big cases stay out of this
    /// process's memory: the test bundle also measures resident memory elsewhere).
    func streamedFolder(requestsName: String = "requests.csv", name: String = #function, _ write: ((String) -> Void, ([UInt8]) -> Void) throws -> Void) throws -> URL {
        let dir = try temporaryFolder(name).appendingPathComponent("in")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(Self.ticketsText.utf8).write(to: dir.appendingPathComponent("tickets.csv"))
        let url = dir.appendingPathComponent(requestsName)
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let h = try FileHandle(forWritingTo: url)
        defer { try? h.close() }
        try write({ h.write(Data($0.utf8)) }, { h.write(Data($0)) })
        return dir
    }

    @Test func aTenMegabyteLineIsOneRejectedRow() throws {
        let mib = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        let quotes = [UInt8](repeating: UInt8(ascii: "\""), count: 1 << 20)   // doubled: 4 MiB of them unescape to 2 MiB
        let dir = try streamedFolder { text, bytes in
            text(Self.requestHeader + Self.okRow)
            text("2026-10-02T09:00:00Z,T1,"); for _ in 0..<10 { bytes(mib) }; text(",support.reply,llm,0.001\n")   // line 3
            text("2026-10-02T09:00:00Z,T1,"); for _ in 0..<10 { bytes(mib) }; text("\n")                           // line 4
            text("2026-10-02T09:00:00Z,T1,\""); for _ in 0..<4 { bytes(quotes) }; text("\",support.reply,llm,0.001\n") // line 5
            text("2026-10-03T09:00:00Z,T2,Globex,support.reply,llm,0.003\n")                                        // line 6
        }
        let r = try runReport(dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try r.rejectMessages() == ["requests.csv:3: row longer than 1048576 bytes", "requests.csv:4: row longer than 1048576 bytes",
                                           "requests.csv:5: row longer than 1048576 bytes"])
        #expect((try r.summary()["requests"] as? NSNumber)?.intValue == 2)
        #expect(try r.text("index.html").contains("requests.csv:3: row longer than 1048576 bytes"))
    }

    @Test func aTenMegabyteJSONLineIsOneRejectedRow() throws {
        let mib = String(repeating: "y", count: 1 << 20)
        let dir = try streamedFolder(requestsName: "requests.jsonl") { text, _ in
            text("{\"timestamp\":\"2026-10-02T09:00:00Z\",\"ticket_id\":\"T1\",\"kind\":\"llm\",\"cost_usd\":0.002}\n")
            text("{\"timestamp\":\"2026-10-02T09:00:00Z\",\"ticket_id\":\"T1\",\"kind\":\"llm\",\"tenant\":\"")
            for _ in 0..<10 { text(mib) }
            text("\"}\n{\"timestamp\":\"2026-10-03T09:00:00Z\",\"ticket_id\":\"T2\",\"kind\":\"llm\",\"cost_usd\":0.003}\n")
        }
        let r = try runReport(dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try r.rejectMessages() == ["requests.jsonl:2: line longer than 1048576 bytes"])
    }

    @Test func aHeaderOfAHundredThousandColumnsStopsTheRun() throws {
        let header = (0..<100_000).map { "c\($0)" }.joined(separator: ",") + ",timestamp,ticket_id,kind\n"
        let r = try runReport(try folder(requests: Array((header + "a,b,c\n").utf8)))
        #expect(r.status == 65)
        #expect(r.stderr == "requests.csv:1: error: the header row cannot be read: more than 1024 columns\n")
        #expect(!FileManager.default.fileExists(atPath: r.out.path))
    }

    @Test func aRowOfAHundredThousandColumnsIsRejected() throws {
        let wide = "2026-10-02T09:00:00Z,T1,Acme,support.reply,llm,0.001" + String(repeating: ",x", count: 100_000) + "\n"
        let r = try runReport(try folder(requests: Array((Self.requestHeader + Self.okRow + wide + Self.okRow).utf8)))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try r.rejectMessages() == ["requests.csv:3: more than 1024 columns"])
        #expect((try r.summary()["requests"] as? NSNumber)?.intValue == 2)
    }

    @Test func theColumnLimitIsExactly1024() throws {
        // 1,024 columns (the six used and 1,018 unknown) are read; the unknown ones are one notice.
        let extra = (0..<1018).map { "u\($0)" }
        let header = "timestamp,ticket_id,tenant,endpoint,kind,cost_usd," + extra.joined(separator: ",") + "\n"
        let row = "2026-10-02T09:00:00Z,T1,Acme,support.reply,llm,0.002" + String(repeating: ",", count: 1018) + "\n"
        let r = try runReport(try folder(requests: Array((header + row).utf8)))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try r.rejectMessages().isEmpty)
        let header1025 = header.dropLast() + ",one_more\n"
        let r2 = try runReport(try folder(requests: Array((header1025 + row).utf8), name: "limit1025"))
        #expect(r2.status == 65)
        #expect(r2.stderr.contains("requests.csv:1: error: the header row cannot be read: more than 1024 columns"))
    }

    /// cmark-gfm's known pathological inputs at full size, as tenant, endpoint, segment and an
    /// unknown column's name: rejected as longer than 200 bytes (the column name only reaches a
    /// notice, cut at 200), rendered fast.
    @Test(arguments: [("![[]()", 40_000), ("- ", 20_000), ("> ", 20_000), ("[", 100_000), ("*a", 50_000), ("<a", 50_000)])
    func cmarkPathologicalNames(_ unit: String, _ times: Int) throws {
        let s = String(repeating: unit, count: times)
        let q = "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let tickets = "ticket_id,outcome,tenant,segment,closed_at\nT1,auto_resolved,Acme,smb,2026-10-02T10:00:00Z\nT2,escalated,\(q),smb,2026-10-03T10:00:00Z\nT3,escalated,Acme,\(q),2026-10-03T10:00:00Z\n"
        let requests = "timestamp,ticket_id,tenant,endpoint,kind,cost_usd,\(q)\n" + "2026-10-02T09:00:00Z,T1,Acme,support.reply,llm,0.002,\n"
            + "2026-10-02T09:00:00Z,T1,\(q),support.reply,llm,0.002,\n" + "2026-10-02T09:00:00Z,T1,Acme,\(q),llm,0.002,\n"
        let r = try runReport(try folder(tickets: Array(tickets.utf8), requests: Array(requests.utf8), name: "cmark\(unit.count)\(times)"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try r.rejectMessages() == ["requests.csv:3: tenant: is longer than 200 bytes", "requests.csv:4: endpoint: is longer than 200 bytes",
                                           "tickets.csv:3: tenant: is longer than 200 bytes", "tickets.csv:4: segment: is longer than 200 bytes"])
        let html = try r.text("index.html")
        #expect(activeMarkup(in: html).isEmpty)
        #expect(html.utf8.count < 400_000, "the page grew with the name: \(html.utf8.count) bytes")
    }

    @Test func namesAtTheTextLimit() throws {
        let at = String(repeating: "é", count: 100)        // 200 bytes: accepted
        let over = at + "x"                                 // 201 bytes: rejected
        let tickets = "ticket_id,outcome,tenant,closed_at\nT1,auto_resolved,\(at),2026-10-02T10:00:00Z\nT2,auto_resolved,\(over),2026-10-02T10:00:00Z\n"
        let requests = Self.requestHeader + "2026-10-02T09:00:00Z,T1,\(at),\(at),llm,0.002\n" + "2026-10-02T09:00:00Z,T1,Acme,\(over),llm,0.002\n"
        let r = try runReport(try folder(tickets: Array(tickets.utf8), requests: Array(requests.utf8)))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try r.rejectMessages() == ["requests.csv:3: endpoint: is longer than 200 bytes", "tickets.csv:3: tenant: is longer than 200 bytes"])
        #expect(try r.csv("by_tenant.csv").contains { $0[0] == at })
    }

    /// Many rows of $9e9 in one category in a file big enough to be read on several threads: the
    /// per-thread sums fit, their merge does not. The run stops with the money-range sentence
    /// instead of wrapping around to a negative total.
    @Test func overflowAcrossParallelChunksIsCaught() throws {
        let row = "2026-10-02T09:00:00Z,T1,Acme,support.reply,llm,9e9\n"
        let filler = "2026-10-02T09:00:00Z,T1,Acme,support.reply,llm,0\n"
        let rows = (RequestReader.parallelThreshold / filler.utf8.count) + 1000
        let dir = try streamedFolder { text, _ in
            text(Self.requestHeader)
            var block = ""
            for i in 0..<rows {
                block += i % (rows / 4) == 0 ? row : filler
                if i % 4096 == 0 { text(block); block = "" }
            }
            text(block)
        }
        let r = try runReport(dir)
        if r.status == 0 {
            let total = try r.summary()["total_cost_usd"] as! NSNumber
            #expect(total.doubleValue > 0 && total.doubleValue < 9.3e9, "total wrapped: \(total)")
            #expect(try r.rejectMessages().allSatisfy { $0.contains("overflows") })
        } else {
            #expect(r.status == 65)
            #expect(r.stderr.contains("money range"), "\(r.stderr)")
        }
    }
}
