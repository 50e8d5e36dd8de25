// The costper command line: parses options, calls the library, publishes, prints. The only place
// that reads the environment (SOURCE_DATE_EPOCH) and the only place that exits.
import CostperMoney
import CostperIngest
import CostperVocabulary
import ArgumentParser
import CostperCore
import CostperIO
import CostperSite
import Foundation
import GFM
import Synchronization

let costperVersion = "0.1.0"

@main
enum Main {
    static func main() {
        signal(SIGXFSZ, SIG_IGN)   // a file-size limit (ulimit -f) fails the write with EFBIG: exit 73, not a core dump
        do {
            var command = try Costper.parseAsRoot()
            try command.run()
        } catch let e as CostperError {
            FileHandle.standardError.write(Data((Scalars.visible(e.description) + "\n").utf8))
            exit(e.exitCode)
        } catch {
            Costper.exit(withError: error)
        }
    }
}

struct Costper: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costper",
        abstract: "What one resolved AI-support ticket really costs, all-in, against published comparables.",
        discussion: ExitStatus.help,
        version: "costper \(costperVersion) (cmark-gfm \(GFM.libraryVersion))",
        subcommands: [Report.self, Validate.self, Compare.self, Estimate.self, ROI.self, Baseline.self, Benchmarks.self, Sample.self, SQL.self, Prices.self, Unpublish.self],
        defaultSubcommand: nil
    )
}

/// A subcommand whose every failure is a CostperError: its arguments are checked first (a usage
/// error, exit 64), then it runs.
protocol CostperCommand: ParsableCommand {
    func check() throws(CostperError)
    func execute() throws(CostperError)
}

extension CostperCommand {
    func check() throws(CostperError) {}
    func run() throws {
        try check()
        try execute()
    }
}

struct InputOptions: ParsableArguments {
    @Option(name: .customLong("input"), help: "The folder holding the month's exports (required outside a costper checkout, where data/sample is the default).")
    var inputOption: String?

    /// `--input`, or the checkout's sample month.
    var input: String { inputOption ?? "data/sample" }

    @Option(name: .long, help: "The month to report (YYYY-MM); inferred from the data when absent.")
    var month: String?

    @Option(name: .long, help: "costper.toml to use instead of the one in the input folder.")
    var config: String?

    @Option(name: .long, help: "Prices added to the built-in catalog (replacing models of the same name) to cost requests exported without cost_usd: models.csv form, or LiteLLM's model_prices_and_context_window.json.")
    var prices: String?

    @Option(name: .customLong("allow-missing"), help: ArgumentHelp("A column a [tickets] help-desk mapping names that the export may lack, comma-separated or repeated: review_minutes (human review is then reported as not measured, never $0) or closed_at (each ticket counts in the month of its first request). Without it, either missing stops the run.", valueName: "review_minutes|closed_at"),
            completion: .list(TicketMapping.essential))
    var allowMissing: [String] = []

    /// --allow-missing's columns, each checked.
    func allowedMissing() throws(CostperError) -> [String] {
        var out: [String] = []
        for word in allowMissing.flatMap({ $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }) where !word.isEmpty {
            guard TicketMapping.essential.contains(word) else {
                throw CostperError(.usage, "--allow-missing takes review_minutes or closed_at (it is \(Scalars.quoteForMessage(word)))")
            }
            if !out.contains(word) { out.append(word) }
        }
        return out
    }

    @OptionGroup var dataOption: DataOption
    var data: String? { dataOption.data }

    func check() throws(CostperError) {
        if let month, Month(month) == nil {
            throw CostperError(.usage, "--month must be a month written YYYY-MM, e.g. 2026-10, from 1970-01 to 9999-12")
        }
        _ = try allowedMissing()
        var isFolder: ObjCBool = false
        if inputOption == nil, !(FileManager.default.fileExists(atPath: "data/sample", isDirectory: &isFolder) && isFolder.boolValue) {
            throw CostperError(.usage, "--input FOLDER is required: the folder holding the month's exports (data/sample is the default only in a costper checkout). To try costper on a generated month: costper sample --out demo && costper report --input demo --out site")
        }
    }

