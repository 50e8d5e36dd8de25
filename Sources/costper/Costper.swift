// The costper command line: a thin layer over CostperCore and CostperSite.
import ArgumentParser
import CostperCore
import CostperSite
import Foundation
import GFM

let costperVersion = "0.1.0"

@main
struct Costper: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costper",
        abstract: "What one resolved AI-support ticket really costs, all-in, against published comparables.",
        version: "costper \(costperVersion) (cmark-gfm \(GFM.libraryVersion))",
        subcommands: [Report.self, Validate.self, Compare.self, Estimate.self, ROI.self, Baseline.self, Benchmarks.self, Sample.self],
        defaultSubcommand: nil
    )
}

/// Prints an input error as one sentence on stderr and exits with its status.
func fail(_ e: InputError) -> Never {
    FileHandle.standardError.write(Data(("costper: " + e.message + "\n").utf8))
    exit(e.exitCode)
}

func warn(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "The folder holding the month's exports.")
    var input: String = "data/sample"

    @Option(name: .long, help: "The month to report (YYYY-MM); inferred from the data when absent.")
    var month: String?

    @Option(name: .long, help: "costper.toml to use instead of the one in the input folder.")
    var config: String?

    @Option(name: .long, help: "A price catalog to cost requests exported without cost_usd: models.csv form, or LiteLLM's model_prices_and_context_window.json.")
    var prices: String?

    @OptionGroup var dataOption: DataOption
    var data: String? { dataOption.data }

    func validate() throws {
        if let month, Month(month) == nil {
            throw ValidationError("--month must be a month written YYYY-MM, e.g. 2026-10")
        }
    }

    /// Loads everything and closes the month.
    func load() throws(InputError) -> (InputFolder, CostperConfig, MonthAccounts) {
        let folder = try InputFolder(folder: input, configPath: config)
        var cfg = CostperConfig()
        if let c = folder.config {
            do { cfg = try CostperConfig.parse(c.text, file: c.name) } catch { throw InputError(.badData, error.description) }
        }
        let catalogPath = prices ?? (dataFolder(data) as NSString).appendingPathComponent("benchmarks/models.csv")
        var catalog = PriceCatalog(source: "none")
        if FileManager.default.fileExists(atPath: catalogPath) || prices != nil {
            let f = try MappedFile(path: catalogPath, name: prices == nil ? "data/benchmarks/models.csv" : (catalogPath as NSString).lastPathComponent)
            catalog = try f.read(PriceCatalog.read)
            catalog.source = prices == nil ? "data/benchmarks/models.csv" : catalogPath
        }
        let accounts = try folder.accounts(config: cfg, prices: catalog, month: month.flatMap(Month.init))
        return (folder, cfg, accounts)
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ingest a month, compute, and publish the board report site.")

    @OptionGroup var inputs: InputOptions

    @Option(name: .long, help: "The site folder to publish into.")
    var out: String = "site"

    @Option(name: .long, help: "A folder of templates replacing the built-in ones (report.md.mustache, layout.html.mustache, index.html.mustache, style.css).")
    var templates: String?

    func run() throws {
        signal(SIGXFSZ, SIG_IGN)   // a file-size limit (ulimit -f) fails the write with EFBIG: exit 73, not a core dump
        do {
            try GFM.checkExtensions()
        } catch {
            fail(InputError(.badData, "\(error)"))
        }
        do {
            // The only clock the report knows (reproducible-builds.org); checked before any work.
            var sourceDateEpoch: Int64?
            if let sde = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] {
                guard let seconds = Scalars.parseSourceDateEpoch(sde) else {
                    fail(InputError(.usage, "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (it is \(Scalars.quoteForMessage(sde)))"))
                }
                sourceDateEpoch = seconds
            }
            let templateDir = templates ?? projectFolder("Templates", holding: TemplateSet.reportFile)
            let set = try loadTemplates(templateDir)
            let benchmarks = try BenchmarkData.load(dataFolder: dataFolder(inputs.data))
            var (folder, cfg, accounts) = try inputs.load()
            var plans: [ForecastPlan] = []
            if let f = folder.forecast {
                let file = try f.read(ForecastFile.read)
                accounts.add(file, file: f.name)
                plans = file.plans
            }
            let outURL = URL(fileURLWithPath: out)
            let published = Publisher.publishedMonths(out: outURL)
            var report = MonthReport(accounts: accounts, costperVersion: costperVersion, cmarkVersion: GFM.libraryVersion)
            if let prev = published.first(where: { $0.month == accounts.month.previous }) {
                report.previousMonth = prev.month
                report.previousCostPerResolved = prev.costPerResolved
            }
            if let seconds = sourceDateEpoch {
                report.prepared = (seconds, "SOURCE_DATE_EPOCH")
            } else if let latest = accounts.latestRequest {
                report.prepared = (latest, "the time of the month's latest request")
            }
            report.alertReport = Alerts.evaluate(accounts, ticketIDs: accounts.ticketIDs)
            report.apply(ComparablesReview.make(accounts, data: benchmarks, forecast: plans), references: benchmarks.ranges)
            let records = manifestInputs(folder, accounts)
            let options: [(String, String)] = [
                ("input", inputs.input), ("month", accounts.month.description), ("out", out), ("templates", templates ?? "Templates (built in)"),
                ("config", inputs.config ?? (folder.config != nil ? "costper.toml (input folder)" : "defaults")),
                ("prices", accounts.priceSource), ("data", inputs.data ?? "data (built in)"),
            ]
            let files = try SiteBuilder.monthFiles(report, templates: set, inputs: records, options: options)
            var months = published.filter { $0.month != accounts.month }
            months.append(PublishedMonth(report))
            let root: [String: [UInt8]] = [
                "index.html": SiteBuilder.indexPage(months, templates: set, company: cfg.company),
                "tenants_by_month.csv": SiteBuilder.tenantTrendCSV(months).bytes,
                "assets/style.css": Array(set.stylesheet.utf8),
            ]
            try Publisher.publish(out: outURL, month: accounts.month, monthFiles: files, rootFiles: root)
            let rejected = accounts.rejectedRows
            print("costper: \(accounts.month): cost per resolved ticket \(Show.unit(accounts.costPerResolved)) over \(Show.count(accounts.resolvedTickets)) resolved tickets (total \(Show.usd(accounts.total)))")
            if rejected > 0 { print("costper: \(rejected) rows rejected: see \(out)/\(accounts.month)/rejects.csv") }
            print("costper: published \(out)/\(accounts.month)/index.html")
        } catch let e as InputError {
            fail(e)
        } catch let e as GFMError {
            fail(InputError(.badData, "rendering the report failed: \(e)"))
        }
    }
}

