// ISO 4217 currency codes and the month's exchange rates (costper.toml [fx]).
import CostperMoney
import CostperIngest
import CostperVocabulary
import TOMLKit

package enum Currency {
    /// The active ISO 4217 alphabetic codes (ISO 4217 list one, as published by SIX, the maintenance
    /// agency: https://www.six-group.com/en/products-services/financial-information/data-standards.html),
    /// without the funds, precious-metal and testing codes (X..).
    package static let codes: Set<String> = [
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

    package static func isCode(_ s: String) -> Bool { codes.contains(s) }
}

/// Exchange rates by month: what one unit of a currency is worth in the reporting currency.
/// `[fx] "2026-10" = 0.9215` is USD to the reporting currency; `[fx.GBP] "2026-10" = 1.1530` is
/// another currency (an invoice or a FOCUS bill in GBP) to the reporting currency.
package struct FxRates: Equatable, Sendable, Codable {
    /// Keyed by currency code, then month key (`Month.key`); the rate is an exact decimal.
    package var rates: [String: [Int: Quotient]] = [:]
    /// Where the rates come from, for the Method ("costper.toml [fx]").
    package var source = "costper.toml [fx]"
    /// Where each rate was set when not in costper.toml (fx_rates.csv:LINE), by currency and month key.
    package var origins: [String: [Int: String]] = [:]

    /// Where the rate of `code` for `month` was set.
    package func origin(_ code: String, _ month: Month) -> String {
        origins[code]?[month.key] ?? (code == "USD" ? "costper.toml [fx] \"\(month)\"" : "costper.toml [fx.\(code)] \"\(month)\"")
    }

    /// fx_rates.csv: `month, currency, rate` (one unit of `currency` in the report's currency that
    /// month), added to costper.toml's [fx]. A bad row, or a second rate for a currency and month
    /// (in the file or beside costper.toml's), stops the run: rates are reference data.
    package mutating func add(csv input: InputBuffer) throws(CostperError) {
        var rejects: [Reject] = []
        var rows: [(line: Int, code: String, month: Month, rate: Quotient)] = []
        _ = try readCSVTable(input, required: ["month", "currency", "rate"], known: ["month", "currency", "rate"], rejects: &rejects) { line, header, fields, rejects in
            func text(_ n: String) -> String { (utf8String(fields[header.position(n)!]) ?? "").trimmingSpaces }
            func reject(_ c: String, _ r: String) { rejects.append(Reject(file: input.name, line: line, column: c, reason: r)) }
            guard let m = Month(text("month")) else { return reject("month", "\(Scalars.quoteForMessage(text("month"))) is not a month (YYYY-MM)") }
            let code = text("currency").uppercased()
            guard Currency.isCode(code) else { return reject("currency", "\(Scalars.quoteForMessage(text("currency"))) is not an ISO 4217 currency code") }
            switch Scalars.parseDecimal(text("rate")) {
            case .success(let r) where r.rounded: return reject("rate", "\(Scalars.quoteForMessage(text("rate"))) has more than 9 decimals; a rate is used exactly as written (round it to 9 decimals yourself)")
            case .success(let r) where r.value > 0: rows.append((line, code, m, Quotient(numerator: Int128(r.value), denominator: Int128(Money.scale)).reduced))
            case .success: return reject("rate", "must be above 0")
            case .failure(let e): return reject("rate", e.reason(for: text("rate")))
            }
        }
        if let first = rejects.first { throw first.error }
        for r in rows {
            if rates[r.code]?[r.month.key] != nil {
                throw CostperError(.badData, "two rates for \(r.code) in \(r.month) (also \(origin(r.code, r.month))): keep one", at: InputLocation(file: input.name, line: r.line))
            }
            rates[r.code, default: [:]][r.month.key] = r.rate
            origins[r.code, default: [:]][r.month.key] = "\(input.name):\(r.line)"
        }
    }

    package init() {}

    /// A rate for the report's own currency must be exactly 1 (one EUR is one EUR): any other is a
    /// mistake that costper would otherwise ignore in silence.
    package func checkOwnCurrency(_ reporting: String) throws(CostperError) {
        guard let own = rates[reporting] else { return }
        for key in own.keys.sorted() where own[key]! != Quotient(1) {
            let m = Month(key: key)
            var shown = own[key]!.formatted(decimals: 9)
            while shown.hasSuffix("0") { shown.removeLast() }
            if shown.hasSuffix(".") { shown.removeLast() }
            throw CostperError(.badData, "a rate of \(shown) for \(reporting) in \(m) (\(origin(reporting, m))) is a rate for the report's own currency, \(reporting): it must be 1 or be left out")
        }
    }

    package func rate(from code: String, to reporting: String, in month: Month) -> Quotient? {
        if code == reporting { return Quotient(1) }
        return rates[code]?[month.key]
    }

    /// `amount` (nano-units of `code`) in nano-units of the reporting currency: the exact decimal
    /// rate applied once, half to even at the nano-unit. nil when there is no rate.
    package func convert(_ amount: Money, from code: String, to reporting: String, in month: Month) -> Money? {
        if code == reporting { return amount }
        guard let r = rate(from: code, to: reporting, in: month) else { return nil }
        return Fixed.mulDivHalfEven(Int128(amount.nanos), r.numerator, r.denominator).flatMap { Int64(exactly: $0) }.map(Money.init(nanos:))
    }

    /// The sentence that stops a run over a missing rate.
    package static func missing(_ code: String, _ reporting: String, _ month: Month) -> String {
        let key = code == "USD" ? "[fx] \"\(month)\"" : "[fx.\(code)] \"\(month)\""
        return "no exchange rate from \(code) to \(reporting) for \(month): add \(key) = RATE to costper.toml (one \(code) in \(reporting))"
    }

    static func parse(_ value: TOMLValueConvertible?, reader: TOMLReader) throws(ConfigError) -> FxRates {
        var fx = FxRates()
        guard let value else { return fx }
        let t = try reader.table(value, "fx")
        func add(_ code: String, _ key: String, _ v: TOMLValueConvertible, _ name: String) throws(ConfigError) {
            guard let m = Month(key) else { throw reader.fail(name, "is not a month (YYYY-MM) nor a currency table ([fx.GBP])") }
            let rate = try reader.rate(v, name)
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

/// The currency the month is reported in, and the rate every USD input is converted at.
/// Every amount costper reads in USD (request costs and the price catalog, fixed_costs.csv, the
/// settings' amounts, revenue.csv, forecast.csv, the published figures) is converted once, as it
/// is read: the exact decimal rate, half to even at the nano-unit. Sums, shares and per-ticket
/// figures are then computed in the reporting currency as they are in USD.
package struct ReportingCurrency: Sendable, Equatable, Codable {
    package var code: String
    /// One USD in `code` (1 for USD).
    package var rate: Quotient
    package var month: Month?
    package var source: String

    package static let usd = ReportingCurrency(code: "USD", rate: Quotient(1), month: nil, source: "")
    package var isUSD: Bool { code == "USD" }

    /// The month's rate from costper.toml [fx], or a stop naming the missing rate.
    package static func resolve(_ config: CostperConfig, month: Month) throws(CostperError) -> ReportingCurrency {
        try config.bills.fx.checkOwnCurrency(config.currency)
        guard config.currency != "USD" else { return .usd }
        guard let r = config.bills.fx.rate(from: "USD", to: config.currency, in: month) else {
            throw CostperError(.badData, "currency = \"\(config.currency)\": " + FxRates.missing("USD", config.currency, month))
        }
        return ReportingCurrency(code: config.currency, rate: r, month: month, source: config.bills.fx.origin("USD", month))
    }

    /// A USD amount in the reporting currency, half to even at the nano-unit; nil when it overflows.
    package func convert(_ m: Money) -> Money? {
        if isUSD { return m }
        return Fixed.mulDivHalfEven(Int128(m.nanos), rate.numerator, rate.denominator).flatMap { Int64(exactly: $0) }.map(Money.init(nanos:))
    }

    /// An exact USD figure in the reporting currency, rounded once, half to even at the nano-unit.
    package func convert(exact q: Quotient) -> Money? { isUSD ? q.asMoney : q.times(rate).asMoney }

    /// The sentence of the Method.
    package var sentence: String {
        "Amounts are in \(code). Every amount costper read in USD (request costs and the price catalog, fixed_costs.csv, the amounts of costper.toml, revenue.csv, forecast.csv and the published figures) was converted once, as it was read, at \(rate.formatted(decimals: 6)) \(code) per USD (\(source)), exactly: the decimal rate, half to even at the nano-unit."
    }
}

extension ReportingCurrency {
    func amount(_ m: Money, _ what: String) throws(CostperError) -> Money {
        guard let v = convert(m) else { throw CostperError(.badData, "\(what) in \(code) is outside costper's money range") }
        return v
    }
    func amount(_ m: Money?, _ what: String) throws(CostperError) -> Money? {
        guard let m else { return nil }
        let v: Money = try amount(m, what)
        return v
    }

    /// The settings' amounts in the reporting currency.
    package func convert(_ c: CostperConfig) throws(CostperError) -> CostperConfig {
        if isUSD { return c }
        var c = c
        c.reviewerLoadedAnnual = try amount(c.reviewerLoadedAnnual, "labor.reviewer_loaded_annual_usd")
        c.baseline.costPerResolved = try amount(c.baseline.costPerResolved, "baseline.cost_per_resolved_usd")
        c.baseline.loadedAnnual = try amount(c.baseline.loadedAnnual, "baseline.loaded_annual_usd")
        c.baseline.defaultCostPerResolved = try amount(c.baseline.defaultCostPerResolved, "the default baseline")
        c.defaultFixedMonthly = try amount(c.defaultFixedMonthly, "comparables.default_fixed_monthly_usd")
        c.alerts.minImpact = try amount(c.alerts.minImpact, "alerts.min_impact_usd")
        c.bills.reconcile.payroll = try amount(c.bills.reconcile.payroll, "reconcile.payroll_usd")
        var budgets: [TenantBudget] = []
        for b in c.budgets { let v: Money = try amount(b.amount, "budgets.\(b.tenant)"); budgets.append(TenantBudget(tenant: b.tenant, amount: v)) }
        c.budgets = budgets
        c.outcomes.pricePerResolved = try amount(c.outcomes.pricePerResolved, "pricing.per_resolved_usd")
        var subs: [String: Money] = [:]
        for (k, v) in c.outcomes.subscriptions { let m: Money = try amount(v, "pricing.subscriptions.\(k)"); subs[k] = m }
        c.outcomes.subscriptions = subs
        return c
    }

    /// fixed_costs.csv's rows of the month in the reporting currency (other months do not count).
    package func convert(_ f: FixedCostList?, month: Month) throws(CostperError) -> FixedCostList? {
        guard var f, !isUSD else { return f }
        for i in f.items.indices where f.items[i].month == month {
            f.items[i].amount = try amount(f.items[i].amount, "fixed_costs.csv: \(f.items[i].name)")
        }
        return f
    }

    package func convert(_ r: RevenueList) throws(CostperError) -> RevenueList {
        if isUSD { return r }
        var r = r
        for i in r.items.indices { r.items[i].amount = try amount(r.items[i].amount, "revenue.csv: \(r.items[i].tenant)") }
        return r
    }

    package func convert(_ f: ForecastFile) throws(CostperError) -> ForecastFile {
        if isUSD { return f }
        var f = f
        for i in f.plans.indices {
            f.plans[i].costPerOutcome = try amount(f.plans[i].costPerOutcome, "forecast.csv:\(f.plans[i].line)")
            f.plans[i].fixedMonthly = try amount(f.plans[i].fixedMonthly, "forecast.csv:\(f.plans[i].line)")
        }
        return f
    }

    /// The published figures (in USD as published) at the month's rate; each keeps its text as
    /// published, shown beside the converted figure.
    package func convert(_ b: BenchmarkData) throws(CostperError) -> BenchmarkData {
        if isUSD { return b }
        var b = b
        for i in b.comparables.indices {
            var p = b.comparables[i]
            p.publishedAs = p.publishedText(.usd)
            p.figure = try amount(p.figure, p.name); p.low = try amount(p.low, p.name); p.high = try amount(p.high, p.name)
            p.variable = try amount(p.variable, p.name)
            b.comparables[i] = p
        }
        for i in b.ranges.indices {
            b.ranges[i].low = try amount(b.ranges[i].low, b.ranges[i].key); b.ranges[i].high = try amount(b.ranges[i].high, b.ranges[i].key)
            b.ranges[i].figure = try amount(b.ranges[i].figure, b.ranges[i].key)
        }
        for i in b.serviceTypes.indices {
            let k = b.serviceTypes[i].serviceType
            b.serviceTypes[i].aiCost = try amount(b.serviceTypes[i].aiCost, k); b.serviceTypes[i].humanReview = try amount(b.serviceTypes[i].humanReview, k)
            b.serviceTypes[i].total = try amount(b.serviceTypes[i].total, k); b.serviceTypes[i].baseline = try amount(b.serviceTypes[i].baseline, k)
        }
        for (c, v) in b.stack.perTicket { let m: Money = try amount(v, "reference_stack.csv"); b.stack.perTicket[c] = m }
        return b
    }
}