    /// Reads the input folder and closes the month, with a progress line on a terminal.
    func load() throws(CostperError) -> (InputFolder, MonthAccounts) {
        try check()
        let folder = try InputFolder(folder: input, configPath: config)
        let files = folder.dataFiles, total = folder.dataBytes, name = folder.folder
        let progress = ProgressLine { ProgressLine.Reading(stage: "reading \(name)", done: files.reduce(0) { $0 + $1.bytesRead }, total: total) }
        defer { progress.stop() }
        var cfg = CostperConfig()
        if let c = folder.config {
            let text = try c.checkedText()
            do { cfg = try CostperConfig.parse(text, file: c.name) } catch { throw error.error }
        }
        let allowed = try allowedMissing()
        if !allowed.isEmpty { cfg.exports.tickets?.allowMissing = allowed }
        // A month is priced at the built-in catalog in force that month. When the month is
        // inferred from the data, the first pass guesses the last calendar month; a month of
        // another catalog version is read again with its own (never silently repriced).
        let guess = month ?? Month(epochSeconds: Int64(Date().timeIntervalSince1970)).previous.description
        var accounts = try folder.accounts(config: cfg, prices: ProjectFiles.priceCatalog(path: prices, dataFolder: data, month: guess), month: month.flatMap(Month.init))
        let actual = accounts.month.description
        if data == nil, ProjectFiles.builtInPriceVersion(month: actual) != ProjectFiles.builtInPriceVersion(month: guess) {
            accounts = try folder.accounts(config: cfg, prices: ProjectFiles.priceCatalog(path: prices, dataFolder: data, month: actual), month: accounts.month)
        }
        try folder.checkUnchanged()
        return (folder, accounts)
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ingest a month, compute, and publish the board report site.",
                                                    discussion: ExitStatus.reportHelp)

    @OptionGroup var inputs: InputOptions

    @Option(name: .long, help: "The site folder to publish into.")
    var out: String = "site"

    @Option(name: .long, help: "A folder of templates replacing the built-in ones (report.md.mustache, layout.html.mustache, index.html.mustache, style.css).")
    var templates: String?

