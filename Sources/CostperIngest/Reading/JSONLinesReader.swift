// A strict JSON Lines reader: one object a line, decoded in place into the same field list the
// CSV reader fills, so the row logic is shared. Hand-written for the same reasons as the CSV
// reader (no allocation per row, physical line numbers); strict where JSONSerialization is lax:
// a duplicate key, a bare control character, invalid escapes or trailing text reject the line.
import CostperMoney
import CostperVocabulary


package struct JSONLinesReader {
    package let base: UnsafePointer<UInt8>
    package let scratch = FieldScratch()
    package let end: Int
    package private(set) var position: Int
    package private(set) var line: Int
    /// Key -> field slot; keys not listed are skipped (and remembered once for the notice).
    package let slots: [String: Int]
    package let slotCount: Int
    package private(set) var unknownKeys: [String] = []
    private var seen: [Int] = []   // per slot: the line it was last set on (duplicate detection)

    package init(buffer: Bytes, columns: [String], start: Int = 0, line: Int = 1) {
        base = buffer.unsafeBuffer.baseAddress ?? UnsafePointer(emptyBufferBase)
        end = buffer.count
        var p = start
        if p == 0, end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { p = 3 }
        position = p
        self.line = line
        var s: [String: Int] = [:]
        for (i, c) in columns.enumerated() { s[c] = i }
        slots = s
        slotCount = columns.count
        seen = Array(repeating: 0, count: columns.count)
    }

    package enum Failure: Error { case bad(String) }

    /// Reads the next object into `fields` (absent keys are empty fields; `null` is empty).
    package mutating func next(into fields: inout FieldList) -> RecordStatus {
        scratch.startRecord()
        while true {
            guard position < end else { return .end }
            // Find the end of this physical line.
            var e = position
            while e < end && base[e] != 0x0A { e += 1 }
            let lineStart = position
            var lineEnd = e
            let thisLine = line
            position = e < end ? e + 1 : e
            line += 1
            if lineEnd > lineStart && base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            // Blank line: skip.
            var q = lineStart
            while q < lineEnd && (base[q] == 0x20 || base[q] == 0x09) { q += 1 }
            if q == lineEnd { continue }
            if lineEnd - lineStart > InputLimits.maxRecordBytes {
                return .malformed(line: thisLine, reason: "line longer than \(InputLimits.maxRecordBytes) bytes")
            }
            fields.count = 0
            for _ in 0..<slotCount { fields.append(nil, 0) }
            do {
                try parseObject(from: q, to: lineEnd, line: thisLine, into: &fields)
                return .record(line: thisLine)
            } catch Failure.bad(let reason) {
                return .malformed(line: thisLine, reason: reason)
            } catch {
                return .malformed(line: thisLine, reason: "is not a JSON object")
            }
        }
    }

    @inline(__always) package func skipSpace(_ p: inout Int, _ e: Int) {
        while p < e, base[p] == 0x20 || base[p] == 0x09 || base[p] == 0x0D { p += 1 }
    }

    package mutating func parseObject(from start: Int, to e: Int, line: Int, into fields: inout FieldList) throws {
        var p = start
        guard base[p] == UInt8(ascii: "{") else { throw Failure.bad("is not a JSON object (a line must start with {)") }
        p += 1
        skipSpace(&p, e)
        if p < e && base[p] == UInt8(ascii: "}") {
            p += 1
        } else {
            while true {
                skipSpace(&p, e)
                guard p < e, base[p] == UInt8(ascii: "\"") else { throw Failure.bad("expected a key in quotes") }
                let key = String(decoding: try parseString(&p, e), as: UTF8.self)
                skipSpace(&p, e)
                guard p < e, base[p] == UInt8(ascii: ":") else { throw Failure.bad("expected : after the key \"\(key)\"") }
                p += 1
                skipSpace(&p, e)
                guard p < e else { throw Failure.bad("the value of \"\(key)\" is missing") }
                let slot = slots[key]
                if let slot {
                    if seen[slot] == line { throw Failure.bad("duplicate key \"\(key)\"") }
                    seen[slot] = line
                }
                let b = base[p]
                var value = Bytes(unsafe: UnsafeBufferPointer(start: base + p, count: 0))
                if b == UInt8(ascii: "\"") {
                    value = try parseString(&p, e)
                } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                    if slot != nil { throw Failure.bad("\(key): an object or list where a value is expected") }
                    try skipComposite(&p, e)
                } else if b == UInt8(ascii: "n") {
                    try literal("null", &p, e)
                } else if b == UInt8(ascii: "t") || b == UInt8(ascii: "f") {
                    let vs = p
                    try literal(b == UInt8(ascii: "t") ? "true" : "false", &p, e)
                    value = Bytes(unsafe: UnsafeBufferPointer(start: base + vs, count: p - vs))
                } else {
                    let vs = p
                    try parseNumber(&p, e, key: key)
                    value = Bytes(unsafe: UnsafeBufferPointer(start: base + vs, count: p - vs))
                }
                if let slot {
                    fields.set(slot, value.unsafeBuffer.baseAddress ?? base, value.count)
                } else if !unknownKeys.contains(key) && unknownKeys.count < 100 {
                    unknownKeys.append(key)
                }
                skipSpace(&p, e)
                guard p < e else { throw Failure.bad("the object is not closed") }
                if base[p] == UInt8(ascii: ",") { p += 1; continue }
                if base[p] == UInt8(ascii: "}") { p += 1; break }
                throw Failure.bad("expected , or } after the value of \"\(key)\"")
            }
        }
        skipSpace(&p, e)
        if p != e { throw Failure.bad("unexpected text after the object") }
    }

    package func literal(_ word: StaticString, _ p: inout Int, _ e: Int) throws {
        let n = word.utf8CodeUnitCount
        guard p + n <= e else { throw Failure.bad("invalid literal") }
        for i in 0..<n where base[p + i] != word.utf8Start[i] { throw Failure.bad("invalid literal") }
        p += n
    }

    /// A JSON number per RFC 8259 (no leading zeros, no NaN/Infinity, no hex).
    package func parseNumber(_ p: inout Int, _ e: Int, key: String) throws {
        let start = p
        if p < e && base[p] == UInt8(ascii: "-") { p += 1 }
        guard p < e, Scalars.isDigit(base[p]) else { throw Failure.bad("\(key): not a JSON value") }
        if base[p] == UInt8(ascii: "0") { p += 1 } else { while p < e && Scalars.isDigit(base[p]) { p += 1 } }
        if p < e && base[p] == UInt8(ascii: ".") {
            p += 1
            guard p < e, Scalars.isDigit(base[p]) else { throw Failure.bad("\(key): malformed number") }
            while p < e && Scalars.isDigit(base[p]) { p += 1 }
        }
        if p < e && (base[p] == UInt8(ascii: "e") || base[p] == UInt8(ascii: "E")) {
            p += 1
            if p < e && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
            guard p < e, Scalars.isDigit(base[p]) else { throw Failure.bad("\(key): malformed number") }
            while p < e && Scalars.isDigit(base[p]) { p += 1 }
        }
        if p < e, !(base[p] == UInt8(ascii: ",") || base[p] == UInt8(ascii: "}") || base[p] == 0x20 || base[p] == 0x09 || base[p] == 0x0D || base[p] == UInt8(ascii: "]")) {
            throw Failure.bad("\(key): malformed number \(Scalars.quoteForMessage(String(decoding: UnsafeBufferPointer(start: base + start, count: min(p + 1, e) - start), as: UTF8.self)))")
        }
    }

    /// Parses a string at `p` (on its opening quote). Without escapes it points into the file;
    /// with them it is decoded into the scratch buffer.
    package func parseString(_ p: inout Int, _ e: Int) throws -> Bytes {
        p += 1
        let start = p
        var escaped = false
        while p < e {
            let b = base[p]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { throw Failure.bad("a control character inside a string") }
            if b == UInt8(ascii: "\\") { escaped = true; p += 2; continue }
            p += 1
        }
        guard p < e else { throw Failure.bad("a string is not closed") }
        let close = p
        p += 1
        if !escaped { return Bytes(unsafe: UnsafeBufferPointer(start: base + start, count: close - start)) }
        let out = scratch.base + scratch.used
        var w = 0
        if let reason = decodeJSONEscapes(base, start, close, allowNUL: false, emit: { out[w] = $0; w += 1 }) {
            throw Failure.bad(reason)
        }
        scratch.used += w
        return Bytes(unsafe: UnsafeBufferPointer(start: UnsafePointer(out), count: w))
    }

    /// Skips an object or array value (of a key costper does not use), checking its nesting.
    package func skipComposite(_ p: inout Int, _ e: Int) throws {
        var depth = 0
        while p < e {
            let b = base[p]
            if b == UInt8(ascii: "\"") { _ = try parseString(&p, e); continue }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
                if depth > 64 { throw Failure.bad("nested more than 64 levels") }
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { p += 1; return }
            }
            p += 1
        }
        throw Failure.bad("an object or list is not closed")
    }
}

