// Issue 27, item 1: a run never publishes a month it should not (Accounts/PublicationGate.swift).
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

@Suite struct PublicationGateTests {
    static let tickets = """
    ticket_id,outcome,tenant,segment,service_type,opened_at,closed_at,review_minutes
    T1,auto_resolved,Acme,smb,password_reset,2026-09-02T09:57:00Z,2026-09-02T10:00:00Z,
    T2,escalated,Globex,enterprise,billing,2026-09-05T11:00:00Z,2026-09-05T12:00:00Z,

    """
    static let header = "timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,cached_input_tokens,output_tokens,cost_usd,attempt,status,latency_ms\n"
    static func row(_ ts: String, _ ticket: String, cost: String) -> String {
        "\(ts),\(ticket),Acme,support.reply,claude-haiku-4.5,v1,llm,1000,0,100,\(cost),1,ok,100\n"
    }
    /// Three requests of September ($1.50 + $2.00 + $0.50) and one of August.
    static let requests = header + row("2026-09-02T09:58:00Z", "T1", cost: "1.50") + row("2026-09-05T11:10:00Z", "T2", cost: "2.00")
        + row("2026-09-05T11:20:00Z", "T2", cost: "0.50") + row("2026-08-31T23:59:59Z", "T2", cost: "9")

    func gate(_ a: MonthAccounts, failOnReject: Bool = false, replace: Bool = false, published: Money? = nil) -> String? {
        do {
            try PublicationGate.check(a, policy: PublicationPolicy(failOnReject: failOnReject, replace: replace), published: published)
            return nil
        } catch {
            #expect(error.exitCode == 65)
            return error.message
        }
    }

    @Test func aMonthTheDataDoesNotCoverNamesTheMonthsItDoes() throws {
        let a = try month(tickets: Self.tickets, requests: Self.requests, month: "2026-12")
        #expect(gate(a) == "2026-12 has no accepted request and no ticket, so it is not published: the requests are dated 2026-08 (1 row), 2026-09 (3 rows); the tickets are dated 2026-09 (2 tickets). Give --month 2026-09 to report the month the data covers")
        // The month the data covers is published.
        let september = try month(tickets: Self.tickets, requests: Self.requests)
        #expect(september.month == Month("2026-09")!)
        #expect(september.total == Money(dollars: 4))
        #expect(gate(september) == nil)
    }

    @Test func aMonthWithTicketsButNoRequestStops() throws {
        let a = try month(tickets: Self.tickets, requests: Self.header)
        #expect(gate(a) == "2026-09 has no accepted request, so it is not published: no request of any month was read; the tickets are dated 2026-09 (2 tickets)")
    }

    @Test func aMonthWithRequestsButNoTicketStops() throws {
        let a = try month(tickets: "ticket_id,outcome,tenant,segment,service_type,opened_at,closed_at,review_minutes\n", requests: Self.requests)
        #expect(a.requests == 3)
        #expect(gate(a) == "2026-09 has no ticket, so it is not published: the requests are dated 2026-08 (1 row), 2026-09 (3 rows); no ticket of any month was read")
    }

    @Test func aTicketLevelMonthNeedsTicketsNotRequests() throws {
        let text = "ticket_id,outcome,closed_at,model_usd\nA,auto_resolved,2026-10-02T10:00:00Z,0.50\nB,escalated,2026-10-03T10:00:00Z,0.25\n"
        let october = try TicketCostsFile.accounts(Buffer("ticket_costs.csv", text).input, fixedCosts: nil, config: CostperConfig(), month: Month("2026-10"))
        #expect(october.requests == 0 && october.tickets == 2)
        #expect(gate(october) == nil)
        let november = try TicketCostsFile.accounts(Buffer("ticket_costs.csv", text).input, fixedCosts: nil, config: CostperConfig(), month: Month("2026-11"))
        #expect(gate(november) == "2026-11 has no ticket, so it is not published: the tickets are dated 2026-10 (2 tickets). Give --month 2026-10 to report the month the data covers")
    }

    @Test func requestsEveryOneRejectedStopWithTheirCount() throws {
        // A model with no price and no cost_usd: every request is rejected (the OTel case of the issue).
        let r = Self.header + "2026-09-02T09:58:00Z,T1,Acme,support.reply,no-such-model,v1,llm,1000,0,100,,1,ok,100\n"
        let a = try month(tickets: Self.tickets, requests: r)
        #expect(a.rejectedRows == 1)
        #expect(gate(a) == "2026-09 has no accepted request, so it is not published: no request of any month was read; the tickets are dated 2026-09 (2 tickets); 1 row was rejected (costper validate lists them)")
    }

    @Test func aFileWhoseEveryRowWasRejectedStopsEvenBesideGoodOnes() throws {
        let good = Buffer("requests.csv", Self.requests)
        let bad = Buffer("otel_requests.csv", Self.header + "2026-09-02T09:58:00Z,T1,Acme,support.reply,m,v1,llm,1000,0,100,abc,1,ok,100\n"
                         + "2026-09-02T09:59:00Z,T1,Acme,support.reply,m,v1,llm,1000,0,100,-1,1,ok,100\n")
        let a = try MonthInput.accounts(tickets: .file(Buffer("tickets.csv", Self.tickets).input), requests: [.file(good.input), .file(bad.input)],
                                        fixedCosts: nil, config: CostperConfig(), prices: PriceCatalog(), month: nil)
        #expect(a.requests == 3)
        #expect(gate(a) == "otel_requests.csv: every row was rejected (2 of 2), so 2026-09 is not published; the first: otel_requests.csv:2: cost_usd: \"abc\" is not a number. costper validate lists them all")
    }

