// Making text from the inputs safe for each place it lands: Markdown, HTML, CSV, file names.
import CostperCore

public enum SafeText {
    /// Text from data as literal Markdown: characters that can open Markdown or HTML syntax are
    /// backslash-escaped (`\\ ` * _ [ ] < > | # ! ~ & @ { } :`), so are `.` after "www" (autolinks)
    /// and a list or heading marker at the start; line breaks become spaces, control characters are
    /// dropped, and anything longer than the input limit is cut with "…".
    public static func markdown(_ s: String, limit: Int = InputLimits.maxTextBytes) -> String {
        var out = ""
        var n = 0
        let always: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!", "~", "&", "@", "{", "}", ":"]
        var previous: [Unicode.Scalar] = []
        for ch in s.unicodeScalars {
            if n >= limit { out += "…"; break }
            n += 1
            switch ch.value {
            case 0x0A, 0x0D, 0x09: out += " "; previous.append(" "); continue
            case 0..<0x20, 0x7F: continue
            default: break
            }
            let atStart = previous.allSatisfy { $0 == " " || ($0.value >= 0x30 && $0.value <= 0x39) }
            let afterWWW = previous.count >= 3 && String(String.UnicodeScalarView(previous.suffix(3))).lowercased() == "www"
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
    public static func truncated(_ s: String, limit: Int = InputLimits.maxTextBytes) -> String {
        s.count <= limit ? s : String(s.prefix(limit)) + "…"
    }

    /// HTML text and attribute escaping.
    public static func html(_ s: String) -> String {
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
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A CSV text cell that a spreadsheet will never run as a formula (OWASP CSV injection): when
    /// its first character, or its first after leading whitespace (NBSP included), is `=`, `+`,
    /// `-`, `@`, tab, CR or LF, a `'` is put in front.
    public static func csvCellText(_ s: String) -> String {
        let dangerous: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\n"]
        for ch in s.unicodeScalars {
            if dangerous.contains(ch) { return "'" + s }
            if ch == " " || ch == "\u{00A0}" || ch == "\u{3000}" || ch == "\u{2007}" || ch == "\u{202F}" { continue }
            break
        }
        return s
    }
}
