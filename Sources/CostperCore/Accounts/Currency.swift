// ISO 4217 currency codes and the month's exchange rates (costper.toml [fx]).
import TOMLKit

public enum Currency {
    /// The active ISO 4217 alphabetic codes (ISO 4217 list one, as published by SIX, the maintenance
    /// agency: https://www.six-group.com/en/products-services/financial-information/data-standards.html),
    /// without the funds, precious-metal and testing codes (X..).
    public static let codes: Set<String> = [
        "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD", "BIF", "BMD", "BND", "BOB",
        "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF",
        "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD",
        "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF",
        "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT",
        "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
        "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP",
        "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
        "UAH", "UGX", "USD", "UYU", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR",
        "ZMW", "ZWG",
    ]

    public static func isCode(_ s: String) -> Bool { codes.contains(s) }
}

/// Exchange rates by month: what one unit of a currency is worth in the reporting currency.
/// `[fx] "2026-10" = 0.9215` is USD to the reporting currency; `[fx.GBP] "2026-10" = 1.1530` is
/// another currency (an invoice or a FOCUS bill in GBP) to the reporting currency.
public struct FxRates: Equatable, Sendable {
    /// Keyed by currency code, then month key (`Month.key`); the rate is an exact decimal.
    public var rates: [String: [Int: Quotient]] = [:]
    /// Where the rates come from, for the Method ("costper.toml [fx]").
    public var source = "costper.toml [fx]"

    public init() {}

    public func rate(from code: String, to reporting: String, in month: Month) -> Quotient? {
        if code == reporting { return Quotient(1) }
        return rates[code]?[month.key]
    }

    /// `amount` (nano-units of `code`) in nano-units of the reporting currency: the exact decimal
    /// rate applied once, half to even at the nano-unit. nil when there is no rate.
    public func convert(_ amount: Money, from code: String, to reporting: String, in month: Month) -> Money? {
        if code == reporting { return amount }
        guard let r = rate(from: code, to: reporting, in: month) else { return nil }
        return Fixed.mulDivHalfEven(Int128(amount.nanos), r.numerator, r.denominator).flatMap { Int64(exactly: $0) }.map(Money.init(nanos:))
    }

    /// The sentence that stops a run over a missing rate.
    public static func missing(_ code: String, _ reporting: String, _ month: Month) -> String {
        let key = code == "USD" ? "[fx] \"\(month)\"" : "[fx.\(code)] \"\(month)\""
        return "no exchange rate from \(code) to \(reporting) for \(month): add \(key) = RATE to costper.toml (one \(code) in \(reporting))"
    }

    static func parse(_ value: TOMLValueConvertible?, reader: TOMLReader) throws(ConfigError) -> FxRates {
        var fx = FxRates()
        guard let value else { return fx }
        let t = try reader.table(value, "fx")
        func add(_ code: String, _ key: String, _ v: TOMLValueConvertible, _ name: String) throws(ConfigError) {
            guard let m = Month(key) else { throw reader.fail(name, "is not a month (YYYY-MM) nor a currency table ([fx.GBP])") }
            let rate = try reader.positive(v, name)
            if fx.rates[code]?[m.key] != nil { throw reader.fail(name, "two rates for one month: keep one") }
            fx.rates[code, default: [:]][m.key] = rate
        }
        for key in t.keys.sorted() {
            if let sub = t[key]?.table {
                guard Currency.isCode(key) else { throw reader.fail("fx.\(key)", "is not an ISO 4217 currency code") }
                for k in sub.keys.sorted() { try add(key, k, sub[k]!, "fx.\(key).\(k)") }
            } else {
                try add("USD", key, t[key]!, "fx.\(key)")
            }
        }
        return fx
    }
}
