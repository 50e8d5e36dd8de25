@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
import CostperIO
import XLSX

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func fixture(_ path: String) -> URL { repoRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(path) }

/// The built-in templates (the same texts as Templates/: a test checks the embedding).
func repoTemplates() throws -> TemplateSet {
    let t = try ProjectFiles.templates(folder: nil)
    return try TemplateSet(report: t.report, layout: t.layout, index: t.index, stylesheet: t.stylesheet)
}

/// Compares `actual` with the golden file; COSTPER_UPDATE_GOLDEN=1 rewrites it instead.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = repoRoot.appendingPathComponent("Tests/Fixtures/golden").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["COSTPER_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }
        Issue.record("\(name) differs from the golden file at line \((first?.offset ?? min(e.count, a.count)) + 1): expected \(first.map { String($0.element.0) } ?? "<end>"), got \(first.map { String($0.element.1) } ?? "<end>")",
                     sourceLocation: sourceLocation)
    }
}

/// Loads an input folder through the same edge the executable uses.
func accounts(_ folder: URL, prices: PriceCatalog = PriceCatalog()) throws -> MonthAccounts {
    let f = try InputFolder(folder: folder.path, configPath: nil)
    let cfg = try f.config.map { try CostperConfig.parse($0.text) } ?? CostperConfig()
    return try f.accounts(config: cfg, prices: prices, month: nil)
}

let tinyPrices = PriceCatalog([
    ModelPrice(model: "gpt-5.4-nano", inputPerMTok: Money(nanos: 200_000_000), outputPerMTok: Money(nanos: 1_250_000_000)),
    ModelPrice(model: "claude-haiku-4.5", inputPerMTok: Money(dollars: 1), outputPerMTok: Money(dollars: 5), cacheReadPerMTok: Money(nanos: 100_000_000)),
], source: "test prices")

