@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

@Suite struct DecimalParsingTests {
    @Test(arguments: [
        ("0.00725", Int64(7_250_000), false), ("12", 12_000_000_000, false), ("7.25e-03", 7_250_000, false),
        ("1.2e-05", 12_000, false), ("1.2E-05", 12_000, false), (".5", 500_000_000, false), ("0", 0, false),
        ("+3.5", 3_500_000_000, false), ("1e2", 100_000_000_000, false), ("0.0000000015", 2, true),
        ("0.0000000025", 2, true), ("0.0000000035", 4, true), ("1.5e-07", 150, false), ("-0", 0, false),
        ("0.1234567891", 123_456_789, true), ("00012.50", 12_500_000_000, false), ("5e-10", 0, true), ("1.", 1_000_000_000, false),
    ])
    func accepts(text: String, nanos: Int64, rounded: Bool) throws {
        let r = try parse(text).get()
        #expect(r.value == nanos)
        #expect(r.rounded == rounded)
    }

    @Test(arguments: [
        ("12abc", ScalarError.notANumber), ("1,5", .notANumber), ("0x10", .notANumber), ("NaN", .notANumber),
        ("Infinity", .notANumber), ("inf", .notANumber), ("", .empty), (" 1", .notANumber), ("1 ", .notANumber),
        ("1e400", .outOfRange), ("-0.5", .negative), ("1e", .notANumber), ("e5", .notANumber), (".", .notANumber),
        ("1.2.3", .notANumber), ("9999999999999", .outOfRange), ("--1", .notANumber), ("1e+", .notANumber),
    ])
    func rejects(text: String, error: ScalarError) {
        #expect(throws: error) { try parse(text).get() }
    }

    @Test func countsAreStrictWholeNumbers() throws {
        func count(_ s: String) -> Result<Int64, ScalarError> { Bytes.of(s) { Scalars.parseCount($0) } }
        #expect(try count("1500").get() == 1500)
        #expect(throws: ScalarError.notAnInteger) { try count("1.5").get() }
        #expect(throws: ScalarError.negative) { try count("-3").get() }
        #expect(throws: ScalarError.notAnInteger) { try count("12abc").get() }
        #expect(throws: ScalarError.outOfRange) { try count("99999999999999999999").get() }
        #expect(throws: ScalarError.empty) { try count("").get() }
    }

    @Test func reasonsQuoteTheValue() {
        #expect(ScalarError.notANumber.reason(for: "abc") == "\"abc\" is not a number")
        #expect(ScalarError.negative.reason(for: "-1") == "\"-1\" is negative")
    }
}

@Suite struct TimestampTests {
    func ts(_ s: String) -> Result<Int64, ScalarError> { Bytes.of(s) { Scalars.parseTimestamp($0) } }

    @Test func readsISO8601() throws {
        #expect(try ts("2026-10-03T14:22:05Z").get() == 1_791_037_325)
        #expect(try ts("2026-10-03T14:22:05.123456Z").get() == 1_791_037_325)
        #expect(try ts("2026-10-03T16:22:05+02:00").get() == 1_791_037_325)
        #expect(try ts("2026-10-03 14:22:05").get() == 1_791_037_325)
        #expect(try ts("1970-01-01").get() == 0)
        #expect(try ts("2024-02-29T00:00:00Z").get() == 1_709_164_800)
    }

    @Test(arguments: ["2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2025-02-29", "2026-10-03T25:00:00Z", "yesterday",
                      "2026-10-03T14:22:05Q", "2026/10/03", "2026-10-03T14", ""])
    func rejects(_ s: String) {
        #expect(throws: ScalarError.self) { try ts(s).get() }
    }

    @Test func monthsFromEpochSeconds() {
        #expect(Month(epochSeconds: 1_791_037_325).description == "2026-10")
        #expect(Month(epochSeconds: 0).description == "1970-01")
        #expect(Month("2026-10")!.endEpochSeconds == Month("2026-11")!.startEpochSeconds)
        #expect(Month("2026-1") == nil)
        #expect(Month("2026-00") == nil)
        #expect(Month("2024-02")!.days == 29)
    }
}

@Suite struct MoneyTests {
    @Test func roundsHalfToEvenOnceAtDisplay() {
        #expect(Money(nanos: 2_500_000).formatted(decimals: 2) == "0.00")   // 0.0025 -> 0.00
        #expect(Money(nanos: 15_000_000).formatted(decimals: 2) == "0.02")  // 0.015 -> 0.02
        #expect(Money(nanos: 25_000_000).formatted(decimals: 2) == "0.02")  // 0.025 -> 0.02
        #expect(Money(nanos: -25_000_000).formatted(decimals: 2) == "-0.02")
        #expect(Money(nanos: 1_234_567_890_123).formatted(decimals: 6) == "1234.567890")
        #expect(Money(dollars: 1).per(3) == "0.333333")
        #expect(Money(dollars: 2).per(3) == "0.666667")
        #expect(Money(dollars: 1).per(0) == nil)
    }

