// The comparables engine: a line (the month's actual, a service type, a forecast line, a run
// rate) against the published figures of its domain, like for like (the same basis: per resolved
// ticket, per ticket handled, per completed task), adjusted to the user's scale where the figure's
// variable part is known, and one flag rule applied everywhere (report, CSV, JSON, `compare`, chart).

import CostperMoney
import CostperIngest
import CostperVocabulary

/// The user's scale: outcomes a month and the fixed monthly cost F that adjusts a comparable, with
/// where F came from. One F per report: this month's fixed costs (or the stated default).
package struct ScaleBasis: Sendable, Equatable, Codable {
    package var volume: Int64
    package var fixedMonthly: Money
    /// "fixed_costs.csv", "costper.toml default (assumed)", "--fixed-monthly".
    package var fixedSource: String
    /// True when F is not the company's own figure but costper.toml's default.
    package var assumed: Bool

    package init(volume: Int64, fixedMonthly: Money, fixedSource: String, assumed: Bool = false) {
        self.volume = volume; self.fixedMonthly = fixedMonthly; self.fixedSource = fixedSource; self.assumed = assumed
    }
}

/// The rule that flags a line: more than `threshold` times the median of its like-for-like
/// comparables (at your scale), or than every one of them, or than any one of them.
package enum FlagBasis: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case median, every, any

    package func sentence(_ threshold: Quotient) -> String {
        let t = Show.ratio(threshold)
        switch self {
        case .median: return "A line is flagged when it is more than \(t) the median of the published figures it is comparable with (same domain and same unit, at your scale where a figure's variable part is known)."
        case .every: return "A line is flagged when it is more than \(t) every published figure it is comparable with (same domain and same unit, at your scale where a figure's variable part is known)."
        case .any: return "A line is flagged when it is more than \(t) any published figure it is comparable with (same domain and same unit, at your scale where a figure's variable part is known)."
        }
    }
}

/// How a comparable's figure was made comparable, step by step, with the result.
package struct Adjustment: Sendable, Equatable, Codable {
    package var steps: [String]
    /// `$0.10 + $504.00 / 3,412 = $0.2477`
    package var formula: String
    package var sentence: String { steps.isEmpty ? "as published" : steps.joined(separator: "; ") }
}

/// A line against one comparable.
package struct ComparableCheck: Sendable, Equatable, Codable {
    package var comparable: PublishedFigure
    package var adjusted: Quotient
    package var adjustment: Adjustment
    /// value / adjusted; nil when the adjusted figure is zero.
    package var ratio: Quotient?
    /// The line is more than the threshold times this comparable.
    package var exceeds: Bool
    /// A vendor price per AI resolution made all-in: price × our AI resolutions + our own human handling, per resolved ticket.
    package var buildOrBuy = false
}

/// What is compared: the month's actual, a service type, a forecast line, a run rate.
package struct ComparisonSubject: Sendable, Equatable, Codable {
    package var label: String
    package var domain: Domain
    package var serviceType: String
    package var value: Quotient
    /// What the value is counted per.
    package var basis: FigureBasis
    package var scale: ScaleBasis?
    /// The line's own cost breakdown, when it has one (for its drivers).
    package var costs: [CostCategory: Money]?
    /// Which of our figures the value is: all-in, or the AI layer per AI resolution.
    package var scope: SubjectScope = .all_in
    /// Our AI resolutions and human handling, to make a vendor price per AI resolution all-in (build or buy).
    package var buy: BuildOrBuyBasis?

    package init(label: String, domain: Domain, serviceType: String = "", value: Quotient, basis: FigureBasis = .per_resolved,
                scale: ScaleBasis?, costs: [CostCategory: Money]? = nil, scope: SubjectScope = .all_in, buy: BuildOrBuyBasis? = nil) {
        self.label = label; self.domain = domain; self.serviceType = serviceType; self.value = value; self.basis = basis
        self.scale = scale; self.costs = costs; self.scope = scope; self.buy = buy
    }
}

