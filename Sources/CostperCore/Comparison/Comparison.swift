// The comparables engine (domain.md "Scale adjustment", "Vendor margin", "Flags"): a cost per
// outcome against every comparable of its domain, raw and adjusted to the user's scale, with a
// flag above the threshold and the cost categories that drive it.

/// The user's scale: outcomes a month and fixed monthly cost, with where F came from.
public struct ScaleBasis: Sendable, Equatable {
    public var volume: Int64
    public var fixedMonthly: Money
    /// "fixed_costs.csv", "forecast.csv", "costper.toml default", "--fixed-monthly".
    public var fixedSource: String

    public init(volume: Int64, fixedMonthly: Money, fixedSource: String) {
        self.volume = volume; self.fixedMonthly = fixedMonthly; self.fixedSource = fixedSource
    }
}

/// How a comparable's figure was made comparable.
public enum Adjustment: Sendable, Equatable {
    /// `v + F / V`.
    case scaled(variable: Money, fixed: Money, volume: Int64)
    /// price × (1 − margin).
    case lessMargin(Quotient)
    case asPublished

    public var sentence: String {
        switch self {
        case let .scaled(v, f, n):
            return "scaled to your volume: \(Show.usd(v.dollars)) variable + \(Show.usd(f.dollars)) fixed a month / \(Show.count(n)) outcomes a month"
        case .lessMargin(let m):
            return "price less a \(Show.percent(m, decimals: 0)) vendor margin"
        case .asPublished:
            return "as published"
        }
    }
}

/// A cost per outcome against one comparable.
public struct ComparableCheck: Sendable, Equatable {
    public var comparable: PublishedFigure
    public var adjusted: Quotient
    public var adjustment: Adjustment
    /// value / adjusted; nil when the adjusted figure is zero.
    public var ratio: Quotient?
    public var flagged: Bool
}

/// What is compared: the month's actual, a forecast line, a run-rate projection.
public struct ComparisonSubject: Sendable, Equatable {
    public var label: String
    public var domain: Domain
    public var serviceType: String
    public var value: Quotient
    public var basis: ScaleBasis?

    public init(label: String, domain: Domain, serviceType: String = "", value: Quotient, basis: ScaleBasis?) {
        self.label = label; self.domain = domain; self.serviceType = serviceType; self.value = value; self.basis = basis
    }
}

/// A subject against every comparable of its domain.
public struct Comparison: Sendable, Equatable {
    public var subject: ComparisonSubject
    public var checks: [ComparableCheck]
    public var threshold: Quotient
    /// False when only a like-for-like reference line was checked, not every comparable of the domain.
    public var coversDomain = true

    public var flagged: [ComparableCheck] { checks.filter(\.flagged) }
    /// Above the threshold for every comparable of its domain.
    public var aboveAll: Bool { coversDomain && !checks.isEmpty && checks.allSatisfy(\.flagged) }
    /// The comparable this subject is furthest above.
    public var worst: ComparableCheck? {
        checks.filter { $0.ratio != nil }.max { $0.ratio! < $1.ratio! }
    }

    /// Compares `subject` with the comparables of its domain (and, when it names a service type
    /// the reference table knows, with that line of the table too).
    public static func make(_ subject: ComparisonSubject, data: BenchmarkData, threshold: Quotient) -> Comparison {
        var list = data.comparables.filter { $0.domain == subject.domain }
        if subject.domain == .support, !subject.serviceType.isEmpty, let st = data.serviceType(subject.serviceType) {
            list.append(st.asComparable)
        }
        let checks = list.map { check(subject.value, against: $0, basis: subject.basis, threshold: threshold) }
        return Comparison(subject: subject, checks: checks, threshold: threshold)
    }

    /// One check: scale adjustment where the variable part is known and the volume is positive,
    /// else the margin where the figure is a price, else the figure as published.
    public static func check(_ value: Quotient, against c: PublishedFigure, basis: ScaleBasis?, threshold: Quotient) -> ComparableCheck {
        let adjusted: Quotient
        let how: Adjustment
        if let v = c.variable, let b = basis, b.volume > 0 {
            adjusted = v.dollars.plus(Quotient(numerator: Int128(b.fixedMonthly.nanos), denominator: Int128(Money.scale) * Int128(b.volume)))
            how = .scaled(variable: v, fixed: b.fixedMonthly, volume: b.volume)
        } else if let m = c.vendorMargin {
            adjusted = c.trueCost
            how = .lessMargin(m)
        } else {
            adjusted = c.figure.dollars
            how = .asPublished
        }
        let ratio = value.divided(by: adjusted)
        return ComparableCheck(comparable: c, adjusted: adjusted, adjustment: how, ratio: ratio, flagged: ratio.map { $0 > threshold } ?? false)
    }
}

