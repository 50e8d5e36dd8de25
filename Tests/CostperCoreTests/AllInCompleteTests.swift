// Issue 25, item 6: an all-in that is complete. A FOCUS bill replaces a fixed_costs.csv row only
// when it is the same line (its name, or a rule's `replaces`), never by category; invoice gaps are
// variable model cost; `[reconcile] payroll_usd`.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

@Suite struct AllInCompleteTests {
    static let aws = String(decoding: try! Data(contentsOf: repoRoot.appendingPathComponent("data/sample/focus_aws.csv")), as: UTF8.self)
    static let sampleToml = String(decoding: try! Data(contentsOf: repoRoot.appendingPathComponent("data/sample/costper.toml")), as: UTF8.self)
        .components(separatedBy: "\n[[scenarios.route]]").first!   // the routing scenario needs a price catalog
    static let sampleFixed = String(decoding: try! Data(contentsOf: repoRoot.appendingPathComponent("data/sample/fixed_costs.csv")), as: UTF8.self)

    /// The tiny month (October 2026) with the sample's AWS bill, these fixed costs and settings.
    func month(fixed: String = AllInCompleteTests.sampleFixed, toml: String = AllInCompleteTests.sampleToml) throws -> MonthAccounts {
        let dir = fixture("tiny")
        let cfg = try CostperConfig.parse(toml)
        return try MonthInput.accounts(tickets: .file(Buffer(file: dir.appendingPathComponent("tickets.csv")).input),
                                       requests: [.file(Buffer(file: dir.appendingPathComponent("requests.csv")).input)],
                                       fixedCosts: Buffer("fixed_costs.csv", fixed).input, config: cfg, prices: PriceCatalog(), month: nil,
                                       focus: [Buffer("focus_aws.csv", Self.aws).input], invoices: nil)
    }

    func nanos(_ items: [FixedCost]) -> Int64 { items.reduce(0) { $0 + $1.amount.nanos } }

    /// AWS bills OpenSearch, CloudWatch and compute in the vector database, observability and
    /// infrastructure categories; Pinecone, Langfuse, the hosting and the gateway are other
    /// vendors of the same categories: all four stay, and are listed beside the bills.
    @Test func aBillNeverReplacesAWholeCategory() throws {
        let a = try month()
        let b = try #require(a.bills)
        #expect(b.mode == .replace && b.replaced.isEmpty)
        #expect(Set((b.keptBeside ?? []).map(\.name)) == ["Pinecone standard plan", "App hosting and queue", "LLM gateway", "Langfuse team plan"])
        #expect(nanos(a.fixedCosts) == 504_000_000_000 + 504_000_000_000)   // the bill's $504 and the four rows' $504
        #expect(a.fixedThisMonth == Money(dollars: 1_008))
    }

    /// A row of a bill line's own name is that line (any case, outer spaces): replaced.
    @Test func aRowOfTheSameLineIsReplaced() throws {
        let fixed = Self.sampleFixed + "2026-10,observability,  amazon cloudwatch ,199\n"
        let a = try month(fixed: fixed)
        let b = try #require(a.bills)
        #expect(b.replaced.map(\.name) == ["  amazon cloudwatch "])
        #expect(a.fixedThisMonth == Money(dollars: 1_008))
    }

    /// A rule that says which rows its line stands for (`replaces`) replaces them; a name that is
    /// not a row of the month is a notice with the row it likely means.
    @Test func aRuleReplacesTheRowsItNames() throws {
        let toml = Self.sampleToml.replacingOccurrences(of: "service_name = \"Amazon CloudWatch\"\ncategory = \"observability\"",
                                                        with: "service_name = \"Amazon CloudWatch\"\ncategory = \"observability\"\nreplaces = [\"Langfuse team plan\", \"LLM gateway\"]")
        #expect(toml != Self.sampleToml)
        let a = try month(toml: toml)
        let b = try #require(a.bills)
        #expect(Set(b.replaced.map(\.name)) == ["Langfuse team plan", "LLM gateway"])
        #expect(Set((b.standIns ?? []).map(\.name)) == ["Langfuse team plan", "LLM gateway"])
        #expect(a.fixedThisMonth == Money(dollars: 1_008 - 199 - 60))
        // With "add", the same rows stand in (for the sensitivity) but every row counts.
        let added = try month(toml: toml.replacingOccurrences(of: "fixed_costs = \"replace\"", with: "fixed_costs = \"add\""))
        #expect(added.bills?.replaced.isEmpty == true && Set((added.bills?.standIns ?? []).map(\.name)) == ["Langfuse team plan", "LLM gateway"])
        #expect(added.fixedThisMonth == Money(dollars: 1_008))
        let typo = Self.sampleToml.replacingOccurrences(of: "service_name = \"Amazon CloudWatch\"\ncategory = \"observability\"",
                                                        with: "service_name = \"Amazon CloudWatch\"\ncategory = \"observability\"\nreplaces = \"Langfuse team plna\"")
        let t = try month(toml: typo)
        #expect(t.bills?.replaced.isEmpty == true)
        #expect(t.notices.contains("costper.toml: a [focus] rule's replaces names \"Langfuse team plna\", which is not a fixed_costs.csv row of 2026-10; did you mean \"Langfuse team plan\"?"), "\(t.notices)")
    }

