// What data text may show, and the calendar: the parts of `Scalars` every stage uses (the page
// escapes data text with them, the readers check dates with them). The strict value readers
// extend it in CostperIngest.

package enum Scalars {
    /// Control characters (C0 but tab, line feed and carriage return; DEL; C1) and bidi controls
    /// (U+202A-U+202E, U+2066-U+2069): shown as `<U+001B>` wherever data text lands (the page,
    /// the CSVs, the terminal), never passed through to act on a terminal or reorder a line.
    package static func visibleEscape(_ ch: Unicode.Scalar) -> String? {
        let v = ch.value
        guard (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v)
              || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) else { return nil }
        let hex = String(v, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    /// `s` with every control and bidi control shown as `<U+…>` (see `visibleEscape`).
    package static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { visibleEscape($0) != nil }) else { return s }
        var out = ""
        for ch in s.unicodeScalars {
            if let e = visibleEscape(ch) { out += e } else { out.unicodeScalars.append(ch) }
        }
        return out
    }

    /// A value shown in a message: quoted, shortened to 60 characters, control characters escaped.
    package static func quoteForMessage(_ raw: String) -> String {
        var s = ""
        var n = 0
        for ch in raw.unicodeScalars {
            if n == 60 { s += "…"; break }
            switch ch {
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            case "\"": s += "\\\""
            default:
                // Control and invisible format characters (a BOM, zero-width spaces, bidi overrides) are shown by code.
                if ch.value < 0x20 || (0x7F...0x9F).contains(ch.value) || ch.properties.generalCategory == .format {
                    s += "\\u{\(String(ch.value, radix: 16))}"
                } else {
                    s.unicodeScalars.append(ch)
                }
            }
            n += 1
        }
        return "\"" + s + "\""
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    @inlinable package static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    package static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `2026-10-31 23:58 UTC`, from seconds since the epoch.
    package static func formatUTC(_ seconds: Int64) -> String {
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let rest = Int(seconds - Int64(days) * 86400)
        let (y, m, d) = civilFromDays(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d)) \(two(rest / 3600)):\(two(rest / 60 % 60)) UTC"
    }

    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

}
