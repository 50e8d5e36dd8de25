// The month as a record, and the site as a function of its records. `closeMonth` turns a month's
// accounts into its MonthRecord (every figure, table and sentence input its files need, with its
// currency, clock, inputs and settings); `Site.render` makes every file of the site from the
// records. The command line and the tests both call these two, so the golden files are what users
// get. Values in, bytes out: no file system, no clock, no environment here.
import CostperMoney
import CostperVocabulary
import CostperCore
import GFM
import XLSX

/// When the report says it was prepared, and why that time.
package struct ReportClock: Sendable, Equatable, Codable {
    package var seconds: Int64
    package var source: String
    package init(seconds: Int64, source: String) {
        self.seconds = seconds
        self.source = source
    }

    /// The day `--as-of` names, else SOURCE_DATE_EPOCH when set (reproducible-builds.org), else
    /// the month's latest request; never the wall clock.
    package static func of(_ accounts: MonthAccounts, sourceDateEpoch: Int64?, asOf: Int64? = nil) -> ReportClock? {
        if let s = asOf { return ReportClock(seconds: s, source: "--as-of") }
        if let s = sourceDateEpoch { return ReportClock(seconds: s, source: "SOURCE_DATE_EPOCH") }
        return accounts.latestRequest.map { ReportClock(seconds: $0, source: "the time of the month's latest request") }
    }
}

/// What the manifest records of how the month was made (never the output folder, so the same
/// inputs give the same bytes wherever they are published).
package struct RunSettings: Sendable, Equatable, Codable {
    package var input: String
    package var templates: String
    package var config: String
    package var data: String
    package init(input: String, templates: String, config: String, data: String) {
        self.input = input; self.templates = templates; self.config = config; self.data = data
    }
}

/// The versions of costper and of cmark-gfm that made a month.
package struct Versions: Sendable, Equatable, Codable {
    package var costper: String
    package var cmark: String
    package init(costper: String, cmark: String) { self.costper = costper; self.cmark = cmark }
}

/// One option of the run as the manifest lists it (name, value), in the manifest's order.
package struct RunOption: Sendable, Equatable, Codable {
    package var name: String
    package var value: String
}

/// What a month is closed from: its accounts (read, in the month's reporting currency), the plan
/// to check and the benchmark register as read (in USD: `closeMonth` converts them), and the
/// inputs' manifest records.
package struct MonthInputs: Sendable {
    package var accounts: MonthAccounts
    package var forecast: ForecastFile?
    package var forecastName: String
    package var benchmarks: BenchmarkData
    package var inputs: [InputRecord]
    package init(accounts: MonthAccounts, forecast: ForecastFile?, forecastName: String = "forecast.csv", benchmarks: BenchmarkData, inputs: [InputRecord]) {
        self.accounts = accounts; self.forecast = forecast; self.forecastName = forecastName; self.benchmarks = benchmarks; self.inputs = inputs
    }
}

/// How a month is closed: the clock (SOURCE_DATE_EPOCH, else the latest request), what the
/// manifest says of the run, the versions, and the downloads published beside the page.
package struct MonthSettings: Sendable {
    package var sourceDateEpoch: Int64?
    /// The report's date as `--as-of YYYY-MM-DD` gives it (midnight UTC), before SOURCE_DATE_EPOCH.
    package var asOf: Int64?
    package var run: RunSettings
    package var versions: Versions
    package var pack: BoardPack
    package init(sourceDateEpoch: Int64?, asOf: Int64? = nil, run: RunSettings, versions: Versions, pack: BoardPack = BoardPack()) {
        self.sourceDateEpoch = sourceDateEpoch; self.asOf = asOf; self.run = run; self.versions = versions; self.pack = pack
    }
}

