@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
import CostperIO

/// The model lever (issue 25 item 11): cost per resolved ticket and resolution rate by model ×
/// service type, and the routing scenarios of costper.toml ([[scenarios.route]]).
@Suite struct ModelLeverTests {
    /// Four tickets, two service types, two models, a request with no model and an orphan request.
    static let tickets = """
    ticket_id,outcome,tenant,segment,service_type,opened_at,closed_at,review_minutes
    T1,auto_resolved,Acme,smb,billing,2026-10-05T10:00:00Z,2026-10-05T11:00:00Z,
    T2,escalated,Acme,smb,billing,2026-10-06T10:00:00Z,2026-10-06T11:00:00Z,
    T3,auto_resolved,Acme,smb,password_reset,2026-10-07T10:00:00Z,2026-10-07T11:00:00Z,
    T4,auto_resolved,Acme,smb,password_reset,2026-10-08T10:00:00Z,2026-10-08T11:00:00Z,

    """
    static let requests = """
    timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,cached_input_tokens,output_tokens,cost_usd,attempt,status,latency_ms
    2026-10-05T10:01:00Z,T1,Acme,answer,claude-haiku-4.5,v1,llm,1000,400,200,0.0020,1,ok,100
    2026-10-05T10:02:00Z,T1,Acme,route,gpt-5.4-nano,v1,llm,2000,,100,0.0005,1,ok,100
    2026-10-06T10:01:00Z,T2,Acme,answer,claude-haiku-4.5,v1,llm,3000,,500,0.0055,1,ok,100
    2026-10-07T10:01:00Z,T3,Acme,route,gpt-5.4-nano,v1,llm,1000,,100,0.000325,1,ok,100
    2026-10-08T10:01:00Z,T4,Acme,answer,claude-haiku-4.5,v1,llm,500,,50,0.00075,1,ok,100
    2026-10-08T10:02:00Z,T4,Acme,search,,v1,vector_db,,,,0.0001,1,ok,100
    2026-10-09T10:01:00Z,T9,Acme,route,gpt-5.4-nano,v1,llm,100,,10,0.0000325,1,ok,100

    """

