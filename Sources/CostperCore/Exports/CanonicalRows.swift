// The bridge from a foreign export to costper's own readers: an adapter writes each record it
// understands as one canonical row (requests.csv or tickets.csv columns) into an in-memory CSV,
// remembering the record's line in the source file. The existing readers (RequestReader,
// TicketBook) then read that CSV, so categories, months, orphans, rejects and money rules are
// exactly those of the canonical path; their rejects are put back on the source file's lines and
// named by the source's field names.

/// Canonical rows made from one source file, with the way back to the source.
public struct CanonicalRows: Sendable {
    /// The source file's name (messages and the data-quality table use it).
    public var file: String
    /// The canonical columns, in order.
    public let columns: [String]
    /// The CSV text: the header, then one line per row.
    public private(set) var bytes: [UInt8] = []
    /// Physical line of each row in `bytes` -> (line in the source file, a label such as a span id).
    public private(set) var origin: [Int: (line: Int, label: String)] = [:]
    /// Epoch seconds of each row's timestamp (when the adapter read one), by physical line, for
    /// the per-file "outside the month" count.
    public private(set) var timestamps: [Int: Int64] = [:]
    /// Canonical column -> the source's name for it (attribute, column or JSON path).
    public var sourceNames: [String: String] = [:]
    /// Records the adapter itself could not turn into a row (source lines).
    public var rejects: [Reject] = []
    /// Source records read: rows written + records rejected by the adapter (skipped ones are not).
    public var recordsRead: Int { rowCount + rejects.count }
    /// Records that are not billable requests (or not tickets), by reason; counted, not read.
    public var skipped: [(reason: String, count: Int)] = []
    /// Sentences for the data-quality notices.
    public var notices: [String] = []
    public private(set) var rowCount = 0
    private var nextLine = 2

    public init(file: String, columns: [String]) {
        self.file = file
        self.columns = columns
        bytes.reserveCapacity(4096)
        append(fields: columns)
        nextLine = 2
    }

    /// Adds one row; `values` by canonical column name (absent = empty).
    public mutating func add(_ values: [String: String], sourceLine: Int, label: String = "", timestamp: Int64? = nil) {
        let line = nextLine
        origin[line] = (sourceLine, label)
        if let timestamp { timestamps[line] = timestamp }
        rowCount += 1
        append(fields: columns.map { values[$0] ?? "" })
    }

    public mutating func reject(line: Int, column: String, reason: String) {
        rejects.append(Reject(file: file, line: line, column: column, reason: reason))
    }

    public mutating func skip(_ reason: String) {
        if let i = skipped.firstIndex(where: { $0.reason == reason }) { skipped[i].count += 1 } else { skipped.append((reason, 1)) }
    }

    public var skippedCount: Int { skipped.reduce(0) { $0 + $1.count } }

    private mutating func append(fields: [String]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            let needsQuotes = f.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes {
                bytes.append(UInt8(ascii: "\""))
                for b in f.utf8 {
                    if b == UInt8(ascii: "\"") { bytes.append(b) }
                    if b == 0x0A { nextLine += 1 }
                    bytes.append(b)
                }
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes.append(contentsOf: f.utf8)
            }
        }
        bytes.append(0x0A)
        nextLine += 1
    }

    /// A reject of the canonical reader, put back on the source: its line, the source's name for
    /// the column, and the record's label.
    public func translate(_ r: Reject) -> Reject {
        guard r.file == file else { return r }
        let o = origin[r.line]
        let column = r.column.isEmpty ? "" : (sourceNames[r.column] ?? r.column)
        var reason = r.reason
        if let label = o?.label, !label.isEmpty { reason += " (\(label))" }
        return Reject(file: file, line: o?.line ?? r.line, column: column, reason: reason)
    }
}

/// Exact text helpers shared by the adapters.
public enum ExportText {
    /// Epoch nanoseconds (OTLP `startTimeUnixNano`, decimal text) -> epoch seconds, or nil.
    public static func nanosToSeconds(_ text: String) -> (seconds: Int64, nanos: Int64)? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int64(text) else { return nil }
        return (n / 1_000_000_000, n % 1_000_000_000)
    }

    /// ISO-8601 UTC text for epoch seconds (and a fraction), as requests.csv writes it.
    public static func iso(_ seconds: Int64, nanos: Int64 = 0) -> String {
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
    public static func epochSeconds(_ text: String) -> Int64? {
        Scalars.withBytes(text) { b -> Int64? in
            if case .success(let s) = Scalars.parseTimestamp(b) { return s }
            return nil
        }
    }

    /// Epoch nanoseconds of a timestamp text (its fraction of a second too), for latencies.
    public static func epochNanos(_ text: String) -> Int64? {
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
        return s * 1_000_000_000 + frac
    }

    /// Help-desk timestamps to the form costper reads: `2026-10-02 09:57:00 +0000` and
    /// `2026-10-02 09:57:00 UTC` become `2026-10-02 09:57:00+00:00` / `2026-10-02 09:57:00Z`.
    public static func normalizeTimestamp(_ raw: String) -> String {
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
    public static func snakeCase(_ s: String) -> String {
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