/// What the comparison says of a line.
package enum LineState: Sendable, Equatable, Codable {
    case flagged, within
    /// No comparable of its domain and unit: the line cannot be checked.
    case notChecked
    /// Only illustrative figures of its unit and scope: shown beside it, never a flag.
    case contextOnly
    /// Within, but within 1% of the threshold: on the watch list.
    case watch

    package var label: String {
        switch self {
        case .flagged: return "flagged"
        case .within: return "within"
        case .notChecked: return "not checked: no comparable"
        case .contextOnly: return "context only"
        case .watch: return "watch: within 1% of the limit"
        }
    }
}

/// Settings of a comparison, one per report.
package struct ComparisonRule: Sendable, Equatable, Codable {
    package var threshold: Quotient
    package var basis: FlagBasis
    /// ACUs one completed task takes (a per-ACU price compared with a cost per task).
    package var acusPerTask: Quotient

    package init(threshold: Quotient = Quotient(2), basis: FlagBasis = .median, acusPerTask: Quotient = Quotient(1)) {
        self.threshold = threshold; self.basis = basis; self.acusPerTask = acusPerTask
    }
}

/// A line against the comparables of its domain.
package struct Comparison: Sendable, Equatable, Codable {
    package var subject: ComparisonSubject
    /// The like-for-like comparables, checked.
    package var checks: [ComparableCheck]
    /// Comparables of the domain in another unit: shown, never compared.
    package var otherUnits: [PublishedFigure]
    /// Illustrative figures of the line's unit: checked and shown, never in the rule's figure.
    package var illustrative: [ComparableCheck] = []
    /// Figures of the line's unit but another scope (a vendor price against an all-in line with
    /// no build-or-buy basis): shown, never compared.
    package var otherScopes: [PublishedFigure] = []
    package var rule: ComparisonRule
    /// The figure the rule compares with: the median of the adjusted figures (median rule), the
    /// highest (every), the lowest (any).
    package var ruleFigure: Quotient?
    /// value / ruleFigure.
    package var ratio: Quotient?
    package var drivers: [FlagDriver] = []

    package var state: LineState {
        guard let ratio else { return illustrative.isEmpty ? .notChecked : .contextOnly }
        if ratio > rule.threshold { return .flagged }
        // Within 1% of the threshold (2.00x at a 2x rule): not a flag, but not simply "within".
        return ratio >= rule.threshold.times(Quotient(numerator: 99, denominator: 100)) ? .watch : .within
    }
    package var isFlagged: Bool { state == .flagged }
    /// The comparables the line is more than the threshold times.
    package var exceeded: [ComparableCheck] { checks.filter(\.exceeds) }

    /// Compares `subject` with the like-for-like comparables of its domain. A service-type line is
    /// compared with its own line of the reference table only.
    package static func make(_ subject: ComparisonSubject, data: BenchmarkData, rule: ComparisonRule, show: AmountFormat) -> Comparison {
        var pool: [PublishedFigure]
        if !subject.serviceType.isEmpty, subject.domain == .support {
            pool = data.serviceType(subject.serviceType).map { [$0.asComparable] } ?? []
        } else {
            pool = data.comparables.filter { $0.domain == subject.domain }
        }
        let others = pool.filter { !like($0.basis, subject.basis) }
        var checks: [ComparableCheck] = [], illustrative: [ComparableCheck] = [], otherScopes: [PublishedFigure] = []
        for p in pool where like(p.basis, subject.basis) {
            if p.isIllustrative {
                // An illustrative scenario is an all-in worked example: beside our all-in figure only.
                if subject.scope == .all_in { illustrative.append(check(subject.value, against: p, scale: subject.scale, rule: rule, show: show)) } else { otherScopes.append(p) }
                continue
            }
            switch (subject.scope, p.scope) {
            case (.ai_layer, .vendor_price_per_ai_resolution), (.all_in, .operator_all_in), (.all_in, .per_task_price):
                checks.append(check(subject.value, against: p, scale: subject.scale, rule: rule, show: show))
            case (.all_in, .vendor_price_per_ai_resolution):
                if let buy = subject.buy, let b = buildOrBuy(subject.value, price: p, basis: buy, rule: rule, show: show) { checks.append(b) } else { otherScopes.append(p) }
            default:
                otherScopes.append(p)
            }
        }
        var c = Comparison(subject: subject, checks: checks, otherUnits: others, rule: rule)
        c.illustrative = illustrative
        c.otherScopes = otherScopes
        let figures = checks.map(\.adjusted).sorted()
        if !figures.isEmpty {
            switch rule.basis {
            case .median:
                let n = figures.count
                c.ruleFigure = n % 2 == 1 ? figures[n / 2] : figures[n / 2 - 1].plus(figures[n / 2]).times(Quotient(numerator: 1, denominator: 2))
            case .every: c.ruleFigure = figures.last
            case .any: c.ruleFigure = figures.first
            }
            c.ratio = c.ruleFigure.flatMap { subject.value.divided(by: $0) }
        }
        return c
    }

    /// A vendor's price per AI resolution against an all-in line: what buying the vendor's AI and
    /// keeping our own human handling costs per resolved ticket, (price × AI resolutions + human
    /// handling) ÷ resolved tickets.
    package static func buildOrBuy(_ value: Quotient, price c: PublishedFigure, basis b: BuildOrBuyBasis, rule: ComparisonRule, show: AmountFormat) -> ComparableCheck? {
        let price = c.reference.dollars
        guard let adjusted = b.perResolved(price: price) else { return nil }
        var steps: [String] = []
        if c.figure == nil { steps.append("top of the published range") }
        steps.append("build or buy: the price × our \(Show.count(b.aiResolutions)) AI resolutions + our own human handling (\(show.amount(b.humanHandling.dollars)), \(b.source)), per resolved ticket")
        let formula = "(\(show.unit(price)) × \(Show.count(b.aiResolutions)) + \(show.amount(b.humanHandling.dollars))) ÷ \(Show.count(b.resolved)) = \(show.unit(adjusted))"
        let ratio = value.divided(by: adjusted)
        return ComparableCheck(comparable: c, adjusted: adjusted, adjustment: Adjustment(steps: steps, formula: formula),
                               ratio: ratio, exceeds: ratio.map { $0 > rule.threshold } ?? false, buildOrBuy: true)
    }

    /// A figure counted per `figure` compares with a line counted per `line`.
    static func like(_ figure: FigureBasis, _ line: FigureBasis) -> Bool {
        figure == line || (line == .per_task && figure == .per_acu)
    }

    /// One check: a per-ACU price times the ACUs a task takes; the scale adjustment where the
    /// variable part is known and the volume is positive, else the margin where the figure is a
    /// price, else the figure as published (the top of a published range).
    package static func check(_ value: Quotient, against c: PublishedFigure, scale: ScaleBasis?, rule: ComparisonRule, show: AmountFormat) -> ComparableCheck {
        var adjusted: Quotient
        var steps: [String] = []
        var formula = show.unit(c.reference.dollars)
        if c.figure == nil { steps.append("top of the published range") }
        if let v = c.variable, let b = scale, b.volume > 0 {
            adjusted = v.dollars.plus(Quotient(numerator: Int128(b.fixedMonthly.nanos), denominator: Int128(Money.scale) * Int128(b.volume)))
            steps.append("scaled to your volume: \(show.amount(v.dollars)) variable + \(show.amount(b.fixedMonthly.dollars)) fixed a month (\(b.fixedSource)) / \(Show.count(b.volume)) outcomes")
            formula = "\(show.unit(v.dollars)) + \(show.amount(b.fixedMonthly.dollars)) / \(Show.count(b.volume))"
        } else {
            adjusted = c.reference.dollars
            if c.basis == .per_acu {
                adjusted = adjusted.times(rule.acusPerTask)
                steps.append("× \(rule.acusPerTask.formatted(decimals: 2)) ACUs a task (assumed: costper.toml [comparables] acus_per_task)")
                formula += " × \(rule.acusPerTask.formatted(decimals: 2))"
            }
            if let m = c.vendorMargin {
                adjusted = adjusted.times(Quotient(1).minus(m))
                steps.append("price less a \(Show.percent(m, decimals: 0)) vendor margin (an estimate)")
                formula += " × (1 − \(Show.percent(m, decimals: 0)))"
            }
        }
        if steps.isEmpty || (steps.count == 1 && c.figure == nil) { formula = "" } else { formula += " = " + show.unit(adjusted) }
        let ratio = value.divided(by: adjusted)
        return ComparableCheck(comparable: c, adjusted: adjusted, adjustment: Adjustment(steps: steps, formula: formula),
                               ratio: ratio, exceeds: ratio.map { $0 > rule.threshold } ?? false)
    }
}

