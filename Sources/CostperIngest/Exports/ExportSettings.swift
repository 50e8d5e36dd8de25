// costper.toml tables that say where the foreign exports keep costper's fields:
// [otlp], [litellm], [langfuse] (requests) and [tickets] (a help-desk export). Every key is
// optional; the defaults read the exports as the producers write them (see docs/exports.md). A field's source is one name or a list (the first present wins).
import CostperMoney
import CostperVocabulary
import TOMLKit

/// OpenTelemetry OTLP/JSON traces: which span (or resource) attribute holds each field.
package struct OTLPSettings: Equatable, Sendable, Codable {
    package var ticket = ["gen_ai.conversation.id"]
    package var tenant = ["costper.tenant"]
    package var endpoint = ["costper.endpoint"]
    package var promptVersion = ["costper.prompt_version"]
    package var attempt = ["costper.attempt"]
    /// A cost attribute (USD) some pipelines add; the semantic conventions define none, so by
    /// default the cost comes from tokens x the price catalog.
    package var cost: [String] = []
    /// The attribute holding a ticket's outcome, read when the tickets come from the traces
    /// (`[tickets] source = "traces"`); nil = the default, `costper.outcome`. Optional so that a
    /// month's record written before it still reads.
    package var outcome: [String]?
    package static let defaultOutcome = ["costper.outcome"]
    package var outcomeSources: [String] { outcome ?? OTLPSettings.defaultOutcome }
    package init() {}
}

/// LiteLLM spend logs: a column, or a path into a JSON column (`metadata.spend_logs_metadata.x`),
/// or `tag:NAME` (a `NAME:value` entry of request_tags).
package struct LiteLLMSettings: Equatable, Sendable, Codable {
    package var ticket = ["session_id", "metadata.spend_logs_metadata.ticket_id"]
    package var tenant = ["end_user", "metadata.spend_logs_metadata.tenant"]
    package var endpoint = ["metadata.spend_logs_metadata.endpoint", "tag:endpoint"]
    package var promptVersion = ["metadata.spend_logs_metadata.prompt_version", "tag:prompt_version"]
    package var attempt = ["metadata.spend_logs_metadata.attempt"]
    /// model_group is the public name the application asked for (`claude-haiku-4.5`); model is
    /// the deployment's name (`claude-haiku-4-5`).
    package var model = ["model_group", "model"]
    /// What LiteLLM billed; an empty list prices the tokens with the catalog instead.
    package var cost = ["spend"]
    /// Where a request carries its ticket's outcome, read with `[tickets] source = "traces"`;
    /// nil = the default (spend_logs_metadata.outcome, else an `outcome:VALUE` request tag).
    package var outcome: [String]?
    package static let defaultOutcome = ["metadata.spend_logs_metadata.outcome", "tag:outcome"]
    package var outcomeSources: [String] { outcome ?? LiteLLMSettings.defaultOutcome }
    package init() {}
}

/// Langfuse observation exports.
package struct LangfuseSettings: Equatable, Sendable, Codable {
    package var ticket = ["session_id"]
    package var tenant = ["user_id", "metadata.tenant"]
    package var endpoint = ["name"]
    package var promptVersion = ["prompt_version"]
    /// Langfuse prompt versions are integers; costper writes them `v12`.
    package var promptVersionPrefix = "v"
    package var attempt = ["metadata.attempt"]
    package var model = ["provided_model_name", "model"]
    package var cost = ["total_cost", "cost_details.total"]
    /// Langfuse's usage_details.input excludes the cached tokens (its integrations subtract them).
    package var inputIncludesCached = false
    /// Where an observation carries its ticket's outcome, read with `[tickets] source =
    /// "traces"`; nil = the default (an `outcome:VALUE` tag, else metadata.outcome).
    package var outcome: [String]?
    package static let defaultOutcome = ["tag:outcome", "metadata.outcome"]
    package var outcomeSources: [String] { outcome ?? LangfuseSettings.defaultOutcome }
    package init() {}
}

/// One outcome rule of a help-desk mapping: every condition given must hold.
package struct OutcomeRule: Equatable, Sendable, Codable {
    package var outcome: Outcome
    /// The ticket has one of these tags (case-insensitive).
    package var tags: [String] = []
    /// The status column holds one of these values (case-insensitive).
    package var statuses: [String] = []
    /// The outcome column holds one of these values (case-insensitive).
    package var values: [String] = []
}

