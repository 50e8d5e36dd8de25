// Issue 14, item 3: time stays near linear in every dimension of the input. Each test builds a
// month (read, close, alerts, render, the site index against a published month) with n and 10n
// distinct values of one dimension and checks that 10x the input takes well under 100x the time
// (a ratio, not a wall-clock bound: a quadratic step gives about 100). The page stays capped.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperIO
@testable import CostperSite

enum ScalingDimension: String, CaseIterable, Sendable {
    case tenants, endpoints, promptVersions, models, budgets, ticketIDs
}

@Suite(.serialized) struct ScalingTests {
    static let small = 500

    /// An input folder with `n` distinct values of `dimension` (about n rows per file).
    func folder(_ d: ScalingDimension, n: Int, month: String = "2026-10") throws -> URL {
        let dir = try temporaryFolder("scale\(d.rawValue)\(n)\(month)").appendingPathComponent("in")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var tickets = "ticket_id,outcome,tenant,closed_at\n"
        var requests = "timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,cost_usd\n"
        var config = "company = \"Scale\"\n"
        let tickets_n = d == .ticketIDs || d == .tenants || d == .budgets ? n : 100
        for t in 0..<tickets_n {
            let tenant = d == .tenants || d == .budgets ? "tenant-\(t)" : "Acme"
            tickets += "T\(t),\(t % 3 == 0 ? "escalated" : "auto_resolved"),\(tenant),\(month)-0\(t % 9 + 1)T10:00:00Z\n"
        }
        for i in 0..<n {
            let t = i % tickets_n
            let endpoint = d == .endpoints ? "ep-\(i)" : "support.reply"
            let model = d == .models ? "model-\(i)" : "m"
            let prompt = d == .promptVersions ? "v\(i)" : "v1"
            requests += "\(month)-02T09:00:00Z,T\(t),,\(endpoint),\(model),\(prompt),llm,0.001\n"
            if d == .endpoints {   // a newer prompt version that doubles the cost: a drift alert per endpoint
                requests += "\(month)-03T09:00:00Z,T\(t),,\(endpoint),\(model),v2,llm,0.002\n"
            }
        }
        if d == .budgets {
            config += "[budgets]\n"
            for t in 0..<n { config += "\"tenant-\(t)\" = 0.000000001\n" }
        }
        try tickets.write(to: dir.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try requests.write(to: dir.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        try config.write(to: dir.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        return dir
    }

    /// Seconds to build the month (best of two), the month before published with the same values.
    func seconds(_ d: ScalingDimension, n: Int) throws -> (Double, BuiltMonth) {
        let before = try buildMonth(try folder(d, n: n, month: "2026-09"), prices: PriceCatalog())
        let published = [before.record.published]
        let input = try folder(d, n: n)
        var best = Double.infinity
        var files: BuiltMonth?
        for _ in 0..<2 {
            let start = Date()
            files = try buildMonth(input, prices: PriceCatalog(), published: published)
            best = min(best, Date().timeIntervalSince(start))
        }
        return (best, files!)
    }

    @Test(arguments: ScalingDimension.allCases)
    func tenTimesTheInputTakesWellUnderAHundredTimesTheTime(_ d: ScalingDimension) throws {
        let (t1, _) = try seconds(d, n: Self.small)
        let (t10, big) = try seconds(d, n: Self.small * 10)
        let ratio = t10 / max(t1, 0.001)
        print("scaling \(d.rawValue): \(Self.small) → \(String(format: "%.3f", t1)) s, \(Self.small * 10) → \(String(format: "%.3f", t10)) s, ratio \(String(format: "%.1f", ratio))")
        #expect(ratio < 35, "\(d.rawValue): 10x the input took \(ratio)x the time (\(t1) s → \(t10) s)")
        // The page stays capped: no list grows with the input past its cap.
        let page = big.monthFiles["index.html"]!
        #expect(page.count < 600_000, "\(d.rawValue): the page is \(page.count) bytes")
        if d == .endpoints {
            let md = String(decoding: big.monthFiles["report.md"]!, as: UTF8.self)
            #expect(md.contains("more (all in [alerts.csv](alerts.csv))"))
            #expect(md.contains("more (all in [prompt_drift.csv](prompt_drift.csv))"))
            let alertsCSV = String(decoding: big.monthFiles["alerts.csv"]!, as: UTF8.self)
            #expect(alertsCSV.utf8.filter { $0 == 0x0A }.count > Self.small * 10, "alerts.csv keeps every alert")
        }
        if d == .budgets {
            let md = String(decoding: big.monthFiles["report.md"]!, as: UTF8.self)
            #expect(md.contains("more (all in [budgets.csv](budgets.csv))"))
        }
    }

    /// `company` beyond the documented 200 characters is cut, so the layout and the index stay small.
    @Test func aTenMegabyteCompanyIsCut() throws {
        let c = try CostperConfig.parse("company = \"" + String(repeating: "A", count: 10_000_000) + "\"\n")
        #expect(c.company.count == 201 && c.company.hasSuffix("…"))
    }
}
