@testable import CostperMoney
@testable import CostperIngest
import Testing
@testable import CostperCore

/// Every table adds up to the total printed under it.
@Suite struct DisplayRoundingTests {
    /// The sample month's categories: rounded one by one they add up to $4,055.74 under a
    /// $4,055.73 total; by largest remainder they add up to the total.
    @Test func theSampleMonthsCategoriesAddUpToItsTotal() {
        let nanos: [Int64] = [32_673_251_000, 1_984_120_000, 9_800_000, 95_245_000_000, 3_506_888_889_000, 201_000_000_000, 7_929_740_000, 210_000_000_000]
        let total = Money(nanos: nanos.reduce(0, +))
        let r = DisplayRounding.usd(nanos.map { Money(nanos: $0) }, total: total)
        let cents = r.rows.map { Int($0.filter(\.isNumber))! }
        #expect(cents.reduce(0, +) == Int(r.total.filter(\.isNumber))!)
    }

    @Test func sharesAddUpToAHundredAndTinyOnesSaySo() {
        let s = DisplayRounding.percents([Quotient(numerator: 1, denominator: 3), Quotient(numerator: 1, denominator: 3),
                                          Quotient(numerator: 1, denominator: 3), Quotient(0)])
        #expect(s == ["33.4%", "33.3%", "33.3%", "0.0%"])
        let tiny = DisplayRounding.percents([Quotient(numerator: 9_999, denominator: 10_000), Quotient(numerator: 1, denominator: 10_000)])
        #expect(tiny == ["100.0%", "<0.1%"])
    }

    @Test func aPerTicketColumnHasOnePrecision() {
        let r = DisplayRounding.perTicket([Quotient(numerator: 1, denominator: 3), Quotient(2)], total: Quotient(numerator: 7, denominator: 3))
        #expect(r.rows == ["$0.3333", "$2.0000"] && r.total == "$2.3333")
        let big = DisplayRounding.perTicket([Quotient(3), Quotient(2)], total: Quotient(5))
        #expect(big.rows == ["$3.00", "$2.00"] && big.total == "$5.00")
    }

    /// A property: for random non-negative amounts, the displayed rows always sum to the
    /// displayed total, and each row is within one step of its exact value.
    @Test func displayedRowsAlwaysSumToTheDisplayedTotal() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let n = Int.random(in: 1...12, using: &rng)
            let values = (0..<n).map { _ in Int64.random(in: 0...5_000_000_000_000, using: &rng) }
            let exact = values.map { Quotient(numerator: Int128($0), denominator: Int128(Money.scale)) }
            let total = exact.reduce(Quotient(0)) { $0.plus($1) }
            let step = Quotient(numerator: 1, denominator: 100)
            let r = DisplayRounding.largestRemainder(exact, step: step, total: total)
            #expect(r.rows.reduce(0, +) == r.total)
            for (row, v) in zip(r.rows, exact) {
                let diff = Quotient(numerator: row, denominator: 100).minus(v)
                #expect(diff < step && Quotient(0).minus(diff) < step)
            }
            let shares = DisplayRounding.percents(exact.map { total > Quotient(0) ? $0.divided(by: total) : nil })
            if total > Quotient(0) {
                let tenths = shares.map { $0.hasPrefix("<") ? 0 : Int($0.filter(\.isNumber))! }
                #expect(tenths.reduce(0, +) == 1_000)
            }
        }
    }
}
