@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

/// Reading on several threads gives exactly what one thread gives: totals, breakdowns, rejects
/// and their line numbers, also when a cut falls inside a quoted field that spans lines.
@Suite struct ParallelIngestTests {
    let tickets = "ticket_id,outcome,tenant,closed_at\n" + (0..<50).map { "T\($0),\($0 % 3 == 0 ? "escalated" : "auto_resolved"),Tenant \($0 % 7),2026-10-10T10:00:00Z" }.joined(separator: "\n") + "\n"

    func requests(multiline: Bool) -> String {
        var s = "timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,output_tokens,cost_usd,attempt,status\n"
        for i in 0..<3000 {
            let ticket = i % 53 == 0 ? "ORPHAN\(i % 5)" : "T\(i % 50)"
            var endpoint = "support.reply"
            if multiline && i % 400 == 17 { endpoint = "\"multi\nline \"\"endpoint\"\"\n\(String(repeating: "x", count: 300))\"" }
            let cost = i % 97 == 0 ? "12abc" : "0.00\(i % 10)\(i % 7)"
            s += "2026-10-0\(1 + i % 9)T\(10 + i % 10):00:00Z,\(ticket),New tenant \(i % 11),\(endpoint),m\(i % 4),v\(i % 3),llm,\(i),\(i % 100),\(cost),\(1 + i % 2),\(i % 13 == 0 ? "error" : "ok")\n"
        }
        return s
    }

    func read(_ text: String, workers: Int) throws -> (RequestLedger, Dimension) {
        let t = Buffer("tickets.csv", tickets)
        let book = try TicketBook.read(t.input)
        let r = Buffer("requests.csv", text)
        var ledger = RequestLedger(month: Month("2026-10")!, tickets: book.count, tenants: book.tenants.count)
        var tenants = book.tenants
        try RequestReader(month: ledger.month, prices: PriceCatalog(), tickets: book)
            .readAll(r.input, into: &ledger, tenants: &tenants, workers: workers, splitAbove: 1)
        return (ledger, tenants)
    }

    @Test(arguments: [false, true])
    func severalWorkersGiveWhatOneGives(multiline: Bool) throws {
        let text = requests(multiline: multiline)
        let (one, oneTenants) = try read(text, workers: 1)
        #expect(one.rejects.count > 20)
        for workers in [2, 3, 7, 16] {
            let (many, manyTenants) = try read(text, workers: workers)
            #expect(many.byCategory == one.byCategory)
            #expect(many.requests == one.requests)
            #expect(many.rowsRead == one.rowsRead)
            #expect(many.rejects.sorted() == one.rejects.sorted(), "workers \(workers)")
            #expect(many.ticketUsage.map(\.cost) == one.ticketUsage.map(\.cost))
            #expect(many.ticketUsage.map(\.requests) == one.ticketUsage.map(\.requests))
            #expect(many.ticketUsage.map(\.firstRequest) == one.ticketUsage.map(\.firstRequest))
            #expect(many.orphanRequests == one.orphanRequests && many.orphanCost == one.orphanCost)
            #expect(many.orphanTickets.count == one.orphanTickets.count)
            #expect(many.hourlyRequests == one.hourlyRequests && many.hourlyErrors == one.hourlyErrors)
            func byLabel(_ d: Dimension, _ u: [UsageTotals]) -> [String: UsageTotals] {
                Dictionary(uniqueKeysWithValues: u.indices.filter { u[$0].requests > 0 }.map { (d.label($0), u[$0]) })
            }
            #expect(byLabel(many.models, many.byModel) == byLabel(one.models, one.byModel))
            #expect(byLabel(many.endpoints, many.byEndpoint) == byLabel(one.endpoints, one.byEndpoint))
            #expect(byLabel(many.promptVersions, many.byPromptVersion) == byLabel(one.promptVersions, one.byPromptVersion))
            #expect(byLabel(manyTenants, many.orphanByTenant) == byLabel(oneTenants, one.orphanByTenant))
            #expect(many.ticketRequestTenant.map { manyTenants.label(Int($0)) } == one.ticketRequestTenant.map { oneTenants.label(Int($0)) })
        }
    }

    @Test func aCutInsideAQuotedFieldFallsBackAndStaysExact() throws {
        // One huge quoted multi-line field in the middle of the file: every cut lands inside it.
        var text = "timestamp,ticket_id,endpoint,kind,cost_usd,note\n"
        for i in 0..<10 { text += "2026-10-02T10:00:00Z,T\(i),e,llm,0.1,\n" }
        text += "2026-10-02T10:00:00Z,T1,e,llm,0.2,\"" + String(repeating: "line\n", count: 2000) + "\"\n"
        for i in 0..<10 { text += "2026-10-02T10:00:00Z,T\(i),e,llm,bad,\n" }
        let (one, _) = try read(text, workers: 1)
        let (many, _) = try read(text, workers: 4)
        #expect(many.byCategory == one.byCategory)
        #expect(one.total == Money(nanos: 1_200_000_000))
        #expect(many.rejects == one.rejects)
        #expect(one.rejects.first!.line == 2013, "\(one.rejects.first!.message)")
    }
}

/// The parallel reader on a time-ordered month (tickets interleaved, quoted tenant names): the
/// same ledger on one thread and on several.
@Suite struct TimeOrderedIngestTests {
    @Test func severalWorkersGiveWhatOneGivesOnATimeOrderedMonth() throws {
        var files: [SampleFile: [UInt8]] = [:]
        try SampleMonth.generate(SampleSpec(tickets: 2_000, order: .time)) { file, bytes in files[file, default: []] += Array(bytes) }
        let book = try TicketBook.read(InputBuffer(name: "tickets.csv", bytes: files[.tickets]!))
        let requests = InputBuffer(name: "requests.csv", bytes: files[.requests]!)
        func read(_ workers: Int) throws -> RequestLedger {
            var ledger = RequestLedger(month: Month("2026-10")!, tickets: book.count, tenants: book.tenants.count)
            var tenants = book.tenants
            try RequestReader(month: ledger.month, prices: PriceCatalog(), tickets: book)
                .readAll(requests, into: &ledger, tenants: &tenants, workers: workers, splitAbove: 1)
            return ledger
        }
        let one = try read(1)
        #expect(one.requests > 7_000 && !one.rejects.isEmpty)   // rows without cost_usd meet an empty catalog
        for workers in [2, 4] {
            let many = try read(workers)
            #expect(many.byCategory == one.byCategory && many.requests == one.requests && many.ticketUsage.map(\.cost) == one.ticketUsage.map(\.cost))
            #expect(many.rejects.map(\.line).sorted() == one.rejects.map(\.line).sorted())
        }
    }
}
