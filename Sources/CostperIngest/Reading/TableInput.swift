import CostperMoney
import CostperVocabulary
import Foundation
// Reading a CSV table with a header: column lookup by name, fatal errors for the whole file,
// and row iteration with physical line numbers.

/// One input file's bytes, named by its path relative to the input folder. The value keeps its
/// memory alive: a reader that holds it can never see freed bytes.
package struct InputBuffer: Sendable {
    package var name: String
    package let region: any ByteRegion

    /// An input held in memory (a copy of `bytes`).
    package init(name: String, bytes: [UInt8]) {
        self.name = name
        region = HeapRegion(bytes)
    }

    /// An input whose memory the caller owns (the I/O edge's file mappings).
    package init(name: String, region: any ByteRegion) {
        self.name = name
        self.region = region
    }

    package var byteCount: Int { region.bytes.count }

    /// The bytes, read only (valid while `self` lives).
    package var bytes: Bytes { region.bytes }

    /// Hands the pages of bytes already read back to the kernel, for regions that can; files
    /// under 1 MiB keep theirs.
    package func releasePages(from: Int = 0, upTo limit: Int? = nil) {
        guard byteCount >= 1 << 20 else { return }
        region.releasePages(from: max(from, 0), upTo: min(limit ?? byteCount, byteCount))
    }
}

/// The columns a CSV header names, by position.
package struct HeaderMap: Sendable {
    package var columns: [String] = []
    private var positions: [String: Int] = [:]
    /// Header cells costper does not use.
    package var unknown: [String] = []

    package func position(_ name: String) -> Int? { positions[name] }

    /// Reads the header record of `input`. Throws when it is missing, malformed or lacks a
    /// required column.
    package static func read(_ reader: inout CSVRecordReader, fields: inout FieldList, file: String,
                            required: [String], known: [String]) throws(CostperError) -> HeaderMap {
        reader.skipsMalformedLines = false
        let first = reader.next(into: &fields)
        reader.skipsMalformedLines = true
        switch first {
        case .end:
            throw CostperError(.badData, "the file is empty (a header row with \(required.joined(separator: ", ")) is required)", at: InputLocation(file: file))
        case .malformed(let line, let reason):
            throw CostperError(.badData, "the header row cannot be read: \(reason)", at: InputLocation(file: file, line: line))
        case .record:
            break
        }
        var map = HeaderMap()
        var original: [String] = []
        for i in 0..<fields.count {
            guard var name = utf8String(fields[i]) else {
                throw CostperError(.badData, "the header row is not valid UTF-8", at: InputLocation(file: file, line: 1))
            }
            let written = name
            name = String(name.unicodeScalars.filter { $0 != "\u{FEFF}" }).trimmingSpaces.lowercased()
            map.columns.append(name)
            original.append(written)
            if let first = map.positions[name], !name.isEmpty {
                // One column named twice (or two that fold to one name): which one holds the value?
                throw CostperError(.badData, "the header names one column twice: \(Scalars.quoteForMessage(original[first])) (column \(first + 1)) and \(Scalars.quoteForMessage(written)) (column \(i + 1)); keep one", at: InputLocation(file: file, line: 1))
            }
            if map.positions[name] == nil { map.positions[name] = i }
            if !known.contains(name) && !map.unknown.contains(name) { map.unknown.append(name) }
        }
        // A column within a typo of a known one that the header lacks: refuse rather than guess
        // (`costusd` used to make costper price every row from the catalog).
        for u in map.unknown where !u.isEmpty {
            for k in known where map.positions[k] == nil && HeaderMap.looksLikeTypo(u, of: k) {
                throw CostperError(.badData, "the column \(Scalars.quoteForMessage(u)) is not one costper knows: did you mean \(k)? (rename it, or remove it)", at: InputLocation(file: file, line: 1))
            }
        }
        for col in required where map.positions[col] == nil {
            let looksBinary = map.columns.count <= 1 && required.count > 1
            throw CostperError(.badData, looksBinary
                ? "\(file): is not a CSV file with a header row (expected columns \(required.joined(separator: ", ")))"
                : "\(file): the required column \"\(col)\" is missing (header: \(map.columns.prefix(20).joined(separator: ",")))")
        }
        return map
    }
}

package extension HeaderMap {
    /// True when `name` is `known` written with its underscores dropped or changed, or within
    /// an edit distance of 1 (2 for names of 8 characters or more).
    package static func looksLikeTypo(_ name: String, of known: String) -> Bool {
        func squash(_ s: String) -> [UInt8] { s.utf8.filter { $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: ".") } }
        let a = Array(name.utf8), b = Array(known.utf8)
        if a == b { return false }
        if squash(name) == squash(known) { return true }
        let allowed = b.count >= 8 ? 2 : 1
        guard b.count >= 4, abs(a.count - b.count) <= allowed else { return false }
        return editDistance(a, b, atMost: allowed) <= allowed
    }

    /// Levenshtein distance, stopping early above `atMost`.
    package static func editDistance(_ a: [UInt8], _ b: [UInt8], atMost: Int) -> Int {
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var rowMin = current[0]
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMin = min(rowMin, current[j])
            }
            if rowMin > atMost { return rowMin }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

package extension String {
    package var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// Reads every data row of a CSV buffer with a header: `row` is called with the physical line and
/// the fields; a malformed record becomes a reject. Returns the header and the number of rows read.
@discardableResult
package func readCSVTable(_ input: InputBuffer, required: [String], known: [String], rejects: inout [Reject],
                         row: (Int, HeaderMap, inout FieldList, inout [Reject]) -> Void) throws(CostperError) -> (header: HeaderMap, rows: Int) {
    var reader = CSVRecordReader(buffer: input.bytes)
    var fields = FieldList()
    let header = try HeaderMap.read(&reader, fields: &fields, file: input.name, required: required, known: known)
    var rows = 0
    // A memory-mapped file's pages are handed back behind the reader (see releasePages).
    var released = 0
    while true {
        if reader.position - released >= 8 << 20 {
            input.releasePages(from: released, upTo: reader.position)
            released = reader.position
        }
        switch reader.next(into: &fields) {
        case .end:
            return (header, rows)
        case .malformed(let line, let reason):
            rows += 1
            rejects.append(Reject(file: input.name, line: line, column: "", reason: reason))
        case .record(let line):
            rows += 1
            if fields.count != header.columns.count {
                rejects.append(Reject(file: input.name, line: line, column: "",
                                      reason: "has \(fields.count) fields, the header has \(header.columns.count)"))
                continue
            }
            row(line, header, &fields, &rejects)
        }
    }
}

/// Reads a table in CSV or JSON Lines, whichever the content is; returns the format read too.
@discardableResult
package func readAnyTable(_ input: InputBuffer, columns: [String], required: [String], rejects: inout [Reject],
                         row: (Int, HeaderMap, inout FieldList, inout [Reject]) -> Void) throws(CostperError) -> (header: HeaderMap, rows: Int, format: InputFormat) {
    let format = InputFormat.sniff(input.bytes)
    switch format {
    case .csv:
        let (h, n) = try readCSVTable(input, required: required, known: columns, rejects: &rejects, row: row)
        return (h, n, .csv)
    case .jsonLines:
        let (h, n) = readJSONLinesTable(input, columns: columns, required: required, rejects: &rejects, row: row)
        return (h, n, .jsonLines)
    }
}
