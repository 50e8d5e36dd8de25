// Output for scripts: `report --json` and `validate --json` (one JSON document on stdout, the
// lines for people on stderr), `--fail-on flag|alert` (the month is published, then exit 2) and
// the exit statuses `--help` lists. The documents are Codable structs written by JSONEncoder
// with sorted keys; money is exact decimal text ("4055.98", "0.811196"), never a binary double.
import ArgumentParser
import CostperMoney
import CostperIngest
import CostperVocabulary
import CostperCore
import CostperIO
import CostperSite
import Foundation

/// The exit statuses, as `costper --help` (and the man page) lists them.
enum ExitStatus {
    /// The month was published, and it has a flag or an alert that `--fail-on` names.
    static let failOnFound: Int32 = 2

    static let table = """
    EXIT STATUS
      0   done (report: the month is published)
      1   an unexpected failure (a bug: please report it)
      2   report --fail-on flag or alert: the month IS published, and it has
          a flagged line or an alert that --fail-on names
      64  usage: an unknown subcommand, option or value; --month or --input
          missing or malformed (nothing read or written)
      65  bad data: rows rejected (validate; report --fail-on reject), a month
          the publication checks refuse, an input that is not its format
          (nothing published)
      66  not found: an input folder or file that is not there
      73  cannot write: --out cannot be created, locked or written (the site
          is left as it was)
    """

    static let help = table + "\n\nWith --json, report and validate print one JSON document on stdout, an error included (docs/report.md, \"Output for scripts\")."

    static let reportHelp = """
    With --json: one JSON document on stdout (month, currency, figures as exact decimal strings, flags, alerts, notices, the paths written, the --fail-on result); the lines for people go to stderr. \
    --fail-on reject stops the run before anything is published (65); --fail-on flag and --fail-on alert publish the month, then exit 2 when it has what they name.

    """ + table

    static let validateHelp = """
    With --json: one JSON document on stdout (every problem as file, line, column and reason; the notices; each file's rows read, accepted, rejected and outside the month; the verdict).

    """ + table
}

/// Where the run's lines go: stdout, or stderr when stdout carries the JSON document. Keeps the
/// notices it printed for the document.
final class Console {
    let json: Bool
    private(set) var notices: [String] = []
    private(set) var warnings: [String] = []

    init(json: Bool) { self.json = json }

    /// A line for people.
    func line(_ text: String) {
        let visible = Scalars.visible(text)
        if json { FileHandle.standardError.write(Data((visible + "\n").utf8)) } else { print(visible) }
    }

    /// `costper: notice: …`; a warning (a bill that may count twice or not at all) is also kept apart.
    func notice(_ text: String, warning: Bool = false) {
        notices.append(text)
        if warning { warnings.append(text) }
        line("costper: notice: " + text)
    }
}

/// What a published run wrote, for the lines and the JSON document.
struct ReportRun {
    var record: MonthRecord
    var out: String
    var folders: [MonthFolder]
    var rootFiles: [String]
    var later: [Month]
}

extension Report.FailOn {
    /// One `--fail-on` value: `flag`, `alert,reject`; an unknown word is refused with the words it may be.
    static func parseList(_ text: String) throws -> [Report.FailOn] {
        let words = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return try words.map { w in
            if let v = Report.FailOn(rawValue: w) { return v }
            let names = allCases.map(\.rawValue)
            let near = Prices.suggestions(w, in: names).first.map { " (did you mean \($0)?)" } ?? ""
            throw ValidationError("--fail-on takes flag, alert or reject, comma-separated or repeated, not \(Scalars.quoteForMessage(w))\(near)")
        }
    }
}

/// JSON text of costper's documents: sorted keys, snake_case, two-space indent, one trailing newline.
enum ScriptJSON {
    static func text<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        // Every value is a string, an integer, a Bool or null: encoding cannot fail.
        let data = (try? e.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func write<T: Encodable>(_ value: T) {
        FileHandle.standardOutput.write(Data(text(value).utf8))
    }

    /// Money exactly, to the nano, with at least two decimals: "4055.98", "0.0095625", "-3.50".
    static func money(_ m: Money) -> String { trimmed(m.formatted(decimals: 9)) }
    /// A per-unit amount or a ratio, rounded half to even to 9 decimals.
    static func decimal(_ q: Quotient) -> String { trimmed(q.formatted(decimals: 9)) }

    static func trimmed(_ s: String) -> String {
        guard let dot = s.firstIndex(of: ".") else { return s + ".00" }
        var t = s
        while t.hasSuffix("0"), t.distance(from: dot, to: t.endIndex) > 3 { t.removeLast() }
        return t
    }
}

/// A value written as `null` when absent (the key is always there).
struct Nullable<T: Encodable>: Encodable {
    var value: T?
    init(_ value: T?) { self.value = value }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode(value) } else { try c.encodeNil() }
    }
}