    @Flag(name: .customLong("no-pdf"), help: "Publish without report.pdf (headless Chromium prints it when installed; a few seconds).")
    var noPDF = false

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("For CI, comma-separated or repeated: reject (any rejected row stops the run before anything is published, exit 65), flag or alert (the month is published, then the run exits 2 when it has a flagged line or an alert).", valueName: "flag|alert|reject"),
            completion: .list(FailOn.allCases.map(\.rawValue)), transform: FailOn.parseList)
    var failOn: [[FailOn]] = []

    @Flag(name: .long, help: "Print one JSON document on stdout (the month's figures, flags, alerts, notices, the paths written); the lines for people go to stderr.")
    var json = false

    @Flag(name: .long, help: "Replace a published month even when its total changes by more than [publish] max_change_share (50% unless costper.toml says).")
    var replace = false

    @Option(name: .customLong("as-of"), help: "The report's date, YYYY-MM-DD (\"Prepared\"; before SOURCE_DATE_EPOCH, else the month's latest request).")
    var asOf: String?

    /// Publishes the month; what it says goes through `console` (stdout, or stderr under --json).
    func publishMonth(_ console: Console) throws(CostperError) -> ReportRun {
        do { try GFM.checkExtensions() } catch { throw CostperError(.badData, "\(error)") }
        // The only clock the report knows (reproducible-builds.org); checked before any work.
        var sourceDateEpoch: Int64?
        if let sde = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] {
            guard let seconds = Scalars.parseSourceDateEpoch(sde) else {
                throw CostperError(.usage, "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 (it is \(Scalars.quoteForMessage(sde)))")
            }
            sourceDateEpoch = seconds
        }
        var asOfSeconds: Int64?
        if let asOf {
            guard let day = Scalars.parseDay(asOf) else {
                throw CostperError(.usage, "--as-of must be a date YYYY-MM-DD (it is \(Scalars.quoteForMessage(asOf)))")
            }
            asOfSeconds = day
        }
        let texts = try ProjectFiles.templates(folder: templates)
        let templateSet = try TemplateSet(report: texts.report, layout: texts.layout, index: texts.index, stylesheet: texts.stylesheet, folder: texts.folder)
        let benchmarks = try ProjectFiles.benchmarks(dataFolder: inputs.data)
        let (folder, accounts) = try inputs.load()
        let forecast = try folder.forecast.map { f throws(CostperError) in try ForecastFile.read(f.input, benchmarks: benchmarks) }
        // A month that must not be published stops here, before --out is created or locked (docs/bills.md, "Running unattended").
        let policy = PublicationPolicy(failOnReject: failing.contains(.reject), replace: replace)
        try PublicationGate.checkContent(accounts, policy: policy)
        for w in accounts.warnings { console.notice(w, warning: true) }
        let outURL = URL(fileURLWithPath: out)
        // report.pdf when headless Chromium is installed (and not turned off), else a notice.
        let chromium = noPDF ? nil : PrintedReport.findChromium(path: ProcessInfo.processInfo.environment["PATH"])
        if !noPDF && chromium == nil {
            console.notice("no report.pdf: headless Chromium is not installed (Debian: apt-get install chromium; --no-pdf skips the PDF)")
        }
        let settings = RunSettings(input: inputs.input, templates: texts.origin,
                                   config: inputs.config ?? (folder.config != nil ? "costper.toml (input folder)" : "defaults"),
                                   data: inputs.data ?? "data (built in)")
        var record = try closeMonth(
            MonthInputs(accounts: accounts, forecast: forecast, forecastName: folder.forecast?.name ?? "forecast.csv",
                        benchmarks: benchmarks, inputs: folder.manifestRecords),
            settings: MonthSettings(sourceDateEpoch: sourceDateEpoch, asOf: asOfSeconds, run: settings, versions: Versions(costper: costperVersion, cmark: GFM.libraryVersion),
                                    pack: BoardPack(pdf: chromium != nil, xlsx: true, inputsDigest: BoardPackFiles.inputsDigest(folder.manifestRecords))))
        let month = record.month
        // From reading the site's records to the last rename, one run at a time.
        let siteLock = try Publisher.lock(out: outURL) { message in FileHandle.standardError.write(Data((message + "\n").utf8)) }
        defer { withExtendedLifetime(siteLock) {} }
        try Publisher.recover(out: outURL)   // a publication a killed run committed is finished first
        let stored = try MonthStore.records(out: outURL, replacing: month)
        // Replacing a published month whose total moves too far needs --replace (PublicationGate).
        try PublicationGate.checkReplacement(accounts, policy: policy, published: MonthStore.publishedTotal(out: outURL, month: month))
        for n in stored.notices { console.notice(n) }
        try MonthStore.checkCurrency(record, site: stored.records, out: out)
        var records = stored.records.filter { $0.month < month } + [record] + stored.records.filter { $0.month > month }

        // The month and every later one, rendered from their records; a later month whose files
        // come out the same is left as it is (SitePublication, shared with unpublish).
        let publication = try SitePublication.render(records, primary: month, from: month, templates: templateSet, chromium: chromium, out: outURL)
        for n in publication.primaryNotices { console.notice(n) }
        records = publication.records
        let changed = publication.changed, notices = publication.notices
        record = records.first { $0.month == month }!

        try folder.checkUnchanged()   // an input truncated or grown while read: publish nothing
        let folders = try publication.folders()
        try Publisher.publish(out: outURL, months: folders, rootFiles: publication.site.rootFiles, lock: siteLock)
        let a = record.report.accounts
        let show = a.show
        console.line("costper: \(month): cost per resolved ticket \(show.unit(a.costPerResolved)) over \(Show.count(a.resolvedTickets)) resolved tickets (total \(show.amount(a.total)))")
        if a.rejectedRows > 0 { console.line("costper: \(a.rejectedRows) rows rejected: see \(out)/\(month)/rejects.csv") }
        console.line("costper: published \(out)/\(month)/index.html")
        let later = changed.filter { $0 != month }
        if !later.isEmpty {
            console.line("costper: rendered the later months again against this one: " + later.map(\.description).joined(separator: ", "))
        }
        for n in notices { console.notice(n) }
        return ReportRun(record: record, out: out, folders: folders, rootFiles: publication.site.rootFiles.keys.sorted(), later: later)
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read and check the inputs, print every problem, write nothing; exit 65 if any row is rejected.",
                                                    discussion: ExitStatus.validateHelp)

    @OptionGroup var inputs: InputOptions

    @Flag(name: .long, help: "Print one JSON document on stdout: every problem, the notices and each file's rows accepted and rejected.")
    var json = false

    /// Reads and checks the month; under --json nothing is printed here (the document says it all).
    func readMonth() throws(CostperError) -> MonthAccounts {
        let (folder, loaded) = try inputs.load()
        var a = loaded
        // forecast.csv is read as `report` reads it: its rejects count here too.
        if let f = folder.forecast {
            a = a.adding(try a.currency.convert(ForecastFile.read(f.input, benchmarks: try ProjectFiles.benchmarks(dataFolder: inputs.data))), file: f.name)
        }
        // Data reaches the terminal only with its control and bidi characters shown (`<U+001B>`).
        if !json {
            for r in a.rejects.sorted() { print(Scalars.visible(r.message)) }
            for n in a.notices { print(Scalars.visible("notice: " + n)) }
            for f in a.files {
                print(Scalars.visible("\(f.file)") + ": \(f.rowsRead) rows read, \(f.accepted) accepted, \(f.rejected) rejected, \(f.outsideMonth) outside \(a.month)")
            }
            if a.orphanRequests > 0 { print(Scalars.visible("\(a.orphanRequests) requests name a ticket that is not in \(a.ticketsFile) (kept and counted)")) }
        }
        return a
    }

    /// Why the month fails validation (the exit status's error), or nil.
    static func verdict(_ a: MonthAccounts) -> CostperError? {
        if !a.rejects.isEmpty { return CostperError(.badData, "\(a.rejects.count) rows rejected") }
        // A month report would refuse to publish (no request or no ticket in it) fails here too.
        do throws(CostperError) { try PublicationGate.checkContent(a, policy: PublicationPolicy()) } catch { return error }
        return nil
    }
}

