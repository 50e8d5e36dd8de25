// The price catalog: what a model's tokens cost, to cost requests exported without cost_usd.
import CostperMoney
import CostperVocabulary


/// A model's prices in nano-dollars per million tokens (exact for any price to 1e-15 $/token).
package struct ModelPrice: Equatable, Sendable, Codable {
    package var model: String
    package var inputPerMTok: Money
    package var outputPerMTok: Money
    package var cacheReadPerMTok: Money?
    /// Listed for reference (`costper prices`); requests carry no cache-write token count to apply it to.
    package var cacheWritePerMTok: Money?
    package var batchInputPerMTok: Money?
    package var batchOutputPerMTok: Money?
    /// The first long-context tier: above this many input tokens, the long prices apply (listed).
    package var longContextAboveTokens: Int64?
    package var longInputPerMTok: Money?
    package var longOutputPerMTok: Money?

    package init(model: String, inputPerMTok: Money, outputPerMTok: Money, cacheReadPerMTok: Money? = nil) {
        self.model = model
        self.inputPerMTok = inputPerMTok
        self.outputPerMTok = outputPerMTok
        self.cacheReadPerMTok = cacheReadPerMTok
    }

    /// Exact cost of a request as a quotient of dollars: cached input tokens at the cache-read
    /// price (the input price when the model has none), the rest of the input at the input price.
    package func exactCost(input: Int64, cachedInput: Int64, output: Int64) -> Quotient {
        let cached = min(cachedInput, input)
        let cacheRate = (cacheReadPerMTok ?? inputPerMTok).nanos
        let n = Int128(input - cached) * Int128(inputPerMTok.nanos) + Int128(cached) * Int128(cacheRate)
            + Int128(output) * Int128(outputPerMTok.nanos)
        return Quotient(numerator: n, denominator: Int128(1_000_000) * Int128(Money.scale))
    }

    /// The same, rounded half to even to the nano-dollar (the one rounding a priced request gets).
    package func cost(input: Int64, cachedInput: Int64, output: Int64) -> Money? {
        exactCost(input: input, cachedInput: cachedInput, output: output).asMoney
    }
}

package struct PriceCatalog: Sendable, Codable {
    package private(set) var prices: [String: ModelPrice] = [:]
    /// Where the catalog came from, for the report's method section.
    package var source: String
    /// What reading it found worth saying (data-quality notices), e.g. LiteLLM entries skipped.
    package var notes: [String] = []
    /// Each model's provider (models.csv's `provider` column), to tie invoices to the traces.
    package var providers: [String: String] = [:]
    /// How many of `prices` are other names of a listed model (claude-haiku-4.5 for claude-haiku-4-5).
    package var aliases = 0

    package init(_ list: [ModelPrice] = [], source: String = "") {
        self.source = source
        for p in list { prices[p.model] = p }
    }

    package subscript(model: String) -> ModelPrice? { prices[model] }

    package var modelNames: [String] { prices.keys.sorted() }

    package mutating func add(_ p: ModelPrice) { prices[p.model] = p }

    /// This catalog with `other`'s models added or replacing the ones of the same name
    /// (`--prices FILE` over the built-in catalog).
    package func overlaid(by other: PriceCatalog) -> PriceCatalog {
        var c = self
        for (name, p) in other.prices { c.prices[name] = p }
        for (name, p) in other.providers { c.providers[name] = p }
        c.notes += other.notes
        c.source = "\(source), overlaid by \(other.source) (\(other.prices.count) models added or replaced)"
        return c
    }
}

package extension PriceCatalog {
    package static let csvColumns = ["model", "input_per_mtok_usd", "output_per_mtok_usd", "cache_read_per_mtok_usd"]
    /// Further prices a catalog may list (the built-in one from LiteLLM's map does).
    package static let extraColumns = ["cache_write_per_mtok_usd", "batch_input_per_mtok_usd", "batch_output_per_mtok_usd",
                                      "long_input_per_mtok_usd", "long_output_per_mtok_usd"]

    /// Reads a catalog in models.csv form. A bad row stops the run: prices are reference data.
    package static func readCSV(_ input: InputBuffer) throws(CostperError) -> PriceCatalog {
        var catalog = PriceCatalog(source: input.name)
        var rejects: [Reject] = []
        try readCSVTable(input, required: Array(csvColumns.prefix(3)), known: csvColumns + extraColumns + ["long_context_above_tokens", "provider", "source", "as_of", "notes"], rejects: &rejects) { line, header, fields, rejects in
            func col(_ n: String) -> Bytes? { header.position(n).map { fields[$0] } }
            func reject(_ c: String, _ r: String) { rejects.append(Reject(file: input.name, line: line, column: c, reason: r)) }
            guard let model = utf8String(col("model")!), !model.isEmpty else { return reject("model", "is empty") }
            var values: [Money?] = []
            for name in csvColumns.dropFirst() + extraColumns {
                guard let f = col(name), !f.isEmpty else { values.append(nil); continue }
                switch Scalars.parseDecimal(f) {
                case .success(let r): values.append(Money(nanos: r.value))
                case .failure(let e): return reject(name, e.reason(for: String(decoding: f, as: UTF8.self)))
                }
            }
            guard let i = values[0] else { return reject("input_per_mtok_usd", "is empty") }
            guard let o = values[1] else { return reject("output_per_mtok_usd", "is empty") }
            if catalog[model] != nil { return reject("model", "\(Scalars.quoteForMessage(model)) is listed twice") }
            var p = ModelPrice(model: model, inputPerMTok: i, outputPerMTok: o, cacheReadPerMTok: values[2])
            (p.cacheWritePerMTok, p.batchInputPerMTok, p.batchOutputPerMTok) = (values[3], values[4], values[5])
            (p.longInputPerMTok, p.longOutputPerMTok) = (values[6], values[7])
            if let f = col("long_context_above_tokens"), !f.isEmpty {
                guard let n = Int64(String(decoding: f, as: UTF8.self)), n > 0 else { return reject("long_context_above_tokens", "is not a positive whole number of tokens") }
                p.longContextAboveTokens = n
            }
            catalog.add(p)
            if let f = col("provider"), let p = utf8String(f), !p.isEmpty { catalog.providers[model] = p }
        }
        if let first = rejects.first { throw first.error }
        return catalog
    }
}
