// Issue 28, item 3: help-desk mappings that say what they found. A mapped column the export lacks
// is a notice naming the file; review minutes and closed_at stop the run unless --allow-missing
// names them, and then human review is "not measured", never $0 (page, CSV, workbook, summary,
// report --json). An id rule maps the traces' ticket ids to the help desk's; messages name the
// file actually read.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite

@Suite(.serialized) struct HelpdeskMappingTests {
    /// The Zendesk mapping of docs/exports.md, with the custom fields an ordinary export lacks.
    static let zendesk = """

        [tickets]
        id = "Id"
        status = "Status"
        tags = "Tags"
        tenant = "Organization"
        segment = "Segment [list]"
        service_type = "Service type [list]"
        opened_at = "Created at"
        closed_at = "Solved at"
        review_minutes = "AI review minutes [decimal]"
        outcome_rules = [
          { tag = "escalated", outcome = "escalated" },
          { status = ["solved", "closed"], tag = "ai_resolved", outcome = "auto_resolved" },
          { tag = "ai_deflected", outcome = "deflected" },
          { tag = "no_reply_abandoned", outcome = "abandoned" },
        ]

        """

    /// The fixture's Zendesk export without the columns named in `drop` (an ordinary export has
    /// none of the three custom fields).
    static func zendeskExport(dropping drop: Set<String>) throws -> String {
        let text = try String(contentsOf: fixture("exports/helpdesk/zendesk_tickets.csv"), encoding: .utf8)
        var out = "", keep: [Int] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            let cells = csvCells(String(line))
            if out.isEmpty { keep = cells.indices.filter { !drop.contains(cells[$0]) } }
            out += keep.map { quote(cells[$0]) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func csvCells(_ line: String) -> [String] {
        var cells: [String] = [], cell = "", quoted = false
        var it = Array(line).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() { if n == "\"" { cell.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { cells.append(cell); cell = "" }
            else { cell.append(c) }
        }
        cells.append(cell)
        return cells
    }

    static func quote(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// The fixture's OTLP traces with every conversation id written `Z-<id>`.
    static func prefixedTraces() throws -> String {
        let text = try String(contentsOf: fixture("exports/otlp/traces.jsonl"), encoding: .utf8)
        let re = try NSRegularExpression(pattern: #"("gen_ai\.conversation\.id","value":\{"stringValue":")(\d+)""#)
        return re.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$1Z-$2\"")
    }

    /// An input folder: the fixture's traces (or `traces`), the Zendesk export given, the fixture's
    /// fixed costs and costper.toml with the Zendesk mapping plus `extra` in [tickets].
    func folder(zendesk: String, traces: String? = nil, extra: String = "", _ name: String = #function) throws -> URL {
        let dir = try temporaryFolder(name).appendingPathComponent("input")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixture("exports/canonical/fixed_costs.csv"), to: dir.appendingPathComponent("fixed_costs.csv"))
        try (traces ?? String(contentsOf: fixture("exports/otlp/traces.jsonl"), encoding: .utf8))
            .write(to: dir.appendingPathComponent("traces.jsonl"), atomically: true, encoding: .utf8)
        try zendesk.write(to: dir.appendingPathComponent("zendesk_tickets.csv"), atomically: true, encoding: .utf8)
        let mapping = Self.zendesk.replacingOccurrences(of: "[tickets]\n", with: "[tickets]\n" + extra)
        let toml = try String(contentsOf: fixture("exports/canonical/costper.toml"), encoding: .utf8) + mapping
        try toml.write(to: dir.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        return dir
    }

    static let customFields: Set<String> = ["Segment [list]", "Service type [list]", "AI review minutes [decimal]"]

    @Test func aZendeskExportWithoutCustomFieldsStopsTheRunNamingTheFileAndTheColumn() throws {
        let input = try folder(zendesk: Self.zendeskExport(dropping: Self.customFields))
        let out = input.deletingLastPathComponent().appendingPathComponent("site")
        let r = try runCostper(["report", "--input", input.path, "--out", out.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains(#"zendesk_tickets.csv: error: costper.toml [tickets] maps review_minutes to the column "AI review minutes [decimal]", which zendesk_tickets.csv does not have: human review cannot be measured (it would come out $0)"#), "\(r.stderr)")
        #expect(r.stderr.contains("--allow-missing review_minutes"))
        #expect(!FileManager.default.fileExists(atPath: out.path))   // nothing published
        let v = try runCostper(["validate", "--input", input.path])
        #expect(v.status == 65 && v.stderr.contains("AI review minutes [decimal]"))
    }

    @Test func withAllowMissingHumanReviewIsNotMeasuredNeverZero() throws {
        let input = try folder(zendesk: Self.zendeskExport(dropping: Self.customFields))
        let out = input.deletingLastPathComponent().appendingPathComponent("site")
        let r = try runCostper(["report", "--input", input.path, "--out", out.path, "--allow-missing", "review_minutes", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let month = out.appendingPathComponent("2026-10")

        // The page (report.md, and so index.html and the PDF): the category row and the method.
        let md = try String(contentsOf: month.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("| Human review | beyond the model API bill | not measured | not measured | not measured |"))
        #expect(md.contains(#"- Human review: **not measured**: zendesk\_tickets.csv has no review-minutes column (accepted with --allow-missing review\_minutes)."#))
        #expect(md.contains("Autonomous resolution rate (resolved with no human review) not measured;"))
        // The summary at the top of the page says it too.
        #expect(md.contains("Human review is not measured in October 2026 (its help-desk export has no review minutes): every figure here leaves it out."))
        #expect(md.contains("the month, without human review (not measured)"))
        #expect(!md.contains("| Human review | beyond the model API bill | $0"))
        // The other mapped columns it lacks are notices naming the file.
        #expect(md.contains(#"zendesk\_tickets.csv\: costper.toml \[tickets\] maps segment to the column "Segment \[list\]", which zendesk\_tickets.csv does not have"#))
        let html = try String(contentsOf: month.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<td>Human review</td>") && html.contains("not measured"))

        // cost_by_category.csv (and the workbook's sheet made from it).
        let csv = try String(contentsOf: month.appendingPathComponent("cost_by_category.csv"), encoding: .utf8)
        let lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.contains("human_review,hidden,not measured,not measured,not measured,not measured"))
        #expect(lines.contains { $0.hasPrefix("total,,30.054975,") }, "\(lines)")   // the fixture's 34.221641666 less its 4.166666666 of review

        // summary.json: null, never 0, and why.
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: month.appendingPathComponent("summary.json"))) as? [String: Any])
        let categories = try #require(summary["cost_by_category_usd"] as? [String: Any])
        #expect(categories["human_review"] is NSNull)
        #expect((categories["model"] as? NSNumber) != nil)
        #expect((summary["human_review_not_measured"] as? String)?.hasPrefix("zendesk_tickets.csv has no review-minutes column") == true)
        #expect(summary["autonomous_resolution_rate"] is NSNull)
        let economics = try #require(summary["economics"] as? [String: Any])
        #expect(economics["human_handling_usd"] is NSNull && economics["human_handled_tickets"] is NSNull)
        #expect(md.contains("human handling of escalations (an unknown number of tickets reviewed) | $10.02; not measured (—) |"))

        // report --json.
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let figures = try #require(doc["figures"] as? [String: Any])
        let byCategory = try #require(figures["cost_by_category"] as? [String: Any])
        #expect(byCategory["human_review"] is NSNull)
        #expect(figures["total_cost"] as? String == "30.054975")
        #expect((figures["human_review_not_measured"] as? String)?.contains("--allow-missing review_minutes") == true)
        #expect((doc["input_notices"] as? [String])?.contains { $0.contains("accepted with --allow-missing review_minutes") } == true)

        // The month's record keeps it: a later month rendered again still says not measured.
        let record = try String(contentsOf: month.appendingPathComponent("month.json"), encoding: .utf8)
        #expect(record.contains("humanReviewNotMeasured"))
    }

    @Test func theWorkbookSheetSaysNotMeasured() {
        var a = MonthAccountEntries(month: Month("2026-10")!, config: CostperConfig())
        a.costByCategory[.model] = Money(dollars: 3)
        a.total = Money(dollars: 3)
        a.humanReviewNotMeasured = "zendesk_tickets.csv has no review-minutes column"
        let sheet = ReportWorkbook.sheet("cost_by_category", SiteBuilder.costByCategory(MonthAccounts(a)), currency: "USD")
        let row = sheet.rows.first { $0.first == .text("human_review") }
        #expect(row.map { Array($0.dropFirst(2)) } == [.text("not measured"), .text("not measured"), .text("not measured"), .text("not measured")])
        a.humanReviewNotMeasured = nil
        let measured = ReportWorkbook.sheet("cost_by_category", SiteBuilder.costByCategory(MonthAccounts(a)), currency: "USD")
        #expect(measured.rows.first { $0.first == .text("human_review") }?[2] != .text("not measured"))
    }

    /// No variance bridge crosses a month whose human review was not measured: its step would be
    /// the whole review cost of the measured month, a fiction.
    @Test func noBridgeCrossesAMonthWithoutMeasuredReview() throws {
        func month(_ m: String, review: Int64) -> PublishedMonth {
            var p = PublishedMonth(month: Month(m)!, costPerResolved: Quotient(numerator: 3, denominator: 1), totalCost: Quotient(30),
                                   resolvedTickets: 10, flags: 0)
            p.figures = MonthFigures(month: Month(m)!, tickets: 20, resolvedTickets: 10,
                                     costByCategory: [.model: Money(dollars: 20), .human_review: Money(dollars: review)], fixedByCategory: [:])
            return p
        }
        let sept = month("2026-09", review: 10), oct = month("2026-10", review: 12)
        #expect(ExecutiveSummary(oct, earlier: [sept]).bridge != nil)
        var unmeasured = month("2026-10", review: 0)
        unmeasured.humanReviewNotMeasured = true
        let s = ExecutiveSummary(unmeasured, earlier: [sept])
        #expect(s.bridge == nil)
        #expect(s.bridgeNote == "No bridge: human review is not measured in October 2026 (its help-desk export has no review minutes), so the change cannot be split into its steps.")
        // And from it to a measured month.
        #expect(ExecutiveSummary(month("2026-11", review: 12), earlier: [sept, unmeasured]).bridge == nil)
    }

    @Test func aMissingClosedAtStopsUnlessAllowed() throws {
        let input = try folder(zendesk: Self.zendeskExport(dropping: ["Solved at"]))
        let v = try runCostper(["validate", "--input", input.path])
        #expect(v.status == 65)
        #expect(v.stderr.contains(#"zendesk_tickets.csv: error: costper.toml [tickets] maps closed_at to the column "Solved at", which zendesk_tickets.csv does not have"#), "\(v.stderr)")
        #expect(v.stderr.contains("--allow-missing closed_at"))
        let ok = try runCostper(["validate", "--input", input.path, "--allow-missing", "closed_at"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("accepted with --allow-missing closed_at: each ticket counts in the month of its first request"))
        let bad = try runCostper(["validate", "--input", input.path, "--allow-missing", "closed"])
        #expect(bad.status == 64 && bad.stderr.contains("--allow-missing takes review_minutes or closed_at"))
    }

    @Test func anUnmappedReviewColumnStopsTooAndTheFullExportIsQuiet() throws {
        // A mapping that names no review_minutes column would give $0 just the same.
        let noReview = try folder(zendesk: Self.zendeskExport(dropping: []))
        var toml = try String(contentsOf: noReview.appendingPathComponent("costper.toml"), encoding: .utf8)
        toml = toml.replacingOccurrences(of: "review_minutes = \"AI review minutes [decimal]\"\n", with: "")
        try toml.write(to: noReview.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        let r = try runCostper(["validate", "--input", noReview.path])
        #expect(r.status == 65 && r.stderr.contains("costper.toml [tickets] maps no column to review_minutes"), "\(r.stderr)")
        // The whole export: no notice about columns.
        let full = try runCostper(["validate", "--input", folder(zendesk: Self.zendeskExport(dropping: []), "full").path])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(!full.stdout.contains("does not have"))
    }

    // MARK: The id rule

    @Test func theIDRuleStripsAPrefixOrTakesAPatternsCapture() throws {
        let prefix = TraceIDRule(prefix: "Z-")
        #expect(prefix.apply("Z-1001") == "1001")
        #expect(prefix.apply("1001") == nil)
        #expect(prefix.apply("Z-") == nil)
        let pattern = try TraceIDRule(pattern: #"Z-(\d+)"#)
        #expect(pattern.apply("Z-1001") == "1001")
        #expect(pattern.apply("Z-1001-retry") == nil)   // the whole id must match
        #expect(pattern.apply("ticket-1001") == nil)
        #expect(try TraceIDRule(pattern: #"conv/(?:zd)-(\w+)"#).apply("conv/zd-A77") == "A77")
        #expect(throws: ConfigReason.self) { try TraceIDRule(pattern: #"Z-\d+"#) }          // no capture
        #expect(throws: ConfigReason.self) { try TraceIDRule(pattern: #"(Z)-(\d+)"#) }      // two
        #expect(throws: ConfigReason.self) { try TraceIDRule(pattern: #"Z-(\d+"#) }         // does not compile

        let cfg = try CostperConfig.parse(Self.zendesk.replacingOccurrences(of: "[tickets]\n", with: "[tickets]\ntrace_id_pattern = \"Z-(\\\\d+)\"\n"))
        #expect(cfg.exports.tickets?.idRule?.apply("Z-1001") == "1001")
        #expect(throws: ConfigError.self) {
            try CostperConfig.parse(Self.zendesk.replacingOccurrences(of: "[tickets]\n", with: "[tickets]\ntrace_id_prefix = \"Z-\"\ntrace_id_pattern = \"Z-(.+)\"\n"))
        }
        do {
            _ = try CostperConfig.parse(Self.zendesk.replacingOccurrences(of: "[tickets]\n", with: "[tickets]\ntrace_id_pattern = \"Z-\"\n"))
            Issue.record("a pattern with no capture was accepted")
        } catch {
            #expect(error.key == "tickets.trace_id_pattern" && error.reason.contains("exactly one capture"))
        }
    }

    @Test func traceIDsMappedByTheRuleMatchTheHelpDesksAndTheOrphanMessageNamesTheExport() throws {
        let traces = try Self.prefixedTraces()
        #expect(traces.contains(#""stringValue":"Z-40211""#))
        let export = try Self.zendeskExport(dropping: [])

        // No rule: every request is an orphan, and the messages name the file the tickets came from.
        let plain = try folder(zendesk: export, traces: traces)
        let v = try runCostper(["validate", "--input", plain.path])
        #expect(v.status == 0)
        #expect(v.stdout.contains("17 requests name a ticket that is not in zendesk_tickets.csv (kept and counted)"), "\(v.stdout)")
        #expect(!v.stdout.contains("not in tickets.csv"))
        let out = plain.deletingLastPathComponent().appendingPathComponent("site")
        #expect(try runCostper(["report", "--input", plain.path, "--out", out.path]).status == 0)
        let md = try String(contentsOf: out.appendingPathComponent("2026-10/report.md"), encoding: .utf8)
        #expect(md.contains(#"- Requests whose ticket is not in the tickets file: 17 (6 ticket ids"#))
        // The data-quality table names the file the tickets were read from, and how.
        #expect(md.contains(#"| zendesk\_tickets.csv | help-desk tickets via costper.toml \[tickets\] (CSV) → tickets | 6 | 6 | 0 | 0 |"#))

        // A prefix, then a pattern: the month of the unprefixed fixture, figure for figure.
        for rule in ["trace_id_prefix = \"Z-\"\n", "trace_id_pattern = \"Z-(\\\\d+)\"\n"] {
            let input = try folder(zendesk: export, traces: traces, extra: rule, "rule\(rule.count)")
            let site = input.deletingLastPathComponent().appendingPathComponent("site")
            let r = try runCostper(["report", "--input", input.path, "--out", site.path, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let figures = try #require(doc["figures"] as? [String: Any])
            #expect(figures["orphan_requests"] as? Int == 0)
            #expect(figures["total_cost"] as? String == "34.221641666")
            #expect(figures["cost_per_resolved_ticket"] as? String == "11.407213889")
            #expect((figures["cost_by_category"] as? [String: Any])?["human_review"] as? String == "4.166666666")
            let notices = doc["input_notices"] as? [String] ?? []
            #expect(notices.contains { $0.hasPrefix("traces.jsonl: ticket ids mapped to zendesk_tickets.csv's by costper.toml [tickets] trace_id_") && $0.hasSuffix(": 17 requests") }, "\(notices)")
        }

        // Ids the rule does not fit are kept as they are, and counted.
        let mixed = traces.replacingOccurrences(of: #""stringValue":"Z-40211""#, with: #""stringValue":"40211""#)
        let input = try folder(zendesk: export, traces: mixed, extra: "trace_id_prefix = \"Z-\"\n", "mixed")
        let r = try runCostper(["validate", "--input", input.path])
        #expect(r.status == 0)
        #expect(r.stdout.contains(#"requests' ids the rule does not fit were kept as they are ("40211")"#), "\(r.stdout)")
        #expect(!r.stdout.contains("not in zendesk_tickets.csv"))   // 40211 is the help desk's id already
    }
}
