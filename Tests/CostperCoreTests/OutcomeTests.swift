@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

/// Outcome economics (issue 19): the month week by week, cost per escalation avoided, margin by
/// tenant, resolution rates against the published expectations. The month below was worked by hand:
///   April 2026 starts on a Wednesday: W14 Apr 1–5 (part), W15 6–12, W16 13–19, W17 20–26, W18 27–30 (part).
///   T1 auto_resolved A, closed Apr 2 (W14), $1.00; T2 escalated A, closed Apr 7 (W15), $2.00;
///   T3 auto_resolved B, no closed_at, first request Apr 30 (W18), $3.00; T4 deflected B, closed Apr 13 (W16), $0.50;
///   a request of A with no ticket, $0.25; a $4.00 fixed cost, $1.00 a ticket. Total $10.75.
@Suite struct OutcomeTests {
    static let tickets = """
    ticket_id,outcome,tenant,segment,service_type,opened_at,closed_at,review_minutes
    T1,auto_resolved,A,smb,billing,2026-04-02T09:00:00Z,2026-04-02T10:00:00Z,
    T2,escalated,A,smb,billing,2026-04-07T09:00:00Z,2026-04-07T10:00:00Z,
    T3,auto_resolved,B,smb,billing,2026-04-30T09:00:00Z,,
    T4,deflected,B,smb,billing,2026-04-13T09:00:00Z,2026-04-13T10:00:00Z,

    """
    static let requests = """
    timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,cached_input_tokens,output_tokens,cost_usd,attempt,status,latency_ms
    2026-04-02T09:10:00Z,T1,A,support.reply,m,v1,llm,100,0,10,1.00,1,ok,100
    2026-04-07T09:10:00Z,T2,A,support.reply,m,v1,llm,100,0,10,2.00,1,ok,100
    2026-04-30T10:00:00Z,T3,B,support.reply,m,v1,llm,100,0,10,3.00,1,ok,100
    2026-04-13T09:10:00Z,T4,B,support.reply,m,v1,llm,100,0,10,0.50,1,ok,100
    2026-04-20T09:10:00Z,X9,A,support.reply,m,v1,llm,100,0,10,0.25,1,ok,100

    """
    static let fixed = "month,category,name,amount_usd\n2026-04,infrastructure,Hosting,4.00\n"

    func april(_ config: String = "") throws -> MonthAccounts {
        try month(tickets: Self.tickets, requests: Self.requests, fixed: Self.fixed, config: config, month: "2026-04")
    }

