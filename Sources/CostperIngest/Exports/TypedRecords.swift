// What an adapter makes of a foreign export: request and ticket values with the canonical
// fields, each with its place in the source file. They go straight into the ledger and the ticket
// book through the same rules as a requests.csv or tickets.csv row (RequestReader.add and
// TicketBook.add, generic over RequestFields and TicketFields); a reject names the source's own
// field and line, and the record's label (a span id).
import CostperMoney
import CostperVocabulary


/// Where a record came from: its file, its line there, and a label such as `span 4bf92f35`.
package struct RecordOrigin: Sendable, Equatable, Codable {
    package var file: String
    package var line: Int
    package var label: String

    package init(file: String, line: Int, label: String = "") {
        self.file = file
        self.line = line
        self.label = label
    }
}

/// One billable request as an adapter read it: requests.csv's fields as text (empty = absent),
/// validated by RequestReader like a row of requests.csv.
package struct RequestRecord: Sendable, Equatable, Codable {
    package var timestamp = ""
    package var ticketID = ""
    package var tenant = ""
    package var endpoint = ""
    package var model = ""
    package var promptVersion = ""
    package var kind = ""
    package var inputTokens = ""
    package var cachedInputTokens = ""
    package var outputTokens = ""
    package var cost = ""
    package var attempt = ""
    package var status = ""
    package var latency = ""
    /// The ticket's outcome as the request carries it (`[litellm] outcome` and its kin), and the
    /// attribute, column or path it came from; read only when the tickets come from the traces.
    package var outcome = ""
    package var outcomeField = ""
    package var origin: RecordOrigin

    package init(origin: RecordOrigin) { self.origin = origin }

    package subscript(_ f: RequestField) -> String {
        switch f {
        case .timestamp: return timestamp
        case .ticketID: return ticketID
        case .tenant: return tenant
        case .endpoint: return endpoint
        case .model: return model
        case .promptVersion: return promptVersion
        case .kind: return kind
        case .inputTokens: return inputTokens
        case .cachedInputTokens: return cachedInputTokens
        case .outputTokens: return outputTokens
        case .cost: return cost
        case .attempt: return attempt
        case .status: return status
        case .latency: return latency
        }
    }
}

/// One ticket as an adapter read it: tickets.csv's fields as text (empty = absent), validated
/// by TicketBook like a row of tickets.csv.
package struct TicketRecord: Sendable, Equatable, Codable {
    package var ticketID = ""
    package var outcome = ""
    package var tenant = ""
    package var segment = ""
    package var serviceType = ""
    package var openedAt = ""
    package var closedAt = ""
    package var reviewMinutes = ""
    package var origin: RecordOrigin

    package init(origin: RecordOrigin) { self.origin = origin }

    package subscript(_ f: TicketField) -> String {
        switch f {
        case .ticketID: return ticketID
        case .outcome: return outcome
        case .tenant: return tenant
        case .segment: return segment
        case .serviceType: return serviceType
        case .openedAt: return openedAt
        case .closedAt: return closedAt
        case .reviewMinutes: return reviewMinutes
        // Help-desk mappings name their fields one by one (ExportSettings): none maps quality yet.
        case .reopened, .csat: return ""
        }
    }
}

