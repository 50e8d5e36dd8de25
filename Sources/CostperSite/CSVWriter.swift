// CSV files for the board deck: RFC 4180, UTF-8 with a BOM (Excel), CRLF, a header row, money
// with six decimals, numbers never quoted, text formula-neutralized.
import CostperMoney
import CostperVocabulary
import CostperCore

package enum CSVCell: Equatable, Sendable, Codable {
    case text(String)
    /// A number written as is (already formatted: "0.523400", "1200"), and what it measures (the
    /// workbook's cell format; a CSV has none).
    case number(String, NumberKind = .plain)
    case empty

    /// What a number cell measures: report.xlsx formats it by this.
    package enum NumberKind: Sendable, Equatable, Codable {
        /// An amount of money in the report's currency.
        case money
        /// A share (0.25 is 25%).
        case share
        /// A whole count.
        case count
        /// Any other number (a ratio, tokens per request).
        case plain
    }

    package static func money(_ m: Money) -> CSVCell { money(m.dollars) }
    package static func money(_ q: Quotient?) -> CSVCell { q.map { .number($0.formatted(decimals: Show.csvDecimals(of: $0)), .money) } ?? .empty }
    package static func money(_ m: Money?) -> CSVCell { m.map { money($0) } ?? .empty }
    package static func int<I: BinaryInteger>(_ n: I) -> CSVCell { .number(String(n), .count) }
    package static func int<I: BinaryInteger>(_ n: I?) -> CSVCell { n.map { .number(String($0), .count) } ?? .empty }
    package static func ratio(_ q: Quotient?) -> CSVCell { q.map { .number($0.formatted(decimals: 6)) } ?? .empty }
    /// A share: written like a ratio, formatted as a percentage in the workbook.
    package static func share(_ q: Quotient?) -> CSVCell { q.map { .number($0.formatted(decimals: 6), .share) } ?? .empty }
}

package struct CSVDocument: Sendable, Codable {
    package var header: [String]
    package var rows: [[CSVCell]] = []

    package init(header: [String]) { self.header = header }

    package mutating func append(_ row: [CSVCell]) {
        precondition(row.count == header.count, "a CSV row has as many cells as the header")
        rows.append(row)
    }

    /// Amount columns name the report's currency: cost_usd becomes cost_eur in a month reported
    /// in EUR (the CSV files and the workbook's sheets alike).
    package static func header(_ header: [String], currency: String) -> [String] {
        guard currency != "USD" else { return header }
        let suffix = "_" + currency.lowercased()
        return header.map { $0.hasSuffix("_usd") ? String($0.dropLast(4)) + suffix : $0 }
    }

    package func bytes(in show: AmountFormat) -> [UInt8] {
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
        line(CSVDocument.header(header, currency: show.currency))
        for r in rows {
            line(r.map {
                switch $0 {
                case .text(let s): return SafeText.csvCellText(s)
                case .number(let s, _): return s
                case .empty: return ""
                }
            })
        }
        return out
    }
}