/// A cost category whose share of cost is above its share of the reference stack.
public struct FlagDriver: Sendable, Equatable {
    public var category: CostCategory
    public var share: Quotient
    public var referenceShare: Quotient
    public var excess: Quotient { share.minus(referenceShare) }

    public var sentence: String {
        "\(category.title.lowercased()) (\(Show.percent(share, decimals: 0)) of cost, \(Show.percent(referenceShare, decimals: 0)) in the reference stack)"
    }
}

public enum FlagDrivers {
    /// The categories whose share of `costs` is furthest above their share of the reference stack
    /// (by at least one percentage point), largest excess first; at most `limit`.
    public static func of(_ costs: [CostCategory: Money], stack: ReferenceStack, limit: Int = 2) -> [FlagDriver] {
        let total = costs.values.reduce(Int128(0)) { $0 + Int128($1.nanos) }
        guard total > 0, stack.total.nanos > 0 else { return [] }
        let list = CostCategory.allCases.map { c in
            FlagDriver(category: c, share: Quotient(numerator: Int128((costs[c] ?? .zero).nanos), denominator: total), referenceShare: stack.share(c))
        }
        return Array(list.filter { $0.excess >= Quotient(numerator: 1, denominator: 100) }
            .sorted { $0.excess != $1.excess ? $0.excess > $1.excess : $0.category < $1.category }
            .prefix(limit))
    }
}

/// A line of forecast.csv: the plan to check against comparables.
public struct ForecastPlan: Sendable, Equatable {
    public var month: Month
    public var domain: Domain
    public var serviceType: String
    public var volume: Int64
    public var costPerOutcome: Money
    public var fixedMonthly: Money?
    public var line: Int

    public init(month: Month, domain: Domain, serviceType: String = "", volume: Int64, costPerOutcome: Money, fixedMonthly: Money? = nil, line: Int = 0) {
        self.month = month; self.domain = domain; self.serviceType = serviceType; self.volume = volume
        self.costPerOutcome = costPerOutcome; self.fixedMonthly = fixedMonthly; self.line = line
    }
}

public struct ForecastFile: Sendable {
    public var plans: [ForecastPlan] = []
    public var rowsRead = 0
    public var rejects: [Reject] = []
    public var unknownColumns: [String] = []
    public var format = InputFormat.csv

    public static let columns = ["month", "domain", "service_type", "volume", "cost_per_outcome_usd", "fixed_monthly_usd"]
    public static let required = ["month", "domain", "volume", "cost_per_outcome_usd"]

