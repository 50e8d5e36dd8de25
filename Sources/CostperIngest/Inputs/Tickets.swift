// tickets.csv: one row per ticket, its outcome, its attributes and its human review time.
import CostperMoney
import CostperVocabulary
import Foundation

/// A dimension's values (tenants, models, ...), interned to dense indices. Index 0 is "none".
package struct Dimension: Sendable {
    package var table = ByteKeyTable()
    /// The last value looked up: exports repeat a value on consecutive rows (a ticket's requests
    /// share its tenant, a model serves runs of calls), so one comparison often saves a hash.
    private var last = 0
    package init() { table.insert(Bytes()) }
    package static let noneLabel = "(none)"

    /// The index of a value (0 for an empty value); nil when the bytes are not valid UTF-8.
    @inline(__always) package mutating func index(_ f: Bytes) -> Int? {
        if f.isEmpty { return 0 }
        if last != 0 && table.equals(last, f) { return last }
        // Models, endpoints and prompt versions are a handful of values that alternate from row
        // to row: comparing with each (length first) beats hashing until there are a dozen.
        if table.count <= 12 {
            for i in 1..<table.count where table.equals(i, f) { last = i; return i }
        } else if let i = table.find(f) {
            last = i
            return i
        }
        guard let text = utf8String(f) else { return nil }
        // Names are compared in Unicode NFC: "café" typed with a combining accent is the same
        // tenant as "café" precomposed. Only non-ASCII values can differ (ASCII is always NFC).
        if Dimension.hasNonASCII(f) {
            let normalized = text.precomposedStringWithCanonicalMapping
            if !normalized.utf8.elementsEqual(f) {
                return Bytes.of(normalized) { n in
                    if let i = table.find(n) { last = i; return i }
                    last = table.insert(n).index
                    return last
                }
            }
        }
        last = table.insert(f).index
        return last
    }

    /// Whether any byte is above 0x7F: eight bytes a step (the last word overlapping).
    @inline(__always) package static func hasNonASCII(_ f: Bytes) -> Bool {
        let n = f.count
        guard n >= 8 else {
            for b in f where b >= 0x80 { return true }
            return false
        }
        var acc: UInt64 = f.word64(at: n - 8)
        var i = 0
        while i + 8 < n { acc |= f.word64(at: i); i += 8 }
        return acc & 0x8080_8080_8080_8080 != 0
    }

    package var count: Int { table.count }
    package func label(_ i: Int) -> String { i == 0 ? Dimension.noneLabel : table.key(i) }
}

