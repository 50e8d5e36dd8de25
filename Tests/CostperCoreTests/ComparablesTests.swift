@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

/// The seed figures of domain.md, computed by the engine from the bundled datasets.
@Suite struct ComparablesTests {
    func q(_ s: String) -> Quotient {
        guard case .success(let r) = parse(s) else { fatalError("bad decimal in a test: \(s)") }
        return Money(nanos: r.value).dollars
    }

    func bundled() throws -> BenchmarkData {
        func read<T>(_ n: String, _ f: (InputBuffer) throws(CostperError) -> T) throws -> T {
            let b = Buffer(file: repoRoot.appendingPathComponent("data/benchmarks/\(n)"))
            return try f(b.input)
        }
        return BenchmarkData(comparables: try read("comparables.csv", BenchmarkData.readComparables),
                             ranges: try read("reference_ranges.csv", BenchmarkData.readRanges),
                             serviceTypes: try read("service_types.csv", BenchmarkData.readServiceTypes),
                             stack: try read("reference_stack.csv", BenchmarkData.readStack))
    }

    func klarna(_ d: BenchmarkData) -> PublishedFigure { d.comparables.first { $0.name == "Klarna" }! }
    let rule = ComparisonRule()
    let scale = ScaleBasis(volume: 10_000, fixedMonthly: Money(dollars: 2_500), fixedSource: "test")

    /// Three like-for-like figures ($1, $2, $4 per resolved ticket), one in another unit.
    func three(_ basis: FigureBasis = .per_resolved) -> BenchmarkData {
        func fig(_ name: String, _ usd: String, _ b: FigureBasis = .per_resolved) -> PublishedFigure {
            PublishedFigure(name: name, domain: .support, unit: "resolution", basis: b, figure: Money(nanos: q(usd).asMoney!.nanos),
                            citation: Citation(publisher: name, title: "t", sourceUnit: "u", kind: .vendor_price, disclosure: "disclosed", secondarySource: "s"))
        }
        return BenchmarkData(comparables: [fig("A", "1"), fig("B", "2"), fig("C", "4"), fig("T", "0.10", .per_transaction)])
    }