    public static func read(_ input: InputBuffer) throws(CostperError) -> ForecastFile {
        var f = ForecastFile()
        var rejects: [Reject] = []
        let (header, rows, format) = try readAnyTable(input, columns: columns, required: required, rejects: &rejects) { line, header, fields, rejects in
            func col(_ n: String) -> Bytes? { header.position(n).map { fields[$0] } }
            func reject(_ c: String, _ r: String) { rejects.append(Reject(file: input.name, line: line, column: c, reason: r)) }
            let monthText = String(decoding: col("month")!, as: UTF8.self)
            guard let month = Month(monthText) else { return reject("month", "\(Scalars.quoteForMessage(monthText)) is not a month (YYYY-MM)") }
            let d = String(decoding: col("domain")!, as: UTF8.self)
            guard let domain = Domain(rawValue: d) else {
                return reject("domain", "\(Scalars.quoteForMessage(d)) is not a domain (\(Domain.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var serviceType = ""
            if let st = col("service_type") {
                guard let s = utf8String(st) else { return reject("service_type", "is not valid UTF-8") }
                if st.count > InputLimits.maxTextBytes { return reject("service_type", "is longer than \(InputLimits.maxTextBytes) bytes") }
                serviceType = s
            }
            let volumeField = col("volume")!
            let volume: Int64
            switch Scalars.parseCount(volumeField) {
            case .success(let n) where n > InputLimits.maxCount: return reject("volume", "is more than a trillion outcomes a month")
            case .success(let n) where n > 0: volume = n
            case .success: return reject("volume", "is zero: a forecast needs outcomes to divide by")
            case .failure(let e): return reject("volume", e.reason(for: String(decoding: volumeField, as: UTF8.self)))
            }
            var values: [Money?] = []
            for (c, isRequired) in [("cost_per_outcome_usd", true), ("fixed_monthly_usd", false)] {
                guard let field = col(c), !field.isEmpty else {
                    if isRequired { return reject(c, "is empty") }
                    values.append(nil)
                    continue
                }
                switch Scalars.parseDecimal(field) {
                case .success(let r): values.append(Money(nanos: r.value))
                case .failure(let e): return reject(c, e.reason(for: String(decoding: field, as: UTF8.self)))
                }
            }
            guard let cost = values[0] else { return }
            let fixed = values[1]
            f.plans.append(ForecastPlan(month: month, domain: domain, serviceType: serviceType, volume: volume, costPerOutcome: cost, fixedMonthly: fixed, line: line))
        }
        f.rowsRead = rows
        f.rejects = rejects
        f.unknownColumns = header.unknown
        f.format = format
        return f
    }
}

/// Everything the report says about comparables, forecasts and flags for one month.
public struct ComparablesReview: Sendable {
    /// The month's actual cost per resolved ticket against the comparables of its domain.
    public var actual: Comparison?
    /// The month's cost per resolved ticket of each service type the reference table knows.
    public var serviceTypes: [Comparison] = []
    /// Each forecast line, as planned.
    public var plans: [(plan: ForecastPlan, comparison: Comparison)] = []
    /// Each forecast line at this month's run rate (actual cost per resolved ticket × its volume).
    public var runRates: [(plan: ForecastPlan, monthly: Quotient, comparison: Comparison)] = []
    public var drivers: [FlagDriver] = []
    public var actualBasis: ScaleBasis?
    public var threshold = Quotient(2)

    public init() {}

    /// Every comparison, in report order.
    public var all: [Comparison] {
        (actual.map { [$0] } ?? []) + serviceTypes + plans.map(\.comparison) + runRates.map(\.comparison)
    }

    /// Reviews a closed month: `domain` is the month's own (support for tickets).
    public static func make(_ a: MonthAccounts, data: BenchmarkData, forecast: [ForecastPlan], domain: Domain = .support) -> ComparablesReview {
        var r = ComparablesReview()
        r.threshold = a.config.flagRatio
        let fixedTotal = Money(nanos: a.fixedCosts.reduce(0) { $0 &+ $1.amount.nanos })
        let fixed: (Money, String) = fixedTotal.nanos > 0 ? (fixedTotal, "fixed_costs.csv") : (a.config.defaultFixedMonthly, "costper.toml default (no fixed_costs.csv)")
        let basis = ScaleBasis(volume: Int64(a.resolvedTickets), fixedMonthly: fixed.0, fixedSource: fixed.1)
        r.actualBasis = basis
        r.drivers = FlagDrivers.of(a.costByCategory, stack: data.stack)
        if let cpr = a.costPerResolved {
            r.actual = Comparison.make(ComparisonSubject(label: "actual \(a.month)", domain: domain, value: cpr, basis: basis), data: data, threshold: r.threshold)
            if let byService = a.table(.service_type) {
                // Each service type the reference table knows, against its like-for-like line only
                // (a complaint ticket is not comparable with a company-wide average).
                for row in byService.rows {
                    guard let v = row.costPerResolved, let st = data.serviceType(row.label) else { continue }
                    let subject = ComparisonSubject(label: "actual \(a.month): \(row.label)", domain: domain, serviceType: row.label, value: v, basis: nil)
                    var c = Comparison(subject: subject, checks: [Comparison.check(v, against: st.asComparable, basis: nil, threshold: r.threshold)],
                                       threshold: r.threshold)
                    c.coversDomain = false
                    r.serviceTypes.append(c)
                }
            }
        }
        for p in forecast {
            let pf: (Money, String) = p.fixedMonthly.map { ($0, "forecast.csv") } ?? fixed
            let b = ScaleBasis(volume: p.volume, fixedMonthly: pf.0, fixedSource: pf.1)
            let label = "forecast \(p.month)" + (p.serviceType.isEmpty ? "" : ": \(p.serviceType)")
            r.plans.append((p, Comparison.make(ComparisonSubject(label: label, domain: p.domain, serviceType: p.serviceType, value: p.costPerOutcome.dollars, basis: b),
                                               data: data, threshold: r.threshold)))
            // The run rate applies this month's all-in cost per resolved ticket; it is only
            // meaningful for the month's own domain and for the whole service mix.
            if let cpr = a.costPerResolved, p.domain == domain, p.serviceType.isEmpty {
                let rl = "run rate \(p.month)"
                r.runRates.append((p, cpr.times(Quotient(numerator: Int128(p.volume), denominator: 1)),
                                   Comparison.make(ComparisonSubject(label: rl, domain: domain, value: cpr, basis: b), data: data, threshold: r.threshold)))
            }
        }
        return r
    }
}

extension MonthAccounts {
    /// Counts forecast.csv in the data-quality figures: its rejected rows join the month's.
    public mutating func add(_ f: ForecastFile, file: String) {
        files.append(FileQuality(file: file, reader: "forecast (\(f.format.rawValue))", rowsRead: f.rowsRead, rejected: f.rejects.count, outsideMonth: 0))
        rejects.append(contentsOf: f.rejects)
        noteUnusedColumns(f.unknownColumns, of: file)
    }
}