/// A folder of the project (data, Templates): the one named relative to the working directory when
/// it exists, else the one beside the executable's build folder (so `costper` works from anywhere).
func projectFolder(_ name: String, holding file: String) -> String {
    if FileManager.default.fileExists(atPath: (name as NSString).appendingPathComponent(file)) { return name }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
        let candidate = dir.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(file).path) { return candidate.path }
        dir = dir.deletingLastPathComponent()
    }
    return name
}

func dataFolder(_ option: String?) -> String { option ?? projectFolder("data", holding: "benchmarks/comparables.csv") }

func manifestInputs(_ folder: InputFolder, _ a: MonthAccounts) -> [InputRecord] {
    folder.all.map { f in
        let q = a.files.first { $0.file == f.name }
        return InputRecord(path: f.name, bytes: f.byteCount, sha256: f.sha256, rowsRead: q?.rowsRead, rowsRejected: q?.rejected)
    }
}

func loadTemplates(_ dir: String) throws(InputError) -> TemplateSet {
    func read(_ n: String) throws(InputError) -> String {
        let p = (dir as NSString).appendingPathComponent(n)
        guard let d = FileManager.default.contents(atPath: p) else {
            throw InputError(.notFound, "template \(p) not found (--templates names a folder holding \(TemplateSet.reportFile), \(TemplateSet.layoutFile), \(TemplateSet.indexFile) and \(TemplateSet.stylesheetFile))")
        }
        return String(decoding: d, as: UTF8.self)
    }
    return try TemplateSet(report: read(TemplateSet.reportFile), layout: read(TemplateSet.layoutFile), index: read(TemplateSet.indexFile),
                           stylesheet: read(TemplateSet.stylesheetFile), folder: dir)
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read and check the inputs, print every problem, write nothing; exit 65 if any row is rejected.")

    @OptionGroup var inputs: InputOptions

    func run() throws {
        do {
            let (_, _, a) = try inputs.load()
            for r in a.rejects { print(r.message) }
            for n in a.notices { print("notice: " + n) }
            for f in a.files {
                print("\(f.file): \(f.rowsRead) rows read, \(f.accepted) accepted, \(f.rejected) rejected, \(f.outsideMonth) outside \(a.month)")
            }
            if a.orphanRequests > 0 { print("\(a.orphanRequests) requests name a ticket that is not in tickets.csv (kept and counted)") }
            if !a.rejects.isEmpty { throw ExitCode(65) }
        } catch let e as InputError {
            fail(e)
        }
    }
}

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a synthetic, realistic month of exports (deterministic), for demos and benchmarks.")

    @Option(name: .long, help: "How many tickets.")
    var tickets: Int

    @Option(name: .long, help: "The folder to write requests.csv, tickets.csv, fixed_costs.csv, costper.toml and forecast.csv into.")
    var out: String

    @Option(name: .long, help: "The seed of the generator: the same seed gives the same files.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "The month (YYYY-MM).")
    var month: String = "2026-10"

    func validate() throws {
        guard tickets >= 1, tickets <= 100_000_000 else { throw ValidationError("--tickets must be from 1 to 100,000,000") }
        guard Month(month) != nil else { throw ValidationError("--month must be a month written YYYY-MM, e.g. 2026-10") }
    }

    func run() throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            fail(InputError(.cannotWrite, "cannot create \(out): \(error.localizedDescription)"))
        }
        var handles: [SampleFile: FileHandle] = [:]
        for f in SampleFile.allCases {
            let tmp = (out as NSString).appendingPathComponent(".\(f.rawValue).tmp")
            guard fm.createFile(atPath: tmp, contents: nil), let h = FileHandle(forWritingAtPath: tmp) else {
                fail(InputError(.cannotWrite, "cannot write \(tmp)"))
            }
            handles[f] = h
        }
        do {
            try SampleMonth.generate(SampleSpec(tickets: tickets, seed: seed, month: Month(month)!)) { file, bytes in
                try handles[file]!.write(contentsOf: bytes)
            }
            for f in SampleFile.allCases {
                try handles[f]!.close()
                let tmp = (out as NSString).appendingPathComponent(".\(f.rawValue).tmp")
                let dest = (out as NSString).appendingPathComponent(f.rawValue)
                guard rename(tmp, dest) == 0 else { throw InputError(.cannotWrite, "cannot write \(dest)") }
            }
        } catch let e as InputError {
            fail(e)
        } catch {
            fail(InputError(.cannotWrite, "cannot write the sample into \(out): \(error.localizedDescription)"))
        }
        print("costper: wrote a \(tickets)-ticket month (\(month), seed \(seed)) to \(out)")
    }
}
