@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

@Suite struct AlertTests {
    let header = "timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,output_tokens,cost_usd,status\n"

    func alerts(tickets: String, requests: String, config: String = "", closed: Bool = true) throws -> AlertReport {
        let a = try month(tickets: tickets, requests: header + requests, config: config)
        return Alerts.evaluate(a, ticketIDs: a.ticketIDs, closed: closed)
    }

    func tickets(_ n: Int, tenant: (Int) -> String = { _ in "Acme" }) -> String {
        "ticket_id,outcome,tenant,closed_at\n" + (0..<n).map { "T\($0),auto_resolved,\(tenant($0)),2026-10-10T10:00:00Z" }.joined(separator: "\n") + "\n"
    }

    @Test func nearestRankPercentilesOnAHandCheckedList() {
        let xs = [15, 20, 35, 40, 50]
        #expect(TicketDistribution.nearestRank(xs, 5) == 15)
        #expect(TicketDistribution.nearestRank(xs, 30) == 20)   // rank ceil(1.5) = 2
        #expect(TicketDistribution.nearestRank(xs, 40) == 20)   // rank 2
        #expect(TicketDistribution.nearestRank(xs, 50) == 35)   // rank ceil(2.5) = 3
        #expect(TicketDistribution.nearestRank(xs, 100) == 50)
        #expect(TicketDistribution.nearestRank([Int](), 50) == nil)
        let hundred = Array(1...100)
        #expect(TicketDistribution.nearestRank(hundred, 95) == 95)
        #expect(TicketDistribution.nearestRank(hundred, 99) == 99)
    }

    /// Percentiles by selection equal the nearest rank of the sorted values, on random lists and
    /// on the shapes that trouble a partition: all equal, sorted, reversed, organ pipe, few values.
    @Test(arguments: 0..<40)
    func percentilesBySelectionEqualTheSortedNearestRank(seed: Int) throws {
        var rng = SplitMix64(state: UInt64(seed))
        let n = seed < 5 ? seed + 1 : Int(rng.next() % 5000) + 1
        var xs: [Int64]
        switch seed % 6 {
        case 0: xs = (0..<n).map { _ in Int64(rng.next() % 1_000_000) }
        case 1: xs = [Int64](repeating: 7, count: n)
        case 2: xs = (0..<n).map { Int64($0) }
        case 3: xs = (0..<n).map { Int64(n - $0) }
        case 4: xs = (0..<n).map { Int64(Swift.min($0, n - $0)) }
        default: xs = (0..<n).map { _ in Int64(rng.next() % 3) }
        }
        let ps = [50, 95, 99, 1, 100, 50]
        let sorted = xs.sorted()
        let got = try #require(TicketDistribution.nearestRanks(xs, ps))
        #expect(got == ps.map { TicketDistribution.nearestRank(sorted, $0)! }, "seed \(seed)")
        #expect(TicketDistribution.nearestRanks([], ps) == nil)
    }

    @Test func promptDriftFiresAbove20PercentAndNamesTheVersions() throws {
        // v11 early in the month at $0.010 and 1,000 tokens a request; v12 later at $0.013 (+30%) and 1,400 tokens (+40%).
        var rows = ""
        for i in 0..<4 { rows += "2026-10-02T0\(i):00:00Z,T0,Acme,support.reply,m,v11,llm,800,200,0.010,ok\n" }
        for i in 0..<4 { rows += "2026-10-20T0\(i):00:00Z,T0,Acme,support.reply,m,v12,llm,1100,300,0.013,ok\n" }
        let r = try alerts(tickets: tickets(1), requests: rows)
        let drift = r.alerts.filter { $0.kind == .prompt_drift }
        #expect(drift.count == 1)
        #expect(drift[0].subject == "support.reply v11 → v12")
        #expect(drift[0].value == "cost per request +30.0%")   // the measure that fired
        #expect(drift[0].message == "support.reply: prompt v12 costs $0.013 a request, +30.0% against v11 ($0.01); tokens per request +40.0% (1,400 against 1,000). Check what the v12 release added to the prompt. Worth $0.012 this month.")
        #expect(r.drift[0].costChange == Quotient(numerator: 3, denominator: 10))
        // In dollars: $0.003 more a request × v12's 4 requests.
        #expect(drift[0].impact == Quotient(numerator: 12, denominator: 1000))
    }