/// The format of a file, from its content: JSON Lines when the first non-blank byte is `{`.
package enum InputFormat: String, Sendable {
    case csv = "CSV", jsonLines = "JSON Lines"

    package static func sniff(_ bytes: Bytes) -> InputFormat {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        return i < bytes.count && bytes[i] == UInt8(ascii: "{") ? .jsonLines : .csv
    }
}

/// Reads every line of a JSON Lines buffer into fields in `columns` order. A line lacking a
/// required key is rejected naming the key.
@discardableResult
package func readJSONLinesTable(_ input: InputBuffer, columns: [String], required: [String], rejects: inout [Reject],
                               row: (Int, HeaderMap, inout FieldList, inout [Reject]) -> Void) -> (header: HeaderMap, rows: Int) {
    var reader = JSONLinesReader(buffer: input.bytes, columns: columns)
    var fields = FieldList()
    var header = HeaderMap.canonical(columns)
    let requiredSlots = required.compactMap { header.position($0) }
    var rows = 0
    loop: while true {
        switch reader.next(into: &fields) {
        case .end: break loop
        case .malformed(let line, let reason):
            rows += 1
            rejects.append(Reject(file: input.name, line: line, column: "", reason: reason))
        case .record(let line):
            rows += 1
            if let missing = requiredSlots.first(where: { !fields.isPresent($0) }) {
                rejects.append(Reject(file: input.name, line: line, column: columns[missing], reason: "is missing"))
                continue
            }
            row(line, header, &fields, &rejects)
        }
    }
    header.unknown = reader.unknownKeys
    return (header, rows)
}