    @Test func aMonthStartingMidWeekIsCutIntoIsoWeeksAtItsEdges() {
        let weeks = Weeks.slices(Month("2026-04")!)
        #expect(weeks.map { $0.label(Month("2026-04")!) } == ["2026-W14, Apr 1–5 (part)", "2026-W15, Apr 6–12", "2026-W16, Apr 13–19",
                                                              "2026-W17, Apr 20–26", "2026-W18, Apr 27–30 (part)"])
        let oct = Weeks.slices(Month("2026-10")!)
        #expect(oct.first?.label(Month("2026-10")!) == "2026-W40, Oct 1–4 (part)")
        #expect(oct.last?.label(Month("2026-10")!) == "2026-W44, Oct 26–31 (part)")
        // January 2027 begins on a Friday inside ISO week 53 of 2026.
        let jan = Weeks.slices(Month("2027-01")!)
        #expect(jan.first?.label(Month("2027-01")!) == "2026-W53, Jan 1–3 (part)")
        #expect(jan[1].isoLabel == "2027-W01")
        // A month beginning on a Monday: its first week is whole.
        #expect(Weeks.slices(Month("2026-06")!).first?.partial == false)
        #expect(Weeks.slices(Month("2026-06")!).reduce(0) { $0 + $1.lastDay - $1.firstDay + 1 } == 30)
    }

    @Test func theWeeksAddUpToTheMonth() throws {
        let a = try april()
        #expect(a.total == Money(nanos: 10_750_000_000))
        let w = a.weekly.weeks
        #expect(w.map(\.tickets) == [1, 1, 1, 0, 1])
        #expect(w.map(\.resolved) == [1, 0, 0, 0, 1])
        #expect(w.map(\.cost) == [Money(dollars: 2), Money(dollars: 3), Money(nanos: 1_500_000_000), .zero, Money(dollars: 4)])
        #expect(a.weekly.orphanCost == Money(nanos: 250_000_000))
        #expect(a.weekly.total == a.total)
        #expect(w.reduce(0) { $0 + $1.tickets } == a.tickets)
        #expect(w.reduce(0) { $0 + $1.resolved } == a.resolvedTickets)
        #expect(w[0].costPerResolved == Quotient(2))
        #expect(w[1].costPerResolved == nil)
        #expect(w[0].resolutionRate == Quotient(1))
    }

    @Test func aWeekAboveTheMonthRaisesAnAlert() throws {
        // The month: $10.75 / 2 = $5.375 per resolved ticket; W14 $2.00, W18 $4.00: none above it.
        #expect(Margins.alerts(try april(), margins: nil).isEmpty)
        // Deflected counted as resolved: $10.75 / 3 = $3.583…; W18's $4.00 is 11.6% above it.
        let resolved = "resolved_outcomes = [\"auto_resolved\", \"deflected\"]\n"
        #expect(Margins.alerts(try april(resolved + "[alerts]\nweek_above_month_share = 0.12\n"), margins: nil).isEmpty)
        let alerts = Margins.alerts(try april(resolved + "[alerts]\nweek_above_month_share = 0.10\n"), margins: nil)
        #expect(alerts.map(\.subject) == ["2026-W18, Apr 27–30 (part)"])
        #expect(alerts.first?.kind == .week_cost)
        #expect(alerts.first?.value == "$4.00")
    }

    @Test func costPerEscalationAvoidedCountsResolvedAndDeflectedByDefault() throws {
        let a = try april()
        #expect(a.escalationsAvoided == 3)
        #expect(a.costPerEscalationAvoided == Quotient(numerator: 1075, denominator: 300))
        let b = try april("[outcomes]\nescalation_avoided = [\"auto_resolved\"]\n")
        #expect(b.escalationsAvoided == 2)
        #expect(b.costPerEscalationAvoided!.formatted(decimals: 3) == "5.375")
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[outcomes]\nescalation_avoided = [\"won\"]\n") }
    }

    func margins(_ config: String, revenue: String? = nil) throws -> MarginTable {
        var a = try april(config)
        if let revenue { a = a.adding(revenue: try RevenueList.read(Buffer("revenue.csv", revenue).input)) }
        return try #require(Margins.make(a))
    }

    func row(_ m: MarginTable, _ tenant: String) -> MarginRow? { m.rows.first { $0.tenant == tenant } }

    @Test func marginBySubscriptionToTheCent() throws {
        let m = try margins("[pricing.subscriptions]\nA = 10\n")
        #expect(row(m, "A")?.revenue == Money(dollars: 10))
        #expect(row(m, "A")?.cost == Money(nanos: 5_250_000_000))   // T1, T2, their fixed share and A's request without a ticket
        #expect(row(m, "A")?.margin == Money(nanos: 4_750_000_000))
        #expect(row(m, "A")?.marginShare == Quotient(numerator: 475, denominator: 1000).reduced)
        // B pays nothing: listed, never dropped.
        #expect(row(m, "B")?.revenue == .zero)
        #expect(row(m, "B")?.margin == Money(nanos: -5_500_000_000))
        #expect(row(m, "B")?.marginShare == nil)
        #expect(m.cost == Money(nanos: 10_750_000_000))
        #expect(m.margin == Money(nanos: -750_000_000))
    }

    @Test func marginByResolutionPriceToTheCent() throws {
        let m = try margins("[pricing]\nper_resolved_usd = 2.00\n")
        #expect(row(m, "A")?.revenue == Money(dollars: 2))
        #expect(row(m, "A")?.margin == Money(nanos: -3_250_000_000))
        #expect(row(m, "B")?.revenue == Money(dollars: 2))
        #expect(row(m, "B")?.margin == Money(nanos: -3_500_000_000))
        #expect(row(m, "B")?.pricePerResolved == Quotient(2))
        #expect(row(m, "B")?.costPerResolved == Quotient(numerator: 55, denominator: 10).reduced)
        #expect(m.revenue == Money(dollars: 4))
    }

    @Test func marginBySubscriptionAndPriceAndRevenueFile() throws {
        let m = try margins("[pricing]\nper_resolved_usd = 2.00\n[pricing.subscriptions]\nA = 10\n",
                            revenue: "month,tenant,amount_usd\n2026-04,C,7.00\n2026-03,A,100\n2026-04,B,0.01\n")
        #expect(row(m, "A")?.revenue == Money(dollars: 12))
        #expect(row(m, "A")?.margin == Money(nanos: 6_750_000_000))
        #expect(row(m, "A")?.marginShare == Quotient(numerator: 5625, denominator: 10000).reduced)
        #expect(row(m, "B")?.revenue == Money(nanos: 2_010_000_000))
        // C pays but has no ticket: listed with no cost.
        #expect(row(m, "C")?.revenue == Money(dollars: 7))
        #expect(row(m, "C")?.cost == .zero)
        #expect(m.revenueOnly == ["C"])
        #expect(m.revenue == Money(nanos: 21_010_000_000))
        #expect(m.margin == Money(nanos: 10_260_000_000))
    }

    @Test func aTenantBelowTheFloorHasAnAlertNamingItsDriver() throws {
        var a = try april("[pricing]\nper_resolved_usd = 2.00\n[pricing.subscriptions]\nA = 10\n")
        a = a.adding(revenue: try RevenueList.read(Buffer("revenue.csv", "month,tenant,amount_usd\n2026-04,C,7.00\n").input))
        let alerts = Margins.alerts(a, margins: Margins.make(a)).filter { $0.kind == .margin_floor }
        #expect(alerts.map(\.subject) == ["B"])
        #expect(alerts[0].severity == .alert)
        // The driver is the component with the most dollars per resolved ticket; the alert is worth
        // the revenue that brings B to the floor.
        #expect(alerts[0].message == "B: margin -175.0% is below the 20.0% floor (cost per resolved ticket $5.50, price $2.00, $6.88 at the floor); the largest cost: the AI layer, $5.50 of its $5.50 a resolved ticket (month: $5.38); $4.88 a month of revenue brings it to the floor.")
        let b = try #require(Margins.make(a)?.rows.first { $0.tenant == "B" })
        #expect(alerts[0].impact == b.cost.dollars.divided(by: Quotient(numerator: 8, denominator: 10))!.minus(b.revenue.dollars))
    }

    @Test func negativeRevenueOrPriceIsAnErrorWithASentence() throws {
        #expect {
            _ = try RevenueList.read(Buffer("revenue.csv", "month,tenant,amount_usd\n2026-04,A,5\n2026-04,B,-3.00\n").input)
        } throws: { e in
            let e = e as! CostperError
            return e.location == InputLocation(file: "revenue.csv", line: 3) && e.message.contains("is negative")
        }
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[pricing]\nper_resolved_usd = -1\n") }
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[pricing.subscriptions]\nA = -10\n") }
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[alerts]\nweek_above_month_share = -0.1\n") }
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[alerts]\nmargin_floor_share = 1.5\n") }
        // A bad row is a reject with its line, never a stop.
        let list = try RevenueList.read(Buffer("revenue.csv", "month,tenant,amount_usd\n2026-13,A,5\n2026-04,,5\n2026-04,A,x\n").input)
        #expect(list.rejects.map(\.line) == [2, 3, 4])
        #expect(list.items.isEmpty)
    }

    static let register = """
    kind,key,label,until_day,low,high,publisher,title,published,url,source_unit,figure_kind,disclosure,secondary_source,notes
    business_type,saas,SaaS,,0.60,0.70,unattributed secondary analysis,(estimate),,,u,estimate,estimate: unattributed secondary analysis,s,
    business_type,e-commerce,E-commerce,,0.75,0.85,unattributed secondary analysis,(estimate),,,u,estimate,estimate: unattributed secondary analysis,s,
    plan,days_1_30,Days 1–30,30,0.50,,unattributed secondary analysis,(estimate),,,u,estimate,estimate: unattributed secondary analysis,s,
    plan,days_31_60,Days 31–60,60,0.65,,unattributed secondary analysis,(estimate),,,u,estimate,estimate: unattributed secondary analysis,s,
    plan,days_61_90,Days 61–90,90,0.70,0.80,unattributed secondary analysis,(estimate),,,u,estimate,estimate: unattributed secondary analysis,s,

    """

    @Test func eachVerdictAtItsBoundaries() {
        let low = Quotient(numerator: 60, denominator: 100), high = Quotient(numerator: 70, denominator: 100)
        let eps = Quotient(numerator: 1, denominator: 1_000_000)
        #expect(ResolutionRates.verdict(low.minus(eps), low: low, onTrackHigh: high) == .behind)
        #expect(ResolutionRates.verdict(low, low: low, onTrackHigh: high) == .on_track)
        #expect(ResolutionRates.verdict(high, low: low, onTrackHigh: high) == .on_track)
        #expect(ResolutionRates.verdict(high.plus(eps), low: low, onTrackHigh: high) == .ahead)
        #expect(RateVerdict.on_track.label == "on track")
    }

    @Test func theMonthAgainstItsBusinessTypeAndGoLiveStage() throws {
        let refs = try BenchmarkData.readResolutionRates(Buffer("resolution_rates.csv", Self.register).input)
        // April: 2 of 4 tickets resolved with no review = 50%; containment 3 of 4; escalation 1 of 4.
        let a = try april("business_type = \"saas\"\ngo_live = 2026-04-01\n")
        let r = try ResolutionRates.review(a, references: refs)
        #expect(r.autonomous == Quotient(numerator: 1, denominator: 2))
        #expect(r.containment == Quotient(numerator: 3, denominator: 4))
        #expect(r.escalation == Quotient(numerator: 1, denominator: 4))
        #expect(r.businessType?.verdict == .behind)
        #expect(r.daysLive == 30)
        #expect(r.plan?.reference.key == "days_1_30")
        #expect(r.plan?.verdict == .on_track)            // exactly the 50% target
        #expect(r.plan?.onTrackHigh == Quotient(numerator: 65, denominator: 100))
        // Day 31 of go-live falls in the 31–60 stage: 50% is behind its 65%.
        let later = try ResolutionRates.review(try april("go_live = 2026-03-31\n"), references: refs)
        #expect(later.daysLive == 31)
        #expect(later.plan?.verdict == .behind)
        // Long after go-live, the last stage applies.
        #expect(try ResolutionRates.review(try april("go_live = \"2025-01-01\"\n"), references: refs).plan?.reference.key == "days_61_90")
    }

    @Test func anUnknownBusinessTypeOrALateGoLiveIsAnError() throws {
        let refs = try BenchmarkData.readResolutionRates(Buffer("resolution_rates.csv", Self.register).input)
        #expect {
            _ = try ResolutionRates.review(try april("business_type = \"retail\"\n"), references: refs)
        } throws: { e in (e as! CostperError).message.contains("use one of: saas, e-commerce") }
        #expect {
            _ = try ResolutionRates.review(try april("go_live = 2026-05-01\n"), references: refs)
        } throws: { e in (e as! CostperError).message.contains("2026-05-01 is after April 2026") }
        // The last day of the month is allowed: day 1.
        #expect(try ResolutionRates.review(try april("go_live = 2026-04-30\n"), references: refs).daysLive == 1)
    }

    @Test func theBuiltInRegisterCitesItsSecondarySource() throws {
        let refs = try BenchmarkData.readResolutionRates(Buffer(file: repoRoot.appendingPathComponent("data/benchmarks/resolution_rates.csv")).input)
        #expect(ResolutionRates.businessTypes(refs) == ["e-commerce", "saas", "professional_services", "b2b_enterprise"])
        #expect(refs.filter { $0.kind == .plan }.map(\.low) == [Quotient(numerator: 1, denominator: 2), Quotient(numerator: 13, denominator: 20), Quotient(numerator: 7, denominator: 10)])
        #expect(refs.allSatisfy { $0.citation.kind == .estimate && $0.citation.disclosure == "estimate: unattributed secondary analysis" })
    }
}