struct Sample: CostperCommand {
    static let configuration = CommandConfiguration(abstract: "Write a synthetic, realistic month of exports (deterministic), for demos and benchmarks.")

    @Option(name: .long, help: "How many tickets.")
    var tickets: Int = 5000

    @Option(name: .long, help: "The folder to write requests.csv, tickets.csv, fixed_costs.csv, costper.toml and forecast.csv into.")
    var out: String

    @Option(name: .long, help: "The seed of the generator: the same seed gives the same files.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "The month (YYYY-MM).")
    var month: String = "2026-10"

    @Option(name: .long, help: "requests.csv grouped by ticket (grouped) or in timestamp order as trace exports come (time: many tickets open at once, a diurnal curve with bursts, 500 tenants, 20+ prompt versions).")
    var order: String = "grouped"

    func check() throws(CostperError) {
        guard SampleOrder(rawValue: order) != nil else { throw CostperError(.usage, "--order must be grouped or time") }
        guard tickets >= 1, tickets <= 100_000_000 else { throw CostperError(.usage, "--tickets must be from 1 to 100,000,000") }
        guard Month(month) != nil else { throw CostperError(.usage, "--month must be a month written YYYY-MM, e.g. 2026-10, from 1970-01 to 9999-12") }
    }

    func execute() throws(CostperError) {
        var writer = try SampleWriter(folder: out, files: SampleFile.allCases.map(\.rawValue))
        let written = Atomic<Int>(0)
        let progress = ProgressLine { ProgressLine.Reading(stage: "writing \(out)", done: written.load(ordering: .relaxed), total: 0) }
        defer { progress.stop() }
        do {
            try SampleMonth.generate(SampleSpec(tickets: tickets, seed: seed, month: Month(month)!, order: SampleOrder(rawValue: order)!)) { file, bytes in
                try writer.write(bytes, to: file.rawValue)
                written.wrappingAdd(bytes.count, ordering: .relaxed)
            }
        } catch let e as CostperError {
            throw e
        } catch {
            throw CostperError(.cannotWrite, "cannot write the sample into \(out): \(error.localizedDescription)")
        }
        try writer.finish()
        print("costper: wrote a \(tickets)-ticket month (\(month), seed \(seed), \(order) order) to \(out)")
    }
}

extension Report {
    /// `--fail-on`: what makes a run fail: a reject stops it before publishing; a flag or an
    /// alert makes a published run exit 2 (ScriptOutput.swift).
    enum FailOn: String, CaseIterable, Sendable, Encodable { case flag, alert, reject }

    /// Every `--fail-on`, the comma-separated and the repeated.
    var failing: Set<FailOn> { Set(failOn.joined()) }
}