    @Test func failOnRejectMakesAnyRejectFatalAndListsTheFirst() throws {
        var r = Self.requests
        for i in 0..<12 { r += Self.row("2026-09-0\(i % 9 + 1)T10:00:00Z", "T1", cost: "x\(i)") }
        let a = try month(tickets: Self.tickets, requests: r)
        #expect(a.rejectedRows == 12)
        #expect(gate(a) == nil)   // a reject alone is counted and listed, not fatal
        let lines = (6..<16).map { "requests.csv:\($0): cost_usd: \"x\($0 - 6)\" is not a number" }
        #expect(gate(a, failOnReject: true) == "12 rows were rejected and --fail-on reject makes any reject fatal, so 2026-09 is not published:\n"
                + lines.joined(separator: "\n") + "\n(the first 10; costper validate lists them all)")
        let one = try month(tickets: Self.tickets, requests: Self.requests + Self.row("2026-09-02T10:00:00Z", "T1", cost: "1.5.0"))
        #expect(gate(one, failOnReject: true) == "1 row was rejected and --fail-on reject makes any reject fatal, so 2026-09 is not published:\nrequests.csv:6: cost_usd: \"1.5.0\" is not a number")
        let clean = try month(tickets: Self.tickets, requests: Self.requests)
        #expect(gate(clean, failOnReject: true) == nil)
    }

    @Test func replacingAPublishedMonthThatMovesMoreThanHalfNeedsReplace() throws {
        let a = try month(tickets: Self.tickets, requests: Self.requests)   // $4.00
        #expect(gate(a, published: Money(dollars: 10)) == "2026-09 is already published with a total of $10.00; this run's total is $4.00, a change of -$6.00 (-60.0%), more than the 50% a run may change a published month by ([publish] max_change_share), so nothing was published. Run again with --replace (or set [publish] replace = true) to replace it")
        #expect(gate(a, published: Money(nanos: 2_600_000_000)) == "2026-09 is already published with a total of $2.60; this run's total is $4.00, a change of +$1.40 (+53.8%), more than the 50% a run may change a published month by ([publish] max_change_share), so nothing was published. Run again with --replace (or set [publish] replace = true) to replace it")
        // A month published at zero: any change is more than any share.
        #expect(gate(a, published: .zero) == "2026-09 is already published with a total of $0.00; this run's total is $4.00, a change of +$4.00, more than the 50% a run may change a published month by ([publish] max_change_share), so nothing was published. Run again with --replace (or set [publish] replace = true) to replace it")
        // Exactly half, the same total, nothing published: no stop.
        #expect(gate(a, published: Money(dollars: 8)) == nil)
        #expect(gate(a, published: Money(dollars: 4)) == nil)
        #expect(gate(a, published: nil) == nil)
        // --replace, or the settings.
        #expect(gate(a, replace: true, published: Money(dollars: 10)) == nil)
        let replacing = try month(tickets: Self.tickets, requests: Self.requests, config: "[publish]\nreplace = true\n")
        #expect(gate(replacing, published: Money(dollars: 10)) == nil)
        let wide = try month(tickets: Self.tickets, requests: Self.requests, config: "[publish]\nmax_change_share = 0.6\n")
        #expect(gate(wide, published: Money(dollars: 10)) == nil)
        let narrow = try month(tickets: Self.tickets, requests: Self.requests, config: "[publish]\nmax_change_share = 0.1\n")
        #expect(gate(narrow, published: Money(nanos: 4_500_000_000)) == "2026-09 is already published with a total of $4.50; this run's total is $4.00, a change of -$0.50 (-11.1%), more than the 10% a run may change a published month by ([publish] max_change_share), so nothing was published. Run again with --replace (or set [publish] replace = true) to replace it")
    }

    @Test func publishSettingsAreAClosedSetOfKeys() throws {
        func refusal(_ toml: String) -> String? {
            do { _ = try CostperConfig.parse(toml); return nil } catch { return error.description }
        }
        #expect(refusal("[publish]\nmax_change_shar = 0.5\n")
                == "costper.toml: publish.max_change_shar: is not a key costper knows; a key costper does not know is refused, not ignored (did you mean \"max_change_share\"?)")
        #expect(refusal("[publish]\nreplace = \"yes\"\n") == "costper.toml: publish.replace: must be true or false")
        #expect(refusal("[publish]\nmax_change_share = 0\n") == "costper.toml: publish.max_change_share: must be above 0")
        #expect(refusal("[publsh]\nreplace = true\n")
                == "costper.toml: publsh: is not a key costper knows; a key costper does not know is refused, not ignored (did you mean \"publish\"?)")
        let c = try CostperConfig.parse("[publish]\nmax_change_share = 0.25\nreplace = true\n")
        #expect(c.publish.maxChangeShare == Quotient(numerator: 1, denominator: 4))
        #expect(c.publish.replace)
        #expect(CostperConfig().publish == PublishSettings())
        // Codable, losslessly (the month is stored as month.json).
        let back = try JSONDecoder().decode(PublishSettings.self, from: JSONEncoder().encode(c.publish))
        #expect(back == c.publish)
    }
}
