// The board pack around the month's page: what the printed page carries in its margins (company,
// month, page numbers, report date, costper's version, the inputs' hash), the paper it is laid out
// for, and the downloads (report.pdf, report.xlsx) the page and the index link. Values in, text out.
import CostperMoney
import CostperVocabulary
import CostperCore

/// What the month's publication holds beside the page, and what identifies its inputs.
package struct BoardPack: Sendable, Equatable, Codable {
    /// report.pdf is published with the month (headless Chromium is there and was not turned off).
    package var pdf: Bool
    /// report.xlsx is published with the month.
    package var xlsx: Bool
    /// SHA-256 of the manifest's inputs (`sha256  path` lines, as sha256sum prints them), in hex;
    /// empty when unknown.
    package var inputsDigest: String

    package init(pdf: Bool = false, xlsx: Bool = false, inputsDigest: String = "") {
        self.pdf = pdf; self.xlsx = xlsx; self.inputsDigest = inputsDigest
    }

    package static let pdfName = "report.pdf"
    package static let xlsxName = "report.xlsx"

    /// The file names published with the month, in the order the links show them.
    package var downloads: [String] { (pdf ? [BoardPack.pdfName] : []) + (xlsx ? [BoardPack.xlsxName] : []) }

    /// The inputs' hash as the printed footer shows it (12 hex digits, as a short git hash).
    package var shortDigest: String { String(inputsDigest.prefix(12)) }
}

package enum PrintLayout {
    /// What a download link says.
    static func label(_ name: String) -> String {
        switch name {
        case BoardPack.pdfName: return "PDF"
        case BoardPack.xlsxName: return "Excel workbook"
        default: return name
        }
    }

    /// The layout's values for the printed page and the downloads: `paper` (the CSS page size),
    /// `print_header` and `print_footer` (CSS strings for the page-margin boxes), `downloads`.
    static func context(_ r: MonthReport) -> [String: Any] {
        let a = r.accounts
        var footer = ["Prepared " + (r.prepared.map { String(Scalars.formatUTC($0.seconds).prefix(10)) } ?? "(no date)"),
                      "costper " + r.costperVersion]
        if !r.pack.shortDigest.isEmpty { footer.append("inputs " + r.pack.shortDigest) }
        return [
            "paper": a.config.paper.css,
            "print_header": cssString((a.config.signOff?.isDraft == true ? "DRAFT · " : "") + SafeText.truncated(a.config.company, limit: 80) + " · " + "AI support cost per resolved ticket, " + a.month.title),
            "is_draft": a.config.signOff?.isDraft == true,
            "print_footer": cssString(footer.joined(separator: " · ")),
            "has_downloads": !r.pack.downloads.isEmpty,
            "downloads": r.pack.downloads.map { ["href": $0, "label": label($0)] },
        ]
    }

    /// Text as a quoted CSS string that cannot end the string, the rule or the `<style>` element:
    /// every character but letters, digits, space and a few marks is written as a six-digit hex
    /// escape (CSS Syntax 3, 4.3.7); control and bidi characters are shown as `<U+…>` first.
    package static func cssString(_ s: String) -> String {
        var out = "\""
        let plain: Set<Unicode.Scalar> = [" ", ".", ",", "-", "_", "·", "(", ")", "+"]
        for ch in Scalars.visible(s).unicodeScalars {
            let v = ch.value
            let alnum = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
            if alnum || plain.contains(ch) {
                out.unicodeScalars.append(ch)
            } else {
                let hex = String(v, radix: 16)
                out += "\\" + String(repeating: "0", count: max(0, 6 - hex.count)) + hex + " "   // the space ends the escape (and is consumed)
            }
        }
        return out + "\""
    }

    /// The month's page as Chromium prints it: the stylesheet inlined (the print is made before the
    /// site's assets/ are replaced) and every link to a file beside the page made plain text, so
    /// the PDF holds no `file://` link to the folder it was printed in (and no path of this machine).
    /// Links to the web (`http:`, `https:`) and within the page (`#…`) stay.
    package static func printable(page: String, stylesheet: String) -> String {
        var html = page
        if let link = html.range(of: "<link rel=\"stylesheet\" href=\"../assets/style.css\">") {
            // `</style` cannot occur in the stylesheet text we wrote, but a replaced one is checked.
            let css = stylesheet.replacingOccurrences(of: "</", with: "<\\/")
            html.replaceSubrange(link, with: "<style>\n" + css + "</style>")
        }
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var rest = html[...]
        let open = "<a href=\""
        while let r = rest.range(of: open) {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { out += rest[r.lowerBound...]; rest = ""; break }
            let href = after[..<end]
            if href.hasPrefix("http://") || href.hasPrefix("https://") || href.hasPrefix("#") {
                out += rest[r.lowerBound...end]
            } else {
                out += "<a"
            }
            rest = after[after.index(after: end)...]
        }
        out += rest
        return out
    }
}
