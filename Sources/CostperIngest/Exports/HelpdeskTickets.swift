// A help-desk export (Zendesk tickets, Intercom conversations, ...) read as tickets.csv through the
// [tickets] mapping of costper.toml: which column is the id, how the outcome follows from status,
// tags or an outcome column (first matching rule wins), and which columns hold the tenant, segment,
// service type, times and review minutes.
import CostperMoney
import CostperVocabulary


package enum HelpdeskTickets {
    /// Whether a CSV header (lower case) is the export a mapping describes.
    package static func matches(_ columns: [String], _ m: TicketMapping) -> Bool {
        let have = Set(columns)
        guard have.contains(m.id.lowercased()) else { return false }
        let outcomeColumns = [m.outcome, m.status, m.tags].compactMap { $0?.lowercased() }
        return outcomeColumns.allSatisfy(have.contains)
    }

    package static func tags(_ cell: String, separator: String?) -> [String] {
        let parts: [Substring]
        if let separator, !separator.isEmpty {
            parts = cell.split(separator: separator)
        } else if cell.contains(",") {
            parts = cell.split(separator: ",")
        } else {
            parts = cell.split(whereSeparator: { $0 == " " || $0 == "\t" })
        }
        return parts.map { String($0).trimmingSpaces.lowercased() }.filter { !$0.isEmpty }
    }

    /// The outcome of a ticket, or nil when no rule matches.
    package static func outcome(status: String?, tags: [String], value: String?, mapping m: TicketMapping) -> Outcome? {
        let st = status?.trimmingSpaces.lowercased()
        let val = value?.trimmingSpaces.lowercased()
        let tags = tags.map { $0.lowercased() }
        for rule in m.rules {
            if !rule.tags.isEmpty && !rule.tags.contains(where: tags.contains) { continue }
            if !rule.statuses.isEmpty && !(st.map(rule.statuses.contains) ?? false) { continue }
            if !rule.values.isEmpty && !(val.map(rule.values.contains) ?? false) { continue }
            return rule.outcome
        }
        if let val, !val.isEmpty {
            if let o = m.outcomeValues[val] { return o }
            if let o = Outcome.named(val) { return o }
        }
        return m.defaultOutcome
    }

    /// What a sentence about a column absent from an export says it means for the report.
    static func consequence(_ canonical: String) -> String {
        switch canonical {
        case "review_minutes": return "human review cannot be measured (it would come out $0)"
        case "closed_at": return "a ticket's month cannot be told by when it closed"
        case "tenant", "segment": return "every ticket's \(canonical) is empty (one blank group in the by_\(canonical) table)"
        case "service_type": return "every ticket's service type is empty (no per-service-type comparison)"
        default: return "every ticket's \(canonical) is empty"
        }
    }

    /// The mapped columns the export does not have (`columns`: its header, lower case). A missing
    /// tenant, segment, service_type or opened_at is a notice; a missing (or unmapped)
    /// review_minutes or closed_at stops the run with a sentence, unless the mapping's
    /// `allowMissing` (`--allow-missing`) names it: then it is a notice and is returned in `missing`.
    package static func checkColumns(_ columns: [String], mapping m: TicketMapping, file: String) throws(CostperError) -> (notices: [String], missing: [String]) {
        let have = Set(columns)
        let allowed = Set(m.allowMissing ?? [])
        var notices: [String] = [], missing: [String] = []
        for (canonical, column) in [("tenant", m.tenant), ("segment", m.segment), ("service_type", m.serviceType),
                                    ("opened_at", m.openedAt), ("closed_at", m.closedAt), ("review_minutes", m.reviewMinutes)] {
            if let column, have.contains(column.lowercased()) { continue }
            let what = column.map { "costper.toml [tickets] maps \(canonical) to the column \(Scalars.quoteForMessage($0)), which \(file) does not have" }
                ?? "costper.toml [tickets] maps no column to \(canonical)"
            guard TicketMapping.essential.contains(canonical) else {
                if column != nil { notices.append("\(file): \(what): \(consequence(canonical))") }
                continue
            }
            if allowed.contains(canonical) {
                missing.append(canonical)
                notices.append(canonical == "review_minutes"
                    ? "\(file): \(what); accepted with --allow-missing review_minutes: human review is not measured, and the report says so instead of $0"
                    : "\(file): \(what); accepted with --allow-missing closed_at: each ticket counts in the month of its first request")
                continue
            }
            let fix = canonical == "review_minutes"
                ? "add the review-minutes field to the export (in Zendesk a custom ticket field), map the column that holds it, or run with --allow-missing review_minutes to report human review as not measured"
                : "map the column that holds when a ticket was solved or closed, or run with --allow-missing closed_at to count each ticket in the month of its first request"
            throw CostperError(.badData, "\(what): \(consequence(canonical)); \(fix)", at: InputLocation(file: file))
        }
        return (notices, missing)
    }

    /// The tickets of a help-desk export, through the [tickets] mapping.
    package static func tickets(_ input: InputBuffer, mapping m: TicketMapping) throws(CostperError) -> AdaptedExport<TicketRecord> {
        var rows = AdaptedExport<TicketRecord>(file: input.name, format: .helpdesk, encoding: "CSV")
        var sourceNames = ["ticket_id": m.id, "outcome": m.outcome ?? m.status ?? m.tags ?? "outcome"]
        for (canonical, column) in [("tenant", m.tenant), ("segment", m.segment), ("service_type", m.serviceType),
                                    ("opened_at", m.openedAt), ("closed_at", m.closedAt), ("review_minutes", m.reviewMinutes)] {
            if let column { sourceNames[canonical] = column }
        }
        rows.fieldNames = sourceNames
        var rejects: [Reject] = []
        var counts: [Outcome: Int] = [:]
        let required = [m.id, m.outcome, m.status, m.tags].compactMap { $0?.lowercased() }
        let (header, _) = try readCSVTable(input, required: required, known: [], rejects: &rejects) { line, header, fields, _ in
            func cell(_ column: String?) -> String? {
                guard let column, let p = header.position(column.lowercased()) else { return nil }
                let f = fields[p]
                return f.isEmpty ? nil : String(decoding: f, as: UTF8.self)
            }
            var v = TicketRecord(origin: RecordOrigin(file: input.name, line: line))
            v.ticketID = cell(m.id)?.trimmingSpaces ?? ""
            let status = cell(m.status), value = cell(m.outcome)
            let tagList = tags(cell(m.tags) ?? "", separator: m.tagSeparator)
            guard let o = outcome(status: status, tags: tagList, value: value, mapping: m) else {
                var seen: [String] = []
                if let status { seen.append("status \(Scalars.quoteForMessage(status))") }
                if m.tags != nil { seen.append("tags \(Scalars.quoteForMessage(tagList.joined(separator: " ")))") }
                if let value { seen.append("value \(Scalars.quoteForMessage(value))") }
                rows.reject(line: line, column: m.outcome ?? m.status ?? m.tags ?? "",
                            reason: "no outcome rule of costper.toml [tickets] matches (\(seen.joined(separator: ", "))); add a rule or default_outcome")
                return
            }
            counts[o, default: 0] += 1
            v.outcome = o.rawValue
            func dimension(_ canonical: String, _ column: String?) -> String {
                guard let text = cell(column) else { return "" }
                return m.snakeCase.contains(canonical) ? ExportText.snakeCase(text) : text.trimmingSpaces
            }
            v.tenant = dimension("tenant", m.tenant)
            v.segment = dimension("segment", m.segment)
            v.serviceType = dimension("service_type", m.serviceType)
            v.openedAt = cell(m.openedAt).map(ExportText.normalizeTimestamp) ?? ""
            v.closedAt = cell(m.closedAt).map(ExportText.normalizeTimestamp) ?? ""
            v.reviewMinutes = cell(m.reviewMinutes)?.trimmingSpaces ?? ""
            rows.records.append(v)
        }
        rows.rejects += rejects
        // What the mapping names and the export lacks: a notice, or a stop for review minutes and closed_at.
        let mapped = try checkColumns(header.columns, mapping: m, file: input.name)
        rows.notices += mapped.notices
        rows.missing = mapped.missing
        let summary = Outcome.allCases.compactMap { o in counts[o].map { "\(o.rawValue) \($0)" } }.joined(separator: ", ")
        rows.notices.append("\(input.name): help-desk export read through costper.toml [tickets] (id column \(Scalars.quoteForMessage(m.id))), \(rows.records.count) tickets")
        if !summary.isEmpty { rows.notices.append("\(input.name): outcomes by the [tickets] rules: \(summary)") }
        return rows
    }
}
