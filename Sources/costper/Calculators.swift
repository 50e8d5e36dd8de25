// The calculators: compare, estimate, roi, baseline, benchmarks. Each prints an aligned table
// a person reads at a glance, or JSON with --json.
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

    init?(argument: String) {
        guard case .success(let r) = Scalars.parseDecimal(argument) else { return nil }
        money = Money(nanos: r.value)
        value = money.dollars
    }

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
    static let configuration = CommandConfiguration(abstract: "One cost per outcome against the comparables, raw and scale-adjusted, flagged above the ratio.")

    @Option(name: .long, parsing: .unconditional, help: "Your cost per outcome in USD, e.g. 0.85.")
    var costPerOutcome: Amount
    @Option(name: .long, help: "support, back_office or coding.")
    var domain: String = "support"
    @Option(name: .long, help: "A service type of the reference table (password_reset, general_question, billing, complaint).")
    var serviceType: String?
    @Option(name: .long, parsing: .unconditional, help: "Your outcomes a month (enables the scale adjustment).")
    var volume: Int64?
    @Option(name: .long, parsing: .unconditional, help: "Your fixed monthly cost in USD for the scale adjustment (default 2500, as costper.toml).")
    var fixedMonthly: Amount?
    @Option(name: .long, help: "Flag above this ratio.")
    var flagRatio: Amount = Amount(argument: "2.0")!
    @OptionGroup var dataOption: DataOption
    @OptionGroup var output: JSONFlag

    func check() throws(CostperError) {
        guard Domain(rawValue: domain) != nil else { throw CostperError(.usage, "--domain must be one of \(Domain.allCases.map(\.rawValue).joined(separator: ", "))") }
        if let v = volume, v <= 0 { throw CostperError(.usage, "--volume must be a positive number of outcomes a month") }
        if fixedMonthly != nil && volume == nil { throw CostperError(.usage, "--fixed-monthly needs --volume (fixed cost is spread over the volume)") }
        if flagRatio.value <= Quotient(0) { throw CostperError(.usage, "--flag-ratio must be above 0") }
    }

    func execute() throws(CostperError) {
        let data = try dataOption.benchmarks()
        let fixed = fixedMonthly?.money ?? CostperConfig().defaultFixedMonthly
        let basis = volume.map { ScaleBasis(volume: $0, fixedMonthly: fixed, fixedSource: fixedMonthly == nil ? "costper default" : "--fixed-monthly") }
        let c = Comparison.make(ComparisonSubject(label: "compare", domain: Domain(rawValue: domain)!, serviceType: serviceType ?? "",
                                                  value: costPerOutcome.value, basis: basis), data: data, threshold: flagRatio.value)
        if output.json {
            printJSON(.object([
                ("cost_per_outcome_usd", .money(costPerOutcome.value)), ("domain", .string(domain)),
                ("volume", volume.map { .number(String($0)) } ?? .null), ("fixed_monthly_usd", basis == nil ? .null : .money(fixed)),
                ("threshold", .money(flagRatio.value)), ("above_all", .bool(c.aboveAll)),
                ("comparables", .array(c.checks.map { k in
                    .object([("name", .string(k.comparable.name)), ("domain", .string(k.comparable.domain.rawValue)),
                             ("figure_usd", .money(k.comparable.figure)), ("adjusted_usd", .money(k.adjusted)),
                             ("adjustment", .string(k.adjustment.sentence)), ("ratio", .money(k.ratio)), ("flagged", .bool(k.flagged))])
                })),
            ]))
            return
        }
        print("\(Show.unit(costPerOutcome.value)) per outcome (\(domain)) against \(c.checks.count) comparables; flag above \(Show.ratio(flagRatio.value))"
              + (basis.map { " at \(Show.count($0.volume)) outcomes and \(Show.usd($0.fixedMonthly)) fixed a month" } ?? " (no --volume: no scale adjustment)"))
        printTable([("comparable", .left), ("published", .right), ("at your scale", .right), ("ratio", .right), ("flag", .left), ("adjustment", .left)],
                   c.checks.map { [$0.comparable.name, Show.unit($0.comparable.figure.dollars), Show.unit($0.adjusted), Show.ratio($0.ratio),
                                   $0.flagged ? "FLAG" : "", $0.adjustment.sentence] })
        if c.aboveAll { print("Above the threshold for every comparable of its domain: dig into why.") }
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
        let catalog = try ProjectFiles.priceCatalog(path: prices, dataFolder: dataOption.data)
        guard let price = catalog[model] else {
            throw CostperError(.usage, "model \"\(model)\" is not in the price catalog (\(catalog.modelNames.joined(separator: ", ")))")
        }
        let shape = ConversationShape(turns: turns, systemTokens: systemTokens, userTokens: userTokens, assistantTokens: assistantTokens, cacheSystemPrompt: cacheSystem)
        let perTicket = shape.cost(price)
        let monthly = volumeList.map { ($0, perTicket.times(Quotient(numerator: Int128($0), denominator: 1))) }
        try inMoneyRange([perTicket] + monthly.map(\.1), "this model's prices × these token counts and volumes")
        if output.json {
            printJSON(.object([
                ("model", .string(model)), ("turns", .number(String(turns))),
                ("input_tokens", .number(String(shape.inputTokens))), ("cached_input_tokens", .number(String(shape.cachedInputTokens))),
                ("output_tokens", .number(String(shape.outputTokens))), ("cost_per_ticket_usd", .money(perTicket)),
                ("monthly", .array(monthly.map { .object([("tickets", .number(String($0.0))), ("cost_usd", .money($0.1))]) })),
            ]))
            return
        }
        print("\(model): \(turns) turns, \(Show.count(shape.inputTokens)) input tokens (\(Show.count(shape.cachedInputTokens)) cached) and \(Show.count(shape.outputTokens)) output tokens a ticket: $\(perTicket.formatted(decimals: 6)) a ticket (model cost only)")
        printTable([("tickets a month", .right), ("model cost a month", .right)], monthly.map { [Show.count($0.0), Show.usd($0.1)] })
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
        let r = DeflectionROI(tickets: tickets, deflection: deflection.value, humanCostPerTicket: humanCostPerTicket.value, aiCostMonthly: aiCostMonthly.value)
        try inMoneyRange([r.humanCostSaved, r.humanCostSaved.minus(aiCostMonthly.value)], "--tickets × --deflection × --human-cost-per-ticket")
        if output.json {
            printJSON(.object([("human_cost_saved_usd", .money(r.humanCostSaved)), ("ai_cost_usd", .money(aiCostMonthly.value)),
                               ("net_saving_usd", .money(r.humanCostSaved.minus(aiCostMonthly.value))), ("roi_multiple", .money(r.roiMultiple))]))
            return
        }
        printTable([("", .left), ("a month", .right)], [
            ["human cost saved", Show.usd(r.humanCostSaved)], ["AI cost", Show.usd(aiCostMonthly.value)],
            ["net saving", Show.usd(r.humanCostSaved.minus(aiCostMonthly.value))], ["ROI", r.roiMultiple.map { $0.formatted(decimals: 1) + "x" } ?? "— (no AI cost)"],
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
            ["labor cost per ticket", Show.usd(b.laborCostPerTicket)],
            ["cost per resolved ticket", Show.usd(b.costPerResolved)],
        ])
    }
}

