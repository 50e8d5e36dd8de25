import Foundation
// From the files of an input folder to the month's accounts.

/// The input files of one month, already in memory (the caller maps or reads them).
public struct MonthFiles {
    public var tickets: InputBuffer
    public var requests: [InputBuffer]
    public var fixedCosts: InputBuffer?

    public init(tickets: InputBuffer, requests: [InputBuffer], fixedCosts: InputBuffer? = nil) {
        self.tickets = tickets
        self.requests = requests
        self.fixedCosts = fixedCosts
    }
}

public enum MonthInput {
    /// Reads, checks and closes a month. `month` nil infers it: the month most tickets closed in,
    /// else the month most requests ran in (ties go to the later month).
    public static func accounts(files: MonthFiles, config: CostperConfig, prices: PriceCatalog,
                                month requested: Month?, workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws(CostperError) -> MonthAccounts {
        var book = try TicketBook.read(files.tickets)
        files.tickets.releasePages()
        book.line = []   // only duplicate-id messages need it, and they are written: 4 bytes a ticket back
        let fixed = try files.fixedCosts.map { f throws(CostperError) in try FixedCostList.read(f) }
        let month: Month
        if let requested {
            month = requested
        } else if let m = inferMonth(book: book, requests: files.requests) {
            month = m
        } else {
            throw CostperError(.badData, "no timestamp in the input names a month; give one with --month YYYY-MM", at: InputLocation(file: files.tickets.name))
        }
        var ledger = RequestLedger(month: month, tickets: book.count, tenants: book.tenants.count)
        var tenants = book.tenants
        let reader = RequestReader(month: month, prices: prices, tickets: book)
        for r in files.requests {
            try reader.readAll(r, into: &ledger, tenants: &tenants, workers: workers)
        }
        var bookWithTenants = book
        bookWithTenants.tenants = tenants
        var accounts: MonthAccounts
        do {
            accounts = try Accounts.close(month: month, config: config, tickets: bookWithTenants, ledger: ledger, fixed: fixed)
        } catch {
            throw CostperError(.badData, "the month's costs add up to more than costper's money range (about $9.2 billion): check cost_usd and amount_usd")
        }
        accounts.priceSource = prices.source
        // Data quality, per file.
        let ticketOutside = accounts.ticketsOutsideMonth
        accounts.files.append(FileQuality(file: files.tickets.name, reader: "tickets (\(book.format.rawValue))", rowsRead: book.rowsRead,
                                          rejected: book.rejects.count, outsideMonth: ticketOutside))
        var rejects = book.rejects
        // Rows read per requests file: the ledger counts them together when there are several.
        if files.requests.count == 1 {
            accounts.files.append(FileQuality(file: files.requests[0].name, reader: "requests (\(ledger.formats.first?.rawValue ?? "CSV"))", rowsRead: ledger.rowsRead,
                                              rejected: ledger.rejects.count, outsideMonth: ledger.outsideMonth))
        } else {
            accounts.files.append(FileQuality(file: files.requests.map(\.name).joined(separator: " + "), reader: "requests (\(ledger.formats.first?.rawValue ?? "CSV"))",
                                              rowsRead: ledger.rowsRead, rejected: ledger.rejects.count, outsideMonth: ledger.outsideMonth))
        }
        rejects += ledger.rejects
        accounts.addQuality(of: fixed, file: files.fixedCosts, rejects: &rejects)
        accounts.rejects = rejects.sorted()
        accounts.noteUnusedColumns(book.unknownColumns, of: files.tickets.name)
        accounts.noteUnusedColumns(ledger.unknownColumns, of: files.requests.first?.name ?? "")
        accounts.noteUnusedColumns(fixed?.unknownColumns ?? [], of: files.fixedCosts?.name ?? "")
        accounts.noteUnknownKeys(of: config)
        return accounts
    }

    static func inferMonth(book: TicketBook, requests: [InputBuffer]) -> Month? {
        var counts: [Int: Int] = [:]
        for c in book.closedAt where c != Int64.min { counts[Month(epochSeconds: c).key, default: 0] += 1 }
        if counts.isEmpty {
            for r in requests { countRequestMonths(r, into: &counts) }
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

extension MonthAccounts {
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
