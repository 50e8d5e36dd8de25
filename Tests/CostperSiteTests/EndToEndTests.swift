import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite

/// Runs the built executable as a user would.
@Suite(.serialized) struct EndToEndTests {
    @Test func reportOnTheTinyMonthPublishesTheSite() throws {
        let out = try temporaryFolder()
        let r = try runCostper(["report", "--input", fixture("tiny").path, "--out", out.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("cost per resolved ticket $16.68"))
        let month = out.appendingPathComponent("2026-10")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: month.appendingPathComponent("summary.json"))) as! [String: Any]
        #expect((summary["total_cost_usd"] as! NSNumber).stringValue == "33.368209")
        let html = try String(contentsOf: month.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<table>"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("assets/style.css").path))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: month.appendingPathComponent("manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [[String: Any]]
        #expect(inputs.map { $0["path"] as! String } == ["tickets.csv", "requests.csv", "fixed_costs.csv", "costper.toml"])
        #expect((inputs[0]["sha256"] as! String).count == 64)
        // Re-running gives byte-identical files and leaves nothing half-built beside OUT.
        let first = try Data(contentsOf: month.appendingPathComponent("index.html"))
        let again = try runCostper(["report", "--input", fixture("tiny").path, "--out", out.path])
        #expect(again.status == 0)
        #expect(try Data(contentsOf: month.appendingPathComponent("index.html")) == first)
        let beside = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(!beside.contains { $0.contains("costper-staging") })
    }

    @Test func versionNamesCmarkGFM() throws {
        let r = try runCostper(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("cmark-gfm 0.29"))
    }

    @Test func aMissingInputFolderExits66() throws {
        let r = try runCostper(["report", "--input", "/nonexistent/folder", "--out", try temporaryFolder().path])
        #expect(r.status == 66)
        #expect(r.stderr.contains("input folder /nonexistent/folder not found"))
    }

    @Test func aMissingColumnExits65AndWritesNothing() throws {
        let dir = try temporaryFolder()
        try "ticket_id,outcome\nT1,auto_resolved\n".write(to: dir.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try "timestamp,ticket_id\n2026-10-01T00:00:00Z,T1\n".write(to: dir.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("site")
        let r = try runCostper(["report", "--input", dir.path, "--out", out.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("requests.csv: the required column \"kind\" is missing"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func validateExits65WhenARowIsRejected() throws {
        let dir = try temporaryFolder()
        try "ticket_id,outcome\nT1,auto_resolved\n".write(to: dir.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try "timestamp,ticket_id,kind,cost_usd\n2026-10-01T00:00:00Z,T1,llm,12abc\n2026-10-01T00:00:00Z,T1,llm,0.5\n"
            .write(to: dir.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        let r = try runCostper(["validate", "--input", dir.path])
        #expect(r.status == 65)
        #expect(r.stdout.contains("requests.csv:2: cost_usd: \"12abc\" is not a number"))
    }

    @Test func aBadMonthIsAUsageError() throws {
        let r = try runCostper(["report", "--month", "October"])
        #expect(r.status == 64)
    }
}