struct Benchmarks: CostperCommand {
    static let configuration = CommandConfiguration(abstract: "The comparables and reference ranges, with their sources and dates.")

    @OptionGroup var dataOption: DataOption
    @OptionGroup var output: JSONFlag

    func execute() throws(CostperError) {
        let d = try dataOption.benchmarks()
        func opt(_ m: Money?) -> JSONValue { m.map { .money($0) } ?? .null }
        if output.json {
            printJSON(.object([
                ("comparables", .array(d.comparables.map { c in
                    .object([("name", .string(c.name)), ("domain", .string(c.domain.rawValue)), ("industry", .string(c.industry)),
                             ("unit", .string(c.unit)), ("figure_usd", .money(c.figure)), ("low_usd", opt(c.low)), ("high_usd", opt(c.high)),
                             ("variable_usd", opt(c.variable)), ("reference_volume", c.referenceVolume.map { .number(String($0)) } ?? .null),
                             ("vendor_margin", c.vendorMargin.map { .money($0) } ?? .null), ("true_cost_usd", .money(c.trueCost)),
                             ("includes", .string(c.includes)), ("source", .string(c.source)), ("as_of", .string(c.asOf)), ("notes", .string(c.notes))])
                })),
                ("reference_ranges", .array(d.ranges.map { r in
                    .object([("key", .string(r.key)), ("label", .string(r.label)), ("unit", .string(r.unit)), ("low_usd", opt(r.low)),
                             ("high_usd", opt(r.high)), ("figure_usd", opt(r.figure)), ("source", .string(r.source))])
                })),
            ]))
            return
        }
        printTable([("comparable", .left), ("domain", .left), ("unit", .left), ("figure", .right), ("range", .right), ("variable", .right),
                    ("margin", .right), ("source", .left), ("as of", .left)],
                   d.comparables.map { c in
                       [c.name, c.domain.rawValue, c.unit, Show.unit(c.figure.dollars),
                        c.low.flatMap { lo in c.high.map { Show.unit(lo.dollars) + "-" + Show.unit($0.dollars) } } ?? "",
                        c.variable.map { Show.unit($0.dollars) } ?? "", c.vendorMargin.map { Show.percent($0, decimals: 0) } ?? "",
                        c.source, c.asOf]
                   })
        print("")
        printTable([("reference range", .left), ("unit", .left), ("range", .right), ("source", .left)],
                   d.ranges.map { r in
                       [r.label, r.unit, r.low.flatMap { lo in r.high.map { Show.unit(lo.dollars) + "-" + Show.unit($0.dollars) } } ?? r.figure.map { Show.unit($0.dollars) } ?? "", r.source]
                   })
    }
}
