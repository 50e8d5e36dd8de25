@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

/// The hand-computed month of Tests/Fixtures/tiny (3 tickets, 8 requests, one fixed cost,
/// one escalation with 6 review minutes). Every figure below was worked out by hand:
///   model     = 0.000325 (T1 priced: 1000 × $0.20/M + 100 × $1.25/M) + 0.00305 + 0.015 = 0.018375
///   retries   = 0.002 (failed attempt 1) + 0.004 (attempt 2) = 0.006
///   embeddings 0.000001; vector_db 0.0005; integrations 0.01
///   human_review = 6 min × $60,000 / (1,800 h × 60) = 3.333333333 (rounded to the nano-dollar)
///   infrastructure = 30.00
///   total = 33.368209333; resolved = 2 -> 16.6841046665 per resolved ticket; 3 tickets -> 11.122736444…
@Suite struct TinyMonthTests {
    func tiny() throws -> MonthAccounts {
        let dir = fixture("tiny")
        let prices = PriceCatalog([ModelPrice(model: "gpt-5.4-nano", inputPerMTok: Money(nanos: 200_000_000), outputPerMTok: Money(nanos: 1_250_000_000)),
                                   ModelPrice(model: "claude-haiku-4.5", inputPerMTok: Money(dollars: 1), outputPerMTok: Money(dollars: 5),
                                              cacheReadPerMTok: Money(nanos: 100_000_000))])
        let t = Buffer(file: dir.appendingPathComponent("tickets.csv"))
        let r = Buffer(file: dir.appendingPathComponent("requests.csv"))
        let f = Buffer(file: dir.appendingPathComponent("fixed_costs.csv"))
        let cfg = try CostperConfig.parse(String(contentsOf: dir.appendingPathComponent("costper.toml"), encoding: .utf8))
        return try MonthInput.accounts(files: MonthFiles(tickets: t.input, requests: [r.input], fixedCosts: f.input), config: cfg,
                                       prices: prices, month: nil)
    }

    @Test func everyFigure() throws {
        let a = try tiny()
        #expect(a.month.description == "2026-10")
        #expect(a.config.company == "Tiny Co")
        #expect(a.tickets == 3)
        #expect(a.resolvedTickets == 2)
        #expect(a.requests == 8)
        #expect(a.outcomes == [.auto_resolved: 2, .escalated: 1, .deflected: 0, .abandoned: 0])
        #expect(a.costByCategory[.model] == Money(nanos: 18_375_000))
        #expect(a.costByCategory[.retries] == Money(nanos: 6_000_000))
        #expect(a.costByCategory[.embeddings] == Money(nanos: 1_000))
        #expect(a.costByCategory[.vector_db] == Money(nanos: 500_000))
        #expect(a.costByCategory[.human_review] == Money(nanos: 3_333_333_333))
        #expect(a.costByCategory[.observability] == .zero)
        #expect(a.costByCategory[.integrations] == Money(nanos: 10_000_000))
        #expect(a.costByCategory[.infrastructure] == Money(dollars: 30))
        #expect(a.total == Money(nanos: 33_368_209_333))
        #expect(a.costPerResolved!.formatted(decimals: 6) == "16.684105")
        #expect(a.costPerTicket!.formatted(decimals: 6) == "11.122736")
        #expect(a.hiddenShare!.formatted(decimals: 6) == "0.999449")
        #expect(a.savingsShare!.formatted(decimals: 6) == "-1.085513")
        #expect(a.pricedFromCatalog == 1)
        #expect(a.rejects.isEmpty)
        #expect(a.orphanRequests == 0)
        #expect(a.reviewMinutes == Quotient(6))
    }

    @Test func everyBreakdownAddsUpToTheTotalExactly() throws {
        let a = try tiny()
        #expect(Money(nanos: a.costByCategory.values.reduce(0) { $0 + $1.nanos }) == a.total)
        for t in a.attribution {
            #expect(t.total == a.total, "by \(t.dimension) adds up to \(t.total), not \(a.total)")
        }
        #expect(Money(nanos: a.outcomeCost.values.reduce(0) { $0 + $1.nanos }) == a.total)
    }

    @Test func tenantsAndOutcomesAreAttributed() throws {
        let a = try tiny()
        let tenants = a.table(.tenant)!.rows
        #expect(tenants.map(\.label) == ["Globex", "Acme, Inc."])
        // Acme: T1 requests 0.003376 + a third of $30 (the first ticket takes the spare nano-dollar: 30/3 is exact).
        #expect(tenants[1].cost == Money(nanos: 3_376_000 + 10_000_000_000))
        #expect(tenants[0].tickets == 2 && tenants[0].resolved == 1)
        #expect(a.outcomeCost[.escalated] == Money(nanos: 6_500_000 + 3_333_333_333 + 10_000_000_000))
        let models = a.table(.model)!.rows
        #expect(models.first!.label == "(human review and fixed costs)")
        #expect(models.first!.cost == Money(nanos: 33_333_333_333))
    }
}