/// Runs the built costper executable. `report` runs without report.pdf (each print starts
/// Chromium: seconds) unless `pdf` is true: only the tests of the PDF print it.
func runCostper(_ args: [String], cwd: URL = repoRoot, environment: [String: String] = [:], executable: URL? = nil,
                pdf: Bool = false) throws -> (status: Int32, stdout: String, stderr: String) {
    let args = args.first == "report" && !pdf && !args.contains("--no-pdf") ? ["report", "--no-pdf"] + args.dropFirst() : args
    // COSTPER_EXE: another build of the executable (scripts/sanitize runs the sanitized one).
    let exe = executable ?? ProcessInfo.processInfo.environment["COSTPER_EXE"].map { URL(fileURLWithPath: $0) } ?? repoRoot.appendingPathComponent(".build/debug/costper")
    let p = Process()
    p.executableURL = exe
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["SOURCE_DATE_EPOCH"] = nil   // the tests choose the clock
    for (k, v) in environment { env[k] = v }
    p.environment = env
    p.currentDirectoryURL = cwd
    // Output goes to files, read after the exit: a pipe read can fail with EINTR under load.
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("costper-run-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    p.standardOutput = out
    p.standardError = err
    try p.run()
    p.waitUntilExit()
    try? out.close()
    try? err.close()
    let o = try Data(contentsOf: outURL)
    let e = try Data(contentsOf: errURL)
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

func temporaryFolder(_ name: String = #function) throws -> URL {
    let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("costper-tests-\(getpid())")
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = base.appendingPathComponent(safe + "-" + UUID().uuidString.prefix(8))
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The tiny month's plan to check: a whole-mix line and a service-type line.
let tinyForecast = """
month,domain,service_type,volume,cost_per_outcome_usd,fixed_monthly_usd
2026-11,support,,10000,0.8,2500
2026-12,support,billing,500,1.1,

"""

/// A month closed from an input folder by the library call the command line makes (closeMonth:
/// clock SOURCE_DATE_EPOCH 1790000000).
func closeTestMonth(_ folder: URL, prices: PriceCatalog, forecast: String? = nil, pack: BoardPack = BoardPack()) throws -> MonthRecord {
    let f = try InputFolder(folder: folder.path, configPath: nil)
    let cfg = try f.config.map { try CostperConfig.parse($0.text) } ?? CostperConfig()
    let a = try f.accounts(config: cfg, prices: prices, month: nil)
    let benchmarks = try ProjectFiles.benchmarks(dataFolder: nil)
    let plan = try forecast.map { try ForecastFile.read(InputBuffer(name: "forecast.csv", bytes: Array($0.utf8)), benchmarks: benchmarks) }
    return try closeMonth(MonthInputs(accounts: a, forecast: plan, benchmarks: benchmarks, inputs: f.manifestRecords),
                          settings: MonthSettings(sourceDateEpoch: 1_790_000_000,
                                                  run: RunSettings(input: "tiny", templates: "Templates (built in)", config: "costper.toml (input folder)", data: "data (built in)"),
                                                  versions: Versions(costper: "test", cmark: "test"), pack: pack))
}

/// A month's files as the site renders them (Site.month and Site.rootFiles, as Site.render calls them).
struct BuiltMonth {
    var record: MonthRecord
    var monthFiles: [String: [UInt8]]
    var rootFiles: [String: [UInt8]]
    var workbook: Workbook?
}

/// A month's site files, closed and rendered by the library calls the command line makes, after
/// the months `published` (as the site's earlier records give them).
func buildMonth(_ folder: URL, prices: PriceCatalog, forecast: String? = nil, published: [PublishedMonth] = [], pack: BoardPack = BoardPack()) throws -> BuiltMonth {
    let record = try closeTestMonth(folder, prices: prices, forecast: forecast, pack: pack)
    let templates = try repoTemplates()
    let month = try Site.month(record, earlier: published, templates: templates)
    let root = Site.rootFiles(published.filter { $0.month != record.month } + [record.published], templates: templates,
                              company: record.report.accounts.config.company, currency: record.currency)
    return BuiltMonth(record: record, monthFiles: month.files, rootFiles: root, workbook: month.workbook)
}

/// A month's entry as another month (for a history built from one fixture).
func relabelled(_ p: PublishedMonth, _ month: String) -> PublishedMonth {
    var p = p
    p.month = Month(month)!
    p.figures?.month = p.month
    return p
}

/// The tiny month's folder files, built by the same call the command line makes.
func tinyMonth(forecast: String? = tinyForecast) throws -> [String: [UInt8]] {
    try buildMonth(fixture("tiny"), prices: tinyPrices, forecast: forecast).monthFiles
}

// summary.json read back as a user's tool reads it: the tests check that the public file holds the
// month's figures (the site itself never reads it: it is rendered from the month records).
extension PublishedMonth {
    /// A month of the site, from its summary.json (money read exactly, as written); nil when the
    /// file is not one costper wrote.
    public init?(month: Month, summaryJSON bytes: [UInt8]) {
        guard let obj = JSONParser.parse(String(decoding: bytes, as: UTF8.self)), obj.members != nil else { return nil }
        func money(_ v: ExportJSON?) -> Quotient? {
            // Signed: a saving below zero (a month dearer than the human baseline) is written as such.
            guard let v, case .number(let text) = v else { return nil }
            let negative = text.hasPrefix("-")
            guard case .success(let r) = Scalars.parseDecimal(negative ? String(text.dropFirst()) : text) else { return nil }
            return Money(nanos: negative ? -r.value : r.value).dollars
        }
        func count(_ v: ExportJSON?) -> Int {
            guard let v, case .number(let text) = v, case .success(let n) = Scalars.parseCount(text) else { return 0 }
            return Int(n)
        }
        let tenants = (obj["tenants"]?.elements ?? []).compactMap { t -> TenantMonth? in
            guard let name = t["tenant"]?.stringValue else { return nil }
            return TenantMonth(tenant: name, cost: money(t["cost_usd"]) ?? Quotient(0), resolvedTickets: count(t["resolved_tickets"]),
                               costPerResolved: money(t["cost_per_resolved_ticket_usd"]))
        }
        self.init(month: month, costPerResolved: money(obj["cost_per_resolved_ticket_usd"]), totalCost: money(obj["total_cost_usd"]) ?? Quotient(0),
                  resolvedTickets: count(obj["resolved_tickets"]), flags: obj["flags"]?.elements?.count ?? 0, tenants: tenants)
        plans = PlannedLine.parse(obj["plans"])
        tickets = count(obj["tickets"])
        serviceTypes = (obj["service_types"]?.elements ?? []).compactMap { t -> ServiceTypeMonth? in
            guard let key = t["service_type"]?.stringValue, let v = t["cost_usd"], case .number(let text) = v,
                  case .success(let c) = Scalars.parseDecimal(text) else { return nil }
            return ServiceTypeMonth(serviceType: key, label: t["label"]?.stringValue ?? key, resolved: count(t["resolved_tickets"]), cost: Money(nanos: c.value))
        }
        lineCount = obj["lines"]?.elements?.count ?? 0
        baseline = money(obj["baseline_cost_per_resolved_usd"])
        savingsShare = money(obj["savings_share"])
        func nanos(_ v: ExportJSON?) -> Money? {
            guard let v, case .number(let text) = v, case .success(let r) = Scalars.parseDecimal(text) else { return nil }
            return Money(nanos: r.value)
        }
        if let costs = obj["cost_by_category_usd"], let fixed = obj["fixed_cost_by_category_usd"] {
            var c: [CostCategory: Money] = [:], f: [CostCategory: Money] = [:]
            var complete = true
            for cat in CostCategory.allCases {
                guard let x = nanos(costs[cat.rawValue]), let y = nanos(fixed[cat.rawValue]) else { complete = false; break }
                c[cat] = x; f[cat] = y
            }
            if complete { figures = MonthFigures(month: month, tickets: tickets, resolvedTickets: resolvedTickets, costByCategory: c, fixedByCategory: f) }
        }
        autonomousRate = money(obj["autonomous_resolution_rate"])
        rateVerdicts = PublishedMonth.verdicts((obj["resolution_rate_checks"]?.elements ?? []).compactMap { c in
            guard let kind = c["reference"]?.stringValue, let v = c["verdict"]?.stringValue else { return nil }
            return (kind, v)
        })
    }

}

extension PlannedLine {
    static func parse(_ v: ExportJSON?) -> [PlannedLine] {
        (v?.elements ?? []).compactMap { p in
            guard let text = p["month"]?.stringValue, let m = Month(text),
                  case .number(let vol)? = p["volume"], case .success(let n) = Scalars.parseCount(vol),
                  case .number(let cpo)? = p["cost_per_outcome_usd"], case .success(let c) = Scalars.parseDecimal(cpo) else { return nil }
            return PlannedLine(month: m, domain: p["domain"]?.stringValue ?? "", serviceType: p["service_type"]?.stringValue ?? "",
                               volume: Int64(n), costPerOutcome: Money(nanos: c.value).dollars)
        }
    }
}
