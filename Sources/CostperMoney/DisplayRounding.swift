// Rounding a table for display so that its rows add up to the total printed under it: each value
// is rounded down to the column's step, and the steps still missing to the rounded total (half
// to even) go to the rows with the largest remainders, ties to the earlier row (the largest
// remainder method). Rounding happens once, here, at display.

package enum DisplayRounding {
    /// `values` rounded to multiples of `step` (as whole numbers of steps) so that they add up to
    /// `total` rounded half to even to a step. `total` is normally the exact sum of `values`.
    package static func largestRemainder(_ values: [Quotient], step: Quotient, total: Quotient) -> (rows: [Int128], total: Int128) {
        guard step > Quotient(0) else { return (values.map { _ in 0 }, 0) }
        var floors: [Int128] = []
        var remainders: [Quotient] = []
        for v in values {
            let units = v.divided(by: step) ?? Quotient(0)
            let f = floorDiv(units.numerator, units.denominator)
            floors.append(f)
            remainders.append(units.minus(Quotient(numerator: f, denominator: 1)))
        }
        let t = total.divided(by: step) ?? Quotient(0)
        let target = Fixed.divideHalfEven(t.numerator, t.denominator)
        var missing = target - floors.reduce(0, +)
        let order = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        var rows = floors
        var i = 0
        while missing > 0 && !order.isEmpty {
            rows[order[i % order.count]] += 1
            missing -= 1
            i += 1
        }
        // A total below the sum of the floors (only when `total` is not the rows' sum): take the
        // steps back from the smallest remainders.
        var j = order.count - 1
        while missing < 0 && !order.isEmpty {
            rows[order[j]] -= 1
            missing += 1
            j = j == 0 ? order.count - 1 : j - 1
        }
        return (rows, target)
    }

    /// Money amounts in cents that add up to the total shown: ("$12.35" each, "$4,055.73").
    package static func usd(_ amounts: [Money], total: Money, decimals: Int = 2) -> (rows: [String], total: String) {
        let step = Quotient(numerator: 1, denominator: pow10(decimals))
        let r = largestRemainder(amounts.map(\.dollars), step: step, total: total.dollars)
        func text(_ units: Int128) -> String { Show.usd(Quotient(numerator: units, denominator: pow10(decimals)), decimals: decimals) }
        return (r.rows.map(text), text(r.total))
    }

    /// Shares that add up to 100.0% (one decimal); a share above zero that rounds to nothing shows
    /// "<0.1%".
    package static func percents(_ shares: [Quotient?], decimals: Int = 1) -> [String] {
        let known = shares.compactMap { $0 }
        guard !known.isEmpty else { return shares.map { _ in "—" } }
        let total = known.reduce(Quotient(0)) { $0.plus($1) }
        let step = Quotient(numerator: 1, denominator: 100 * pow10(decimals))
        let r = largestRemainder(known, step: step, total: total)
        var out: [String] = []
        var k = 0
        for s in shares {
            guard let s else { out.append("—"); continue }
            let units = r.rows[k]
            k += 1
            if units == 0 && s > Quotient(0) {
                out.append("<" + Fixed.formatRatio(1, pow10(decimals), decimals: decimals) + "%")
            } else {
                out.append(Fixed.formatRatio(units, pow10(decimals), decimals: decimals) + "%")
            }
        }
        return out
    }

    /// Per-ticket amounts of one column at one precision: four decimals in every row when any
    /// row is under a dollar, else cents; the total at the same precision.
    package static func perTicket(_ amounts: [Quotient?], total: Quotient?) -> (rows: [String], total: String) {
        let small = amounts.contains { q in q.map { $0 > Quotient(0) && $0 < Quotient(1) } ?? false }
        let decimals = small ? 4 : 2
        let known = amounts.compactMap { $0 }
        guard let total else { return (amounts.map { $0.map { Show.usd($0, decimals: decimals) } ?? "—" }, "—") }
        let r = largestRemainder(known, step: Quotient(numerator: 1, denominator: pow10(decimals)), total: total)
        var out: [String] = []
        var k = 0
        for a in amounts {
            guard a != nil else { out.append("—"); continue }
            out.append(Show.usd(Quotient(numerator: r.rows[k], denominator: pow10(decimals)), decimals: decimals))
            k += 1
        }
        return (out, Show.usd(Quotient(numerator: r.total, denominator: pow10(decimals)), decimals: decimals))
    }

    package static func pow10(_ n: Int) -> Int128 {
        var p: Int128 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    package static func floorDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }
}
