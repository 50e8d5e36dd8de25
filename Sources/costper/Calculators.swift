// The calculators: compare, estimate, roi, baseline, benchmarks. Each prints an aligned table
// a person reads at a glance, or JSON with --json.
import CostperMoney
import CostperIngest
import CostperVocabulary
import ArgumentParser
import CostperCore
import CostperIO
import CostperSite
import Foundation
import TextTable

/// A non-negative decimal argument read strictly (no `12abc`, `1,5`, NaN), kept exact.
struct Amount: ExpressibleByArgument, Sendable {
    var value: Quotient
    var money: Money
    var text: String

    init?(argument: String) {
        guard case .success(let r) = Scalars.parseDecimal(argument) else { return nil }
        money = Money(nanos: r.value)
        value = money.dollars
        text = argument
    }

    /// Help prints a default as the number it is ("default: 2").
    var defaultValueDescription: String { text }

    static var defaultCompletionKind: CompletionKind { .default }
}

struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

func printJSON(_ v: JSONValue) { print(v.text) }

/// A usage error when a calculator's figure is outside costper's money range (never a trap, never
/// a wrapped or saturated figure on screen).
func inMoneyRange(_ figures: [Quotient], _ what: String) throws(CostperError) {
    for q in figures where q.isSaturated || q.asMoney == nil {
        throw CostperError(.usage, "\(what) give an amount outside costper's money range (about $9.2 billion)")
    }
}

/// One row per item, columns aligned (numbers right-aligned).
func printTable(_ header: [(String, Alignment)], _ rows: [[String]]) {
    let table = TextTable<[String]> { row in
        header.enumerated().map { i, h in Column(title: h.0, value: row[i], align: h.1) }
    }
    print(table.string(for: rows) ?? "", terminator: "")
}

struct DataOption: ParsableArguments {
    @Option(name: .long, help: "The folder holding benchmarks/ (comparables, reference ranges, models.csv); default: the project's data folder.")
    var data: String?

    func benchmarks() throws(CostperError) -> BenchmarkData {
        try ProjectFiles.benchmarks(dataFolder: data)
    }
}

struct Compare: CostperCommand {
    static let configuration = CommandConfiguration(abstract: "One cost per outcome against the published figures of its domain, like for like, with the report's flag rule.")

    @Option(name: .long, parsing: .unconditional, help: "Your cost per outcome in USD, e.g. 0.85.")
    var costPerOutcome: Amount
    @Option(name: .long, help: "The domain: support, coding, or any domain of the benchmark register.")
    var domain: String = "support"
    @Option(name: .long, help: "What your figure is counted per: per_resolved, per_handled or per_task (default: per_resolved in support, per_task elsewhere).")
    var per: String?
    @Option(name: .long, help: "A service type of the reference table (password_reset, general_question, billing, complaint): your cost per ticket handled of that type, against its line only.")
    var serviceType: String?
    @Option(name: .long, parsing: .unconditional, help: "Your outcomes a month (enables the scale adjustment).")
    var volume: Int64?
    @Option(name: .long, parsing: .unconditional, help: "Your fixed monthly cost in USD for the scale adjustment (default 2500, as costper.toml).")
    var fixedMonthly: Amount?
    @Option(name: .long, help: "Flag above this ratio.")
    var flagRatio: Amount = Amount(argument: "2")!
    @Option(name: .long, help: "Compare with the median of the comparables, every one, or any one.")
    var flagBasis: String = "median"
    @Option(name: .long, help: "ACUs one task takes, for a per-ACU price in the coding domain.")
    var acusPerTask: Amount = Amount(argument: "1")!
    @Option(name: .long, help: "What your figure covers: all_in (every cost) or ai_layer (everything but the human handling of escalated tickets, per AI resolution; meets vendor prices per AI resolution).")
    var scope: String = "all_in"
    @OptionGroup var dataOption: DataOption
    @OptionGroup var output: JSONFlag

    func check() throws(CostperError) {
        guard Domain.parse(domain) != nil else { throw CostperError(.usage, "--domain must be a domain name such as support or coding") }
        if let per, FigureBasis(rawValue: per) == nil || ![FigureBasis.per_resolved, .per_handled, .per_task].contains(FigureBasis(rawValue: per)!) {
            throw CostperError(.usage, "--per must be per_resolved, per_handled or per_task")
        }
        guard FlagBasis(rawValue: flagBasis) != nil else { throw CostperError(.usage, "--flag-basis must be median, every or any") }
        guard SubjectScope(rawValue: scope) != nil else { throw CostperError(.usage, "--scope must be all_in or ai_layer") }
        if let v = volume, v <= 0 { throw CostperError(.usage, "--volume must be a positive number of outcomes a month") }
        if fixedMonthly != nil && volume == nil { throw CostperError(.usage, "--fixed-monthly needs --volume (fixed cost is spread over the volume)") }
        if flagRatio.value <= Quotient(0) { throw CostperError(.usage, "--flag-ratio must be above 0") }
        if acusPerTask.value <= Quotient(0) { throw CostperError(.usage, "--acus-per-task must be above 0") }
    }