/// A help-desk ticket export (Zendesk, Intercom, ...): which column is which.
package struct TicketMapping: Equatable, Sendable, Codable {
    package var id = ""
    package var outcome: String?
    package var status: String?
    package var tags: String?
    /// Tags separator; nil splits on commas when the cell has one, else on spaces.
    package var tagSeparator: String?
    package var tenant: String?
    package var segment: String?
    package var serviceType: String?
    package var openedAt: String?
    package var closedAt: String?
    package var reviewMinutes: String?
    package var rules: [OutcomeRule] = []
    /// Outcome column value -> outcome (case-insensitive keys).
    package var outcomeValues: [String: Outcome] = [:]
    package var defaultOutcome: Outcome?
    /// Canonical columns whose values are written snake_case (`password reset` -> `password_reset`).
    package var snakeCase: [String] = []
    /// The id rule: how a trace's ticket id becomes the help desk's. A prefix the traces put
    /// before it (`Z-` in `Z-1001`), stripped where present...
    package var traceIDPrefix: String?
    /// ...or a pattern with one capture (`Z-(\d+)`), matched against the whole id: the capture
    /// is the help desk's id. An id it does not match is kept as it is (and counted).
    package var traceIDPattern: String?
    /// Mapped columns the export may lack (`--allow-missing`, set by the command line, not by
    /// costper.toml): `review_minutes` (human review then not measured) and `closed_at`.
    package var allowMissing: [String]?

    /// The columns whose absence stops the run unless `--allow-missing` names them.
    package static let essential = ["review_minutes", "closed_at"]

    /// The id rule of the mapping, nil when it has none.
    package var idRule: TraceIDRule? {
        if let p = traceIDPattern { return try? TraceIDRule(pattern: p) }
        if let p = traceIDPrefix, !p.isEmpty { return TraceIDRule(prefix: p) }
        return nil
    }
}

/// Maps a trace's ticket id to the help desk's: a prefix stripped, or the one capture of a pattern
/// matched against the whole id. An id the rule does not fit is kept as it is.
package struct TraceIDRule: @unchecked Sendable {
    package let description: String
    private let prefix: String?
    private let regex: Regex<(Substring, Substring)>?

    package init(prefix: String) {
        self.prefix = prefix
        regex = nil
        description = "trace_id_prefix \(Scalars.quoteForMessage(prefix))"
    }

    /// Throws a sentence when the pattern does not compile or has not exactly one capture.
    package init(pattern: String) throws(ConfigReason) {
        do {
            regex = try Regex(pattern, as: (Substring, Substring).self)
        } catch {
            throw ConfigReason("\(Scalars.quoteForMessage(pattern)) is not a pattern with exactly one capture, such as \"Z-(\\\\d+)\" in costper.toml")
        }
        prefix = nil
        description = "trace_id_pattern \(Scalars.quoteForMessage(pattern))"
    }

    /// The help desk's id for a trace's ticket id, or nil when the rule does not fit it.
    package func apply(_ id: String) -> String? {
        if let prefix {
            return id.hasPrefix(prefix) && id.count > prefix.count ? String(id.dropFirst(prefix.count)) : nil
        }
        guard let regex, let m = try? regex.wholeMatch(in: id) else { return nil }
        let capture = String(m.output.1)
        return capture.isEmpty ? nil : capture
    }
}

/// Why a setting's value is refused (the caller names the key).
package struct ConfigReason: Error {
    package var text: String
    package init(_ text: String) { self.text = text }
}