/// One month of the site, closed: every figure, table and sentence input its files need. Written
/// once by `closeMonth`, stored as `<out>/<month>/month.json` (CostperIO's MonthStore), and read
/// back by later runs to render the site again: the site is a function of its records.
package struct MonthRecord: Sendable, Codable {
    /// The record's layout; a record of a newer schema is refused, never guessed at.
    package static let currentSchema = 1
    package var schemaVersion: Int
    package var month: Month
    /// The reporting currency (ISO 4217) every amount of the record is in.
    package var currency: String
    package var clock: ReportClock?
    package var versions: Versions
    package var settings: RunSettings
    /// The month's report, without its comparison with earlier months (`Site.render` adds it from
    /// the earlier records).
    package var report: MonthReport
    /// The inputs as the manifest lists them: path, bytes, SHA-256, rows read and rejected.
    package var inputs: [InputRecord]
    package var options: [RunOption]
    /// The benchmark register as the month was compared with it (in the reporting currency).
    package var benchmarks: BenchmarkData

    /// The month as the other months of the site see it (the index, the trends, their comparisons).
    package var published: PublishedMonth {
        var m = PublishedMonth(report)
        m.downloads = report.pack.downloads
        return m
    }

    /// Why the record cannot be rendered (figures that do not hold together), or nil.
    package var inconsistency: String? {
        let a = report.accounts
        if a.month != month { return "it holds the accounts of \(a.month), not \(month)" }
        if a.currency.code != currency { return "its accounts are in \(a.currency.code), the record says \(currency)" }
        var sum: Int64 = 0
        for (_, m) in a.costByCategory {
            let (s, o) = sum.addingReportingOverflow(m.nanos)
            if o { return "its cost categories overflow" }
            sum = s
        }
        if sum != a.total.nanos {
            return "its cost categories add up to \(Money(nanos: sum).formatted(decimals: 9)), its total is \(a.total.formatted(decimals: 9))"
        }
        if a.resolvedTickets > a.tickets || a.resolvedTickets < 0 { return "it has \(a.resolvedTickets) resolved tickets of \(a.tickets)" }
        return nil
    }
}

/// Closes a month: the one library call from a month's accounts to its record. Converts the plan
/// and the published figures into the month's reporting currency, compares, evaluates the alerts
/// and margins, and keeps what every file of the month needs.
package func closeMonth(_ inputs: MonthInputs, settings: MonthSettings) throws(CostperError) -> MonthRecord {
    var accounts = inputs.accounts
    let currency = accounts.currency
    let benchmarks = try currency.convert(inputs.benchmarks)
    let forecast = try inputs.forecast.map { f throws(CostperError) in try currency.convert(f) }
    if let forecast { accounts = accounts.adding(forecast, file: inputs.forecastName) }
    let plans = forecast?.plans ?? []
    let review = ComparablesReview.make(accounts, data: benchmarks, forecast: plans)
    let margins = Margins.make(accounts)
    var notices: [String] = []
    if let m = margins, !m.revenueOnly.isEmpty {
        notices.append("revenue for \(m.revenueOnly.joined(separator: ", ")), which \(m.revenueOnly.count == 1 ? "has" : "have") no ticket or request this month: listed in Margin by tenant with no cost")
    }
    // The month is closed when its data reaches its last day or the report is prepared after it.
    let preparedAt = ReportClock.of(accounts, sourceDateEpoch: settings.sourceDateEpoch, asOf: settings.asOf)?.seconds
    let lastDay = accounts.month.endEpochSeconds - 86_400
    let closed = (accounts.latestRequest.map { $0 >= lastDay } ?? false) || (preparedAt.map { $0 >= accounts.month.endEpochSeconds } ?? false)
    var alerts = Alerts.evaluate(accounts, ticketIDs: accounts.ticketIDs, closed: closed)
    alerts.alerts += Margins.alerts(accounts, margins: margins)
    // The per-ticket and per-request working data has served (the alerts): the record keeps figures.
    accounts = accounts.closed(addingNotices: notices)
    let clock = ReportClock.of(accounts, sourceDateEpoch: settings.sourceDateEpoch, asOf: settings.asOf)
    var report = MonthReport(accounts: accounts, versions: (settings.versions.costper, settings.versions.cmark), previous: nil,
                             prepared: clock, alerts: alerts, review: review, references: benchmarks.ranges)
    report.margins = margins
    report.pack = settings.pack
    report.resolution = try ResolutionRates.review(accounts, references: benchmarks.resolutionRates)
    report.sensitivity = Sensitivity.of(accounts, data: benchmarks, forecast: plans, base: review)
    let run = settings.run
    let options = [
        RunOption(name: "input", value: run.input), RunOption(name: "month", value: accounts.month.description),
        RunOption(name: "templates", value: run.templates), RunOption(name: "config", value: run.config),
        RunOption(name: "prices", value: accounts.priceSource), RunOption(name: "data", value: run.data),
    ]
    // Rows read and rejected per input, by the file each was read from.
    let records = inputs.inputs.map { r -> InputRecord in
        var r = r
        let q = accounts.files.first { $0.file == r.path }
        r.rowsRead = q?.rowsRead
        r.rowsRejected = q?.rejected
        return r
    }
    return MonthRecord(schemaVersion: MonthRecord.currentSchema, month: accounts.month, currency: currency.code, clock: clock,
                       versions: settings.versions, settings: run, report: report, inputs: records, options: options, benchmarks: benchmarks)
}

