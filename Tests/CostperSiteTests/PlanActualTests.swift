@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite

/// Plan against actual (issue 19, item 5): a forecast published with one month's report is read
/// against the month it planned when that month is reported.
@Suite struct PlanActualTests {
    /// The tiny month moved to November 2026 (same rows, same costs: $33.368209333, 2 resolved).
    func november() throws -> URL {
        let dir = try temporaryFolder()
        for f in ["tickets.csv", "requests.csv", "fixed_costs.csv", "costper.toml"] {
            let text = try String(contentsOf: fixture("tiny").appendingPathComponent(f), encoding: .utf8)
            try text.replacingOccurrences(of: "2026-10", with: "2026-11").write(to: dir.appendingPathComponent(f), atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func aPlanPublishedInEarlierMonthsIsReadAgainstTheMonthItPlanned() throws {
        // October's report checks tinyForecast (November: 10,000 at $0.80 + $2,500 fixed; December: billing) and keeps it in summary.json.
        let october = try buildMonth(fixture("tiny"), prices: tinyPrices, forecast: tinyForecast)
        let published = try #require(PublishedMonth(month: Month("2026-10")!, summaryJSON: october.monthFiles["summary.json"]!))
        #expect(published.plans.map(\.month.description) == ["2026-11", "2026-12"])
        #expect(published.plans.first?.volume == 10_000)
        // The plan's figure includes its own fixed cost: $0.80 + $2,500 ÷ 10,000 = $1.05.
        #expect(published.plans.first?.costPerOutcome == Quotient(numerator: 105, denominator: 100))
        // A September report planned November too: 4 resolved tickets at $10.00.
        var september = PublishedMonth(month: Month("2026-09")!, costPerResolved: nil, totalCost: Quotient(0), resolvedTickets: 0, flags: 0)
        september.plans = [PlannedLine(month: Month("2026-11")!, domain: "support", serviceType: "", volume: 4, costPerOutcome: Quotient(10))]

        let nov = try buildMonth(try november(), prices: tinyPrices, published: [published, september])
        let csv = String(decoding: try #require(nov.monthFiles["plan_vs_actual.csv"]), as: UTF8.self)
        let rows = csv.split(separator: "\r\n").dropFirst().map(String.init)
        #expect(rows == [
            "2026-09,2026-11,,4,2,-2,10.000000,16.684105,6.684105,40.000000,33.368209,-6.631791,-0.165795",
            "2026-10,2026-11,,10000,2,-9998,1.050000,16.684105,15.634105,10500.000000,33.368209,-10466.631791,-0.996822",
        ])
        let md = String(decoding: nov.monthFiles["report.md"]!, as: UTF8.self)
        #expect(md.contains("### Plan against actual"))
        #expect(md.contains("| September 2026 | The whole month | 4 | 2 | -2 | $10.00 | $16.68 | $40.00 | $33.37 | -$6.63 | -16.6% |"))
        // December's billing line is not November's: not shown; a month with no plan for it has no section and no file.
        #expect(md.components(separatedBy: "| The whole month |").count - 1 == 2)
        #expect(october.monthFiles["plan_vs_actual.csv"] == nil)
    }
}

/// Bad outcome-economics input through the command line: one sentence each, exit 65, nothing written.
@Suite struct OutcomeInputErrorTests {
    func tinyCopy(_ edit: (URL) throws -> Void) throws -> URL {
        let dir = try temporaryFolder().appendingPathComponent("in")
        try FileManager.default.copyItem(at: fixture("tiny"), to: dir)
        try edit(dir)
        return dir
    }

    func appendConfig(_ dir: URL, _ text: String) throws {
        let url = dir.appendingPathComponent("costper.toml")
        let old = try String(contentsOf: url, encoding: .utf8)
        // Top-level keys before the first table.
        try (text + "\n" + old).write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func eachBadInputIsOneSentenceAndExit65() throws {
        let cases: [(edit: (URL) throws -> Void, error: String)] = [
            ({ try self.appendConfig($0, "business_type = \"retail\"") },
             "business_type: \"retail\" is not a business type costper has published rates for; use one of: e-commerce, saas, professional_services, b2b_enterprise"),
            ({ try self.appendConfig($0, "go_live = 2026-11-02") }, "go_live: 2026-11-02 is after October 2026"),
            ({ try "month,tenant,amount_usd\n2026-10,Globex,-5\n".write(to: $0.appendingPathComponent("revenue.csv"), atomically: true, encoding: .utf8) },
             "revenue.csv:2: error: amount_usd: \"-5\" is negative"),
            ({ try self.appendConfig($0, "[pricing]\nper_resolved_usd = -1.50") }, "pricing.per_resolved_usd"),
        ]
        for c in cases {
            let input = try tinyCopy(c.edit)
            let out = input.deletingLastPathComponent().appendingPathComponent("site")
            let r = try runCostper(["report", "--input", input.path, "--out", out.path])
            #expect(r.status == 65, "stderr: \(r.stderr)")
            #expect(r.stderr.contains(c.error), "stderr: \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("2026-10").path))
        }
    }

    @Test func revenueForATenantWithNoTicketIsANoticeAndListed() throws {
        let input = try tinyCopy { dir in
            try "month,tenant,amount_usd\n2026-10,Globex,50\n2026-10,Nobody Ltd,20\n".write(to: dir.appendingPathComponent("revenue.csv"), atomically: true, encoding: .utf8)
        }
        let out = input.deletingLastPathComponent().appendingPathComponent("site")
        let r = try runCostper(["report", "--input", input.path, "--out", out.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let md = try String(contentsOf: out.appendingPathComponent("2026-10/report.md"), encoding: .utf8)
        #expect(md.contains("- revenue for Nobody Ltd, which has no ticket or request this month"))
        // Apart from the ranking and the headline margin, with its revenue.
        #expect(!md.contains("| Nobody Ltd | $20.00 |"))
        #expect(md.contains("revenue of tenants served nothing this month (no ticket, no request): Nobody Ltd ($20.00);"))
        let csv = try String(contentsOf: out.appendingPathComponent("2026-10/margin_by_tenant.csv"), encoding: .utf8)
        #expect(csv.contains("Nobody Ltd,20.000000,0.000000,20.000000,1.000000"))
        // The tenant with tickets and no revenue is listed, below the floor.
        #expect(csv.contains("\"Acme, Inc.\",0.000000,"))
        let quality = try String(contentsOf: out.appendingPathComponent("2026-10/data_quality.csv"), encoding: .utf8)
        #expect(quality.contains("revenue.csv,revenue (CSV),2,2,0,0"))
    }
}

@Suite struct ResolutionTrendTests {
    @Test func theIndexShowsEachMonthsRateAgainstItsExpectations() throws {
        let dir = try temporaryFolder().appendingPathComponent("in")
        try FileManager.default.copyItem(at: fixture("tiny"), to: dir)
        let url = dir.appendingPathComponent("costper.toml")
        try ("business_type = \"saas\"\ngo_live = 2026-10-01\n" + String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        let site = try buildMonth(dir, prices: tinyPrices)
        // 2 of 3 tickets resolved with no review: 66.7%, within SaaS's 60–70%; day 31 of go-live (days 31–60): on track from 65% up to the next stage's 70%.
        let summary = site.monthFiles["summary.json"]!
        let month = try #require(PublishedMonth(month: Month("2026-10")!, summaryJSON: summary))
        #expect(month.autonomousRate?.formatted(decimals: 9) == "0.666666667")   // summary.json keeps nine decimals
        #expect(month.rateVerdicts == "business type: on track; go-live plan: on track")
        let index = String(decoding: site.rootFiles["index.html"]!, as: UTF8.self)
        #expect(index.contains("<td class=\"num\">66.7% (business type: on track; go-live plan: on track)</td>"))
    }
}
