// The files costper brings with it: the report templates and the benchmark register with its price
// catalog. Built into the binary (BuiltIn.swift, generated from Templates/ and data/benchmarks/),
// so an installed costper runs from any folder; `--templates` and `--data` name folders that
// replace them.
import CostperMoney
import CostperIngest
import CostperVocabulary
import CostperCore
import Foundation

/// The four template texts, and where they came from (for messages and the manifest).
package struct TemplateTexts: Sendable {
    package var report: String
    package var layout: String
    package var index: String
    package var stylesheet: String
    /// "Templates (built in)" or the folder named with --templates.
    package var origin: String
    /// The folder named in template error messages.
    package var folder: String

    /// Each template by its file name.
    package var pairs: [(String, String)] {
        [(TemplateFile.report, report), (TemplateFile.layout, layout), (TemplateFile.index, index), (TemplateFile.stylesheet, stylesheet)]
    }
}

package enum ProjectFiles {
    static let benchmarkFiles = ["comparables.csv", "reference_ranges.csv", "reference_stack.csv", "service_types.csv", "resolution_rates.csv"]

    /// The templates of `folder`, or the built-in ones when it is nil.
    package static func templates(folder: String?) throws(CostperError) -> TemplateTexts {
        func read(_ n: String) throws(CostperError) -> String {
            guard let folder else { return BuiltIn.files["Templates/" + n]! }
            let p = (folder as NSString).appendingPathComponent(n)
            guard FileManager.default.fileExists(atPath: p) else {
                throw CostperError(.notFound, "template \(p) not found (--templates names a folder holding \(TemplateFile.report), \(TemplateFile.layout), \(TemplateFile.index) and \(TemplateFile.stylesheet))")
            }
            return try MappedFile(path: p, name: p).checkedText()
        }
        return TemplateTexts(report: try read(TemplateFile.report), layout: try read(TemplateFile.layout), index: try read(TemplateFile.index),
                             stylesheet: try read(TemplateFile.stylesheet), origin: folder ?? "Templates (built in)", folder: folder ?? "Templates")
    }

    /// The benchmark register: DATA/benchmarks/ when `dataFolder` is given, else the built-in copy.
    /// A missing or bad file stops the run with the name of the file actually read (and the line).
    package static func benchmarks(dataFolder: String?) throws(CostperError) -> BenchmarkData {
        func input(_ n: String) throws(CostperError) -> InputBuffer {
            try benchmarkFile(n, dataFolder: dataFolder)
        }
        var b = BenchmarkData()
        b.comparables = try BenchmarkData.readComparables(input("comparables.csv"))
        b.ranges = try BenchmarkData.readRanges(input("reference_ranges.csv"))
        b.stack = try BenchmarkData.readStack(input("reference_stack.csv"))
        b.serviceTypes = try BenchmarkData.readServiceTypes(input("service_types.csv"))
        // Optional in a --data folder made before it existed.
        if dataFolder == nil || FileManager.default.fileExists(atPath: ((dataFolder ?? "") as NSString).appendingPathComponent("benchmarks/resolution_rates.csv")) {
            b.resolutionRates = try BenchmarkData.readResolutionRates(input("resolution_rates.csv"))
        }
        return b
    }

    /// The price catalog that costs requests exported without cost_usd: `path` (models.csv form or
    /// LiteLLM's price map) when given, else DATA/benchmarks/models.csv, else the built-in one.
    /// The built-in catalog's dated versions, oldest first: a month is priced at the last version
    /// in force on its first day, so re-running an old month never reprices it.
    package static let builtInPriceVersions: [(effective: String, file: String)] = [
        ("0000-01-01", "data/benchmarks/models.csv"),   // the catalog as of 2026-04-01
        ("2026-12-01", "data/prices/litellm.csv"),      // LiteLLM 1.110.2's map, taken 2026-12-06: months from 2026-12
    ]

    /// The built-in catalog file in force in `month` (YYYY-MM; the newest when nil).
    package static func builtInPriceVersion(month: String?) -> String {
        let day = month.map { $0 + "-01" } ?? "9999-12-31"
        return builtInPriceVersions.last { $0.effective <= day }!.file
    }

    /// The price catalog for `month` (YYYY-MM; the newest version when nil): the built-in version
    /// in force that month (or `--data`'s benchmarks/models.csv), with `path`'s models (models.csv
    /// form or a LiteLLM map) added or replacing the ones of the same name.
    package static func priceCatalog(path: String?, dataFolder: String?, month: String? = nil) throws(CostperError) -> PriceCatalog {
        var base: PriceCatalog
        if dataFolder != nil {
            let input = try benchmarkFile("models.csv", dataFolder: dataFolder)
            base = try PriceCatalog.read(input)
            base.source = input.name
        } else {
            let file = builtInPriceVersion(month: month)
            base = try PriceCatalog.read(InputBuffer(name: file, bytes: Array(BuiltIn.files[file]!.utf8)))
            base.source = file
            // LiteLLM writes Claude versions with dashes (claude-haiku-4-5): the provider's own
            // names (no prefix) also answer to the dotted form, unless the catalog has that name.
            for name in base.modelNames where !name.contains("/") {
                for alias in PriceCatalog.litellmAliases(name) where base[alias] == nil {
                    var a = base[name]!
                    a.model = alias
                    base.add(a)
                    base.aliases += 1
                    if let p = base.providers[name] { base.providers[alias] = p }
                }
            }
        }
        guard let path else { return base }
        guard FileManager.default.fileExists(atPath: path) else { throw CostperError(.notFound, "price catalog \(path) not found") }
        var c = try PriceCatalog.read(MappedFile(path: path, name: path).input)
        c.source = path
        return base.overlaid(by: c)
    }

    static func benchmarkFile(_ n: String, dataFolder: String?) throws(CostperError) -> InputBuffer {
        guard let dataFolder else {
            return InputBuffer(name: "data/benchmarks/\(n)", bytes: Array(BuiltIn.files["data/benchmarks/" + n]!.utf8))
        }
        let p = (dataFolder as NSString).appendingPathComponent("benchmarks/" + n)
        guard FileManager.default.fileExists(atPath: p) else {
            throw CostperError(.notFound, "benchmark dataset \(p) not found (--data names the folder holding benchmarks/)")
        }
        return try MappedFile(path: p, name: p).input
    }
}
