@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

/// The export adapters (issue 8): OTLP/JSON traces, LiteLLM spend logs and price map, Langfuse
/// observations, help-desk tickets, and detection by content.
@Suite struct ExportFormatTests {
    static let tickets = "ticket_id,outcome,tenant,closed_at\n40211,auto_resolved,Acme,2026-10-02T10:00:00Z\n40212,escalated,Globex,2026-10-05T12:00:00Z\n"
    static let prices = PriceCatalog([
        ModelPrice(model: "gpt-5.4-nano", inputPerMTok: Money(nanos: 200_000_000), outputPerMTok: Money(nanos: 1_250_000_000)),
        ModelPrice(model: "claude-haiku-4.5", inputPerMTok: Money(dollars: 1), outputPerMTok: Money(dollars: 5), cacheReadPerMTok: Money(nanos: 100_000_000)),
    ], source: "test")

    func ingest(_ files: [(String, String)], config: String = "", prices: PriceCatalog = ExportFormatTests.prices) throws -> MonthAccounts {
        let buffers = files.map { Buffer($0.0, $0.1) }
        return try withExtendedLifetime(buffers) {
            try ExportIngest.accounts(sources: buffers.map(\.input), fixedCosts: nil, config: try CostperConfig.parse(config),
                                      prices: prices, month: nil)
        }
    }

