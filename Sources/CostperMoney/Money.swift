// Exact money: integer nano-dollars, checked for overflow. Never a binary floating point sum.

/// An amount of money in nano-dollars (1e-9 USD), the internal precision of costper.
///
/// Sums are exact integer additions checked for overflow (the ceiling is about $9.2 billion,
/// far above any month). Rounding happens once, when a figure is displayed, half to even.
package struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    package static let scale: Int64 = 1_000_000_000
    package static let fractionDigits = 9
    package static let zero = Money(nanos: 0)

    package var nanos: Int64

    @inlinable package init(nanos: Int64) { self.nanos = nanos }

    /// Whole dollars (for tests and configuration).
    package init(dollars: Int64) { self.nanos = dollars * Money.scale }

    package static func < (a: Money, b: Money) -> Bool { a.nanos < b.nanos }

    /// Exact sum; throws on overflow instead of wrapping.
    @inlinable package func adding(_ other: Money) throws(MoneyOverflow) -> Money {
        let (sum, overflow) = nanos.addingReportingOverflow(other.nanos)
        if overflow { throw MoneyOverflow() }
        return Money(nanos: sum)
    }

    package func subtracting(_ other: Money) throws(MoneyOverflow) -> Money {
        let (d, overflow) = nanos.subtractingReportingOverflow(other.nanos)
        if overflow { throw MoneyOverflow() }
        return Money(nanos: d)
    }

    /// `self × count`, exact.
    package func multiplied(by count: Int64) throws(MoneyOverflow) -> Money {
        let (p, overflow) = nanos.multipliedReportingOverflow(by: count)
        if overflow { throw MoneyOverflow() }
        return Money(nanos: p)
    }

    /// `self × numerator / denominator`, rounded half to even to the nano-dollar.
    package func scaled(by numerator: Int64, over denominator: Int64) throws(MoneyOverflow) -> Money {
        precondition(denominator > 0)
        let q = Fixed.divideHalfEven(Int128(nanos) * Int128(numerator), Int128(denominator))
        guard let v = Int64(exactly: q) else { throw MoneyOverflow() }
        return Money(nanos: v)
    }

    /// The amount with `digits` decimals, rounded half to even: "1234.567890".
    package func formatted(decimals digits: Int = 6) -> String {
        Fixed.format(Int128(nanos), scaleDigits: Money.fractionDigits, decimals: digits)
    }

    /// The amount per unit (e.g. per ticket), rounded once, half to even, to `digits` decimals.
    /// Returns nil when `count` is zero: a cost per nothing is not a number.
    package func per(_ count: Int, decimals digits: Int = 6) -> String? {
        guard count > 0 else { return nil }
        return Fixed.formatRatio(Int128(nanos), Int128(count) * Int128(Money.scale), decimals: digits)
    }

    /// Exact rational value `nanos / (count × 1e9)` as a `Quotient`, for comparisons and ratios.
    package func quotient(per count: Int) -> Quotient? {
        guard count > 0 else { return nil }
        return Quotient(numerator: Int128(nanos), denominator: Int128(count) * Int128(Money.scale))
    }

    package var dollars: Quotient { Quotient(numerator: Int128(nanos), denominator: Int128(Money.scale)) }

    package var description: String { "$" + formatted(decimals: 6) }

    package static func sum<S: Sequence>(_ values: S) throws(MoneyOverflow) -> Money where S.Element == Money {
        var total = Money.zero
        for v in values { total = try total.adding(v) }
        return total
    }
}

package struct MoneyOverflow: Error, Equatable, CustomStringConvertible {
    package init() {}
    package var description: String { "the amount overflows costper's money range (about $9.2 billion)" }
}