/// The error that stopped a run, as the document says it.
struct ErrorJSON: Encodable {
    var kind: String
    var exitCode: Int32
    var message: String
    var file: Nullable<String>
    var line: Nullable<Int>

    init(_ e: CostperError) {
        switch e.kind {
        case .usage: kind = "usage"
        case .badData: kind = "bad_data"
        case .notFound: kind = "not_found"
        case .cannotWrite: kind = "cannot_write"
        }
        exitCode = e.exitCode
        message = e.message
        file = Nullable(e.location?.file)
        line = Nullable(e.location?.line)
    }
}

/// What a run that stopped prints under --json.
struct FailedRunDocument: Encodable {
    var command: String
    var ok = false
    var exitCode: Int32
    var error: ErrorJSON
    var notices: [String]
}

struct FlagJSON: Encodable {
    var line: String
    var subject: String
    var domain: String
    var serviceType: String
    var basis: String
    var value: String
    var rule: String
    var ruleFigure: Nullable<String>
    var ratio: Nullable<String>
    var threshold: String
    var comparablesExceeded: [String]

    init(_ f: FlagLine) {
        line = f.kind.rawValue; subject = f.subject; domain = f.domain.rawValue; serviceType = f.serviceType; basis = f.basis.rawValue
        value = ScriptJSON.decimal(f.value); rule = f.rule.rawValue
        ruleFigure = Nullable(f.ruleFigure.map(ScriptJSON.decimal)); ratio = Nullable(f.ratio.map(ScriptJSON.decimal))
        threshold = ScriptJSON.decimal(f.threshold); comparablesExceeded = f.exceeded.map(\.name)
    }
}

struct AlertJSON: Encodable {
    var kind: String
    var subject: String
    var severity: String
    var measure: String
    var value: Nullable<String>
    var threshold: Nullable<String>
    var unit: String
    var message: String

    init(_ a: Alert) {
        kind = a.kind.rawValue; subject = a.subject; severity = a.severity.rawValue; measure = a.measure
        value = Nullable(a.amount.map(ScriptJSON.decimal)); threshold = Nullable(a.limit.map(ScriptJSON.decimal))
        unit = a.unit; message = a.message
    }
}

/// The month's figures, in its reporting currency.
struct FiguresJSON: Encodable {
    var costPerResolvedTicket: Nullable<String>
    var costPerTicket: Nullable<String>
    var totalCost: String
    /// human_review is null when it was not measured (`humanReviewNotMeasured` says why).
    var costByCategory: [String: Nullable<String>]
    var humanReviewNotMeasured: Nullable<String>
    var hiddenCostShare: Nullable<String>
    var tickets: Int
    var resolvedTickets: Int
    var escalatedTickets: Int
    var outcomes: [String: Int]
    var requests: Int64
    var rejectedRows: Int
    var orphanRequests: Int64

    init(_ a: MonthAccounts) {
        costPerResolvedTicket = Nullable(a.costPerResolved.map(ScriptJSON.decimal))
        costPerTicket = Nullable(a.costPerTicket.map(ScriptJSON.decimal))
        totalCost = ScriptJSON.money(a.total)
        costByCategory = Dictionary(uniqueKeysWithValues: CostCategory.allCases.map { c in
            (c.rawValue, Nullable(c == .human_review && !a.humanReviewMeasured ? nil : ScriptJSON.money(a.costByCategory[c] ?? .zero)))
        })
        humanReviewNotMeasured = Nullable(a.humanReviewNotMeasured)
        hiddenCostShare = Nullable(a.hiddenShare.map(ScriptJSON.decimal))
        tickets = a.tickets; resolvedTickets = a.resolvedTickets; escalatedTickets = a.outcomes[.escalated] ?? 0
        outcomes = Dictionary(uniqueKeysWithValues: a.reportedOutcomes.map { ($0.rawValue, a.outcomes[$0] ?? 0) })
        requests = a.requests; rejectedRows = a.rejectedRows; orphanRequests = a.orphanRequests
    }
}

/// `report --json`.
struct ReportDocument: Encodable {
    struct Published: Encodable {
        var out: String
        var monthFolder: String
        var page: String
        /// Every file published for the month, then the site's root files, as paths under --out.
        var files: [String]
        var rootFiles: [String]
        /// Later months rendered again against this one (their folders were published too).
        var laterMonths: [String]
        var pdf: Bool
    }
    struct FailOnJSON: Encodable {
        var asked: [String]
        /// What the month has of what --fail-on names (flag, alert); empty when the run passes.
        var found: [String]
    }
    var command = "report"
    var ok: Bool
    var exitCode: Int32
    var month: String
    var company: String
    var currency: String
    var figures: FiguresJSON
    var flags: [FlagJSON]
    var alerts: [AlertJSON]
    /// Every notice the run printed, in order; `warnings` are the ones about bills that may count twice or not at all.
    var notices: [String]
    var warnings: [String]
    /// The input's data-quality notices (as validate prints them).
    var inputNotices: [String]
    var rejectsFile: Nullable<String>
    var published: Published
    var failOn: FailOnJSON
}

