@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite

/// Issue 8: the same month (Tests/Fixtures/exports) as canonical CSV, OTLP/JSON traces, LiteLLM
/// spend logs (CSV and JSON), Langfuse observations, with tickets.csv or a Zendesk / Intercom
/// export, gives the same report figures (expected.json: total 34.221642, 11.407214 per resolved
/// ticket).
@Suite(.serialized) struct ExportsEndToEndTests {
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
    static let intercom = """

        [tickets]
        id = "Conversation ID"
        tags = "Tags"
        tag_separator = ","
        tenant = "Company name"
        segment = "Company segment"
        service_type = "Topic"
        snake_case = ["service_type"]
        opened_at = "Conversation started at"
        closed_at = "Conversation last closed at"
        review_minutes = "Human review minutes"
        outcome_rules = [
          { tag = "Escalated", outcome = "escalated" },
          { tag = "AI resolved", outcome = "auto_resolved" },
          { tag = "AI deflected", outcome = "deflected" },
          { tag = "Abandoned", outcome = "abandoned" },
        ]

        """

    /// A folder with the given fixture files (paths under Tests/Fixtures/exports) and costper.toml
    /// = the canonical one plus `extraConfig`.
    func folder(_ files: [String], extraConfig: String = "", _ name: String = #function) throws -> URL {
        let dir = try temporaryFolder(name).appendingPathComponent("input")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in files + ["canonical/fixed_costs.csv"] {
            let src = fixture("exports/" + f)
            try FileManager.default.copyItem(at: src, to: dir.appendingPathComponent(src.lastPathComponent))
        }
        let toml = try String(contentsOf: fixture("exports/canonical/costper.toml"), encoding: .utf8) + extraConfig
        try toml.write(to: dir.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        return dir
    }

    static let breakdowns = ["cost_by_category", "by_model", "by_endpoint", "by_prompt_version", "by_tenant", "by_segment", "by_service_type", "by_outcome"]

    /// Runs `costper report` and returns summary.json, report.md and the breakdown CSVs.
    func report(_ input: URL, _ extra: [String] = []) throws -> (summary: [String: Any], report: String, csv: [String: Data]) {
        let out = input.deletingLastPathComponent().appendingPathComponent("site")
        let r = try runCostper(["report", "--input", input.path, "--out", out.path] + extra)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let month = out.appendingPathComponent("2026-10")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: month.appendingPathComponent("summary.json"))) as! [String: Any]
        var csv: [String: Data] = [:]
        for b in Self.breakdowns { csv[b] = try Data(contentsOf: month.appendingPathComponent(b + ".csv")) }
        return (summary, try String(contentsOf: month.appendingPathComponent("report.md"), encoding: .utf8), csv)
    }

    func figures(_ s: [String: Any]) -> [String: String] {
        var f: [String: String] = [:]
        for k in ["tickets", "resolved_tickets", "requests", "total_cost_usd", "cost_per_resolved_ticket_usd", "cost_per_ticket_usd",
                  "hidden_cost_share", "savings_share", "rejected_rows", "orphan_requests"] {
            f[k] = (s[k] as? NSNumber)?.stringValue ?? "absent"
        }
        for (k, v) in (s["cost_by_category_usd"] as? [String: Any] ?? [:]) { f["category." + k] = (v as? NSNumber)?.stringValue ?? "absent" }
        for (k, v) in (s["outcomes"] as? [String: Any] ?? [:]) { f["outcome." + k] = "\(v)" }
        return f
    }

    @Test func everyFormOfTheMonthGivesTheSameFigures() throws {
        let canonical = try report(folder(["canonical/requests.csv", "canonical/tickets.csv"]))
        let base = figures(canonical.summary)
        #expect(base["total_cost_usd"] == "34.221641666")
        #expect(base["cost_per_resolved_ticket_usd"] == "11.407213889")
        #expect(base["cost_per_ticket_usd"] == "5.703606944")
        #expect(base["requests"] == "17" && base["tickets"] == "6" && base["resolved_tickets"] == "3")
        #expect(base["rejected_rows"] == "0" && base["orphan_requests"] == "0")

        let forms: [(String, [String], String, String)] = [
            ("OTLP/JSON traces + tickets.csv", ["otlp/traces.jsonl", "canonical/tickets.csv"], "", "traces.jsonl | OTLP/JSON traces (JSON) → requests | 17 | 17 | 0 | 0"),
            ("LiteLLM spend logs CSV + tickets.csv", ["litellm/spend_logs.csv", "canonical/tickets.csv"], "", "spend\\_logs.csv | LiteLLM spend logs (CSV) → requests | 17 | 17 | 0 | 0"),
            ("LiteLLM spend logs JSON + Zendesk", ["litellm/spend_logs.json", "helpdesk/zendesk_tickets.csv"], Self.zendesk,
             "zendesk\\_tickets.csv | help-desk tickets via costper.toml \\[tickets\\] (CSV) → tickets | 6 | 6 | 0 | 0"),
            ("OTLP/JSON traces + Intercom", ["otlp/traces.jsonl", "helpdesk/intercom_conversations.csv"], Self.intercom,
             "intercom\\_conversations.csv | help-desk tickets via costper.toml \\[tickets\\] (CSV) → tickets | 6 | 6 | 0 | 0"),
            ("Langfuse observations + tickets.csv", ["langfuse/observations.csv", "canonical/tickets.csv"], "",
             "observations.csv | Langfuse observations (CSV) → requests | 17 | 17 | 0 | 0"),
        ]
        for (i, (label, files, config, qualityRow)) in forms.enumerated() {
            let r = try report(folder(files, extraConfig: config, "form\(i)"))
            let f = figures(r.summary)
            for key in base.keys.sorted() where f[key] != base[key] {
                Issue.record("\(label): \(key) is \(f[key] ?? "absent"), canonical \(base[key]!)")
            }
            #expect(r.report.contains(qualityRow), "\(label): data-quality row missing")
            // The same breakdowns (category, model, endpoint, prompt version, tenant, segment,
            // service type, outcome), byte for byte.
            for b in Self.breakdowns where r.csv[b] != canonical.csv[b] { Issue.record("\(label): \(b).csv differs from the canonical month's") }
        }
        // OTLP says what it skipped.
        let otlp = try report(folder(["otlp/traces.jsonl", "canonical/tickets.csv"], "skips"))
        #expect(otlp.report.contains("skipped 12 spans without gen\\_ai.operation.name"))
        #expect(otlp.report.contains("skipped 1 execute\\_tool spans"))
    }

    @Test func severalRequestsFilesEachGetTheirOwnRowsInTheDataQualityTableAndTheManifest() throws {
        // The canonical month's requests split in two files (10 rows and 7): the same figures, and
        // each file its own data-quality entry and manifest rows (they were joined as "a + b").
        let dir = try folder(["canonical/tickets.csv"])
        let lines = try String(contentsOf: fixture("exports/canonical/requests.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0], rows = Array(lines.dropFirst())
        try ([header] + rows.prefix(10)).joined(separator: "\n").appending("\n").write(to: dir.appendingPathComponent("requests_a.csv"), atomically: true, encoding: .utf8)
        try ([header] + rows.dropFirst(10)).joined(separator: "\n").appending("\n").write(to: dir.appendingPathComponent("requests_b.csv"), atomically: true, encoding: .utf8)
        let r = try report(dir)
        let f = figures(r.summary)
        #expect(f["total_cost_usd"] == "34.221641666" && f["requests"] == "17" && f["rejected_rows"] == "0")
        #expect(r.report.contains("requests\\_a.csv | requests (CSV) | 10 | 10 | 0 | 0"), "\(r.report)")
        #expect(r.report.contains("requests\\_b.csv | requests (CSV) | 7 | 7 | 0 | 0"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.deletingLastPathComponent()
            .appendingPathComponent("site/2026-10/manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [[String: Any]]
        func rowsRead(_ path: String) -> Int? { (inputs.first { $0["path"] as? String == path }?["rows_read"] as? NSNumber)?.intValue }
        #expect(rowsRead("requests_a.csv") == 10)
        #expect(rowsRead("requests_b.csv") == 7)
        #expect(rowsRead("tickets.csv") == 6)
    }

    @Test func theLiteLLMPriceMapPricesTheCanonicalMonthTheSame() throws {
        let r = try report(folder(["canonical/requests.csv", "canonical/tickets.csv"]), ["--prices", fixture("exports/litellm/model_prices_subset.json").path])
        let f = figures(r.summary)
        #expect(f["total_cost_usd"] == "34.221641666")
        #expect(f["cost_per_resolved_ticket_usd"] == "11.407213889")
        #expect(f["rejected_rows"] == "0")
        #expect(r.report.contains("LiteLLM price map, 7 models"))
    }

    @Test func anUnrecognizableFileExits65NamingItAndWritesNothing() throws {
        let dir = try folder(["canonical/requests.csv", "canonical/tickets.csv"])
        try "foo,bar\n1,2\n".write(to: dir.appendingPathComponent("notes.csv"), atomically: true, encoding: .utf8)
        let out = dir.deletingLastPathComponent().appendingPathComponent("site")
        let r = try runCostper(["report", "--input", dir.path, "--out", out.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("notes.csv: costper cannot tell what this file holds"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func aHelpdeskExportWithoutAMappingIsNotGuessed() throws {
        let dir = try folder(["otlp/traces.jsonl", "helpdesk/zendesk_tickets.csv"])
        let r = try runCostper(["report", "--input", dir.path, "--out", dir.deletingLastPathComponent().appendingPathComponent("site").path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("zendesk_tickets.csv: costper cannot tell what this file holds"))
        #expect(r.stderr.contains("[tickets]"))
    }
}

/// A month in timestamp order (as trace exports come) and the same rows grouped by ticket give
/// the same accounts, to the byte.
@Suite struct RequestOrderTests {
    @Test func timeOrderAndTicketOrderGiveTheSameSummary() throws {
        let tmp = try temporaryFolder()
        let timed = tmp.appendingPathComponent("timed"), grouped = tmp.appendingPathComponent("grouped")
        let gen = try runCostper(["sample", "--tickets", "1500", "--order", "time", "--out", timed.path])
        #expect(gen.status == 0, "\(gen.stderr)")
        try FileManager.default.copyItem(at: timed, to: grouped)
        // Regroup the rows by ticket (stable): the timestamp and ticket id are the first two fields, never quoted.
        let text = try String(contentsOf: timed.appendingPathComponent("requests.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        // Time order really interleaves tickets: consecutive rows often belong to different tickets.
        let ids = lines.map { $0.split(separator: ",", maxSplits: 2)[1] }
        let switches = zip(ids, ids.dropFirst()).filter { $0.0 != $0.1 }.count
        #expect(switches > lines.count / 10)
        let regrouped = lines.enumerated().sorted { a, b in
            let ia = ids[a.offset], ib = ids[b.offset]
            return ia != ib ? ia < ib : a.offset < b.offset
        }.map(\.element)
        try ([header] + regrouped).joined(separator: "\n").appending("\n").write(to: grouped.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        var summaries: [Data] = []
        for folder in [timed, grouped] {
            let out = tmp.appendingPathComponent("site-" + folder.lastPathComponent)
            let r = try runCostper(["report", "--input", folder.path, "--out", out.path], environment: ["SOURCE_DATE_EPOCH": "1790000000"])
            #expect(r.status == 0, "\(r.stderr)")
            summaries.append(try Data(contentsOf: out.appendingPathComponent("2026-10/summary.json")))
        }
        #expect(summaries[0] == summaries[1])
    }
}
