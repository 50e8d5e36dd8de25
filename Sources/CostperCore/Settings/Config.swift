// costper.toml: the company's settings. Every key is optional; defaults are stated in the report.
import CostperMoney
import CostperIngest
import CostperVocabulary
import TOMLKit

/// The human cost per resolved ticket, given directly or derived from labor figures.
package struct BaselineSettings: Equatable, Sendable, Codable {
    package var costPerResolved: Money?
    package var loadedAnnual: Money?
    package var ahtMinutes: Quotient?
    package var hours: Quotient
    package var repeatContactFactor: Quotient
    package var overheadShare: Quotient
    /// The representative mid-market figure used when costper.toml sets none (seed 000), in the
    /// report's currency.
    package var defaultCostPerResolved = Money(dollars: 8)

    /// The baseline used by the report, with a sentence saying where it comes from.
    package func resolved(_ show: AmountFormat) -> (cost: Quotient, source: String) {
        if let c = costPerResolved { return (c.dollars, "set in costper.toml ([baseline] cost_per_resolved_usd)") }
        if let annual = loadedAnnual, let aht = ahtMinutes {
            let b = HumanBaseline(loadedAnnual: annual.dollars, productiveHours: hours, ahtMinutes: aht,
                                  repeatContactFactor: repeatContactFactor, overheadShare: overheadShare)
            return (b.costPerResolved, "derived from [baseline] loaded_annual_usd, aht_minutes, repeat_contact_factor and overhead_share")
        }
        let converted = defaultCostPerResolved == Money(dollars: 8) ? "" : " (\(show.unit(defaultCostPerResolved.dollars)) at the month's rate)"
        return (defaultCostPerResolved.dollars, "the representative mid-market figure of $8.00 (seed 000)\(converted), as costper.toml sets none")
    }
}

package struct AlertSettings: Equatable, Sendable, Codable {
    /// Prompt-version drift: alert when cost or tokens per request rise more than this share.
    package var promptDriftShare = Quotient(numerator: 20, denominator: 100)
    /// Tenant concentration: alert when the largest tenant's share of cost is above this.
    package var tenantConcentrationShare = Quotient(numerator: 25, denominator: 100)
    /// Budget warning level (share of the budget spent).
    package var budgetWarningShare = Quotient(numerator: 80, denominator: 100)
    /// Bursts: an hour with more than this many times the median hour's requests...
    package var burstFactor = Quotient(3)
    /// ...while fewer than this share of its requests succeed.
    package var burstSuccessShare = Quotient(numerator: 90, denominator: 100)
    /// How many outlier tickets above p99 the report lists.
    package var outlierCount = 10
    /// Long tail: alert when the tickets above p99 take more than this share of variable cost.
    package var outlierShare = Quotient(numerator: 10, denominator: 100)
    /// Materiality: an alert whose dollar impact for the month is below this is listed as below
    /// materiality ([alerts] min_impact_usd; nil: 0.5% of the month's all-in cost).
    package var minImpact: Money?
    package static let defaultMaterialShare = Quotient(numerator: 5, denominator: 1000)
    package init() {}
}