    func execute() throws(CostperError) {
        let show = AmountFormat.usd   // the calculators take and print US dollars, as published
        let data = try dataOption.benchmarks()
        let d = Domain.parse(domain)!
        let known = Set(data.comparables.map(\.domain) + [.support])
        guard known.contains(d) else {
            throw CostperError(.usage, "--domain \(domain) has no published figure in the register (\(known.sorted().map(\.rawValue).joined(separator: ", ")))")
        }
        if let st = serviceType, data.serviceType(st) == nil {
            throw CostperError(.usage, "--service-type \(st) is not in the reference table (\(data.serviceTypes.map(\.serviceType).joined(separator: ", ")))")
        }
        let fixed = fixedMonthly?.money ?? CostperConfig().defaultFixedMonthly
        let scale = volume.map { ScaleBasis(volume: $0, fixedMonthly: fixed, fixedSource: fixedMonthly == nil ? "assumed: costper default" : "--fixed-monthly",
                                            assumed: fixedMonthly == nil) }
        let basis = per.flatMap(FigureBasis.init(rawValue:)) ?? (serviceType != nil ? .per_handled : d == .support ? .per_resolved : .per_task)
        let rule = ComparisonRule(threshold: flagRatio.value, basis: FlagBasis(rawValue: flagBasis)!, acusPerTask: acusPerTask.value)
        let c = Comparison.make(ComparisonSubject(label: "compare", domain: d, serviceType: serviceType ?? "", value: costPerOutcome.value,
                                                  basis: basis, scale: scale, scope: SubjectScope(rawValue: scope)!), data: data, rule: rule, show: show)
        if output.json {
            let checks: [JSONValue] = c.checks.map { k in
                .object([("name", .string(k.comparable.name)), ("domain", .string(k.comparable.domain.rawValue)), ("basis", .string(k.comparable.basis.rawValue)),
                         ("published", .string(k.comparable.publishedText(show))), ("adjusted_usd", .money(k.adjusted)),
                         ("adjustment", .string(k.adjustment.sentence)), ("ratio", .money(k.ratio)), ("exceeded", .bool(k.exceeds)),
                         ("source", .string(k.comparable.citation.text))])
            }
            printJSON(.object([
                ("cost_per_outcome_usd", .money(costPerOutcome.value)), ("domain", .string(domain)), ("basis", .string(basis.rawValue)),
                ("volume", volume.map { .number(String($0)) } ?? .null), ("fixed_monthly_usd", scale == nil ? .null : .money(fixed)),
                ("rule", .string(rule.basis.rawValue)), ("threshold", .money(flagRatio.value)), ("rule_figure_usd", .money(c.ruleFigure)),
                ("ratio", .money(c.ratio)), ("state", .string(c.state.label)),
                ("comparables", .array(checks)),
                ("not_compared", .array(c.otherUnits.map { .string("\($0.name): counted \($0.basis.label)") }
                    + c.otherScopes.map { .string("\($0.name): \($0.scope.label), not your \(scope) figure") })),
                ("illustrative", .array(c.illustrative.map { k in
                    .object([("name", .string(k.comparable.name)), ("adjusted_usd", .money(k.adjusted)), ("ratio", .money(k.ratio)),
                             ("source", .string(k.comparable.citation.text))]) })),
            ]))
            return
        }
        print("\(show.unit(costPerOutcome.value)) \(basis.label) (\(domain)) against \(c.checks.count) published figures counted the same way"
              + (scale.map { " at \(Show.count($0.volume)) outcomes and \(show.amount($0.fixedMonthly)) fixed a month" + ($0.assumed ? " (assumed)" : "") } ?? " (no --volume: no scale adjustment)"))
        print(rule.basis.sentence(rule.threshold))
        printTable([("published figure", .left), ("published", .right), ("compared with", .right), ("ratio", .right), ("exceeded", .left), ("adjustment", .left)],
                   c.checks.map { [$0.comparable.name, $0.comparable.publishedText(show), show.unit($0.adjusted), Show.ratio($0.ratio, threshold: rule.threshold),
                                   $0.exceeds ? "yes" : "", $0.adjustment.sentence] }
                   + c.illustrative.map { [$0.comparable.name, $0.comparable.publishedText(show), show.unit($0.adjusted), Show.ratio($0.ratio, threshold: rule.threshold),
                                           "context only", "an illustrative figure: shown, never a flag"] })
        for o in c.otherUnits { print("\(o.name): not compared (counted \(o.basis.label), not \(basis.label))") }
        for o in c.otherScopes { print("\(o.name): not compared (\(o.scope.label), not your \(scope) figure)") }
        switch c.state {
        case .notChecked: print("Not checked: no published figure of this domain is counted \(basis.label).")
        case .contextOnly: print("Not checked: the figures counted \(basis.label) in this domain are illustrative scenarios (shown above, never a flag).")
        case .flagged: print("FLAG: \(Show.ratio(c.ratio, threshold: rule.threshold)) the \(rule.basis.rawValue) figure (\(show.unit(c.ruleFigure))).")
        case .within: print("Within: \(Show.ratio(c.ratio, threshold: rule.threshold)) the \(rule.basis.rawValue) figure (\(show.unit(c.ruleFigure))).")
        case .watch: print("Watch: \(Show.ratio(c.ratio, threshold: rule.threshold)) the \(rule.basis.rawValue) figure (\(show.unit(c.ruleFigure))), within 1% of the limit.")
        }
    }
}