/// The records an adapter made of one source file, with what it could not read, what it skipped
/// and what the data-quality notices say of it.
package struct AdaptedExport<Record: Sendable>: Sendable {
    /// The source file's name.
    package var file: String
    /// What the file is (its reader label in the data-quality table).
    package var format: ExportFormat
    /// "CSV" or "JSON": how the file was written.
    package var encoding: String
    package var records: [Record] = []
    /// The source's name for a canonical column (attribute, column or JSON path), where it has
    /// one; rejects name fields by it. Absent = the canonical name.
    package var fieldNames: [String: String] = [:]
    /// Records the adapter itself could not read (source lines).
    package var rejects: [Reject] = []
    /// Records that are not billable requests (or not tickets), by reason; counted, not read.
    package var skipped: [(reason: String, count: Int)] = []
    /// Sentences for the data-quality notices.
    package var notices: [String] = []
    /// Canonical columns a mapping names and the export lacks, accepted with `--allow-missing`
    /// (`review_minutes`: human review is not measured).
    package var missing: [String] = []

    package init(file: String, format: ExportFormat, encoding: String) {
        self.file = file
        self.format = format
        self.encoding = encoding
    }

    /// Source records read: records made + records rejected by the adapter (skipped ones are not).
    package var recordsRead: Int { records.count + rejects.count }
    package var skippedCount: Int { skipped.reduce(0) { $0 + $1.count } }

    package mutating func reject(line: Int, column: String, reason: String) {
        rejects.append(Reject(file: file, line: line, column: column, reason: reason))
    }

    package mutating func skip(_ reason: String) {
        if let i = skipped.firstIndex(where: { $0.reason == reason }) { skipped[i].count += 1 } else { skipped.append((reason, 1)) }
    }

    /// The name rejects give a canonical column.
    package func sourceName(_ column: String) -> String { fieldNames[column] ?? column }
}

/// A record's texts laid end to end in one byte array, as the reader's fields.
package struct PackedFields {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    /// Lays out `count` texts (reusing the arrays from record to record), then calls `body`.
    package mutating func with<R>(_ count: Int, _ text: (Int) -> String, _ body: (PackedView) -> R) -> R {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        ends.append(0)
        for i in 0..<count {
            bytes.append(contentsOf: text(i).utf8)
            ends.append(bytes.count)
        }
        return Bytes.of(bytes) { b in body(PackedView(bytes: b, ends: ends)) }
    }
}

package struct PackedView {
    package let bytes: Bytes
    package let ends: [Int]
    package subscript(_ i: Int) -> Bytes { bytes.rebased(ends[i]..<ends[i + 1]) }
}

/// A RequestRecord as RequestReader reads it: its fields, named as its source names them.
package struct RecordRequestRow: RequestFields {
    package let packed: PackedView
    package let names: [String]
    package let note: String
    package subscript(_ f: RequestField) -> Bytes { packed[f.rawValue] }
    package func name(_ f: RequestField) -> String { names[f.rawValue] }
}

/// A TicketRecord as TicketBook reads it.
package struct RecordTicketRow: TicketFields {
    package let packed: PackedView
    package let names: [String]
    package let note: String
    package subscript(_ f: TicketField) -> Bytes? { packed[f.rawValue] }
    package func name(_ f: TicketField) -> String { names[f.rawValue] }
}

package extension RequestReader {
    /// Adds an adapter's requests to the ledger, through the rules of requests.csv rows. The
    /// adapter's own rejects are not added here.
    package func add(_ export: AdaptedExport<RequestRecord>, into ledger: inout RequestLedger, tenants: inout Dimension) {
        let names = RequestField.allCases.map { export.sourceName($0.column) }
        var packed = PackedFields()
        var rejects: [Reject] = []
        for r in export.records {
            ledger.rowsRead += 1
            packed.with(RequestField.allCases.count, { r[RequestField(rawValue: $0)!] }) { view in
                add(RecordRequestRow(packed: view, names: names, note: r.origin.label), line: r.origin.line, file: r.origin.file,
                    ledger: &ledger, tenants: &tenants, rejects: &rejects)
            }
        }
        ledger.rejects += rejects
    }
}

package extension TicketBook {
    /// The ticket book of an adapter's tickets, through the rules of tickets.csv rows; the
    /// adapter's rejects and records count as the book's.
    package static func read(_ export: AdaptedExport<TicketRecord>) -> TicketBook {
        var book = TicketBook()
        book.acceptsUnknownOutcome = export.format == .traceTickets
        let names = TicketField.allCases.map { export.sourceName($0.column) }
        var packed = PackedFields()
        var rejects: [Reject] = []
        for r in export.records {
            packed.with(TicketField.allCases.count, { r[TicketField(rawValue: $0)!] }) { view in
                book.add(RecordTicketRow(packed: view, names: names, note: r.origin.label), line: r.origin.line, file: r.origin.file, rejects: &rejects)
            }
        }
        book.rowsRead = export.recordsRead
        book.rejects = export.rejects + rejects
        book.format = export.encoding == "CSV" ? .csv : .jsonLines
        return book
    }
}

