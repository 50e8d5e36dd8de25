// A small strict JSON reader for the nested exports (OTLP/JSON, LiteLLM, Langfuse, LiteLLM's price
// catalog). Numbers are kept as the text the file wrote, as JSONLinesReader keeps them: money and
// token counts are then read by Scalars.parseDecimal / parseCount, never through a Double.
// Accepts one document (pretty-printed or not), or a stream of documents (JSON Lines: one per line).
import CostperMoney
import CostperVocabulary


/// A JSON value; objects keep their members in file order and the line they start on.
package indirect enum ExportJSON: Sendable, Equatable {
    case object([JSONMember], line: Int)
    case array([ExportJSON], line: Int)
    case string(String)
    /// The number as written (`1.5e-07`, `"20"` is a string, `20` is a number).
    case number(String)
    case bool(Bool)
    case null

    /// A member of an object (the first one of that name).
    package subscript(key: String) -> ExportJSON? {
        guard case .object(let members, _) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    package var members: [JSONMember]? { if case .object(let m, _) = self { return m }; return nil }
    package var elements: [ExportJSON]? { if case .array(let a, _) = self { return a }; return nil }
    package var stringValue: String? { if case .string(let s) = self { return s }; return nil }

    /// A scalar as text: a string as is, a number as written, a boolean as true/false. Nil for
    /// null, objects and arrays.
    package var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .number(let t): return t
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// The line an object or array starts on (0 for scalars).
    package var line: Int {
        switch self {
        case .object(_, let l), .array(_, let l): return l
        default: return 0
        }
    }
}

package struct JSONMember: Sendable, Equatable {
    package var key: String
    package var value: ExportJSON
}

package struct JSONParseError: Error, Equatable, Sendable {
    package var line: Int
    package var reason: String
}

/// Parses JSON from bytes. `documents` reads every top-level value in turn (a JSON Lines file, or
/// one document), recovering from a bad line by going on at the next line.
package struct JSONParser {
    package let base: Bytes
    package let end: Int
    package var p = 0
    package var line = 1
    package static let maxDepth = 128

    /// Keeps the input's memory alive for as long as the parser reads it.
    package var owner: InputBuffer?

    /// A parser over an input's bytes.
    package init(_ input: InputBuffer) {
        self.init(input.bytes)
        owner = input
    }

    /// A parser over bytes the caller keeps alive while it reads.
    package init(_ bytes: Bytes) {
        base = bytes
        end = bytes.count
        if end >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { p = 3 }
    }

    /// Parses a whole text (tests, small strings); nil when it is not exactly one JSON value.
    package static func parse(_ text: String) -> ExportJSON? {
        Bytes.of(text) { bytes -> ExportJSON? in
            var parser = JSONParser(bytes)
            guard let v = try? parser.value(depth: 0) else { return nil }
            parser.skipSpace()
            return parser.p == parser.end ? v : nil
        }
    }

    /// Every top-level value, with the line it starts on; a value that cannot be read becomes an
    /// error for its line, and reading goes on at the next line.
    package mutating func documents() -> [Result<ExportJSON, JSONParseError>] {
        var out: [Result<ExportJSON, JSONParseError>] = []
        while true {
            skipSpace()
            guard p < end else { return out }
            let startLine = line
            do {
                let v = try value(depth: 0)
                out.append(.success(v))
            } catch let e as JSONParseError {
                out.append(.failure(JSONParseError(line: e.line, reason: e.reason)))
                resync()
            } catch {
                out.append(.failure(JSONParseError(line: startLine, reason: "is not JSON")))
                resync()
            }
        }
    }

    /// After a bad value: go on at the next line that starts a document (`{` or `[` in its
    /// first column), so one bad line of a JSON Lines file costs that line only.
    package mutating func resync() {
        while p < end {
            if base[p] == 0x0A {
                line += 1
                p += 1
                if p < end && (base[p] == UInt8(ascii: "{") || base[p] == UInt8(ascii: "[")) { return }
            } else {
                p += 1
            }
        }
    }

    /// The first top-level value only (format detection); nil when it cannot be read.
    package mutating func firstValue() -> ExportJSON? {
        skipSpace()
        return try? value(depth: 0)
    }

    /// The first element of a top-level array, or the first value (format detection).
    package mutating func firstRecord() -> ExportJSON? {
        skipSpace()
        guard p < end else { return nil }
        if base[p] == UInt8(ascii: "[") {
            p += 1
            skipSpace()
            return try? value(depth: 1)
        }
        return try? value(depth: 0)
    }

    package func fail(_ reason: String) -> JSONParseError { JSONParseError(line: line, reason: reason) }

    package mutating func skipSpace() {
        while p < end {
            let b = base[p]
            if b == 0x0A { line += 1; p += 1 } else if b == 0x20 || b == 0x09 || b == 0x0D { p += 1 } else { return }
        }
    }

    package mutating func value(depth: Int) throws(JSONParseError) -> ExportJSON {
        guard depth < JSONParser.maxDepth else { throw fail("nested more than \(JSONParser.maxDepth) levels") }
        skipSpace()
        guard p < end else { throw fail("the document ends where a value is expected") }
        let b = base[p]
        switch b {
        case UInt8(ascii: "{"):
            let startLine = line
            p += 1
            var members: [JSONMember] = []
            var keys: Set<String> = []   // past a few members; a scan below that
            skipSpace()
            if p < end && base[p] == UInt8(ascii: "}") { p += 1; return .object(members, line: startLine) }
            while true {
                skipSpace()
                guard p < end, base[p] == UInt8(ascii: "\"") else { throw fail("expected a key in quotes") }
                let key = try string()
                if members.count < 8 ? members.contains(where: { $0.key == key }) : !keys.insert(key).inserted {
                    throw fail("the key \"\(key)\" appears twice in one object")
                }
                if members.count == 7 { keys = Set(members.map(\.key) + [key]) }
                skipSpace()
                guard p < end, base[p] == UInt8(ascii: ":") else { throw fail("expected : after the key \"\(key)\"") }
                p += 1
                let v = try value(depth: depth + 1)
                members.append(JSONMember(key: key, value: v))
                skipSpace()
                guard p < end else { throw fail("an object is not closed") }
                if base[p] == UInt8(ascii: ",") { p += 1; continue }
                if base[p] == UInt8(ascii: "}") { p += 1; return .object(members, line: startLine) }
                throw fail("expected , or } after the value of \"\(key)\"")
            }
        case UInt8(ascii: "["):
            let startLine = line
            p += 1
            var items: [ExportJSON] = []
            skipSpace()
            if p < end && base[p] == UInt8(ascii: "]") { p += 1; return .array(items, line: startLine) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard p < end else { throw fail("a list is not closed") }
                if base[p] == UInt8(ascii: ",") { p += 1; continue }
                if base[p] == UInt8(ascii: "]") { p += 1; return .array(items, line: startLine) }
                throw fail("expected , or ] in a list")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null"); return .null
        default:
            return .number(try number())
        }
    }

    package mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard p + n <= end else { throw fail("invalid literal") }
        for i in 0..<n where base[p + i] != word.utf8Start[i] { throw fail("invalid literal") }
        p += n
    }

    /// A number per RFC 8259 (no leading zeros, no NaN/Infinity, no hex), returned as its text.
    package mutating func number() throws(JSONParseError) -> String {
        let start = p
        if p < end && base[p] == UInt8(ascii: "-") { p += 1 }
        guard p < end, Scalars.isDigit(base[p]) else { throw fail("not a JSON value") }
        if base[p] == UInt8(ascii: "0") { p += 1 } else { while p < end && Scalars.isDigit(base[p]) { p += 1 } }
        if p < end && base[p] == UInt8(ascii: ".") {
            p += 1
            guard p < end, Scalars.isDigit(base[p]) else { throw fail("malformed number") }
            while p < end && Scalars.isDigit(base[p]) { p += 1 }
        }
        if p < end && (base[p] == UInt8(ascii: "e") || base[p] == UInt8(ascii: "E")) {
            p += 1
            if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
            guard p < end, Scalars.isDigit(base[p]) else { throw fail("malformed number") }
            while p < end && Scalars.isDigit(base[p]) { p += 1 }
        }
        if p < end {
            let b = base[p]
            guard b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A else {
                throw fail("malformed number")
            }
        }
        return String(decoding: base.rebased(start..<p), as: UTF8.self)
    }

    /// A string at `p` (on its opening quote), escapes decoded; invalid UTF-8 is an error.
    package mutating func string() throws(JSONParseError) -> String {
        p += 1
        let start = p
        var escaped = false
        while p < end {
            let b = base[p]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { throw fail("a control character inside a string") }
            if b == UInt8(ascii: "\\") { escaped = true; p += 2; continue }
            p += 1
        }
        guard p < end else { throw fail("a string is not closed") }
        let close = p
        p += 1
        if !escaped {
            guard let s = base.rebased(start..<close).validUTF8 else {
                throw fail("a string is not valid UTF-8")
            }
            return s
        }
        var out: [UInt8] = []
        out.reserveCapacity(close - start)
        if let reason = decodeJSONEscapes(base, start, close, allowNUL: true, emit: { out.append($0) }) { throw fail(reason) }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
        return s
    }
}
