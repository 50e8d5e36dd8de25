// Which file of the input folder is what, by content; the foreign ones through their adapter into
// request and ticket records; then the usual MonthInput, which reads files and records by the same
// rules and gives each source its own line in the data-quality table.
import CostperMoney
import CostperIngest
import CostperVocabulary
import Foundation

extension ExportFormat {
    /// The format a file's content shows (its first record's keys, or its CSV header); nil when
    /// it is none costper knows.
    package static func detect(_ input: InputBuffer, settings: ExportSettings) -> ExportFormat? {
        if looksLikeJSON(input) {
            var parser = JSONParser(input)
            guard let first = parser.firstRecord(), let members = first.members else { return nil }
            let keys = Set(members.map(\.key))
            if keys.contains("resourceSpans") { return .otlp }
            if keys.isSuperset(of: ["request_id", "call_type", "spend"]) { return .litellm }
            if keys.isSuperset(of: ["trace_id", "type"]) && (keys.contains("usage_details") || keys.contains("usage")) { return .langfuse }
            if keys.isSuperset(of: ["timestamp", "ticket_id", "kind"]) { return .requests }
            if TicketCostsFile.matches(Array(keys)) { return .ticketCosts }
            if keys.isSuperset(of: ["ticket_id", "outcome"]) { return .tickets }
            if keys.contains("sample_spec") || members.contains(where: { $0.value["input_cost_per_token"] != nil }) { return .litellmPrices }
            return nil
        }
        var reader = CSVRecordReader(buffer: input.bytes)
        var fields = FieldList()
        guard let header = try? HeaderMap.read(&reader, fields: &fields, file: input.name, required: [], known: []) else { return nil }
        let cols = Set(header.columns)
        if FocusBill.matches(header.columns) { return .focus }
        if let m = settings.tickets, HelpdeskTickets.matches(header.columns, m) { return .helpdesk }
        if cols.isSuperset(of: ["request_id", "call_type", "spend"]) { return .litellm }
        if cols.isSuperset(of: ["trace_id", "type", "usage_details"]) { return .langfuse }
        if cols.isSuperset(of: ["timestamp", "ticket_id", "kind"]) { return .requests }
        if TicketCostsFile.matches(header.columns) { return .ticketCosts }
        if cols.isSuperset(of: ["ticket_id", "outcome"]) { return .tickets }
        if cols.isSuperset(of: ["model", "input_per_mtok_usd"]) { return .priceCSV }
        if cols.isSuperset(of: ["month", "category", "amount_usd"]) { return .fixedCosts }
        if cols.isSuperset(of: ["month", "domain", "volume"]) { return .forecast }
        return nil
    }

    /// The role a file's name gives it (the canonical names keep their meaning, and their
    /// messages, whatever their content lacks).
    static func byName(_ name: String) -> ExportFormat? {
        switch (name as NSString).lastPathComponent.lowercased() {
        case "tickets.csv", "tickets.jsonl": return .tickets
        case "requests.csv", "requests.jsonl": return .requests
        case "ticket_costs.csv", "ticket_costs.jsonl": return .ticketCosts
        default: return nil
        }
    }
}