/// Exact text helpers shared by the adapters.
package enum ExportText {
    /// Epoch nanoseconds (OTLP `startTimeUnixNano`, decimal text) -> epoch seconds, or nil.
    package static func nanosToSeconds(_ text: String) -> (seconds: Int64, nanos: Int64)? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int64(text) else { return nil }
        return (n / 1_000_000_000, n % 1_000_000_000)
    }

    /// ISO-8601 UTC text for epoch seconds (and a fraction), as requests.csv writes it.
    package static func iso(_ seconds: Int64, nanos: Int64 = 0) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secs = seconds - days * 86_400
        let (y, m, d) = Scalars.civilFromDays(Int(days))
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var s = "\(y)-\(two(Int64(m)))-\(two(Int64(d)))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))"
        if nanos > 0 {
            var frac = String(nanos)
            frac = String(repeating: "0", count: 9 - frac.count) + frac
            while frac.hasSuffix("0") { frac.removeLast() }
            s += "." + frac
        }
        return s + "Z"
    }

    /// Epoch seconds of a timestamp text, when costper's strict reader accepts it.
    package static func epochSeconds(_ text: String) -> Int64? {
        Bytes.of(text) { b -> Int64? in
            if case .success(let s) = Scalars.parseTimestamp(b) { return s }
            return nil
        }
    }

    /// Epoch nanoseconds of a timestamp text (its fraction of a second too), for latencies.
    package static func epochNanos(_ text: String) -> Int64? {
        guard let s = epochSeconds(text) else { return nil }
        let u = Array(text.utf8)
        var frac: Int64 = 0
        if u.count > 20, u[19] == UInt8(ascii: ".") || u[19] == UInt8(ascii: ",") {
            var digits = 0
            var i = 20
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 {
                if digits < 9 { frac = frac * 10 + Int64(u[i] - 0x30); digits += 1 }
                i += 1
            }
            while digits < 9 { frac *= 10; digits += 1 }
        }
        // Years past 2262 do not fit in Int64 nanoseconds (the fuzzer's find): no latency then.
        let (ns, o) = s.multipliedReportingOverflow(by: 1_000_000_000)
        guard !o else { return nil }
        let (sum, o2) = ns.addingReportingOverflow(frac)
        return o2 ? nil : sum
    }

    /// Help-desk timestamps to the form costper reads: `2026-10-02 09:57:00 +0000` and
    /// `2026-10-02 09:57:00 UTC` become `2026-10-02 09:57:00+00:00` / `2026-10-02 09:57:00Z`.
    package static func normalizeTimestamp(_ raw: String) -> String {
        var s = raw.trimmingSpaces
        for zone in [" UTC", " GMT", " Z"] where s.hasSuffix(zone) {
            s = String(s.dropLast(zone.count)) + "Z"
            return s
        }
        // " +HHMM" / " -HHMM" / " +HH:MM"
        let chars = Array(s)
        if let space = chars.lastIndex(of: " "), space > 10, space + 1 < chars.count, chars[space + 1] == "+" || chars[space + 1] == "-" {
            var zone = String(chars[(space + 1)...])
            if zone.count == 5, zone.dropFirst().allSatisfy(\.isNumber) {
                zone = String(zone.prefix(3)) + ":" + String(zone.suffix(2))
            }
            s = String(chars[..<space]) + zone
        }
        return s
    }

    /// `password reset` -> `password_reset`: lower case, runs of spaces and dashes to `_`.
    package static func snakeCase(_ s: String) -> String {
        var out = ""
        var pendingUnderscore = false
        for ch in s.trimmingSpaces.lowercased() {
            if ch == " " || ch == "-" || ch == "\t" {
                pendingUnderscore = !out.isEmpty
            } else {
                if pendingUnderscore { out.append("_"); pendingUnderscore = false }
                out.append(ch)
            }
        }
        return out
    }
}
