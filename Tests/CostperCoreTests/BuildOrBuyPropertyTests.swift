@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

/// Over generated months: the AI layer and the human handling add up to the month, and build or
/// buy is exactly the vendor's price × our AI resolutions + our human handling, per resolved ticket.
@Suite struct BuildOrBuyPropertyTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ n: UInt64) -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state >> 33) % n
        }
    }

    @Test func buildOrBuyIsPriceTimesResolutionsPlusHumanHandling() throws {
        var g = Generator(state: 25)
        for _ in 0..<300 {
            var config = CostperConfig()
            if g.next(3) == 0 { config.resolvedOutcomes = [.auto_resolved, .deflected] }
            var a = MonthAccountEntries(month: Month("2026-10")!, config: config)
            let counts = (0..<4).map { _ in Int(g.next(5_000)) }
            for (o, n) in zip(Outcome.allCases, counts) { a.outcomes[o] = n }
            a.tickets = counts.reduce(0, +)
            a.resolvedTickets = config.resolvedOutcomes.reduce(0) { $0 + (a.outcomes[$1] ?? 0) }
            let human = Money(nanos: Int64(g.next(10_000_000_000_000)))
            let model = Money(nanos: Int64(g.next(1_000_000_000_000)))
            let fixed = Money(nanos: Int64(g.next(5_000_000_000_000)))
            a.costByCategory = [.human_review: human, .model: model, .infrastructure: fixed]
            a.total = Money(nanos: human.nanos + model.nanos + fixed.nanos)
            a.reviewedTickets = a.outcomes[.escalated]
            a.reviewMinutes = Quotient(numerator: Int128(g.next(100_000)), denominator: 10)
            var vendor = PublishedFigure(name: "Vendor", domain: .support, unit: "resolution", figure: Money(nanos: Int64(1 + g.next(5_000_000_000))))
            vendor.scope = .vendor_price_per_ai_resolution
            let e = MonthEconomics.make(MonthAccounts(a), data: BenchmarkData(comparables: [vendor]))
            #expect(e.aiLayer.nanos + e.humanHandling.nanos == a.total.nanos)
            let price = vendor.reference.dollars
            let aiResolutions = Quotient(numerator: Int128(e.aiResolutions), denominator: 1)
            let v = try #require(e.vendors.first)
            if a.resolvedTickets > 0 {
                let buy = try #require(v.buildOrBuy)
                #expect(buy.times(Quotient(numerator: Int128(a.resolvedTickets), denominator: 1)) == price.times(aiResolutions).plus(human.dollars))
                #expect(v.allInRatio == a.costPerResolved!.divided(by: buy))
            } else {
                #expect(v.buildOrBuy == nil && e.savings == nil)
            }
            if e.aiResolutions > 0 {
                #expect(e.aiLayerPerAIResolution!.times(aiResolutions) == e.aiLayer.dollars)
                #expect(v.aiLayerRatio == e.aiLayerPerAIResolution!.divided(by: price))
            }
            // The same through the comparison engine, as the report's all-in line makes it.
            if a.resolvedTickets > 0 {
                let basis = BuildOrBuyBasis(aiResolutions: Int64(e.aiResolutions), humanHandling: human, resolved: Int64(a.resolvedTickets))
                let k = try #require(Comparison.buildOrBuy(Quotient(1), price: vendor, basis: basis, rule: ComparisonRule(), show: .usd))
                #expect(k.adjusted == v.buildOrBuy)
            }
            // Savings are baseline × resolved − all-in, exactly, and a year is twelve months.
            if let s = e.savings {
                #expect(s.perMonth == s.baseline.times(Quotient(numerator: Int128(a.resolvedTickets), denominator: 1)).minus(a.total.dollars))
                #expect(s.annual == s.perMonth.times(Quotient(12)) && s.low <= s.baseline && s.baseline <= s.high)
            }
        }
    }
}