package enum ExportIngest {
    /// Applies the help desk's id rule to the ticket ids of a trace export, and says what it did.
    static func mapTicketIDs(_ e: inout AdaptedExport<RequestRecord>, rule: TraceIDRule, tickets: String) -> String {
        var mapped = 0, kept = 0
        var last: (from: String, to: String?)?
        var examples: [String] = []
        for i in e.records.indices where !e.records[i].ticketID.isEmpty {
            let id = e.records[i].ticketID
            let to: String?
            if let last, last.from == id { to = last.to } else { to = rule.apply(id); last = (id, to) }
            if let to {
                e.records[i].ticketID = to
                mapped += 1
            } else {
                kept += 1
                if examples.count < 3, !examples.contains(id) { examples.append(id) }
            }
        }
        var sentence = "\(e.file): ticket ids mapped to \(tickets)'s by costper.toml [tickets] \(rule.description): \(mapped) requests"
        if kept > 0 {
            sentence += "; \(kept) requests' ids the rule does not fit were kept as they are (\(examples.map(Scalars.quoteForMessage).joined(separator: ", ")))"
        }
        return sentence
    }

    /// Reads a month from the data files of an input folder, whatever mix of canonical files and
    /// foreign exports it holds: exactly one tickets source (tickets.csv or a help-desk export
    /// mapped in [tickets]) and at least one requests source (requests.csv, OTLP/JSON traces,
    /// LiteLLM spend logs, Langfuse observations).
    package static func accounts(sources: [InputBuffer], fixedCosts: InputBuffer?, config: CostperConfig, prices: PriceCatalog,
                                month: Month?, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                                invoices: InputBuffer? = nil) throws(CostperError) -> MonthAccounts {
        var ticketSources: [(InputBuffer, ExportFormat)] = []
        var requestSources: [(InputBuffer, ExportFormat)] = []
        var notices: [String] = []
        var ticketCostSources: [InputBuffer] = []
        var focusSources: [InputBuffer] = []
        for s in sources {
            let named = ExportFormat.byName(s.name)
            var format = ExportFormat.detect(s, settings: config.exports)
            // A canonical name keeps its role unless the content is clearly a foreign export.
            if let named, format == nil || format == .requests || format == .tickets || format == .ticketCosts { format = named }
            guard let format else {
                throw CostperError(.badData, "\(s.name): costper cannot tell what this file holds. It reads requests (CSV/JSON Lines with timestamp, ticket_id, kind), "
                    + "tickets (ticket_id, outcome), OTLP/JSON traces (resourceSpans), LiteLLM spend logs (request_id, call_type, spend), "
                    + "Langfuse observations (trace_id, type, usage_details)"
                    + (config.exports.tickets.map { ", and the help-desk export mapped in costper.toml [tickets] (id column \(Scalars.quoteForMessage($0.id)))" }
                       ?? ", and help-desk exports mapped in costper.toml [tickets]")
                    + "; move other files out of the input folder")
            }
            if format == .focus { focusSources.append(s) }
            else if format == .ticketCosts { ticketCostSources.append(s) }
            else if format.isTickets { ticketSources.append((s, format)) }
            else if format.isRequests { requestSources.append((s, format)) }
            else {
                let hint = format == .litellmPrices || format == .priceCSV ? " (give it with --prices to use it)" : " (costper reads fixed_costs.csv and forecast.csv by those names)"
                notices.append("\(s.name): looks like \(format.label); not read as the month's data\(hint)")
            }
        }
        // A ticket-level export (costs summed per ticket) replaces tickets and requests.
        if let tc = ticketCostSources.first {
            if config.exports.fromTraces {
                throw CostperError(.badData, "costper.toml [tickets] source = \"traces\" builds the tickets from the traces, but this is a ticket-level export (its tickets and costs summed): remove source = \"traces\" to read it, or give the traces instead", at: InputLocation(file: tc.name))
            }
            guard config.currency == "USD" else {
                throw CostperError(.badData, "currency = \"\(config.currency)\": a ticket-level export is reported in USD only; report its month in USD, or give the request-level files", at: InputLocation(file: tc.name))
            }
            let others = ticketCostSources.dropFirst().map(\.name) + ticketSources.map(\.0.name) + requestSources.map(\.0.name)
            guard others.isEmpty else {
                throw CostperError(.badData, "a ticket-level export replaces tickets and requests files, but the folder also holds \(others.joined(separator: ", ")); keep one form of the month", at: InputLocation(file: tc.name))
            }
            var a = try TicketCostsFile.accounts(tc, fixedCosts: fixedCosts, config: config, month: month).entries
            try a.priceRoutes(config.routes ?? [], prices: prices, rate: nil)
            a.notices += notices + prices.notes
            for f in focusSources + [invoices].compactMap({ $0 }) {
                a.notices.append("\(f.name): not read: FOCUS bills and invoices are read with request-level months (requests and tickets), not a ticket-level export")
            }
            if let w = FocusOverlap.rulesWithoutFocus(config, focusFiles: 0) { a.warnings.append(w); a.notices.append(w) }
            return MonthAccounts(a)
        }
        if config.exports.fromTraces {
            return try tracesAccounts(ticketSources: ticketSources.map(\.0), requestSources: requestSources, fixedCosts: fixedCosts, config: config,
                                      prices: prices, month: month, workers: workers, focus: focusSources, invoices: invoices, notices: notices)
        }
        guard let ticketSource = ticketSources.first else {
            if requestSources.contains(where: { $0.1 != .requests }) {
                throw CostperError(.notFound, "tickets.csv or tickets.jsonl: not found (one row per ticket), and no help-desk export matches a [tickets] mapping in costper.toml. "
                    + "Without a help desk, set [tickets] source = \"traces\" in costper.toml: one ticket per session or conversation id of the traces, "
                    + "its outcome from the traces (or unknown), human review not measured; see docs/exports.md")
            }
            throw CostperError(.notFound, "tickets.csv or tickets.jsonl: not found (one row per ticket), and no help-desk export matches a [tickets] mapping in costper.toml; see docs/inputs.md")
        }
        if ticketSources.count > 1 {
            throw CostperError(.badData, "\(ticketSources.map(\.0.name).joined(separator: " and ")): more than one tickets file; costper reads one (move the others out of the input folder)")
        }
        guard !requestSources.isEmpty else {
            throw CostperError(.notFound, "requests.csv or requests.jsonl: not found (one row per billable request), nor OTLP/JSON traces, LiteLLM spend logs or Langfuse observations; see docs/inputs.md")
        }

        // Foreign files -> request and ticket records, read by the same rules as the canonical files.
        let tickets: TicketInput
        var adapterNotices: [String] = []
        if ticketSource.1 == .helpdesk {
            let e = try HelpdeskTickets.tickets(ticketSource.0, mapping: config.exports.tickets!)
            adapterNotices += e.notices
            tickets = .records(e)
        } else {
            tickets = .file(ticketSource.0)
        }
        var requests: [RequestInput] = []
        let idRule = ticketSource.1 == .helpdesk ? config.exports.tickets?.idRule : nil
        for (s, f) in requestSources {
            var e: AdaptedExport<RequestRecord>
            switch f {
            case .otlp: e = try OTLPTraces.requests(s, settings: config.exports.otlp)
            case .litellm: e = try LiteLLMSpendLogs.requests(s, settings: config.exports.litellm)
            case .langfuse: e = try LangfuseObservations.requests(s, settings: config.exports.langfuse)
            default:
                if let idRule {
                    adapterNotices.append("\(s.name): costper.toml [tickets] \(idRule.description) is not applied to it: a requests file's ticket_id is the tickets' own id (the id rule maps the ids of traces: OTLP, LiteLLM, Langfuse)")
                }
                requests.append(.file(s))
                continue
            }
            if let idRule { adapterNotices.append(mapTicketIDs(&e, rule: idRule, tickets: ticketSource.0.name)) }
            adapterNotices += e.notices
            requests.append(.records(e))
        }

        var a = try MonthInput.accounts(tickets: tickets, requests: requests, fixedCosts: fixedCosts,
                                        config: config, prices: prices, month: month, workers: workers,
                                        focus: focusSources, invoices: invoices).entries
        // Notices: what each adapter read and skipped, files not read, the price catalog's notes.
        a.notices += adapterNotices + notices + prices.notes
        return MonthAccounts(a)
    }

    /// A month without a help desk (`[tickets] source = "traces"`): the tickets are built from
    /// the traces' requests (TraceTickets), then the month closes as any other.
    static func tracesAccounts(ticketSources: [InputBuffer], requestSources: [(InputBuffer, ExportFormat)], fixedCosts: InputBuffer?,
                               config: CostperConfig, prices: PriceCatalog, month: Month?, workers: Int,
                               focus: [InputBuffer], invoices: InputBuffer?, notices: [String]) throws(CostperError) -> MonthAccounts {
        if let t = ticketSources.first {
            throw CostperError(.badData, "\(ticketSources.map(\.name).joined(separator: " and ")): costper.toml [tickets] source = \"traces\" builds the tickets from the traces, "
                + "but the folder also holds a tickets file; move it out of the input folder, or remove source = \"traces\" to read it", at: InputLocation(file: t.name))
        }
        guard !requestSources.isEmpty else {
            throw CostperError(.notFound, "costper.toml [tickets] source = \"traces\": no traces in the input folder (OTLP/JSON traces, LiteLLM spend logs or Langfuse observations); see docs/exports.md")
        }
        if let r = requestSources.first(where: { $0.1 == .requests }) {
            throw CostperError(.badData, "\(r.0.name): costper.toml [tickets] source = \"traces\" builds the tickets from OTLP/JSON traces, LiteLLM spend logs or Langfuse observations, "
                + "whose requests can carry an outcome; a requests file carries none: give tickets.csv with it (and remove source = \"traces\"), or export the traces", at: InputLocation(file: r.0.name))
        }
        var exports: [AdaptedExport<RequestRecord>] = []
        var described: [String] = []
        func list(_ names: [String]) -> String { names.map { Scalars.quoteForMessage($0) }.joined(separator: " or ") }
        for (s, f) in requestSources {
            switch f {
            case .otlp:
                exports.append(try OTLPTraces.requests(s, settings: config.exports.otlp))
                described.append("\(s.name): ticket \(list(config.exports.otlp.ticket)), outcome \(list(config.exports.otlp.outcomeSources)) ([otlp])")
            case .litellm:
                exports.append(try LiteLLMSpendLogs.requests(s, settings: config.exports.litellm))
                described.append("\(s.name): ticket \(list(config.exports.litellm.ticket)), outcome \(list(config.exports.litellm.outcomeSources)) ([litellm])")
            default:
                exports.append(try LangfuseObservations.requests(s, settings: config.exports.langfuse))
                described.append("\(s.name): ticket \(list(config.exports.langfuse.ticket)), outcome \(list(config.exports.langfuse.outcomeSources)) ([langfuse])")
            }
        }
        let ticketField = exports.first?.sourceName("ticket_id") ?? "ticket_id"
        let (tickets, found) = TraceTickets.build(&exports, ticketField: ticketField)
        var a = try MonthInput.accounts(tickets: .records(tickets), requests: exports.map { .records($0) }, fixedCosts: fixedCosts,
                                        config: config, prices: prices, month: month, workers: workers, focus: focus, invoices: invoices).entries
        let unknown = a.outcomes[.unknown] ?? 0
        var sentence = "The tickets and their outcomes come from the traces, not from a help desk (costper.toml [tickets] source = \"traces\"): "
            + "one ticket per ticket id of the requests (\(described.joined(separator: "; "))); a ticket's outcome is that of its latest request carrying one, "
            + "its month that of its last request. "
        sentence += unknown == 0 ? "Every ticket of the month has an outcome in its traces."
            : "\(Show.count(unknown)) of \(Show.count(a.tickets)) \(a.tickets == 1 ? "ticket" : "tickets") of the month \(unknown == 1 ? "has" : "have") no outcome in \(unknown == 1 ? "its" : "their") requests: outcome unknown, never counted as resolved."
        if found.disagreeing > 0 {
            sentence += " \(Show.count(found.disagreeing)) \(found.disagreeing == 1 ? "ticket's requests name" : "tickets' requests name") more than one outcome: the latest request's is taken."
        }
        if found.badOutcomes > 0 {
            sentence += " \(Show.count(found.badOutcomes)) \(found.badOutcomes == 1 ? "request names" : "requests name") an outcome outside the vocabulary and \(found.badOutcomes == 1 ? "is" : "are") rejected."
        }
        a.outcomesFromTraces = sentence
        a.humanReviewNotMeasured = "the tickets come from the traces (costper.toml [tickets] source = \"traces\"), which record no human review"
        let short = "Outcomes come from the traces (costper.toml [tickets] source = \"traces\"), not a help desk: "
            + (unknown == 0 ? "every ticket has one" : "\(Show.count(unknown)) of \(Show.count(a.tickets)) tickets unknown (never resolved)")
            + (found.disagreeing > 0 ? "; \(Show.count(found.disagreeing)) with more than one outcome (the latest request's taken)" : "") + "; see the method."
        var adapterNotices = [short]
        for e in exports { adapterNotices += e.notices }
        a.notices = adapterNotices + a.notices + notices + prices.notes
        return MonthAccounts(a)
    }
}
