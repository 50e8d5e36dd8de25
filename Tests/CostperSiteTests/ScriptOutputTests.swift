// Issue 28, item 4: output for scripts, through the built costper. `report --json` and
// `validate --json` print one JSON document on stdout (parsed here), the lines for people go to
// stderr; `--fail-on flag|alert` publishes the month and exits 2; the exit statuses are in --help.
import Foundation
import Testing

@Suite struct ScriptOutputTests {
    /// A September of two tickets: the AI layer and the all-in are flagged (3.5x Intercom Fin's $0.99) and
    /// Globex has 57% of the cost (a tenant concentration alert).
    static let tickets = """
    ticket_id,outcome,tenant,segment,service_type,opened_at,closed_at,review_minutes
    T1,auto_resolved,Acme,smb,password_reset,2026-09-02T09:57:00Z,2026-09-02T10:00:00Z,
    T2,escalated,Globex,enterprise,billing,2026-09-05T11:00:00Z,2026-09-05T12:00:00Z,

    """
    static let requests = """
    timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,cached_input_tokens,output_tokens,cost_usd,attempt,status,latency_ms
    2026-09-02T10:00:00Z,T1,Acme,support.reply,claude-haiku-4.5,v1,llm,1000,0,100,1.50,1,ok,100
    2026-09-02T10:01:00Z,T2,Acme,support.reply,claude-haiku-4.5,v1,llm,1000,0,100,2.000000001,1,ok,100

    """
    static let env = ["SOURCE_DATE_EPOCH": "1790000000"]