    @Test func addModeKeepsEveryRow() throws {
        let a = try month(toml: Self.sampleToml.replacingOccurrences(of: "fixed_costs = \"replace\"", with: "fixed_costs = \"add\""))
        #expect(a.bills?.replaced.isEmpty == true && a.fixedThisMonth == Money(dollars: 1_008))
    }

    /// payroll_usd is read in USD, refused when negative, and a misspelling is refused with the key it means.
    @Test func payrollIsASetting() throws {
        let c = try CostperConfig.parse("[reconcile]\npayroll_usd = 3600.50\n")
        #expect(c.bills.reconcile.payroll == Money(nanos: 3_600_500_000_000))
        #expect(throws: ConfigError.self) { _ = try CostperConfig.parse("[reconcile]\npayroll_usd = -1\n") }
        do {
            _ = try CostperConfig.parse("[reconcile]\npayrol_usd = 3600\n")
            Issue.record("a misspelt key was accepted")
        } catch {
            #expect("\(error)".contains("did you mean \"payroll_usd\"?"), "\(error)")
        }
    }

    /// An invoice gap is variable model cost: the month's tickets share it by their request cost
    /// (a ticket without requests takes none of it), exactly, and it is not part of the month's
    /// fixed cost (the F that scales the comparables and the run rate).
    @Test func anInvoiceGapFollowsTheModelCalls() throws {
        let dir = fixture("tiny")
        var prices = PriceCatalog([ModelPrice(model: "gpt-5.4-nano", inputPerMTok: Money(nanos: 200_000_000), outputPerMTok: Money(nanos: 1_250_000_000))])
        prices.providers = ["gpt-5.4-nano": "OpenAI", "text-embedding-3-small": "OpenAI", "claude-haiku-4.5": "Anthropic", "claude-sonnet-4.6": "Anthropic"]
        let cfg = try CostperConfig.parse("company = \"Tiny Co\"\n")
        func accounts(_ invoices: String?) throws -> MonthAccounts {
            try MonthInput.accounts(tickets: .file(Buffer(file: dir.appendingPathComponent("tickets.csv")).input),
                                    requests: [.file(Buffer(file: dir.appendingPathComponent("requests.csv")).input)],
                                    fixedCosts: Buffer(file: dir.appendingPathComponent("fixed_costs.csv")).input, config: cfg, prices: prices, month: nil,
                                    focus: [], invoices: invoices.map { Buffer("invoices.csv", "provider,month,amount,currency,model,line_item\n" + $0).input })
        }
        let plain = try accounts(nil)
        // Anthropic invoices $1.02405 against $0.02405 traced: a $1.00 gap.
        let a = try accounts("Anthropic,2026-10,1.02405,USD,,\nOpenAI,2026-10,0.000326,USD,,\n")
        let gaps = a.fixedCosts.filter { !$0.isFixed }
        #expect(gaps.map(\.amount) == [Money(dollars: 1)], "\(a.fixedCosts)")
        #expect(a.total.nanos == plain.total.nanos + 1_000_000_000)
        #expect(a.fixedThisMonth == plain.fixedThisMonth && a.fixedThisMonth == Money(dollars: 30))
        // The outcomes' costs still add up to the month, the gap included.
        #expect(a.outcomeCost.values.reduce(0) { $0 + $1.nanos } + a.weekly.orphanCost.nanos + a.weekly.unallocatedFixed.nanos == a.total.nanos
                || a.outcomeCost.values.reduce(0) { $0 + $1.nanos } == a.total.nanos)
        let m0 = MonthFigures(plain), m1 = MonthFigures(a)
        #expect(m1.fixedTotal == m0.fixedTotal)
        #expect(m1.variableTotal == m0.variableTotal + 1_000_000_000)
    }
}