/// An exact rational number; used for per-unit figures and ratios so they round only at display.
package struct Quotient: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var numerator: Int128
    package var denominator: Int128

    package init(numerator: Int128, denominator: Int128) {
        precondition(denominator != 0, "a quotient's denominator is never zero")
        if denominator < 0 {
            self.numerator = -numerator
            self.denominator = -denominator
        } else {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    package init(_ integer: Int) { self.init(numerator: Int128(integer), denominator: 1) }

    package static func < (a: Quotient, b: Quotient) -> Bool {
        Fixed.compareProducts(a.numerator, b.denominator, b.numerator, a.denominator) < 0
    }

    package static func == (a: Quotient, b: Quotient) -> Bool {
        Fixed.compareProducts(a.numerator, b.denominator, b.numerator, a.denominator) == 0
    }

    package func hash(into hasher: inout Hasher) {
        let g = Fixed.gcd(numerator < 0 ? -numerator : numerator, denominator)
        hasher.combine(numerator / max(g, 1))
        hasher.combine(denominator / max(g, 1))
    }

    /// Rounded half to even to `digits` decimals.
    package func formatted(decimals digits: Int = 6) -> String {
        Fixed.formatRatio(numerator, denominator, decimals: digits)
    }

    /// `self / other`; nil when other is zero.
    package func divided(by other: Quotient) -> Quotient? {
        guard other.numerator != 0 else { return nil }
        return times(Quotient(numerator: other.denominator, denominator: other.numerator))
    }

    /// The product, exact when it fits in 128 bits (factors are reduced across first); else
    /// rounded to 18 decimals (far below a nano-dollar), and saturated at `Quotient.limit` when
    /// even its whole part does not fit (`isSaturated`: callers that show it say it is out of range).
    package func times(_ other: Quotient) -> Quotient {
        if let q = Quotient.exactProduct(self, other) { return q }
        let a = coarsened, b = other.coarsened
        if let q = Quotient.exactProduct(a, b) { return q }
        // Both have a denominator of at most 10^18: the product's whole part, rounded.
        guard let whole = Fixed.mulDivHalfEven(a.numerator, b.numerator, a.denominator * b.denominator) else {
            return (a.numerator < 0) != (b.numerator < 0) ? Quotient(numerator: -Quotient.limit, denominator: 1) : Quotient(numerator: Quotient.limit, denominator: 1)
        }
        return Quotient(numerator: Swift.max(-Quotient.limit, Swift.min(Quotient.limit, whole)), denominator: 1)
    }

    package func plus(_ other: Quotient) -> Quotient {
        let g = Fixed.gcd(denominator, other.denominator)
        let da = denominator / g, db = other.denominator / g
        let (x, o1) = numerator.multipliedReportingOverflow(by: db)
        let (y, o2) = other.numerator.multipliedReportingOverflow(by: da)
        let (n, o3) = x.addingReportingOverflow(y)
        let (d, o4) = denominator.multipliedReportingOverflow(by: db)
        if !(o1 || o2 || o3 || o4) { return Quotient(numerator: n, denominator: d).reduced }
        let a = coarsened, b = other.coarsened
        if a.denominator != denominator || b.denominator != other.denominator { return a.plus(b) }
        // Too large for 18 decimals: whole numbers, saturated at the limit.
        let (w, o) = Fixed.divideHalfEven(a.numerator, a.denominator).addingReportingOverflow(Fixed.divideHalfEven(b.numerator, b.denominator))
        let positive = o ? a.numerator > 0 : w > 0
        let clamped = o ? (positive ? Quotient.limit : -Quotient.limit) : Swift.max(-Quotient.limit, Swift.min(Quotient.limit, w))
        return Quotient(numerator: clamped, denominator: 1)
    }

    package func minus(_ other: Quotient) -> Quotient {
        plus(Quotient(numerator: -other.numerator, denominator: other.denominator))
    }

    package var reduced: Quotient {
        let g = Fixed.gcd(numerator < 0 ? -numerator : numerator, denominator)
        guard g > 1 else { return self }
        return Quotient(numerator: numerator / g, denominator: denominator / g)
    }

    /// Rounded half to even to nano-dollars, when this quotient is an amount in dollars; nil when
    /// it is outside Money's range.
    package var asMoney: Money? {
        Fixed.mulDivHalfEven(numerator, Int128(Money.scale), denominator).flatMap { Int64(exactly: $0) }.map(Money.init(nanos:))
    }

    /// Magnitudes are kept under this (about 1.7e37): beyond it a result is saturated.
    package static let limit: Int128 = Int128.max / 10
    /// True when a result was too large to represent (see `times`): never a real amount.
    package var isSaturated: Bool { denominator == 1 && (numerator >= Quotient.limit || numerator <= -Quotient.limit) }

    package static func exactProduct(_ a: Quotient, _ b: Quotient) -> Quotient? {
        let g1 = Fixed.gcd(a.numerator < 0 ? -a.numerator : a.numerator, b.denominator)
        let g2 = Fixed.gcd(b.numerator < 0 ? -b.numerator : b.numerator, a.denominator)
        let g1n = Swift.max(g1, 1), g2n = Swift.max(g2, 1)
        let (n, o1) = (a.numerator / g1n).multipliedReportingOverflow(by: b.numerator / g2n)
        let (d, o2) = (a.denominator / g2n).multipliedReportingOverflow(by: b.denominator / g1n)
        if o1 || o2 || n >= limit || n <= -limit { return nil }
        return Quotient(numerator: n, denominator: d).reduced
    }

    /// The same value with a denominator of at most 10^18 (rounded half to even), or a whole
    /// number when it is too large for 18 decimals; `self` when it already is.
    package var coarsened: Quotient {
        let scale = Fixed.pow10(18)
        if denominator <= scale { return self }
        if let n = Fixed.mulDivHalfEven(numerator, scale, denominator), n < Quotient.limit, n > -Quotient.limit {
            return Quotient(numerator: n, denominator: scale).reduced
        }
        return Quotient(numerator: Fixed.divideHalfEven(numerator, denominator), denominator: 1)
    }

    package var description: String { formatted(decimals: 6) }
}

/// Integer fixed-point helpers shared by Money and Quotient.
package enum Fixed {
    /// `a / b` rounded half to even (b > 0).
    package static func divideHalfEven(_ a: Int128, _ b: Int128) -> Int128 {
        precondition(b > 0)
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }   // floor division: 0 <= r < b
        let rest = b - r                // r > b/2 ⇔ r > rest (no doubling: b may be near Int128.max)
        if r > rest || (r == rest && q & 1 == 1) { q += 1 }
        return q
    }

    /// `a × b / d` rounded half to even, with a 256-bit intermediate product; nil when the result
    /// does not fit in Int128 (d != 0).
    package static func mulDivHalfEven(_ a: Int128, _ b: Int128, _ d: Int128) -> Int128? {
        precondition(d != 0)
        let negative = (a < 0) != (b < 0) && a != 0 && b != 0
        let resultNegative = negative != (d < 0)
        let ma = a.magnitude, mb = b.magnitude, md = d.magnitude
        let p = ma.multipliedFullWidth(by: mb)
        guard p.high < md else { return nil }
        let (q, r) = md.dividingFullWidth(p)
        var m = q
        // Half to even on the magnitude (symmetric, so the same as rounding the signed value).
        let half = md - r   // r > md / 2 ⇔ r > half; r == md/2 ⇔ r == half
        if r > half || (r == half && q & 1 == 1) {
            let (m1, o) = m.addingReportingOverflow(1)
            if o { return nil }
            m = m1
        }
        guard m <= UInt128(Int128.max) else { return nil }
        return resultNegative ? -Int128(m) : Int128(m)
    }

    /// The sign of `a × b − c × d`, with 256-bit products (never traps).
    package static func compareProducts(_ a: Int128, _ b: Int128, _ c: Int128, _ d: Int128) -> Int {
        func wide(_ x: Int128, _ y: Int128) -> (negative: Bool, high: UInt128, low: UInt128) {
            let p = x.magnitude.multipliedFullWidth(by: y.magnitude)
            let zero = p.high == 0 && p.low == 0
            return ((x < 0) != (y < 0) && !zero, p.high, p.low)
        }
        let l = wide(a, b), r = wide(c, d)
        if l.negative != r.negative { return l.negative ? -1 : 1 }
        let magnitudeOrder = l.high != r.high ? (l.high < r.high ? -1 : 1) : (l.low == r.low ? 0 : (l.low < r.low ? -1 : 1))
        return l.negative ? -magnitudeOrder : magnitudeOrder
    }

    /// `total` split in proportion to `weights` (each at least 0, not all 0), exactly: each part is
    /// its share rounded down, and the units still missing go one each to the largest remainders,
    /// ties to the earlier index (the largest remainder method, in integers: an invoice gap shared
    /// by a month's tickets sorts only the tickets with a remainder, never a fraction per ticket).
    package static func allocate(_ total: Int64, byWeights weights: [Int64]) -> [Int64] {
        let sum = weights.reduce(Int128(0)) { $0 + Int128($1) }
        precondition(sum > 0, "allocate needs a positive weight")
        var parts = [Int64](repeating: 0, count: weights.count)
        var remainders: [(remainder: Int128, index: Int)] = []
        var given: Int128 = 0
        for (i, w) in weights.enumerated() where w > 0 {
            let p = Int128(total) * Int128(w)
            var q = p / sum, r = p % sum
            if r < 0 { q -= 1; r += sum }   // floor division: 0 <= r < sum
            parts[i] = Int64(q)
            given += q
            if r > 0 { remainders.append((r, i)) }
        }
        remainders.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        // What is missing is the remainders' sum ÷ sum: fewer units than remainders.
        for k in 0..<Int(Int128(total) - given) { parts[remainders[k].index] += 1 }
        return parts
    }

    package static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var x = a, y = b
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    package static func pow10(_ n: Int) -> Int128 {
        var p: Int128 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    /// `value / 10^scaleDigits` written with `decimals` decimals, rounded half to even.
    package static func format(_ value: Int128, scaleDigits: Int, decimals: Int) -> String {
        formatRatio(value, pow10(scaleDigits), decimals: decimals)
    }

    /// `numerator / denominator` written with `decimals` decimals, rounded half to even, "-" for
    /// negatives, no thousands separator, "." as decimal point, whatever the locale.
    package static func formatRatio(_ numerator: Int128, _ denominator: Int128, decimals: Int) -> String {
        precondition(denominator != 0)
        var n = numerator, d = denominator
        if d < 0 { n = -n; d = -d }
        // Through a 256-bit product; a value too large for that is written from its whole part
        // and its fraction separately.
        let p = pow10(decimals)
        let scaled: Int128
        if let v = mulDivHalfEven(n, p, d) { scaled = v } else {
            var whole = (n / d).magnitude
            var frac = (mulDivHalfEven(n % d, p, d) ?? 0).magnitude
            if frac == p.magnitude { whole += 1; frac = 0 }
            var out = n < 0 ? "-" : ""
            out += String(whole)
            if decimals > 0 { let f = String(frac); out += "." + String(repeating: "0", count: decimals - f.count) + f }
            return out
        }
        let negative = scaled < 0
        let magnitude = negative ? -scaled : scaled
        let whole = magnitude / p
        var out = negative ? "-" : ""
        out += String(whole)
        if decimals > 0 {
            let frac = String(magnitude % p)
            out += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return out
    }
}