struct Estimate: CostperCommand {
    static let configuration = CommandConfiguration(abstract: "The per-ticket and monthly model cost of a conversation shape.")

    @Option(name: .long, help: "A model of the price catalog.")
    var model: String
    @Option(name: .long, parsing: .unconditional) var turns: Int = 5
    @Option(name: .long) var systemTokens: Int64 = 500
    @Option(name: .long) var userTokens: Int64 = 150
    @Option(name: .long) var assistantTokens: Int64 = 200
    @Flag(name: .long, help: "Bill the system prompt at the cache-read price from the second turn on.")
    var cacheSystem = false
    @Option(name: .long, help: "Monthly ticket volumes, comma-separated.")
    var volumes: String = "1000,10000,100000"
    @Option(name: .long, help: "A price catalog in models.csv form (default data/benchmarks/models.csv).")
    var prices: String?
    @OptionGroup var dataOption: DataOption
    @OptionGroup var output: JSONFlag

    var volumeList: [Int64] { volumes.split(separator: ",").compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) } }

    func check() throws(CostperError) {
        guard (1...1000).contains(turns) else { throw CostperError(.usage, "--turns must be from 1 to 1000") }
        for t in [systemTokens, userTokens, assistantTokens] where t < 0 || t > 10_000_000 {
            throw CostperError(.usage, "token counts must be from 0 to 10,000,000")
        }
        let parts = volumes.split(separator: ",", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ Int64($0.trimmingCharacters(in: .whitespaces)).map { $0 > 0 && $0 <= 1_000_000_000 } ?? false }) else {
            throw CostperError(.usage, "--volumes must be positive whole numbers separated by commas, e.g. 1000,10000")
        }
    }

    func execute() throws(CostperError) {
        let show = AmountFormat.usd   // the calculators take and print US dollars, as published
        let catalog = try ProjectFiles.priceCatalog(path: prices, dataFolder: dataOption.data)
        guard let price = catalog[model] else {
            let near = Prices.suggestions(model, in: catalog.modelNames)
            throw CostperError(.usage, "model \"\(model)\" is not in the price catalog (\(catalog.source), \(catalog.prices.count) models)" + (near.isEmpty ? "; `costper prices PATTERN` lists it" : "; did you mean \(near.joined(separator: ", "))?"))
        }
        // A model without a cache-read price is billed at its input price: said, never silent.
        let noCachePrice = cacheSystem && price.cacheReadPerMTok == nil
        let shape = ConversationShape(turns: turns, systemTokens: systemTokens, userTokens: userTokens, assistantTokens: assistantTokens,
                                      cacheSystemPrompt: cacheSystem && !noCachePrice)
        let perTicket = shape.cost(price)
        let monthly = volumeList.map { ($0, perTicket.times(Quotient(numerator: Int128($0), denominator: 1))) }
        try inMoneyRange([perTicket] + monthly.map(\.1), "this model's prices × these token counts and volumes")
        if output.json {
            printJSON(.object([
                ("model", .string(model)), ("turns", .number(String(turns))),
                ("cache_price", .string(noCachePrice ? "none in the catalog: cached tokens billed at the input price" : cacheSystem ? "cache-read price" : "not used")),
                ("input_tokens", .number(String(shape.inputTokens))), ("cached_input_tokens", .number(String(shape.cachedInputTokens))),
                ("output_tokens", .number(String(shape.outputTokens))), ("cost_per_ticket_usd", .money(perTicket)),
                ("monthly", .array(monthly.map { .object([("tickets", .number(String($0.0))), ("cost_usd", .money($0.1))]) })),
            ]))
            return
        }
        if noCachePrice {
            print("\(model) has no cache-read price in the catalog (\(catalog.source)): the system prompt is billed at the full input price on every turn.")
        }
        print("\(model): \(turns) turns, \(Show.count(shape.inputTokens)) input tokens (\(Show.count(shape.cachedInputTokens)) cached) and \(Show.count(shape.outputTokens)) output tokens a ticket: $\(perTicket.formatted(decimals: 6)) a ticket (model cost only)")
        printTable([("tickets a month", .right), ("model cost a month", .right)], monthly.map { [Show.count($0.0), show.amount($0.1)] })
    }
}

