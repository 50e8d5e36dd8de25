// The input folder: which of its files costper reads, mapped, hashed for the manifest.
import CostperMoney
import CostperIngest
import CostperVocabulary
import CostperCore
import Foundation
import Gzip

/// The files of an input folder that costper knows.
package struct InputFolder {
    package var folder: String
    /// The month's data files: tickets.csv / tickets.jsonl and requests.csv / requests.jsonl by
    /// those names, then every other .csv, .json, .jsonl or .ndjson file (exports read by content:
    /// OTLP/JSON traces, LiteLLM spend logs, Langfuse observations, help-desk tickets).
    package var dataFiles: [MappedFile]
    package var fixedCosts: MappedFile?
    package var config: MappedFile?
    package var forecast: MappedFile?
    /// revenue.csv: what each tenant paid in the month (optional).
    package var revenue: MappedFile?
    /// invoices.csv: what each model provider invoiced (optional; tied to the traces).
    package var invoices: MappedFile?
    /// fx_rates.csv: the months' exchange rates, beside costper.toml's [fx] (optional).
    package var fxRates: MappedFile?

    package init(folder: String, configPath: String?) throws(CostperError) {
        self.folder = folder
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw CostperError(.notFound, "input folder \(folder) not found")
        }
        func path(_ n: String) -> String { (folder as NSString).appendingPathComponent(n) }
        func exists(_ n: String) -> Bool { FileManager.default.fileExists(atPath: path(n)) }
        let canonical = ["tickets.csv", "tickets.jsonl", "requests.csv", "requests.jsonl"]
        let reserved: Set<String> = ["fixed_costs.csv", "forecast.csv", "rejects.csv", "revenue.csv", "invoices.csv", "fx_rates.csv"]
        var names = canonical.filter(exists)
        let listing = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for n in listing where !n.hasPrefix(".") && !canonical.contains(n) && !reserved.contains(n) {
            let ext = (n as NSString).pathExtension.lowercased()
            // A gzipped CSV (AWS Data Exports deliver FOCUS as .csv.gz) is read through zlib.
            guard ["csv", "json", "jsonl", "ndjson"].contains(ext) || InputFolder.isGzippedCSV(n) else { continue }
            var d: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path(n), isDirectory: &d), !d.boolValue else { continue }
            if let configPath, URL(fileURLWithPath: configPath).standardizedFileURL == URL(fileURLWithPath: path(n)).standardizedFileURL { continue }
            names.append(n)
        }
        if !names.contains(where: { $0.hasPrefix("tickets.") }) && names.count == names.filter({ $0.hasPrefix("requests.") }).count {
            throw CostperError(.notFound, "tickets.csv or tickets.jsonl: not found in \(folder) (one row per ticket; see docs/inputs.md)")
        }
        if names.count == 1 && names[0].hasPrefix("tickets.") {
            throw CostperError(.notFound, "requests.csv or requests.jsonl: not found in \(folder) (one row per billable request; see docs/inputs.md)")
        }
        var files: [MappedFile] = []
        for n in names { files.append(try MappedFile(path: path(n), name: n)) }
        try InputFolder.refuseCopies(files)
        dataFiles = files
        fixedCosts = exists("fixed_costs.csv") ? try MappedFile(path: path("fixed_costs.csv"), name: "fixed_costs.csv") : nil
        forecast = exists("forecast.csv") ? try MappedFile(path: path("forecast.csv"), name: "forecast.csv") : nil
        revenue = exists("revenue.csv") ? try MappedFile(path: path("revenue.csv"), name: "revenue.csv") : nil
        invoices = exists("invoices.csv") ? try MappedFile(path: path("invoices.csv"), name: "invoices.csv") : nil
        fxRates = exists("fx_rates.csv") ? try MappedFile(path: path("fx_rates.csv"), name: "fx_rates.csv") : nil
        if let configPath {
            config = try MappedFile(path: configPath, name: (configPath as NSString).lastPathComponent)
        } else {
            config = exists("costper.toml") ? try MappedFile(path: path("costper.toml"), name: "costper.toml") : nil
        }
    }

    /// Two data files that look like one export twice (the same bytes, or names like `requests
    /// (copy).csv` beside `requests.csv`) stop the run: read both and the month's cost doubles.
    static func refuseCopies(_ files: [MappedFile]) throws(CostperError) {
        // A name with a copy mark beside the name without it (parts such as spend_1.json and
        // spend_2.json, with no bare spend.json, are read as parts).
        var byBase: [String: String] = [:]
        for f in files { byBase[(f.name as NSString).deletingPathExtension.lowercased()] = f.name }
        for f in files {
            let base = (f.name as NSString).deletingPathExtension.lowercased()
            let stem = copyStem(f.name)
            if stem != base, let other = byBase[stem] {
                throw CostperError(.badData, "\(other) and \(f.name) look like copies of one export (reading both would count its rows twice): keep one of them in the input folder")
            }
        }
        // The same bytes under two names: compare sizes first, hashes only for equal sizes.
        let bySize = Dictionary(grouping: files.filter { $0.byteCount > 0 }, by: \.byteCount)
        for (_, group) in bySize where group.count > 1 {
            var seen: [String: String] = [:]
            for f in group {
                if let other = seen[f.sha256] {
                    throw CostperError(.badData, "\(other) and \(f.name) are the same file (SHA-256 \(f.sha256.prefix(12))…): reading both would count its rows twice; keep one of them in the input folder")
                }
                seen[f.sha256] = f.name
            }
        }
    }

    /// A file name without its extension and the marks a copy gets: "requests (copy).csv",
    /// "requests copy.csv", "requests - Copy.csv", "Copy of requests.csv", "requests (1).csv",
    /// "requests-1.csv", "requests_2.csv" all become "requests".
    static func copyStem(_ name: String) -> String {
        var s = (name as NSString).deletingPathExtension.lowercased()
        if s.hasPrefix("copy of ") { s = String(s.dropFirst(8)) }
        let patterns = [#"\s*[-_ ]?\s*\(copy( \d+)?\)$"#, #"\s*[-_ ]\s*copy( \d+)?$"#, #"\s*\(\d+\)$"#, #"[-_ ]\d{1,2}$"#]
        var changed = true
        while changed {
            changed = false
            for p in patterns {
                if let r = s.range(of: p, options: .regularExpression) { s.removeSubrange(r); changed = true }
            }
        }
        return s
    }

    /// Stops the run when any input changed while it was read (see `MappedFile.checkUnchanged`).
    package func checkUnchanged() throws(CostperError) {
        for f in all { try f.checkUnchanged() }
    }

    /// Every file, in a stable order, for the manifest.
    package var all: [MappedFile] {
        dataFiles + [fixedCosts, forecast, revenue, invoices, fxRates, config].compactMap { $0 }
    }

    /// Reads and closes the month: every data file by its content (ExportIngest), so canonical
    /// files and the exports companies already have read the same way.
    package func accounts(config given: CostperConfig, prices: PriceCatalog, month: Month?) throws(CostperError) -> MonthAccounts {
        var cfg = given
        if let fxRates { try cfg.bills.fx.add(csv: fxRates.input) }
        var sources: [InputBuffer] = []
        for f in dataFiles { sources.append(InputFolder.isGzippedCSV(f.name) ? try InputFolder.gunzipped(f) : f.input) }
        var a = try ExportIngest.accounts(sources: sources, fixedCosts: fixedCosts?.input, config: cfg, prices: prices, month: month,
                                                invoices: invoices?.input)
        if let revenue { a = a.adding(revenue: try a.currency.convert(RevenueList.read(revenue.input))) }
        return a
    }
}

