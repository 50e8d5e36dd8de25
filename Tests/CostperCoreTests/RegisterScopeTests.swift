@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

/// comparables.csv's scope, tier and as_of: every figure says what it covers, how it is known and
/// when it was true, and a value costper does not know is refused with the nearest name.
@Suite struct RegisterScopeTests {
    /// One row of comparables.csv: a disclosed vendor price per AI resolution, with `change` applied.
    func register(_ change: [String: String] = [:]) -> String {
        var row: [String: String] = [
            "name": "V", "domain": "support", "unit": "resolution", "basis": "per_resolved", "figure_usd": "0.99",
            "publisher": "Vendor", "title": "Pricing", "published": "2026-01-01", "url": "https://example.com/p", "source_unit": "per resolution",
            "figure_kind": "vendor_price", "disclosure": "disclosed", "secondary_source": "none", "notes": "",
            "scope": "vendor_price_per_ai_resolution", "tier": "vendor_list_price", "as_of": "2026-01-01", "resolution_definition": "the customer leaves",
        ]
        for (k, v) in change { row[k] = v }
        let columns = BenchmarkData.comparableColumns.filter { row[$0] != "<drop>" }
        return columns.joined(separator: ",") + "\n" + columns.map { row[$0] ?? "" }.joined(separator: ",") + "\n"
    }

    func read(_ text: String) -> Result<[PublishedFigure], CostperError> {
        do { return .success(try BenchmarkData.readComparables(Buffer("comparables.csv", text).input)) } catch let e as CostperError { return .failure(e) } catch { fatalError("\(error)") }
    }

    func message(_ change: [String: String]) -> String {
        guard case .failure(let e) = read(register(change)) else { return "read" }
        return "\(e.location.map { "\($0.file):\($0.line ?? 0)" } ?? ""): \(e.message)"
    }

    @Test func aRowReadsItsScopeTierAndAsOf() throws {
        let list = try read(register()).get()
        #expect(list.count == 1 && list[0].scope == .vendor_price_per_ai_resolution && list[0].tier == .vendor_list_price)
        #expect(list[0].asOf == AsOf(text: "2026-01-01", month: Month("2026-01")) && list[0].resolutionDefinition == "the customer leaves")
        #expect(!list[0].isIllustrative)
        #expect(try read(register(["tier": "illustrative_scenario"])).get()[0].isIllustrative)
        #expect(try read(register(["as_of": "undated"])).get()[0].asOf == .undated)
    }

    @Test func anUnknownScopeOrTierIsRefusedWithTheNearestName() {
        #expect(message(["scope": "vendor_price_per_ai_resoluton"]).contains("scope: \"vendor_price_per_ai_resoluton\" is not a scope (did you mean \"vendor_price_per_ai_resolution\"?)"))
        #expect(message(["scope": "illustrative"]).contains("did you mean \"illustrative_scenario\"?"))
        #expect(message(["tier": "vendor_listprice"]).contains("tier: \"vendor_listprice\" is not a tier (did you mean \"vendor_list_price\"?)"))
        // Nothing near: the list of names, no guess.
        let far = message(["tier": "hearsay"])
        #expect(far.contains("is not a tier: one of disclosed, vendor_list_price, secondary_estimate, illustrative_scenario") && !far.contains("did you mean"))
        #expect(message(["scope": ""]).contains("scope: is empty"))
        #expect(message(["scope": "<drop>"]).contains("scope"))   // the column itself is required
        #expect(message(["tier": "<drop>"]).contains("tier"))
        #expect(message(["as_of": "<drop>"]).contains("as_of"))
    }

    @Test func anAsOfDateIsADateOrSaysItIsUndated() {
        for bad in ["2026-13", "2026-02-30", "26-01", "2026/01/01", "soon", "2026-1", ""] {
            #expect(message(["as_of": bad]).contains("comparables.csv:2: as_of:"), "\(bad)")
        }
        for good in ["2026", "2026-02", "2024-02-29", "undated"] {
            #expect(message(["as_of": good]) == "read", "\(good)")
        }
    }

    @Test func aScopeOrTierThatContradictsTheRowIsRefused() {
        #expect(message(["basis": "per_transaction"]).contains("scope: a vendor price per AI resolution is counted per_resolved, not per_transaction"))
        #expect(message(["tier": "disclosed", "figure_kind": "estimate", "disclosure": "estimate: Someone"]).contains("tier: a disclosed figure has disclosure \"disclosed\""))
        #expect(message(["tier": "secondary_estimate"]).contains("tier: a secondary-source estimate says whose it is"))
    }

    @Test func aFigureOlderThanTwelveMonthsAtTheReportMonthIsNoted() {
        let october = Month("2026-10")!
        #expect(AsOf.parse("2023-11-15")!.note(at: october) == "older than 12 months at October 2026 (35 months)")
        #expect(AsOf.parse("2023-11-15")!.sentence(at: october) == "as of 2023-11-15, older than 12 months at October 2026 (35 months)")
        #expect(AsOf.parse("2025-10")!.note(at: october) == nil)          // exactly 12 months: not older
        #expect(AsOf.parse("2025-09-30")!.note(at: october) != nil)       // 13 months
        #expect(AsOf.parse("2025")!.note(at: october) == nil)             // a bare year is read as its December
        #expect(AsOf.undated.sentence(at: october) == "undated: its age is not known")
    }

