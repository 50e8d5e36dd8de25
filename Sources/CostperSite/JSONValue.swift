// JSON written by costper (summary.json, manifest.json, --json): keys in a fixed order, money exact.
import CostperMoney
import CostperVocabulary
import CostperCore

/// A JSON value written with a stable key order and exact decimal numbers.
package indirect enum JSONValue: Equatable, Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number already formatted as decimal text ("0.523400", "12").
    case number(String)
    case bool(Bool)
    case null

    package static func == (a: JSONValue, b: JSONValue) -> Bool { a.text == b.text }

    /// Money exactly: every nano-dollar (`0.0095625` stays `0.0095625`), trailing zeros dropped.
    package static func money(_ m: Money) -> JSONValue { .number(trimmed(m.formatted(decimals: 9))) }
    package static func money(_ m: Money?) -> JSONValue { m.map { money($0) } ?? .null }
    /// A ratio or a per-unit amount to the nano (half to even beyond), trailing zeros dropped.
    package static func money(_ q: Quotient?) -> JSONValue { q.map { .number(trimmed($0.formatted(decimals: 9))) } ?? .null }
    package static func int<I: BinaryInteger>(_ n: I) -> JSONValue { .number(String(n)) }

    /// "8.000000" -> "8.0", "0.523400" -> "0.5234": same value, the way JSON tools print it.
    static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t += "0" }
        return t
    }

    package var text: String {
        var out = ""
        write(&out, indent: 0)
        return out
    }

    func write(_ out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch self {
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in pairs.enumerated() {
                out += pad + JSONValue.quote(k) + ": "
                v.write(&out, indent: indent + 1)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += close + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, v) in items.enumerated() {
                out += pad
                v.write(&out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += close + "]"
        case .string(let s): out += JSONValue.quote(s)
        case .number(let n): out += n
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"   // never "</script>" in a page that embeds it
            default:
                if JSONValue.escaped(ch.value) {
                    let hex = String(ch.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }

    /// Written as `\uXXXX` (the same scalar when read back, never a raw one in the file): C0 and C1
    /// controls and DEL, the line and paragraph separators, and every bidirectional mark, embedding,
    /// override and isolate (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069), so a tenant or
    /// prompt name cannot reorder what a reader of summary.json sees.
    static func escaped(_ v: UInt32) -> Bool {
        switch v {
        case 0..<0x20, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
