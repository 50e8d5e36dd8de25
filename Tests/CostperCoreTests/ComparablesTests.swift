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

    @Test func theBundledDatasetsHoldTheSeedFigures() throws {
        let d = try bundled()
        #expect(d.comparables.map(\.name) == ["Klarna", "Intercom Fin", "Sierra", "Decagon", "Devin"])
        #expect(klarna(d).figure == Money(nanos: 190_000_000))
        #expect(klarna(d).variable == Money(nanos: 100_000_000))
        #expect(klarna(d).referenceVolume == 2_300_000)
        #expect(d.comparables.allSatisfy { $0.source.hasPrefix("seeds/") })
        #expect(d.stack.total == Money(nanos: 520_000_000))   // seed 001's $0.52 ticket
        #expect(d.range("human_representative")?.figure == Money(dollars: 8))
        #expect(d.serviceType("billing")?.total == Money(nanos: 1_200_000_000))
    }

    @Test func klarnaAtTenThousandTicketsWithTwentyFiveHundredFixedIs35Cents() throws {
        let d = try bundled()
        let c = Comparison.check(q("0.35"), against: klarna(d), basis: ScaleBasis(volume: 10_000, fixedMonthly: Money(dollars: 2_500), fixedSource: "test"),
                                 threshold: Quotient(2))
        #expect(c.adjusted == q("0.35"))
        #expect(c.ratio == Quotient(1))
        #expect(c.adjustment == .scaled(variable: Money(nanos: 100_000_000), fixed: Money(dollars: 2_500), volume: 10_000))
        #expect(c.adjustment.sentence == "scaled to your volume: $0.10 variable + $2,500.00 fixed a month / 10,000 outcomes a month")
    }

    @Test func devinLessItsFortyPercentMarginIs135() throws {
        let devin = try bundled().comparables.first { $0.name == "Devin" }!
        #expect(devin.trueCost == q("1.35"))
        let c = Comparison.check(q("2.70"), against: devin, basis: nil, threshold: Quotient(2))
        #expect(c.adjusted == q("1.35"))
        #expect(c.ratio == Quotient(2))
        #expect(!c.flagged)   // exactly 2x is not more than 2x
    }

    @Test func aFlagIsStrictlyAboveTheThreshold() throws {
        let d = try bundled()
        let basis = ScaleBasis(volume: 10_000, fixedMonthly: Money(dollars: 2_500), fixedSource: "test")
        let at = Comparison.check(q("0.70"), against: klarna(d), basis: basis, threshold: Quotient(2))
        #expect(at.ratio == Quotient(2) && !at.flagged)
        let above = Comparison.check(q("0.700000001"), against: klarna(d), basis: basis, threshold: Quotient(2))
        #expect(above.flagged)
        let below = Comparison.check(q("0.699999999"), against: klarna(d), basis: basis, threshold: Quotient(2))
        #expect(!below.flagged)
        // A configured ratio moves the line.
        #expect(Comparison.check(q("0.70"), against: klarna(d), basis: basis, threshold: q("1.5")).flagged)
    }

    @Test func aLineAboveEveryComparableOfItsDomainIsMarkedSo() throws {
        let d = try bundled()
        let basis = ScaleBasis(volume: 10_000, fixedMonthly: Money(dollars: 2_500), fixedSource: "test")
        let high = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: q("3.01"), basis: basis), data: d, threshold: Quotient(2))
        #expect(high.checks.map(\.comparable.name) == ["Klarna", "Intercom Fin", "Sierra"])   // support only
        #expect(high.aboveAll)
        #expect(high.worst?.comparable.name == "Klarna")
        let mid = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: q("2.99"), basis: basis), data: d, threshold: Quotient(2))
        #expect(!mid.aboveAll)   // 2.99 / 1.50 is below 2x Sierra
        #expect(mid.flagged.map(\.comparable.name) == ["Klarna", "Intercom Fin"])
        // Without a volume no scale adjustment: Klarna as published.
        let raw = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: q("0.38"), basis: nil), data: d, threshold: Quotient(2))
        #expect(raw.checks[0].adjustment == .asPublished && raw.checks[0].ratio == Quotient(2))
        // A service type adds its reference line.
        let billing = Comparison.make(ComparisonSubject(label: "x", domain: .support, serviceType: "billing", value: q("2.41"), basis: nil), data: d, threshold: Quotient(2))
        #expect(billing.checks.last?.comparable.name == "Reference: Billing and subscription")
        #expect(billing.checks.last?.flagged == true)   // 2.41 / 1.20 > 2
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
        #expect(drivers[0].sentence == "human review (59% of cost, 48% in the reference stack)")
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
        #expect(roi.roiMultiple == Quotient(64))
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
        let good = "Acme,support,,ticket,0.50,,,,,,,,,seeds/x.txt,,\n"
        #expect(read(good) == "ok")
        #expect(read(good + "Beta,retail,,ticket,0.50,,,,,,,,,seeds/x.txt,,\n") == "comparables.csv:3: domain: \"retail\" is not a domain (support, back_office, coding)")
        #expect(read("Acme,support,,ticket,0.5x,,,,,,,,,seeds/x.txt,,\n") == "comparables.csv:2: figure_usd: \"0.5x\" is not a number")
        #expect(read("Acme,support,,ticket,0.50,,,0.60,,,,,,seeds/x.txt,,\n").hasPrefix("comparables.csv:2: variable_usd: is above figure_usd"))
        #expect(read("Acme,support,,ticket,2.25,,,,,,,,40,seeds/x.txt,,\n").hasPrefix("comparables.csv:2: vendor_margin: \"40\" is above 1"))
        #expect(read(good + good) == "comparables.csv:3: name: \"Acme\" is listed twice")
        #expect(read("Acme,support,,ticket,0.50,,,,,,,,,,,\n") == "comparables.csv:2: source: is empty")
        // A user adds a comparable by adding a row.
        let b = Buffer("comparables.csv", header + good + "\"Own, Inc.\",coding,,task,3.00,,,,,,,,0.25,my notes,2026-11,\n")
        let list = try try BenchmarkData.readComparables(b.input)
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

            """)
        let f = try try ForecastFile.read(b.input)
        #expect(f.rowsRead == 6)
        #expect(f.plans.count == 2)
        #expect(f.rejects.map(\.message) == [
            "forecast.csv:3: volume: is zero: a forecast needs outcomes to divide by",
            "forecast.csv:4: month: \"2026-13\" is not a month (YYYY-MM)",
            "forecast.csv:5: domain: \"retail\" is not a domain (support, back_office, coding)",
            "forecast.csv:6: fixed_monthly_usd: \"0abc\" is not a number",
        ])
        // Checked against the month: the plan at $0.80 with $2,500 fixed over 10,000 is 2.29x Klarna's $0.35.
        let a = try month(tickets: "ticket_id,outcome,closed_at\nT1,auto_resolved,2026-10-02T00:00:00Z\nT2,escalated,2026-10-02T00:00:00Z\n",
                          requests: "timestamp,ticket_id,kind,cost_usd\n2026-10-02T00:00:00Z,T1,llm,0.30\n2026-10-02T00:00:00Z,T2,llm,0.10\n")
        let review = ComparablesReview.make(a, data: try bundled(), forecast: f.plans)
        let plan = review.plans[0].comparison
        #expect(plan.checks[0].adjusted == q("0.35"))
        #expect(plan.checks[0].ratio == Quotient(numerator: 16, denominator: 7))
        #expect(plan.flagged.map(\.comparable.name) == ["Klarna"])
        // The coding line is checked against Devin's true cost: 3.00 / 1.35 = 2.22x, above every coding comparable.
        #expect(review.plans[1].comparison.aboveAll)
        // The run rate: this month's $0.40 per resolved ticket × 10,000 = $4,000 a month.
        #expect(review.runRates.count == 1)
        #expect(review.runRates[0].monthly == Quotient(4_000))
        #expect(review.runRates[0].comparison.subject.value == q("0.40"))
        // The actual: $0.40 with no fixed costs: F is the configured default ($2,500) over 1 resolved ticket.
        #expect(review.actualBasis == ScaleBasis(volume: 1, fixedMonthly: Money(dollars: 2_500), fixedSource: "costper.toml default (no fixed_costs.csv)"))
        #expect(review.actual?.flagged.isEmpty == true)
    }
}