    /// The bundled register: no figure is attributed to a company that did not publish it, and an
    /// illustrative figure never sets a threshold.
    @Test func theBundledRegisterAttributesEachFigureToItsPublisher() throws {
        let b = Buffer(file: repoRoot.appendingPathComponent("data/benchmarks/comparables.csv"))
        let list = try BenchmarkData.readComparables(b.input)
        let byName = Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
        let fin = try #require(byName["Intercom Fin"])
        #expect(fin.scope == .vendor_price_per_ai_resolution && fin.tier == .vendor_list_price && fin.figure == Money(nanos: 990_000_000))
        #expect(fin.low == nil && fin.high == nil)   // the $0.75-1.10 is the secondary source's, on its own line
        #expect(fin.resolutionDefinition.contains("leaves the conversation without asking for more help"))
        let klarna = try #require(byName["Klarna"])
        #expect(klarna.scope == .operator_all_in && klarna.tier == .disclosed)
        #expect(klarna.citation.url == "https://www.klarna.com/international/press/klarna-accelerates-global-momentum-in-q1-2025-and-unlocks-large-gains-from/")
        // Sierra, Decagon and the Intercom per-ticket range: the secondary source's, labelled so.
        for p in list where ["Sierra", "Decagon", "Runrate"].contains(where: p.name.contains) {
            #expect(p.citation.publisher == "Runrate" && p.name.contains("Runrate") && p.tier != .disclosed && p.tier != .vendor_list_price, "\(p.name)")
        }
        #expect(list.filter { $0.name.contains("Sierra") || $0.name.contains("Decagon") }.allSatisfy { $0.isIllustrative })
        // No figure of Sierra's or Decagon's: a support line per resolved ticket meets Intercom's price only.
        let line = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: Quotient(1), basis: .per_resolved, scale: nil, scope: .ai_layer),
                                   data: BenchmarkData(comparables: list), rule: ComparisonRule(), show: .usd)
        #expect(line.checks.map(\.comparable.name) == ["Intercom Fin"] && line.ruleFigure == fin.reference.dollars)
    }

    /// An illustrative figure is checked and shown beside its line, and never moves the rule's figure.
    @Test func illustrativeFiguresNeverSetTheThreshold() {
        func fig(_ name: String, _ usd: Int64, tier: FigureTier, scope: FigureScope = .operator_all_in) -> PublishedFigure {
            var p = PublishedFigure(name: name, domain: .support, unit: "resolved ticket", figure: Money(dollars: usd))
            p.tier = tier; p.scope = scope
            return p
        }
        let data = BenchmarkData(comparables: [fig("Own", 1, tier: .disclosed), fig("Scenario", 100, tier: .illustrative_scenario),
                                               fig("Example", 50, tier: .secondary_estimate, scope: .illustrative_scenario)])
        let c = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: Quotient(3), basis: .per_resolved, scale: nil), data: data, rule: ComparisonRule(), show: .usd)
        #expect(c.ruleFigure == Quotient(1) && c.state == .flagged)   // 3x the one real figure
        #expect(c.illustrative.map(\.comparable.name) == ["Scenario", "Example"])
        // Only illustrative figures: shown, never a flag.
        let only = BenchmarkData(comparables: [fig("Scenario", 1, tier: .illustrative_scenario)])
        let o = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: Quotient(30), basis: .per_resolved, scale: nil), data: only, rule: ComparisonRule(), show: .usd)
        #expect(o.state == .contextOnly && o.ratio == nil && o.illustrative.first?.ratio == Quotient(30))
    }

    /// A vendor's price per AI resolution meets our AI layer as published, and our all-in only as
    /// build or buy: price × our AI resolutions + our own human handling, per resolved ticket.
    @Test func aVendorPriceMeetsOnlyOurFigureOfItsScope() throws {
        var fin = PublishedFigure(name: "Fin", domain: .support, unit: "resolution", figure: Money(nanos: 990_000_000))
        fin.scope = .vendor_price_per_ai_resolution
        let data = BenchmarkData(comparables: [fin])
        let rule = ComparisonRule()
        // Without a build-or-buy basis an all-in line does not meet it.
        let raw = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: Quotient(1), basis: .per_resolved, scale: nil), data: data, rule: rule, show: .usd)
        #expect(raw.state == .notChecked && raw.otherScopes.map(\.name) == ["Fin"])
        let buy = BuildOrBuyBasis(aiResolutions: 3_412, humanHandling: Money(nanos: 3_506_890_000_000), resolved: 3_412)
        let allIn = Comparison.make(ComparisonSubject(label: "x", domain: .support, value: Quotient(1), basis: .per_resolved, scale: nil, buy: buy), data: data, rule: rule, show: .usd)
        let k = try #require(allIn.checks.first)
        #expect(k.buildOrBuy && k.adjusted.times(Quotient(3_412)) == Quotient(numerator: 99, denominator: 100).times(Quotient(3_412)).plus(buy.humanHandling.dollars))
        #expect(k.adjustment.formula == "($0.99 × 3,412 + $3,506.89) ÷ 3,412 = $2.02")
    }
}
