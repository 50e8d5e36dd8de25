import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
import CostperIO

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

/// A month's site files, built from an input folder by the library call the command line makes
/// (clock: SOURCE_DATE_EPOCH 1790000000, nothing published before).
func buildMonth(_ folder: URL, prices: PriceCatalog, forecast: String? = nil, published: [PublishedMonth] = [], pack: BoardPack = BoardPack()) throws -> SiteFiles {
    let f = try InputFolder(folder: folder.path, configPath: nil)
    let cfg = try f.config.map { try CostperConfig.parse($0.text) } ?? CostperConfig()
    let a = try f.accounts(config: cfg, prices: prices, month: nil)
    let benchmarks = try ProjectFiles.benchmarks(dataFolder: nil)
    let plan = try forecast.map { (try ForecastFile.read(InputBuffer(name: "forecast.csv", bytes: Array($0.utf8)), benchmarks: benchmarks), "forecast.csv") }
    return try MonthReport.build(accounts: a, forecast: plan, benchmarks: try ProjectFiles.benchmarks(dataFolder: nil), templates: try repoTemplates(),
                                 published: published, clock: 1_790_000_000, inputs: f.manifestRecords,
                                 settings: RunSettings(input: "tiny", templates: "Templates (built in)", config: "costper.toml (input folder)", data: "data (built in)"),
                                 versions: ("test", "test"), pack: pack)
}

/// The tiny month's folder files, built by the same call the command line makes.
func tinyMonth(forecast: String? = tinyForecast) throws -> [String: [UInt8]] {
    try buildMonth(fixture("tiny"), prices: tinyPrices, forecast: forecast).monthFiles
}
