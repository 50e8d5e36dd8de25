@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite

/// Issue 26 item 2: the headline, the saving and the flags under the key assumptions.
@Suite struct SensitivityTests {
    @Test func theSampleUnderEachAssumption() throws {
        let r = try EconomicsSampleTests.record.get().report
        let rows = try #require(r.sensitivity)
        #expect(rows.map(\.key) == [.human_baseline, .deflected_counted, .labour_rate, .focus_mode, .flag_basis, .flag_ratio, .range_end])
        let a = r.accounts, e = try #require(r.economics?.savings)
        // The baseline's published low and high: the saving moves, the headline does not.
        #expect(rows[0].values == ["$2.78", "$3.44", "$5.00"] && rows[0].headline == [nil, nil, nil])
        #expect(rows[0].saving == [e.perMonthLow, e.perMonth, e.perMonthHigh] && rows[0].saving.map { AmountFormat.usd.amount($0!) } == ["$4,925.38", "$7,170.91", "$12,500.02"])
        // Deflected counted: $4,559.98 over 3,840 tickets; the saving at $3.44 × 3,840.
        #expect(AmountFormat.usd.unit(rows[1].headline[2]) == "$1.19" && rows[1].headline[2] == a.total.quotient(per: 3_840))
        #expect(rows[1].saving[2] == e.baseline.times(Quotient(3_840)).minus(a.total.dollars))
        // The labour rate ±20%: human review ($3,506.89) moves by ±$701.38, and so does the own baseline.
        let review = a.costByCategory[.human_review]!.dollars
        #expect(rows[2].headline[0] == a.total.dollars.minus(review.times(Quotient(numerator: 2, denominator: 10))).divided(by: Quotient(3_412)))
        #expect(AmountFormat.usd.unit(rows[2].headline[0]) == "$1.13" && AmountFormat.usd.unit(rows[2].headline[2]) == "$1.54")
        #expect(rows[2].saving[2] == e.baseline.times(Quotient(numerator: 12, denominator: 10)).times(Quotient(3_412)).minus(a.total.dollars.plus(review.times(Quotient(numerator: 2, denominator: 10)))))
        // FOCUS replace or add: no fixed_costs.csv row of the sample is the same line as an AWS
        // bill line, so both modes give the same month.
        #expect(rows[3].values == ["replace (as set)", "replace (as set)", "add"])
        #expect(rows[3].headline == [a.costPerResolved, a.costPerResolved, a.costPerResolved] && rows[3].saving == [e.perMonth, e.perMonth, e.perMonth])
        #expect(rows[3].source.hasSuffix("no fixed_costs.csv row is the same line as a bill, so both read the same"))
        // The flag rule's basis, ratio and range end: the sample is within under each.
        #expect(rows[4].flags == [0, 0, 0] && rows[5].flags == [0, 0, 0] && rows[6].flags == [0, 0, 0])
        #expect(rows[5].values == ["3.00x", "2.00x", "1.50x"])
    }

    @Test func aFlagThatDependsOnTheRuleShowsIt() throws {
        // The tiny month: the AI layer at 15.17x and the all-in at 6.28x are flagged at 2x, and stay
        // flagged at 3x and 1.5x (the plan at 0.40x and the run rate at 0.64x stay within).
        let record = try closeTestMonth(fixture("tiny"), prices: tinyPrices, forecast: tinyForecast)
        let rows = try #require(record.report.sensitivity)
        let ratio = try #require(rows.first { $0.key == .flag_ratio })
        #expect(ratio.flags[1] == record.report.flags.count && ratio.flags[1] == 2)
        #expect(ratio.flags[0] == 2 && ratio.flags[2] == 2)   // 3x and 1.5x: both still above
        let md = String(decoding: try #require(try buildMonth(fixture("tiny"), prices: tinyPrices, forecast: tinyForecast).monthFiles["report.md"]), as: UTF8.self)
        #expect(md.contains("| Flag ratio | 3\\.00x | 2\\.00x | 1\\.50x | — | — | 2 / 2 / 2 |"))
    }
}