/// A cost category whose share of cost is above its share of the reference stack.
package struct FlagDriver: Sendable, Equatable, Codable {
    package var category: CostCategory
    /// "embeddings and vector database" when the two are folded as the reference stack does.
    package var name: String
    package var share: Quotient
    package var referenceShare: Quotient
    /// In dollars: the category per resolved ticket, and the reference stack's per ticket (nil
    /// when the line has no resolved tickets to divide by).
    package var perResolved: Quotient? = nil
    package var referencePerTicket: Quotient? = nil
    package var excess: Quotient { share.minus(referenceShare) }
    /// Dollars per resolved ticket above the reference stack.
    package var dollarExcess: Quotient? { perResolved.flatMap { p in referencePerTicket.map { p.minus($0) } } }

    package func sentence(_ show: AmountFormat) -> String {
        if let p = perResolved, let r = referencePerTicket {
            return "\(name) (\(show.unit(p)) a resolved ticket against \(show.unit(r)) in the reference stack; \(Show.percent(share, decimals: 0)) of cost)"
        }
        return "\(name) (\(Show.percent(share, decimals: 0)) of cost, \(Show.percent(referenceShare, decimals: 0)) in the reference stack)"
    }
}

package enum FlagDrivers {
    /// The categories whose share of `costs` is furthest above their share of the reference stack
    /// (by at least one percentage point), largest excess first; at most `limit`. When the stack
    /// carries vector DB inside embeddings (no vector_db line of its own), so do the costs.
    ///
    /// With `resolved` (the line's resolved tickets), a driver is the component with the largest
    /// dollar contribution per resolved ticket above the reference stack's per ticket (by at least
    /// a cent), largest first: a category whose share moved but is worth a fraction of a cent is
    /// never named over one worth a dollar.
    package static func of(_ costs: [CostCategory: Money], stack: ReferenceStack, resolved: Int? = nil, limit: Int = 2) -> [FlagDriver] {
        var costs = costs
        var stackCosts = stack.perTicket
        let fold = (stack.perTicket[.vector_db] ?? .zero).nanos == 0 && (stack.perTicket[.embeddings] ?? .zero).nanos > 0
        if fold {
            costs[.embeddings] = Money(nanos: (costs[.embeddings] ?? .zero).nanos &+ (costs[.vector_db] ?? .zero).nanos)
            costs[.vector_db] = nil
            stackCosts[.vector_db] = nil
        }
        let total = costs.values.reduce(Int128(0)) { $0 + Int128($1.nanos) }
        let stackTotal = stackCosts.values.reduce(Int128(0)) { $0 + Int128($1.nanos) }
        guard total > 0, stackTotal > 0 else { return [] }
        let list = CostCategory.allCases.filter { !(fold && $0 == .vector_db) }.map { c in
            FlagDriver(category: c, name: fold && c == .embeddings ? "embeddings and vector database" : c.title.lowercased(),
                       share: Quotient(numerator: Int128((costs[c] ?? .zero).nanos), denominator: total),
                       referenceShare: Quotient(numerator: Int128((stackCosts[c] ?? .zero).nanos), denominator: stackTotal))
        }
        if let n = resolved, n > 0 {
            let dollars = list.map { d -> FlagDriver in
                var d = d
                d.perResolved = Quotient(numerator: Int128((costs[d.category] ?? .zero).nanos), denominator: Int128(Money.scale) * Int128(n))
                d.referencePerTicket = (stackCosts[d.category] ?? .zero).dollars
                return d
            }
            let cent = Quotient(numerator: 1, denominator: 100)
            return Array(dollars.filter { ($0.dollarExcess ?? Quotient(0)) >= cent }
                .sorted { a, b in a.dollarExcess! != b.dollarExcess! ? a.dollarExcess! > b.dollarExcess! : a.category < b.category }
                .prefix(limit))
        }
        return Array(list.filter { $0.excess >= Quotient(numerator: 1, denominator: 100) }
            .sorted { $0.excess != $1.excess ? $0.excess > $1.excess : $0.category < $1.category }
            .prefix(limit))
    }
}

