// Issue 27, item 5: every per-tenant step of a month with pricing is linear in tenants, not only the
// margin table (MarginScalingTests): reading the month, closing it (margins, alerts, tables) and
// rendering its site (margin_by_tenant.csv, by_tenant.csv, the report's tables, the workbook, the
// index's tenants_by_month.csv). Ten times the tenants must take well under a hundred times the
// time: a ratio, not a wall-clock bound (linear gives about 10, n log n a little more, a step that
// is quadratic in tenants about 100). The sizes are 2,000 and 20,000 tenants: the debug build the
// tests run takes about a millisecond a tenant; the release figures for 10k to 300k tenants are in
// Benchmarks/README.md ("Many tenants").
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
@testable import CostperIO

@Suite(.serialized) struct TenantScalingTests {
    /// The month scripts/many-tenants writes: `n` tenants of two tickets each (three of four
    /// tickets resolved), three requests a ticket with cost_usd, [pricing] at $0.05 a resolved ticket.
    static func month(tenants n: Int, in dir: URL) throws -> URL {
        let folder = dir.appendingPathComponent("tenants-\(n)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var tickets = "ticket_id,outcome,tenant,closed_at,review_minutes\n"
        var requests = "timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,output_tokens,cost_usd\n"
        tickets.reserveCapacity(n * 2 * 64); requests.reserveCapacity(n * 6 * 96)
        let outcomes = ["auto_resolved", "auto_resolved", "auto_resolved", "escalated"]
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var t = 0
        for k in 0..<n {
            let tenant = "tenant-\(k)"
            for _ in 0..<2 {
                let day = two(t % 28 + 1), outcome = outcomes[t % 4]
                tickets += "T\(t),\(outcome),\(tenant),2026-10-\(day)T\(10 + t % 8):\(two(t % 60)):00Z,\(outcome == "escalated" ? t % 7 : 0)\n"
                for q in 0..<3 {
                    let cents = 1 + (t * 7 + q * 3 + k) % 40
                    requests += "2026-10-\(day)T0\(1 + t % 8):\(two(t % 60)):0\(q)Z,T\(t),\(tenant),support.reply,gpt-x,v\(1 + k % 3),llm,\(800 + t % 500),\(120 + q * 40),0.\(String(format: "%04d", cents * 10))\n"
                }
                t += 1
            }
        }
        try tickets.write(to: folder.appendingPathComponent("tickets.csv"), atomically: false, encoding: .utf8)
        try requests.write(to: folder.appendingPathComponent("requests.csv"), atomically: false, encoding: .utf8)
        try "company = \"Many Tenants Ltd\"\n\n[pricing]\nper_resolved_usd = 0.05\n".write(to: folder.appendingPathComponent("costper.toml"), atomically: false, encoding: .utf8)
        return folder
    }

    /// Seconds to read, close and render the month (the library calls of `costper report`), and the site.
    static func run(_ folder: URL) throws -> (Double, MonthRecord, SiteFiles) {
        let templates = try repoTemplates()
        let start = Date()
        let record = try closeTestMonth(folder, prices: PriceCatalog(), pack: BoardPack(xlsx: true, inputsDigest: "ab"))
        let site = try Site.render([record], templates: templates)
        return (Date().timeIntervalSince(start), record, site)
    }

    @Test func tenTimesTheTenantsWithPricingTakeWellUnderAHundredTimesTheTimeFromReadingToSite() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let small = try Self.month(tenants: 2_000, in: dir), big = try Self.month(tenants: 20_000, in: dir)
        _ = try Self.run(small)   // warm: templates, catalogs
        let (t1, r1, _) = try Self.run(small)
        let (t10, r10, site) = try Self.run(big)
        #expect(r1.report.margins?.rows.count == 2_000)
        #expect(r10.report.margins?.rows.count == 20_000)
        // Exact figures of the big month: 40,000 tickets, 30,000 resolved at $0.05 = $1,500.00 of revenue.
        let a = r10.report.accounts
        #expect(a.tickets == 40_000 && a.resolvedTickets == 30_000)
        #expect(r10.report.margins?.revenue == Money(dollars: 1_500))
        let csv = String(decoding: site.months[0].files["margin_by_tenant.csv"]!, as: UTF8.self)
        #expect(csv.split(separator: "\r\n").count == 1 + 20_000 + 2, "header, a row a tenant, the served tenants' total, the total")
        #expect(csv.split(separator: "\r\n").last!.hasPrefix("total,1500.000000,"), "\(csv.split(separator: "\r\n").last!)")
        let ratio = t10 / max(t1, 0.001)
        print("tenants, read to site: 2,000 \(String(format: "%.2f", t1)) s, 20,000 \(String(format: "%.2f", t10)) s, ratio \(String(format: "%.1f", ratio))")
        #expect(ratio < 35, "10x the tenants took \(ratio)x the time (\(t1) s → \(t10) s)")
    }
}
