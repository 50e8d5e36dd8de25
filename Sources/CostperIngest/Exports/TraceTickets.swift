// The tickets of a month without a help desk (costper.toml `[tickets] source = "traces"`): one
// ticket per distinct ticket id of the traces' requests (a LiteLLM session_id, an OpenTelemetry
// gen_ai.conversation.id, a Langfuse session), with
// - its outcome: that of its latest request (by time; a tie goes to the later record) carrying
//   the mapped outcome attribute (`[litellm] outcome`, `[otlp] outcome`, `[langfuse] outcome`),
//   else `unknown`, which never counts as resolved. A value outside the vocabulary rejects its
//   request (`file:line: field: reason`), as a bad value of requests.csv does;
// - opened_at and closed_at: its first and last request's times (its month is its last request's);
// - its tenant: that of its first request naming one;
// - no review minutes: human review is not measured (the report says so, never $0).
import CostperMoney
import CostperVocabulary


/// What building the tickets from the traces found, for the report's sentence.
package struct TraceTicketSummary: Sendable, Equatable {
    /// Tickets built.
    package var tickets = 0
    /// Tickets none of whose requests carries an outcome (outcome unknown).
    package var withoutOutcome = 0
    /// Tickets whose requests name more than one outcome (the latest request's is taken).
    package var disagreeing = 0
    /// Requests rejected for an outcome outside the vocabulary.
    package var badOutcomes = 0
    /// Requests with no ticket id (kept, counted as requests without a ticket).
    package var withoutTicket = 0
}

package enum TraceTickets {
    /// The reader label the data-quality table gives the built tickets.
    package static let reader = "the traces' session ids → tickets"

    /// Builds the tickets from the requests of `exports` (requests with a bad outcome move to the
    /// export's rejects). `ticketField` names the ticket id's source in rejects.
    package static func build(_ exports: inout [AdaptedExport<RequestRecord>], ticketField: String) -> (AdaptedExport<TicketRecord>, TraceTicketSummary) {
        struct Ticket {
            var id: String
            var first: Int64, firstText: String
            var last: Int64, lastText: String, lastOrigin: RecordOrigin
            var outcome: Outcome?, outcomeAt: Int64 = .min
            var named: Set<Outcome> = []
            var tenant = "", tenantAt: Int64 = .max
        }
        var summary = TraceTicketSummary()
        var tickets: [Ticket] = []
        var index: [String: Int] = [:]
        for e in exports.indices {
            var kept: [RequestRecord] = []
            kept.reserveCapacity(exports[e].records.count)
            for var r in exports[e].records {
                var outcome: Outcome?
                let raw = r.outcome.trimmingSpaces
                if !raw.isEmpty && raw.lowercased() != Outcome.unknown.rawValue {
                    guard let o = Outcome.named(raw.lowercased()) else {
                        let note = r.origin.label.isEmpty ? "" : " (\(r.origin.label))"
                        exports[e].rejects.append(Reject(file: r.origin.file, line: r.origin.line, column: r.outcomeField,
                                                         reason: "\(Scalars.quoteForMessage(raw)) is not an outcome (\(Outcome.recordedList))\(note)"))
                        summary.badOutcomes += 1
                        continue
                    }
                    outcome = o
                }
                r.outcome = outcome?.rawValue ?? ""
                kept.append(r)
                let id = r.ticketID.trimmingSpaces
                guard !id.isEmpty else { summary.withoutTicket += 1; continue }
                // A request whose time cannot be read is rejected by the requests' rules: it
                // dates no ticket.
                guard let at = ExportText.epochNanos(r.timestamp) else { continue }
                let i: Int
                if let known = index[id] {
                    i = known
                } else {
                    i = tickets.count
                    index[id] = i
                    tickets.append(Ticket(id: id, first: at, firstText: r.timestamp, last: at, lastText: r.timestamp, lastOrigin: r.origin))
                }
                if at < tickets[i].first { tickets[i].first = at; tickets[i].firstText = r.timestamp }
                if at >= tickets[i].last { tickets[i].last = at; tickets[i].lastText = r.timestamp; tickets[i].lastOrigin = r.origin }
                if let outcome {
                    tickets[i].named.insert(outcome)
                    if at >= tickets[i].outcomeAt { tickets[i].outcome = outcome; tickets[i].outcomeAt = at }
                }
                let tenant = r.tenant.trimmingSpaces
                if !tenant.isEmpty && at < tickets[i].tenantAt { tickets[i].tenant = tenant; tickets[i].tenantAt = at }
            }
            exports[e].records = kept
        }
        let names = exports.map(\.file)
        // Named apart from the files themselves: the data-quality table and the manifest give
        // each file its own rows read.
        var out = AdaptedExport<TicketRecord>(file: "tickets from " + names.joined(separator: ", "), format: .traceTickets,
                                              encoding: exports.first?.encoding ?? "JSON")
        out.fieldNames = ["ticket_id": ticketField, "outcome": "outcome", "closed_at": "timestamp", "opened_at": "timestamp"]
        out.records.reserveCapacity(tickets.count)
        for t in tickets {
            var v = TicketRecord(origin: RecordOrigin(file: t.lastOrigin.file, line: t.lastOrigin.line, label: t.lastOrigin.label))
            v.ticketID = t.id
            v.outcome = (t.outcome ?? .unknown).rawValue
            v.tenant = t.tenant
            v.openedAt = t.firstText
            v.closedAt = t.lastText
            out.records.append(v)
            if t.outcome == nil { summary.withoutOutcome += 1 }
            if t.named.count > 1 { summary.disagreeing += 1 }
        }
        summary.tickets = tickets.count
        return (out, summary)
    }
}