/// Every ticket of the input, read from tickets.csv (or tickets.jsonl), by dense index.
package struct TicketBook: Sendable {
    package var ids = ByteKeyTable()
    package var outcome: [Outcome] = []
    package var tenant: [Int32] = []
    package var segment: [Int32] = []
    package var serviceType: [Int32] = []
    /// Human review time in micro-minutes (six decimals), exact.
    package var reviewMicroMinutes: [Int64] = []
    /// closed_at's epoch seconds, or Int64.min when the row has none.
    package var closedAt: [Int64] = []
    package var line: [Int32] = []
    /// Human review cost exported per ticket (ticket_costs.csv `human_review_usd`), nano-dollars;
    /// empty when the input has none, -1 for a ticket without one (then minutes × rate applies).
    package var reviewCostOverride: [Int64] = []
    /// Whether each ticket was reopened after it was closed: 1, 0, or -1 for a row with none;
    /// empty until a row names one (a file without the column holds no array at all).
    package var reopened: [Int8] = []
    /// Each ticket's CSAT (1 to 5) in micro-points (six decimals), exact; -1 for a row with none;
    /// empty until a row names one.
    package var csatMicro: [Int64] = []

    package var tenants = Dimension()
    package var segments = Dimension()
    package var serviceTypes = Dimension()

    package var rowsRead = 0
    package var rejects: [Reject] = []
    package var unknownColumns: [String] = []
    package var format = InputFormat.csv
    /// Tickets whose closed_at is before their opened_at (kept: a data-quality notice counts them).
    package var closedBeforeOpened = 0
    /// Whether the outcome `unknown` is read: only for the tickets costper builds from traces
    /// (`[tickets] source = "traces"`); tickets.csv and help-desk exports cannot name it.
    package var acceptsUnknownOutcome = false
    /// The last date a timestamp named, while reading.
    package var days = Scalars.DayCache()
    /// While tickets.csv is read: its ids' numbering so far (ids appended, not hashed); nil once
    /// an id does not fit (then `ids` is indexed by hash).
    package var numberingBuilder: TicketNumbering.Builder?
    /// The ids as numbers when they all are prefix + digits (set when reading ends), for the
    /// requests reader. When nil, `ids` is indexed.
    package var numbering: TicketNumbering?

    package init() {}

    /// The data-quality notice for tickets closed before they were opened, if any.
    package func closedBeforeOpenedNotice(file: String) -> String? {
        guard closedBeforeOpened > 0 else { return nil }
        return "\(file): \(closedBeforeOpened) \(closedBeforeOpened == 1 ? "ticket has" : "tickets have") closed_at before opened_at (kept; check the help desk's clock or export)"
    }

    package var count: Int { outcome.count }

    /// The columns ticket-level exports (ticket_costs.csv, `costper sql`) share with tickets.csv.
    package static let baseColumns = ["ticket_id", "outcome", "tenant", "segment", "service_type", "opened_at", "closed_at", "review_minutes"]
    /// tickets.csv's columns: the shared ones, then quality (`reopened`, `csat`).
    package static let columns = baseColumns + ["reopened", "csat"]
    /// Whether any ticket names whether it was reopened, or a CSAT.
    package var measuresReopened: Bool { !reopened.isEmpty }
    package var measuresCSAT: Bool { !csatMicro.isEmpty }
    /// CSAT's range, in micro-points.
    package static let csatRange: ClosedRange<Int64> = 1_000_000...5_000_000
    package static let required = ["ticket_id", "outcome"]

    /// Reads tickets.csv. Throws only for a file that cannot be used at all.
    package static func read(_ input: InputBuffer) throws(CostperError) -> TicketBook {
        var book = TicketBook()
        // Reserve the id table for the rows the file will hold (estimated from the length of its
        // first rows), so that it does not rehash its way up to millions of keys (it did, in the
        // profile), without reserving much more than it needs (the slots are touched memory).
        let estimate = TicketBook.estimatedRows(input.bytes)
        book.ids.reserve(keys: estimate, bytes: estimate * 16, indexed: false)
        book.numberingBuilder = TicketNumbering.Builder(expected: estimate)
        // The same for the per-ticket arrays: grown by doubling, they would hold up to twice
        // what they need (a third of the book's memory at millions of tickets).
        book.outcome.reserveCapacity(estimate); book.tenant.reserveCapacity(estimate)
        book.segment.reserveCapacity(estimate); book.serviceType.reserveCapacity(estimate)
        book.reviewMicroMinutes.reserveCapacity(estimate); book.closedAt.reserveCapacity(estimate)
        book.line.reserveCapacity(estimate)
        var rejects: [Reject] = []
        var layout: TicketLayout?
        let (header, rows, format) = try readAnyTable(input, columns: columns, required: required, rejects: &rejects) { line, header, fields, rejects in
            if layout == nil { layout = TicketLayout(header) }
            book.add(line: line, file: input.name, layout: layout!, fields: &fields, rejects: &rejects)
        }
        book.finishIDs()
        book.rowsRead = rows
        book.rejects = rejects
        book.unknownColumns = header.unknown
        book.format = format
        return book
    }

    /// The index of the ticket with this id, or nil.
    package func index(of id: String) -> Int? {
        Bytes.of(id) { key in numbering.map { $0.find(key) } ?? ids.find(key) }
    }

    /// Ends reading ids: the numbering if every id fits it, else the ids indexed by hash.
    package mutating func finishIDs() {
        if let b = numberingBuilder {
            numbering = b.finish()
            numberingBuilder = nil
        }
        if numbering == nil { ids.buildIndex() }
    }

    /// About how many rows a file holds: its size over the mean length of the lines in its first
    /// 256 KiB, plus 10%.
    package static func estimatedRows(_ bytes: Bytes) -> Int {
        let sample = min(bytes.count, 256 << 10)
        guard sample > 0 else { return 0 }
        var lines = 0
        for i in 0..<sample where bytes[i] == 0x0A { lines += 1 }
        let mean = max(sample / max(lines, 1), 8)
        return min(bytes.count / mean + bytes.count / mean / 10, 50_000_000)
    }

    /// Reads one ticket row; a problem rejects the row with its column.
    package mutating func add(line: Int, file: String, header: HeaderMap, fields: inout FieldList, rejects: inout [Reject]) {
        add(line: line, file: file, layout: TicketLayout(header), fields: &fields, rejects: &rejects)
    }

    /// The same with the column positions looked up once per file (a Dictionary lookup by column
    /// name per field showed up in the ingest profile).
    @inline(__always)
    package mutating func add(line: Int, file: String, layout: TicketLayout, fields: inout FieldList, rejects: inout [Reject]) {
        add(TableTicketRow(fields: fields.view, layout: layout), line: line, file: file, rejects: &rejects)
    }

    /// Validates and adds one ticket, whatever it was read from: a row of a tickets file or an
    /// adapter's TicketRecord. The rules of a ticket are here alone.
    package mutating func add<Row: TicketFields>(_ row: Row, line: Int, file: String, rejects: inout [Reject]) {
        func col(_ f: TicketField) -> Bytes? { row[f] }
        func reject(_ f: TicketField, _ reason: String) {
            let note = row.note
            rejects.append(Reject(file: file, line: line, column: row.name(f), reason: note.isEmpty ? reason : reason + " (\(note))"))
        }
        func text(_ f: Bytes) -> String { utf8String(f) ?? String(decoding: f, as: UTF8.self) }

        guard let idField = col(.ticketID), !idField.isEmpty else { return reject(.ticketID, "is empty") }
        guard !Dimension.hasNonASCII(idField) || utf8String(idField) != nil else { return reject(.ticketID, "is not valid UTF-8") }
        guard idField.count <= InputLimits.maxTextBytes else { return reject(.ticketID, "is longer than \(InputLimits.maxTextBytes) bytes") }
        let outcomeField = col(.outcome) ?? Bytes()
        guard let outcomeValue = Outcome(bytes: outcomeField)
                ?? (acceptsUnknownOutcome && RequestReader.equals(outcomeField, "unknown") ? .unknown : nil) else {
            return reject(.outcome, "\(Scalars.quoteForMessage(text(outcomeField))) is not an outcome (\(Outcome.recordedList))")
        }
        var review: Int64 = 0
        if let f = col(.reviewMinutes), !f.isEmpty {
            switch Scalars.parseDecimal(f, scale: 6) {
            case .success(let r): review = r.value
            case .failure(let e): return reject(.reviewMinutes, e.reason(for: text(f)))
            }
        }
        var closed = Int64.min
        if let f = col(.closedAt), !f.isEmpty {
            switch Scalars.parseTimestamp(f, days: &days) {
            case .success(let s): closed = s
            case .failure(let e): return reject(.closedAt, e.reason(for: text(f)))
            }
        }
        var opened = Int64.min
        if let f = col(.openedAt), !f.isEmpty {
            switch Scalars.parseTimestamp(f, days: &days) {
            case .success(let s): opened = s
            case .failure(let e): return reject(.openedAt, e.reason(for: text(f)))
            }
        }
        // Quality: reopened (true/false, 1/0, yes/no, any case) and csat (1 to 5, decimals allowed).
        var reopenedValue: Int8 = -1
        if let f = col(.reopened), !f.isEmpty {
            guard let v = TicketBook.parseFlag(f) else {
                return reject(.reopened, "\(Scalars.quoteForMessage(text(f))) is not true or false (true/false, 1/0, yes/no)")
            }
            reopenedValue = v ? 1 : 0
        }
        var csatValue: Int64 = -1
        if let f = col(.csat), !f.isEmpty {
            switch Scalars.parseDecimal(f, scale: 6) {
            case .success(let r):
                guard TicketBook.csatRange.contains(r.value) else { return reject(.csat, "\(Scalars.quoteForMessage(text(f))) is not between 1 and 5") }
                csatValue = r.value
            case .failure(let e): return reject(.csat, e.reason(for: text(f)))
            }
        }
        let empty = Bytes()
        let tenantField = col(.tenant) ?? empty, segmentField = col(.segment) ?? empty, serviceField = col(.serviceType) ?? empty
        if tenantField.count > InputLimits.maxTextBytes { return reject(.tenant, "is longer than \(InputLimits.maxTextBytes) bytes") }
        if segmentField.count > InputLimits.maxTextBytes { return reject(.segment, "is longer than \(InputLimits.maxTextBytes) bytes") }
        if serviceField.count > InputLimits.maxTextBytes { return reject(.serviceType, "is longer than \(InputLimits.maxTextBytes) bytes") }
        guard let tenantIndex = tenants.index(tenantField) else { return reject(.tenant, "is not valid UTF-8") }
        guard let segmentIndex = segments.index(segmentField) else { return reject(.segment, "is not valid UTF-8") }
        guard let serviceIndex = serviceTypes.index(serviceField) else { return reject(.serviceType, "is not valid UTF-8") }
        func duplicate(of first: Int) { reject(.ticketID, "duplicate ticket id \(Scalars.quoteForMessage(text(idField))) (first on line \(self.line[first]))") }
        // Placed by number while the ids fit the numbering; by hash from the first that does not.
        var placed = false
        if numberingBuilder != nil {
            switch numberingBuilder!.add(idField, index: count) {
            case .added:
                ids.append(idField)
                placed = true
            case .duplicate(let first):
                return duplicate(of: first)
            case .unfit:
                numberingBuilder = nil
                ids.buildIndex()
            }
        }
        if !placed {
            let (index, inserted) = ids.insert(idField)
            guard inserted else { return duplicate(of: index) }
        }
        outcome.append(outcomeValue)
        tenant.append(Int32(tenantIndex))
        segment.append(Int32(segmentIndex))
        serviceType.append(Int32(serviceIndex))
        reviewMicroMinutes.append(review)
        closedAt.append(closed)
        // The quality arrays start with the first ticket that names a value (earlier ones: -1).
        if !reopened.isEmpty || reopenedValue >= 0 {
            if reopened.isEmpty { reopened = [Int8](repeating: -1, count: outcome.count - 1) }
            reopened.append(reopenedValue)
        }
        if !csatMicro.isEmpty || csatValue >= 0 {
            if csatMicro.isEmpty { csatMicro = [Int64](repeating: -1, count: outcome.count - 1) }
            csatMicro.append(csatValue)
        }
        if opened != Int64.min && closed != Int64.min && closed < opened { closedBeforeOpened += 1 }
        self.line.append(Int32(clamping: line))
    }

    /// true/false, 1/0, yes/no in any case; nil for anything else.
    @inline(__always) package static func parseFlag(_ f: Bytes) -> Bool? {
        func matches(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard f.count == n else { return false }
            let w = word.utf8Start
            for i in 0..<n {
                let b = f[i]
                if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != w[i] { return false }
            }
            return true
        }
        if matches("true") || matches("1") || matches("yes") { return true }
        if matches("false") || matches("0") || matches("no") { return false }
        return nil
    }
}