    func input(_ dir: URL, requests: String = requests) throws -> URL {
        let folder = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.tickets.utf8).write(to: folder.appendingPathComponent("tickets.csv"))
        try Data(requests.utf8).write(to: folder.appendingPathComponent("requests.csv"))
        try Data("company = \"Script Co\"\n".utf8).write(to: folder.appendingPathComponent("costper.toml"))
        return folder
    }

    /// stdout as one JSON object: the whole of it must parse (nothing else is printed there).
    func document(_ stdout: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(object as? [String: Any], sourceLocation: sourceLocation)
    }

    @Test func reportJSONHoldsTheMonthsFiguresFlagsAlertsAndPaths() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = try input(dir), site = dir.appendingPathComponent("site")
        let r = try runCostper(["report", "--input", folder.path, "--out", site.path, "--json"], environment: Self.env)
        #expect(r.status == 0, "\(r.stderr)")
        // The lines for people went to stderr.
        #expect(r.stderr.contains("costper: 2026-09: cost per resolved ticket $3.50 over 1 resolved tickets (total $3.50)"), "\(r.stderr)")
        #expect(r.stderr.contains("costper: published \(site.path)/2026-09/index.html"))
        #expect(!r.stdout.contains("costper:"))
        let d = try document(r.stdout)
        #expect(d["command"] as? String == "report")
        #expect(d["ok"] as? Bool == true)
        #expect(d["exit_code"] as? Int == 0)
        #expect(d["month"] as? String == "2026-09")
        #expect(d["currency"] as? String == "USD")
        #expect(d["company"] as? String == "Script Co")
        let f = try #require(d["figures"] as? [String: Any])
        // Exact money as decimal text: the nano-dollar of 2.000000001 survives.
        #expect(f["total_cost"] as? String == "3.500000001")
        #expect(f["cost_per_resolved_ticket"] as? String == "3.500000001")
        #expect(f["cost_per_ticket"] as? String == "1.75")   // 1.7500000005 rounded half to even at the nano
        #expect(f["tickets"] as? Int == 2)
        #expect(f["resolved_tickets"] as? Int == 1)
        #expect(f["escalated_tickets"] as? Int == 1)
        #expect(f["requests"] as? Int == 2)
        #expect(f["rejected_rows"] as? Int == 0)
        let categories = try #require(f["cost_by_category"] as? [String: String])  // no null: human review measured
        #expect(categories["model"] == "3.500000001")
        #expect(categories["human_review"] == "0.00")
        #expect(categories.count == 8)
        #expect((f["outcomes"] as? [String: Int]) == ["auto_resolved": 1, "escalated": 1, "deflected": 0, "abandoned": 0])
        let flags = try #require(d["flags"] as? [[String: Any]])
        // The AI layer (every cost but human review: all of it here) per AI resolution, and the
        // all-in per resolved ticket, each against Intercom Fin's $0.99: 3.500000001 / 0.99.
        #expect(flags.map { $0["line"] as? String } == ["ai_layer", "actual"])
        #expect(flags.first?["value"] as? String == "3.500000001")
        #expect(flags.first?["rule_figure"] as? String == "0.99")
        #expect(flags.first?["ratio"] as? String == "3.535353536")
        #expect(flags.first?["comparables_exceeded"] as? [String] == ["Intercom Fin"])
        let alerts = try #require(d["alerts"] as? [[String: Any]])
        #expect(alerts.map { $0["kind"] as? String } == ["tenant_concentration"])
        #expect(alerts.first?["subject"] as? String == "Globex")
        #expect(alerts.first?["threshold"] as? String == "0.25")
        // Every path it names was written, and the month's folder holds no other file.
        let p = try #require(d["published"] as? [String: Any])
        #expect(p["page"] as? String == site.path + "/2026-09/index.html")
        let files = try #require(p["files"] as? [String])
        #expect(files.contains(site.path + "/2026-09/summary.json"))
        #expect(files.contains(site.path + "/2026-09/report.xlsx"))
        for path in files + (p["root_files"] as? [String] ?? []) { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: site.path + "/2026-09").map { site.path + "/2026-09/" + $0 }
        #expect(Set(onDisk) == Set(files))
        #expect((d["fail_on"] as? [String: [String]]) == ["asked": [], "found": []])
        // The same run again prints the same bytes.
        let again = try runCostper(["report", "--input", folder.path, "--out", site.path, "--json"], environment: Self.env)
        #expect(again.stdout == r.stdout)
    }

    @Test func failOnFlagAndAlertPublishThenExit2() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = try input(dir), site = dir.appendingPathComponent("site")
        let flagged = try runCostper(["report", "--input", folder.path, "--out", site.path, "--fail-on", "flag", "--json"], environment: Self.env)
        #expect(flagged.status == 2, "\(flagged.stderr)")
        #expect(flagged.stderr.hasSuffix("costper: --fail-on flag: 2026-09 is published, and it has 2 flagged lines (This month: AI layer per AI resolution; This month: all-in per resolved ticket): exit 2\n"), "\(flagged.stderr)")
        let d = try document(flagged.stdout)
        #expect(d["ok"] as? Bool == false)
        #expect(d["exit_code"] as? Int == 2)
        #expect((d["fail_on"] as? [String: [String]]) == ["asked": ["flag"], "found": ["flag"]])
        // Published all the same.
        let summary = try String(contentsOf: site.appendingPathComponent("2026-09/summary.json"), encoding: .utf8)
        #expect(summary.contains("\"total_cost_usd\": 3.500000001"))

        // Comma-separated, and repeated: both found, without --json the lines stay on stdout.
        let both = try runCostper(["report", "--input", folder.path, "--out", site.path, "--fail-on", "flag,alert"], environment: Self.env)
        #expect(both.status == 2)
        #expect(both.stdout.contains("costper: published"))
        #expect(both.stderr == "costper: --fail-on flag,alert: 2026-09 is published, and it has 2 flagged lines (This month: AI layer per AI resolution; This month: all-in per resolved ticket) and 1 alert (tenant_concentration: Globex): exit 2\n")
        let repeated = try runCostper(["report", "--input", folder.path, "--out", site.path, "--fail-on", "reject", "--fail-on", "alert"], environment: Self.env)
        #expect(repeated.status == 2)
        #expect(repeated.stderr == "costper: --fail-on alert: 2026-09 is published, and it has 1 alert (tenant_concentration: Globex): exit 2\n")
        // A word it does not know: a usage error with the nearest word, nothing run.
        let typo = try runCostper(["report", "--input", folder.path, "--out", site.path, "--fail-on", "flag,alerts"], environment: Self.env)
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("--fail-on takes flag, alert or reject, comma-separated or repeated, not \"alerts\" (did you mean alert?)"), "\(typo.stderr)")

        // The sample month has alerts and no flag.
        let sample = dir.appendingPathComponent("sample-site")
        let clean = try runCostper(["report", "--input", "data/sample", "--out", sample.path, "--fail-on", "flag", "--json"], environment: Self.env)
        #expect(clean.status == 0, "\(clean.stderr)")
        let s = try document(clean.stdout)
        #expect((s["flags"] as? [Any])?.count == 0)
        #expect((s["alerts"] as? [Any])?.count == 8)
        // Its figures are summary.json's, digit for digit.
        let sf = try #require(s["figures"] as? [String: Any])
        let published = try String(contentsOf: sample.appendingPathComponent("2026-10/summary.json"), encoding: .utf8)
        #expect(published.contains("\"total_cost_usd\": \(try #require(sf["total_cost"] as? String)),"))
        #expect(published.contains("\"cost_per_resolved_ticket_usd\": \(try #require(sf["cost_per_resolved_ticket"] as? String)),"))
        let alerted = try runCostper(["report", "--input", "data/sample", "--out", sample.path, "--fail-on", "alert"], environment: Self.env)
        #expect(alerted.status == 2)
        #expect(alerted.stderr.hasPrefix("costper: --fail-on alert: 2026-10 is published, and it has 8 alerts (prompt_drift: "), "\(alerted.stderr)")
    }

    @Test func aRunThatStopsPrintsItsErrorAsJSON() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try runCostper(["report", "--input", dir.appendingPathComponent("nowhere").path, "--out", dir.appendingPathComponent("site").path, "--json"])
        #expect(missing.status == 66)
        let d = try document(missing.stdout)
        #expect(d["ok"] as? Bool == false)
        #expect(d["exit_code"] as? Int == 66)
        let e = try #require(d["error"] as? [String: Any])
        #expect(e["kind"] as? String == "not_found")
        #expect(e["message"] as? String == "input folder \(dir.path)/nowhere not found")
        #expect(missing.stderr == "costper: error: input folder \(dir.path)/nowhere not found\n")
        // --fail-on reject: nothing published, exit 65, the reject in the message.
        let folder = try input(dir, requests: Self.requests + "2026-09-02T10:02:00Z,T1,Acme,support.reply,claude-haiku-4.5,v1,llm,1000,0,100,n/a,1,ok,100\n")
        let site = dir.appendingPathComponent("site")
        let refused = try runCostper(["report", "--input", folder.path, "--out", site.path, "--fail-on", "reject", "--json"], environment: Self.env)
        #expect(refused.status == 65)
        let r = try document(refused.stdout)
        #expect((r["error"] as? [String: Any])?["kind"] as? String == "bad_data")
        #expect(((r["error"] as? [String: Any])?["message"] as? String)?.hasSuffix("requests.csv:4: cost_usd: \"n/a\" is not a number") == true)
        #expect(!FileManager.default.fileExists(atPath: site.path))
    }

    @Test func validateJSONListsEveryProblemAndEachFilesCounts() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = try input(dir, requests: Self.requests
            + "2026-09-02T10:02:00Z,T1,Acme,support.reply,claude-haiku-4.5,v1,llm,1000,0,100,n/a,1,ok,100\n"
            + "2026-09-02T10:03:00Z,T1,Acme,support.reply,claude-haiku-4.5,v1,llm,many,0,100,0.10,1,ok,100\n")
        let r = try runCostper(["validate", "--input", folder.path, "--json"])
        #expect(r.status == 65)
        #expect(r.stderr == "costper: error: 2 rows rejected\n")
        let d = try document(r.stdout)
        #expect(d["command"] as? String == "validate")
        #expect(d["ok"] as? Bool == false)
        #expect(d["exit_code"] as? Int == 65)
        #expect(d["month"] as? String == "2026-09")
        let problems = try #require(d["problems"] as? [[String: Any]])
        #expect(problems.map { "\($0["file"]!):\($0["line"]!):\($0["column"]!)" } == ["requests.csv:4:cost_usd", "requests.csv:5:input_tokens"])
        #expect(problems.first?["message"] as? String == "requests.csv:4: cost_usd: \"n/a\" is not a number")
        let files = try #require(d["files"] as? [[String: Any]])
        let requests = try #require(files.first { $0["file"] as? String == "requests.csv" })
        #expect(requests["rows_read"] as? Int == 4)
        #expect(requests["accepted"] as? Int == 2)
        #expect(requests["rejected"] as? Int == 2)
        let tickets = try #require(files.first { $0["file"] as? String == "tickets.csv" })
        #expect(tickets["accepted"] as? Int == 2)
        #expect(tickets["rejected"] as? Int == 0)
        #expect((d["error"] as? [String: Any])?["message"] as? String == "2 rows rejected")
        // A clean month: ok, exit 0, error null.
        let good = try input(dir.appendingPathComponent("good"))
        let ok = try runCostper(["validate", "--input", good.path, "--json"])
        #expect(ok.status == 0)
        let g = try document(ok.stdout)
        #expect(g["ok"] as? Bool == true)
        #expect(g["error"] is NSNull)
        #expect((g["problems"] as? [Any])?.isEmpty == true)
    }

    @Test func helpListsTheExitStatuses() throws {
        let r = try runCostper(["--help"])
        #expect(r.status == 0)
        for code in ["0   done", "1   an unexpected failure", "2   report --fail-on flag or alert", "64  usage", "65  bad data", "66  not found", "73  cannot write"] {
            #expect(r.stdout.contains(code), "\(code)")
        }
        let report = try runCostper(["report", "--help"])
        #expect(report.stdout.contains("EXIT STATUS"))
        #expect(report.stdout.contains("--fail-on <flag|alert|reject>"))
        #expect(try runCostper(["validate", "--help"]).stdout.contains("--json"))
    }
}
