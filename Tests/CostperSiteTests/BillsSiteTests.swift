import Foundation
import Testing

/// The bills end to end through the executable: hostile names stay text, bad bills stop the run
/// with a sentence, and the allocated gap is stated on the page.
@Suite struct BillsSiteTests {
    func tinyMonth(_ name: String, toml: String, files: [String: String]) throws -> URL {
        let dir = try temporaryFolder(name).appendingPathComponent("in")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in ["tickets.csv", "requests.csv", "fixed_costs.csv"] {
            try FileManager.default.copyItem(at: fixture("tiny").appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        try ("company = \"Tiny Co\"\n" + toml).write(to: dir.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        for (n, text) in files { try text.write(to: dir.appendingPathComponent(n), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func hostileNamesInBillsAndInvoicesStayText() throws {
        let hostile = "=HYPERLINK(\"http://x\")|**bold**<script>"
        let dir = try tinyMonth(#function, toml: "[focus]\nunmatched = \"integrations\"\n[reconcile]\nallocate_gap = true\n[reconcile.providers]\n\"claude-haiku-4.5\" = \"Anthropic\"\n\"claude-sonnet-4.6\" = \"Anthropic\"\n", files: [
            "cloud.csv": "BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargeCategory,ServiceName\n1,1,USD,2026-10-03T00:00:00Z,Usage,\"\(hostile.replacingOccurrences(of: "\"", with: "\"\""))\"\n",
            "invoices.csv": "provider,month,amount,currency\nAnthropic,2026-10,0.025,USD\n\"\(hostile.replacingOccurrences(of: "\"", with: "\"\""))\",2026-10,1,USD\n",
        ])
        let out = dir.deletingLastPathComponent().appendingPathComponent("site")
        let r = try runCostper(["report", "--input", dir.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let month = out.appendingPathComponent("2026-10")
        let page = try String(contentsOf: month.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!page.contains("<script>") && !page.contains("<strong>bold</strong>"))
        let md = try String(contentsOf: month.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("| Ties to the provider invoices (see Ties to the invoices) | **no**: "))
        #expect(md.contains("Each gap is allocated ([reconcile] allocate_gap = true)"))
        #expect(md.contains("| Anthropic | claude-haiku-4.5 | $0.00905 | $0.000357 | $0.00941 |"))   // traced + gap, each at three significant figures
        let csv = try String(contentsOf: month.appendingPathComponent("reconciliation.csv"), encoding: .utf8)
        #expect(csv.contains("'=HYPERLINK"))
        let bills = try String(contentsOf: month.appendingPathComponent("focus_bills.csv"), encoding: .utf8)
        #expect(bills.contains("'=HYPERLINK"))
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: month.appendingPathComponent("summary.json"))) as! [String: Any]
        let invoices = try #require(summary["invoices"] as? [String: Any])
        #expect(invoices["ties"] as? Bool == false)
    }

    @Test func badBillsStopTheRunWithASentence() throws {
        // An invoice in a currency with no rate for the month.
        let eur = try tinyMonth(#function + "-eur", toml: "", files: ["invoices.csv": "provider,month,amount,currency\nAnthropic,2026-10,10,EUR\n"])
        let r = try runCostper(["validate", "--input", eur.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("invoices.csv:2: error: currency: no exchange rate from EUR to USD for 2026-10: add [fx.EUR] \"2026-10\" = RATE to costper.toml"), "\(r.stderr)")
        // FOCUS lines that add up past costper's money range.
        let big = "9000000000"
        let huge = try tinyMonth(#function + "-big", toml: "[focus]\nunmatched = \"infrastructure\"\n", files: [
            "cloud.csv": "BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargeCategory,ServiceName\n\(big),\(big),USD,2026-10-03T00:00:00Z,Usage,S3\n\(big),\(big),USD,2026-10-04T00:00:00Z,Usage,S3\n",
        ])
        let h = try runCostper(["report", "--input", huge.path, "--out", huge.deletingLastPathComponent().appendingPathComponent("site").path])
        #expect(h.status == 65)
        #expect(h.stderr.contains("adds up to more than costper's money range"), "\(h.stderr)")
        // A bad rule: a category the bills cannot have.
        let bad = try tinyMonth(#function + "-rule", toml: "[[focus.rules]]\nservice_name = \"x\"\ncategory = \"human_review\"\n", files: [:])
        let b = try runCostper(["validate", "--input", bad.path])
        #expect(b.status == 65)
        #expect(b.stderr.contains("focus.rules[1].category: \"human_review\" is not a bill's category"), "\(b.stderr)")
    }
}