/// A line of forecast.csv: the plan to check against comparables.
package struct ForecastPlan: Sendable, Equatable, Codable {
    package var month: Month
    package var domain: Domain
    package var serviceType: String
    package var volume: Int64
    package var costPerOutcome: Money
    package var fixedMonthly: Money?
    package var line: Int
    /// What the plan says moves its cost (forecast.csv's `driver`): "new model contract". nil
    /// or empty when the plan names none.
    package var driver: String?

    package init(month: Month, domain: Domain, serviceType: String = "", volume: Int64, costPerOutcome: Money, fixedMonthly: Money? = nil,
                 line: Int = 0, driver: String? = nil) {
        self.month = month; self.domain = domain; self.serviceType = serviceType; self.volume = volume
        self.costPerOutcome = costPerOutcome; self.fixedMonthly = fixedMonthly; self.line = line; self.driver = driver
    }

    /// The plan's cost per outcome with its own fixed cost: `cost_per_outcome_usd` + `fixed_monthly_usd` ÷ volume
    /// (the cost per outcome alone when the plan states no fixed cost).
    package var allIn: Quotient {
        let variable = costPerOutcome.dollars
        guard let f = fixedMonthly, f.nanos != 0, volume > 0 else { return variable }
        return variable.plus(Quotient(numerator: Int128(f.nanos), denominator: Int128(Money.scale) * Int128(volume)))
    }

    /// "$0.95 + $2,500.00 ÷ 3,850 = $1.5994", or "$0.95, no fixed cost stated (excluded)".
    package func allInSentence(_ show: AmountFormat) -> String {
        guard let f = fixedMonthly, f.nanos != 0 else { return "\(show.unit(costPerOutcome.dollars)), no fixed cost stated (excluded)" }
        return "\(show.unit(costPerOutcome.dollars)) + \(show.amount(f.dollars)) ÷ \(Show.count(volume)) = \(show.unit(allIn))"
    }

    /// What the line is counted per and what its volume counts.
    package var countedPer: String {
        switch (domain, serviceType.isEmpty) {
        case (.support, true): return "per resolved ticket; volume: resolved tickets a month"
        case (.support, false): return "per ticket handled; volume: tickets of this service type a month"
        default: return "per completed task; volume: tasks a month"
        }
    }

    /// The plan names a driver of its cost.
    package var hasDriver: Bool { !(driver ?? "").isEmpty }
}

