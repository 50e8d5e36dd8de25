// How money and ratios are written in month.json and every JSON costper writes: exact decimal or
// fraction strings, never binary floating point, so that a value read back is the same value.
import Foundation

extension Money: Codable {
    /// "1234.567890123": the nanos, exactly (nine decimals, a sign when negative).
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(formatted(decimals: Money.fractionDigits))
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let m = Money(exactDecimal: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(text) is not an amount with at most 9 decimals")
        }
        self = m
    }

    /// An amount written with at most nine decimals ("-12.5", "0.000000001"); nil for anything else or out of range.
    package init?(exactDecimal text: String) {
        var s = Substring(text)
        let negative = s.hasPrefix("-")
        if negative { s = s.dropFirst() }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= Money.fractionDigits, fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else { return nil }
        fraction += String(repeating: "0", count: Money.fractionDigits - fraction.count)
        guard let w = Int64(whole), let f = Int64(fraction) else { return nil }
        let (scaled, o1) = w.multipliedReportingOverflow(by: Money.scale)
        let (sum, o2) = scaled.addingReportingOverflow(f)
        guard !o1, !o2 else { return nil }
        self.init(nanos: negative ? -sum : sum)
    }
}

extension Quotient: Codable {
    /// "numerator/denominator": the exact fraction.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode("\(numerator)/\(denominator)")
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int128(String(parts[0])), let d = Int128(String(parts[1])), d > 0 else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(text) is not a fraction n/d with d > 0")
        }
        self.init(numerator: n, denominator: d)
    }
}
