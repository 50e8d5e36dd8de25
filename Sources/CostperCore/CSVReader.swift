// An RFC 4180 record reader over a mutable byte buffer (a private memory map or an array).
//
// Hand-written rather than a CSV package: the ingest benchmark (Benchmarks/run) needs records
// without a heap allocation per row, exact physical line numbers for rejects (newlines inside
// quotes count), and quoted fields unescaped in place; SwiftCSV and CSV.swift build a String per
// field, which costs more than the whole aggregation on a 10M-row month.

/// Limits that keep a hostile file from taking the process down; each is reported as a reject.
public enum InputLimits {
    /// The longest record (a physical row with everything inside its quotes).
    public static let maxRecordBytes = 1 << 20
    /// The most columns a row (or the header) may have.
    public static let maxColumns = 1024
    /// The longest text value that can reach the report (names are cut there, with "…").
    public static let maxTextBytes = 200
}

/// The fields of one record: offsets into the buffer, valid until the next call to `next`.
public struct FieldList {
    @usableFromInline var starts: [Int] = []
    @usableFromInline var ends: [Int] = []
    public var count = 0
    @usableFromInline var base: UnsafeMutablePointer<UInt8>?

    public init() {
        starts.reserveCapacity(64)
        ends.reserveCapacity(64)
    }

    @inlinable public subscript(i: Int) -> Bytes {
        guard i < count, let base else { return Bytes(start: nil, count: 0) }
        return Bytes(start: base + starts[i], count: ends[i] - starts[i])
    }

    @inlinable mutating func append(_ s: Int, _ e: Int) {
        if count < starts.count {
            starts[count] = s
            ends[count] = e
        } else {
            starts.append(s)
            ends.append(e)
        }
        count += 1
    }
}

public enum RecordStatus: Equatable {
    case record(line: Int)
    case end
    /// A malformed record: the reader has skipped past it and can go on.
    case malformed(line: Int, reason: String)
}

public struct CSVRecordReader {
    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    @usableFromInline let end: Int
    public private(set) var position: Int
    /// The physical line (1-based) the next record starts on.
    public private(set) var line: Int

    /// Reads `buffer[start..<end]`; `line` is the physical line number at `start`.
    public init(buffer: UnsafeMutableBufferPointer<UInt8>, start: Int = 0, end: Int? = nil, line: Int = 1) {
        self.base = buffer.baseAddress ?? UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        self.end = end ?? buffer.count
        var p = start
        // A UTF-8 byte order mark at the very start of the file is skipped.
        if p == 0, self.end >= 3, buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { p = 3 }
        self.position = p
        self.line = line
    }

    /// Skips to the start of the next physical line (after a malformed record).
    @usableFromInline mutating func skipLine() {
        while position < end {
            let b = base[position]
            position += 1
            if b == 0x0A { line += 1; return }
        }
    }

    /// Reads the next record into `fields`. Blank lines are skipped.
    public mutating func next(into fields: inout FieldList) -> RecordStatus {
        fields.base = base
        while true {
            fields.count = 0
            if position >= end { return .end }
            let recordLine = line
            let recordStart = position
            // Blank line (LF or CRLF): skip.
            if base[position] == 0x0A { position += 1; line += 1; continue }
            if base[position] == 0x0D && position + 1 < end && base[position + 1] == 0x0A { position += 2; line += 1; continue }

            var p = position
            while true {
                if fields.count >= InputLimits.maxColumns {
                    position = p
                    skipLine()
                    return .malformed(line: recordLine, reason: "more than \(InputLimits.maxColumns) columns")
                }
                if p - recordStart > InputLimits.maxRecordBytes {
                    position = p
                    skipLine()
                    return .malformed(line: recordLine, reason: "row longer than \(InputLimits.maxRecordBytes) bytes")
                }
                if p < end && base[p] == 0x22 {
                    // Quoted field: unescape doubled quotes in place.
                    p += 1
                    let start = p
                    var w = p
                    var closed = false
                    while p < end {
                        let b = base[p]
                        if b == 0x22 {
                            if p + 1 < end && base[p + 1] == 0x22 {
                                base[w] = 0x22; w += 1; p += 2
                                continue
                            }
                            p += 1
                            closed = true
                            break
                        }
                        if b == 0x0A { line += 1 }
                        if b == 0 {
                            position = p
                            skipLine()
                            return .malformed(line: recordLine, reason: "NUL byte in a field")
                        }
                        if w != p { base[w] = b }
                        w += 1
                        p += 1
                        if p - recordStart > InputLimits.maxRecordBytes { break }
                    }
                    if !closed {
                        if p - recordStart > InputLimits.maxRecordBytes {
                            position = p
                            skipLine()
                            return .malformed(line: recordLine, reason: "row longer than \(InputLimits.maxRecordBytes) bytes")
                        }
                        position = end
                        return .malformed(line: recordLine, reason: "unterminated quoted field (a quote opened here is never closed)")
                    }
                    fields.append(start, w)
                    // After the closing quote: a separator, a line end or the end of the buffer.
                    if p >= end { position = p; return .record(line: recordLine) }
                    let b = base[p]
                    if b == 0x2C { p += 1; continue }
                    if b == 0x0A { position = p + 1; line += 1; return .record(line: recordLine) }
                    if b == 0x0D && p + 1 < end && base[p + 1] == 0x0A { position = p + 2; line += 1; return .record(line: recordLine) }
                    if b == 0x0D && p + 1 == end { position = end; return .record(line: recordLine) }
                    position = p
                    skipLine()
                    return .malformed(line: recordLine, reason: "unexpected text after a closing quote")
                } else {
                    let start = p
                    while p < end {
                        let b = base[p]
                        if b == 0x2C || b == 0x0A || b == 0x0D { break }
                        if b == 0x22 || b == 0 {
                            position = p
                            skipLine()
                            return .malformed(line: recordLine, reason: b == 0 ? "NUL byte in a field" : "a quote inside an unquoted field")
                        }
                        p += 1
                    }
                    if p >= end { fields.append(start, p); position = p; return .record(line: recordLine) }
                    let b = base[p]
                    if b == 0x2C { fields.append(start, p); p += 1; if p >= end { fields.append(p, p); position = p; return .record(line: recordLine) }; continue }
                    if b == 0x0A { fields.append(start, p); position = p + 1; line += 1; return .record(line: recordLine) }
                    // CR: CRLF ends the record; a lone CR at the very end too; a CR elsewhere is an error.
                    if p + 1 < end && base[p + 1] == 0x0A { fields.append(start, p); position = p + 2; line += 1; return .record(line: recordLine) }
                    if p + 1 == end { fields.append(start, p); position = end; return .record(line: recordLine) }
                    position = p + 1
                    skipLine()
                    return .malformed(line: recordLine, reason: "a carriage return inside an unquoted field")
                }
            }
        }
    }
}

/// Text from a field: valid UTF-8 or nil.
@inlinable public func utf8String(_ f: Bytes) -> String? {
    String(validating: f, as: UTF8.self)
}