@Suite struct RejectionTests {
    let header = "timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,cached_input_tokens,output_tokens,cost_usd,attempt,status,latency_ms\n"
    let tickets = "ticket_id,outcome,closed_at\nT1,auto_resolved,2026-10-02T10:00:00Z\nT1,escalated,2026-10-02T10:00:00Z\nT2,resolved_somehow,2026-10-02T10:00:00Z\n"

    @Test func everyBadRowIsRejectedWithFileLineColumnAndReason() throws {
        let rows = [
            "2026-10-02T09:00:00Z,T1,,,m,,llm,10,,5,abc,,,",           // line 2: cost not a number
            "2026-10-02T09:00:00Z,T1,,,m,,llm,10,,5,-0.5,,,",          // line 3: negative
            "2026-10-02T09:00:00Z,T1,,,m,,llm,1.5,,5,0.1,,,",          // line 4: tokens not whole
            "not a time,T1,,,m,,llm,10,,5,0.1,,,",                     // line 5
            "2026-10-02T09:00:00Z,T1,,,m,,chat,10,,5,0.1,,,",          // line 6: kind
            "2026-10-02T09:00:00Z,T1,,,unknown-model,,llm,10,,5,,,,",  // line 7: unknown model, no cost
            "2026-10-02T09:00:00Z,T1,,,m,,llm,10,20,5,0.1,,,",         // line 8: cached > input
            "2026-10-02T09:00:00Z,T1,,,m,,llm,10,,5,0.1,0,,",          // line 9: attempt 0
            "2026-10-02T09:00:00Z,T1,,,m,,llm,10,,5,0.1,,maybe,",      // line 10: status
            "2026-10-02T09:00:00Z,T1,,,m,,llm,10,,5,NaN,,,",           // line 11
            "2026-10-02T09:00:00Z,T1,,,m,,llm,10,,5,0.1,,",            // line 12: ragged
            "2026-10-02T09:00:00Z,T1,,,m,,llm,10,,5,0.25,,,",          // line 13: fine
            "2026-11-02T09:00:00Z,T1,,,m,,llm,10,,5,0.25,,,",          // line 14: outside the month
            "2026-10-02T09:00:00Z,T9,,,m,,llm,10,,5,0.5,,,",           // line 15: orphan, kept
        ]
        let a = try month(tickets: tickets, requests: header + rows.joined(separator: "\n") + "\n")
        let messages = a.rejects.map(\.message)
        #expect(messages == [
            "requests.csv:2: cost_usd: \"abc\" is not a number",
            "requests.csv:3: cost_usd: \"-0.5\" is negative",
            "requests.csv:4: input_tokens: \"1.5\" is not a whole number",
            "requests.csv:5: timestamp: \"not a time\" is not an ISO-8601 timestamp (e.g. 2026-10-03T14:22:05Z)",
            "requests.csv:6: kind: \"chat\" is not a kind (llm, embedding, vector_db, integration, observability)",
            "requests.csv:7: model: \"unknown-model\" is not in the price catalog and the row has no cost_usd",
            "requests.csv:8: cached_input_tokens: 20 is more than input_tokens (10)",
            "requests.csv:9: attempt: 0 is below 1 (the first attempt is 1)",
            "requests.csv:10: status: \"maybe\" is not a status (ok, error)",
            "requests.csv:11: cost_usd: \"NaN\" is not a number",
            "requests.csv:12: has 13 fields, the header has 14",
            "tickets.csv:3: ticket_id: duplicate ticket id \"T1\" (first on line 2)",
            "tickets.csv:4: outcome: \"resolved_somehow\" is not an outcome (auto_resolved, escalated, deflected, abandoned)",
        ])
        #expect(a.requests == 2)
        #expect(a.total == Money(nanos: 750_000_000))
        #expect(a.orphanRequests == 1)
        #expect(a.orphanCost == Money(nanos: 500_000_000))
        let req = a.files.first { $0.file == "requests.csv" }!
        #expect(req.rowsRead == 14)
        #expect(req.rejected == 11)
        #expect(req.outsideMonth == 1)
        #expect(req.accepted + req.rejected == req.rowsRead)
        // The orphan's cost still lands in every breakdown.
        for t in a.attribution { #expect(t.total == a.total) }
    }

    @Test func aMissingRequiredColumnStopsTheRun() {
        #expect(throws: CostperError(.badData, "requests.csv: the required column \"kind\" is missing (header: timestamp,ticket_id)")) {
            try month(tickets: tickets, requests: "timestamp,ticket_id\n2026-10-02T09:00:00Z,T1\n")
        }
    }

    @Test func anEmptyFileStopsTheRun() {
        #expect(throws: CostperError.self) { try month(tickets: "", requests: header) }
    }

    @Test func theMonthIsInferredFromClosedTickets() throws {
        let a = try month(tickets: "ticket_id,outcome,closed_at\nA,auto_resolved,2026-09-30T23:59:59Z\nB,auto_resolved,2026-10-01T00:00:00Z\nC,escalated,2026-10-15T00:00:00Z\n",
                          requests: header)
        #expect(a.month.description == "2026-10")
        #expect(a.tickets == 2)
        #expect(a.ticketsOutsideMonth == 1)
    }
}
