@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
import CostperIO

/// The built-in price catalog (issue 28): LiteLLM 1.110.2's model_prices_and_context_window.json
/// as data/prices/litellm.csv (scripts/refresh-prices), dated, overlaid by --prices.
@Suite struct PriceCatalogTests {
    static func usd(_ text: String) -> Money {
        guard case .success(let r) = Bytes.of(text, { Scalars.parseDecimal($0) }) else { fatalError(text) }
        return Money(nanos: r.value)
    }

    @Test func builtInCatalogHoldsEveryChatAndEmbeddingModelOfLiteLLM() throws {
        let c = try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-12")
        #expect(c.source == "data/prices/litellm.csv")
        // litellm 1.110.2: 3471 chat + 157 embedding entries, 3464 of them with input and output prices.
        #expect(c.prices.count - c.aliases == 3464)
        // Dotted names of unprefixed Claude versions answer too, at the same prices.
        #expect(c.aliases > 0)
        #expect(c["claude-haiku-4.5"]?.inputPerMTok == c["claude-haiku-4-5"]?.inputPerMTok)
        #expect(c["claude-haiku-4.5"]?.cacheWritePerMTok == Self.usd("1.25"))
    }

    /// A dozen prices against the LiteLLM map's own values (USD per token x 10^6).
    @Test func pricesMatchTheLiteLLMMap() throws {
        let c = try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-12")
        func p(_ m: String) throws -> ModelPrice { try #require(c[m], "\(m) is in the catalog") }
        // gpt-4o-mini: input 1.5E-7, output 6E-7, cache read 7.5E-8, batches 7.5E-8 / 3E-7.
        let mini = try p("gpt-4o-mini")
        #expect((mini.inputPerMTok, mini.outputPerMTok, mini.cacheReadPerMTok) == (Self.usd("0.15"), Self.usd("0.6"), Self.usd("0.075")))
        #expect((mini.batchInputPerMTok, mini.batchOutputPerMTok) == (Self.usd("0.075"), Self.usd("0.3")))
        #expect(mini.cacheWritePerMTok == nil)
        #expect(c.providers["gpt-4o-mini"] == "openai")
        // text-embedding-3-large: 1.3E-7 in, 0.0 out.
        let large = try p("text-embedding-3-large")
        #expect((large.inputPerMTok, large.outputPerMTok) == (Self.usd("0.13"), .zero))
        #expect(try p("text-embedding-3-small").inputPerMTok == Self.usd("0.02"))
        // claude-sonnet-4-5: cache_creation_input_token_cost 0.00000375 (cache write).
        let sonnet = try p("claude-sonnet-4-5")
        #expect((sonnet.inputPerMTok, sonnet.outputPerMTok, sonnet.cacheReadPerMTok, sonnet.cacheWritePerMTok) == (Self.usd("3"), Self.usd("15"), Self.usd("0.3"), Self.usd("3.75")))
        #expect(c.providers["claude-sonnet-4-5"] == "anthropic")
        // gemini-2.5-pro: above 200k tokens, 0.0000025 in and 0.000015 out (the long-context tier).
        let pro = try p("gemini-2.5-pro")
        #expect((pro.inputPerMTok, pro.outputPerMTok) == (Self.usd("1.25"), Self.usd("10")))
        #expect(pro.longContextAboveTokens == 200_000)
        #expect((pro.longInputPerMTok, pro.longOutputPerMTok) == (Self.usd("2.5"), Self.usd("15")))
        #expect((try p("gpt-4o").inputPerMTok, try p("gpt-4o").cacheReadPerMTok) == (Self.usd("2.5"), Self.usd("1.25")))
        #expect(try p("gemini/gemini-2.5-flash").cacheReadPerMTok == Self.usd("0.03"))
        #expect(try p("mistral/mistral-large-latest").outputPerMTok == Self.usd("1.5"))
        let deepseek = try p("deepseek/deepseek-chat")
        #expect((deepseek.inputPerMTok, deepseek.cacheReadPerMTok, deepseek.cacheWritePerMTok) == (Self.usd("0.28"), Self.usd("0.028"), .zero))
        #expect(try p("gpt-5").batchInputPerMTok == Self.usd("0.625"))
    }

    /// A month is priced at the catalog in force that month: October 2026 keeps the 2026-04-01
    /// catalog (seven models) after the LiteLLM catalog took effect in December.
    @Test func aMonthIsPricedAtTheCatalogInForceThatMonth() throws {
        let october = try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-10")
        #expect(october.source == "data/benchmarks/models.csv")
        #expect(october.prices.count == 7)
        // gemini-2.5-flash had no cache-read price then; LiteLLM lists 0.03.
        #expect(october["gemini-2.5-flash"]?.cacheReadPerMTok == nil)
        let december = try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-12")
        #expect(december["gemini-2.5-flash"]?.cacheReadPerMTok == Self.usd("0.03"))
        // The same request costs what it cost before in October, and the new price in December.
        let old = october["gemini-2.5-flash"]!.cost(input: 1_000_000, cachedInput: 500_000, output: 0)
        let new = december["gemini-2.5-flash"]!.cost(input: 1_000_000, cachedInput: 500_000, output: 0)
        #expect(old == Self.usd("0.3"))
        #expect(new == Self.usd("0.165"))
        #expect(ProjectFiles.builtInPriceVersion(month: "2026-11") == "data/benchmarks/models.csv")
        #expect(ProjectFiles.builtInPriceVersion(month: nil) == "data/prices/litellm.csv")
    }

    /// --prices adds the models it names and replaces those of the same name; the rest stay.
    @Test func pricesFileOverlaysTheCatalog() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("costper-overlay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("mine.csv")
        try "model,input_per_mtok_usd,output_per_mtok_usd\nmy-finetune,4,16\ngpt-4o-mini,0.1,0.5\n".write(to: file, atomically: true, encoding: .utf8)
        let c = try ProjectFiles.priceCatalog(path: file.path, dataFolder: nil, month: "2026-12")
        let builtIn = try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-12")
        #expect(c.prices.count == builtIn.prices.count + 1)
        #expect(c["my-finetune"]?.outputPerMTok == Self.usd("16"))
        #expect(c["gpt-4o-mini"]?.inputPerMTok == Self.usd("0.1"))
        #expect(c["gpt-4o-mini"]?.cacheReadPerMTok == nil)
        #expect(c["gpt-4o"]?.inputPerMTok == Self.usd("2.5"))
        #expect(c.source.contains("overlaid by \(file.path)"))
        // A LiteLLM map overlays the same way.
        let map = dir.appendingPathComponent("map.json")
        try #"{"my-model": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "cache_creation_input_token_cost": 1.25e-6}}"#.write(to: map, atomically: true, encoding: .utf8)
        let m = try ProjectFiles.priceCatalog(path: map.path, dataFolder: nil, month: "2026-10")
        #expect(m.prices.count == 8)
        #expect(m["my-model"]?.cacheWritePerMTok == Self.usd("1.25"))
        #expect(m["claude-haiku-4.5"]?.inputPerMTok == Self.usd("1"))
    }
}
