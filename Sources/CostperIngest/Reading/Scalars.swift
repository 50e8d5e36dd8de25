// Strict readers for the scalar values of the input files, working on raw UTF-8 bytes.
// Hand-written on purpose: Foundation's Decimal(string:) and Double parsing accept prefixes
// ("12abc" -> 12) and hex/NaN/Infinity, which must be rejected here, and they allocate per call.
import CostperMoney
import CostperVocabulary



/// Why a value could not be read; the text becomes the `reason` of a rejected row.
package enum ScalarError: Error, Equatable, Sendable {
    case empty
    case notANumber
    case notAnInteger
    case negative
    case outOfRange
    case badTimestamp
    case yearOutOfRange

    package func reason(for raw: String) -> String {
        let shown = Scalars.quoteForMessage(raw)
        switch self {
        case .empty: return "is empty"
        case .notANumber: return "\(shown) is not a number"
        case .notAnInteger: return "\(shown) is not a whole number"
        case .negative: return "\(shown) is negative"
        case .outOfRange: return "\(shown) is out of range"
        case .badTimestamp: return "\(shown) is not an ISO-8601 timestamp (e.g. 2026-10-03T14:22:05Z)"
        case .yearOutOfRange: return "\(shown) is outside the years costper reports (\(Month.years.lowerBound)-\(Month.years.upperBound))"
        }
    }
}