extension InputFolder {
    /// The most a .csv.gz may expand to: it is held in memory, where a plain file is mapped.
    package static let maxGunzippedBytes = 1 << 31

    static func isGzippedCSV(_ name: String) -> Bool { name.lowercased().hasSuffix(".csv.gz") }

    /// A .csv.gz file's CSV, in memory, named as the file is (its rejects say `focus.csv.gz:12`).
    static func gunzipped(_ f: MappedFile, limit: Int = maxGunzippedBytes) throws(CostperError) -> InputBuffer {
        switch f.gunzip(limit: limit) {
        case .success(let bytes): return InputBuffer(name: f.name, bytes: bytes)
        case .failure(.tooLarge):
            throw CostperError(.badData, "\(f.name) expands to more than \(limit >> 20) MiB, which costper would hold in memory: gunzip it into the input folder instead (a plain file is read without holding it in memory)")
        case .failure(.corrupt(let why)):
            throw CostperError(.badData, "\(f.name) cannot be gunzipped (\(why)): check it with gzip -t, or export it again")
        }
    }

    /// The data files' bytes (the progress line's total).
    package var dataBytes: Int { dataFiles.reduce(0) { $0 + $1.byteCount } }

    /// Every input file as the manifest lists it: path, size and SHA-256 (the month's build adds
    /// the rows read and rejected).
    package var manifestRecords: [InputRecord] {
        all.map { InputRecord(path: $0.name, bytes: $0.byteCount, sha256: $0.sha256) }
    }
}
