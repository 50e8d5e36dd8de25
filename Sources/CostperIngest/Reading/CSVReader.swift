import CostperMoney
import CostperVocabulary
import CIngest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// An RFC 4180 record reader over read-only bytes (a read-only memory map or an array).
//
// Hand-written rather than a CSV package: the ingest benchmark (Benchmarks/run) needs records
// without a heap allocation per row, exact physical line numbers for rejects (newlines inside
// quotes count), and quoted fields unescaped in place; SwiftCSV and CSV.swift build a String per
// field, which costs more than the whole aggregation on a 10M-row month.


/// Bytes a reader decodes fields into when they cannot point into the file (quoted fields with
/// doubled quotes, JSON strings with escapes). Two halves, each sized for the longest record
/// allowed, used in turn record by record: a record's fields stay valid while the next one is
/// read (the requests reader reads one record ahead, to prefetch its ticket).
package final class FieldScratch: @unchecked Sendable {
    package let base: UnsafeMutablePointer<UInt8>
    package let capacity = InputLimits.maxRecordBytes + 64
    package var used = 0
    private var second = false
    package init() { base = .allocate(capacity: 2 * capacity) }
    deinit { base.deallocate() }

    /// Starts a record in the other half.
    @inline(__always) package func startRecord() {
        second.toggle()
        used = second ? capacity : 0
    }
}

/// Where a FieldList keeps its pointers and lengths: raw memory sized once for the most columns a
/// row may have, so that filling a field is two stores (Swift arrays checked uniqueness and
/// bounds on every store, which showed in the ingest profile).
package final class FieldStorage: @unchecked Sendable {
    package let capacity: Int
    @usableFromInline package let pointers: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    @usableFromInline package let lengths: UnsafeMutablePointer<Int>
    package init(capacity: Int) {
        self.capacity = capacity
        pointers = .allocate(capacity: capacity)
        pointers.initialize(repeating: nil, count: capacity)
        lengths = .allocate(capacity: capacity)
        lengths.initialize(repeating: 0, count: capacity)
    }
    deinit {
        pointers.deallocate()
        lengths.deallocate()
    }
}

/// The fields of one record: pointers into the file (or into the reader's scratch), valid until
/// the call after the next call to `next`. The file's bytes are never written.
package struct FieldList {
    @usableFromInline package let storage = FieldStorage(capacity: InputLimits.maxColumns + 1)
    package var count = 0

    package init() {}

    @inline(__always) package subscript(i: Int) -> Bytes {
        guard i >= 0 && i < count else { return Bytes() }
        return Bytes(unsafe: UnsafeBufferPointer(start: storage.pointers[i], count: storage.lengths[i]))
    }

    /// Whether field `i` was present at all (JSON Lines: the key appeared).
    @inline(__always) package func isPresent(_ i: Int) -> Bool { i >= 0 && i < count && storage.pointers[i] != nil }

    /// Adds a field; the readers never add more than `InputLimits.maxColumns` (they reject the row first).
    @inline(__always) package mutating func append(_ p: UnsafePointer<UInt8>?, _ length: Int) {
        precondition(count < storage.capacity, "a record has more fields than the column limit")
        storage.pointers[count] = p
        storage.lengths[count] = length
        count += 1
    }

    @inline(__always) package mutating func set(_ i: Int, _ p: UnsafePointer<UInt8>?, _ length: Int) {
        precondition(i >= 0 && i < count, "a field slot outside the record")
        storage.pointers[i] = p
        storage.lengths[i] = length
    }
}

package extension FieldList {
    /// The fields without their owner: two pointers and a count, so a row view made per record
    /// costs no reference counting. Valid while this list lives and until the next `next`.
    package var view: FieldView { FieldView(pointers: storage.pointers, lengths: storage.lengths, count: count) }
}

/// A FieldList's fields, read only (see `FieldList.view`).
package struct FieldView {
    package let pointers: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    package let lengths: UnsafeMutablePointer<Int>
    package let count: Int

    @inline(__always) package subscript(i: Int) -> Bytes {
        guard i >= 0 && i < count else { return Bytes() }
        return Bytes(unsafe: UnsafeBufferPointer(start: pointers[i], count: lengths[i]))
    }
}

package enum RecordStatus: Equatable {
    case record(line: Int)
    case end
    /// A malformed record: the reader has skipped past it and can go on.
    case malformed(line: Int, reason: String)
}

/// Where a reader of an empty buffer points (never read: its end is 0). One for the process, so
/// that reading an empty file allocates nothing (it used to leak a byte per reader).
nonisolated(unsafe) let emptyBufferBase = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