/// A plan line against our own actual in the same unit: the whole mix against this month's cost
/// per resolved ticket, a service type against this month's cost per ticket handled of that type.
package struct PlanReality: Sendable, Equatable, Codable {
    /// Our own figure in the plan's unit; nil when this month has none (another domain, a service
    /// type with no ticket).
    package var ours: Quotient?
    /// "this month's all-in per resolved ticket", "this month's billing per ticket handled".
    package var oursLabel: String
    /// plan ÷ ours − 1.
    package var change: Quotient?
    /// More than the allowed change with no driver named.
    package var unexplained: Bool
    /// The change allowed without a driver.
    package var allowed: Quotient
}

package struct ForecastFile: Sendable {
    package var plans: [ForecastPlan] = []
    package var rowsRead = 0
    package var rejects: [Reject] = []
    package var unknownColumns: [String] = []
    package var format = InputFormat.csv

    package static let columns = ["month", "domain", "service_type", "volume", "cost_per_outcome_usd", "fixed_monthly_usd", "driver"]
    package static let required = ["month", "domain", "volume", "cost_per_outcome_usd"]

    /// Reads forecast.csv: a line whose domain no comparable has, or whose service type the
    /// reference table does not know, is a reject (it could not be checked).
    package static func read(_ input: InputBuffer, benchmarks: BenchmarkData) throws(CostperError) -> ForecastFile {
        let domains = Set(benchmarks.comparables.map(\.domain) + [.support]).sorted()
        var f = ForecastFile()
        var rejects: [Reject] = []
        let (header, rows, format) = try readAnyTable(input, columns: columns, required: required, rejects: &rejects) { line, header, fields, rejects in
            func col(_ n: String) -> Bytes? { header.position(n).map { fields[$0] } }
            func reject(_ c: String, _ r: String) { rejects.append(Reject(file: input.name, line: line, column: c, reason: r)) }
            let monthText = String(decoding: col("month")!, as: UTF8.self)
            guard let month = Month(monthText) else { return reject("month", "\(Scalars.quoteForMessage(monthText)) is not a month (YYYY-MM)") }
            let d = String(decoding: col("domain")!, as: UTF8.self)
            guard let domain = Domain.parse(d), domains.contains(domain) else {
                return reject("domain", "\(Scalars.quoteForMessage(d)) is not a domain of the benchmark register (\(domains.map(\.rawValue).joined(separator: ", ")))")
            }
            var serviceType = ""
            if let st = col("service_type") {
                guard let s = utf8String(st) else { return reject("service_type", "is not valid UTF-8") }
                if st.count > InputLimits.maxTextBytes { return reject("service_type", "is longer than \(InputLimits.maxTextBytes) bytes") }
                serviceType = s
                if !s.isEmpty && (domain != .support || benchmarks.serviceType(s) == nil) {
                    let known = benchmarks.serviceTypes.map(\.serviceType).joined(separator: ", ")
                    return reject("service_type", domain == .support
                        ? "\(Scalars.quoteForMessage(s)) is not a service type of the reference table (\(known))"
                        : "a service type is only checked in the support domain")
                }
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
            var driver: String?
            if let d = col("driver"), !d.isEmpty {
                guard let text = utf8String(d) else { return reject("driver", "is not valid UTF-8") }
                if d.count > InputLimits.maxTextBytes { return reject("driver", "is longer than \(InputLimits.maxTextBytes) bytes") }
                driver = text
            }
            f.plans.append(ForecastPlan(month: month, domain: domain, serviceType: serviceType, volume: volume, costPerOutcome: cost, fixedMonthly: fixed,
                                        line: line, driver: driver))
        }
        // Two lines for the same month, domain and service type: which one is the plan? Refused, not guessed.
        var seen: [String: Int] = [:]
        for p in f.plans {
            let key = "\(p.month)\u{0}\(p.domain.rawValue)\u{0}\(p.serviceType)"
            if let first = seen[key] {
                let what = p.serviceType.isEmpty ? "the whole mix" : "service type \(Scalars.quoteForMessage(p.serviceType))"
                throw CostperError(.badData, "\(input.name): lines \(first) and \(p.line) both plan \(p.month) for \(p.domain.rawValue), \(what): keep one line per month, domain and service type (add their volumes and costs into one line)")
            }
            seen[key] = p.line
        }
        f.rowsRead = rows
        f.rejects = rejects
        f.unknownColumns = header.unknown
        f.format = format
        return f
    }
}

/// Everything the report says about comparables, forecasts and flags for one month: every line
/// once, in report order.
package struct ComparablesReview: Sendable {
    /// The month's actual cost per resolved ticket against the comparables of its domain.
    package var actual: Comparison?
    /// The month's AI layer per AI resolution against the vendor prices per AI resolution.
    package var aiLayer: Comparison?
    /// The month split into the AI layer and human handling, build or buy, the baseline, the savings.
    package var economics: MonthEconomics?
    /// Each service type the reference table knows: its cost per ticket handled against its line.
    package var serviceTypes: [Comparison] = []
    /// Each forecast line, as planned (with its own fixed cost), and against our own actual.
    package var plans: [(plan: ForecastPlan, comparison: Comparison, reality: PlanReality)] = []
    /// This month's cost per resolved ticket at each distinct planned volume (whole-mix lines of
    /// the month's domain), once per volume.
    package var runRates: [(volume: Int64, months: [Month], monthly: Quotient, comparison: Comparison)] = []
    package var actualBasis: ScaleBasis?
    package var rule = ComparisonRule()
    /// Service type codes with the reference table's names ("password_reset" → "Password reset / simple account").
    package var serviceTypeLabels: [String: String] = [:]

    package init() {}

    /// Every line, in report order.
    package var all: [Comparison] {
        (aiLayer.map { [$0] } ?? []) + (actual.map { [$0] } ?? []) + serviceTypes + plans.map(\.comparison) + runRates.map(\.comparison)
    }

    /// Reviews a closed month: `domain` is the month's own (support for tickets).
    package static func make(_ a: MonthAccounts, data: BenchmarkData, forecast: [ForecastPlan], domain: Domain = .support) -> ComparablesReview {
        let show = a.show
        var r = ComparablesReview()
        r.serviceTypeLabels = Dictionary(data.serviceTypes.map { ($0.serviceType, $0.label) }, uniquingKeysWith: { a, _ in a })
        r.rule = ComparisonRule(threshold: a.config.flagRatio, basis: a.config.flagBasis, acusPerTask: a.config.acusPerTask)
        // One F for every line of the report: this month's fixed costs, else the stated default.
        let fixedTotal = a.fixedThisMonth
        let fixed = fixedTotal.nanos > 0
            ? (fixedTotal, "this month's fixed costs, fixed_costs.csv", false)
            : (a.config.defaultFixedMonthly, "assumed: costper.toml [comparables] default_fixed_monthly_usd", true)
        func scale(_ volume: Int64) -> ScaleBasis { ScaleBasis(volume: volume, fixedMonthly: fixed.0, fixedSource: fixed.1, assumed: fixed.2) }
        r.actualBasis = scale(Int64(a.resolvedTickets))
        let economics = MonthEconomics.make(a, data: data)
        r.economics = economics
        let buy = a.resolvedTickets > 0
            ? BuildOrBuyBasis(aiResolutions: Int64(economics.aiResolutions), humanHandling: economics.humanHandling, resolved: Int64(a.resolvedTickets))
            : nil
        if let perAI = economics.aiLayerPerAIResolution {
            r.aiLayer = Comparison.make(ComparisonSubject(label: "This month: AI layer per AI resolution", domain: domain, value: perAI,
                                                          basis: .per_resolved, scale: nil, scope: .ai_layer), data: data, rule: r.rule, show: show)
        }
        if let cpr = a.costPerResolved {
            var c = Comparison.make(ComparisonSubject(label: "This month: all-in per resolved ticket", domain: domain, value: cpr, basis: .per_resolved,
                                                      scale: r.actualBasis, costs: a.costByCategory, buy: buy), data: data, rule: r.rule, show: show)
            c.drivers = FlagDrivers.of(a.costByCategory, stack: data.stack, resolved: a.resolvedTickets)
            r.actual = c
        }
        if let byService = a.table(.service_type) {
            // Each service type the reference table knows, per ticket handled (the table's unit,
            // escalations included), against its own line only.
            for row in byService.rows {
                guard case .value(let name) = row.group, data.serviceType(name) != nil, let tickets = row.tickets, tickets > 0,
                      let perHandled = row.cost.quotient(per: tickets) else { continue }
                let subject = ComparisonSubject(label: "This month: \(r.serviceTypeLabels[name] ?? name)", domain: domain, serviceType: name, value: perHandled,
                                                basis: .per_handled, scale: nil)
                r.serviceTypes.append(Comparison.make(subject, data: data, rule: r.rule, show: show))
            }
        }
        var runRateIndex: [Int64: Int] = [:]
        // Our own actual per ticket handled of each service type, for the service-type plan lines.
        var perHandled: [String: Quotient] = [:]
        if let byService = a.table(.service_type) {
            for row in byService.rows {
                guard case .value(let name) = row.group, let tickets = row.tickets, tickets > 0, let q = row.cost.quotient(per: tickets) else { continue }
                perHandled[name] = q
            }
        }
        let allowed = a.config.planChangeAllowed
        func reality(_ p: ForecastPlan) -> PlanReality {
            var ours: Quotient?, label: String
            if p.domain != domain {
                label = "no actual of ours in this unit (\(p.domain.rawValue))"
            } else if p.serviceType.isEmpty {
                ours = a.costPerResolved
                label = "this month's all-in per resolved ticket"
            } else {
                ours = perHandled[p.serviceType]
                let name = r.serviceTypeLabels[p.serviceType] ?? p.serviceType
                label = ours == nil ? "no ticket of \(name) this month" : "this month's \(name) per ticket handled"
            }
            let change = ours.flatMap { o in o > Quotient(0) ? p.allIn.divided(by: o)?.minus(Quotient(1)) : nil }
            let size = change.map { $0 < Quotient(0) ? Quotient(0).minus($0) : $0 }
            return PlanReality(ours: ours, oursLabel: label, change: change,
                               unexplained: (size.map { $0 > allowed } ?? false) && !p.hasDriver, allowed: allowed)
        }
        for p in forecast {
            let label = "Plan \(p.month)" + (p.serviceType.isEmpty ? "" : ": \(r.serviceTypeLabels[p.serviceType] ?? p.serviceType)")
            let basis: FigureBasis = p.domain == .support ? (p.serviceType.isEmpty ? .per_resolved : .per_handled) : .per_task
            // A whole-mix plan of the month's domain meets a vendor price as build or buy at this
            // month's AI resolutions and human handling per resolved ticket.
            var planBuy = buy
            planBuy?.source = "this month's, per resolved ticket"
            // The line's figure includes its own fixed cost when it states one (fixed ÷ its volume).
            r.plans.append((p, Comparison.make(ComparisonSubject(label: label, domain: p.domain, serviceType: p.serviceType,
                                                                 value: p.allIn, basis: basis, scale: scale(p.volume),
                                                                 buy: p.domain == domain && p.serviceType.isEmpty ? planBuy : nil),
                                               data: data, rule: r.rule, show: show), reality(p)))
            // Our own run rate at the planned volume V: this month's variable cost per resolved
            // ticket + this month's fixed cost ÷ V; only for the month's own domain and the whole
            // service mix, once per volume.
            if let rate = a.runRate(at: p.volume), p.domain == domain, p.serviceType.isEmpty {
                if let i = runRateIndex[p.volume] {
                    r.runRates[i].months.append(p.month)
                } else {
                    var planBuy = buy
                    planBuy?.source = "this month's, per resolved ticket"
                    var c = Comparison.make(ComparisonSubject(label: "Run rate at \(Show.count(p.volume)) a month", domain: domain, value: rate,
                                                              basis: .per_resolved, scale: scale(p.volume), costs: a.costByCategory, buy: planBuy),
                                            data: data, rule: r.rule, show: show)
                    c.drivers = FlagDrivers.of(a.costByCategory, stack: data.stack, resolved: a.resolvedTickets)
                    runRateIndex[p.volume] = r.runRates.count
                    r.runRates.append((p.volume, [p.month], rate.times(Quotient(numerator: Int128(p.volume), denominator: 1)), c))
                }
            }
        }
        return r
    }
}

extension MonthAccountEntries {
    /// This month's fixed bills (fixed_costs.csv and the FOCUS lines that replace them).
    package var fixedThisMonth: Money { Money(nanos: fixedCosts.filter { $0.month == month && $0.isFixed }.reduce(0) { $0 &+ $1.amount.nanos }) }

    /// Our own run rate at `volume` resolved tickets a month: this month's variable cost per
    /// resolved ticket + this month's fixed cost ÷ volume. Nil with no resolved ticket or volume.
    package func runRate(at volume: Int64) -> Quotient? {
        guard resolvedTickets > 0, volume > 0 else { return nil }
        let fixed = fixedThisMonth
        let variable = Money(nanos: total.nanos &- fixed.nanos)
        guard let perResolved = variable.quotient(per: resolvedTickets) else { return nil }
        return perResolved.plus(Quotient(numerator: Int128(fixed.nanos), denominator: Int128(Money.scale) * Int128(volume)))
    }

    /// Counts forecast.csv in the data-quality figures: its rejected rows join the month's.
    package mutating func add(_ f: ForecastFile, file: String) {
        files.append(FileQuality(file: file, reader: "forecast (\(f.format.rawValue))", rowsRead: f.rowsRead, rejected: f.rejects.count, outsideMonth: 0))
        rejects.append(contentsOf: f.rejects)
        noteUnusedColumns(f.unknownColumns, of: file)
    }
}