package struct CostperConfig: Equatable, Sendable, Codable {
    package var company = "Your company"
    package var currency = "USD"
    package var resolvedOutcomes: [Outcome] = [.auto_resolved]
    package var flagRatio = Quotient(2)
    /// What a line is compared with for a flag: the median of its comparables, every one, or any one.
    package var flagBasis = FlagBasis.median
    /// ACUs one completed task takes, to compare a per-ACU price (Devin) with a cost per task.
    package var acusPerTask = Quotient(1)
    package var reviewerLoadedAnnual = Money(dollars: 60_000)
    package var productiveHoursPerYear = Quotient(1800)
    package var baseline = BaselineSettings(costPerResolved: nil, loadedAnnual: nil, ahtMinutes: nil, hours: Quotient(1800),
                                           repeatContactFactor: Quotient(1), overheadShare: Quotient(0))
    /// The monthly fixed cost used to scale comparables when the month has no fixed costs.
    package var defaultFixedMonthly = Money(dollars: 2_500)
    package var budgets: [TenantBudget] = []
    package var alerts = AlertSettings()
    /// How many rows an attribution table shows in the report before "all others".
    package var topN = 10
    /// The paper the printed report (report.pdf, the browser's print) is laid out for ([report] paper).
    package var paper = Paper.a4
    /// Who prepared and reviewed the pack, and whether it is a draft ([report]; nil when unsaid).
    package var signOff: SignOff?
    /// The change from our own actual a plan line may make without naming a driver
    /// ([forecast] max_change_without_driver; nil: the default, 25%).
    package var planChangeWithoutDriver: Quotient?
    package static let defaultPlanChange = Quotient(numerator: 25, denominator: 100)
    package var planChangeAllowed: Quotient { planChangeWithoutDriver ?? CostperConfig.defaultPlanChange }
    /// The keys the file gives ("flag_ratio", "labor.reviewer_loaded_annual_usd"), sorted: where
    /// each assumption of the report was set. nil for settings not read from a file.
    package var givenKeys: [String]?

    /// Whether costper.toml gives `key` (or, for a section name, any key of it).
    package func gives(_ key: String) -> Bool {
        givenKeys?.contains { $0 == key || $0.hasPrefix(key + ".") } ?? false
    }
    /// Keys present in the file that costper does not know (listed once as a notice).
    package var unknownKeys: [String] = []
    /// Where foreign exports keep costper's fields ([otlp], [litellm], [langfuse], [tickets]).
    package var exports = ExportSettings()
    /// Where a warehouse keeps the requests and tickets, for `costper sql` ([warehouse]).
    package var warehouse = WarehouseSettings()
    /// Escalations avoided, pricing, business type and go-live ([outcomes], [pricing]).
    package var outcomes = OutcomeSettings()
    /// FOCUS billing rules, invoice reconciliation and exchange rates ([focus], [reconcile], [fx]).
    package var bills = BillSettings()
    /// When a run may replace a month already published ([publish]; Accounts/PublicationGate.swift).
    package var publish = PublishSettings()
    /// Routing scenarios ([[scenarios.route]]; Accounts/ModelLever.swift); nil when none is set.
    package var routes: [RouteScenario]?

    package init() {}

    package static func == (a: CostperConfig, b: CostperConfig) -> Bool {
        a.company == b.company && a.currency == b.currency && a.resolvedOutcomes == b.resolvedOutcomes
            && a.flagRatio == b.flagRatio && a.flagBasis == b.flagBasis && a.acusPerTask == b.acusPerTask && a.reviewerLoadedAnnual == b.reviewerLoadedAnnual
            && a.productiveHoursPerYear == b.productiveHoursPerYear && a.baseline == b.baseline
            && a.defaultFixedMonthly == b.defaultFixedMonthly && a.alerts == b.alerts && a.topN == b.topN && a.paper == b.paper && a.signOff == b.signOff
            && a.planChangeWithoutDriver == b.planChangeWithoutDriver
            && a.budgets.map(\.tenant) == b.budgets.map(\.tenant) && a.budgets.map(\.amount) == b.budgets.map(\.amount)
            && a.exports == b.exports && a.warehouse == b.warehouse && a.outcomes == b.outcomes && a.bills == b.bills
            && a.publish == b.publish && a.routes == b.routes
    }

    /// The loaded cost of one minute of human review, exact.
    package var reviewCostPerMinute: Quotient {
        reviewerLoadedAnnual.dollars.divided(by: productiveHoursPerYear.times(Quotient(60))) ?? Quotient(0)
    }

    /// Parses costper.toml text. `file` names it in messages.
    package static func parse(_ text: String, file: String = "costper.toml") throws(ConfigError) -> CostperConfig {
        // TOMLKit reads a C string: a NUL would end the file there, silently.
        if let nul = text.utf8.firstIndex(of: 0) {
            let line = text.utf8[..<nul].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw ConfigError(file: file, line: line, key: "", reason: "a NUL byte: settings and templates are text")
        }
        if let line = CostperConfig.lineOfBadTableHeader(text) {
            throw ConfigError(file: file, line: line, key: "", reason: "a table header must start with a name: a letter, digit, _ or -, or a quoted name (e.g. [budgets])")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, key: "", reason: e.description)
        } catch {
            throw ConfigError(file: file, line: nil, key: "", reason: "is not valid TOML")
        }
        var c = CostperConfig()
        c.givenKeys = table.keys.sorted().flatMap { k -> [String] in
            guard let t = table[k]?.table else { return [k] }
            return t.keys.sorted().map { k + "." + $0 }
        }
        let reader = TOMLReader(file: file)
        let known = Set(["company", "currency", "resolved_outcomes", "flag_ratio", "flag_basis", "labor", "baseline", "budgets",
                         "comparables", "alerts", "report", "warehouse", "publish", "forecast", "scenarios"] + ExportSettings.tableNames + OutcomeSettings.keys + BillSettings.tableNames)
        for key in table.keys.sorted() where !known.contains(key) { c.unknownKeys.append(key) }

        if let v = table["company"] {
            // The documented limit: a longer name is cut with "…" everywhere it appears (a 10 MB
            // value once made a 21 MB site index).
            let name = try reader.string(v, "company")
            c.company = name.count > InputLimits.maxTextBytes ? String(name.prefix(InputLimits.maxTextBytes)) + "…" : name
        }
        if let v = table["currency"] {
            c.currency = try reader.string(v, "currency")
            guard Currency.isCode(c.currency) else {
                throw ConfigError(file: file, line: nil, key: "currency", reason: "\(Scalars.quoteForMessage(c.currency)) is not an ISO 4217 currency code (USD, EUR, GBP, SEK, ...)")
            }
        }
        if let v = table["resolved_outcomes"] {
            guard let arr = v.array else { throw ConfigError(file: file, line: nil, key: "resolved_outcomes", reason: "must be a list of outcomes") }
            var outs: [Outcome] = []
            for item in arr {
                let s = try reader.string(item, "resolved_outcomes")
                guard let o = Outcome.named(s) else {
                    throw ConfigError(file: file, line: nil, key: "resolved_outcomes",
                                      reason: "\(Scalars.quoteForMessage(s)) is not an outcome (\(Outcome.recordedList))")
                }
                if !outs.contains(o) { outs.append(o) }
            }
            guard !outs.isEmpty else { throw ConfigError(file: file, line: nil, key: "resolved_outcomes", reason: "must name at least one outcome") }
            c.resolvedOutcomes = Outcome.allCases.filter(outs.contains)
        }
        if let v = table["flag_ratio"] {
            c.flagRatio = try reader.quotient(v, "flag_ratio")
            guard c.flagRatio > Quotient(0) else { throw ConfigError(file: file, line: nil, key: "flag_ratio", reason: "must be above 0") }
        }
        if let v = table["flag_basis"] {
            let text = try reader.string(v, "flag_basis")
            guard let b = FlagBasis(rawValue: text) else {
                throw ConfigError(file: file, line: nil, key: "flag_basis", reason: "\(Scalars.quoteForMessage(text)) is not a flag basis (\(FlagBasis.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            c.flagBasis = b
        }
        if let t = table["labor"] {
            let labor = try reader.table(t, "labor")
            if let v = labor["reviewer_loaded_annual_usd"] { c.reviewerLoadedAnnual = try reader.money(v, "labor.reviewer_loaded_annual_usd") }
            if let v = labor["productive_hours_per_year"] {
                c.productiveHoursPerYear = try reader.quotient(v, "labor.productive_hours_per_year")
                guard c.productiveHoursPerYear > Quotient(0) else {
                    throw ConfigError(file: file, line: nil, key: "labor.productive_hours_per_year", reason: "must be above 0")
                }
            }
        }
        if let t = table["baseline"] {
            let b = try reader.table(t, "baseline")
            if let v = b["cost_per_resolved_usd"] { c.baseline.costPerResolved = try reader.money(v, "baseline.cost_per_resolved_usd") }
            if let v = b["loaded_annual_usd"] { c.baseline.loadedAnnual = try reader.money(v, "baseline.loaded_annual_usd") }
            if let v = b["aht_minutes"] { c.baseline.ahtMinutes = try reader.positive(v, "baseline.aht_minutes") }
            if let v = b["productive_hours_per_year"] { c.baseline.hours = try reader.positive(v, "baseline.productive_hours_per_year") }
            else { c.baseline.hours = c.productiveHoursPerYear }
            if let v = b["repeat_contact_factor"] { c.baseline.repeatContactFactor = try reader.positive(v, "baseline.repeat_contact_factor") }
            if let v = b["overhead_share"] { c.baseline.overheadShare = try reader.quotient(v, "baseline.overhead_share") }
        }
        // The figures derived from the settings must be amounts costper can hold: a setting that
        // makes them overflow is refused here, with its key, rather than trapping later.
        let derived = c.baseline.resolved(.usd).cost
        if derived.isSaturated || derived.asMoney == nil {
            throw ConfigError(file: file, line: nil, key: "baseline", reason: "the cost per resolved ticket these values give is outside costper's money range (about $9.2 billion)")
        }
        let rate = c.reviewCostPerMinute
        if rate.isSaturated || rate.asMoney == nil {
            throw ConfigError(file: file, line: nil, key: "labor", reason: "the review cost per minute these values give (reviewer_loaded_annual_usd / productive_hours_per_year / 60) is outside costper's money range (about $9.2 billion)")
        }
        if let t = table["comparables"] {
            let cmp = try reader.table(t, "comparables")
            if let v = cmp["default_fixed_monthly_usd"] { c.defaultFixedMonthly = try reader.money(v, "comparables.default_fixed_monthly_usd") }
            if let v = cmp["acus_per_task"] { c.acusPerTask = try reader.positive(v, "comparables.acus_per_task") }
        }
        if let t = table["forecast"] {
            let f = try reader.table(t, "forecast")
            if let v = f["max_change_without_driver"] { c.planChangeWithoutDriver = try reader.quotient(v, "forecast.max_change_without_driver") }
        }
        if let t = table["report"] {
            let r = try reader.table(t, "report")
            if let v = r["top_n"] {
                guard let n = v.int, n >= 1, n <= 1000 else { throw ConfigError(file: file, line: nil, key: "report.top_n", reason: "must be a whole number from 1 to 1000") }
                c.topN = n
            }
            if let v = r["paper"] {
                let name = try reader.string(v, "report.paper")
                guard let paper = Paper(name) else {
                    throw ConfigError(file: file, line: nil, key: "report.paper", reason: "must be \"A4\" or \"Letter\" (it is \"\(Scalars.visible(name))\")")
                }
                c.paper = paper
            }
            c.signOff = try SignOff.read(r, reader: reader)
        }
        if let t = table["alerts"] {
            let a = try reader.table(t, "alerts")
            if let v = a["prompt_drift_share"] { c.alerts.promptDriftShare = try reader.quotient(v, "alerts.prompt_drift_share") }
            if let v = a["tenant_concentration_share"] { c.alerts.tenantConcentrationShare = try reader.quotient(v, "alerts.tenant_concentration_share") }
            if let v = a["budget_warning_share"] { c.alerts.budgetWarningShare = try reader.quotient(v, "alerts.budget_warning_share") }
            if let v = a["burst_factor"] { c.alerts.burstFactor = try reader.positive(v, "alerts.burst_factor") }
            if let v = a["burst_success_share"] { c.alerts.burstSuccessShare = try reader.quotient(v, "alerts.burst_success_share") }
            if let v = a["outlier_share"] { c.alerts.outlierShare = try reader.quotient(v, "alerts.outlier_share") }
            if let v = a["min_impact_usd"] { c.alerts.minImpact = try reader.money(v, "alerts.min_impact_usd") }
            if let v = a["outlier_count"] {
                guard let n = v.int, n >= 0, n <= 1000 else { throw ConfigError(file: file, line: nil, key: "alerts.outlier_count", reason: "must be a whole number from 0 to 1000") }
                c.alerts.outlierCount = n
            }
        }
        let warehouse = try WarehouseSettings.parse(table["warehouse"], reader: reader)
        c.warehouse = warehouse.0
        c.unknownKeys += warehouse.unknown
        c.outcomes = try OutcomeSettings.parse(table, reader: reader)
        c.publish = try PublishSettings.parse(table["publish"], reader: reader)
        let scenarios = try RouteScenario.parse(table["scenarios"], reader: reader)
        c.routes = scenarios.routes
        c.unknownKeys += scenarios.unknown
        let bills = try BillSettings.parse(table, reader: reader)
        c.bills = bills.0
        c.unknownKeys += bills.unknown
        let exports = try ExportSettings.parse(table, reader: reader)
        c.exports = exports.0
        c.unknownKeys += exports.unknown
        if let t = table["budgets"] {
            let b = try reader.table(t, "budgets")
            for key in b.keys.sorted() {
                c.budgets.append(TenantBudget(tenant: key, amount: try reader.money(b[key]!, "budgets.\(key)")))
            }
        }
        // The sections whose every key is read here: a key they do not have is unknown too.
        for (section, keys) in CostperConfig.sectionKeys {
            guard let t = table[section]?.table else { continue }
            for key in t.keys.sorted() where !keys.contains(key) { c.unknownKeys.append("\(section).\(key)") }
        }
        // A closed set of keys: a misspelled one would be ignored and change the month in silence
        // (a rule without its condition matches every row), so it stops the run.
        if let first = c.unknownKeys.first {
            throw ConfigError(file: file, line: nil, key: first, reason: CostperConfig.unknownKeyReason(first))
        }
        return c
    }

    /// The keys of the sections Config.parse reads whole (others check their own keys).
    static let sectionKeys: [(String, [String])] = [
        ("labor", ["reviewer_loaded_annual_usd", "productive_hours_per_year"]),
        ("baseline", ["cost_per_resolved_usd", "loaded_annual_usd", "aht_minutes", "productive_hours_per_year", "repeat_contact_factor", "overhead_share"]),
        ("comparables", ["default_fixed_monthly_usd", "acus_per_task"]),
        ("report", ["top_n", "paper", "prepared_by", "reviewed_by", "status"]),
        ("forecast", ["max_change_without_driver"]),
        ("publish", PublishSettings.keys),
        ("alerts", ["prompt_drift_share", "tenant_concentration_share", "budget_warning_share", "burst_factor", "burst_success_share",
                    "outlier_share", "outlier_count", "week_above_month_share", "margin_floor_share", "min_impact_usd"]),
    ]

    /// Every key name costper.toml has somewhere, for "did you mean".
    static let keyNames: [String] = {
        var names = ["company", "currency", "resolved_outcomes", "flag_ratio", "flag_basis", "labor", "baseline", "budgets", "comparables",
                     "alerts", "report", "warehouse", "basis", "rules", "unmatched", "fixed_costs", "keep_tag", "keep_sub_account",
                     "allow_net_credits", "service_name", "service_category", "resource_id", "sub_account", "provider", "tag", "name",
                     "share", "category", "tolerance", "allocate_gap", "providers", "match_all", "escalation_avoided",
                     "per_resolved_usd", "subscriptions", "replaces", "payroll_usd", "scenarios"] + RouteScenario.tableKeys + RouteScenario.routeKeys
        names += ExportSettings.tableNames + OutcomeSettings.keys + BillSettings.tableNames + WarehouseSettings.keyNames + ExportSettings.keyNames
        for (section, keys) in sectionKeys { names += [section] + keys }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }()

    /// "is not a key costper knows (did you mean \"service_name\"?)": the nearest known name
    /// within two edits of the last part of the key, when there is one.
    static func unknownKeyReason(_ path: String) -> String {
        let last = String(path.split(separator: ".").last ?? Substring(path))
        let base = "is not a key costper knows; a key costper does not know is refused, not ignored"
        let typed = last.lowercased()
        var best: (name: String, distance: Int)?
        let allowed = min(2, max(1, typed.count / 3))   // "foo" is not a misspelled "fx"
        for name in keyNames where name != last {
            let d = editDistance(typed, name)
            guard d <= allowed else { continue }
            if let b = best, b.distance < d || (b.distance == d && b.name <= name) { continue }
            best = (name, d)
        }
        guard let best else { return base }
        return base + " (did you mean \"\(best.name)\"?)"
    }

    /// The edit distance of two names, capped at 3 when their lengths differ by more than two (a
    /// "did you mean" within two edits needs no more).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if abs(x.count - y.count) > 2 { return 3 }
        return levenshtein(x, y)
    }

    /// The edit distance (insertions, deletions, substitutions) of two byte strings.
    static func levenshtein(_ x: [UInt8], _ y: [UInt8]) -> Int {
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var prev = Array(0...y.count), cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count { cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)) }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}

