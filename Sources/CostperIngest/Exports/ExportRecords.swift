// Rows of a foreign export as JSON values, whether the file is CSV (Postgres `\copy`-style: JSON
// columns as JSON text, NULL as an empty field) or JSON (an array of objects, or JSON Lines).
// Fields are named by a column, a path into a JSON column (`metadata.spend_logs_metadata.tenant`)
// or `tag:NAME` (the `NAME:value` entry of a tags list).
import CostperMoney
import CostperVocabulary


package struct ExportRecord: Sendable {
    package var line: Int
    package var root: ExportJSON
    /// The column holding `NAME:value` tags (LiteLLM request_tags, Langfuse tags).
    package var tagsColumn: String

    package init(line: Int, root: ExportJSON, tagsColumn: String) {
        self.line = line
        self.root = root
        self.tagsColumn = tagsColumn
    }

    /// A member by name: exact, else ignoring case (CSV headers are read in lower case).
    package static func member(_ v: ExportJSON, _ key: Substring) -> ExportJSON? {
        guard let members = v.members else { return nil }
        if let m = members.first(where: { $0.key == key }) { return m.value }
        let lower = key.lowercased()
        return members.first { $0.key.lowercased() == lower }?.value
    }

    /// A JSON column held as text (CSV) is read as JSON when a path goes into it.
    package static func opened(_ v: ExportJSON) -> ExportJSON {
        if case .string(let s) = v, let first = s.utf8.first(where: { $0 != 0x20 }), first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
           let parsed = JSONParser.parse(s) {
            return parsed
        }
        return v
    }

    package static func lookup(_ v: ExportJSON, _ path: Substring) -> ExportJSON? {
        if let m = member(v, path) { return m }
        var i = path.startIndex
        while let dot = path[i...].firstIndex(of: ".") {
            if let head = member(v, path[path.startIndex..<dot]) {
                if let found = lookup(opened(head), path[path.index(after: dot)...]) { return found }
            }
            i = path.index(after: dot)
        }
        return nil
    }

    /// The value at a path; nil when absent, null or empty.
    package func value(_ path: String) -> ExportJSON? {
        if path.hasPrefix("tag:") {
            let name = path.dropFirst(4).lowercased() + ":"
            guard let tags = ExportRecord.member(root, Substring(tagsColumn)).map(ExportRecord.opened)?.elements else { return nil }
            for t in tags {
                if let s = t.stringValue, s.lowercased().hasPrefix(name) { return .string(String(s.dropFirst(name.count))) }
            }
            return nil
        }
        guard let v = ExportRecord.lookup(root, Substring(path)) else { return nil }
        if case .null = v { return nil }
        if case .string(let s) = v, s.isEmpty { return nil }
        return v
    }

    /// The first of `paths` that holds a scalar: its text and the path it came from.
    package func text(_ paths: [String]) -> (text: String, path: String)? {
        for p in paths {
            if let t = value(p)?.scalarText { return (t, p) }
        }
        return nil
    }

    /// Reads every record of a CSV or JSON export. Unreadable records become rejects.
    package static func read(_ input: InputBuffer, required: [String], tagsColumn: String) throws(CostperError) -> (records: [ExportRecord], rejects: [Reject], format: String) {
        var records: [ExportRecord] = []
        var rejects: [Reject] = []
        if ExportFormat.looksLikeJSON(input) {
            var parser = JSONParser(input)
            func take(_ v: ExportJSON, line: Int) {
                guard v.members != nil else {
                    rejects.append(Reject(file: input.name, line: line, column: "", reason: "is not a JSON object"))
                    return
                }
                if let missing = required.first(where: { member(v, Substring($0)) == nil }) {
                    rejects.append(Reject(file: input.name, line: v.line, column: missing, reason: "is missing"))
                    return
                }
                records.append(ExportRecord(line: v.line, root: v, tagsColumn: tagsColumn))
            }
            for doc in parser.documents() {
                switch doc {
                case .failure(let e):
                    rejects.append(Reject(file: input.name, line: e.line, column: "", reason: e.reason))
                case .success(let v):
                    if let items = v.elements {
                        for item in items { take(item, line: v.line) }
                    } else {
                        take(v, line: v.line)
                    }
                }
            }
            return (records, rejects, "JSON")
        }
        try readCSVTable(input, required: required, known: [], rejects: &rejects) { line, header, fields, _ in
            var members: [JSONMember] = []
            members.reserveCapacity(header.columns.count)
            for (i, name) in header.columns.enumerated() where i < fields.count && !fields[i].isEmpty {
                members.append(JSONMember(key: name, value: .string(String(decoding: fields[i], as: UTF8.self))))
            }
            records.append(ExportRecord(line: line, root: .object(members, line: line), tagsColumn: tagsColumn))
        }
        return (records, rejects, "CSV")
    }
}
