import CostperMoney
import CostperIngest
import CostperVocabulary
import ArgumentParser
import CostperCore
import CostperIO
import Foundation

/// `costper prices [PATTERN]`: the price catalog a month is costed with, as a table or JSON.
struct Prices: CostperCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the price catalog (USD per million tokens), or the models matching a pattern.",
        discussion: "PATTERN is a case-insensitive substring of the model name, or a glob with * and ?. The built-in catalog is dated: --month shows the version a month is priced at (default: the newest). --prices FILE adds or replaces models as `report --prices` does.")

    @Argument(help: "A model name, a part of one, or a glob (gpt-4o*).")
    var pattern: String?

    @Option(name: .long, help: "The month (YYYY-MM) whose prices to show; default: the newest catalog.")
    var month: String?

    @Option(name: .long, help: "Prices added to the catalog or replacing models of the same name (models.csv form or a LiteLLM map).")
    var prices: String?

    @Flag(name: .long, help: "Print JSON (one object per model) instead of a table.")
    var json = false

    @OptionGroup var dataOption: DataOption

    func check() throws(CostperError) {
        if let month, Month(month) == nil {
            throw CostperError(.usage, "--month must be a month written YYYY-MM, e.g. 2026-10, from 1970-01 to 9999-12")
        }
    }

    func execute() throws(CostperError) {
        let catalog = try ProjectFiles.priceCatalog(path: prices, dataFolder: dataOption.data, month: month)
        let names = catalog.modelNames.filter { pattern.map(Prices.matcher($0)) ?? true }
        if let pattern, names.isEmpty {
            let near = Prices.suggestions(pattern, in: catalog.modelNames)
            throw CostperError(.notFound, "no model in the price catalog (\(catalog.source)) matches \(Scalars.quoteForMessage(pattern))" + (near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?"))
        }
        if json {
            var out = "[\n"
            for (i, n) in names.enumerated() {
                let p = catalog[n]!
                var fields: [(String, String)] = [("model", Prices.jsonString(n))]
                if let v = catalog.providers[n] { fields.append(("provider", Prices.jsonString(v))) }
                func add(_ k: String, _ m: Money?) { if let m { fields.append((k, Prices.decimal(m))) } }
                add("input_per_mtok_usd", p.inputPerMTok); add("output_per_mtok_usd", p.outputPerMTok)
                add("cache_read_per_mtok_usd", p.cacheReadPerMTok); add("cache_write_per_mtok_usd", p.cacheWritePerMTok)
                add("batch_input_per_mtok_usd", p.batchInputPerMTok); add("batch_output_per_mtok_usd", p.batchOutputPerMTok)
                if let t = p.longContextAboveTokens { fields.append(("long_context_above_tokens", String(t))) }
                add("long_input_per_mtok_usd", p.longInputPerMTok); add("long_output_per_mtok_usd", p.longOutputPerMTok)
                out += "  {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}" + (i + 1 < names.count ? ",\n" : "\n")
            }
            print(out + "]")
            return
        }
        let dash = "-"
        var rows = [["model", "provider", "input", "output", "cache read", "cache write", "batch in", "batch out", "long context"]]
        for n in names {
            let p = catalog[n]!
            let long = p.longContextAboveTokens.map { t in "> \(t): \(p.longInputPerMTok.map(Prices.decimal) ?? dash) / \(p.longOutputPerMTok.map(Prices.decimal) ?? dash)" } ?? dash
            rows.append([n, catalog.providers[n] ?? dash, Prices.decimal(p.inputPerMTok), Prices.decimal(p.outputPerMTok),
                         p.cacheReadPerMTok.map(Prices.decimal) ?? dash, p.cacheWritePerMTok.map(Prices.decimal) ?? dash,
                         p.batchInputPerMTok.map(Prices.decimal) ?? dash, p.batchOutputPerMTok.map(Prices.decimal) ?? dash, long])
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max()! }
        for r in rows {
            print(r.enumerated().map { $0.offset == r.count - 1 ? $0.element : $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  "))
        }
        print("\(names.count) of \(catalog.prices.count) models, USD per million tokens, from \(catalog.source)")
    }

    /// A price per million tokens as its exact decimal (nano-dollar precision), no trailing zeros.
    static func decimal(_ m: Money) -> String {
        var s = m.formatted(decimals: 9)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s.replacingOccurrences(of: ",", with: "")
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// Case-insensitive: a glob when the pattern holds * or ?, else a substring.
    static func matcher(_ name: String) -> (String) -> Bool {
        { pattern in
            let n = Array(name.lowercased()), p = Array(pattern.lowercased())
            guard p.contains("*") || p.contains("?") else { return name.lowercased().contains(pattern.lowercased()) }
            // Iterative glob match with backtracking to the last star: linear in practice.
            var i = 0, j = 0, star = -1, mark = 0
            while i < n.count {
                if j < p.count, p[j] == "?" || p[j] == n[i] { i += 1; j += 1 }
                else if j < p.count, p[j] == "*" { star = j; mark = i; j += 1 }
                else if star >= 0 { j = star + 1; mark += 1; i = mark }
                else { return false }
            }
            while j < p.count, p[j] == "*" { j += 1 }
            return j == p.count
        }
    }

    /// Up to three catalog names nearest to `name` by edit distance.
    static func suggestions(_ name: String, in names: [String]) -> [String] {
        let a = Array(name.lowercased())
        func distance(_ b: [Character]) -> Int {
            var prev = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var cur = [i + 1] + Array(repeating: 0, count: b.count)
                for (j, y) in b.enumerated() { cur[j + 1] = min(prev[j + 1] + 1, cur[j] + 1, prev[j] + (x == y ? 0 : 1)) }
                prev = cur
            }
            return prev[b.count]
        }
        let scored = names.map { ($0, distance(Array($0.lowercased()))) }.filter { $0.1 <= max(3, a.count / 3) }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }
}