    @Test func promptDriftStaysQuietAt20PercentOrLess() throws {
        var rows = ""
        for i in 0..<4 { rows += "2026-10-02T0\(i):00:00Z,T0,Acme,support.reply,m,v11,llm,800,200,0.010,ok\n" }
        for i in 0..<4 { rows += "2026-10-20T0\(i):00:00Z,T0,Acme,support.reply,m,v12,llm,1000,200,0.012,ok\n" }
        let r = try alerts(tickets: tickets(1), requests: rows)
        #expect(r.alerts.filter { $0.kind == .prompt_drift }.isEmpty)
        #expect(r.drift.count == 1)
        #expect(r.drift[0].costChange == Quotient(numerator: 1, denominator: 5))
    }

    @Test func tenantConcentrationAbove25Percent() throws {
        // 4 tickets: Globex 2 ($0.30 each), Acme and Initech 1 each ($0.20): Globex 60%.
        let t = tickets(4) { ["Globex", "Globex", "Acme", "Initech"][$0] }
        let rows = (0..<4).map { "2026-10-02T00:00:0\($0)Z,T\($0),,e,m,v1,llm,1,1,\($0 < 2 ? "0.30" : "0.20"),ok" }.joined(separator: "\n") + "\n"
        let r = try alerts(tickets: t, requests: rows)
        let c = r.alerts.filter { $0.kind == .tenant_concentration }
        #expect(c.count == 1)
        #expect(c[0].subject == "Globex")
        #expect(c[0].value == "60.0%")
        // Raise the limit above 60% and it is quiet.
        let quiet = try alerts(tickets: t, requests: rows, config: "[alerts]\ntenant_concentration_share = 0.6\n")
        #expect(quiet.alerts.filter { $0.kind == .tenant_concentration }.isEmpty)
    }

    @Test func theLongTailFiresWhenTicketsAboveP99TakeOver10Percent() throws {
        // 100 tickets at $0.10, except T99 at $5.00: p99 = $0.10, T99 is above it with 5.00 / 14.90 = 33.6%.
        let rows = (0..<100).map { "2026-10-02T00:00:00Z,T\($0),,e,m,v1,llm,1,1,\($0 == 99 ? "5.00" : "0.10"),ok" }.joined(separator: "\n") + "\n"
        let r = try alerts(tickets: tickets(100), requests: rows)
        let d = r.distribution!
        #expect(d.p50 == Money(nanos: 100_000_000))
        #expect(d.p99 == Money(nanos: 100_000_000))
        #expect(d.max == Money(dollars: 5))
        #expect(d.aboveP99 == 1)
        #expect(d.outliers.map(\.id) == ["T99"])
        #expect(d.aboveP99Share!.formatted(decimals: 4) == "0.3356")
        #expect(r.alerts.filter { $0.kind == .ticket_outliers }.count == 1)
        // Even costs: nothing above p99, no alert.
        let even = (0..<100).map { "2026-10-02T00:00:00Z,T\($0),,e,m,v1,llm,1,1,0.10,ok" }.joined(separator: "\n") + "\n"
        let q = try alerts(tickets: tickets(100), requests: even)
        #expect(q.distribution!.aboveP99 == 0)
        #expect(q.alerts.filter { $0.kind == .ticket_outliers }.isEmpty)
    }

