@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

/// Issue 28, item 2: traces without a help desk. `[tickets] source = "traces"` builds one ticket
/// per session (LiteLLM) or conversation (OpenTelemetry) id, its outcome from the requests'
/// outcome attribute or unknown (never resolved), human review not measured.
///
/// Tests/Fixtures/traces_only/spend_logs.jsonl: seven LiteLLM spend-log rows, four sessions:
/// - sess-1 (Acme): $0.10 then $0.05 with spend_logs_metadata.outcome auto_resolved: resolved;
/// - sess-2 (Acme): $0.20 with the request tag outcome:escalated: escalated;
/// - sess-3 (Globex): $0.01 escalated (10:00), $0.02 none (10:01), $0.03 auto_resolved (10:02),
///   written out of time order (10:02 first): the latest by time wins, resolved;
/// - sess-4 (Globex): $0.04, no outcome: unknown.
/// Total $0.45, 4 tickets, 2 resolved: $0.225 per resolved ticket, $0.1125 per ticket.
@Suite(.serialized) struct TracesOnlyTests {
    func folder(_ name: String = #function, toml: String? = nil, edit: (String) -> String = { $0 }) throws -> URL {
        let dir = try temporaryFolder(name).appendingPathComponent("input")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let logs = try String(contentsOf: fixture("traces_only/spend_logs.jsonl"), encoding: .utf8)
        try edit(logs).write(to: dir.appendingPathComponent("spend_logs.jsonl"), atomically: true, encoding: .utf8)
        let config = try toml ?? String(contentsOf: fixture("traces_only/costper.toml"), encoding: .utf8)
        try config.write(to: dir.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        return dir
    }

    func report(_ input: URL) throws -> (summary: [String: Any], report: String, month: URL, stderr: String) {
        let out = input.deletingLastPathComponent().appendingPathComponent("site")
        let r = try runCostper(["report", "--input", input.path, "--out", out.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let month = out.appendingPathComponent("2026-10")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: month.appendingPathComponent("summary.json"))) as! [String: Any]
        return (summary, try String(contentsOf: month.appendingPathComponent("report.md"), encoding: .utf8), month, r.stderr)
    }

    func number(_ s: [String: Any], _ key: String) -> String { (s[key] as? NSNumber)?.stringValue ?? "absent" }

    @Test func aLiteLLMOnlyMonthReportsWithOutcomesFromTheTraces() throws {
        let r = try report(folder())
        let s = r.summary
        #expect(number(s, "tickets") == "4")
        #expect(number(s, "resolved_tickets") == "2")
        #expect(number(s, "requests") == "7")
        #expect(number(s, "total_cost_usd") == "0.45")
        #expect(number(s, "cost_per_resolved_ticket_usd") == "0.225")
        #expect(number(s, "cost_per_ticket_usd") == "0.1125")
        #expect(number(s, "rejected_rows") == "0" && number(s, "orphan_requests") == "0")
        let outcomes = s["outcomes"] as? [String: Int] ?? [:]
        #expect(outcomes == ["auto_resolved": 2, "escalated": 1, "deflected": 0, "abandoned": 0, "unknown": 1])
        // Human review is not measured: null in summary.json, never $0.
        #expect((s["human_review_not_measured"] as? String)?.contains("come from the traces") == true, "\(s["human_review_not_measured"] ?? "absent")")
        // The report: the outcome table's unknown row (never resolved), the tickets' line in the
        // data-quality table, the notice and the method's sentence.
        #expect(r.report.contains("| Unknown (no outcome in the traces) | no | 1 | 25.0% | $0.04 | $0.04 |"), "\(r.report)")
        #expect(r.report.contains("| tickets from spend\\_logs.jsonl | the traces' session ids → tickets | 4 | 4 | 0 | 0 |"))
        #expect(r.report.contains("| spend\\_logs.jsonl | LiteLLM spend logs (JSON) → requests | 7 | 7 | 0 | 0 |"))
        #expect(r.report.contains("| Cost per ticket resolved by anyone (3, all but the abandoned and the unknown) | $0.15 |"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: r.month.appendingPathComponent("manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [[String: Any]]
        #expect((inputs.first { $0["path"] as? String == "spend_logs.jsonl" }?["rows_read"] as? NSNumber)?.intValue == 7)
        #expect(r.report.contains("Outcomes come from the traces (costper.toml \\[tickets\\] source = \"traces\"), not a help desk\\: 1 of 4 tickets unknown (never resolved); 1 with more than one outcome (the latest request's taken)"))
        #expect(r.report.contains("1 of 4 tickets of the month has no outcome in its requests\\: outcome unknown, never counted as resolved."))
        #expect(r.report.contains("Human review: **not measured**: the tickets come from the traces"))
        #expect(r.report.contains("| Human review | beyond the model API bill | not measured | not measured | not measured |"))
        // Per outcome and per tenant (the tenant of each session's requests).
        let byOutcome = try String(contentsOf: r.month.appendingPathComponent("by_outcome.csv"), encoding: .utf8)
        #expect(byOutcome.contains("auto_resolved,2,2,5,0.210000,"))
        #expect(byOutcome.contains("escalated,1,0,1,0.200000,"))
        #expect(byOutcome.contains("unknown,1,0,1,0.040000,"))
        let byTenant = try String(contentsOf: r.month.appendingPathComponent("by_tenant.csv"), encoding: .utf8)
        #expect(byTenant.contains("Acme,2,1,3,0.350000,0.777778,0.350000,"), "\(byTenant)")
        #expect(byTenant.contains("Globex,2,1,4,0.100000,0.222222,0.100000,"), "\(byTenant)")
    }

    @Test func theSameMonthFromOpenTelemetryTraces() throws {
        // Three conversations: c-1 two chat spans ($0.10, then $0.05 with costper.outcome
        // auto_resolved), c-2 one span ($0.20, abandoned), c-3 one span ($0.04, no outcome).
        func span(_ id: String, _ conversation: String, _ second: Int, _ cost: String, _ outcome: String?) -> String {
            let start = 1_790_931_600 + second   // 2026-10-02T09:00:00Z
            var attrs = [#"{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}}"#,
                         #"{"key":"gen_ai.request.model","value":{"stringValue":"gpt-5.4-nano"}}"#,
                         #"{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}}"#,
                         #"{"key":"gen_ai.usage.output_tokens","value":{"intValue":"100"}}"#,
                         #"{"key":"gen_ai.conversation.id","value":{"stringValue":"\#(conversation)"}}"#,
                         #"{"key":"costper.tenant","value":{"stringValue":"Acme"}}"#,
                         #"{"key":"costper.cost_usd","value":{"doubleValue":\#(cost)}}"#]
            if let outcome { attrs.append(#"{"key":"costper.outcome","value":{"stringValue":"\#(outcome)"}}"#) }
            return #"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"t"},"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"\#(id)","name":"chat","startTimeUnixNano":"\#(start)000000000","endTimeUnixNano":"\#(start)500000000","attributes":[\#(attrs.joined(separator: ","))]}]}]}]}"#
        }
        let lines = [span("b7ad6b7169203331", "c-1", 0, "0.10", nil), span("b7ad6b7169203332", "c-1", 60, "0.05", "auto_resolved"),
                     span("b7ad6b7169203333", "c-2", 3600, "0.20", "abandoned"), span("b7ad6b7169203334", "c-3", 7200, "0.04", nil)]
        let dir = try temporaryFolder().appendingPathComponent("input")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("traces.jsonl"), atomically: true, encoding: .utf8)
        try "[tickets]\nsource = \"traces\"\n\n[otlp]\ncost = \"costper.cost_usd\"\n".write(to: dir.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        let r = try report(dir)
        #expect(number(r.summary, "tickets") == "3")
        #expect(number(r.summary, "resolved_tickets") == "1")
        #expect(number(r.summary, "total_cost_usd") == "0.39")
        #expect(number(r.summary, "cost_per_resolved_ticket_usd") == "0.39")
        #expect(number(r.summary, "cost_per_ticket_usd") == "0.13")
        #expect((r.summary["outcomes"] as? [String: Int]) == ["auto_resolved": 1, "escalated": 0, "deflected": 0, "abandoned": 1, "unknown": 1])
        #expect(r.report.contains("traces.jsonl\\: ticket \"gen\\_ai.conversation.id\", outcome \"costper.outcome\" (\\[otlp\\])"), "\(r.report)")
    }

    @Test func anOutcomeOutsideTheVocabularyRejectsItsRequestWithItsLine() throws {
        // sess-2's only request (line 3) says outcome:resolved: rejected, so sess-2 is no ticket.
        let dir = try folder { $0.replacingOccurrences(of: "outcome:escalated", with: "outcome:resolved") }
        let r = try report(dir)
        let rejects = try String(contentsOf: r.month.appendingPathComponent("rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("spend_logs.jsonl,3,tag:outcome,\"\"\"resolved\"\" is not an outcome (auto_resolved, escalated, deflected, abandoned)\""), "\(rejects)")
        #expect(r.report.contains("spend\\_logs.jsonl:3: tag:outcome: \"resolved\" is not an outcome (auto\\_resolved, escalated, deflected, abandoned)")
                || r.report.contains("spend\\_logs.jsonl\\:3\\: tag\\:outcome\\: \"resolved\" is not an outcome (auto\\_resolved, escalated, deflected, abandoned)"), "\(r.report)")
        #expect(number(r.summary, "rejected_rows") == "1")
        #expect(number(r.summary, "tickets") == "3")
        #expect(number(r.summary, "resolved_tickets") == "2")
        #expect(number(r.summary, "total_cost_usd") == "0.25")
        #expect(number(r.summary, "cost_per_resolved_ticket_usd") == "0.125")
        #expect(r.report.contains("1 request names an outcome outside the vocabulary and is rejected."))
    }

    @Test func withoutTheSettingTheRefusalNamesIt() throws {
        let dir = try folder(toml: "company = \"Traces Only Ltd\"\n")
        let out = dir.deletingLastPathComponent().appendingPathComponent("site")
        let r = try runCostper(["report", "--input", dir.path, "--out", out.path])
        #expect(r.status == 66, "\(r.stderr)")
        #expect(r.stderr.contains("tickets.csv or tickets.jsonl: not found"), "\(r.stderr)")
        #expect(r.stderr.contains("set [tickets] source = \"traces\" in costper.toml"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func aTicketsFileBesideTheSettingIsRefused() throws {
        let dir = try folder()
        try "ticket_id,outcome\nsess-1,auto_resolved\n".write(to: dir.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        let r = try runCostper(["report", "--input", dir.path, "--out", dir.deletingLastPathComponent().appendingPathComponent("site").path])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("tickets.csv: costper.toml [tickets] source = \"traces\" builds the tickets from the traces, but the folder also holds a tickets file"), "\(r.stderr)")
    }

    @Test func aLangfuseMonthTakesTheOutcomeTag() throws {
        // Two sessions: s-1 a GENERATION tagged outcome:deflected ($0.30) and a SPAN (skipped),
        // s-2 a GENERATION without an outcome tag ($0.10). [resolved_outcomes] counts deflected.
        let csv = """
            id,trace_id,type,start_time,end_time,name,level,provided_model_name,usage_details,cost_details,total_cost,prompt_name,prompt_version,user_id,session_id,tags,metadata
            o1,t1,SPAN,2026-10-05 10:00:00,2026-10-05 10:00:01,workflow,DEFAULT,,{},{},,,,Acme,s-1,"[""support-bot""]",{}
            o2,t1,GENERATION,2026-10-05 10:00:00,2026-10-05 10:00:01,support.reply,DEFAULT,gpt-5.4-nano,"{""input"":1000,""output"":100}",{},0.30,,,Acme,s-1,"[""support-bot"",""outcome:deflected""]",{}
            o3,t2,GENERATION,2026-10-06 10:00:00,2026-10-06 10:00:01,support.reply,DEFAULT,gpt-5.4-nano,"{""input"":1000,""output"":100}",{},0.10,,,Globex,s-2,"[""support-bot""]",{}

            """
        let dir = try temporaryFolder().appendingPathComponent("input")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try csv.write(to: dir.appendingPathComponent("observations.csv"), atomically: true, encoding: .utf8)
        try "resolved_outcomes = [\"auto_resolved\", \"deflected\"]\n\n[tickets]\nsource = \"traces\"\n".write(to: dir.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        let r = try report(dir)
        #expect(number(r.summary, "tickets") == "2")
        #expect(number(r.summary, "resolved_tickets") == "1")
        #expect(number(r.summary, "total_cost_usd") == "0.4")
        #expect(number(r.summary, "cost_per_resolved_ticket_usd") == "0.4")
        #expect((r.summary["outcomes"] as? [String: Int]) == ["auto_resolved": 0, "escalated": 0, "deflected": 1, "abandoned": 0, "unknown": 1])
    }

    func configMessage(_ text: String) -> String? {
        do { _ = try CostperConfig.parse(text); return nil } catch { return error.description }
    }

    @Test func theNewKeysAreInTheClosedSetsWithDidYouMean() {
        // The new keys read...
        let c = try? CostperConfig.parse("[tickets]\nsource = \"traces\"\n[litellm]\noutcome = \"metadata.result\"\n[otlp]\noutcome = [\"app.outcome\", \"costper.outcome\"]\n[langfuse]\noutcome = \"tag:result\"\n")
        #expect(c?.exports.fromTraces == true)
        #expect(c?.exports.litellm.outcomeSources == ["metadata.result"])
        #expect(c?.exports.otlp.outcomeSources == ["app.outcome", "costper.outcome"])
        #expect(c?.exports.langfuse.outcomeSources == ["tag:result"])
        #expect(CostperConfig().exports.litellm.outcomeSources == ["metadata.spend_logs_metadata.outcome", "tag:outcome"])
        #expect(CostperConfig().exports.fromTraces == false)
        // ...and a misspelled one is refused with the nearest name.
        let refused = "is not a key costper knows; a key costper does not know is refused, not ignored"
        #expect(configMessage("[litellm]\noutcom = \"x\"\n") == "costper.toml: litellm.outcom: \(refused) (did you mean \"outcome\"?)")
        #expect(configMessage("[otlp]\noutcomes = \"x\"\n") == "costper.toml: otlp.outcomes: \(refused) (did you mean \"outcome\"?)")
        #expect(configMessage("[tickets]\nsorce = \"traces\"\n") == "costper.toml: tickets.sorce: \(refused) (did you mean \"source\"?)")
        #expect(configMessage("[tickets]\nsource = \"trace\"\n")
                == "costper.toml: tickets.source: \"trace\" is not a tickets source: \"traces\" (one ticket per session or conversation id of the traces) or \"help_desk\" (tickets.csv, or the help-desk export [tickets] maps; the default)")
        #expect(configMessage("[tickets]\nsource = \"traces\"\nid = \"Id\"\n")?.hasPrefix("costper.toml: tickets.id: is a help-desk mapping key, but [tickets] source = \"traces\"") == true)
        // "unknown" is never an outcome a setting may name (it never counts as resolved).
        #expect(configMessage("resolved_outcomes = [\"unknown\"]\n")
                == "costper.toml: resolved_outcomes: \"unknown\" is not an outcome (auto_resolved, escalated, deflected, abandoned)")
    }
}