    @Test func theRegisterNamesAPublicationForEveryFigure() throws {
        let d = try bundled()
        #expect(d.comparables.map(\.name) == ["Klarna", "Intercom Fin", "Fin-like deployment, 5,000 tickets a month (Runrate estimate)",
                                               "Sierra-like agent, healthcare or insurance (Runrate scenario)", "Decagon-like back-office task (Runrate estimate)", "Devin"])
        #expect(klarna(d).figure == Money(nanos: 190_000_000))
        #expect(klarna(d).basis == .per_transaction)   // Klarna's own unit: cost per customer-service transaction
        #expect(klarna(d).citation.publisher == "Klarna Group plc" && klarna(d).citation.kind == .operator_cost)
        // Decagon and Sierra publish no figure: the ranges are the secondary source's, in its name, no invented midpoint.
        for name in ["Sierra-like", "Decagon-like"] {
            let c = d.comparables.first { $0.name.hasPrefix(name) }!
            #expect(c.figure == nil && c.citation.kind == .estimate && c.citation.disclosure == "estimate: Runrate" && c.citation.publisher == "Runrate" && c.isIllustrative)
        }
        #expect(d.comparables.first { $0.name == "Devin" }!.basis == .per_acu)
        for c in d.comparables {
            #expect(!c.citation.publisher.isEmpty && !c.citation.title.isEmpty && !c.citation.sourceUnit.isEmpty && !c.citation.secondarySource.isEmpty)
            #expect(!c.citation.text.contains("seeds/") && !c.notes.contains("seeds/"))
        }
        for r in d.ranges { #expect(!r.citation.secondarySource.contains("seeds/") && r.citation.kind == .estimate) }
        #expect(d.stack.total == Money(nanos: 520_000_000))   // the illustrative $0.52 ticket
        #expect(d.range("human_representative")?.figure == Money(dollars: 8))
        #expect(d.serviceType("billing")?.total == Money(nanos: 1_200_000_000))
    }

    @Test func aFigureWithAKnownVariablePartIsScaledToYourVolume() throws {
        let d = try bundled()
        // Klarna's estimated $0.10 variable part + $2,500 fixed / 10,000 = $0.35.
        let c = Comparison.check(q("0.35"), against: klarna(d), scale: scale, rule: rule, show: .usd)
        #expect(c.adjusted == q("0.35"))
        #expect(c.ratio == Quotient(1))
        #expect(c.adjustment.formula == "$0.10 + $2,500.00 / 10,000 = $0.35")
    }

    @Test func devinIsComparedPerTaskThroughTheACUsATaskTakes() throws {
        let d = try bundled()
        let devin = d.comparables.first { $0.name == "Devin" }!
        // $2.25 an ACU × 1 ACU a task, less the 40% margin the secondary source assumes: $1.35.
        let c = Comparison.check(q("2.70"), against: devin, scale: nil, rule: rule, show: .usd)
        #expect(c.adjusted == q("1.35") && c.ratio == Quotient(2) && !c.exceeds)   // exactly 2x is not more than 2x
        // Two ACUs a task double the figure.
        let two = Comparison.check(q("2.70"), against: devin, scale: nil, rule: ComparisonRule(acusPerTask: Quotient(2)), show: .usd)
        #expect(two.adjusted == q("2.70") && two.ratio == Quotient(1))
        // A coding line is counted per task; the per-ACU price is converted, never compared raw.
        let line = Comparison.make(ComparisonSubject(label: "x", domain: .coding, value: q("2.7001"), basis: .per_task, scale: nil), data: d, rule: rule, show: .usd)
        #expect(line.checks.map(\.comparable.name) == ["Devin"] && line.state == .flagged)
        #expect(Show.ratio(line.ratio, threshold: Quotient(2)) == "2.0001x")   // never a flagged "2.00x"
    }

    @Test func ratiosNeverReadAsTheThresholdUnlessTheyAreIt() {
        #expect(Show.ratio(Quotient(2), threshold: Quotient(2)) == "2.00x")
        #expect(Show.ratio(q("2.003"), threshold: Quotient(2)) == "2.003x")
        #expect(Show.ratio(q("1.999"), threshold: Quotient(2)) == "1.999x")
        #expect(Show.ratio(q("2.0049"), threshold: Quotient(2)) == "2.005x")
        #expect(Show.ratio(q("1.2"), threshold: Quotient(2)) == "1.20x")
    }

    @Test func onlyLikeForLikeUnitsAreCompared() throws {
        let d = three()
        let c = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: q("5"), basis: .per_resolved, scale: nil), data: d, rule: rule, show: .usd)
        #expect(c.checks.map(\.comparable.name) == ["A", "B", "C"])
        #expect(c.otherUnits.map(\.name) == ["T"])   // per transaction: shown, never compared
        // The sample's Klarna figure is per transaction: a cost per resolved ticket never meets it.
        let real = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: q("1.19"), basis: .per_resolved, scale: scale), data: try bundled(), rule: rule, show: .usd)
        #expect(!real.checks.map(\.comparable.name).contains("Klarna") && real.otherUnits.map(\.name).first == "Klarna")
        // Intercom's price per AI resolution is another scope than an all-in cost: shown, never met raw.
        #expect(real.otherScopes.map(\.name) == ["Intercom Fin"] && real.state == .notChecked)
    }

    @Test func theMedianEveryAndAnyRules() throws {
        let d = three()
        func state(_ v: String, _ b: FlagBasis) -> LineState {
            Comparison.make(ComparisonSubject(label: "x", domain: .support, value: q(v), basis: .per_resolved, scale: nil), data: d,
                            rule: ComparisonRule(basis: b), show: .usd).state
        }
        // Median $2: flagged above $4. Every: above 2 × $4 = $8. Any: above 2 × $1 = $2.
        // Exactly at the threshold is not flagged, but within 1% of it: on the watch list.
        #expect(state("4", .median) == .watch && state("4.000000001", .median) == .flagged && state("3.96", .median) == .watch && state("3.95", .median) == .within)
        #expect(state("8", .every) == .watch && state("8.01", .every) == .flagged)
        #expect(state("2", .any) == .watch && state("2.01", .any) == .flagged)
        // A flagged line lists each comparable it exceeds.
        let c = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: q("5"), basis: .per_resolved, scale: nil), data: d, rule: rule, show: .usd)
        #expect(c.state == .flagged && c.exceeded.map(\.comparable.name) == ["A", "B"] && c.ruleFigure == Quotient(2))
        // An even number of figures: the median is the mean of the middle two.
        var four = d
        four.comparables.append(PublishedFigure(name: "D", domain: .support, unit: "u", figure: Money(dollars: 8)))
        let m = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: q("1"), basis: .per_resolved, scale: nil), data: four, rule: rule, show: .usd)
        #expect(m.ruleFigure == Quotient(3))
        // A range-only figure is compared at the top of its range.
        let range = PublishedFigure(name: "R", domain: .support, unit: "u", figure: nil, low: Money(dollars: 1), high: Money(dollars: 3))
        #expect(Comparison.check(q("6"), against: range, scale: nil, rule: rule, show: .usd).adjusted == Quotient(3))
    }

    @Test func aLineWithNoComparableIsNotChecked() throws {
        let c = Comparison.make(ComparisonSubject(label: "x", domain: Domain("legal"), value: q("9"), basis: .per_task, scale: nil), data: try bundled(), rule: rule, show: .usd)
        #expect(c.state == .notChecked && c.state.label == "not checked: no comparable" && c.ratio == nil)
        // Back office has only the secondary source's illustrative task range: shown, never a flag.
        let office = Comparison.make(ComparisonSubject(label: "x", domain: .backOffice, value: q("9"), basis: .per_task, scale: nil), data: try bundled(), rule: rule, show: .usd)
        #expect(office.state == .contextOnly && office.state.label == "context only" && office.ratio == nil)
        #expect(office.illustrative.first?.adjusted == q("2.50"))
    }

    @Test func aServiceTypeIsComparedPerTicketHandledWithItsOwnLineOnly() throws {
        let d = try bundled()
        let billing = Comparison.make(ComparisonSubject(label: "x", domain: .support, serviceType: "billing", value: q("2.41"), basis: .per_handled, scale: nil),
                                      data: d, rule: rule, show: .usd)
        // The table is illustrative (its source says so): shown beside the line, never a flag.
        #expect(billing.checks.isEmpty && billing.illustrative.map(\.comparable.name) == ["Reference: Billing and subscription"])
        #expect(billing.state == .contextOnly && billing.illustrative[0].ratio! > Quotient(2))   // 2.41 / 1.20
        // Counted per resolved ticket, it would meet no line of the table (a unit mismatch).
        let wrong = Comparison.make(ComparisonSubject(label: "x", domain: .support, serviceType: "billing", value: q("2.41"), basis: .per_resolved, scale: nil),
                                    data: d, rule: rule, show: .usd)
        #expect(wrong.state == .notChecked)
    }

    @Test func domainsComeFromTheRegister() throws {
        let header = BenchmarkData.comparableColumns.joined(separator: ",") + "\n"
        let legal = "LawBot,legal,,matter,task,per_task,12.00,,,,,,,,,Acme,Pricing,2026-01,https://example.com/p,per matter,vendor_price,disclosed,none,,per_task_price,vendor_list_price,2026-01,\n"
        let list = try BenchmarkData.readComparables(Buffer("comparables.csv", header + legal.replacingOccurrences(of: "matter,task,per_task", with: "matter,per_task")).input)
        #expect(list.map(\.domain) == [Domain("legal")])
        let data = BenchmarkData(comparables: list)
        let c = Comparison.make(ComparisonSubject(label: "x", domain: Domain("legal"), value: q("30"), basis: .per_task, scale: nil), data: data, rule: rule, show: .usd)
        #expect(c.state == .flagged && c.ratio == q("2.5"))
    }

    @Test func driversAreTheCategoriesFurthestAboveTheReferenceStack() throws {
        let d = try bundled()
        // The reference stack itself: nothing is above it.
        #expect(FlagDrivers.of(d.stack.perTicket, stack: d.stack).isEmpty)
        // Human review doubled ($0.50 of $0.85 = 59% against 48%) and integrations tripled
        // ($0.12 of $0.85 = 14% against 8%): human review first.
        var costs = d.stack.perTicket
        costs[.human_review] = Money(nanos: 500_000_000)
        costs[.integrations] = Money(nanos: 120_000_000)
        let drivers = FlagDrivers.of(costs, stack: d.stack)
        #expect(drivers.map(\.category) == [.human_review, .integrations])
        #expect(drivers[0].share == Quotient(numerator: 10, denominator: 17))
        #expect(drivers[0].sentence(.usd) == "human review (59% of cost, 48% in the reference stack)")
    }

    @Test func theCalculatorsReproduceTheSeeds() throws {
        // Seed 002: 5 turns, 500 system, 150 user, 200 assistant tokens = 6,750 in + 1,000 out.
        let haiku = ModelPrice(model: "claude-haiku-4.5", inputPerMTok: Money(dollars: 1), outputPerMTok: Money(dollars: 5), cacheReadPerMTok: Money(nanos: 100_000_000))
        let shape = ConversationShape()
        #expect(shape.inputTokens == 6_750 && shape.outputTokens == 1_000)
        #expect(shape.cost(haiku) == q("0.01175"))
        // The system prompt cached from turn 2: 2,000 tokens at $0.10 instead of $1.00 a million.
        #expect(ConversationShape(cacheSystemPrompt: true).cost(haiku) == q("0.00995"))
        // Seed 002: 10,000 tickets, 40% deflected, $4 a human ticket, $250 of AI: $16,000 saved, 64x.
        let roi = DeflectionROI(tickets: 10_000, deflection: q("0.4"), humanCostPerTicket: Quotient(4), aiCostMonthly: Quotient(250))
        #expect(roi.humanCostSaved == Quotient(16_000))
        #expect(roi.grossSavingsMultiple == Quotient(64))
        #expect(roi.netReturn == Quotient(63))
        // Seed 003: 5,000 tickets at $8, 70% moved to AI at $0.40: $26,600 saved net.
        let moved = DeflectionROI(tickets: 5_000, deflection: q("0.7"), humanCostPerTicket: Quotient(8), aiCostMonthly: q("1400"))
        #expect(moved.humanCostSaved.minus(moved.aiCostMonthly) == Quotient(26_600))
        // Seed 000: $50,000 loaded, 1,800 hours, 6 minutes: 18,000 tickets, $2.78 a ticket.
        let b = HumanBaseline(loadedAnnual: Quotient(50_000), productiveHours: Quotient(1_800), ahtMinutes: Quotient(6))
        #expect(b.ticketsPerAgentYear == Quotient(18_000))
        #expect(b.laborCostPerTicket.formatted(decimals: 2) == "2.78")
        let loaded = HumanBaseline(loadedAnnual: Quotient(50_000), productiveHours: Quotient(1_800), ahtMinutes: Quotient(6),
                                   repeatContactFactor: q("1.3"), overheadShare: q("0.25"))
        #expect(loaded.costPerResolved == Quotient(numerator: 50_000 * 13 * 5, denominator: 18_000 * 10 * 4))   // $4.51
    }

    @Test func aBadComparableRowStopsWithFileLineAndColumn() throws {
        let header = BenchmarkData.comparableColumns.joined(separator: ",") + "\n"
        func read(_ rows: String) -> String {
            let b = Buffer("comparables.csv", header + rows)
            do { _ = try BenchmarkData.readComparables(b.input); return "ok" } catch let e as CostperError { return "\(e.location!): \(e.message)" } catch { return "\(error)" }
        }
        // name,domain,industry,unit,basis,figure,low,high,variable,volume,esc_lo,esc_hi,includes,margin,publisher,title,published,url,source_unit,kind,disclosure,secondary,notes,scope,tier,as_of,resolution_definition
        func row(_ name: String = "Acme", domain: String = "support", basis: String = "per_resolved", figure: String = "0.50", low: String = "", high: String = "",
                 variable: String = "", margin: String = "", publisher: String = "Acme Inc", url: String = "https://acme.example/pricing",
                 kind: String = "vendor_price", disclosure: String = "disclosed") -> String {
            "\(name),\(domain),,ticket,\(basis),\(figure),\(low),\(high),\(variable),,,,,\(margin),\(publisher),Pricing,2026-01,\(url),per ticket,\(kind),\(disclosure),Someone's article,,operator_all_in,disclosed,2026-01,\n"
        }
        #expect(read(row()) == "ok")
        #expect(read(row() + row("Beta", domain: "Retail!")).hasPrefix("comparables.csv:3: domain: \"Retail!\" is not a domain name"))
        #expect(read(row(figure: "0.5x")) == "comparables.csv:2: figure_usd: \"0.5x\" is not a number")
        #expect(read(row(variable: "0.60")).hasPrefix("comparables.csv:2: variable_usd: is above figure_usd"))
        #expect(read(row(margin: "40")).hasPrefix("comparables.csv:2: vendor_margin: \"40\" is above 1"))
        #expect(read(row() + row()) == "comparables.csv:3: name: \"Acme\" is listed twice")
        #expect(read(row(publisher: "")) == "comparables.csv:2: publisher: is empty")
        #expect(read(row(basis: "per_ticket")).hasPrefix("comparables.csv:2: basis: \"per_ticket\" is not a basis"))
        #expect(read(row(figure: "")).hasPrefix("comparables.csv:2: figure_usd: is empty and there is no low_usd-high_usd range"))
        #expect(read(row(figure: "", low: "1.50", high: "2.50")) == "ok")
        #expect(read(row(kind: "rumour")).hasPrefix("comparables.csv:2: figure_kind: \"rumour\" is not a kind of figure"))
        #expect(read(row(kind: "estimate")).hasPrefix("comparables.csv:2: disclosure: an estimate is not disclosed"))
        #expect(read(row(disclosure: "maybe")).hasPrefix("comparables.csv:2: disclosure: \"maybe\" must be"))
        #expect(read(row(url: "seeds/000.txt")).hasPrefix("comparables.csv:2: url: \"seeds/000.txt\" is not a web address"))
        // A user adds a figure by adding a row.
        let list = try BenchmarkData.readComparables(Buffer("comparables.csv", header + row() + row("\"Own, Inc.\"", domain: "coding", basis: "per_task", figure: "3.00", margin: "0.25")).input)
        #expect(list.count == 2 && list[1].name == "Own, Inc." && list[1].trueCost == q("2.25"))
    }

    @Test func forecastRowsAreReadStrictlyAndChecked() throws {
        let b = Buffer("forecast.csv", """
            month,domain,service_type,volume,cost_per_outcome_usd,fixed_monthly_usd
            2026-11,support,,10000,0.80,2500
            2026-12,support,billing,0,1.0,
            2026-13,support,,10,1.0,
            2027-01,retail,,10,1.0,
            2027-01,support,,10,1,0abc
            2027-02,coding,,50,3.00,
            2027-02,support,refunds,50,3.00,
            2027-03,support,,10000,0.90,9999

            """)
        let data = try bundled()
        let f = try ForecastFile.read(b.input, benchmarks: data)
        #expect(f.rowsRead == 8)
        #expect(f.plans.count == 3)
        #expect(f.rejects.map(\.message) == [
            "forecast.csv:3: volume: is zero: a forecast needs outcomes to divide by",
            "forecast.csv:4: month: \"2026-13\" is not a month (YYYY-MM)",
            "forecast.csv:5: domain: \"retail\" is not a domain of the benchmark register (back_office, coding, support)",
            "forecast.csv:6: fixed_monthly_usd: \"0abc\" is not a number",
            "forecast.csv:8: service_type: \"refunds\" is not a service type of the reference table (password_reset, general_question, billing, complaint)",
        ])
        let a = try month(tickets: "ticket_id,outcome,closed_at\nT1,auto_resolved,2026-10-02T00:00:00Z\nT2,escalated,2026-10-02T00:00:00Z\n",
                          requests: "timestamp,ticket_id,kind,cost_usd\n2026-10-02T00:00:00Z,T1,llm,0.30\n2026-10-02T00:00:00Z,T2,llm,0.10\n")
        let review = ComparablesReview.make(a, data: data, forecast: f.plans)
        // One F for every line: no fixed_costs.csv, so the stated default, marked assumed; the
        // plan's own $2,500 and $9,999 do not move the comparables.
        #expect(review.actualBasis == ScaleBasis(volume: 1, fixedMonthly: Money(dollars: 2_500),
                                                 fixedSource: "assumed: costper.toml [comparables] default_fixed_monthly_usd", assumed: true))
        #expect(review.plans[0].comparison.subject.scale?.fixedMonthly == Money(dollars: 2_500))
        #expect(review.plans[2].comparison.subject.scale?.fixedMonthly == Money(dollars: 2_500))
        // The plan at $0.80 per resolved ticket against Intercom Fin bought: $0.99 × 1 AI resolution
        // + $0 of human handling, per resolved ticket = $0.99: 0.81x, within.
        #expect(review.plans[0].comparison.ruleFigure == q("0.99") && review.plans[0].comparison.state == .within)
        #expect(review.plans[0].comparison.checks.first?.buildOrBuy == true)
        // The coding line: $3.00 a task against Devin's $1.35: 2.22x, flagged.
        #expect(review.plans[1].comparison.state == .flagged)
        // The run rate is one line per distinct volume (10,000 appears once, for two months).
        #expect(review.runRates.count == 1 && review.runRates[0].months.map(\.description) == ["2026-11", "2027-03"])
        #expect(review.runRates[0].monthly == Quotient(4_000))
        // The actual has its own drivers (its cost breakdown); a plan line has none.
        #expect(review.actual?.drivers.isEmpty == false && review.plans[0].comparison.drivers.isEmpty)
    }
}
