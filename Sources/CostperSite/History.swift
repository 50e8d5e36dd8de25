// A history that stays true: when a month is published (or published again), every later month's
// comparison with its earlier months is re-rendered from what the site keeps of each month (its
// summary.json), byte for byte what a fresh run of that later month would write. Bytes in, bytes
// out: the command line reads the later months' folders and publishes what this returns.
import CostperCore

public enum History {
    /// A month's folder with its comparison re-rendered against `site` (every month of the site,
    /// the one just published included): summary.json, headline.csv, bridge.csv, chart-bridge.svg,
    /// and the summary block of report.md and index.html. Nil when the folder's summary.json is not
    /// one costper wrote (the folder is then left as it is).
    public static func rerender(_ files: [String: [UInt8]], month: Month, site: [PublishedMonth]) -> [String: [UInt8]]? {
        guard let json = files["summary.json"], let own = PublishedMonth(month: month, summaryJSON: json) else { return nil }
        let summary = ExecutiveSummary(own, earlier: site.filter { $0.month != month })
        var out = files
        guard let newJSON = rewriteSummary(json, summary) else { return nil }
        out["summary.json"] = newJSON
        if let h = files["headline.csv"] { out["headline.csv"] = rewriteHeadline(h, summary) }
        apply(summary, to: &out)
        let planActual = PlanActual.compare(own, earlier: site.filter { $0.month != month })
        let planBlock = PlanActual.markdown(planActual, labels: own.serviceTypeLabels)
        guard let planHTML = try? PlanActual.html(planBlock) else { return nil }
        out["plan_vs_actual.csv"] = planActual.isEmpty ? nil : SiteBuilder.planVsActual(planActual).bytes
        for name in ["report.md", "index.html"] {
            guard let bytes = files[name] else { continue }
            var text = String(decoding: bytes, as: UTF8.self)
            let md = name == "report.md"
            if let t = splice(text, md ? summary.markdown : summary.html) { text = t }
            if let t = splice(text, md ? planBlock : planHTML, begin: PlanActual.begin, end: PlanActual.end) { text = t }
            out[name] = Array(text.utf8)
        }
        return out
    }

    /// The summary's own files: bridge.csv always, chart-bridge.svg when there is a bridge.
    static func apply(_ s: ExecutiveSummary, to files: inout [String: [UInt8]]) {
        files["bridge.csv"] = s.bridgeCSV.bytes
        if let svg = s.bridgeFile { files["chart-bridge.svg"] = Array(svg.utf8) } else { files["chart-bridge.svg"] = nil }
    }

    /// `text` with its summary block (from `ExecutiveSummary.begin` to `.end`) replaced; nil when it has none.
    static func splice(_ text: String, _ block: String, begin: String = ExecutiveSummary.begin, end: String = ExecutiveSummary.end) -> String? {
        guard let b = text.range(of: begin), let e = text.range(of: end, range: b.upperBound..<text.endIndex) else { return nil }
        return String(text[..<b.lowerBound]) + block + String(text[e.upperBound...])
    }

    /// summary.json with its comparison keys set (in place; appended when missing). The file is
    /// read and written again by costper's own JSON writer, so the other keys keep their bytes.
    static func rewriteSummary(_ bytes: [UInt8], _ s: ExecutiveSummary) -> [UInt8]? {
        guard let parsed = JSONParser.parse(String(decoding: bytes, as: UTF8.self)), case .object(var pairs) = value(parsed) else { return nil }
        for (k, v) in s.jsonFields {
            if let i = pairs.firstIndex(where: { $0.0 == k }) { pairs[i].1 = v } else { pairs.append((k, v)) }
        }
        return Array((JSONValue.object(pairs).text + "\n").utf8)
    }

    static func value(_ e: ExportJSON) -> JSONValue {
        switch e {
        case .object(let m, _): return .object(m.map { ($0.key, value($0.value)) })
        case .array(let a, _): return .array(a.map(value))
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .null: return .null
        }
    }

    /// headline.csv with its comparison rows (the rows named in `ExecutiveSummary.headlineRows`)
    /// written again: a row is replaced by the one of the same figure, in place.
    static func rewriteHeadline(_ bytes: [UInt8], _ s: ExecutiveSummary) -> [UInt8] {
        var rows: [String: String] = [:]
        for r in s.headlineRows {
            var one = CSVDocument(header: ["figure", "value", "unit"])
            one.append(r)
            let text = String(decoding: one.bytes, as: UTF8.self)
            let line = String(text.split(separator: "\r\n", omittingEmptySubsequences: false)[1])
            if case .text(let name) = r[0] { rows[name] = line }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map { line -> String in
            let name = line.split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
            return rows[name] ?? String(line)
        }
        return Array(lines.joined(separator: "\r\n").utf8)
    }
}
