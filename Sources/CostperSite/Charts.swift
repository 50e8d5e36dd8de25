// Inline SVG charts, drawn in Swift: no JavaScript, nothing fetched, legible in black and white
// (patterns and labels, not colour alone). Every chart has a <title> and a <desc>, and the report
// puts the same figures in a table beside it.
import CostperCore

/// How a bar is drawn: solid (the visible bill, your figure), hatched (below the waterline, a
/// comparable), or an outline.
public enum BarStyle: Sendable {
    case solid, hatched, outline
}

public struct ChartBar: Sendable, Equatable {
    public var label: String
    public var value: Quotient
    public var valueLabel: String
    /// "solid", "hatched" (hidden cost, comparables) or "outline".
    public var style: BarStyle
    public init(label: String, value: Quotient, valueLabel: String, style: BarStyle = .solid) {
        self.label = label; self.value = value; self.valueLabel = valueLabel; self.style = style
    }
}

extension Quotient {
    /// A pixel position's floating-point value: charts only, never money arithmetic (which stays
    /// exact in CostperCore).
    var approximate: Double { Double(numerator) / Double(denominator) }
}

public enum Charts {
    /// Fixed-point text of a coordinate (one decimal), the same on every machine.
    static func n(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return sign + String(a / 10) + (a % 10 == 0 ? "" : "." + String(a % 10))
    }

    /// The hatch pattern of one chart (ids are unique per page: one pattern per chart).
    static func defs(_ id: String) -> String {
        "<defs><pattern id=\"\(id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#1a1a1a\" stroke-width=\"2.2\"/></pattern></defs>"
    }

    static func fill(_ style: BarStyle, _ id: String) -> String {
        switch style {
        case .hatched: return "fill=\"url(#\(id)-hatch)\" stroke=\"#1a1a1a\" stroke-width=\"1\""
        case .outline: return "fill=\"#ffffff\" stroke=\"#1a1a1a\" stroke-width=\"1.5\""
        case .solid: return "fill=\"#3a3a3a\""
        }
    }

