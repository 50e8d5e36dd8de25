// report.xlsx as values: one sheet per table of the report (the same tables the CSV files are
// written from), typed cells, and a Sources sheet. XLSXWriter (the libxlsxwriter binding) writes it;
// nothing here touches C or files.
import CostperMoney
import CostperVocabulary
import CostperCore
import XLSX

/// The month's comparisons with earlier months as the page has them (the summary with its bridge,
/// plan against actual): from this month's report and the earlier months' records, for the page,
/// the CSV files and the workbook alike.
struct EarlierComparison {
    let own: PublishedMonth
    let executive: ExecutiveSummary
    let planActual: [PlanActual]

    init(_ r: MonthReport) {
        own = PublishedMonth(r)
        var e = ExecutiveSummary(own, earlier: r.earlier)
        e.findings = Finding.of(r)
        executive = e
        planActual = PlanActual.compare(own, earlier: r.earlier)
    }
}

extension SiteBuilder {
    /// The month's tables, in the order of the workbook's sheets: one CSV file each (NAME.csv).
    static func monthTables(_ r: MonthReport, _ comparison: EarlierComparison) -> [(name: String, table: CSVDocument)] {
        let a = r.accounts
        let executive = comparison.executive, planActual = comparison.planActual
        var head = headline(r)
        for row in executive.headlineRows {
            if let i = head.rows.firstIndex(where: { $0.first == row.first }) { head.rows[i] = row }
        }
        var t: [(name: String, table: CSVDocument)] = [("headline", head), ("findings", findingsTable(executive.findings)), ("bridge", executive.bridgeCSV), ("cost_by_category", costByCategory(a))]
        for x in a.attribution { t.append(("by_\(x.dimension)", attribution(x, a))) }
        if a.modelLever != nil { t.append(("by_model_service_type", ModelLeverReport.table(a))) }
        if !(a.modelLever?.routes.isEmpty ?? true) { t.append(("scenarios", ModelLeverReport.scenarios(a))) }
        t += [("comparables", comparables(r)), ("flags", flags(r)), ("service_type_check", serviceTypeCheck(r)),
              ("reference_ranges", referenceRanges(r)), ("forecast_check", forecastCheck(r)), ("forward", forwardTable(ForwardView.of(r))),
              ("sensitivity", sensitivityTable(r)), ("assumptions", assumptionsTable(r))]
        if !planActual.isEmpty { t.append(("plan_vs_actual", planVsActual(planActual))) }
        if r.margins != nil { t.append(("margin_by_tenant", marginByTenant(r))) }
        t += [("weekly", weekly(a)), ("resolution_rates", resolutionRates(r)), ("quality", qualityTable(a)), ("ticket_distribution", ticketDistribution(r)),
              ("prompt_drift", promptDrift(r)), ("budgets", budgets(r)), ("alerts", alerts(r)), ("data_quality", dataQuality(a)),
              ("rejects", rejects(a))]
        t += BillsFiles.tables(a)
        return t
    }
}