    @Test func budgetsWarnAt80AndExceedAt100() throws {
        let t = tickets(3) { ["Globex", "Acme", "Initech"][$0] }
        let rows = "2026-10-02T00:00:00Z,T0,,e,m,v1,llm,1,1,85,ok\n2026-10-02T00:00:00Z,T1,,e,m,v1,llm,1,1,120,ok\n2026-10-02T00:00:00Z,T2,,e,m,v1,llm,1,1,10,ok\n"
        let config = "[budgets]\nGlobex = 100\nAcme = 100.00\nInitech = 100\n[alerts]\ntenant_concentration_share = 0.9\n"
        // The month still open (its data reaches October 2): the warning projects the pace to the 31st.
        let r = try alerts(tickets: t, requests: rows, config: config, closed: false)
        #expect(r.budgets.map(\.state) == [.exceeded, .warning, .ok])   // Acme, Globex, Initech (sorted)
        #expect(r.budgets.map(\.tenant) == ["Acme", "Globex", "Initech"])
        let b = r.alerts.filter { $0.kind == .budget }
        #expect(b.map(\.message) == [
            "Acme exceeded its monthly budget: $120.00 spent of $100.00 (120.0%), $20.00 over.",
            "Globex has used 85.0% of its monthly budget: $85.00 spent of $100.00 by day 2 of 31; at this pace the month ends at $1,317.50, $1,217.50 over.",
        ])
        // In dollars: the spend beyond the budget, and the projected spend beyond it.
        #expect(b.map(\.impact) == [Quotient(20), Quotient(numerator: 243_500, denominator: 200)])
        // The month closed: the warning says so, and is worth nothing.
        let closed = try alerts(tickets: t, requests: rows, config: config, closed: true).alerts.filter { $0.kind == .budget }
        #expect(closed[1].message == "Globex used 85.0% of its monthly budget: $85.00 spent of $100.00. The month is closed: no more spend will come, $15.00 left unspent.")
        #expect(closed[1].impact == Quotient(0) && closed[0].impact == Quotient(20))
    }

    @Test func burstsFireOnlyWhenVolumeSpikesAndSuccessFalls() throws {
        // Hours 0..9 of Oct 2 with 10 requests each; hour 10 with 40 requests of which 8 fail (80% ok).
        var rows = ""
        for h in 0..<10 { for m in 0..<10 { rows += "2026-10-02T\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m):00Z,T0,,e,m,v1,llm,1,1,0.01,ok\n" } }
        for m in 0..<40 { rows += "2026-10-02T10:\(m < 10 ? "0" : "")\(m):00Z,T0,,e,m,v1,llm,1,1,0.01,\(m < 8 ? "error" : "ok")\n" }
        let r = try alerts(tickets: tickets(1), requests: rows)
        let b = r.alerts.filter { $0.kind == .burst }
        #expect(r.medianHour == 10)
        #expect(b.count == 1)
        #expect(b[0].subject == "2026-10-02 10:00 UTC")
        #expect(b[0].message.hasPrefix("2026-10-02 10:00 UTC: 40 requests, 4.0x the median hour (10), and only 80.0% succeeded."))
        // The same spike with every call succeeding is traffic, not an incident.
        let ok = rows.replacingOccurrences(of: ",error\n", with: ",ok\n")
        #expect(try alerts(tickets: tickets(1), requests: ok).alerts.filter { $0.kind == .burst }.isEmpty)
    }
}

@Suite struct AlertMeasureTests {
    /// A drift alert fired by tokens per request shows tokens, not the cost change that did not fire.
    @Test func theAlertRowShowsTheMeasureThatFired() throws {
        var rows = "timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,output_tokens,cost_usd,status\n"
        for i in 0..<4 { rows += "2026-10-02T0\(i):00:00Z,T0,Acme,support.reply,m,v11,llm,800,200,0.010,ok\n" }
        for i in 0..<4 { rows += "2026-10-20T0\(i):00:00Z,T0,Acme,support.reply,m,v12,llm,1000,207,0.011,ok\n" }
        let a = try month(tickets: "ticket_id,outcome,closed_at\nT0,auto_resolved,2026-10-21T00:00:00Z\n", requests: rows)
        let drift = Alerts.evaluate(a, ticketIDs: a.ticketIDs).alerts.filter { $0.kind == .prompt_drift }
        // Cost +10% (below 20%), tokens +20.7% (above): the row shows tokens per request +20.7% against +20.0%.
        #expect(drift.count == 1 && drift[0].value == "tokens per request +20.7%" && drift[0].threshold == "+20.0%")
    }
}