    func month(_ toml: String) throws -> MonthAccounts {
        let folder = try temporaryFolder()
        try Self.tickets.write(to: folder.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try Self.requests.write(to: folder.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        try ("company = \"Lever Co\"\n" + toml).write(to: folder.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        return try accounts(folder, prices: tinyPrices)
    }

    static let routes = """
    [[scenarios.route]]
    service_type = "billing"
    from_model = "claude-haiku-4.5"
    to_model = "gpt-5.4-nano"

    [[scenarios.route]]
    service_type = "password_reset"
    to_model = "claude-haiku-4.5"

    """

    @Test func theWorkedMonthGivesEachModelAndServiceTypeItsFigures() throws {
        let a = try month(Self.routes)
        let lever = try #require(a.modelLever)
        func row(_ m: AttributionGroup, _ s: AttributionGroup) -> ModelServiceRow? { lever.rows.first { $0.model == m && $0.serviceType == s } }
        let haikuBilling = try #require(row(.value("claude-haiku-4.5"), .value("billing")))
        #expect(haikuBilling.requests == 2 && haikuBilling.tickets == 2 && haikuBilling.resolved == 1)
        #expect(haikuBilling.cost == Money(nanos: 7_500_000))
        #expect(haikuBilling.costPerResolved == Quotient(numerator: 75, denominator: 10_000))
        #expect(haikuBilling.resolutionRate == Quotient(numerator: 1, denominator: 2))
        #expect((haikuBilling.inputTokens, haikuBilling.cachedInputTokens, haikuBilling.outputTokens) == (4000, 400, 700))
        // T1 used both models: it counts in both billing rows.
        let nanoBilling = try #require(row(.value("gpt-5.4-nano"), .value("billing")))
        #expect(nanoBilling.tickets == 1 && nanoBilling.resolved == 1 && nanoBilling.cost == Money(nanos: 500_000))
        let nanoReset = try #require(row(.value("gpt-5.4-nano"), .value("password_reset")))
        #expect(nanoReset.tickets == 1 && nanoReset.resolved == 1 && nanoReset.cost == Money(nanos: 325_000))
        let none = try #require(row(.unnamed, .value("password_reset")))
        #expect(none.requests == 1 && none.llmRequests == 0 && none.tickets == 1 && none.cost == Money(nanos: 100_000))
        let orphan = try #require(row(.value("gpt-5.4-nano"), .orphanRequests(of: nil)))
        #expect(orphan.tickets == 0 && orphan.cost == Money(nanos: 32_500) && orphan.costPerResolved == nil)
        #expect(lever.rows.count == 6)
        // The cost column adds up to the month's request cost exactly, and to the by-model table's.
        #expect(lever.total == Money(nanos: 9_207_500))
        #expect(lever.total == a.table(.model)!.total)
        #expect(lever.total == a.total)   // no review, no fixed costs

        #expect(lever.routes.count == 2)
        let billing = lever.routes[0]
        // 3,600 uncached + 400 cached input (nano has no cache price: the input price) and 700
        // output tokens: 4,000 × $0.20 + 700 × $1.25 per million = $0.001675.
        #expect(billing.models == ["claude-haiku-4.5"] && billing.requests == 2)
        #expect(billing.currentCost == Money(nanos: 7_500_000))
        #expect(billing.scenarioCost == Money(nanos: 1_675_000))
        #expect(billing.change == Money(nanos: -5_825_000))
        #expect(billing.scenarioTotal == Money(nanos: 3_382_500))
        #expect(billing.scenarioCostPerResolved == Quotient(numerator: 3_382_500, denominator: 3 * 1_000_000_000))
        // Every model but the target: nano's 1,000 in and 100 out at haiku's $1 and $5 = $0.0015;
        // haiku's own request and the request with no model stay as they are.
        let reset = lever.routes[1]
        #expect(reset.models == ["gpt-5.4-nano"] && reset.requests == 1)
        #expect(reset.currentCost == Money(nanos: 325_000) && reset.scenarioCost == Money(nanos: 1_500_000))
        #expect(reset.change == Money(nanos: 1_175_000))
    }

    @Test func theFilesHoldTheTableAndTheScenario() throws {
        let a = try month(Self.routes)
        let table = ModelLeverReport.table(a)
        #expect(table.header.first == "model" && table.header.contains("cost_usd") && table.rows.count == 6)
        var sum: Int64 = 0
        for r in table.rows {
            guard case .number(let v, .money) = r[6] else { Issue.record("cost_usd is not an amount"); continue }
            let parts = v.split(separator: ".")
            sum += Int64(parts[0])! * 1_000_000_000 + Int64(String(parts[1]).padding(toLength: 9, withPad: "0", startingAt: 0))!
        }
        #expect(sum == 9_207_500)
        let sc = ModelLeverReport.scenarios(a)
        #expect(sc.rows.count == 2 && sc.header.allSatisfy { !$0.contains("cost") || $0.hasSuffix("_usd") })
        #expect(sc.rows[0][11] == .number("-0.005825", .money))
        let sentence = ModelLeverReport.sentence(a.modelLever!.routes[0], a, labels: [:])
        #expect(sentence.contains("$0.0075 → $0.00168") && sentence.contains("the same tickets escalate"))
    }

    @Test func aMistypedScenarioKeyIsRefusedWithTheNearestName() throws {
        #expect { try CostperConfig.parse("[[scenarios.route]]\nservice_type = \"billing\"\nto_modle = \"gpt-5.4-nano\"\n") } throws: { e in
            let c = e as? ConfigError
            return c?.key == "scenarios.route[1].to_modle" && c?.reason.contains("did you mean \"to_model\"") == true
        }
        #expect { try CostperConfig.parse("[scenario]\nroute = []\n") } throws: { e in
            (e as? ConfigError)?.reason.contains("did you mean \"scenarios\"") == true
        }
        #expect { try CostperConfig.parse("[[scenarios.route]]\nservice_type = \"billing\"\n") } throws: { e in
            (e as? ConfigError)?.reason.contains("needs a to_model") == true
        }
        #expect { try CostperConfig.parse("[[scenarios.route]]\nservice_type = \"billing\"\nfrom_model = \"a\"\nto_model = \"a\"\n") } throws: { e in
            (e as? ConfigError)?.key == "scenarios.route[1].from_model"
        }
    }

    @Test func aTargetOutsideTheCatalogIsRefusedNamingTheNearest() throws {
        #expect { try month("[[scenarios.route]]\nservice_type = \"billing\"\nto_model = \"gpt-5.4-nan\"\n") } throws: { e in
            let m = (e as? CostperError)?.message ?? ""
            return m.contains("\"gpt-5.4-nan\" is not in the price catalog") && m.contains("did you mean \"gpt-5.4-nano\"?")
        }
    }

    @Test func aServiceTypeTheMonthDoesNotHaveIsANotice() throws {
        let a = try month("[[scenarios.route]]\nservice_type = \"refunds\"\nto_model = \"gpt-5.4-nano\"\n")
        #expect(a.modelLever?.routes.isEmpty == true)
        #expect(a.notices.contains { $0.contains("\"refunds\" has no requests this month") })
        let b = try month("[[scenarios.route]]\nservice_type = \"password_reset\"\nfrom_model = \"gemini\"\nto_model = \"gpt-5.4-nano\"\n")
        #expect(b.notices.contains { $0.contains("no LLM request of \"gemini\"") })
    }

    /// The sample's route against a loop over its own files: billing's claude-sonnet-4.6 LLM
    /// requests, their tokens at claude-haiku-4-5's row of data/prices/litellm.csv.
    @Test func theSampleRouteMatchesAnIndependentComputation() throws {
        let sample = repoRoot.appendingPathComponent("data/sample")
        let a = try accounts(sample, prices: try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-10"))
        let route = try #require(a.modelLever?.routes.first)
        #expect(route.route == RouteScenario(serviceType: "billing", fromModel: "claude-sonnet-4.6", toModel: "claude-haiku-4.5"))

        func fields(_ line: Substring) -> [String] {
            var out: [String] = [], cur = "", quoted = false
            for ch in line {
                if ch == "\"" { quoted.toggle() } else if ch == "," && !quoted { out.append(cur); cur = "" } else { cur.append(ch) }
            }
            out.append(cur)
            return out
        }
        func nanos(_ s: String) -> Int128 {   // "0.1" → 100,000,000 nano-dollars; "4.68e-03" too (the sample has both)
            let e = s.lowercased().split(separator: "e")
            let parts = e[0].split(separator: ".", omittingEmptySubsequences: false)
            let frac = parts.count > 1 ? String(parts[1]) : ""
            var digits = Int128(String(parts[0]) + frac)!, scale = 9 - frac.count + (e.count > 1 ? Int(e[1])! : 0)
            while scale > 0 { digits *= 10; scale -= 1 }
            while scale < 0 { #expect(digits % 10 == 0, "\(s) has more than nine decimals"); digits /= 10; scale += 1 }
            return digits
        }
        let priceLine = try String(contentsOf: repoRoot.appendingPathComponent("data/prices/litellm.csv"), encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("claude-haiku-4-5,") }!
        let p = fields(priceLine)
        let (inPrice, outPrice, cachePrice) = (nanos(p[2]), nanos(p[3]), nanos(p[4]))
        let sonnetLine = try String(contentsOf: repoRoot.appendingPathComponent("data/prices/litellm.csv"), encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("claude-sonnet-4-6,") }!
        let sp = fields(sonnetLine)
        let sonnet = (nanos(sp[2]), nanos(sp[3]), nanos(sp[4]))
        var service: [String: String] = [:]
        for line in try String(contentsOf: sample.appendingPathComponent("tickets.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = fields(line); service[f[0]] = f[4]
        }
        var input: Int128 = 0, cached: Int128 = 0, output: Int128 = 0, current: Int128 = 0, count = 0
        for line in try String(contentsOf: sample.appendingPathComponent("requests.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = fields(line)
            guard f[6] == "llm", f[4] == "claude-sonnet-4.6", service[f[1]] == "billing", f[0].hasPrefix("2026-10") else { continue }
            input += Int128(f[7])!; cached += Int128(f[8]) ?? 0; output += Int128(f[9])!
            // A request exported without cost_usd was priced from the catalog (claude-sonnet-4-6's row:
            // whole nano-dollars a token, so no rounding).
            let (i, c, o) = (Int128(f[7])!, Int128(f[8]) ?? 0, Int128(f[9])!)
            current += f[10].isEmpty ? ((i - c) * sonnet.0 + c * sonnet.2 + o * sonnet.1) / 1_000_000 : nanos(f[10])
            count += 1
        }
        let total = (input - cached) * inPrice + cached * cachePrice + output * outPrice   // nano-dollars × a million
        #expect(total % 1_000_000 == 0)
        #expect(Int128(route.scenarioCost.nanos) == total / 1_000_000)
        #expect(Int128(route.currentCost.nanos) == current)
        #expect(Int(route.requests) == count)
        #expect(route.scenarioCost == Money(nanos: 2_958_412_000) && route.change == Money(nanos: 2_958_412_000 - 8_875_236_000))
        #expect(route.scenarioTotal.nanos == a.total.nanos - route.currentCost.nanos + route.scenarioCost.nanos)
        #expect(a.modelLever!.total == a.table(.model)!.rows.filter { $0.group != .humanReviewAndFixed }.reduce(Money.zero) { Money(nanos: $0.nanos + $1.cost.nanos) })
    }
}
