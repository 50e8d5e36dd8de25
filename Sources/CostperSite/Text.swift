// Making text from the inputs safe for each place it lands: Markdown, HTML, CSV, file names.
import CostperMoney
import CostperVocabulary
import CostperCore

package enum SafeText {
    /// Text from data as literal Markdown: characters that can open Markdown or HTML syntax are
    /// backslash-escaped (`\\ ` * _ [ ] < > | # ! ~ & @ { } :`), so are `.` after "www" (autolinks)
    /// and a list or heading marker at the start; line breaks become spaces, control characters are
    /// dropped, and anything longer than the input limit is cut with "…".
    package static func markdown(_ s: String, limit: Int = InputLimits.maxTextBytes) -> String {
        var out = ""
        var n = 0
        let always: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!", "~", "&", "@", "{", "}", ":"]
        var previous: [Unicode.Scalar] = []
        for ch in s.unicodeScalars {
            if n >= limit { out += "…"; break }
            n += 1
            switch ch.value {
            case 0x0A, 0x0D, 0x09: out += " "; previous.append(" "); continue
            default: break
            }
            if let e = Scalars.visibleEscape(ch) {   // `<U+001B>`, its brackets escaped
                out += "\\<" + e.dropFirst().dropLast() + "\\>"
                previous.append("U")
                continue
            }
            let atStart = previous.allSatisfy { $0 == " " || ($0.value >= 0x30 && $0.value <= 0x39) }
            let afterWWW = previous.count >= 3 && String(String.UnicodeScalarView(previous.suffix(3))).lowercased() == "www"
            // cmark-gfm's autolink extension finds e-mail addresses (and mailto:/xmpp: links) in
            // text after escapes are resolved, so `\@` alone still became a link: an invisible
            // WORD JOINER before the @ leaves it no local part to match.
            if ch == "@" { out += "\u{2060}" }
            if always.contains(ch) || (ch == "." && (afterWWW || (atStart && !previous.isEmpty)))
                || (atStart && (ch == "-" || ch == "+" || ch == "=" || (ch == ")" && !previous.isEmpty))) {
                out += "\\"
            }
            out.unicodeScalars.append(ch)
            previous.append(ch)
        }
        return out
    }

    /// At most `limit` characters, cut with "…".
    package static func truncated(_ s: String, limit: Int = InputLimits.maxTextBytes) -> String {
        s.count <= limit ? s : String(s.prefix(limit)) + "…"
    }

    /// HTML text and attribute escaping.
    package static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if let e = Scalars.visibleEscape(ch) {
                    if ch.value == 0x0D { continue }
                    out += "&lt;" + e.dropFirst().dropLast() + "&gt;"
                    continue
                }
                if ch == "\r" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A CSV text cell that a spreadsheet will never run as a formula (OWASP CSV injection): when
    /// its first character, or its first after leading whitespace (NBSP included), is `=`, `+`,
    /// `-`, `@`, tab, CR or LF, a `'` is put in front.
    /// Whitespace and invisible characters included: U+2000-U+200A, U+205F, U+3000, zero-width
    /// space, BOM, VT, FF; and the full-width ＝ ＋ － ＠ that spreadsheets also read as formulas.
    /// Control and bidi characters are shown as `<U+…>` first.
    package static func csvCellText(_ s: String) -> String {
        let s = Scalars.visible(s)
        let dangerous: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]
        for ch in s.unicodeScalars {
            if dangerous.contains(ch) { return "'" + s }
            switch ch.value {
            case 0x20, 0x0B, 0x0C, 0xA0, 0x2000...0x200B, 0x202F, 0x205F, 0x3000, 0xFEFF: continue
            default: break
            }
            break
        }
        return s
    }
}

/// Words the site's pages and files share.
package enum SiteText {
    /// What stands where a figure was not measured (human review from a help-desk export without
    /// its review minutes): never $0, never an empty cell.
    package static let notMeasured = "not measured"
}