    static func attr(_ key: String, _ value: String) -> String { "{\"key\":\"\(key)\",\"value\":\(value)}" }
    static func span(_ id: String, start: String, attrs: [String], status: String = "{}") -> String {
        "{\"traceId\":\"t\",\"spanId\":\"\(id)\",\"name\":\"x\",\"kind\":3,\"startTimeUnixNano\":\(start),\"endTimeUnixNano\":\"1790935082900000000\",\"attributes\":[\(attrs.joined(separator: ","))],\"status\":\(status)}"
    }
    static func doc(_ spans: [String], resource: [String] = []) -> String {
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[\(resource.joined(separator: ","))]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},\"spans\":[\(spans.joined(separator: ","))]}]}]}"
    }

    // MARK: OTLP

    @Test func attributesDecodeEveryScalarKindAndIntsAsStringsOrNumbers() {
        let list = ExportJSON.array([
            JSONParser.parse(#"{"key":"a","value":{"stringValue":"Acme, Inc."}}"#)!,
            JSONParser.parse(#"{"key":"b","value":{"intValue":"1200"}}"#)!,
            JSONParser.parse(#"{"key":"c","value":{"intValue":1200}}"#)!,
            JSONParser.parse(#"{"key":"d","value":{"doubleValue":1.2e-05}}"#)!,
            JSONParser.parse(#"{"key":"e","value":{"boolValue":true}}"#)!,
            JSONParser.parse(#"{"key":"f","value":{"arrayValue":{"values":[]}}}"#)!,
        ], line: 1)
        let a = OTLPTraces.attributes(list)
        #expect(a == ["a": "Acme, Inc.", "b": "1200", "c": "1200", "d": "1.2e-05", "e": "true"])
    }

    @Test func jsonNumbersKeepTheirText() {
        let v = JSONParser.parse(#"{"spend": 0.0030499999999999998, "n": -1e-06, "s": "\u00e9\n"}"#)!
        #expect(v["spend"] == .number("0.0030499999999999998"))
        #expect(v["n"] == .number("-1e-06"))
        #expect(v["s"] == .string("é\n"))
        #expect(JSONParser.parse(#"{"a": 01}"#) == nil)
        #expect(JSONParser.parse(#"{"a": NaN}"#) == nil)
    }

    @Test func newAndOldAttributeNamesGiveTheSameRequest() throws {
        let new = Self.span("n1", start: "\"1790935082000000000\"", attrs: [
            Self.attr("gen_ai.operation.name", #"{"stringValue":"chat"}"#), Self.attr("gen_ai.provider.name", #"{"stringValue":"anthropic"}"#),
            Self.attr("gen_ai.request.model", #"{"stringValue":"claude-haiku-4.5"}"#), Self.attr("gen_ai.conversation.id", #"{"stringValue":"40211"}"#),
            Self.attr("gen_ai.usage.input_tokens", #"{"intValue":"2000"}"#), Self.attr("gen_ai.usage.output_tokens", #"{"intValue":300}"#),
            Self.attr("gen_ai.usage.cache_read.input_tokens", #"{"intValue":"500"}"#)])
        let old = Self.span("o1", start: "1790935082000000000", attrs: [
            Self.attr("llm.request.type", #"{"stringValue":"chat"}"#), Self.attr("gen_ai.system", #"{"stringValue":"anthropic"}"#),
            Self.attr("gen_ai.request.model", #"{"stringValue":"claude-haiku-4.5"}"#), Self.attr("gen_ai.conversation.id", #"{"stringValue":"40212"}"#),
            Self.attr("gen_ai.usage.prompt_tokens", #"{"intValue":"2000"}"#), Self.attr("gen_ai.usage.completion_tokens", #"{"intValue":"300"}"#),
            Self.attr("gen_ai.usage.cache_read_input_tokens", #"{"intValue":"500"}"#)])
        let a = try ingest([("tickets.csv", Self.tickets), ("traces.jsonl", Self.doc([new]) + "\n" + Self.doc([old]) + "\n")])
        #expect(a.rejects.isEmpty, "\(a.rejects.map(\.message))")
        #expect(a.requests == 2)
        // (2000 - 500) x $1/M + 500 x $0.10/M + 300 x $5/M = 0.00305, twice.
        #expect(a.costByCategory[.model] == Money(nanos: 6_100_000))
        #expect(a.notices.contains { $0.contains("1 spans use older GenAI attribute names") })
    }

    @Test func nonModelSpansAreSkippedAndCountedAndErrorsAreRetries() throws {
        let chat = Self.span("c1", start: "\"1790935080000000000\"", attrs: [
            Self.attr("gen_ai.operation.name", #"{"stringValue":"chat"}"#), Self.attr("gen_ai.request.model", #"{"stringValue":"gpt-5.4-nano"}"#),
            Self.attr("gen_ai.conversation.id", #"{"stringValue":"40211"}"#), Self.attr("gen_ai.usage.input_tokens", #"{"intValue":"1000"}"#),
            Self.attr("gen_ai.usage.output_tokens", #"{"intValue":"100"}"#)])
        let failed = Self.span("e1", start: "\"1790935081000000000\"", attrs: [
            Self.attr("gen_ai.operation.name", #"{"stringValue":"chat"}"#), Self.attr("gen_ai.request.model", #"{"stringValue":"gpt-5.4-nano"}"#),
            Self.attr("gen_ai.conversation.id", #"{"stringValue":"40211"}"#), Self.attr("gen_ai.usage.input_tokens", #"{"intValue":"1000"}"#)],
            status: #"{"message":"timeout","code":2}"#)
        let retry = Self.span("r2", start: "\"1790935082000000000\"", attrs: [
            Self.attr("gen_ai.operation.name", #"{"stringValue":"chat"}"#), Self.attr("gen_ai.request.model", #"{"stringValue":"gpt-5.4-nano"}"#),
            Self.attr("gen_ai.usage.input_tokens", #"{"intValue":"1000"}"#), Self.attr("costper.attempt", #"{"intValue":"2"}"#)])
        let tool = Self.span("t1", start: "\"1790935083000000000\"", attrs: [Self.attr("gen_ai.operation.name", #"{"stringValue":"execute_tool"}"#)])
        let http = Self.span("h1", start: "\"1790935079000000000\"", attrs: [Self.attr("http.route", #"{"stringValue":"/x"}"#)])
        // The ticket of the retry comes from the resource when the span has none.
        let a = try ingest([("tickets.csv", Self.tickets),
                            ("traces.jsonl", Self.doc([chat, failed, tool, http]) + "\n" + Self.doc([retry], resource: [Self.attr("gen_ai.conversation.id", #"{"stringValue":"40212"}"#)]))])
        #expect(a.rejects.isEmpty, "\(a.rejects.map(\.message))")
        #expect(a.requests == 3)
        #expect(a.costByCategory[.model] == Money(nanos: 325_000))
        #expect(a.costByCategory[.retries] == Money(nanos: 400_000))
        #expect(a.orphanRequests == 0)
        #expect(a.notices.contains { $0.contains("5 spans: 3 GenAI model calls read as requests, 2 other spans skipped") })
        #expect(a.notices.contains { $0.contains("skipped 1 execute_tool spans") })
        #expect(a.notices.contains { $0.contains("skipped 1 spans without gen_ai.operation.name") })
        let q = a.files.first { $0.file == "traces.jsonl" }
        #expect(q?.reader == "OTLP/JSON traces (JSON) → requests")
        #expect(q?.rowsRead == 3)
    }

    @Test func aBadSpanIsRejectedOnItsSourceLineWithTheAttributeName() throws {
        let bad = Self.span("b1", start: "\"1790935080000000000\"", attrs: [
            Self.attr("gen_ai.operation.name", #"{"stringValue":"chat"}"#), Self.attr("gen_ai.request.model", #"{"stringValue":"gpt-5.4-nano"}"#),
            Self.attr("gen_ai.conversation.id", #"{"stringValue":"40211"}"#), Self.attr("gen_ai.usage.input_tokens", #"{"intValue":"12.5"}"#)])
        let a = try ingest([("tickets.csv", Self.tickets), ("traces.jsonl", "\n" + Self.doc([bad]) + "\n{not json\n")])
        #expect(a.rejects.count == 2)
        #expect(a.rejects[0].message == "traces.jsonl:2: gen_ai.usage.input_tokens: \"12.5\" is not a whole number (span b1)")
        #expect(a.rejects[1].file == "traces.jsonl" && a.rejects[1].line == 3)
    }

    @Test func aTypedSpanCarriesItsLocationIntoTheLedgersRejects() throws {
        let bad = Self.span("b7", start: "\"1790935080000000000\"", attrs: [
            Self.attr("gen_ai.operation.name", #"{"stringValue":"chat"}"#), Self.attr("gen_ai.request.model", #"{"stringValue":"gpt-5.4-nano"}"#),
            Self.attr("gen_ai.conversation.id", #"{"stringValue":"40211"}"#), Self.attr("gen_ai.usage.input_tokens", #"{"intValue":"1000"}"#),
            Self.attr("gen_ai.usage.output_tokens", #"{"intValue":"-3"}"#)])
        let traces = Buffer("traces.jsonl", "\n\n" + Self.doc([bad]) + "\n")
        let export = try withExtendedLifetime(traces) { try OTLPTraces.requests(traces.input, settings: OTLPSettings()) }
        // The record is a value with requests.csv's fields and its place in the source.
        let record = try #require(export.records.first)
        #expect(export.records.count == 1 && export.rejects.isEmpty)
        #expect(record.origin == RecordOrigin(file: "traces.jsonl", line: 3, label: "span b7"))
        #expect(record.ticketID == "40211" && record.kind == "llm" && record.outputTokens == "-3")
        // Straight into the ledger, through requests.csv's rules, named by the source's attribute.
        let t = Buffer("tickets.csv", Self.tickets)
        let book = try withExtendedLifetime(t) { try TicketBook.read(t.input) }
        let month = try #require(Month("2026-10"))
        var ledger = RequestLedger(month: month, tickets: book.count, tenants: book.tenants.count)
        var tenants = book.tenants
        RequestReader(month: month, prices: Self.prices, tickets: book).add(export, into: &ledger, tenants: &tenants)
        #expect(ledger.rowsRead == 1 && ledger.requests == 0)
        let reject = try #require(ledger.rejects.first)
        #expect(reject.file == "traces.jsonl" && reject.line == 3 && reject.column == "gen_ai.usage.output_tokens")
        #expect(reject.message == #"traces.jsonl:3: gen_ai.usage.output_tokens: "-3" is negative (span b7)"#)
    }

    @Test func eachRequestsFileGetsItsOwnCounts() throws {
        let a = "timestamp,ticket_id,kind,cost_usd\n2026-10-02T09:58:00Z,40211,llm,0.5\n2026-10-02T09:59:00Z,40211,llm,x\n"
        let b = "timestamp,ticket_id,kind,cost_usd\n2026-10-05T11:00:00Z,40212,llm,0.25\n2026-09-30T23:00:00Z,40212,llm,0.25\n2026-10-05T11:01:00Z,40212,llm,0.25\n"
        let span = Self.span("s1", start: "\"1790935080000000000\"", attrs: [
            Self.attr("gen_ai.operation.name", #"{"stringValue":"chat"}"#), Self.attr("gen_ai.request.model", #"{"stringValue":"gpt-5.4-nano"}"#),
            Self.attr("gen_ai.conversation.id", #"{"stringValue":"40211"}"#), Self.attr("gen_ai.usage.input_tokens", #"{"intValue":"1000"}"#)])
        let acc = try ingest([("tickets.csv", Self.tickets), ("a.csv", a), ("b.csv", b), ("traces.jsonl", Self.doc([span]) + "\n")])
        #expect(acc.requests == 4)
        #expect(acc.rejects.map(\.message) == [#"a.csv:3: cost_usd: "x" is not a number"#])
        let files = acc.files.filter { $0.file != "tickets.csv" }
        #expect(files.map(\.file) == ["a.csv", "b.csv", "traces.jsonl"])
        #expect(files.map(\.reader) == ["requests (CSV)", "requests (CSV)", "OTLP/JSON traces (JSON) → requests"])
        #expect(files.map(\.rowsRead) == [2, 3, 1])
        #expect(files.map(\.rejected) == [1, 0, 0])
        #expect(files.map(\.outsideMonth) == [0, 1, 0])
    }

    @Test func aCostAttributeIsUsedWhenConfigured() throws {
        let s = Self.span("c1", start: "\"1790935080000000000\"", attrs: [
            Self.attr("gen_ai.operation.name", #"{"stringValue":"chat"}"#), Self.attr("gen_ai.request.model", #"{"stringValue":"unknown-model"}"#),
            Self.attr("gen_ai.conversation.id", #"{"stringValue":"40211"}"#), Self.attr("llm.cost.usd", #"{"doubleValue":1.2e-05}"#)])
        let a = try ingest([("tickets.csv", Self.tickets), ("traces.jsonl", Self.doc([s]))], config: "[otlp]\ncost = [\"gen_ai.usage.cost_usd\", \"llm.cost.usd\"]\n")
        #expect(a.rejects.isEmpty)
        #expect(a.costByCategory[.model] == Money(nanos: 12_000))
    }

    // MARK: LiteLLM

    @Test func litellmPricesConvertExactlyToNanosPerMillionTokens() throws {
        let entry = JSONParser.parse(#"{"input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07, "cache_read_input_token_cost": 7.5e-08, "litellm_provider": "openai", "search_context_cost_per_query": {"low": 0.0}}"#)!
        let p = PriceCatalog.litellmPrice(model: "gpt-x", entry: entry)
        #expect(p == ModelPrice(model: "gpt-x", inputPerMTok: Money(nanos: 150_000_000), outputPerMTok: Money(nanos: 600_000_000),
                                cacheReadPerMTok: Money(nanos: 75_000_000)))
        // 3e-15 $/token is 0.000000003 $/M: still exact.
        let tiny = JSONParser.parse(#"{"input_cost_per_token": 3e-15, "output_cost_per_token": 0}"#)!
        #expect(PriceCatalog.litellmPrice(model: "t", entry: tiny)?.inputPerMTok == Money(nanos: 3))
        #expect(PriceCatalog.litellmPrice(model: "t", entry: tiny)?.cacheReadPerMTok == nil)
        // Other shapes are skipped.
        #expect(PriceCatalog.litellmPrice(model: "img", entry: JSONParser.parse(#"{"output_cost_per_image": 0.04}"#)!) == nil)
        #expect(PriceCatalog.litellmPrice(model: "s", entry: JSONParser.parse(#"{"input_cost_per_token": "0.1", "output_cost_per_token": 0}"#)!) == nil)
        #expect(PriceCatalog.litellmPrice(model: "s", entry: .string("x")) == nil)
    }

    @Test func litellmPriceMapReadsTheFixtureWithDottedClaudeNames() throws {
        let b = Buffer(file: fixture("exports/litellm/model_prices_subset.json"))
        let c = try try PriceCatalog.read(b.input)
        #expect(c["sample_spec"] == nil)
        #expect(c["claude-haiku-4-5"]?.inputPerMTok == Money(dollars: 1))
        #expect(c["claude-haiku-4.5"]?.cacheReadPerMTok == Money(nanos: 100_000_000))
        #expect(c["claude-sonnet-4.6"] != nil)
        #expect(c["gpt-5.4-nano"]?.cacheReadPerMTok == Money(nanos: 20_000_000))
        #expect(PriceCatalog.litellmAliases("claude-haiku-4-5-20251001") == ["claude-haiku-4.5-20251001"])
        #expect(PriceCatalog.litellmAliases("gemini/gemini-2.5-flash") == ["gemini-2.5-flash"])
        #expect(PriceCatalog.litellmAliases("gpt-4-0613") == [])
    }

    @Test func litellmSpendLogsUseSpendModelGroupAndMetadata() throws {
        let csv = try String(contentsOf: fixture("exports/litellm/spend_logs.csv"), encoding: .utf8)
        let tickets = try String(contentsOf: fixture("exports/canonical/tickets.csv"), encoding: .utf8)
        let a = try ingest([("tickets.csv", tickets), ("spend_logs.csv", csv)], prices: PriceCatalog())
        #expect(a.rejects.isEmpty, "\(a.rejects.map(\.message))")
        #expect(a.requests == 17)
        #expect(a.costByCategory[.model] == Money(nanos: 36_399_600))
        #expect(a.costByCategory[.retries] == Money(nanos: 18_570_400))
        #expect(a.costByCategory[.embeddings] == Money(nanos: 5_000))
        #expect(a.table(.model)?.rows.contains { $0.label == "claude-haiku-4.5" } == true)
    }

    // MARK: Langfuse

    @Test func langfuseInputTokensAddTheCachedOnes() throws {
        let header = "id,trace_id,type,start_time,end_time,name,level,provided_model_name,usage_details,cost_details,total_cost,prompt_name,prompt_version,user_id,session_id,tags,metadata\n"
        let rows = [
            #"a,t,GENERATION,2026-10-02 09:58:02.000000,2026-10-02 09:58:02.900000,support.reply,DEFAULT,claude-haiku-4.5,"{""input"":1500,""input_cached_tokens"":500,""output"":300}",{},,support.reply,12,Acme,40211,[],"{""attempt"":""1""}""#,
            #"b,t,SPAN,2026-10-02 09:58:00.000000,2026-10-02 09:58:03.000000,support-workflow,DEFAULT,,{},{},,,,Acme,40211,[],{}"#,
            #"c,t,GENERATION,2026-10-05 11:01:01.000000,2026-10-05 11:01:31.000000,support.reply,ERROR,claude-haiku-4.5,{},{},,support.reply,12,Globex,40212,[],"{""attempt"":""1""}""#,
        ]
        let a = try ingest([("tickets.csv", Self.tickets), ("observations.csv", header + rows.joined(separator: "\n") + "\n")])
        #expect(a.rejects.isEmpty, "\(a.rejects.map(\.message))")
        #expect(a.requests == 2)
        // Priced from 2000 input tokens of which 500 cached: 0.00305; the failed call costs 0.
        #expect(a.costByCategory[.model] == Money(nanos: 3_050_000))
        #expect(a.costByCategory[.retries] == .zero)
        #expect(a.table(.prompt_version)?.rows.contains { $0.label == "v12" } == true)
        #expect(a.notices.contains { $0.contains("skipped 1 SPAN observations") })
    }

    // MARK: Help desks

    static let zendeskMapping = """
        [tickets]
        id = "Id"
        status = "Status"
        tags = "Tags"
        tenant = "Organization"
        closed_at = "Solved at"
        review_minutes = "AI review minutes [decimal]"
        outcome_rules = [
          { tag = "escalated", outcome = "escalated" },
          { status = ["solved", "closed"], tag = "ai_resolved", outcome = "auto_resolved" },
          { tag = "ai_deflected", outcome = "deflected" },
        ]
        """

    @Test func helpdeskRulesMapStatusAndTagsToOutcomes() throws {
        let cfg = try CostperConfig.parse(Self.zendeskMapping)
        let m = try #require(cfg.exports.tickets)
        #expect(HelpdeskTickets.outcome(status: "solved", tags: ["ai_handled", "ai_resolved"], value: nil, mapping: m) == .auto_resolved)
        #expect(HelpdeskTickets.outcome(status: "Closed", tags: ["AI_RESOLVED"], value: nil, mapping: m) == .auto_resolved)
        #expect(HelpdeskTickets.outcome(status: "open", tags: ["ai_resolved"], value: nil, mapping: m) == nil)
        #expect(HelpdeskTickets.outcome(status: "solved", tags: ["escalated", "ai_resolved"], value: nil, mapping: m) == .escalated)
        #expect(HelpdeskTickets.tags("AI resolved, Password reset", separator: nil) == ["ai resolved", "password reset"])
        #expect(HelpdeskTickets.tags("ai_handled ai_resolved", separator: nil) == ["ai_handled", "ai_resolved"])
        var values = TicketMapping()
        values.outcomeValues = ["resolved by ai": .auto_resolved]
        #expect(HelpdeskTickets.outcome(status: nil, tags: [], value: "Resolved by AI", mapping: values) == .auto_resolved)
        #expect(HelpdeskTickets.outcome(status: nil, tags: [], value: "deflected", mapping: values) == .deflected)
        #expect(ExportText.normalizeTimestamp("2026-10-02 09:57:00 +0000") == "2026-10-02 09:57:00+00:00")
        #expect(ExportText.normalizeTimestamp("2026-10-02 09:57:00 UTC") == "2026-10-02 09:57:00Z")
        #expect(ExportText.snakeCase("Password  reset") == "password_reset")
    }

    @Test func helpdeskExportBecomesTicketsAndAnUnmatchedRowIsRejected() throws {
        let zendesk = "Id,Status,Tags,Organization,Solved at,AI review minutes [decimal]\n"
            + "40211,closed,ai_handled ai_resolved,\"Acme, Inc.\",2026-10-02 10:00:00 +0000,\n"
            + "40212,solved,billing escalated,Globex,2026-10-05 12:00:00 +0000,6\n"
            + "40213,open,ai_handled,Globex,2026-10-07 08:30:00 +0000,\n"
        let requests = "timestamp,ticket_id,kind,cost_usd\n2026-10-02T09:58:00Z,40211,llm,0.5\n"
        let a = try ingest([("requests.csv", requests), ("zendesk_tickets.csv", zendesk)], config: Self.zendeskMapping)
        #expect(a.tickets == 2)
        #expect(a.resolvedTickets == 1)
        #expect(a.costByCategory[.human_review] == Money(nanos: 3_333_333_333))
        #expect(a.rejects.map(\.message) == [#"zendesk_tickets.csv:4: Status: no outcome rule of costper.toml [tickets] matches (status "open", tags "ai_handled"); add a rule or default_outcome"#])
        let q = a.files.first { $0.file == "zendesk_tickets.csv" }
        #expect(q?.rowsRead == 3 && q?.rejected == 1)
    }

    // MARK: Detection

    @Test func formatsAreDetectedByContent() throws {
        let cfg = try CostperConfig.parse(Self.zendeskMapping).exports
        func detect(_ name: String, _ text: String) -> ExportFormat? {
            let b = Buffer(name, text)
            return ExportFormat.detect(b.input, settings: cfg)
        }
        #expect(detect("x.jsonl", Self.doc([])) == .otlp)
        #expect(detect("x.json", "[\n  {\"request_id\": \"r\", \"call_type\": \"acompletion\", \"spend\": 0.1}\n]") == .litellm)
        #expect(detect("x.csv", "request_id,call_type,api_key,spend\n") == .litellm)
        #expect(detect("x.csv", "id,trace_id,type,usage_details\n") == .langfuse)
        #expect(detect("x.csv", "Id,Status,Tags,Subject\n") == .helpdesk)
        #expect(detect("x.csv", "timestamp,ticket_id,kind\n") == .requests)
        #expect(detect("x.json", "{\"sample_spec\": {}, \"m\": {\"input_cost_per_token\": 1e-6}}") == .litellmPrices)
        #expect(detect("x.csv", "a,b,c\n1,2,3\n") == nil)
    }

    @Test func anUnrecognizableFileStopsTheRunNamingIt() throws {
        do {
            _ = try ingest([("tickets.csv", Self.tickets), ("requests.csv", "timestamp,ticket_id,kind\n"), ("notes.csv", "a,b\n1,2\n")])
            Issue.record("expected an error")
        } catch let e as CostperError {
            #expect(e.exitCode == 65)
            #expect(e.message.hasPrefix("notes.csv: costper cannot tell what this file holds"))
        }
    }

    @Test func exportTablesOfCostperTomlAreReadAndCheckedForUnknownKeys() throws {
        let c = try CostperConfig.parse("[otlp]\nticket = [\"session.id\", \"gen_ai.conversation.id\"]\n[langfuse]\nprompt_version_prefix = \"\"\n")
        #expect(c.exports.otlp.ticket == ["session.id", "gen_ai.conversation.id"])
        #expect(c.exports.otlp.tenant == ["costper.tenant"])
        #expect(c.exports.langfuse.promptVersionPrefix == "")
        #expect(c.unknownKeys.isEmpty)
        // A key costper does not know is refused (issue 27: closed sets of keys).
        #expect(throws: ConfigError(file: "costper.toml", line: nil, key: "otlp.foo",
                                    reason: "is not a key costper knows; a key costper does not know is refused, not ignored")) {
            try CostperConfig.parse("[otlp]\nticket = [\"session.id\"]\nfoo = 1\n")
        }
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[tickets]\nid = \"Id\"\n") }
    }
}