/// Where each tickets.csv column sits in a file's header, looked up once.
package struct TicketLayout: Sendable, Codable {
    package var id, outcome, tenant, segment, serviceType, openedAt, closedAt, reviewMinutes, reopened, csat: Int?

    package init(_ header: HeaderMap) {
        id = header.position("ticket_id"); outcome = header.position("outcome"); tenant = header.position("tenant")
        segment = header.position("segment"); serviceType = header.position("service_type"); openedAt = header.position("opened_at")
        closedAt = header.position("closed_at"); reviewMinutes = header.position("review_minutes")
        reopened = header.position("reopened"); csat = header.position("csat")
    }
}

/// The fields of a ticket, in tickets.csv's order.
package enum TicketField: Int, CaseIterable, Sendable, Codable {
    case ticketID, outcome, tenant, segment, serviceType, openedAt, closedAt, reviewMinutes, reopened, csat

    /// Its tickets.csv column.
    package var column: String { TicketBook.columns[rawValue] }
}

/// One ticket as TicketBook validates it: each field's bytes (nil when the input has no such
/// field), the name a reject gives a field, and a note for every reject's reason.
package protocol TicketFields {
    subscript(_ field: TicketField) -> Bytes? { get }
    func name(_ field: TicketField) -> String
    var note: String { get }
}

/// A row of a tickets file: its fields where the header put them.
package struct TableTicketRow: TicketFields {
    package let fields: FieldView
    package let layout: TicketLayout

    @inline(__always) package subscript(_ f: TicketField) -> Bytes? {
        let p: Int?
        switch f {
        case .ticketID: p = layout.id
        case .outcome: p = layout.outcome
        case .tenant: p = layout.tenant
        case .segment: p = layout.segment
        case .serviceType: p = layout.serviceType
        case .openedAt: p = layout.openedAt
        case .closedAt: p = layout.closedAt
        case .reviewMinutes: p = layout.reviewMinutes
        case .reopened: p = layout.reopened
        case .csat: p = layout.csat
        }
        return p.map { fields[$0] }
    }
    package func name(_ f: TicketField) -> String { f.column }
    package var note: String { "" }
}