struct ROI: CostperCommand {
    static let configuration = CommandConfiguration(commandName: "roi", abstract: "Deflection ROI: human cost saved against the AI cost.")

    @Option(name: .long, parsing: .unconditional, help: "Tickets a month.") var tickets: Int64
    @Option(name: .long, parsing: .unconditional, help: "The share of tickets the AI deflects, e.g. 0.40.") var deflection: Amount
    @Option(name: .long, help: "What a ticket costs when a human handles it, in USD.") var humanCostPerTicket: Amount
    @Option(name: .long, help: "The AI stack's monthly cost in USD.") var aiCostMonthly: Amount
    @OptionGroup var output: JSONFlag

    func check() throws(CostperError) {
        guard tickets >= 0 else { throw CostperError(.usage, "--tickets must not be negative") }
        guard deflection.value <= Quotient(1) else { throw CostperError(.usage, "--deflection is a share from 0 to 1, e.g. 0.40 for 40%") }
    }

    func execute() throws(CostperError) {
        let show = AmountFormat.usd   // the calculators take and print US dollars, as published
        let r = DeflectionROI(tickets: tickets, deflection: deflection.value, humanCostPerTicket: humanCostPerTicket.value, aiCostMonthly: aiCostMonthly.value)
        try inMoneyRange([r.humanCostSaved, r.humanCostSaved.minus(aiCostMonthly.value)], "--tickets × --deflection × --human-cost-per-ticket")
        if output.json {
            printJSON(.object([("human_cost_saved_usd", .money(r.humanCostSaved)), ("ai_cost_usd", .money(aiCostMonthly.value)),
                               ("net_saving_usd", .money(r.netSaving)), ("gross_savings_multiple", .money(r.grossSavingsMultiple)),
                               ("net_return", .money(r.netReturn))]))
            return
        }
        printTable([("", .left), ("a month", .right)], [
            ["human cost saved", show.amount(r.humanCostSaved)], ["AI cost", show.amount(aiCostMonthly.value)],
            ["net saving", show.amount(r.netSaving)],
            ["gross savings multiple (saved ÷ AI cost)", r.grossSavingsMultiple.map { $0.formatted(decimals: 1) + "x" } ?? "— (no AI cost)"],
            ["net return ((saved − AI cost) ÷ AI cost)", r.netReturn.map { Show.percent($0) } ?? "— (no AI cost)"],
        ])
    }
}

struct Baseline: CostperCommand {
    static let configuration = CommandConfiguration(abstract: "The human cost per ticket and per resolved ticket.")

    @Option(name: .long, help: "Fully loaded annual cost of an agent in USD.") var loadedAnnual: Amount
    @Option(name: .long, help: "Productive hours a year.") var hours: Amount
    @Option(name: .long, help: "Average handle time in minutes.") var ahtMinutes: Amount
    @Option(name: .long, help: "Repeat-contact factor (1.3-1.5 when first-contact resolution is below 70%).") var repeatFactor: Amount = Amount(argument: "1")!
    @Option(name: .long, help: "Management overhead as a share, e.g. 0.25.") var overhead: Amount = Amount(argument: "0")!
    @OptionGroup var output: JSONFlag

