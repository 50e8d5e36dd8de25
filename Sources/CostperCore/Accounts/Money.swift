// Exact money: integer nano-dollars, checked for overflow. Never a binary floating point sum.

/// An amount of money in nano-dollars (1e-9 USD), the internal precision of costper.
///
/// Sums are exact integer additions checked for overflow (the ceiling is about $9.2 billion,
/// far above any month). Rounding happens once, when a figure is displayed, half to even.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let scale: Int64 = 1_000_000_000
    public static let fractionDigits = 9
    public static let zero = Money(nanos: 0)

    public var nanos: Int64

    @inlinable public init(nanos: Int64) { self.nanos = nanos }

    /// Whole dollars (for tests and configuration).
    public init(dollars: Int64) { self.nanos = dollars * Money.scale }

    public static func < (a: Money, b: Money) -> Bool { a.nanos < b.nanos }

    /// Exact sum; throws on overflow instead of wrapping.
    @inlinable public func adding(_ other: Money) throws(MoneyOverflow) -> Money {
        let (sum, overflow) = nanos.addingReportingOverflow(other.nanos)
        if overflow { throw MoneyOverflow() }
        return Money(nanos: sum)
    }

    public func subtracting(_ other: Money) throws(MoneyOverflow) -> Money {
        let (d, overflow) = nanos.subtractingReportingOverflow(other.nanos)
        if overflow { throw MoneyOverflow() }
        return Money(nanos: d)
    }

    /// `self × count`, exact.
    public func multiplied(by count: Int64) throws(MoneyOverflow) -> Money {
        let (p, overflow) = nanos.multipliedReportingOverflow(by: count)
        if overflow { throw MoneyOverflow() }
        return Money(nanos: p)
    }

    /// `self × numerator / denominator`, rounded half to even to the nano-dollar.
    public func scaled(by numerator: Int64, over denominator: Int64) throws(MoneyOverflow) -> Money {
        precondition(denominator > 0)
        let q = Fixed.divideHalfEven(Int128(nanos) * Int128(numerator), Int128(denominator))
        guard let v = Int64(exactly: q) else { throw MoneyOverflow() }
        return Money(nanos: v)
    }

    /// The amount with `digits` decimals, rounded half to even: "1234.567890".
    public func formatted(decimals digits: Int = 6) -> String {
        Fixed.format(Int128(nanos), scaleDigits: Money.fractionDigits, decimals: digits)
    }

    /// The amount per unit (e.g. per ticket), rounded once, half to even, to `digits` decimals.
    /// Returns nil when `count` is zero: a cost per nothing is not a number.
    public func per(_ count: Int, decimals digits: Int = 6) -> String? {
        guard count > 0 else { return nil }
        return Fixed.formatRatio(Int128(nanos), Int128(count) * Int128(Money.scale), decimals: digits)
    }

    /// Exact rational value `nanos / (count × 1e9)` as a `Quotient`, for comparisons and ratios.
    public func quotient(per count: Int) -> Quotient? {
        guard count > 0 else { return nil }
        return Quotient(numerator: Int128(nanos), denominator: Int128(count) * Int128(Money.scale))
    }

    public var dollars: Quotient { Quotient(numerator: Int128(nanos), denominator: Int128(Money.scale)) }

    public var description: String { "$" + formatted(decimals: 6) }

    public static func sum<S: Sequence>(_ values: S) throws(MoneyOverflow) -> Money where S.Element == Money {
        var total = Money.zero
        for v in values { total = try total.adding(v) }
        return total
    }
}

public struct MoneyOverflow: Error, Equatable, CustomStringConvertible {
    public init() {}
    public var description: String { "the amount overflows costper's money range (about $9.2 billion)" }
}

/// An exact rational number; used for per-unit figures and ratios so they round only at display.
public struct Quotient: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var numerator: Int128
    public var denominator: Int128

    public init(numerator: Int128, denominator: Int128) {
        precondition(denominator != 0, "a quotient's denominator is never zero")
        if denominator < 0 {
            self.numerator = -numerator
            self.denominator = -denominator
        } else {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    public init(_ integer: Int) { self.init(numerator: Int128(integer), denominator: 1) }

    public static func < (a: Quotient, b: Quotient) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    public static func == (a: Quotient, b: Quotient) -> Bool {
        a.numerator * b.denominator == b.numerator * a.denominator
    }

    public func hash(into hasher: inout Hasher) {
        let g = Fixed.gcd(numerator < 0 ? -numerator : numerator, denominator)
        hasher.combine(numerator / max(g, 1))
        hasher.combine(denominator / max(g, 1))
    }

    /// Rounded half to even to `digits` decimals.
    public func formatted(decimals digits: Int = 6) -> String {
        Fixed.formatRatio(numerator, denominator, decimals: digits)
    }

    /// `self / other`; nil when other is zero.
    public func divided(by other: Quotient) -> Quotient? {
        guard other.numerator != 0 else { return nil }
        return Quotient(numerator: numerator * other.denominator, denominator: denominator * other.numerator).reduced
    }

    public func times(_ other: Quotient) -> Quotient {
        Quotient(numerator: numerator * other.numerator, denominator: denominator * other.denominator).reduced
    }

    public func plus(_ other: Quotient) -> Quotient {
        Quotient(numerator: numerator * other.denominator + other.numerator * denominator,
                 denominator: denominator * other.denominator).reduced
    }

    public func minus(_ other: Quotient) -> Quotient {
        plus(Quotient(numerator: -other.numerator, denominator: other.denominator))
    }

    public var reduced: Quotient {
        let g = Fixed.gcd(numerator < 0 ? -numerator : numerator, denominator)
        guard g > 1 else { return self }
        return Quotient(numerator: numerator / g, denominator: denominator / g)
    }

    /// Rounded half to even to nano-dollars, when this quotient is an amount in dollars.
    public var asMoney: Money? {
        Int64(exactly: Fixed.divideHalfEven(numerator * Int128(Money.scale), denominator)).map(Money.init(nanos:))
    }


    public var description: String { formatted(decimals: 6) }
}

/// Integer fixed-point helpers shared by Money and Quotient.
public enum Fixed {
    /// `a / b` rounded half to even (b > 0).
    public static func divideHalfEven(_ a: Int128, _ b: Int128) -> Int128 {
        precondition(b > 0)
        var q = a / b
        var r = a % b
        if r < 0 { q -= 1; r += b }   // floor division: 0 <= r < b
        let twice = r * 2
        if twice > b || (twice == b && q & 1 == 1) { q += 1 }
        return q
    }

    public static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var x = a, y = b
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    static func pow10(_ n: Int) -> Int128 {
        var p: Int128 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    /// `value / 10^scaleDigits` written with `decimals` decimals, rounded half to even.
    public static func format(_ value: Int128, scaleDigits: Int, decimals: Int) -> String {
        formatRatio(value, pow10(scaleDigits), decimals: decimals)
    }

    /// `numerator / denominator` written with `decimals` decimals, rounded half to even, "-" for
    /// negatives, no thousands separator, "." as decimal point, whatever the locale.
    public static func formatRatio(_ numerator: Int128, _ denominator: Int128, decimals: Int) -> String {
        precondition(denominator != 0)
        var n = numerator, d = denominator
        if d < 0 { n = -n; d = -d }
        let scaled = divideHalfEven(n * pow10(decimals), d)
        let negative = scaled < 0
        let magnitude = negative ? -scaled : scaled
        let p = pow10(decimals)
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
