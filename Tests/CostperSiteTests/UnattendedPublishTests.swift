// Issue 27, item 1, as cron runs it: the built costper publishes a good month into a site, then a
// bad run exits 65 and leaves every file of the site as it was, byte for byte.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

@Suite struct UnattendedPublishTests {
    static let tickets = """
    ticket_id,outcome,tenant,segment,service_type,opened_at,closed_at,review_minutes
    T1,auto_resolved,Acme,smb,password_reset,2026-09-02T09:57:00Z,2026-09-02T10:00:00Z,
    T2,escalated,Globex,enterprise,billing,2026-09-05T11:00:00Z,2026-09-05T12:00:00Z,

    """
    static let header = "timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,cached_input_tokens,output_tokens,cost_usd,attempt,status,latency_ms\n"
    static func requests(_ costs: [String]) -> String {
        header + costs.enumerated().map { i, c in "2026-09-02T10:0\(i):00Z,T\(i % 2 + 1),Acme,support.reply,claude-haiku-4.5,v1,llm,1000,0,100,\(c),1,ok,100\n" }.joined()
    }

    /// An input folder of September with `requests` as requests.csv.
    func input(_ dir: URL, _ name: String, requests: String, toml: String = "company = \"Cron Co\"\n") throws -> URL {
        let folder = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.tickets.utf8).write(to: folder.appendingPathComponent("tickets.csv"))
        try Data(requests.utf8).write(to: folder.appendingPathComponent("requests.csv"))
        try Data(toml.utf8).write(to: folder.appendingPathComponent("costper.toml"))
        return folder
    }

    /// Every file under `root` (relative path → bytes), hidden ones included.
    func snapshot(_ root: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = e?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            files[String(url.path.dropFirst(root.path.count))] = try? Data(contentsOf: url)
        }
        return files
    }

    @Test func aBadMonthAfterAGoodOneLeavesTheSiteAsItWas() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = dir.appendingPathComponent("site")
        let env = ["SOURCE_DATE_EPOCH": "1790000000"]
        let good = try input(dir, "good", requests: Self.requests(["1.50", "2.00", "0.50"]))
        let first = try runCostper(["report", "--input", good.path, "--out", site.path], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("costper: 2026-09: cost per resolved ticket $4.00 over 1 resolved tickets (total $4.00)"), "\(first.stdout)")
        let published = snapshot(site)
        #expect(published["/2026-09/summary.json"] != nil)
        #expect(published["/index.html"] != nil)

        func expectRefused(_ args: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let r = try runCostper(["report", "--out", site.path] + args, environment: env)
            #expect(r.status == 65, "\(r.stdout) \(r.stderr)", sourceLocation: sourceLocation)
            #expect(r.stderr == "costper: error: " + message + "\n", sourceLocation: sourceLocation)
            #expect(snapshot(site) == published, "the site changed", sourceLocation: sourceLocation)
        }
        // An export that came out empty.
        let empty = try input(dir, "empty", requests: Self.header)
        try expectRefused(["--input", empty.path],
                          "2026-09 has no accepted request, so it is not published: no request of any month was read; the tickets are dated 2026-09 (2 tickets)")
        // Into a site not made yet, a refused run creates nothing.
        let fresh = dir.appendingPathComponent("fresh")
        #expect(try runCostper(["report", "--input", empty.path, "--out", fresh.path], environment: env).status == 65)
        #expect(!FileManager.default.fileExists(atPath: fresh.path))
        // Another month asked of September's data.
        try expectRefused(["--input", good.path, "--month", "2026-12"],
                          "2026-12 has no accepted request and no ticket, so it is not published: the requests are dated 2026-09 (3 rows); the tickets are dated 2026-09 (2 tickets). Give --month 2026-09 to report the month the data covers")
        // Every request rejected.
        let rejected = try input(dir, "rejected", requests: Self.requests(["n/a", "n/a"]))
        try expectRefused(["--input", rejected.path],
                          "2026-09 has no accepted request, so it is not published: no request of any month was read; the tickets are dated 2026-09 (2 tickets); 2 rows were rejected (costper validate lists them)")
        // One reject among good rows, in CI.
        let oneBad = try input(dir, "one-bad", requests: Self.requests(["1.50", "2.00", "0.50", "n/a"]))
        try expectRefused(["--input", oneBad.path, "--fail-on", "reject"],
                          "1 row was rejected and --fail-on reject makes any reject fatal, so 2026-09 is not published:\nrequests.csv:5: cost_usd: \"n/a\" is not a number")
        // A total three times the published one.
        let tripled = try input(dir, "tripled", requests: Self.requests(["4.50", "6.00", "1.50"]))
        try expectRefused(["--input", tripled.path],
                          "2026-09 is already published with a total of $4.00; this run's total is $12.00, a change of +$8.00 (+200.0%), more than the 50% a run may change a published month by ([publish] max_change_share), so nothing was published. Run again with --replace (or set [publish] replace = true) to replace it")
        // validate says the same of a month with nothing in it.
        let checked = try runCostper(["validate", "--input", good.path, "--month", "2026-12"])
        #expect(checked.status == 65)
        #expect(checked.stderr == "costper: error: 2026-12 has no accepted request and no ticket, so it is not published: the requests are dated 2026-09 (3 rows); the tickets are dated 2026-09 (2 tickets). Give --month 2026-09 to report the month the data covers\n")
        #expect(try runCostper(["validate", "--input", good.path]).status == 0)
        // --fail-on takes only what it knows.
        let usage = try runCostper(["report", "--out", site.path, "--input", good.path, "--fail-on", "warning"], environment: env)
        #expect(usage.status == 64)
        #expect(snapshot(site) == published)

        // Asked for, the replacement is published.
        let replaced = try runCostper(["report", "--input", tripled.path, "--out", site.path, "--replace"], environment: env)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("(total $12.00)"), "\(replaced.stdout)")
        #expect(snapshot(site)["/2026-09/summary.json"] != published["/2026-09/summary.json"])
        // And so is one within the share costper.toml allows.
        let wider = try input(dir, "wider", requests: Self.requests(["1.50", "2.00", "0.50"]), toml: "company = \"Cron Co\"\n[publish]\nmax_change_share = 2\n")
        let back = try runCostper(["report", "--input", wider.path, "--out", site.path], environment: env)
        #expect(back.status == 0, "\(back.stderr)")
    }
}