/// Decodes the contents of a JSON string, escapes included (`base[start..<close]`, between its
/// quotes), handing each byte to `emit`; nil when the escapes are valid, else the reason. One
/// decoder for both JSON readers (JSON Lines rows and the exports' documents).
@inline(__always)
package func decodeJSONEscapes(_ bytes: Bytes, _ start: Int, _ close: Int, allowNUL: Bool, emit: (UInt8) -> Void) -> String? {
    precondition(start >= 0 && start <= close && close <= bytes.count, "a string outside the bytes")
    guard let base = bytes.unsafeBuffer.baseAddress else { return nil }
    return decodeJSONEscapes(base, start, close, allowNUL: allowNUL, emit: emit)
}

@inline(__always)
package func decodeJSONEscapes(_ base: UnsafePointer<UInt8>, _ start: Int, _ close: Int, allowNUL: Bool, emit: (UInt8) -> Void) -> String? {
    func hex4(_ at: Int) -> UInt32? {
        guard at + 4 <= close else { return nil }
        var v: UInt32 = 0
        for i in 0..<4 {
            let b = base[at + i]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }
    var q = start
    while q < close {
        let b = base[q]
        if b != UInt8(ascii: "\\") { emit(b); q += 1; continue }
        guard q + 1 < close else { return "an invalid escape in a string" }
        switch base[q + 1] {
        case UInt8(ascii: "\""): emit(0x22)
        case UInt8(ascii: "\\"): emit(0x5C)
        case UInt8(ascii: "/"): emit(0x2F)
        case UInt8(ascii: "b"): emit(0x08)
        case UInt8(ascii: "f"): emit(0x0C)
        case UInt8(ascii: "n"): emit(0x0A)
        case UInt8(ascii: "r"): emit(0x0D)
        case UInt8(ascii: "t"): emit(0x09)
        case UInt8(ascii: "u"):
            guard var scalar = hex4(q + 2) else { return "an invalid \\u escape" }
            q += 6
            if scalar >= 0xD800 && scalar < 0xDC00 {
                guard q + 1 < close, base[q] == UInt8(ascii: "\\"), base[q + 1] == UInt8(ascii: "u") else { return "an unpaired surrogate in a string" }
                guard let low = hex4(q + 2) else { return "an invalid \\u escape" }
                guard low >= 0xDC00 && low < 0xE000 else { return "an unpaired surrogate in a string" }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                q += 6
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                return "an unpaired surrogate in a string"
            }
            if scalar == 0 && !allowNUL { return "a NUL character in a string" }
            guard let u = Unicode.Scalar(scalar), let bytes = Unicode.UTF8.encode(u) else { return "an invalid \\u escape" }
            for byte in bytes { emit(byte) }
            continue
        default: return "an invalid escape in a string"
        }
        q += 2
    }
    return nil
}