/// `validate --json`.
struct ValidateDocument: Encodable {
    struct Problem: Encodable {
        var file: String
        var line: Int
        var column: String
        var reason: String
        var message: String
    }
    struct FileCount: Encodable {
        var file: String
        var reader: String
        var rowsRead: Int
        var accepted: Int
        var rejected: Int
        var outsideMonth: Int
    }
    var command = "validate"
    var ok: Bool
    var exitCode: Int32
    var month: String
    var currency: String
    var problems: [Problem]
    var notices: [String]
    var files: [FileCount]
    var orphanRequests: Int64
    /// Why validation fails (the exit status's error), or null.
    var error: Nullable<ErrorJSON>
}

extension Report {
    mutating func run() throws {
        let console = Console(json: json)
        let done: ReportRun
        do {
            done = try publishMonth(console)
        } catch {
            if json { ScriptJSON.write(FailedRunDocument(command: "report", exitCode: error.exitCode, error: ErrorJSON(error), notices: console.notices)) }
            throw error
        }
        let r = done.record.report
        var found: [FailOn] = []
        if failing.contains(.flag), !r.flags.isEmpty { found.append(.flag) }
        if failing.contains(.alert), !r.alerts.isEmpty { found.append(.alert) }
        if json { ScriptJSON.write(document(done, console: console, found: found)) }
        guard found.isEmpty else {
            var parts: [String] = []
            if found.contains(.flag) { parts.append("\(r.flags.count) flagged \(r.flags.count == 1 ? "line" : "lines") (" + r.flags.map(\.subject).joined(separator: "; ") + ")") }
            if found.contains(.alert) { parts.append("\(r.alerts.count) \(r.alerts.count == 1 ? "alert" : "alerts") (" + r.alerts.map { "\($0.kind.rawValue): \($0.subject)" }.joined(separator: "; ") + ")") }
            let asked = found.map(\.rawValue).joined(separator: ",")
            FileHandle.standardError.write(Data(Scalars.visible("costper: --fail-on \(asked): \(done.record.month) is published, and it has \(parts.joined(separator: " and ")): exit \(ExitStatus.failOnFound)\n").utf8))
            throw ExitCode(ExitStatus.failOnFound)
        }
    }

    func document(_ done: ReportRun, console: Console, found: [FailOn]) -> ReportDocument {
        let record = done.record, r = record.report, a = r.accounts
        let base = done.out.count > 1 && done.out.hasSuffix("/") ? String(done.out.dropLast()) : done.out
        let monthFolder = base + "/" + record.month.description
        var files: [String] = []
        for f in done.folders.sorted(by: { $0.month < $1.month }) {
            let names = Set(f.files.keys).union(f.writers.keys)
            files += names.sorted().map { base + "/" + f.month.description + "/" + $0 }
        }
        return ReportDocument(
            ok: found.isEmpty, exitCode: found.isEmpty ? 0 : ExitStatus.failOnFound,
            month: record.month.description, company: a.config.company, currency: record.currency,
            figures: FiguresJSON(a), flags: r.flags.map(FlagJSON.init), alerts: r.alerts.map(AlertJSON.init),
            notices: console.notices, warnings: console.warnings, inputNotices: a.notices,
            rejectsFile: Nullable(a.rejectedRows > 0 ? monthFolder + "/rejects.csv" : nil),
            published: .init(out: done.out, monthFolder: monthFolder, page: monthFolder + "/index.html", files: files,
                              rootFiles: done.rootFiles.map { base + "/" + $0 }, laterMonths: done.later.map(\.description),
                              pdf: r.pack.pdf),
            failOn: .init(asked: FailOn.allCases.filter(failing.contains).map(\.rawValue), found: found.map(\.rawValue)))
    }
}

extension Validate {
    mutating func run() throws {
        let a: MonthAccounts
        do {
            a = try readMonth()
        } catch {
            if json { ScriptJSON.write(FailedRunDocument(command: "validate", exitCode: error.exitCode, error: ErrorJSON(error), notices: [])) }
            throw error
        }
        let verdict = Validate.verdict(a)
        if json {
            ScriptJSON.write(ValidateDocument(
                ok: verdict == nil, exitCode: verdict?.exitCode ?? 0, month: a.month.description, currency: a.currency.code,
                problems: a.rejects.sorted().map { .init(file: $0.file, line: $0.line, column: $0.column, reason: $0.reason, message: $0.message) },
                notices: a.notices,
                files: a.files.map { .init(file: $0.file, reader: $0.reader, rowsRead: $0.rowsRead, accepted: $0.accepted, rejected: $0.rejected, outsideMonth: $0.outsideMonth) },
                orphanRequests: a.orphanRequests, error: Nullable(verdict.map(ErrorJSON.init))))
        }
        if let verdict { throw verdict }
    }
}
