// CSV files for the board deck: RFC 4180, UTF-8 with a BOM (Excel), CRLF, a header row, money
// with six decimals, numbers never quoted, text formula-neutralized.
import CostperCore

public enum CSVCell: Equatable, Sendable {
    case text(String)
    /// A number written as is (already formatted: "0.523400", "1200").
    case number(String)
    case empty

    public static func money(_ m: Money) -> CSVCell { .number(m.formatted(decimals: 6)) }
    public static func money(_ q: Quotient?) -> CSVCell { q.map { .number($0.formatted(decimals: 6)) } ?? .empty }
    public static func int<I: BinaryInteger>(_ n: I) -> CSVCell { .number(String(n)) }
    public static func int<I: BinaryInteger>(_ n: I?) -> CSVCell { n.map { .number(String($0)) } ?? .empty }
    public static func ratio(_ q: Quotient?) -> CSVCell { q.map { .number($0.formatted(decimals: 6)) } ?? .empty }
}

public struct CSVDocument: Sendable {
    public var header: [String]
    public var rows: [[CSVCell]] = []

    public init(header: [String]) { self.header = header }

    public mutating func append(_ row: [CSVCell]) {
        precondition(row.count == header.count, "a CSV row has as many cells as the header")
        rows.append(row)
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        func cell(_ s: String) {
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
                out.append(0x22)
                for b in s.utf8 {
                    if b == 0x22 { out.append(0x22) }
                    out.append(b)
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: s.utf8)
            }
        }
        func line(_ cells: [String]) {
            for (i, c) in cells.enumerated() {
                if i > 0 { out.append(0x2C) }
                cell(c)
            }
            out.append(0x0D); out.append(0x0A)
        }
        line(header)
        for r in rows {
            line(r.map {
                switch $0 {
                case .text(let s): return SafeText.csvCellText(s)
                case .number(let s): return s
                case .empty: return ""
                }
            })
        }
        return out
    }
}

/// A JSON value written with a stable key order and exact decimal numbers.
public indirect enum JSONValue: Equatable, Sendable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number already formatted as decimal text ("0.523400", "12").
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.text == b.text }

    public static func money(_ m: Money) -> JSONValue { .number(trimmed(m.formatted(decimals: 6))) }
    public static func money(_ q: Quotient?) -> JSONValue { q.map { .number(trimmed($0.formatted(decimals: 6))) } ?? .null }
    public static func int<I: BinaryInteger>(_ n: I) -> JSONValue { .number(String(n)) }

    /// "8.000000" -> "8.0", "0.523400" -> "0.5234": same value, the way JSON tools print it.
    static func trimmed(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t += "0" }
        return t
    }

    public var text: String {
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
                if ch.value < 0x20 || ch.value == 0x2028 || ch.value == 0x2029 {
                    let hex = String(ch.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}