    func check() throws(CostperError) {
        guard hours.value > Quotient(0) else { throw CostperError(.usage, "--hours must be above 0") }
        guard ahtMinutes.value > Quotient(0) else { throw CostperError(.usage, "--aht-minutes must be above 0") }
        guard repeatFactor.value >= Quotient(1) else { throw CostperError(.usage, "--repeat-factor must be 1 or more") }
    }

    func execute() throws(CostperError) {
        let show = AmountFormat.usd   // the calculators take and print US dollars, as published
        let b = HumanBaseline(loadedAnnual: loadedAnnual.value, productiveHours: hours.value, ahtMinutes: ahtMinutes.value,
                              repeatContactFactor: repeatFactor.value, overheadShare: overhead.value)
        try inMoneyRange([b.laborCostPerTicket, b.costPerResolved], "these arguments")
        if output.json {
            printJSON(.object([("tickets_per_agent_year", .money(b.ticketsPerAgentYear)), ("labor_cost_per_ticket_usd", .money(b.laborCostPerTicket)),
                               ("cost_per_resolved_usd", .money(b.costPerResolved))]))
            return
        }
        printTable([("", .left), ("", .right)], [
            ["tickets per agent a year", Show.grouped(b.ticketsPerAgentYear.formatted(decimals: 0))],
            ["labor cost per ticket", show.amount(b.laborCostPerTicket)],
            ["cost per resolved ticket", show.amount(b.costPerResolved)],
        ])
    }
}

struct Benchmarks: CostperCommand {
    static let configuration = CommandConfiguration(abstract: "The benchmark register: every published figure and reference range with its publication.")

    @OptionGroup var dataOption: DataOption
    @OptionGroup var output: JSONFlag

    static func citationJSON(_ c: Citation) -> [(String, JSONValue)] {
        [("publisher", .string(c.publisher)), ("title", .string(c.title)), ("published", .string(c.published)), ("url", .string(c.url)),
         ("source_unit", .string(c.sourceUnit)), ("figure_kind", .string(c.kind.rawValue)), ("disclosure", .string(c.disclosure)),
         ("secondary_source", .string(c.secondarySource))]
    }

    func execute() throws(CostperError) {
        let show = AmountFormat.usd   // the calculators take and print US dollars, as published
        let d = try dataOption.benchmarks()
        func opt(_ m: Money?) -> JSONValue { m.map { .money($0) } ?? .null }
        if output.json {
            let comparables: [JSONValue] = d.comparables.map { c in
                .object([("name", .string(c.name)), ("domain", .string(c.domain.rawValue)), ("industry", .string(c.industry)),
                         ("unit", .string(c.unit)), ("basis", .string(c.basis.rawValue)), ("figure_usd", opt(c.figure)), ("low_usd", opt(c.low)),
                         ("high_usd", opt(c.high)), ("variable_usd", opt(c.variable)),
                         ("reference_volume", c.referenceVolume.map { .number(String($0)) } ?? .null),
                         ("vendor_margin", c.vendorMargin.map { .money($0) } ?? .null), ("includes", .string(c.includes))]
                        + Benchmarks.citationJSON(c.citation) + [("notes", .string(c.notes))])
            }
            let ranges: [JSONValue] = d.ranges.map { r in
                .object([("key", .string(r.key)), ("label", .string(r.label)), ("unit", .string(r.unit)), ("low_usd", opt(r.low)),
                         ("high_usd", opt(r.high)), ("figure_usd", opt(r.figure))] + Benchmarks.citationJSON(r.citation) + [("notes", .string(r.notes))])
            }
            printJSON(.object([("comparables", .array(comparables)), ("reference_ranges", .array(ranges))]))
            return
        }
        printTable([("published figure", .left), ("domain", .left), ("counted", .left), ("published", .right), ("kind", .left), ("disclosure", .left), ("publication", .left)],
                   d.comparables.map { c in
                       [c.name, c.domain.rawValue, c.basis.label, c.publishedText(show), c.citation.kind.label, c.citation.disclosure, c.citation.text]
                   })
        print("")
        printTable([("reference range", .left), ("unit", .left), ("range", .right), ("disclosure", .left)],
                   d.ranges.map { r in
                       [r.label, r.unit, r.low.flatMap { lo in r.high.map { show.unit(lo.dollars) + "-" + show.unit($0.dollars) } } ?? r.figure.map { show.unit($0.dollars) } ?? "", r.citation.disclosure]
                   })
        print("")
        print("Secondary sources: " + Set(d.comparables.map(\.citation.secondarySource) + d.ranges.map(\.citation.secondarySource)).sorted().joined(separator: "; "))
    }
}