package struct ExportSettings: Equatable, Sendable, Codable {
    package var otlp = OTLPSettings()
    package var litellm = LiteLLMSettings()
    package var langfuse = LangfuseSettings()
    /// nil: no help-desk mapping (tickets come from tickets.csv).
    package var tickets: TicketMapping?
    /// `[tickets] source = "traces"`: no help desk; one ticket per session or conversation id of
    /// the traces, its outcome from the requests' outcome attribute or unknown. nil (or false):
    /// the tickets come from tickets.csv or the help-desk export `[tickets]` maps.
    package var ticketsFromTraces: Bool?
    package var fromTraces: Bool { ticketsFromTraces == true }
    package init() {}

    package static let tableNames = ["otlp", "litellm", "langfuse", "tickets"]

    /// The values of `[tickets] source`.
    package static let ticketSources = ["help_desk", "traces"]

    /// The keys of a help-desk mapping (`[tickets]` but `source`).
    package static let mappingKeys = ["id", "outcome", "status", "tags", "tag_separator", "tenant", "segment", "service_type",
                                      "opened_at", "closed_at", "review_minutes", "default_outcome", "trace_id_prefix",
                                      "trace_id_pattern", "snake_case", "outcome_values", "outcome_rules"]

    /// The keys of each export table, for "did you mean".
    package static let keyNames = ["ticket", "tenant", "endpoint", "prompt_version", "attempt", "cost", "model", "outcome",
                                   "prompt_version_prefix", "input_includes_cached", "source", "value"] + mappingKeys

    /// Reads the export tables of costper.toml; unknown keys inside them are returned (as
    /// `table.key`) for the usual notice.
    package static func parse(_ table: TOMLTable, reader: TOMLReader) throws(ConfigError) -> (ExportSettings, unknown: [String]) {
        var s = ExportSettings()
        var unknown: [String] = []
        func sources(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> [String] {
            if let str = v.string { return str.isEmpty ? [] : [str] }
            if let arr = v.array {
                var out: [String] = []
                for item in arr { out.append(try reader.string(item, key)) }
                return out.filter { !$0.isEmpty }
            }
            throw reader.fail(key, "must be a name in quotes or a list of names")
        }
        func strings(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> [String] {
            if let str = v.string { return [str] }
            if let arr = v.array {
                var out: [String] = []
                for item in arr { out.append(try reader.string(item, key)) }
                return out
            }
            throw reader.fail(key, "must be text in quotes or a list of texts")
        }
        func outcome(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> Outcome {
            let text = try reader.string(v, key)
            guard let o = Outcome.named(text) else {
                throw reader.fail(key, "\(Scalars.quoteForMessage(text)) is not an outcome (\(Outcome.recordedList))")
            }
            return o
        }

        if let v = table["otlp"] {
            let t = try reader.table(v, "otlp")
            for key in t.keys.sorted() {
                let value = t[key]!, name = "otlp.\(key)"
                switch key {
                case "ticket": s.otlp.ticket = try sources(value, name)
                case "tenant": s.otlp.tenant = try sources(value, name)
                case "endpoint": s.otlp.endpoint = try sources(value, name)
                case "prompt_version": s.otlp.promptVersion = try sources(value, name)
                case "attempt": s.otlp.attempt = try sources(value, name)
                case "cost": s.otlp.cost = try sources(value, name)
                case "outcome": s.otlp.outcome = try sources(value, name)
                default: unknown.append(name)
                }
            }
        }
        if let v = table["litellm"] {
            let t = try reader.table(v, "litellm")
            for key in t.keys.sorted() {
                let value = t[key]!, name = "litellm.\(key)"
                switch key {
                case "ticket": s.litellm.ticket = try sources(value, name)
                case "tenant": s.litellm.tenant = try sources(value, name)
                case "endpoint": s.litellm.endpoint = try sources(value, name)
                case "prompt_version": s.litellm.promptVersion = try sources(value, name)
                case "attempt": s.litellm.attempt = try sources(value, name)
                case "model": s.litellm.model = try sources(value, name)
                case "cost": s.litellm.cost = try sources(value, name)
                case "outcome": s.litellm.outcome = try sources(value, name)
                default: unknown.append(name)
                }
            }
        }
        if let v = table["langfuse"] {
            let t = try reader.table(v, "langfuse")
            for key in t.keys.sorted() {
                let value = t[key]!, name = "langfuse.\(key)"
                switch key {
                case "ticket": s.langfuse.ticket = try sources(value, name)
                case "tenant": s.langfuse.tenant = try sources(value, name)
                case "endpoint": s.langfuse.endpoint = try sources(value, name)
                case "prompt_version": s.langfuse.promptVersion = try sources(value, name)
                case "prompt_version_prefix": s.langfuse.promptVersionPrefix = try reader.string(value, name)
                case "attempt": s.langfuse.attempt = try sources(value, name)
                case "model": s.langfuse.model = try sources(value, name)
                case "cost": s.langfuse.cost = try sources(value, name)
                case "input_includes_cached":
                    guard let b = value.bool else { throw reader.fail(name, "must be true or false") }
                    s.langfuse.inputIncludesCached = b
                case "outcome": s.langfuse.outcome = try sources(value, name)
                default: unknown.append(name)
                }
            }
        }
        if let v = table["tickets"], let sv = try reader.table(v, "tickets")["source"] {
            let source = try reader.string(sv, "tickets.source")
            guard ExportSettings.ticketSources.contains(source) else {
                throw reader.fail("tickets.source", "\(Scalars.quoteForMessage(source)) is not a tickets source: \"traces\" (one ticket per session or conversation id of the traces) or \"help_desk\" (tickets.csv, or the help-desk export [tickets] maps; the default)")
            }
            s.ticketsFromTraces = source == "traces" ? true : nil
        }
        if s.fromTraces {
            // The tickets come from the traces: a help-desk mapping's keys would be ignored.
            let t = try reader.table(table["tickets"]!, "tickets")
            for key in t.keys.sorted() where key != "source" {
                guard ExportSettings.mappingKeys.contains(key) else { unknown.append("tickets.\(key)"); continue }
                throw reader.fail("tickets.\(key)", "is a help-desk mapping key, but [tickets] source = \"traces\" builds the tickets from the traces: remove it, or remove source = \"traces\" to read a help-desk export")
            }
        } else if let v = table["tickets"], (try reader.table(v, "tickets")).keys.contains(where: { $0 != "source" }) {
            let t = try reader.table(v, "tickets")
            var m = TicketMapping()
            for key in t.keys.sorted() {
                let value = t[key]!, name = "tickets.\(key)"
                switch key {
                case "source": break
                case "id": m.id = try reader.string(value, name)
                case "outcome": m.outcome = try reader.string(value, name)
                case "status": m.status = try reader.string(value, name)
                case "tags": m.tags = try reader.string(value, name)
                case "tag_separator": m.tagSeparator = try reader.string(value, name)
                case "tenant": m.tenant = try reader.string(value, name)
                case "segment": m.segment = try reader.string(value, name)
                case "service_type": m.serviceType = try reader.string(value, name)
                case "opened_at": m.openedAt = try reader.string(value, name)
                case "closed_at": m.closedAt = try reader.string(value, name)
                case "review_minutes": m.reviewMinutes = try reader.string(value, name)
                case "default_outcome": m.defaultOutcome = try outcome(value, name)
                case "trace_id_prefix": m.traceIDPrefix = try reader.string(value, name)
                case "trace_id_pattern":
                    let p = try reader.string(value, name)
                    do { _ = try TraceIDRule(pattern: p) } catch { throw reader.fail(name, error.text) }
                    m.traceIDPattern = p
                case "snake_case":
                    m.snakeCase = try strings(value, name)
                    for c in m.snakeCase where !["tenant", "segment", "service_type"].contains(c) {
                        throw reader.fail(name, "\(Scalars.quoteForMessage(c)) is not one of tenant, segment, service_type")
                    }
                case "outcome_values":
                    let vt = try reader.table(value, name)
                    for k in vt.keys.sorted() { m.outcomeValues[k.lowercased()] = try outcome(vt[k]!, "\(name).\(k)") }
                case "outcome_rules":
                    guard let arr = value.array else { throw reader.fail(name, "must be a list of rules ([[tickets.outcome_rules]])") }
                    for (i, item) in arr.enumerated() {
                        let rn = "\(name)[\(i + 1)]"
                        let rt = try reader.table(item, rn)
                        guard let ov = rt["outcome"] else { throw reader.fail(rn, "names no outcome") }
                        var rule = OutcomeRule(outcome: try outcome(ov, "\(rn).outcome"))
                        for rk in rt.keys.sorted() {
                            switch rk {
                            case "outcome": break
                            case "tag", "tags": rule.tags = try strings(rt[rk]!, "\(rn).\(rk)").map { $0.lowercased() }
                            case "status": rule.statuses = try strings(rt[rk]!, "\(rn).\(rk)").map { $0.lowercased() }
                            case "value": rule.values = try strings(rt[rk]!, "\(rn).\(rk)").map { $0.lowercased() }
                            default: unknown.append("\(rn).\(rk)")
                            }
                        }
                        m.rules.append(rule)
                    }
                default: unknown.append(name)
                }
            }
            // A misspelled key (`sorce`, `idd`) is named as such before what the mapping lacks.
            if m.id.isEmpty && unknown.contains(where: { $0.hasPrefix("tickets.") }) { return (s, unknown) }
            guard !m.id.isEmpty else { throw reader.fail("tickets.id", "is required: the column holding the ticket id") }
            guard m.outcome != nil || !m.rules.isEmpty || m.defaultOutcome != nil else {
                throw reader.fail("tickets", "says nothing about the outcome: give outcome (a column), outcome_rules or default_outcome")
            }
            if m.traceIDPrefix != nil && m.traceIDPattern != nil {
                throw reader.fail("tickets.trace_id_pattern", "and tickets.trace_id_prefix are both given: keep one id rule")
            }
            if m.rules.contains(where: { !$0.statuses.isEmpty }) && m.status == nil {
                throw reader.fail("tickets.status", "is needed: an outcome rule tests the status")
            }
            if m.rules.contains(where: { !$0.tags.isEmpty }) && m.tags == nil {
                throw reader.fail("tickets.tags", "is needed: an outcome rule tests tags")
            }
            if m.rules.contains(where: { !$0.values.isEmpty }) && m.outcome == nil {
                throw reader.fail("tickets.outcome", "is needed: an outcome rule tests the outcome column's value")
            }
            s.tickets = m
        }
        return (s, unknown)
    }
}
