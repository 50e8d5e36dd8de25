@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

@Suite struct JSONLinesTests {
    let tickets = "ticket_id,outcome,tenant,closed_at,review_minutes\nT1,auto_resolved,\"Acme, Inc.\",2026-10-02T10:00:00Z,\nT2,escalated,Globex,2026-10-03T10:00:00Z,4.5\n"
    let ticketsJSONL = """
    {"ticket_id":"T1","outcome":"auto_resolved","tenant":"Acme, Inc.","closed_at":"2026-10-02T10:00:00Z","review_minutes":null}
    {"ticket_id":"T2","outcome":"escalated","tenant":"Globex","closed_at":"2026-10-03T10:00:00Z","review_minutes":4.5,"extra":{"a":[1,2,{"b":"}"}]}}

    """
    let requests = "timestamp,ticket_id,kind,model,cost_usd,attempt,status,input_tokens\n2026-10-02T09:00:00Z,T1,llm,m,0.00725,1,ok,100\n2026-10-03T09:00:00Z,T2,llm,m,7.25e-03,2,ok,200\n2026-10-03T09:00:01Z,T2,embedding,e,0.000001,,,5\n"
    let requestsJSONL = """
    {"timestamp":"2026-10-02T09:00:00Z","ticket_id":"T1","kind":"llm","model":"m","cost_usd":0.00725,"attempt":1,"status":"ok","input_tokens":100}
    {"timestamp":"2026-10-03T09:00:00Z","ticket_id":"T2","kind":"llm","model":"m","cost_usd":"7.25e-03","attempt":2,"status":"ok","input_tokens":200}

    {"timestamp":"2026-10-03T09:00:01Z","ticket_id":"T\\u0032","kind":"embedding","model":"e","cost_usd":1e-6,"input_tokens":5}

    """

    @Test func aJSONLinesMonthAndItsCSVTwinGiveTheSameFigures() throws {
        let csv = try month(tickets: tickets, requests: requests)
        let jsonl = try month(tickets: ticketsJSONL, requests: requestsJSONL)
        #expect(csv.total == jsonl.total)
        // 0.00725 + 0.00725 + 0.000001 of requests, 4.5 review minutes at $60,000 / 1,800 h = $2.50
        #expect(csv.total == Money(nanos: 2_514_501_000))
        #expect(csv.costByCategory == jsonl.costByCategory)
        #expect(csv.tickets == jsonl.tickets && csv.resolvedTickets == jsonl.resolvedTickets && csv.requests == jsonl.requests)
        #expect(jsonl.rejects.isEmpty)
        #expect(jsonl.files.map(\.reader) == ["tickets (JSON Lines)", "requests (JSON Lines)"])
        for (a, b) in zip(csv.attribution, jsonl.attribution) { #expect(a == b) }
    }

    @Test func strictLinesAreRejectedWithTheirLineNumber() throws {
        let lines = [
            #"{"timestamp":"2026-10-02T09:00:00Z","ticket_id":"T1","kind":"llm","cost_usd":0.1,"cost_usd":0.2}"#,  // 2: duplicate key
            #"{"timestamp":"2026-10-02T09:00:00Z","ticket_id":"T1","kind":"llm","cost_usd":1e400}"#,               // 3: unrepresentable
            #"{"timestamp":"2026-10-02T09:00:00Z","ticket_id":"T1","kind":"llm","cost_usd":NaN}"#,                 // 4
            #"{"timestamp":"2026-10-02T09:00:00Z","ticket_id":"T1","kind":"llm","cost_usd":0.1} trailing"#,        // 5
            #"["not","an","object"]"#,                                                                               // 6
            #"{"ticket_id":"T1","kind":"llm","cost_usd":0.1}"#,                                                      // 7: no timestamp
            #"{"timestamp":"2026-10-02T09:00:00Z","ticket_id":"T1","kind":"llm","cost_usd":01}"#,                  // 8: leading zero
            #"{"timestamp":"2026-10-02T09:00:00Z","ticket_id":"T1","kind":"llm","cost_usd":0.5}"#,                 // 9: fine
        ]
        let a = try month(tickets: ticketsJSONL, requests: "{\"timestamp\":\"2026-10-02T08:00:00Z\",\"ticket_id\":\"T1\",\"kind\":\"llm\",\"cost_usd\":0.25}\n" + lines.joined(separator: "\n"))
        #expect(a.rejects.map(\.message) == [
            "requests.jsonl:2: duplicate key \"cost_usd\"",
            "requests.jsonl:3: cost_usd: \"1e400\" is out of range",
            "requests.jsonl:4: cost_usd: not a JSON value",
            "requests.jsonl:5: unexpected text after the object",
            "requests.jsonl:6: is not a JSON object (a line must start with {)",
            "requests.jsonl:7: timestamp: is missing",
            "requests.jsonl:8: cost_usd: malformed number \"01\"",
        ].map { $0.replacingOccurrences(of: "requests.jsonl", with: "requests.csv") })
        #expect(a.requests == 2)
        #expect(a.costByCategory[.model] == Money(nanos: 750_000_000))
    }
}