extension CostperConfig {
    /// The line of a table header (`[…]` or `[[…]]` at the start of a line, outside strings and
    /// values) whose first key starts with a character a TOML key cannot start with. toml++ (inside
    /// TOMLKit) asserts on it (`[\`a]` aborted costper, exit 134, found by the fuzzer) instead of
    /// reporting an error, so it is refused here first.
    static func lineOfBadTableHeader(_ text: String) -> Int? {
        let b = Array(text.utf8)
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0, line = 1, depth = 0   // toml++ skips a BOM too
        var atLineStart = true
        func isBare(_ c: UInt8) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
        func skipBlanks(_ p: inout Int) { while p < b.count && (b[p] == 0x20 || b[p] == 0x09) { p += 1 } }
        while i < b.count {
            let c = b[i]
            if c == 0x0A { line += 1; atLineStart = true; i += 1; continue }
            if c == 0x20 || c == 0x09 || c == 0x0D { i += 1; continue }
            if c == UInt8(ascii: "#") { while i < b.count && b[i] != 0x0A { i += 1 }; continue }
            if atLineStart && depth == 0 && c == UInt8(ascii: "[") {
                var p = i + 1
                if p < b.count && b[p] == UInt8(ascii: "[") { p += 1 }
                skipBlanks(&p)
                if p < b.count, !(isBare(b[p]) || b[p] == UInt8(ascii: "\"") || b[p] == UInt8(ascii: "'")) { return line }
                // The header itself: skip to its end (quoted names may hold "]").
                atLineStart = false
                i = p
                while i < b.count && b[i] != 0x0A {
                    if b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") {
                        let q = b[i]; i += 1
                        while i < b.count && b[i] != q && b[i] != 0x0A { if q == UInt8(ascii: "\"") && b[i] == UInt8(ascii: "\\") { i += 1 }; i += 1 }
                    }
                    if i < b.count && b[i] == UInt8(ascii: "#") { break }
                    i += 1
                }
                continue
            }
            atLineStart = false
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                // A string, multi-line when tripled: skip it, counting its lines.
                let triple = i + 2 < b.count && b[i + 1] == c && b[i + 2] == c
                i += triple ? 3 : 1
                while i < b.count {
                    if c == UInt8(ascii: "\"") && b[i] == UInt8(ascii: "\\") { i += 2; continue }
                    if b[i] == 0x0A { if !triple { break }; line += 1 }
                    if b[i] == c && (!triple || (i + 2 < b.count && b[i + 1] == c && b[i + 2] == c)) { i += triple ? 3 : 1; break }
                    i += 1
                }
                continue
            }
            if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { depth += 1 }
            if (c == UInt8(ascii: "]") || c == UInt8(ascii: "}")) && depth > 0 { depth -= 1 }
            i += 1
        }
        return nil
    }
}

/// A sheet of paper the report is printed on: the CSS `@page` size and what it measures.
package enum Paper: String, Sendable, Equatable, CaseIterable, Codable, CodingKeyRepresentable {
    case a4 = "A4"
    case letter = "Letter"

    /// "A4" or "Letter", as costper.toml writes them (any case).
    package init?(_ name: String) {
        guard let p = Paper.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
        self = p
    }

    /// The CSS page size keyword.
    package var css: String { self == .a4 ? "A4" : "letter" }
}