package enum ReportWorkbook {
    /// The Excel number format of an amount in `currency` (an ISO 4217 code) with `decimals`
    /// places: `$#,##0.00` for USD. The one place a currency becomes a cell format.
    package static func currencyFormat(_ currency: String, decimals: Int = 2) -> String {
        let places = decimals > 0 ? "." + String(repeating: "0", count: decimals) : ""
        switch currency {
        case "USD": return "$#,##0" + places
        case "EUR": return "[$€-x-euro2] #,##0" + places
        case "GBP": return "£#,##0" + places
        case "JPY": return "¥#,##0" + places
        default:
            let code = currency.unicodeScalars.allSatisfy { $0.value >= 0x41 && $0.value <= 0x5A } ? currency : "?"
            return "#,##0" + places + " \"" + code + "\""
        }
    }
    package static let percentFormat = "0.0%"
    package static let countFormat = "#,##0"
    package static let plainFormat = "#,##0.00##"

    /// The sheet of the register of published figures and of the inputs' hashes.
    package static let sourcesSheet = "Sources"

    /// The workbook of the month: its tables, then Sources. `created` is the report's clock.
    package static func make(_ r: MonthReport, benchmarks: BenchmarkData, inputs: [InputRecord]) -> Workbook {
        let a = r.accounts
        var sheets: [WorkbookSheet] = []
        var used = Set<String>()
        for t in SiteBuilder.monthTables(r, EarlierComparison(r)) {
            sheets.append(sheet(sheetName(t.name, used: &used), t.table, currency: a.currency.code, limit: rowLimit(t.name)))
        }
        sheets.append(sources(benchmarks: benchmarks, inputs: inputs, digest: r.pack.inputsDigest, name: sheetName(sourcesSheet, used: &used)))
        return Workbook(sheets: sheets, title: "\(Scalars.visible(a.config.company)): cost per resolved ticket, \(a.month.title)",
                        company: Scalars.visible(a.config.company),
                        // libxlsxwriter takes 0 as "now": a report with no clock takes its month's first second.
                        created: max(1, r.prepared?.seconds ?? a.month.startEpochSeconds))
    }

    /// A valid, unique sheet name: at most 31 characters, none of `[ ] : * ? / \`, not starting or
    /// ending with an apostrophe, not empty.
    package static func sheetName(_ wanted: String, used: inout Set<String>) -> String {
        var base = String(String.UnicodeScalarView(wanted.unicodeScalars.map { "[]:*?/\\".unicodeScalars.contains($0) || $0.value < 0x20 ? "_" : $0 }))
        while base.hasPrefix("'") { base.removeFirst() }
        while base.hasSuffix("'") { base.removeLast() }
        if base.isEmpty { base = "Sheet" }
        var name = String(base.prefix(Workbook.maxSheetNameLength))
        var n = 2
        // Excel compares sheet names without case.
        while used.contains(name.lowercased()) {
            let suffix = " (\(n))"
            name = String(base.prefix(Workbook.maxSheetNameLength - suffix.count)) + suffix
            n += 1
        }
        used.insert(name.lowercased())
        return name
    }

    /// Text from the inputs as the CSV writer writes it: formula-leading characters neutralized,
    /// control and bidi characters shown as `<U+…>`; cut at Excel's cell limit.
    static func text(_ s: String) -> WorkbookCell {
        let safe = SafeText.csvCellText(s)
        return .text(safe.count > Workbook.maxStringLength ? String(safe.prefix(Workbook.maxStringLength - 1)) + "…" : safe)
    }

    /// The rejected rows the workbook lists: a board pack needs the first ones and the count, and
    /// rejects.csv has every one (a month of a broken export rejects millions, whose cells held
    /// about 300 bytes each in memory).
    package static let rejectRows = 10_000

    /// The most data rows of a table's sheet: Excel's limit (less the header and the row that
    /// says the rest was cut), or `rejectRows` for the rejects.
    package static func rowLimit(_ table: String) -> Int { table == "rejects" ? rejectRows : Workbook.maxRows - 2 }

    /// One CSV table as a sheet: text stays text, numbers become numbers in the format of what
    /// they measure. An amount is formatted at the page's precision, cell by cell. Rows beyond
    /// `limit` are left to the CSV, and the last row says how many.
    static func sheet(_ name: String, _ d: CSVDocument, currency: String, limit: Int = Workbook.maxRows - 2) -> WorkbookSheet {
        let dates = d.header.map { dateColumns.contains($0) }
        var rows: [[WorkbookCell]] = d.rows.prefix(limit).map { row in
            row.enumerated().map { c, cell -> WorkbookCell in
                switch cell {
                case .text(let s): return dates[c] ? (date(s) ?? text(s)) : text(s)
                case .empty: return .empty
                case .number(let s, let kind):
                    switch kind {
                    case .money:
                        // Each amount at the page's precision (cents from $0.10, three significant
                        // figures below), so a cell reads as the same figure on the page.
                        let decimals = Money(exactDecimal: s).map { Show.precision(of: $0.dollars) } ?? 2
                        return .number(s, format: currencyFormat(currency, decimals: decimals))
                    case .share: return .number(s, format: percentFormat)
                    case .count: return .number(s, format: countFormat)
                    case .plain: return .number(s, format: plainFormat)
                    }
                }
            }
        }
        if d.rows.count > limit {
            let why = limit < Workbook.maxRows - 2 ? "this sheet lists the first \(Show.count(limit))" : "Excel holds \(Show.count(Workbook.maxRows)) rows"
            rows.append([.text("… \(Show.count(d.rows.count - limit)) more rows in \(name).csv (\(why))")]
                        + Array(repeating: .empty, count: max(0, d.header.count - 1)))
        }
        let header = CSVDocument.header(d.header, currency: currency)
        return WorkbookSheet(name: name, header: header, rows: rows, widths: widths(header: header, rows: rows))
    }

    /// The columns that hold calendar dates (a day `2026-10-05` or a month `2026-10`): real date
    /// cells in the workbook, shown as the CSV writes them.
    static let dateColumns: Set<String> = ["first_day", "last_day", "from_month", "to_month", "published", "month", "as_of", "date"]

    /// A date cell for `2026-10-05` (shown `yyyy-mm-dd`) or `2026-10` (its first day, shown
    /// `yyyy-mm`); nil for any other text, which stays text.
    static func date(_ s: String) -> WorkbookCell? {
        let b = Array(s.utf8)
        func digits(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= b.count, r.allSatisfy({ b[$0] >= 0x30 && b[$0] <= 0x39 }) else { return nil }
            return r.reduce(0) { $0 * 10 + Int(b[$1] - 0x30) }
        }
        guard b.count == 7 || b.count == 10, let y = digits(0..<4), b[4] == 0x2D, let m = digits(5..<7),
              (1900...9999).contains(y), (1...12).contains(m) else { return nil }
        if b.count == 7 { return .date(year: y, month: m, day: 1, format: monthFormat) }
        guard b[7] == 0x2D, let d = digits(8..<10), let mo = Month(year: y, month: m), d >= 1, d <= mo.days else { return nil }
        return .date(year: y, month: m, day: d, format: dayFormat)
    }
    package static let dayFormat = "yyyy-mm-dd"
    package static let monthFormat = "yyyy-mm"

    /// Column widths fitted to the longest text of each column (as shown: a number's width is
    /// its digits and separators), from 6 to 60 characters.
    static func widths(header: [String], rows: [[WorkbookCell]]) -> [Double] {
        header.enumerated().map { c, title in
            var longest = title.count
            for row in rows.prefix(5_000) where c < row.count {
                switch row[c] {
                case .text(let s): longest = max(longest, s.count)
                case .number(let s, _):
                    let digits = s.split(separator: ".").first.map { $0.count } ?? s.count
                    longest = max(longest, digits + digits / 3 + 6)
                case .date: longest = max(longest, 10)
                case .empty: break
                }
            }
            return Double(min(60, max(6, longest + 2)))
        }
    }

    /// Every published figure of the register with where it was published, then every input file
    /// with its SHA-256, as the manifest lists them.
    static func sources(benchmarks: BenchmarkData, inputs: [InputRecord], digest: String, name: String) -> WorkbookSheet {
        let header = ["source", "name", "publisher", "title", "published", "url", "sha256", "bytes"]
        var rows: [[WorkbookCell]] = []
        func figure(_ kind: String, _ name: String, _ c: Citation) {
            rows.append([.text(kind), text(name), text(c.publisher), text(c.title), date(c.published) ?? text(c.published), text(c.url), .empty, .empty])
        }
        for f in benchmarks.comparables { figure("comparable", f.name, f.citation) }
        for x in benchmarks.ranges { figure("reference range", x.label, x.citation) }
        for x in benchmarks.resolutionRates { figure("resolution rate", x.label, x.citation) }
        for x in benchmarks.serviceTypes {
            rows.append([.text("service type reference"), text(x.label), text(x.source), .empty, .empty, .empty, .empty, .empty])
        }
        for i in inputs {
            rows.append([.text("input file"), text(i.path), .empty, .empty, .empty, .empty, .text(i.sha256), .number(String(i.bytes), format: countFormat)])
        }
        if !digest.isEmpty {
            rows.append([.text("inputs (sha256 of the lines `sha256  path` above)"), .empty, .empty, .empty, .empty, .empty, .text(digest), .empty])
        }
        return WorkbookSheet(name: name, header: header, rows: rows, widths: widths(header: header, rows: rows))
    }
}