    @Test func overflowIsAnErrorNotAWrap() {
        #expect(throws: MoneyOverflow.self) { try Money(nanos: .max).adding(Money(nanos: 1)) }
        #expect(throws: MoneyOverflow.self) { try Money(nanos: .max / 2).multiplied(by: 3) }
    }

    @Test func aMillionDimesAreExactlyOneHundredThousandDollars() throws {
        let dime = try parse("0.1").get().value
        var total = Money.zero
        for _ in 0..<1_000_000 { total = try total.adding(Money(nanos: dime)) }
        #expect(total == Money(dollars: 100_000))
        #expect(total.formatted(decimals: 6) == "100000.000000")
    }

    @Test func quotientsCompareExactly() {
        let third = Quotient(numerator: 1, denominator: 3)
        #expect(third.times(Quotient(3)) == Quotient(1))
        #expect(third.formatted(decimals: 4) == "0.3333")
        #expect(Quotient(numerator: 2, denominator: 1).divided(by: Quotient(0)) == nil)
    }
}

@Suite struct ConfigNumberTests {
    @Test func tomlNumbersAreReadAsExactDecimals() throws {
        let c = try CostperConfig.parse("[baseline]\nloaded_annual_usd = 50000.123456789\n")
        #expect(c.baseline.loadedAnnual == Money(nanos: 50_000_123_456_789))
        // Quoted decimal text is exact whatever its length.
        let q = try CostperConfig.parse("[baseline]\nloaded_annual_usd = \"12345678.123456789\"\n")
        #expect(q.baseline.loadedAnnual == Money(nanos: 12_345_678_123_456_789))
        // A float with more digits than a double holds is refused with a sentence, not rounded.
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[baseline]\nloaded_annual_usd = 12345678.123456789\n") }
    }
}

/// The fast paths of the scalar readers give what the general ones give.
@Suite struct ScalarFastPathTests {
    /// Plain decimals (64-bit) against the general reader (128-bit), on generated texts of every
    /// shape: digits with and without a point, long, with leading zeros, at and beyond the scale,
    /// signs, exponents, stray bytes.
    @Test func plainDecimalsEqualTheGeneralReader() {
        var rng = SplitMix64(state: 77)
        let alphabet = Array("0123456789.".utf8)
        let extras = Array("0123456789.+-eE x".utf8)
        for i in 0..<200_000 {
            let length = Int(rng.next() % 24)
            let pool = i % 4 == 0 ? extras : alphabet
            let text = String(decoding: (0..<length).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }, as: UTF8.self)
            for scale in [9, 6] {
                let fast = Scalars.parseDecimal(text, scale: scale)
                let general = Bytes.of(text) { Scalars.generalDecimal($0, scale: scale) }
                #expect(fast.map(\.value) == general.map(\.value) && fast.map(\.rounded) == general.map(\.rounded), "\(text) scale \(scale)")
            }
        }
    }

    /// Timestamps read with a date cache (a row after another) equal timestamps read alone, in
    /// any order, with bad dates between good ones of the same prefix.
    @Test func timestampsWithTheDateCacheEqualTimestampsAlone() {
        var rng = SplitMix64(state: 5)
        let texts = ["2026-10-01T00:00:03Z", "2026-10-01T23:59:59Z", "2026-10-01 12:00:00", "2026-10-01", "2026-10-01T25:00:00Z",
                     "2026-10-31T10:00:00+02:00", "2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2026-10-0", "2026-13-01T00:00:00Z",
                     "0000-10-01T00:00:00Z", "2026-10-01T10:00:00.123Z", "2026-10-01X10:00:00Z", "", "2026-10-02t01:02:03z"]
        var cache = Scalars.DayCache()
        for _ in 0..<20_000 {
            let t = texts[Int(rng.next() % UInt64(texts.count))]
            let cached = Bytes.of(t) { Scalars.parseTimestamp($0, days: &cache) }
            #expect(cached == Scalars.parseTimestamp(t), "\(t)")
        }
    }

    /// Each category's and outcome's index is its place in allCases (arrays are indexed by it).
    @Test func indicesArePlacesInAllCases() {
        for (i, c) in CostCategory.allCases.enumerated() { #expect(c.index == i) }
        for (i, o) in Outcome.allCases.enumerated() { #expect(o.index == i) }
    }
}