/// One month's folder as rendered: its files, and report.xlsx as values (written by CostperIO
/// through XLSXWriter). report.pdf is printed by CostperIO from `files["index.html"]`.
package struct RenderedMonth: Sendable, Equatable {
    package var month: Month
    package var files: [String: [UInt8]]
    package var workbook: Workbook?
}

/// The files of a publication: the months rendered (the month published and every later one), and
/// the files at the root of the site.
package struct SiteFiles: Sendable, Equatable {
    package var months: [RenderedMonth]
    package var rootFiles: [String: [UInt8]]

    /// The rendered folder of `month`.
    package subscript(month: Month) -> RenderedMonth? { months.first { $0.month == month } }
}

package enum Site {
    /// Every file of the site from its records: the folders of the months from `from` on (all when
    /// nil; an earlier month's folder does not depend on later ones), each against the months
    /// before it, and the index. Records of one currency (the store refuses a mix); each month is
    /// written in its own record's currency and with its own clock.
    package static func render(_ records: [MonthRecord], templates: TemplateSet, from: Month? = nil) throws(CostperError) -> SiteFiles {
        let sorted = records.sorted { $0.month < $1.month }
        var earlier: [PublishedMonth] = []
        var months: [RenderedMonth] = []
        for record in sorted {
            if from.map({ record.month >= $0 }) ?? true {
                months.append(try month(record, earlier: earlier, templates: templates))
            }
            earlier.append(record.published)
        }
        let root = rootFiles(earlier, templates: templates, company: sorted.last?.report.accounts.config.company ?? "",
                             currency: sorted.last?.currency ?? "USD")
        return SiteFiles(months: months, rootFiles: root)
    }

    /// The files at the root of the site: the index of every month, the tenants' trend, the stylesheet.
    package static func rootFiles(_ months: [PublishedMonth], templates: TemplateSet, company: String, currency: String) -> [String: [UInt8]] {
        let show = AmountFormat(currency)
        return [
            "index.html": SiteBuilder.indexPage(months, templates: templates, company: company, show: show),
            "tenants_by_month.csv": SiteBuilder.tenantTrendCSV(months).bytes(in: show),
            "assets/style.css": Array(templates.stylesheet.utf8),
        ]
    }

    /// One month's folder, against the months before it.
    package static func month(_ record: MonthRecord, earlier: [PublishedMonth], templates: TemplateSet) throws(CostperError) -> RenderedMonth {
        var r = record.report
        // The reference stack's ticket, from the register the month was compared with (in its currency).
        r.referenceStackPerTicket = record.benchmarks.stack.total.dollars
        // "Last month" is the latest earlier month in the site, named (a gap month is skipped and said).
        r.earlier = earlier.filter { $0.month < record.month }.sorted { $0.month < $1.month }
        r.previousMonth = r.earlier.last?.month
        r.previousCostPerResolved = r.earlier.last?.costPerResolved
        do {
            let files = try SiteBuilder.monthFiles(r, templates: templates, inputs: record.inputs, options: record.options.map { ($0.name, $0.value) })
            return RenderedMonth(month: record.month, files: files,
                                 workbook: r.pack.xlsx ? ReportWorkbook.make(r, benchmarks: record.benchmarks, inputs: record.inputs) : nil)
        } catch {
            throw CostperError(.badData, "rendering the report of \(record.month) failed: \(error)")
        }
    }
}
