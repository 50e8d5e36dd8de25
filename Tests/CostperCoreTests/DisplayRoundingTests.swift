@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

/// Every figure is rounded once, half to even, at one precision; a table whose printed rows miss
/// its printed total says so in a Rounding row instead of moving a cent between rows.
@Suite struct DisplayRoundingTests {
    /// Three thirds of a dollar print as $0.33 each; their total, $1.00, is printed as itself, and
    /// the cent the rows miss is the Rounding row.
    @Test func aTableBuiltToNeedOneHasARoundingRow() {
        let third = Money(nanos: 333_333_333)
        let r = DisplayRounding.usd([third, third, third], total: Money(nanos: 999_999_999), in: .usd)
        #expect(r.rows == ["$0.33", "$0.33", "$0.33"])
        #expect(r.total == "$1.00")
        #expect(r.rounding == "$0.01")
        let row = DisplayRounding.roundingRow(["cost": r, "other": DisplayRounding.usd([Money(dollars: 1)], total: Money(dollars: 1), in: .usd)])
        #expect(row == [["cost": "$0.01", "other": ""]])
        // Rows that add up have no Rounding row.
        let whole = DisplayRounding.usd([Money(dollars: 3), Money(nanos: 1_250_000_000)], total: Money(nanos: 4_250_000_000), in: .usd)
        #expect(whole.rounding == nil && whole.total == "$4.25")
        #expect(DisplayRounding.roundingRow(["cost": whole]).isEmpty)
    }

    @Test func sharesAreRoundedOnceAndTheirRoundingIsShown() {
        let s = DisplayRounding.percents([Quotient(numerator: 1, denominator: 3), Quotient(numerator: 1, denominator: 3),
                                          Quotient(numerator: 1, denominator: 3), Quotient(0)])
        #expect(s.rows == ["33.3%", "33.3%", "33.3%", "0.0%"])
        #expect(s.total == "100.0%" && s.rounding == "0.1%")
        let tiny = DisplayRounding.percents([Quotient(numerator: 9_999, denominator: 10_000), Quotient(numerator: 1, denominator: 10_000)])
        #expect(tiny.rows == ["100.0%", "<0.1%"] && tiny.rounding == nil)
    }

    /// Cents for $0.10 and more, three significant figures below, never $0.0000 for a non-zero
    /// amount; half to even at that precision.
    @Test func everyAmountHasOnePrecision() {
        func usd(_ nanos: Int64) -> String { AmountFormat.usd.amount(Money(nanos: nanos)) }
        #expect(usd(4_055_978_700_000) == "$4,055.98")
        #expect(usd(14_085_300_000) == "$14.09")
        #expect(usd(811_200_000) == "$0.81")
        #expect(usd(100_000_000) == "$0.10")
        #expect(usd(58_912_000) == "$0.0589")
        #expect(usd(5_981_000) == "$0.00598")
        #expect(usd(1_753) == "$0.00000175")
        #expect(usd(1) == "$0.000000001")
        #expect(usd(0) == "$0.00")
        #expect(usd(-58_912_000) == "-$0.0589")
        #expect(usd(10_000_000) == "$0.01")        // a cent, not $0.0100
        #expect(usd(50_000_000) == "$0.05")
        #expect(usd(99_960_000) == "$0.10")        // rounds up to a dime: cents
        #expect(usd(9_996_000) == "$0.01")         // rounds up to a cent
        #expect(usd(12_250_000) == "$0.0122")      // 0.01225: half to even at 3 significant figures
        #expect(usd(12_350_000) == "$0.0124")
        #expect(AmountFormat.usd.unit(nil) == "—")
    }

    @Test func aPerTicketColumnRoundsEachRowAtItsOwnPrecision() {
        let r = DisplayRounding.perTicket([Quotient(numerator: 1, denominator: 3), Quotient(2), Quotient(numerator: 1, denominator: 300)],
                                          total: Quotient(numerator: 701, denominator: 300), in: .usd)
        #expect(r.rows == ["$0.33", "$2.00", "$0.00333"])
        #expect(r.total == "$2.34" && r.rounding == "$0.01")
        let open = DisplayRounding.perTicket([Quotient(3), nil], total: nil, in: .usd)
        #expect(open.rows == ["$3.00", "—"] && open.total == "—" && open.rounding == nil)
    }

    /// A property: for random amounts, every row prints as the amount alone prints, and the
    /// printed rows plus the Rounding row are the printed total, to the cent.
    @Test func printedRowsPlusRoundingAreThePrintedTotal() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let n = Int.random(in: 1...12, using: &rng)
            let values = (0..<n).map { _ in Money(nanos: Int64.random(in: -1_000_000_000...5_000_000_000_000, using: &rng)) }
            let total = Money(nanos: values.reduce(0) { $0 + $1.nanos })
            let r = DisplayRounding.usd(values, total: total, in: .usd)
            #expect(r.rows == values.map { AmountFormat.usd.amount($0) })
            func cents(_ s: String) -> Int128 {
                let negative = s.hasPrefix("-")
                let digits = s.filter { $0.isNumber || $0 == "." }
                let parts = digits.split(separator: ".")
                var v = Int128(parts[0])! * 100
                if parts.count > 1 { v += Int128(String(parts[1].prefix(2)).padding(toLength: 2, withPad: "0", startingAt: 0))! }
                return negative ? -v : v
            }
            // Rows under a dime print more digits; sum the printed values exactly, then to cents.
            let printed = values.reduce(Quotient(0)) { $0.plus(Show.printed($1.dollars)) }
            let sumCents = Fixed.mulDivHalfEven(printed.numerator, 100, printed.denominator)!
            let precisionOfTotal = Show.precision(of: total.dollars)
            if precisionOfTotal == 2 {
                #expect(sumCents + (r.rounding.map(cents) ?? 0) == cents(r.total))
                #expect((r.rounding.map(cents) ?? 0).magnitude <= UInt128(n))
            }
        }
    }

    /// An allocation in integers (an invoice gap shared by tickets) gives the largest remainder
    /// method's parts exactly, adds up to its total, negative totals included.
    @Test func anIntegerAllocationIsTheLargestRemainderMethod() {
        #expect(Fixed.allocate(10, byWeights: [1, 1, 1]) == [4, 3, 3])
        #expect(Fixed.allocate(-10, byWeights: [1, 0, 1, 1]) == [-3, 0, -3, -4])
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let n = Int.random(in: 1...15, using: &rng)
            var weights = (0..<n).map { _ in Int64.random(in: 0...2_000_000_000_000, using: &rng) }
            if Bool.random(using: &rng) { weights[Int.random(in: 0..<n, using: &rng)] = 0 }
            if weights.allSatisfy({ $0 == 0 }) { weights[0] = 1 }
            let total = Int64.random(in: -5_000_000_000...5_000_000_000, using: &rng)
            let sum = weights.reduce(Int128(0)) { $0 + Int128($1) }
            let parts = Fixed.allocate(total, byWeights: weights)
            #expect(parts.reduce(0, +) == total)
            let reference = DisplayRounding.largestRemainder(weights.map { Quotient(numerator: Int128(total) * Int128($0), denominator: sum) },
                                                             step: Quotient(1), total: Quotient(numerator: Int128(total), denominator: 1))
            #expect(parts.map { Int128($0) } == reference.rows, "\(weights) \(total)")
        }
    }
}
