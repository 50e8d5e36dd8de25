// The vocabulary of costper: categories of cost, ticket outcomes, kinds of request, months.
import CostperMoney


/// Where a cost lands in the iceberg. Every cost lands in exactly one category.
package enum CostCategory: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable, Comparable {
    case model, retries, embeddings, vector_db, human_review, observability, integrations, infrastructure

    /// Visible = the model bill; everything else sits below the waterline.
    package var isVisible: Bool { self == .model }

    package var title: String {
        switch self {
        case .model: return "Model (first attempts)"
        case .retries: return "Retries and failed calls"
        case .embeddings: return "Embeddings"
        case .vector_db: return "Vector database"
        case .human_review: return "Human review"
        case .observability: return "Observability"
        case .integrations: return "Integrations"
        case .infrastructure: return "Infrastructure"
        }
    }

    /// The position in `allCases`, for arrays indexed by category (a search of allCases per
    /// request row showed in the ingest profile).
    @inline(__always) package var index: Int {
        switch self {
        case .model: return 0
        case .retries: return 1
        case .embeddings: return 2
        case .vector_db: return 3
        case .human_review: return 4
        case .observability: return 5
        case .integrations: return 6
        case .infrastructure: return 7
        }
    }

    package static func < (a: CostCategory, b: CostCategory) -> Bool { a.index < b.index }
}

/// How a ticket ended.
package enum Outcome: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case auto_resolved, escalated, deflected, abandoned
    /// A ticket built from traces whose requests name no outcome (costper.toml `[tickets]
    /// source = "traces"`). Never resolved, never an avoided escalation; tickets.csv, help-desk
    /// exports and the settings cannot name it.
    case unknown

    /// The outcomes a tickets file, a help-desk mapping, a trace's outcome attribute and the
    /// settings may name (every case but `unknown`).
    package static let recorded: [Outcome] = [.auto_resolved, .escalated, .deflected, .abandoned]

    /// "auto_resolved, escalated, deflected, abandoned", for messages.
    package static var recordedList: String { recorded.map(\.rawValue).joined(separator: ", ") }

    /// An outcome by name, `unknown` excluded (what a file or a setting may name).
    package static func named(_ text: String) -> Outcome? {
        guard let o = Outcome(rawValue: text), o != .unknown else { return nil }
        return o
    }


    /// How the report names the outcome.
    package var label: String {
        switch self {
        case .auto_resolved: return "Resolved by AI"
        case .escalated: return "Escalated to a person"
        case .deflected: return "Deflected (self-service)"
        case .abandoned: return "Abandoned"
        case .unknown: return "Unknown (no outcome in the traces)"
        }
    }

    /// The position in `allCases`, for arrays indexed by outcome.
    @inline(__always) package var index: Int {
        switch self { case .auto_resolved: return 0; case .escalated: return 1; case .deflected: return 2; case .abandoned: return 3; case .unknown: return 4 }
    }
}

/// What a billable request called.
package enum RequestKind: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case llm, embedding, vector_db, integration, observability

    /// The category of a request of this kind, given whether it was a retry or a failed call.
    package func category(isRetryOrFailure: Bool) -> CostCategory {
        switch self {
        case .llm: return isRetryOrFailure ? .retries : .model
        case .embedding: return .embeddings
        case .vector_db: return .vector_db
        case .integration: return .integrations
        case .observability: return .observability
        }
    }
}

/// A calendar month, e.g. 2026-10.
package struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
    package let year: Int
    package let month: Int

    /// The years a month may be in, for `--month`, inferred months and timestamps alike: one range
    /// everywhere (a timestamp of year 0000 once made a month that --month refused).
    package static let years = 1970...9999

    package init?(year: Int, month: Int) {
        guard (1...12).contains(month), Month.years.contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    package init?(_ text: String) {
        let parts = Array(text.utf8)
        guard parts.count == 7, parts[4] == UInt8(ascii: "-"),
              parts.enumerated().allSatisfy({ $0.offset == 4 || ($0.element >= 48 && $0.element <= 57) }),
              let y = Int(String(text.prefix(4))), let m = Int(String(text.suffix(2))) else { return nil }
        self.init(year: y, month: m)
    }

    /// The month holding `seconds` since the epoch (UTC).
    package init(epochSeconds seconds: Int64) {
        var days = Int(seconds / 86_400)
        if seconds % 86_400 < 0 { days -= 1 }
        let (y, m, _) = Scalars.civilFromDays(days)
        self.year = y
        self.month = m
    }

    /// A dense key, year × 12 + month − 1, for counting months cheaply.
    package var key: Int { year * 12 + month - 1 }
    package init(key: Int) { self.year = key / 12; self.month = key % 12 + 1 }

    package var previous: Month { Month(key: key - 1) }

    /// First second of the month (UTC).
    package var startEpochSeconds: Int64 { Int64(Scalars.daysFromCivil(year, month, 1)) * 86_400 }
    package var endEpochSeconds: Int64 { Month(key: key + 1).startEpochSeconds }
    package var days: Int { Scalars.daysIn(month: month, year: year) }

    package static func < (a: Month, b: Month) -> Bool { a.key < b.key }

    package var description: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (month < 10 ? "0" : "") + String(month)
    }

    package var title: String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August",
                     "September", "October", "November", "December"]
        return "\(names[month - 1]) \(year)"
    }
}

/// A row that could not be read: where, which column, and why.
package struct Reject: Hashable, Sendable, Comparable, Codable {
    package var file: String
    package var line: Int
    package var column: String
    package var reason: String

    package init(file: String, line: Int, column: String, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `requests.csv:12: cost_usd: "abc" is not a number`
    package var message: String {
        column.isEmpty ? "\(file):\(line): \(reason)" : "\(file):\(line): \(column): \(reason)"
    }

    /// The error that stops a run over this row (a file that must be read whole, such as the
    /// benchmark register).
    package var error: CostperError {
        CostperError(.badData, column.isEmpty ? reason : "\(column): \(reason)", at: InputLocation(file: file, line: line))
    }

    package static func < (a: Reject, b: Reject) -> Bool {
        (a.file, a.line, a.column, a.reason) < (b.file, b.line, b.column, b.reason)
    }
}
