// Inline SVG charts, drawn in Swift: no JavaScript, nothing fetched, legible in black and white
// (patterns and labels, not colour alone). Every chart has a <title> and a <desc>, and the report
// puts the same figures in a table beside it.
import CostperMoney
import CostperVocabulary
import CostperCore

/// How a bar is drawn: solid (the visible bill, your figure), hatched (below the waterline, a
/// comparable), or an outline.
package enum BarStyle: Sendable, Codable {
    case solid, hatched, outline
}

package struct ChartBar: Sendable, Equatable, Codable {
    package var label: String
    package var value: Quotient
    package var valueLabel: String
    /// "solid", "hatched" (hidden cost, comparables) or "outline".
    package var style: BarStyle
    /// A second, muted line under the label (a comparable's publisher and tier); empty for none.
    package var note: String
    package init(label: String, value: Quotient, valueLabel: String, style: BarStyle = .solid, note: String = "") {
        self.label = label; self.value = value; self.valueLabel = valueLabel; self.style = style; self.note = note
    }
}

/// One entry of a chart's legend: what a bar style or a line means in that chart.
package struct LegendItem: Sendable, Equatable {
    package enum Key: Sendable, Equatable { case bar(BarStyle), dotted, line }
    package var key: Key
    package var text: String
    package init(_ key: Key, _ text: String) { self.key = key; self.text = text }
}

/// A group of consecutive bars under a heading (the iceberg's AI layer and human handling).
package struct ChartGroup: Sendable, Equatable {
    /// The index of the group's first bar.
    package var first: Int
    package var label: String
    package init(first: Int, label: String) { self.first = first; self.label = label }
}

/// One row of the tornado chart: an assumption and the figure at its low and high value (nil:
/// the assumption does not move the figure, which stays at its base).
package struct TornadoRow: Sendable, Equatable {
    package var label: String
    package var low: Quotient?
    package var high: Quotient?
    package var valueLabel: String
    package init(label: String, low: Quotient?, high: Quotient?, valueLabel: String) {
        self.label = label; self.low = low; self.high = high; self.valueLabel = valueLabel
    }
}

extension Quotient {
    /// A pixel position's floating-point value: charts only, never money arithmetic (which stays
    /// exact in CostperCore).
    var approximate: Double { Double(numerator) / Double(denominator) }
}

