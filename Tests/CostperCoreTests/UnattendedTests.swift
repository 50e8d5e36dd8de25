// Issue 27: inputs that must stop a run instead of going wrong in silence.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

@Suite struct UnattendedTests {
    /// The month of Tests/Fixtures/tiny (October 2026) with `toml` as costper.toml.
    func tiny(_ toml: String, fxRates: String? = nil) throws -> MonthAccounts {
        let dir = fixture("tiny")
        var cfg = try CostperConfig.parse("company = \"Tiny Co\"\n" + toml)
        if let fxRates { try cfg.bills.fx.add(csv: Buffer("fx_rates.csv", fxRates).input) }
        return try MonthInput.accounts(tickets: .file(Buffer(file: dir.appendingPathComponent("tickets.csv")).input),
                                       requests: [.file(Buffer(file: dir.appendingPathComponent("requests.csv")).input)],
                                       fixedCosts: nil, config: cfg, prices: PriceCatalog(), month: nil, focus: [], invoices: nil)
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as CostperError { return e.message } catch let e as ConfigError { return e.description } catch { return "\(error)" }
    }

    @Test func aRateForTheReportsOwnCurrencyMustBeOne() throws {
        #expect(message { _ = try tiny("[fx]\n\"2026-10\" = 0.92\n") }
                == "a rate of 0.92 for USD in 2026-10 (costper.toml [fx] \"2026-10\") is a rate for the report's own currency, USD: it must be 1 or be left out")
        #expect(message { _ = try tiny("currency = \"EUR\"\n[fx]\n\"2026-10\" = 0.92\n[fx.EUR]\n\"2026-10\" = 1.1\n") }
                == "a rate of 1.1 for EUR in 2026-10 (costper.toml [fx.EUR] \"2026-10\") is a rate for the report's own currency, EUR: it must be 1 or be left out")
        #expect(message { _ = try tiny("currency = \"EUR\"\n[fx]\n\"2026-10\" = 0.92\n", fxRates: "month,currency,rate\n2026-10,EUR,1.5\n") }
                == "a rate of 1.5 for EUR in 2026-10 (fx_rates.csv:2) is a rate for the report's own currency, EUR: it must be 1 or be left out")
        // A rate of exactly 1 for the own currency is harmless, and the month reads.
        let a = try tiny("currency = \"EUR\"\n[fx]\n\"2026-10\" = 0.92\n[fx.EUR]\n\"2026-10\" = 1.000\n")
        #expect(a.currency.code == "EUR")
    }

    @Test func aRateWithMoreThanNineDecimalsIsRefusedNotRounded() throws {
        #expect(message { _ = try CostperConfig.parse("[fx.EUR]\n\"2026-10\" = \"1.0853000001\"\n") }
                == "costper.toml: fx.EUR.2026-10: \"1.0853000001\" has more than 9 decimals; a rate is used exactly as written (round it to 9 decimals yourself)")
        // Nine decimals are exact.
        let c = try CostperConfig.parse("[fx.EUR]\n\"2026-10\" = \"1.085300001\"\n")
        #expect(c.bills.fx.rates["EUR"]?[Month("2026-10")!.key] == Quotient(numerator: 1_085_300_001, denominator: 1_000_000_000).reduced)
        var fx = FxRates()
        #expect(message { try fx.add(csv: Buffer("fx_rates.csv", "month,currency,rate\n2026-10,GBP,0.7912345678\n").input) }
                == "rate: \"0.7912345678\" has more than 9 decimals; a rate is used exactly as written (round it to 9 decimals yourself)")
    }

    // Item 2: money that cannot go below zero in silence.
    static let openSearch = "[[focus.rules]]\nservice_name = \"Amazon OpenSearch Service\"\ncategory = \"vector_db\"\n"

    @Test func aFocusLineAndACategoryBelowZeroStopTheRunWithTheirLines() throws {
        let credit = BillsTests.row("-4.20", "-4.20", service: "Amazon OpenSearch Service", category: "Credit")
        let bills = BillsTests()
        #expect(message { _ = try bills.month(toml: "[focus]\n" + Self.openSearch, focus: credit) }
                == "The FOCUS line Amazon OpenSearch Service (vector_db) nets -4.20 USD for 2026-10: charges 0.00 USD, credits -4.20 USD, corrections 0.00 USD over 1 row; The month's vector_db cost nets -4.1995 USD (lines below zero: Amazon OpenSearch Service -4.20 USD): credits beyond charges stop the run; check the credits, or allow them with [focus] allow_net_credits = true")
        // Allowed: the month closes with the credit, and says so.
        let a = try bills.month(toml: "[focus]\nallow_net_credits = true\n" + Self.openSearch, focus: credit)
        #expect(a.costByCategory[.vector_db] == Money(nanos: -4_199_500_000))
        #expect(a.netCredits == [
            "Credits beyond charges, allowed by [focus] allow_net_credits = true: the FOCUS line Amazon OpenSearch Service (vector_db) nets -4.20 USD for 2026-10: charges 0.00 USD, credits -4.20 USD, corrections 0.00 USD over 1 row.",
            "Credits beyond charges, allowed by [focus] allow_net_credits = true: the month's vector_db cost nets -4.1995 USD (lines below zero: Amazon OpenSearch Service -4.20 USD).",
        ])
        #expect(a.notices.contains(a.netCredits[0]))
        // A credit within the charges is no notice at all.
        let netted = try bills.month(toml: "[focus]\n" + Self.openSearch, focus: BillsTests.row("5", "5", service: "Amazon OpenSearch Service") + credit)
        #expect(netted.netCredits.isEmpty)
        #expect(netted.costByCategory[.vector_db] == Money(nanos: 800_500_000))
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[focus]\nallow_net_credits = \"yes\"\n") }
    }

    @Test func aNegativeAllInTotalIsNeverClosedEvenWhenCreditsAreAllowed() throws {
        let credit = BillsTests.row("-5000", "-5000", service: "Amazon OpenSearch Service", category: "Credit")
        let bills = BillsTests()
        let expected = "the month's all-in cost is -4966.631790667 USD, below zero: credits exceed every charge, and a negative month is never closed. The FOCUS line Amazon OpenSearch Service (vector_db) nets -5000.00 USD for 2026-10: charges 0.00 USD, credits -5000.00 USD, corrections 0.00 USD over 1 row; The month's vector_db cost nets -4999.9995 USD (lines below zero: Amazon OpenSearch Service -5000.00 USD)"
        #expect(message { _ = try bills.month(toml: "[focus]\n" + Self.openSearch, focus: credit) } == expected)
        #expect(message { _ = try bills.month(toml: "[focus]\nallow_net_credits = true\n" + Self.openSearch, focus: credit) } == expected)
    }

    @Test func aNegativeInvoiceStopsTheRun() throws {
        let bills = BillsTests()
        let m = message { _ = try bills.month(toml: "", invoices: "Anthropic,2026-10,-100,USD,,\n") } ?? ""
        #expect(m.hasPrefix("the month's all-in cost is -66.655840667 USD, below zero: credits exceed every charge, and a negative month is never closed. The invoice of Anthropic for 2026-10 (invoices.csv) nets -100.00 USD; The month's model cost nets -"), "\(m)")
        #expect(m.contains("lines below zero: Invoice gap: Anthropic (invoiced − traced) -100.02405 USD"), "\(m)")
        #expect(CostperError(.badData, m).exitCode == 65)
    }

    // Item 4: closed sets of keys.
    @Test func aMisspelledKeyAnywhereStopsWithDidYouMean() throws {
        let rule = "[[focus.rules]]\nsevice_name = \"Amazon CloudWatch\"\ncategory = \"observability\"\n"
        #expect(message { _ = try CostperConfig.parse(rule) }
                == "costper.toml: focus.rules[1].sevice_name: is not a key costper knows; a key costper does not know is refused, not ignored (did you mean \"service_name\"?)")
        #expect(message { _ = try CostperConfig.parse("[alerts]\nburst_factr = 3\n") }
                == "costper.toml: alerts.burst_factr: is not a key costper knows; a key costper does not know is refused, not ignored (did you mean \"burst_factor\"?)")
        #expect(message { _ = try CostperConfig.parse("[baseline]\naht_minute = 9\n") }
                == "costper.toml: baseline.aht_minute: is not a key costper knows; a key costper does not know is refused, not ignored (did you mean \"aht_minutes\"?)")
        #expect(message { _ = try CostperConfig.parse("compnay = \"X\"\n") }
                == "costper.toml: compnay: is not a key costper knows; a key costper does not know is refused, not ignored (did you mean \"company\"?)")
        #expect(message { _ = try CostperConfig.parse("[focus]\nallow_net_credit = true\n") }
                == "costper.toml: focus.allow_net_credit: is not a key costper knows; a key costper does not know is refused, not ignored (did you mean \"allow_net_credits\"?)")
        // As a stop of the run: exit 65.
        do { _ = try CostperConfig.parse(rule) } catch { #expect(error.error.exitCode == 65) }
    }

    @Test func aFocusRuleWithNoConditionNeedsMatchAll() throws {
        #expect(message { _ = try CostperConfig.parse("[[focus.rules]]\ncategory = \"infrastructure\"\n") }
                == "costper.toml: focus.rules[1]: has no condition (service_name, service_category, resource_id, sub_account, provider or tag), so it would match every row; add match_all = true if that is meant")
        let c = try CostperConfig.parse("[[focus.rules]]\ncategory = \"infrastructure\"\nmatch_all = true\n")
        #expect(c.bills.focus.rules.map(\.summary) == ["every row"])
        #expect(message { _ = try CostperConfig.parse("[[focus.rules]]\nprovider = \"AWS\"\ncategory = \"infrastructure\"\nmatch_all = true\n") }
                == "costper.toml: focus.rules[1].match_all: is for a rule with no condition; this rule has ProviderName \"AWS\"")
    }

    @Test func anInvoiceOfAnUntracedProviderBesideATracedOneWithoutInvoiceIsRefused() throws {
        let bills = BillsTests()
        #expect(message { _ = try bills.month(toml: "", invoices: "Anthropic PBC,2026-10,0.03,USD,,\nOpenAI,2026-10,0.000326,USD,,\n") }
                == "the invoice of \"Anthropic PBC\" (invoices.csv) has no traced cost in 2026-10, and Anthropic is traced with no invoice: did you mean \"Anthropic\"? Name the provider as the price catalog does, or the invoice counts in full on top of the traces")
        // Named as the catalog names it, the invoice ties.
        let a = try bills.month(toml: "", invoices: "Anthropic,2026-10,0.03,USD,,\nOpenAI,2026-10,0.000326,USD,,\n")
        #expect(a.bills?.reconciliation?.ties.first { $0.provider == "Anthropic" }?.traced == Money(nanos: 24_050_000))
        #expect(MonthBills.similarNames("Anthropic PBC", "anthropic") && !MonthBills.similarNames("Mistral", "OpenAI"))
    }
}

