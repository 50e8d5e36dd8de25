// The page's sections: each `<h2>`/`<h3>` of the rendered Markdown opens a `<section>` with an id
// made from its title (the table of contents links to them), and the detail tables a board pack
// leaves out of print (every attribution but the tenants', the weeks, the long tail) get the class
// `detail`, which the print style hides; one print-only line says where they are. One pass over
// the bytes (a page of 300,000 tenants is over 100 MB).
import CostperMoney

package enum PageSections {
    /// The sections the printed pack leaves to the site, the workbook and the CSVs.
    package static let printDetail: Set<String> = ["by-segment", "by-service-type", "by-outcome", "by-model", "by-endpoint",
                                                   "by-prompt-version", "the-month-week-by-week", "cost-per-ticket-the-long-tail", "prompt-versions",
                                                   "the-bills-line-by-line", "published-ranges", "quality-by-prompt-version-and-tenant", "the-model-lever",
                                                   "rows-read-per-input-file"]

    /// `The cost iceberg` → `the-cost-iceberg`: lowercase ASCII letters and digits, other runs as one hyphen.
    package static func slug(_ title: String) -> String {
        var out: [UInt8] = [], dash = false
        for b in title.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): out.append(b); dash = false
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): out.append(b + 32); dash = false
            default: if !dash && !out.isEmpty { out.append(UInt8(ascii: "-")); dash = true }
            }
        }
        while out.last == UInt8(ascii: "-") { out.removeLast() }
        return out.isEmpty ? "section" : String(decoding: out, as: UTF8.self)
    }

    /// The title's text without its tags, entities as they are.
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = [], inTag = false
        for b in bytes {
            if b == UInt8(ascii: "<") { inTag = true } else if b == UInt8(ascii: ">") { inTag = false } else if !inTag { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `html` with its sections, and the level-2 headings (id, title as HTML) for the contents.
    /// `used` keeps ids unique across the pieces of one page.
    package static func wrap(_ html: String, used: inout Set<String>) -> (html: String, contents: [(id: String, title: String)]) {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 1024)
        var contents: [(id: String, title: String)] = []
        var open2 = false, open3 = false, noted = false
        var copied = 0, i = 0
        let n = bytes.count
        while i + 4 <= n {
            guard bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "h"),
                  bytes[i + 2] == UInt8(ascii: "2") || bytes[i + 2] == UInt8(ascii: "3"), bytes[i + 3] == UInt8(ascii: ">") else { i += 1; continue }
            let level = bytes[i + 2]
            let close: [UInt8] = Array("</h".utf8) + [level, UInt8(ascii: ">")]
            guard let end = Charts.find(close, in: bytes, from: i + 4) else { break }
            let inner = bytes[(i + 4)..<end]
            let title = text(inner)
            var id = slug(title), k = 2
            while used.contains(id) { id = slug(title) + "-\(k)"; k += 1 }
            used.insert(id)
            out += bytes[copied..<i]
            if open3 { out += Array("</section>\n".utf8); open3 = false }
            if level == UInt8(ascii: "2") {
                if open2 { out += Array("</section>\n".utf8) }
                open2 = true
                contents.append((id, String(decoding: inner, as: UTF8.self)))
                out += Array("<section id=\"\(id)\">\n".utf8)
            } else {
                open3 = true
                let detail = printDetail.contains(slug(title))
                if detail && !noted {
                    noted = true
                    out += Array("<p class=\"print-only\">Left out of print, on the site page, in report.xlsx and the CSVs: every breakdown but the tenants', the weeks, the long tail of ticket costs, the prompt versions, the bills line by line, the published ranges, the quality and model tables and the rows read per file.</p>\n".utf8)
                }
                out += Array("<section id=\"\(id)\"\(detail ? " class=\"detail\"" : "")>\n".utf8)
            }
            out += Array("<h".utf8) + [level] + Array(">".utf8)
            out += inner
            out += close
            copied = end + close.count
            i = copied
        }
        out += bytes[copied...]
        if open3 { out += Array("</section>\n".utf8) }
        if open2 { out += Array("</section>\n".utf8) }
        return (String(decoding: out, as: UTF8.self), contents)
    }

    /// The table of contents: a link to each level-2 section.
    package static func contents(_ list: [(id: String, title: String)]) -> String {
        guard list.count > 1 else { return "" }
        return "<nav class=\"toc\" aria-label=\"Contents\"><h2 class=\"toc-title\">Contents</h2><ol class=\"toc-list\">\n"
            + list.map { "<li><a href=\"#\($0.id)\">\($0.title)</a></li>\n" }.joined() + "</ol></nav>\n"
    }
}
