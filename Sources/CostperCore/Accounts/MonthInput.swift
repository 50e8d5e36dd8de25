import CostperMoney
import CostperIngest
import CostperVocabulary
import Foundation
// From the files of an input folder to the month's accounts.

/// The input files of one month, already in memory (the caller maps or reads them).
package struct MonthFiles {
    package var tickets: InputBuffer
    package var requests: [InputBuffer]
    package var fixedCosts: InputBuffer?

    package init(tickets: InputBuffer, requests: [InputBuffer], fixedCosts: InputBuffer? = nil) {
        self.tickets = tickets
        self.requests = requests
        self.fixedCosts = fixedCosts
    }
}

/// Where the month's tickets come from: a tickets file, or an adapter's records.
package enum TicketInput: Sendable {
    case file(InputBuffer)
    case records(AdaptedExport<TicketRecord>)

    package var name: String {
        switch self { case .file(let f): return f.name; case .records(let e): return e.file }
    }
}

/// Where some of the month's requests come from: a requests file, or an adapter's records.
package enum RequestInput: Sendable {
    case file(InputBuffer)
    case records(AdaptedExport<RequestRecord>)

    package var name: String {
        switch self { case .file(let f): return f.name; case .records(let e): return e.file }
    }
}

package enum MonthInput {
    /// Reads, checks and closes a month. `month` nil infers it: the month most tickets closed in,
    /// else the month most requests ran in (ties go to the later month).
    package static func accounts(files: MonthFiles, config: CostperConfig, prices: PriceCatalog,
                                month requested: Month?, workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws(CostperError) -> MonthAccounts {
        try accounts(tickets: .file(files.tickets), requests: files.requests.map { .file($0) }, fixedCosts: files.fixedCosts,
                     config: config, prices: prices, month: requested, workers: workers)
    }

    /// The same from files and adapters' records alike: each goes through the same rules, and
    /// each source gets its own line in the data-quality table.
    package static func accounts(tickets source: TicketInput, requests: [RequestInput], fixedCosts: InputBuffer?, config: CostperConfig, prices: PriceCatalog,
                                month requested: Month?, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                                focus: [InputBuffer] = [], invoices: InputBuffer? = nil) throws(CostperError) -> MonthAccounts {
        var book: TicketBook
        let ticketReader: String
        switch source {
        case .file(let f):
            book = try TicketBook.read(f)
            f.releasePages()
            ticketReader = "tickets (\(book.format.rawValue))"
        case .records(let e):
            book = TicketBook.read(e)
            ticketReader = e.format == .traceTickets ? TraceTickets.reader : "\(e.format.label) (\(e.encoding)) → tickets"
        }
        book.line = []   // only duplicate-id messages need it, and they are written: 4 bytes a ticket back
        let fixed = try fixedCosts.map { f throws(CostperError) in try FixedCostList.read(f) }
        var focusBills: [FocusBill] = []
        for f in focus { focusBills.append(try FocusBill.read(f, basis: config.bills.focus.basis)) }
        var warnings = try FocusOverlap.check(focusBills)
        let invoiceList = try invoices.map { f throws(CostperError) in try InvoiceList.read(f) }
        let month: Month
        if let requested {
            month = requested
        } else if let m = inferMonth(book: book, requests: requests) {
            month = m
        } else {
            throw CostperError(.badData, "no timestamp in the input names a month; give one with --month YYYY-MM", at: InputLocation(file: source.name))
        }
        // The report's currency: every USD amount is converted as it is read.
        let currency = try ReportingCurrency.resolve(config, month: month)
        let config = try currency.convert(config)
        let fixedInCurrency = try currency.convert(fixed, month: month)
        var ledger = RequestLedger(month: month, tickets: book.count, tenants: book.tenants.count,
                                   requestTenants: book.tenant.contains(0), ticketPrompts: book.measuresReopened || book.measuresCSAT)
        var tenants = book.tenants
        var reader = RequestReader(month: month, prices: prices, tickets: book)
        if !currency.isUSD { reader.fx = currency.rate }
        // Data quality, per requests source: what reading it added to the ledger.
        var requestQuality: [FileQuality] = []
        var adapterRejects: [Reject] = []
        for r in requests {
            let rows = ledger.rowsRead, rejected = ledger.rejects.count, outside = ledger.outsideMonth
            var q: FileQuality
            switch r {
            case .file(let f):
                try reader.readAll(f, into: &ledger, tenants: &tenants, workers: workers)
                q = FileQuality(file: f.name, reader: "requests (\((ledger.formats.last ?? .csv).rawValue))", rowsRead: 0, rejected: 0, outsideMonth: 0)
            case .records(let e):
                reader.add(e, into: &ledger, tenants: &tenants)
                adapterRejects += e.rejects
                q = FileQuality(file: e.file, reader: "\(e.format.label) (\(e.encoding)) → requests", rowsRead: e.rejects.count,
                                rejected: e.rejects.count, outsideMonth: 0)
            }
            q.rowsRead += ledger.rowsRead - rows
            q.rejected += ledger.rejects.count - rejected
            q.outsideMonth += ledger.outsideMonth - outside
            requestQuality.append(q)
        }
        var bookWithTenants = book
        bookWithTenants.tenants = tenants
        var traced: [ModelCost] = []
        for (i, u) in ledger.byModel.enumerated() where i > 0 && u.requests > 0 { traced.append(ModelCost(model: ledger.models.label(i), cost: u.cost)) }
        let bills = try MonthBills.review(month: month, config: config, focus: focusBills, invoices: invoiceList, fixed: fixedInCurrency,
                                          traced: traced, providers: prices.providers)
        var accounts: MonthAccountEntries
        do {
            accounts = try Accounts.close(month: month, config: config, tickets: bookWithTenants, ledger: ledger, fixed: bills.fixed)
        } catch {
            throw CostperError(.badData, "the month's costs add up to more than costper's money range (about $9.2 billion): check cost_usd and amount_usd")
        }
        accounts.priceSource = prices.source
        accounts.currency = currency
        try accounts.priceRoutes(config.routes ?? [], prices: prices, rate: currency.isUSD ? nil : currency.rate)
        if case .records(let e) = source, e.missing.contains("review_minutes") {
            accounts.humanReviewNotMeasured = "\(e.file) has no review-minutes column (accepted with --allow-missing review_minutes)"
        }
        // Data quality, per file.
        accounts.files.append(FileQuality(file: source.name, reader: ticketReader, rowsRead: book.rowsRead,
                                          rejected: book.rejects.count, outsideMonth: accounts.ticketsOutsideMonth))
        accounts.files += requestQuality
        var rejects = book.rejects + ledger.rejects + adapterRejects
        accounts.addQuality(of: fixed, file: fixedCosts, rejects: &rejects)
        accounts.addBills(bills.review, focus: focusBills, invoices: invoiceList, rejects: &rejects)
        try MonthBills.checkNets(&accounts, review: bills.review, config: config)
        accounts.rejects = rejects.sorted()
        accounts.noteUnusedColumns(book.unknownColumns, of: source.name)
        accounts.noteUnusedColumns(ledger.unknownColumns, of: requests.first?.name ?? "")
        accounts.noteUnusedColumns(fixed?.unknownColumns ?? [], of: fixedCosts?.name ?? "")
        accounts.noteUnknownKeys(of: config)
        if let n = book.closedBeforeOpenedNotice(file: source.name) { accounts.notices.append(n) }
        warnings += FocusOverlap.commitmentNotices(focusBills, month: month, basis: config.bills.focus.basis)
        if let w = FocusOverlap.rulesWithoutFocus(config, focusFiles: focus.count) { warnings.append(w) }
        accounts.warnings += warnings
        accounts.notices += warnings
        return MonthAccounts(accounts)
    }

    static func inferMonth(book: TicketBook, requests: [RequestInput]) -> Month? {
        var counts: [Int: Int] = [:]
        for c in book.closedAt where c != Int64.min { counts[Month(epochSeconds: c).key, default: 0] += 1 }
        if counts.isEmpty {
            for r in requests {
                switch r {
                case .file(let f): countRequestMonths(f, into: &counts)
                case .records(let e):
                    for record in e.records {
                        if let s = ExportText.epochSeconds(record.timestamp) { counts[Month(epochSeconds: s).key, default: 0] += 1 }
                    }
                }
            }
        }
        guard let best = counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }) else { return nil }
        return Month(key: best.key)
    }

    /// A quick pass over the timestamp column only.
    static func countRequestMonths(_ input: InputBuffer, into counts: inout [Int: Int]) {
        var reader = CSVRecordReader(buffer: input.bytes)
        var fields = FieldList()
        guard InputFormat.sniff(input.bytes) == .csv,
              let header = try? HeaderMap.read(&reader, fields: &fields, file: input.name, required: ["timestamp"], known: []),
              let p = header.position("timestamp") else { return }
        while true {
            switch reader.next(into: &fields) {
            case .end: return
            case .malformed: continue
            case .record:
                if p < fields.count, case .success(let s) = Scalars.parseTimestamp(fields[p]) {
                    counts[Month(epochSeconds: s).key, default: 0] += 1
                }
            }
        }
    }
}

extension MonthAccountEntries {
    /// fixed_costs.csv's line in the data-quality table; its rejects join `rejects`.
    mutating func addQuality(of fixed: FixedCostList?, file: InputBuffer?, rejects: inout [Reject]) {
        guard let fixed, let f = file else { return }
        files.append(FileQuality(file: f.name, reader: "fixed costs (CSV)", rowsRead: fixed.rowsRead, rejected: fixed.rejects.count,
                                 outsideMonth: fixed.items.filter { $0.month != month }.count))
        rejects += fixed.rejects
    }

    mutating func noteUnusedColumns(_ columns: [String], of file: String) {
        if !columns.isEmpty { notices.append("\(file): columns costper does not use: \(columns.joined(separator: ", "))") }
    }

    mutating func noteUnknownKeys(of config: CostperConfig) {
        for key in config.unknownKeys { notices.append("costper.toml: key \"\(key)\" is not one costper knows; it was ignored") }
    }
}