/// The strict readers of scalar values (the text helpers and the calendar are CostperVocabulary's).
package extension Scalars {
    @inline(__always) package static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// A non-negative whole number ("0", "1500"); no sign, no spaces, no fraction, no exponent.
    @inline(__always) package static func parseCount(_ f: Bytes) -> Result<Int64, ScalarError> {
        if f.isEmpty { return .failure(.empty) }
        var v: Int64 = 0
        var i = 0
        if f[0] == UInt8(ascii: "-") {
            if f.count > 1 && f[1...].allSatisfy({ $0 &- 0x30 < 10 }) { return .failure(.negative) }
            return .failure(.notAnInteger)
        }
        if f[0] == UInt8(ascii: "+") { i = 1; if f.count == 1 { return .failure(.notAnInteger) } }
        while i < f.count {
            let d = f[i] &- 0x30
            if d >= 10 { return .failure(.notAnInteger) }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return .failure(.outOfRange) }
            v = a
            i += 1
        }
        return .success(v)
    }

    /// A decimal number to fixed point with `scale` fraction digits (9 for money), rounded half to
    /// even beyond that. Accepts `12`, `0.00725`, `.5`, `7.25e-03`, `1.2E-05`, a leading `+` or `-`.
    /// Rejects everything else: `12abc`, `1,5`, `0x10`, `NaN`, `Infinity`, `1e400`, spaces.
    /// `rounded` tells whether digits beyond the scale were dropped.
    package static func parseDecimal(_ f: Bytes, scale: Int = 9) -> Result<(value: Int64, rounded: Bool), ScalarError> {
        if let v = plainDecimal(f, scale: scale) { return .success((v, false)) }
        return generalDecimal(f, scale: scale)
    }

    /// `parseDecimal` for every form (signs, exponents, more digits than 64 bits hold), in 128-bit arithmetic.
    package static func generalDecimal(_ f: Bytes, scale: Int = 9) -> Result<(value: Int64, rounded: Bool), ScalarError> {
        let n = f.count
        if n == 0 { return .failure(.empty) }
        var i = 0
        var negative = false
        if f[0] == UInt8(ascii: "-") || f[0] == UInt8(ascii: "+") { negative = f[0] == UInt8(ascii: "-"); i = 1 }
        // Mantissa digits, without the point, with the position of the point.
        var mantissa: Int128 = 0
        var digitsAfterPoint = 0
        var sawDigit = false
        var sawPoint = false
        var significant = 0        // digits accumulated into the mantissa
        var droppedNonZero = false  // digits beyond 36 significant that were not zero
        var extraIntegerDigits = 0  // integer digits beyond 36 significant (scale the value up)
        while i < n {
            let b = f[i]
            if b == UInt8(ascii: ".") {
                if sawPoint { return .failure(.notANumber) }
                sawPoint = true
            } else if isDigit(b) {
                sawDigit = true
                if significant < 36 {
                    if mantissa != 0 || b != UInt8(ascii: "0") { significant += 1 }
                    mantissa = mantissa * 10 + Int128(b &- 0x30)
                    if sawPoint { digitsAfterPoint += 1 }
                } else {
                    if b != UInt8(ascii: "0") { droppedNonZero = true }
                    if !sawPoint { extraIntegerDigits += 1 }
                }
            } else {
                break
            }
            i += 1
        }
        if !sawDigit { return .failure(.notANumber) }
        var exponent = 0
        if i < n {
            guard f[i] == UInt8(ascii: "e") || f[i] == UInt8(ascii: "E") else { return .failure(.notANumber) }
            i += 1
            var expNegative = false
            if i < n && (f[i] == UInt8(ascii: "-") || f[i] == UInt8(ascii: "+")) { expNegative = f[i] == UInt8(ascii: "-"); i += 1 }
            if i >= n { return .failure(.notANumber) }
            while i < n {
                let d = f[i] &- 0x30
                if d >= 10 { return .failure(.notANumber) }
                if exponent < 100_000 { exponent = exponent * 10 + Int(d) }
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        // value = mantissa × 10^(exponent + extraIntegerDigits - digitsAfterPoint); wanted: × 10^scale
        var shift = exponent + extraIntegerDigits - digitsAfterPoint + scale
        if droppedNonZero {
            // A sticky digit stands for the non-zero digits dropped beyond 36 significant ones, so
            // that half to even sees them: 0.5 followed by 35 zeros and a 1 is above one half.
            mantissa = mantissa * 10 + 1
            shift -= 1
        }
        var value: Int128
        var rounded = droppedNonZero
        if mantissa == 0 {
            value = 0
        } else if shift >= 0 {
            if shift > 30 { return .failure(.outOfRange) }
            let (p, o) = mantissa.multipliedReportingOverflow(by: Fixed.pow10(shift))
            if o { return .failure(.outOfRange) }
            value = p
        } else {
            if -shift > 38 {
                value = 0
                rounded = true
            } else {
                let d = Fixed.pow10(-shift)
                if mantissa % d != 0 { rounded = true }
                value = Fixed.divideHalfEven(mantissa, d)
            }
        }
        if negative { value = -value }
        guard let v = Int64(exactly: value) else { return .failure(.outOfRange) }
        if negative && v != 0 { return .failure(.negative) }
        return .success((v, rounded))
    }

    /// The common case of `parseDecimal` in 64-bit arithmetic: digits with at most one point, at
    /// most 18 digits and at most `scale` of them after the point ("0.00007415"); nil for anything
    /// else (a sign, an exponent, more digits, a bad byte), which the general path then reads.
    /// The general path's 128-bit arithmetic per digit was 5% of a time-ordered month's profile.
    @inline(__always) package static func plainDecimal(_ f: Bytes, scale: Int) -> Int64? {
        let n = f.count
        guard n <= 19, scale <= 18 else { return nil }
        var v: Int64 = 0
        var digits = 0
        var point = -1
        for i in 0..<n {
            let d = f[i] &- 0x30
            if d < 10 {
                v = v &* 10 &+ Int64(d)
                digits += 1
            } else if f[i] == UInt8(ascii: ".") && point < 0 {
                point = i
            } else {
                return nil
            }
        }
        let after = point < 0 ? 0 : n - point - 1
        guard digits > 0, digits <= 18, after <= scale else { return nil }
        let (r, o) = v.multipliedReportingOverflow(by: pow10Int64[scale - after])
        return o ? nil : r
    }

    package static let pow10Int64: [Int64] = (0...18).map { k in (0..<k).reduce(Int64(1)) { a, _ in a * 10 } }

    /// SOURCE_DATE_EPOCH (reproducible-builds.org): a whole number of seconds since 1970, nil when
    /// it is not one.
    package static func parseSourceDateEpoch(_ s: String) -> Int64? {
        guard !s.isEmpty, s.count <= 12, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(s)
    }

    /// An ISO-8601 timestamp: `2026-10-03T14:22:05Z`, with optional fraction, `Z` or `±HH:MM`
    /// offset (no zone is read as UTC), and a space accepted in place of `T`. Also a bare date.
    /// Returns seconds since the epoch, UTC.
    package static func parseTimestamp(_ f: Bytes) -> Result<Int64, ScalarError> {
        var days = DayCache()
        return parseTimestamp(f, days: &days)
    }

    /// The last date read and its first second, by the date's ten bytes: a time-ordered export
    /// repeats the date on every row of a day, and the calendar arithmetic was 3% of its profile.
    package struct DayCache {
        package var head: UInt64 = 0, tail: UInt16 = 0, seconds: Int64 = 0, valid = false
    }

    /// `parseTimestamp`, with a reader's cache of the last date.
    package static func parseTimestamp(_ f: Bytes, days cache: inout DayCache) -> Result<Int64, ScalarError> {
        let n = f.count
        if n == 0 { return .failure(.empty) }
        let seconds: Int64
        if n >= 10 {
            let head = f.word64(at: 0), tail = f.word16(at: 8)
            if cache.valid && cache.head == head && cache.tail == tail {
                seconds = cache.seconds
            } else {
                switch parseDate(f) {
                case .success(let s): seconds = s
                case .failure(let e): return .failure(e)
                }
                cache = DayCache(head: head, tail: tail, seconds: seconds, valid: true)
            }
        } else {
            return .failure(.badTimestamp)
        }
        return parseTime(f, day: seconds)
    }

    /// The number written by the `len` digits of `f` at `at`, or nil (past the end, or not digits).
    @inline(__always) package static func digits(_ f: Bytes, _ at: Int, _ len: Int) -> Int? {
        guard at + len <= f.count else { return nil }
        var v = 0
        for k in at..<(at + len) {
            let d = f[k] &- 0x30
            if d >= 10 { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    /// The first second (since 1970) of the date in the first ten bytes of `f` (n >= 10).
    package static func parseDate(_ f: Bytes) -> Result<Int64, ScalarError> {
        let n = f.count
        @inline(__always) func num(_ at: Int, _ len: Int) -> Int? { digits(f, at, len) }
        guard n >= 10, let y = num(0, 4), f[4] == UInt8(ascii: "-"), let mo = num(5, 2), f[7] == UInt8(ascii: "-"),
              let d = num(8, 2) else { return .failure(.badTimestamp) }
        guard (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y) else { return .failure(.badTimestamp) }
        guard Month.years.contains(y) else { return .failure(.yearOutOfRange) }
        return .success(Int64(daysFromCivil(y, mo, d)) * 86_400)
    }

    /// The rest of a timestamp after its date (whose first second is `day`).
    @inline(__always) package static func parseTime(_ f: Bytes, day: Int64) -> Result<Int64, ScalarError> {
        let n = f.count
        @inline(__always) func num(_ at: Int, _ len: Int) -> Int? { digits(f, at, len) }
        var seconds = day
        if n == 10 { return .success(seconds) }
        guard f[10] == UInt8(ascii: "T") || f[10] == UInt8(ascii: " ") || f[10] == UInt8(ascii: "t"),
              let hh = num(11, 2), n > 13, f[13] == UInt8(ascii: ":"), let mm = num(14, 2) else { return .failure(.badTimestamp) }
        var i = 16
        var ss = 0
        if i < n && f[i] == UInt8(ascii: ":") {
            guard let s = num(17, 2) else { return .failure(.badTimestamp) }
            ss = s
            i = 19
            if i < n && (f[i] == UInt8(ascii: ".") || f[i] == UInt8(ascii: ",")) {
                i += 1
                let start = i
                while i < n && isDigit(f[i]) { i += 1 }
                if i == start || i - start > 12 { return .failure(.badTimestamp) }
            }
        }
        guard hh <= 23, mm <= 59, ss <= 60 else { return .failure(.badTimestamp) }
        seconds += Int64(hh * 3600 + mm * 60 + min(ss, 59))
        if i == n { return .success(seconds) }
        if (f[i] == UInt8(ascii: "Z") || f[i] == UInt8(ascii: "z")) && i + 1 == n { return .success(seconds) }
        if f[i] == UInt8(ascii: "+") || f[i] == UInt8(ascii: "-") {
            let sign: Int64 = f[i] == UInt8(ascii: "+") ? 1 : -1
            guard let oh = num(i + 1, 2) else { return .failure(.badTimestamp) }
            var j = i + 3
            var om = 0
            if j < n && f[j] == UInt8(ascii: ":") { j += 1 }
            if j < n { guard let m = num(j, 2) else { return .failure(.badTimestamp) }; om = m; j += 2 }
            guard j == n, oh <= 23, om <= 59 else { return .failure(.badTimestamp) }
            return .success(seconds - sign * Int64(oh * 3600 + om * 60))
        }
        return .failure(.badTimestamp)
    }


    /// A decimal text as an exact fixed-point value with `scale` decimals (half to even beyond).
    package static func parseDecimal(_ s: String, scale: Int = 9) -> Result<(value: Int64, rounded: Bool), ScalarError> {
        Bytes.of(s) { parseDecimal($0, scale: scale) }
    }

    /// A whole number >= 0.
    package static func parseCount(_ s: String) -> Result<Int64, ScalarError> {
        Bytes.of(s) { parseCount($0) }
    }

    /// An ISO-8601 timestamp as seconds since 1970.
    package static func parseTimestamp(_ s: String) -> Result<Int64, ScalarError> {
        Bytes.of(s) { parseTimestamp($0) }
    }

    /// A date `YYYY-MM-DD` and nothing else, as its first second since 1970 (UTC); nil otherwise.
    package static func parseDay(_ s: String) -> Int64? {
        guard s.utf8.count == 10, case .success(let t) = Bytes.of(s, { parseDate($0) }) else { return nil }
        return t
    }
}
