// One month, from its accounts to every file of the site: the one function the command line and the
// tests both call, so the golden files are what users get. Values in, bytes out: no file system,
// no clock, no environment here.
import CostperCore
import GFM
import XLSX

/// When the report says it was prepared, and why that time.
public struct ReportClock: Sendable, Equatable {
    public var seconds: Int64
    public var source: String
    public init(seconds: Int64, source: String) {
        self.seconds = seconds
        self.source = source
    }

    /// SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the month's latest request; never the wall clock.
    public static func of(_ accounts: MonthAccounts, sourceDateEpoch: Int64?) -> ReportClock? {
        if let s = sourceDateEpoch { return ReportClock(seconds: s, source: "SOURCE_DATE_EPOCH") }
        return accounts.latestRequest.map { ReportClock(seconds: $0, source: "the time of the month's latest request") }
    }
}

/// What the manifest records of how the month was made (never the output folder, so the same
/// inputs give the same bytes wherever they are published).
public struct RunSettings: Sendable, Equatable {
    public var input: String
    public var templates: String
    public var config: String
    public var data: String
    public init(input: String, templates: String, config: String, data: String) {
        self.input = input; self.templates = templates; self.config = config; self.data = data
    }
}

/// The files of one publication: the month's folder, and the files at the root of the site.
public struct SiteFiles: Sendable, Equatable {
    public var month: Month
    public var monthFiles: [String: [UInt8]]
    public var rootFiles: [String: [UInt8]]
    /// The later months of the site, re-rendered against this one (every file of their folders).
    public var laterMonths: [(month: Month, files: [String: [UInt8]])] = []
    /// report.xlsx as values (written by CostperIO through XLSXWriter into monthFiles).
    public var workbook: Workbook? = nil

    public static func == (a: SiteFiles, b: SiteFiles) -> Bool {
        a.month == b.month && a.monthFiles == b.monthFiles && a.rootFiles == b.rootFiles && a.workbook == b.workbook
            && a.laterMonths.map(\.month) == b.laterMonths.map(\.month) && a.laterMonths.map(\.files) == b.laterMonths.map(\.files)
    }
}

extension MonthReport {
    /// Builds the month's report and the site's shared files from values: the month's accounts,
    /// the plan to check, the benchmark register, the months already published and the clock.
    public static func build(accounts input: MonthAccounts, forecast: (file: ForecastFile, name: String)?, benchmarks: BenchmarkData,
                             templates: TemplateSet, published: [PublishedMonth], clock sourceDateEpoch: Int64?,
                             inputs: [InputRecord], settings: RunSettings, versions: (costper: String, cmark: String),
                             later: [Month: [String: [UInt8]]] = [:], pack: BoardPack = BoardPack()) throws(CostperError) -> SiteFiles {
        var accounts = input
        if let forecast { accounts.add(forecast.file, file: forecast.name) }
        let plans = forecast?.file.plans ?? []
        // "Last month" is the latest earlier month in the site, named (a gap month is skipped and said).
        let earlier = published.filter { $0.month < accounts.month }.sorted { $0.month < $1.month }
        let previous = earlier.last
        let review = ComparablesReview.make(accounts, data: benchmarks, forecast: plans)
        let margins = Margins.make(accounts)
        if let m = margins, !m.revenueOnly.isEmpty {
            accounts.notices.append("revenue for \(m.revenueOnly.joined(separator: ", ")), which \(m.revenueOnly.count == 1 ? "has" : "have") no ticket or request this month: listed in Margin by tenant with no cost")
        }
        var alerts = Alerts.evaluate(accounts, ticketIDs: accounts.ticketIDs)
        alerts.alerts += Margins.alerts(accounts, margins: margins)
        var report = MonthReport(accounts: accounts, versions: versions, previous: previous,
                                 prepared: ReportClock.of(accounts, sourceDateEpoch: sourceDateEpoch),
                                 alerts: alerts, review: review, references: benchmarks.ranges)
        report.margins = margins
        report.earlier = earlier
        report.pack = pack
        report.resolution = try ResolutionRates.review(accounts, references: benchmarks.resolutionRates)
        let options: [(String, String)] = [
            ("input", settings.input), ("month", accounts.month.description), ("templates", settings.templates),
            ("config", settings.config), ("prices", accounts.priceSource), ("data", settings.data),
        ]
        // Rows read and rejected per input, by the file each was read from.
        let records = inputs.map { r -> InputRecord in
            var r = r
            let q = accounts.files.first { $0.file == r.path }
            r.rowsRead = q?.rowsRead
            r.rowsRejected = q?.rejected
            return r
        }
        let monthFiles: [String: [UInt8]]
        do {
            monthFiles = try SiteBuilder.monthFiles(report, templates: templates, inputs: records, options: options)
        } catch {
            throw CostperError(.badData, "rendering the report failed: \(error)")
        }
        var months = published.filter { $0.month != accounts.month }
        var this = PublishedMonth(month: accounts.month, summaryJSON: monthFiles["summary.json"]!) ?? PublishedMonth(report)
        this.downloads = pack.downloads
        months.append(this)
        // Every later month's comparison, re-rendered against the site as it now stands.
        var laterFiles: [(month: Month, files: [String: [UInt8]])] = []
        for (m, files) in later.sorted(by: { $0.key < $1.key }) where m > accounts.month {
            if let updated = History.rerender(files, month: m, site: months) { laterFiles.append((m, updated)) }
        }
        let root: [String: [UInt8]] = [
            "index.html": SiteBuilder.indexPage(months, templates: templates, company: accounts.config.company),
            "tenants_by_month.csv": SiteBuilder.tenantTrendCSV(months).bytes,
            "assets/style.css": Array(templates.stylesheet.utf8),
        ]
        return SiteFiles(month: accounts.month, monthFiles: monthFiles, rootFiles: root, laterMonths: laterFiles,
                         workbook: pack.xlsx ? ReportWorkbook.make(report, benchmarks: benchmarks, inputs: records) : nil)
    }
}