    /// A horizontal bar chart. `marker` draws a labelled vertical line (e.g. the 2x threshold);
    /// `divider` draws a dashed line after that many bars (the waterline of the iceberg).
    public static func horizontalBars(id: String, title: String, description: String, bars: [ChartBar],
                                      marker: (value: Quotient, label: String)? = nil, divider: (after: Int, label: String)? = nil) -> String {
        let labelWidth = 210.0, barArea = 360.0, valueWidth = 110.0, rowHeight = 26.0, top = 12.0
        let width = labelWidth + barArea + valueWidth
        let height = top + Double(bars.count) * rowHeight + (marker != nil ? 24 : 8)
        var maxValue = bars.map { $0.value.approximate }.max() ?? 0
        if let m = marker { maxValue = max(maxValue, m.value.approximate) }
        if maxValue <= 0 { maxValue = 1 }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">"
        s += "<title id=\"\(id)-title\">\(SafeText.html(title))</title><desc id=\"\(id)-desc\">\(SafeText.html(description))</desc>"
        s += defs(id)
        for (i, b) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            let w = max(0, b.value.approximate / maxValue * (barArea - 10))
            s += "<text x=\"\(n(labelWidth - 8))\" y=\"\(n(y + 16))\" text-anchor=\"end\" fill=\"#1a1a1a\">\(SafeText.html(truncate(b.label, 32)))</text>"
            s += "<rect x=\"\(n(labelWidth))\" y=\"\(n(y + 4))\" width=\"\(n(w))\" height=\"\(n(rowHeight - 8))\" \(fill(b.style, id))/>"
            s += "<text x=\"\(n(labelWidth + w + 6))\" y=\"\(n(y + 16))\" fill=\"#1a1a1a\">\(SafeText.html(b.valueLabel))</text>"
            if let d = divider, d.after == i + 1, i + 1 < bars.count {
                let ly = y + rowHeight
                s += "<line x1=\"0\" y1=\"\(n(ly))\" x2=\"\(n(width))\" y2=\"\(n(ly))\" stroke=\"#1a1a1a\" stroke-dasharray=\"6 4\" stroke-width=\"1\"/>"
                s += "<text x=\"\(n(width - 4))\" y=\"\(n(ly - 3))\" text-anchor=\"end\" font-size=\"10\" fill=\"#555555\">\(SafeText.html(d.label))</text>"
            }
        }
        if let m = marker {
            let x = labelWidth + m.value.approximate / maxValue * (barArea - 10)
            let bottom = top + Double(bars.count) * rowHeight
            s += "<line x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\" stroke=\"#1a1a1a\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>"
            // Keep the label inside the chart: centred under the line when it fits, else ending at it.
            let half = Double(m.label.count) * 3.0
            let (anchor, tx) = x + half > width - 4 ? ("end", min(x, width - 4)) : x - half < 4 ? ("start", max(x, 4)) : ("middle", x)
            s += "<text x=\"\(n(tx))\" y=\"\(n(bottom + 16))\" text-anchor=\"\(anchor)\" font-size=\"11\" fill=\"#1a1a1a\">\(SafeText.html(m.label))</text>"
        }
        return s + "</svg>"
    }

    /// A column chart over time (the site index's trend), oldest on the left.
    public static func trend(id: String, title: String, description: String, points: [(label: String, value: Quotient?, valueLabel: String)]) -> String {
        let left = 20.0, bottomAxis = 40.0, plotHeight = 170.0, column = 64.0, top = 22.0
        let width = left * 2 + Double(max(points.count, 1)) * column
        let height = top + plotHeight + bottomAxis
        let maxValue = max(points.compactMap { $0.value?.approximate }.max() ?? 1, 0.000001)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">"
        s += "<title id=\"\(id)-title\">\(SafeText.html(title))</title><desc id=\"\(id)-desc\">\(SafeText.html(description))</desc>"
        let base = top + plotHeight
        s += "<line x1=\"\(n(left))\" y1=\"\(n(base))\" x2=\"\(n(width - left))\" y2=\"\(n(base))\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>"
        for (i, p) in points.enumerated() {
            let x = left + Double(i) * column + 10
            if let v = p.value {
                let h = v.approximate / maxValue * (plotHeight - 10)
                s += "<rect x=\"\(n(x))\" y=\"\(n(base - h))\" width=\"\(n(column - 20))\" height=\"\(n(h))\" fill=\"#3a3a3a\"/>"
                s += "<text x=\"\(n(x + (column - 20) / 2))\" y=\"\(n(base - h - 5))\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(SafeText.html(p.valueLabel))</text>"
            }
            s += "<text x=\"\(n(x + (column - 20) / 2))\" y=\"\(n(base + 16))\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(SafeText.html(p.label))</text>"
        }
        return s + "</svg>"
    }

    static func truncate(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    /// Turns a paragraph `Table: caption` written just before a table in the report's Markdown
    /// into that table's `<caption>` (GFM has no table captions). Text from data cannot produce
    /// such a paragraph: it only reaches the report inside table cells and list items.
    public static func captions(_ html: String) -> String {
        var out = ""
        var rest = Substring(html)
        let open = "<p>Table: ", close = "</p>\n<table>\n"
        while let r = rest.range(of: open) {
            guard let c = rest.range(of: close, range: r.upperBound..<rest.endIndex),
                  !rest[r.upperBound..<c.lowerBound].contains("<") else {
                out += rest[..<r.upperBound]
                rest = rest[r.upperBound...]
                continue
            }
            out += rest[..<r.lowerBound]
            out += "<table>\n<caption>" + rest[r.upperBound..<c.lowerBound] + "</caption>\n"
            rest = rest[c.upperBound...]
        }
        return out + rest
    }

    /// Replaces each paragraph that holds only a chart image (`![alt](chart-NAME.svg)` in the
    /// Markdown) with a figure holding the inline SVG. Data text cannot produce such a paragraph:
    /// its `!` and `[` are escaped.
    public static func inline(_ html: String, charts: [String: String]) -> String {
        var out = html
        for name in charts.keys.sorted() {
            let pattern = "<p><img src=\"\(name)\" alt=\""
            while let r = out.range(of: pattern) {
                guard let close = out.range(of: "\" /></p>", range: r.upperBound..<out.endIndex) else { break }
                let alt = String(out[r.upperBound..<close.lowerBound])
                out.replaceSubrange(r.lowerBound..<close.upperBound, with: "<figure class=\"chart\">\(charts[name]!)<figcaption>\(alt)</figcaption></figure>")
            }
        }
        return out
    }
}