package struct CSVRecordReader {
    @usableFromInline package let base: UnsafePointer<UInt8>
    @usableFromInline package let end: Int
    package private(set) var position: Int
    /// The physical line (1-based) the next record starts on.
    package private(set) var line: Int
    package let scratch = FieldScratch()
    /// The special bytes (comma, LF, CR, quote, NUL) of the 64 bytes from `maskBase`, one bit each
    /// (`costper_csv_specials`): the reader jumps from one to the next instead of testing each byte.
    private var maskBase = Int.min / 2
    private var mask: UInt64 = 0
    /// False while the header is read: a malformed header stops the run, so the reader does not
    /// look for the next line (in a huge file with no line end, 2 GiB of NUL bytes, that meant
    /// faulting in every page before the error came out); it ends the reading instead.
    package var skipsMalformedLines = true

    /// Reads `buffer[start..<end]`; `line` is the physical line number at `start`.
    package init(buffer: Bytes, start: Int = 0, end: Int? = nil, line: Int = 1) {
        self.base = buffer.unsafeBuffer.baseAddress ?? UnsafePointer(emptyBufferBase)
        self.end = end ?? buffer.count
        var p = start
        // A UTF-8 byte order mark at the very start of the file is skipped.
        if p == 0, self.end >= 3, buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { p = 3 }
        self.position = p
        self.line = line
    }

    /// The first special byte (comma, LF, CR, quote, NUL) at or after `from`, or `end`. Hand-written
    /// over a 64-byte vector compare (CIngest): testing every byte for five values was the largest
    /// part of the CSV reader, itself the largest part of reading a time-ordered month.
    @inline(__always) package mutating func nextSpecial(_ from: Int) -> Int {
        var p = from
        while p < end {
            let offset = p &- maskBase
            if offset >= 0 && offset < 64 {
                let m = mask >> UInt64(offset)
                if m != 0 { return p + m.trailingZeroBitCount }
                p = maskBase + 64
                continue
            }
            maskBase = p
            mask = costper_csv_specials(base + p, min(64, end - p))
        }
        return end
    }

    /// Skips to the start of the next physical line (after a malformed record).
    @usableFromInline package mutating func skipLine() {
        // memchr: after a malformed header of a huge file with no line end (2 GiB of NUL bytes)
        // the byte loop this replaces took seconds before the error could come out.
        guard skipsMalformedLines else { position = end; return }
        guard position < end else { return }
        guard let hit = memchr(base + position, 0x0A, end - position) else { position = end; return }
        position = UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
        line += 1
    }

    /// Reads the next record into `fields`. Blank lines are skipped.
    package mutating func next(into fields: inout FieldList) -> RecordStatus {
        scratch.startRecord()
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
                    // Quoted field. Without doubled quotes it points into the file; with them it is
                    // unescaped into the scratch buffer.
                    p += 1
                    let start = p
                    var doubled = false
                    var closed = false
                    while true {
                        // From special byte to special byte: inside quotes a comma or CR is text, a
                        // LF is text on the next line, a quote ends the field or is doubled, NUL is refused.
                        p = nextSpecial(p)
                        // Checked at each: a field (of doubled quotes too) must not outgrow the scratch.
                        if p - recordStart > InputLimits.maxRecordBytes || p >= end { break }
                        let b = base[p]
                        if b == 0x22 {
                            if p + 1 < end && base[p + 1] == 0x22 {
                                doubled = true
                                p += 2
                                continue
                            }
                            closed = true
                            break
                        }
                        if b == 0x0A { line += 1 }
                        if b == 0 {
                            position = p
                            skipLine()
                            return .malformed(line: recordLine, reason: "NUL byte in a field")
                        }
                        p += 1
                    }
                    if !closed {
                        if p - recordStart > InputLimits.maxRecordBytes {
                            position = p
                            skipLine()
                            return .malformed(line: recordLine, reason: "row longer than \(InputLimits.maxRecordBytes) bytes")
                        }
                        position = end
                        let last = base[end - 1] == 0x0A ? line - 1 : line
                        let span = last > recordLine ? ", so lines \(recordLine)-\(last) were read as one row" : ""
                        return .malformed(line: recordLine, reason: "unterminated quoted field (a quote opened here is never closed\(span))")
                    }
                    if doubled {
                        let out = scratch.base + scratch.used
                        var w = 0
                        var q = start
                        while q < p {
                            out[w] = base[q]
                            w += 1
                            q += base[q] == 0x22 ? 2 : 1
                        }
                        scratch.used += w
                        fields.append(UnsafePointer(out), w)
                    } else {
                        fields.append(base + start, p - start)
                    }
                    p += 1   // the closing quote
                    // After the closing quote: a separator, a line end or the end of the buffer.
                    if p >= end { position = p; return .record(line: recordLine) }
                    let b = base[p]
                    if b == 0x2C { p += 1; if p >= end { fields.append(base + p, 0); position = p; return .record(line: recordLine) }; continue }
                    if b == 0x0A { position = p + 1; line += 1; return .record(line: recordLine) }
                    if b == 0x0D && p + 1 < end && base[p + 1] == 0x0A { position = p + 2; line += 1; return .record(line: recordLine) }
                    if b == 0x0D && p + 1 == end { position = end; return .record(line: recordLine) }
                    position = p
                    skipLine()
                    return .malformed(line: recordLine, reason: "unexpected text after a closing quote")
                } else {
                    let start = p
                    p = nextSpecial(p)
                    if p < end && (base[p] == 0x22 || base[p] == 0) {
                        let b = base[p]
                        position = p
                        skipLine()
                        return .malformed(line: recordLine, reason: b == 0 ? "NUL byte in a field" : "a quote inside an unquoted field")
                    }
                    if p - recordStart > InputLimits.maxRecordBytes {
                        position = p
                        skipLine()
                        return .malformed(line: recordLine, reason: "row longer than \(InputLimits.maxRecordBytes) bytes")
                    }
                    fields.append(base + start, p - start)
                    if p >= end { position = p; return .record(line: recordLine) }
                    let b = base[p]
                    if b == 0x2C { p += 1; if p >= end { fields.append(base + p, 0); position = p; return .record(line: recordLine) }; continue }
                    if b == 0x0A { position = p + 1; line += 1; return .record(line: recordLine) }
                    // CR: CRLF ends the record; a lone CR at the very end too; a CR elsewhere is an error.
                    if p + 1 < end && base[p + 1] == 0x0A { position = p + 2; line += 1; return .record(line: recordLine) }
                    if p + 1 == end { position = end; return .record(line: recordLine) }
                    position = p + 1
                    skipLine()
                    return .malformed(line: recordLine, reason: "a carriage return inside an unquoted field")
                }
            }
        }
    }
}

/// Text from a field: valid UTF-8 or nil.
@inline(__always) package func utf8String(_ f: Bytes) -> String? {
    String(validating: f, as: UTF8.self)
}
