import Foundation
// Reading a CSV table with a header: column lookup by name, fatal errors for the whole file,
// and row iteration with physical line numbers.

/// An error that stops the run (the file as a whole cannot be used). Exit status per outputs.md.
public struct InputError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable { case notFound, badData, cannotWrite, usage }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
    public var exitCode: Int32 {
        switch kind {
        case .usage: return 64
        case .badData: return 65
        case .notFound: return 66
        case .cannotWrite: return 73
        }
    }
}

/// A file's bytes, named by its path relative to the input folder.
public struct InputBuffer: @unchecked Sendable {
    public var name: String
    public var bytes: UnsafeMutableBufferPointer<UInt8>
    /// True for a read-only mapping of a file (MappedFile): its pages can be released and re-read.
    /// Never set it on heap memory: releasing those pages would zero them.
    public var isFileMapping = false

    /// Hands a memory-mapped, read-only input's pages back to the kernel once it has been read (a
    /// later access reads them again from the page cache). For a buffer that is not a file
    /// mapping this does nothing.
    /// `from` and `upTo` are offsets into the buffer (whole pages inside them are released).
    public func releasePages(from: Int = 0, upTo limit: Int? = nil) {
        guard isFileMapping, let base = bytes.baseAddress, bytes.count >= 1 << 20 else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + max(from, 0) + page - 1) / page * page
        let end = (Int(bitPattern: base) + min(limit ?? bytes.count, bytes.count)) / page * page
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(p, end - start, MADV_DONTNEED)
    }

    public init(name: String, bytes: UnsafeMutableBufferPointer<UInt8>) {
        self.name = name
        self.bytes = bytes
    }
}

/// The columns a CSV header names, by position.
public struct HeaderMap: Sendable {
    public var columns: [String] = []
    private var positions: [String: Int] = [:]
    /// Header cells costper does not use.
    public var unknown: [String] = []

    public func position(_ name: String) -> Int? { positions[name] }

    /// Reads the header record of `input`. Throws when it is missing, malformed or lacks a
    /// required column.
    public static func read(_ reader: inout CSVRecordReader, fields: inout FieldList, file: String,
                            required: [String], known: [String]) throws(InputError) -> HeaderMap {
        switch reader.next(into: &fields) {
        case .end:
            throw InputError(.badData, "\(file): the file is empty (a header row with \(required.joined(separator: ", ")) is required)")
        case .malformed(let line, let reason):
            throw InputError(.badData, "\(file):\(line): the header row cannot be read: \(reason)")
        case .record:
            break
        }
        var map = HeaderMap()
        for i in 0..<fields.count {
            guard var name = utf8String(fields[i]) else {
                throw InputError(.badData, "\(file):1: the header row is not valid UTF-8")
            }
            name = String(name.unicodeScalars.filter { $0 != "\u{FEFF}" }).trimmingSpaces.lowercased()
            map.columns.append(name)
            if map.positions[name] == nil { map.positions[name] = i }
            if !known.contains(name) && !map.unknown.contains(name) { map.unknown.append(name) }
        }
        for col in required where map.positions[col] == nil {
            let looksBinary = map.columns.count <= 1 && required.count > 1
            throw InputError(.badData, looksBinary
                ? "\(file): is not a CSV file with a header row (expected columns \(required.joined(separator: ", ")))"
                : "\(file): the required column \"\(col)\" is missing (header: \(map.columns.prefix(20).joined(separator: ",")))")
        }
        return map
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// Reads every data row of a CSV buffer with a header: `row` is called with the physical line and
/// the fields; a malformed record becomes a reject. Returns the header and the number of rows read.
@discardableResult
public func readCSVTable(_ input: InputBuffer, required: [String], known: [String], rejects: inout [Reject],
                         row: (Int, HeaderMap, inout FieldList, inout [Reject]) -> Void) throws(InputError) -> (header: HeaderMap, rows: Int) {
    var reader = CSVRecordReader(buffer: input.bytes)
    var fields = FieldList()
    let header = try HeaderMap.read(&reader, fields: &fields, file: input.name, required: required, known: known)
    var rows = 0
    // A memory-mapped file's pages are handed back behind the reader (see releasePages).
    var released = 0
    while true {
        if input.isFileMapping && reader.position - released >= 8 << 20 {
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
public func readAnyTable(_ input: InputBuffer, columns: [String], required: [String], rejects: inout [Reject],
                         row: (Int, HeaderMap, inout FieldList, inout [Reject]) -> Void) throws(InputError) -> (header: HeaderMap, rows: Int, format: InputFormat) {
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