package enum Charts {
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

    /// Every chart is drawn in a viewBox this wide, its text at `fontSize` px (user units) or more.
    /// On screen the chart takes the column's full width (style.css `figure.chart svg { width: 100% }`);
    /// on a narrow screen it keeps at least `screenMinWidth` px and scrolls in its own box, so its
    /// text never shows below 12 × 590 ÷ 640 ≈ 11 px. In print (report.pdf) every chart is
    /// `printWidthCM` wide, within the column of A4 (210 − 2 × 10 mm margins = 190 mm) and of
    /// Letter (195.9 mm): 16 cm = 16 ÷ 2.54 × 96 = 604.7 CSS px for 640 user units, a scale of
    /// 0.945, so 12 px text prints at 11.34 CSS px = 11.34 × 72 ÷ 96 = 8.5 pt (8 pt = 10.67 CSS px
    /// needs text of 11.3 user units or more). ChartTests checks the arithmetic on the charts and
    /// on style.css, and the printed size in report.pdf.
    package static let width = 640.0
    package static let fontSize = 12
    package static let printWidthCM = 16.0
    package static let screenMinWidth = 590.0

    /// A text's width in user units, estimated (Helvetica at 12 px: about 6.7 px a character,
    /// digits and capitals included), for laying out columns; deterministic.
    static func textWidth(_ s: String) -> Double { Double(s.count) * 6.7 }

    /// The legend: a swatch (or a line) and its meaning, laid out left to right and wrapped at
    /// the chart's width; returns the SVG and the height it takes.
    static func legend(_ items: [LegendItem], id: String, y: Double) -> (svg: String, height: Double) {
        guard !items.isEmpty else { return ("", 0) }
        var s = "<g class=\"legend\">", x = 2.0, row = 0.0
        for item in items {
            let w = 22 + textWidth(item.text) + 16
            if x > 2 && x + w > width { x = 2; row += 18 }
            let top = y + row
            switch item.key {
            case .bar(let style): s += "<rect x=\"\(n(x))\" y=\"\(n(top + 2))\" width=\"16\" height=\"11\" \(fill(style, id))/>"
            case .dotted: s += "<line x1=\"\(n(x + 8))\" y1=\"\(n(top))\" x2=\"\(n(x + 8))\" y2=\"\(n(top + 15))\" stroke=\"#1a1a1a\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>"
            case .line: s += "<line x1=\"\(n(x + 8))\" y1=\"\(n(top))\" x2=\"\(n(x + 8))\" y2=\"\(n(top + 15))\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>"
            }
            s += text(x + 22, top + 12, item.text)
            x += w
        }
        return (s + "</g>", row + 20)
    }

    static func open(_ id: String, title: String, description: String, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"\(fontSize)\">"
            + "<title id=\"\(id)-title\">\(SafeText.html(title))</title><desc id=\"\(id)-desc\">\(SafeText.html(description))</desc>"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", bold: Bool = false, muted: Bool = false) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\"\(anchor == "start" ? "" : " text-anchor=\"\(anchor)\"")\(bold ? " font-weight=\"bold\"" : "") fill=\"\(muted ? "#555555" : "#1a1a1a")\">\(SafeText.html(s))</text>"
    }

    /// Axis ticks over [lo, hi] (dollars): about four round steps (1, 2 or 5 times a power of ten),
    /// as exact values with their labels.
    static func ticks(_ lo: Double, _ hi: Double, show: AmountFormat) -> [(value: Double, label: String)] {
        let span = max(hi - lo, 1e-9)
        var exp = -6
        var mantissa = 1
        search: for e in -6...12 {
            for m in [1, 2, 5] {
                let step = Double(m) * pow10(e)
                if span / step <= 4 { exp = e; mantissa = m; break search }
            }
        }
        let step = Double(mantissa) * pow10(exp)
        let first = Int((lo / step).rounded(.up)), last = Int((hi / step).rounded(.down))
        guard first <= last else { return [] }
        let decimals = exp >= 0 ? 0 : exp >= -2 ? 2 : 4
        return (first...last).map { i in
            let q = exp >= 0 ? Quotient(numerator: Int128(i * mantissa) * Int128(pow10(exp)), denominator: 1)
                : Quotient(numerator: Int128(i * mantissa), denominator: Int128(pow10(-exp)))
            return (Double(i) * step, show.amount(q, decimals: decimals))
        }
    }

    static func pow10(_ e: Int) -> Double {
        var p = 1.0
        for _ in 0..<abs(e) { p *= 10 }
        return e < 0 ? 1 / p : p
    }

    /// A horizontal axis over [lo, hi] mapped to [x0, x1] at `y`, with ticks, their dollar labels and
    /// the unit (right of the axis when it fits there, else below it); returns the SVG and the
    /// height it takes below `y`.
    static func axis(y: Double, x0: Double, x1: Double, lo: Double, hi: Double, unit: String, show: AmountFormat) -> (svg: String, height: Double) {
        var s = "<line x1=\"\(n(x0))\" y1=\"\(n(y))\" x2=\"\(n(x1))\" y2=\"\(n(y))\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>"
        for t in ticks(lo, hi, show: show) {
            let x = x0 + (t.value - lo) / max(hi - lo, 1e-12) * (x1 - x0)
            s += "<line x1=\"\(n(x))\" y1=\"\(n(y))\" x2=\"\(n(x))\" y2=\"\(n(y + 4))\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>"
            s += text(x, y + 17, t.label, anchor: x < x0 + 12 ? "start" : x > x1 - 12 ? "end" : "middle")
        }
        if x1 + 10 + textWidth(unit) <= width { return (s + text(x1 + 10, y + 17, unit, muted: true), 22) }
        return (s + text(x1, y + 33, unit, anchor: "end", muted: true), 38)
    }

    /// A horizontal bar chart: each row's label on the left (and its note, muted, below it), its
    /// bar in the middle and its value on the right; an axis in dollars below the bars and the
    /// legend below that. `marker` draws a labelled vertical line (the 2x threshold, the month);
    /// `divider` draws a dashed line after that many bars (the iceberg's waterline); `groups` put
    /// a heading before the first bar of each group.
    package static func horizontalBars(id: String, title: String, description: String, bars: [ChartBar],
                                      marker: (value: Quotient, label: String)? = nil, divider: (after: Int, label: String)? = nil,
                                      groups: [ChartGroup] = [], legend items: [LegendItem] = [], show: AmountFormat) -> String {
        let labelWidth = 236.0, top = 4.0, left = 2.0
        let valueWidth = min(200, max(60, bars.map { textWidth($0.valueLabel) }.max() ?? 60))
        let x0 = left + labelWidth + 6, x1 = width - 2 - valueWidth - 12
        let labelChars = Int(labelWidth / 6.7)
        var maxValue = bars.map { $0.value.approximate }.max() ?? 0
        if let m = marker { maxValue = max(maxValue, m.value.approximate) }
        if maxValue <= 0 { maxValue = 1 }
        // The axis ends on the first round tick above the largest value.
        let hi = ticks(0, maxValue * 1.5, show: show).first { $0.value > maxValue * 1.0001 }?.value ?? maxValue
        func x(_ v: Double) -> Double { x0 + v / hi * (x1 - x0) }
        var body = ""
        var y = top
        for (i, b) in bars.enumerated() {
            if let g = groups.first(where: { $0.first == i }) {
                if i > 0 { body += "<line x1=\"0\" y1=\"\(n(y + 3))\" x2=\"\(n(width))\" y2=\"\(n(y + 3))\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>"; y += 6 }
                body += text(left, y + 14, truncate(g.label, Int(width / 6.7)), bold: true)
                y += 20
            }
            body += text(left, y + 14, truncate(b.label, labelChars))
            body += text(width - 2, y + 14, b.valueLabel, anchor: "end")
            body += "<rect x=\"\(n(x0))\" y=\"\(n(y + 4))\" width=\"\(n(max(0, x(b.value.approximate) - x0)))\" height=\"12\" \(fill(b.style, id))/>"
            if !b.note.isEmpty {
                body += text(left, y + 29, truncate(b.note, labelChars + 20), muted: true)
                y += 15
            }
            y += 20
            if let d = divider, d.after == i + 1, i + 1 < bars.count {
                body += "<line x1=\"\(n(x0))\" y1=\"\(n(y + 1))\" x2=\"\(n(width))\" y2=\"\(n(y + 1))\" stroke=\"#1a1a1a\" stroke-dasharray=\"6 4\" stroke-width=\"1\"/>"
                body += text(width - 2, y + 14, d.label, anchor: "end", muted: true)
                y += 18
            }
        }
        let plotBottom = y
        if let m = marker {
            let mx = x(m.value.approximate)
            body += "<line x1=\"\(n(mx))\" y1=\"\(n(top))\" x2=\"\(n(mx))\" y2=\"\(n(plotBottom))\" stroke=\"#1a1a1a\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>"
        }
        let ax = axis(y: plotBottom + 2, x0: x0, x1: x1, lo: 0, hi: hi, unit: "USD", show: show)
        body += ax.svg
        var all = items
        if let m = marker { all.append(LegendItem(.dotted, m.label)) }
        let l = legend(all, id: id, y: plotBottom + 6 + ax.height)
        var s = open(id, title: title, description: description, height: plotBottom + 6 + ax.height + l.height)
        s += defs(id) + body + l.svg
        return s + "</svg>"
    }

    /// The site index's trend: a line with points, oldest on the left, on a y-axis that shows the
    /// real spread of the months (said when it does not start at zero).
    package static func trend(id: String, title: String, description: String, points: [(label: String, value: Quotient?, valueLabel: String)], show: AmountFormat) -> String {
        let left = 54.0, right = width - 14, top = 30.0, plotHeight = 150.0
        let height = top + plotHeight + 44
        let values = points.compactMap { $0.value?.approximate }
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        let pad = hi > lo ? (hi - lo) * 0.15 : max(abs(hi) * 0.05, 0.01)
        lo = max(0, lo - pad); hi += pad
        // The axis starts on a tick at or below the lowest month, so the label names its real start.
        let rough = ticks(lo, hi, show: show)
        if rough.count >= 2, rough[0].value > lo { lo = max(0, rough[0].value - (rough[1].value - rough[0].value)) }
        let yTicks = ticks(lo - 1e-9, hi, show: show)
        if let f = yTicks.first, abs(f.value - lo) < 1e-6 { lo = f.value }
        func y(_ v: Double) -> Double { top + plotHeight - (v - lo) / max(hi - lo, 1e-12) * plotHeight }
        let step = points.count > 1 ? (right - left) / Double(points.count - 1) : 0
        func x(_ i: Int) -> Double { points.count > 1 ? left + Double(i) * step : (left + right) / 2 }
        var s = open(id, title: title, description: description, height: height)
        s += text(2, 14, lo > 0 ? "USD per resolved ticket; the axis starts at " + (yTicks.first?.label ?? "") + ", not at zero" : "USD per resolved ticket", muted: true)
        s += "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(top + plotHeight))\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>"
        s += "<line x1=\"\(n(left))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(right))\" y2=\"\(n(top + plotHeight))\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>"
        for t in yTicks {
            s += "<line x1=\"\(n(left - 4))\" y1=\"\(n(y(t.value)))\" x2=\"\(n(right))\" y2=\"\(n(y(t.value)))\" stroke=\"#c8c8c8\" stroke-width=\"1\"/>"
            s += text(left - 6, y(t.value) + 4, t.label, anchor: "end")
        }
        // The line, broken where a month has no figure.
        var path = "", pen = false
        for (i, p) in points.enumerated() {
            guard let v = p.value else { pen = false; continue }
            path += (pen ? " L" : (path.isEmpty ? "M" : " M")) + n(x(i)) + " " + n(y(v.approximate))
            pen = true
        }
        if !path.isEmpty { s += "<path d=\"\(path)\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>" }
        let labelEvery = max(1, Int((56 / max(step, 1)).rounded(.up)))
        for (i, p) in points.enumerated() {
            if let v = p.value {
                s += "<circle cx=\"\(n(x(i)))\" cy=\"\(n(y(v.approximate)))\" r=\"4\" fill=\"#1a1a1a\"/>"
                if points.count <= 5 || i == points.count - 1 || i == 0 {
                    s += text(x(i), y(v.approximate) - 9, p.valueLabel, anchor: points.count > 1 && i == points.count - 1 ? "end" : points.count > 1 && i == 0 ? "start" : "middle", bold: true)
                }
            }
            if (points.count - 1 - i) % labelEvery == 0 {
                s += text(x(i), top + plotHeight + 18, p.label, anchor: points.count > 1 && i == points.count - 1 ? "end" : points.count > 1 && i == 0 ? "start" : "middle")
            }
        }
        s += text(right, top + plotHeight + 36, "month", anchor: "end", muted: true)
        return s + "</svg>"
    }

    /// The variance bridge as a waterfall: the earlier month's cost per resolved ticket, each step
    /// floating from the level before it (hatched up, outlined down), this month's; an axis in
    /// dollars that spans the levels (said when it does not start at zero) and the legend. Labels
    /// on the left, bars in the middle, amounts on the right. Amounts in units of 10^-decimals, as
    /// the table prints them.
    package static func waterfall(id: String, title: String, month: String, description: String, start: (String, Int128), steps: [(String, Int128)],
                                 end: (String, Int128), decimals: Int, show: AmountFormat) -> String {
        let unit = Double(Fixed.pow10(decimals))
        let rowHeight = 20.0, top = 4.0, left = 2.0, x0 = 200.0, right = width - 2 - 90
        var levels = [Double(start.1) / unit]
        var level = start.1
        for st in steps { level += st.1; levels.append(Double(level) / unit) }
        levels.append(Double(end.1) / unit)
        var lo = levels.min()!, hi = levels.max()!
        let pad = hi > lo ? (hi - lo) * 0.25 : max(abs(hi) * 0.02, 0.01)
        lo = max(0, lo - pad); hi += pad
        if let f = ticks(lo, hi, show: show).first, f.value < lo { lo = f.value }
        func x(_ v: Double) -> Double { x0 + (v - lo) / max(hi - lo, 1e-12) * (right - x0) }
        let rows = 2 + steps.count
        let plotBottom = top + Double(rows) * rowHeight
        func money(_ u: Int128) -> String { show.amount(Quotient(numerator: u, denominator: Fixed.pow10(decimals)), decimals: decimals) }
        func signed(_ u: Int128) -> String { (u < 0 ? "−" : u > 0 ? "+" : "") + money(u < 0 ? -u : u) }
        var body = ""
        var y = top
        var before = start.1
        body += text(left, y + 14, truncate(start.0, 28)); body += text(width - 2, y + 14, money(start.1), anchor: "end", bold: true)
        body += "<rect x=\"\(n(x0))\" y=\"\(n(y + 4))\" width=\"\(n(max(0, x(Double(start.1) / unit) - x0)))\" height=\"12\" fill=\"#3a3a3a\"/>"
        y += rowHeight
        for st in steps {
            let after = before + st.1
            let a = x(Double(min(before, after)) / unit), b = x(Double(max(before, after)) / unit)
            body += text(left, y + 14, truncate(st.0, 28)); body += text(width - 2, y + 14, signed(st.1), anchor: "end")
            body += "<rect x=\"\(n(a))\" y=\"\(n(y + 4))\" width=\"\(n(max(b - a, 1)))\" height=\"12\" \(fill(st.1 >= 0 ? .hatched : .outline, id))/>"
            before = after
            y += rowHeight
        }
        body += text(left, y + 14, truncate(end.0, 28)); body += text(width - 2, y + 14, money(end.1), anchor: "end", bold: true)
        body += "<rect x=\"\(n(x0))\" y=\"\(n(y + 4))\" width=\"\(n(max(0, x(Double(end.1) / unit) - x0)))\" height=\"12\" fill=\"#3a3a3a\"/>"
        let ax = axis(y: plotBottom + 2, x0: x0, x1: right, lo: lo, hi: hi, unit: lo > 0 ? "USD per resolved ticket; the axis does not start at zero" : "USD per resolved ticket", show: show)
        body += ax.svg
        let l = legend([LegendItem(.bar(.solid), "cost per resolved ticket, each month"), LegendItem(.bar(.hatched), "a step that raised it"),
                        LegendItem(.bar(.outline), "a step that lowered it")], id: id, y: plotBottom + 6 + ax.height)
        var s = open(id, title: title + ", " + month, description: description, height: plotBottom + 6 + ax.height + l.height)
        s += defs(id) + body + l.svg
        return s + "</svg>"
    }

    /// The tornado: one row per assumption, in the order given (largest swing first), a bar from
    /// the figure at the assumption's low value to the figure at its high value around the base
    /// line (outlined on the side of the low value, solid on the side of the high value); its
    /// values on the right; an axis in dollars (said when it does not start at zero) and the legend.
    package static func tornado(id: String, title: String, description: String, rows: [TornadoRow], base: Quotient, baseLabel: String, unit: String, show: AmountFormat) -> String {
        let top = 4.0, left = 2.0, labelWidth = 236.0
        // A row the assumption does not move has no bar: its label ("not moved: …") goes beside the
        // base line, so the values column is as wide as the moving rows' values.
        func moves(_ r: TornadoRow) -> Bool { r.low.map { $0 != base } ?? false || r.high.map { $0 != base } ?? false }
        let valueWidth = min(200, max(60, rows.filter(moves).map { textWidth($0.valueLabel) }.max() ?? 60))
        let x0 = left + labelWidth + 6, x1 = width - 2 - valueWidth - 12
        let b = base.approximate
        let values = [b] + rows.flatMap { [$0.low?.approximate, $0.high?.approximate].compactMap { $0 } }
        var lo = values.min()!, hi = values.max()!
        let pad = hi > lo ? (hi - lo) * 0.1 : max(abs(hi) * 0.05, 0.01)
        lo = lo - pad; hi += pad
        let floor = values.min()! >= 0 ? 0.0 : -Double.infinity
        lo = max(floor, lo)
        // The axis starts on a round tick at or below the lowest value.
        let rough = ticks(lo, hi, show: show)
        if rough.count >= 2, rough[0].value > lo { lo = max(floor, rough[0].value - (rough[1].value - rough[0].value)) }
        func x(_ v: Double) -> Double { x0 + (v - lo) / max(hi - lo, 1e-12) * (x1 - x0) }
        var body = ""
        var y = top
        for r in rows {
            let lines = wrap(r.label, Int(labelWidth / 6.7))
            let shown = lines.count > 2 ? [lines[0], truncate(lines.dropFirst().joined(separator: " "), Int(labelWidth / 6.7))] : lines
            for (i, l) in shown.enumerated() { body += text(left, y + 14 + Double(i) * 15, l) }
            if moves(r) {
                body += text(width - 2, y + 14, r.valueLabel, anchor: "end")
            } else if x(b) + 8 + textWidth(r.valueLabel) <= width - 2 {
                body += text(x(b) + 8, y + 14, r.valueLabel, muted: true)
            } else {
                body += text(width - 2, y + 14, r.valueLabel, anchor: "end", muted: true)
            }
            for (v, style) in [(r.low, BarStyle.outline), (r.high, BarStyle.solid)] {
                guard let v = v?.approximate, v != b else { continue }
                let a = x(min(v, b)), c = x(max(v, b))
                body += "<rect class=\"tornado-\(style == .solid ? "high" : "low")\" x=\"\(n(a))\" y=\"\(n(y + 4))\" width=\"\(n(max(c - a, 1)))\" height=\"12\" \(fill(style, id))/>"
            }
            y += 20 + Double(max(0, shown.count - 1)) * 15
        }
        let plotBottom = y
        body += "<line x1=\"\(n(x(b)))\" y1=\"\(n(top))\" x2=\"\(n(x(b)))\" y2=\"\(n(plotBottom))\" stroke=\"#1a1a1a\" stroke-width=\"2\"/>"
        let ax = axis(y: plotBottom + 2, x0: x0, x1: x1, lo: lo, hi: hi, unit: lo > 0 ? unit + "; the axis does not start at zero" : unit, show: show)
        body += ax.svg
        let l = legend([LegendItem(.line, baseLabel), LegendItem(.bar(.outline), "at the assumption's low value"),
                        LegendItem(.bar(.solid), "at its high value")], id: id, y: plotBottom + 6 + ax.height)
        var s = open(id, title: title, description: description, height: plotBottom + 6 + ax.height + l.height)
        s += defs(id) + body + l.svg
        return s + "</svg>"
    }

    /// A chart as a file of its own, to paste into a deck: its title, the month and its source
    /// line around the chart.
    package static func standalone(_ svg: String, title: String, month: String, source: String) -> String {
        guard let close = svg.range(of: ">"), let h = svg.range(of: "height=\""), let hEnd = svg.range(of: "\"", range: h.upperBound..<svg.endIndex),
              let height = Double(svg[h.upperBound..<hEnd.lowerBound]) else { return svg }
        let titleLines = wrap(title, 80), sourceLines = wrap(source, 90)
        let head = Double(titleLines.count) * 16 + 24
        let total = head + height + Double(sourceLines.count) * 15 + 8
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(total))\" width=\"\(n(width))\" height=\"\(n(total))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"\(fontSize)\">"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        for (i, l) in titleLines.enumerated() { s += text(2, 15 + Double(i) * 16, l, bold: true) }
        s += text(2, Double(titleLines.count) * 16 + 16, month, muted: true)
        s += "<svg x=\"0\" y=\"\(n(head))\"" + svg[svg.index(svg.startIndex, offsetBy: 4)..<close.lowerBound] + ">" + svg[close.upperBound...]
        for (i, l) in sourceLines.enumerated() { s += text(2, head + height + 14 + Double(i) * 15, l, muted: true) }
        return s + "</svg>"
    }

    /// Words in lines of at most `n` characters (a longer word on a line of its own).
    static func wrap(_ s: String, _ n: Int) -> [String] {
        var lines: [String] = [], line = ""
        for w in s.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + w.count > n { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + w
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    static func truncate(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    /// Turns a paragraph `Table: caption` written just before a table in the report's Markdown
    /// into that table's `<caption>` (GFM has no table captions). Text from data cannot produce
    /// such a paragraph: it only reaches the report inside table cells and list items.
    package static func captions(_ html: String) -> String {
        // One pass over the page's bytes (a page of 300,000 tenants is over 100 MB: searching it
        // again from the start, through Foundation's String.range(of:), took most of the render).
        let bytes = Array(html.utf8)
        let open = Array("<p>Table: ".utf8), close = Array("</p>\n<table>\n".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4096)
        var copied = 0, from = 0
        while let r = find(open, in: bytes, from: from) {
            let text = r + open.count
            guard let c = find(close, in: bytes, from: text),
                  !Charts.withoutCSVLink(Substring(String(decoding: bytes[text..<c], as: UTF8.self))).contains("<") else {
                from = text
                continue
            }
            out += bytes[copied..<r]
            out += Array("<table>\n<caption>".utf8)
            out += bytes[text..<c]
            out += Array("</caption>\n".utf8)
            copied = c + close.count
            from = copied
        }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The first occurrence of `needle` in `bytes` at or after `from`.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        let last = bytes.count - needle.count
        var i = from
        while i <= last {
            if bytes[i] == first {
                var k = 1
                while k < needle.count && bytes[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// A caption without its trailing CSV link (` · <a href="NAME.csv">NAME.csv</a>`, NAME a plain
    /// file name, the link named by its file; a template of an earlier costper may still say
    /// `CSV`): the only markup a caption may hold.
    static func withoutCSVLink(_ caption: Substring) -> Substring {
        let prefix = " · <a href=\""
        guard caption.hasSuffix("</a>"), let p = caption.range(of: prefix, options: .backwards) else { return caption }
        let rest = caption[p.upperBound...]
        guard let q = rest.range(of: "\">") else { return caption }
        let name = rest[..<q.lowerBound]
        let text = rest[q.upperBound..<rest.index(rest.endIndex, offsetBy: -"</a>".count)]
        guard name == text || text == "CSV", name.hasSuffix(".csv"), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }) else { return caption }
        return caption[..<p.lowerBound]
    }

    /// Replaces each paragraph that holds only a chart image (`![alt](chart-NAME.svg)` in the
    /// Markdown) with a figure holding the inline SVG. Data text cannot produce such a paragraph:
    /// its `!` and `[` are escaped.
    package static func inline(_ html: String, charts: [String: String]) -> String {
        // One pass over the page's bytes (see `captions`).
        let bytes = Array(html.utf8)
        let open = Array("<p><img src=\"".utf8), alt = Array("\" alt=\"".utf8), close = Array("\" /></p>".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + charts.values.reduce(0) { $0 + $1.utf8.count })
        var copied = 0, from = 0
        while let r = find(open, in: bytes, from: from) {
            let name = r + open.count
            guard let quote = bytes[name...].firstIndex(of: UInt8(ascii: "\"")),
                  let svg = charts[String(decoding: bytes[name..<quote], as: UTF8.self)],
                  bytes[quote...].starts(with: alt),
                  let c = find(close, in: bytes, from: quote + alt.count) else {
                from = name
                continue
            }
            out += bytes[copied..<r]
            out += Array("<figure class=\"chart\">\(svg)<figcaption>".utf8)
            out += bytes[(quote + alt.count)..<c]
            out += Array("</figcaption></figure>".utf8)
            copied = c + close.count
            from = copied
        }
        out += bytes[copied...]
        return String(decoding: out, as: UTF8.self)
    }
}
