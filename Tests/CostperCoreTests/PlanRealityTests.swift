@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

/// Issue 25 item 4: plans checked against reality. A plan line carries its own fixed cost, is
/// compared with our own actual in its unit, names a driver for a large change, sits on a watch
/// list near the limit, and two lines for one month, domain and service type are refused.
@Suite struct PlanRealityTests {
    let c = ComparablesTests()
    let header = "month,domain,service_type,volume,cost_per_outcome_usd,fixed_monthly_usd,driver\n"

    /// Two tickets, one resolved, $0.40 in all: $0.40 per resolved ticket; Intercom Fin bought
    /// for the one AI resolution is $0.99 per resolved ticket (no human handling).
    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as CostperError { return e.message } catch let e as ConfigError { return e.description } catch { return "\(error)" }
    }

    func twoTickets(config: String = "") throws -> MonthAccounts {
        try month(tickets: "ticket_id,outcome,closed_at\nT1,auto_resolved,2026-10-02T00:00:00Z\nT2,escalated,2026-10-02T00:00:00Z\n",
                  requests: "timestamp,ticket_id,kind,cost_usd\n2026-10-02T00:00:00Z,T1,llm,0.30\n2026-10-02T00:00:00Z,T2,llm,0.10\n", config: config)
    }

    func review(_ lines: String, config: String = "") throws -> ComparablesReview {
        let data = try c.bundled()
        let f = try ForecastFile.read(Buffer("forecast.csv", header + lines).input, benchmarks: data)
        #expect(f.rejects.isEmpty, "\(f.rejects.map(\.message))")
        return ComparablesReview.make(try twoTickets(config: config), data: data, forecast: f.plans)
    }

    @Test func aPlansOwnFixedCostIsPartOfItsFigure() throws {
        // $0.80 a resolved ticket + $250,000 a month over 10,000: $25.80, 26.06x Fin bought: flagged.
        let r = try review("2026-11,support,,10000,0.80,250000,\n")
        let p = try #require(r.plans.first)
        #expect(p.plan.allIn == c.q("25.80"))
        #expect(p.plan.allInSentence(.usd) == "$0.80 + $250,000.00 ÷ 10,000 = $25.80")
        #expect(p.comparison.subject.value == c.q("25.80") && p.comparison.ruleFigure == c.q("0.99") && p.comparison.state == .flagged)
        // Without a fixed cost the line says it excludes one and compares as given: 0.81x, within.
        let bare = try #require(try review("2026-11,support,,10000,0.80,,\n").plans.first)
        #expect(bare.plan.allIn == c.q("0.80") && bare.plan.allInSentence(.usd) == "$0.80, no fixed cost stated (excluded)" && bare.comparison.state == .within)
        #expect(bare.plan.countedPer == "per resolved ticket; volume: resolved tickets a month")
    }

    @Test func eachPlanIsComparedWithOurOwnActual() throws {
        // Ours: $0.40 per resolved ticket. $1.05 ($0.80 + $2,500 ÷ 10,000) is 162.5% above: no driver, a finding.
        let r = try review("2026-11,support,,10000,0.80,2500,\n2026-12,support,,10000,0.80,2500,a new model contract at half the price\n2027-01,support,,10000,0.45,,\n")
        let x = r.plans.map(\.reality)
        #expect(x[0].ours == c.q("0.40") && x[0].change == c.q("1.625") && x[0].unexplained && x[0].oursLabel == "this month's all-in per resolved ticket")
        // The same change with a driver named is not a finding.
        #expect(x[1].change == c.q("1.625") && !x[1].unexplained && r.plans[1].plan.driver == "a new model contract at half the price")
        // $0.45 is 12.5% above: within the 25% allowed.
        #expect(x[2].change == c.q("0.125") && !x[2].unexplained && x[2].allowed == c.q("0.25"))
        // The limit is a setting: at 200% the first line is no longer a finding.
        let wide = try review("2026-11,support,,10000,0.80,2500,\n", config: "[forecast]\nmax_change_without_driver = 2\n")
        #expect(wide.plans[0].reality.allowed == Quotient(2) && !wide.plans[0].reality.unexplained)
        // A service type with no ticket this month has no actual to compare with: said, not guessed.
        let none = try review("2026-12,support,billing,600,1.60,,\n")
        #expect(none.plans[0].reality.ours == nil && none.plans[0].reality.change == nil && !none.plans[0].reality.unexplained)
        #expect(none.plans[0].reality.oursLabel.hasPrefix("no ticket of "))
        #expect(none.plans[0].plan.countedPer == "per ticket handled; volume: tickets of this service type a month")
    }

    @Test func aLineWithinOnePercentOfTheLimitIsOnTheWatchList() throws {
        // Against Fin bought at $0.99 and a 2x rule: $1.98 is exactly 2.00x (watch, not flagged),
        // $1.9701 is 1.99x (watch), $1.96 is 1.98x (within), $1.99 is 2.01x (flagged).
        let r = try review("2026-11,support,,10000,1.98,,\n2026-12,support,,10000,1.9701,,\n2027-01,support,,10000,1.96,,\n2027-02,support,,10000,1.99,,\n")
        #expect(r.plans.map(\.comparison.state) == [.watch, .watch, .within, .flagged])
        #expect(LineState.watch.label == "watch: within 1% of the limit")
    }

    @Test func twoLinesForOneMonthDomainAndServiceTypeAreRefused() throws {
        let data = try c.bundled()
        let text = header + "2026-11,support,,3850,0.95,,\n2026-12,support,billing,600,1.60,,\n2026-11,support,,4000,0.90,,\n"
        let m = message { _ = try ForecastFile.read(Buffer("forecast.csv", text).input, benchmarks: data) }
        #expect(m?.contains("forecast.csv: lines 2 and 4 both plan 2026-11 for support, the whole mix") == true, "\(m ?? "accepted")")
        // The same month for two service types is two plans, not a duplicate.
        let ok = try ForecastFile.read(Buffer("forecast.csv", header + "2026-12,support,billing,600,1.60,,\n2026-12,support,complaint,150,4.50,,\n").input, benchmarks: data)
        #expect(ok.plans.count == 2)
    }

    @Test func theForecastSettingIsAClosedSet() throws {
        #expect(try CostperConfig.parse("[forecast]\nmax_change_without_driver = 0.1\n").planChangeAllowed == c.q("0.1"))
        #expect(try CostperConfig.parse("").planChangeAllowed == c.q("0.25"))
        let m = message { _ = try CostperConfig.parse("[forecast]\nmax_change_without_drivers = 0.1\n") }
        #expect(m?.contains("forecast.max_change_without_drivers") == true && m?.contains("did you mean \"max_change_without_driver\"?") == true, "\(m ?? "accepted")")
    }
}
