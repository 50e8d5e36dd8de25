// Issue 27, item 5: the margin table and its alerts are linear in tenants. Margins.driver summed
// the whole tenant table once per tenant (40k tenants 17 s, 300k never finished); 10x the tenants
// must now take well under 100x the time (a ratio, not a wall-clock bound: a quadratic step gives
// about 100, a linear one about 10).
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

@Suite(.serialized) struct MarginScalingTests {
    /// `n` tenants, one ticket and one $1.00 request each, at $0.01 a resolved ticket: every tenant
    /// is below the margin floor, so every one gets an alert naming its driver.
    func accounts(tenants n: Int) throws -> MonthAccounts {
        var tickets = "ticket_id,outcome,tenant,closed_at\n"
        var requests = "timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,cost_usd\n"
        tickets.reserveCapacity(n * 48); requests.reserveCapacity(n * 72)
        for t in 0..<n {
            tickets += "T\(t),auto_resolved,tenant-\(t),2026-10-0\(t % 9 + 1)T10:00:00Z\n"
            requests += "2026-10-02T09:00:00Z,T\(t),,support.reply,m,v1,llm,1.00\n"
        }
        return try month(tickets: tickets, requests: requests, config: "[pricing]\nper_resolved_usd = 0.01\n", month: "2026-10")
    }

    /// Seconds for the margin table and its alerts (best of two), and the alerts.
    func seconds(_ a: MonthAccounts) -> (Double, [Alert]) {
        var best = Double.infinity
        var alerts: [Alert] = []
        for _ in 0..<2 {
            let start = Date()
            let table = Margins.make(a)
            alerts = Margins.alerts(a, margins: table).filter { $0.kind == .margin_floor }
            best = min(best, Date().timeIntervalSince(start))
        }
        return (best, alerts)
    }

    @Test func tenTimesTheTenantsWithPricingTakeWellUnderAHundredTimesTheTime() throws {
        let small = try accounts(tenants: 10_000), big = try accounts(tenants: 100_000)
        let (t1, a1) = seconds(small)
        let (t10, a10) = seconds(big)
        #expect(a1.count == 10_000)
        #expect(a10.count == 100_000)
        // Each alert has the exact figures of its tenant: $1.00 of cost against $0.01 of revenue.
        #expect(a10.first { $0.subject == "tenant-99999" }?.message
                == "tenant-99999: margin -9900.0% is below the 20.0% floor (cost per resolved ticket $1.00, price $0.01, $1.25 at the floor); the largest cost: the AI layer, $1.00 of its $1.00 a resolved ticket (month: $1.00); $1.24 a month of revenue brings it to the floor.")
        let ratio = t10 / max(t1, 0.001)
        print("margins: 10,000 tenants \(String(format: "%.3f", t1)) s, 100,000 tenants \(String(format: "%.3f", t10)) s, ratio \(String(format: "%.1f", ratio))")
        #expect(ratio < 35, "10x the tenants took \(ratio)x the time (\(t1) s → \(t10) s)")
    }
}
