@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite

/// Issue 25 item 10: quality beside cost. Reopened resolutions, the cost per resolved ticket net
/// of them, the reopen rate and CSAT by prompt version and tenant; "not measured" otherwise.
@Suite struct QualityTests {
    /// Ten tickets, six resolved (T1–T6), two of them reopened (T2, T6; T7 is reopened but
    /// escalated, so not a resolution), three rated (5, 3.5, 2). Eleven requests at $0.10: T3 has
    /// one of prompt v1 and one of v2.
    static let tickets = """
    ticket_id,outcome,tenant,closed_at,reopened,csat
    T1,auto_resolved,Acme,2026-10-02T10:00:00Z,false,5
    T2,auto_resolved,Acme,2026-10-02T10:00:00Z,TRUE,
    T3,auto_resolved,Acme,2026-10-02T10:00:00Z,no,
    T4,auto_resolved,Acme,2026-10-02T10:00:00Z,0,
    T5,auto_resolved,Acme,2026-10-02T10:00:00Z,,
    T6,auto_resolved,Bolt,2026-10-02T10:00:00Z,Yes,3.5
    T7,escalated,Bolt,2026-10-02T10:00:00Z,1,
    T8,escalated,Bolt,2026-10-02T10:00:00Z,false,2
    T9,deflected,Bolt,2026-10-02T10:00:00Z,false,
    T10,abandoned,Bolt,2026-10-02T10:00:00Z,false,

    """
    static let prompts = ["T1": ["v1"], "T2": ["v1"], "T3": ["v1", "v2"], "T4": ["v2"], "T5": ["v2"], "T6": ["v2"],
                          "T7": ["v3"], "T8": ["v3"], "T9": ["v3"], "T10": ["v3"]]

    static func folder(tickets: String = tickets, name: String = #function) throws -> URL {
        let dir = try temporaryFolder(name)
        var requests = "timestamp,ticket_id,endpoint,model,prompt_version,kind,input_tokens,output_tokens,cost_usd\n"
        for t in 1...10 {
            for v in prompts["T\(t)"]! { requests += "2026-10-02T09:00:00Z,T\(t),support.reply,gpt-5.4-nano,\(v),llm,100,10,0.10\n" }
        }
        try tickets.write(to: dir.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try requests.write(to: dir.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        try "company = \"Quality Co\"\nresolved_outcomes = [\"auto_resolved\"]\n".write(to: dir.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        return dir
    }

    static func row(_ rows: [QualityRow], _ label: String) -> QualityRow? { rows.first { $0.label == label } }

    @Test func theWorkedExample() throws {
        let a = try accounts(Self.folder())
        #expect(a.rejects.isEmpty, "\(a.rejects)")
        #expect(a.total == Money(nanos: 1_100_000_000))
        #expect(a.resolvedTickets == 6)
        let q = try #require(a.quality)
        #expect(q.reopenedMeasured && q.csatMeasured)
        #expect(q.overall.reopened == 2)
        // $1.10 over 6 − 2 resolutions that stayed resolved: $0.275, against $1.10 / 6 gross.
        #expect(a.costPerResolvedNetOfReopened == Quotient(numerator: 11, denominator: 40))
        #expect(a.costPerResolved == Quotient(numerator: 11, denominator: 60))
        #expect(q.overall.reopenRate == Quotient(numerator: 1, denominator: 3))
        #expect(q.overall.rated == 3)
        #expect(q.overall.meanCSAT == Quotient(numerator: 7, denominator: 2))
        // By tenant.
        let acme = try #require(Self.row(q.byTenant, "Acme")), bolt = try #require(Self.row(q.byTenant, "Bolt"))
        #expect((acme.resolved, acme.reopened, acme.rated) == (5, 1, 1))
        #expect(acme.reopenRate == Quotient(numerator: 1, denominator: 5))
        #expect(acme.meanCSAT == Quotient(5))
        #expect((bolt.tickets, bolt.resolved, bolt.reopened, bolt.rated) == (5, 1, 1, 2))
        #expect(bolt.reopenRate == Quotient(1))
        #expect(bolt.meanCSAT == Quotient(numerator: 11, denominator: 4))
        // By prompt version: T3 counts under v1 and v2.
        #expect(q.byPromptVersion.map(\.label) == ["v2", "v1", "v3"])
        let v1 = try #require(Self.row(q.byPromptVersion, "v1")), v2 = try #require(Self.row(q.byPromptVersion, "v2"))
        let v3 = try #require(Self.row(q.byPromptVersion, "v3"))
        #expect((v1.resolved, v1.reopened, v1.rated) == (3, 1, 1))
        #expect(v1.reopenRate == Quotient(numerator: 1, denominator: 3))
        #expect((v2.resolved, v2.reopened, v2.rated) == (4, 1, 1))
        #expect(v2.reopenRate == Quotient(numerator: 1, denominator: 4))
        #expect(v2.meanCSAT == Quotient(numerator: 7, denominator: 2))
        #expect(v3.resolved == 0 && v3.reopenRate == nil && v3.meanCSAT == Quotient(2))
    }

    @Test func theWorkedExampleOnThePageInTheCSVAndInSummaryJSON() throws {
        let m = try buildMonth(Self.folder(), prices: PriceCatalog())
        let md = String(decoding: try #require(m.monthFiles["report.md"]), as: UTF8.self)
        #expect(md.contains("### Quality beside cost\n\n$0.28 per resolved ticket net of 2 reopened resolutions, against $0.18 gross; reopen rate 33.3%; mean CSAT 3.50 of 5 from 3 rated tickets."))
        #expect(md.contains("| v2 | 4 | 1 | 25.0% | 1 | 3.50 |"))
        #expect(md.contains("| v3 | 0 | 0 | — | 1 | 2.00 |"))
        #expect(md.contains("| Bolt | 1 | 1 | 100.0% | 2 | 2.75 |"))
        #expect(md.contains("| **The month** | **6** | **2** | **33.3%** | **3** | **3.50** |"))
        // The section sits in the cost iceberg, after the outcomes; the tables are left out of print.
        let iceberg = try #require(md.range(of: "## The cost iceberg")), outcomes = try #require(md.range(of: "### Tickets by outcome"))
        let quality = try #require(md.range(of: "### Quality beside cost")), money = try #require(md.range(of: "## Where the money goes"))
        #expect(iceberg.lowerBound < outcomes.lowerBound && outcomes.lowerBound < quality.lowerBound && quality.lowerBound < money.lowerBound)
        #expect(PageSections.printDetail.contains(PageSections.slug("Quality by prompt version and tenant")))
        #expect(!PageSections.printDetail.contains(PageSections.slug("Quality beside cost")))

        let csv = String(decoding: try #require(m.monthFiles["quality.csv"]), as: UTF8.self)
        let lines = csv.replacingOccurrences(of: "\u{FEFF}", with: "").components(separatedBy: "\r\n")
        #expect(lines[0] == "dimension,key,tickets,resolved_tickets,reopened,reopen_rate,rated,mean_csat,cost_per_resolved_ticket_usd,cost_per_resolved_ticket_net_of_reopened_usd")
        #expect(lines[1] == "month,2026-10,10,6,2,0.333333,3,3.500000,0.183333,0.275000")
        #expect(lines.contains("prompt_version,v1,3,3,1,0.333333,1,5.000000,,"))
        #expect(lines.contains("tenant,Bolt,5,1,1,1.000000,2,2.750000,,"))
        // The month's tables are its CSV files and the workbook's sheets.
        #expect(SiteBuilder.monthTables(m.record.report, EarlierComparison(m.record.report)).contains { $0.name == "quality" })

        let summary = try JSONSerialization.jsonObject(with: Data(try #require(m.monthFiles["summary.json"]))) as! [String: Any]
        let q = try #require(summary["quality"] as? [String: Any])
        #expect(q["reopened_resolved_tickets"] as? Int == 2)
        #expect((q["cost_per_resolved_ticket_net_of_reopened_usd"] as? NSNumber)?.decimalValue == Decimal(string: "0.275"))
        #expect((q["by_prompt_version"] as? [Any])?.count == 3)
    }

    /// The page lists the 15 prompt versions with the most resolved tickets; quality.csv has every one.
    @Test func manyPromptVersionsArePrintedToFifteenAndAllAreInTheCSV() throws {
        let dir = try temporaryFolder()
        var tickets = "ticket_id,outcome,tenant,closed_at,reopened,csat\n"
        var requests = "timestamp,ticket_id,endpoint,model,prompt_version,kind,input_tokens,output_tokens,cost_usd\n"
        for t in 1...20 {
            tickets += "T\(t),auto_resolved,Acme,2026-10-02T10:00:00Z,false,4\n"
            requests += "2026-10-02T09:00:00Z,T\(t),support.reply,gpt-5.4-nano,p\(t < 10 ? "0" : "")\(t),llm,100,10,0.10\n"
        }
        try tickets.write(to: dir.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try requests.write(to: dir.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        try "company = \"Quality Co\"\n".write(to: dir.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        let m = try buildMonth(dir, prices: PriceCatalog())
        let md = String(decoding: try #require(m.monthFiles["report.md"]), as: UTF8.self)
        let listed = (1...20).filter { t in md.contains("| p\(t < 10 ? "0" : "")\(t) | 1 | 0 | 0.0% | 1 | 4.00 |") }
        #expect(listed.count == QualityContext.pagePrompts)
        #expect(md.contains("The 20 prompt versions are all in [quality.csv](quality.csv); the table lists those with the most resolved tickets."))
        let csv = String(decoding: try #require(m.monthFiles["quality.csv"]), as: UTF8.self)
        #expect((1...20).allSatisfy { t in csv.contains("prompt_version,p\(t < 10 ? "0" : "")\(t),") })
    }

    @Test func hostileValuesAreRejectedByColumnAndTenantNamesAreNeutralizedInQualityCSV() throws {
        let hostile = """
        ticket_id,outcome,tenant,closed_at,reopened,csat
        T1,auto_resolved,"=HYPERLINK(""http://evil.example"",""click"")",2026-10-02T10:00:00Z,true,4
        T2,auto_resolved,Acme,2026-10-02T10:00:00Z,maybe,
        T3,auto_resolved,Acme,2026-10-02T10:00:00Z,false,7
        T4,auto_resolved,Acme,2026-10-02T10:00:00Z,false,=1+1
        T5,auto_resolved,Acme,2026-10-02T10:00:00Z,\u{1}1,
        T6,auto_resolved,Acme,2026-10-02T10:00:00Z,false,0.5

        """
        let dir = try Self.folder(tickets: hostile)
        let a = try accounts(dir)
        let rejects = a.rejects.filter { $0.file == "tickets.csv" }.sorted()
        #expect(rejects.map { "\($0.line): \($0.column)" } == ["3: reopened", "4: csat", "5: csat", "6: reopened", "7: csat"])
        #expect(rejects[0].reason == "\"maybe\" is not true or false (true/false, 1/0, yes/no)")
        #expect(rejects[1].reason == "\"7\" is not between 1 and 5")
        #expect(rejects[4].reason == "\"0.5\" is not between 1 and 5")
        // Only T1 is left: one resolution, reopened; the net figure has no denominator.
        let q = try #require(a.quality)
        #expect(a.resolvedTickets == 1 && q.overall.reopened == 1)
        #expect(a.costPerResolvedNetOfReopened == nil)

        let m = try buildMonth(dir, prices: PriceCatalog())
        let md = String(decoding: try #require(m.monthFiles["report.md"]), as: UTF8.self)
        #expect(md.contains("— per resolved ticket net of 1 reopened resolution"))
        let csv = String(decoding: try #require(m.monthFiles["quality.csv"]), as: UTF8.self)
        #expect(csv.contains("HYPERLINK"))
        #expect(!csv.contains(",=") && !csv.contains(",\"="))
        #expect(csv.contains("tenant,\"'=HYPERLINK("))
    }

    @Test func quietWhenTheColumnsAreAbsent() throws {
        let m = try buildMonth(fixture("tiny"), prices: tinyPrices)
        #expect(m.record.report.accounts.quality == nil)
        let md = String(decoding: try #require(m.monthFiles["report.md"]), as: UTF8.self)
        #expect(md.contains("### Quality beside cost\n\nQuality is not measured: tickets.csv has no reopened or csat column.\n"))
        #expect(!md.contains("### Quality by prompt version and tenant"))
        let csv = String(decoding: try #require(m.monthFiles["quality.csv"]), as: UTF8.self)
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1)
        let summary = try JSONSerialization.jsonObject(with: Data(try #require(m.monthFiles["summary.json"]))) as! [String: Any]
        #expect(summary["quality"] is NSNull)
    }

    @Test func columnsPresentButEmptyOrOnlyCSAT() throws {
        let onlyCSAT = """
        ticket_id,outcome,tenant,closed_at,reopened,csat
        T1,auto_resolved,Acme,2026-10-02T10:00:00Z,,4
        T2,escalated,Acme,2026-10-02T10:00:00Z,,

        """
        let a = try accounts(Self.folder(tickets: onlyCSAT))
        let q = try #require(a.quality)
        #expect(!q.reopenedMeasured && q.csatMeasured)
        #expect(a.costPerResolvedNetOfReopened == nil)
        let empty = "ticket_id,outcome,tenant,closed_at,reopened,csat\nT1,auto_resolved,Acme,2026-10-02T10:00:00Z,,\n"
        #expect(try accounts(Self.folder(tickets: empty)).quality == nil)
    }

    @Test func aRecordWithoutQualityStillDecodes() throws {
        let a = try accounts(Self.folder())
        #expect(a.quality != nil)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(a)) as! [String: Any]
        json["quality"] = nil
        let old = try JSONDecoder().decode(MonthAccounts.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.quality == nil && old.total == a.total)
    }

    /// The sample month's quality, against a count made here from its CSV files with a loop.
    @Test func theSampleMonthAgainstAnIndependentCount() throws {
        let a = try EconomicsSampleTests.record.get().report.accounts
        let q = try #require(a.quality)
        let sample = repoRoot.appendingPathComponent("data/sample")
        let tickets = SampleMonthEndToEndTests.naiveCSV(try String(contentsOf: sample.appendingPathComponent("tickets.csv"), encoding: .utf8))
        let requests = SampleMonthEndToEndTests.naiveCSV(try String(contentsOf: sample.appendingPathComponent("requests.csv"), encoding: .utf8))
        var versions: [String: Set<String>] = [:]
        for r in requests { versions[r["ticket_id"]!, default: []].insert(r["prompt_version"]!) }
        var resolved = 0, reopened = 0, rated = 0, csatTenths = 0
        var byVersion: [String: (resolved: Int, reopened: Int)] = [:], byTenant: [String: (resolved: Int, reopened: Int)] = [:]
        for t in tickets {
            let isResolved = t["outcome"] == "auto_resolved", isReopened = isResolved && t["reopened"] == "true"
            if isResolved { resolved += 1 }
            if isReopened { reopened += 1 }
            if let c = t["csat"], !c.isEmpty { rated += 1; csatTenths += Int(Double(c)! * 10 + 0.5) }
            for v in versions[t["ticket_id"]!, default: [""]] {
                byVersion[v, default: (0, 0)].resolved += isResolved ? 1 : 0
                byVersion[v, default: (0, 0)].reopened += isReopened ? 1 : 0
            }
            byTenant[t["tenant"]!, default: (0, 0)].resolved += isResolved ? 1 : 0
            byTenant[t["tenant"]!, default: (0, 0)].reopened += isReopened ? 1 : 0
        }
        #expect((resolved, reopened, rated) == (3_412, 143, 3_328))
        #expect(csatTenths == 139_370)
        #expect(a.resolvedTickets == resolved && q.overall.reopened == reopened && q.overall.rated == rated)
        #expect(q.overall.meanCSAT == Quotient(numerator: Int128(csatTenths), denominator: Int128(rated) * 10))
        #expect(a.costPerResolvedNetOfReopened == a.total.quotient(per: resolved - reopened))
        for x in q.byPromptVersion {
            let want = try #require(byVersion[x.group == .unnamed ? "" : x.label], "\(x.label)")
            #expect((x.resolved, x.reopened) == (want.resolved, want.reopened), "\(x.label)")
        }
        #expect(Set(q.byPromptVersion.map(\.label)) == Set(byVersion.keys))
        #expect(byVersion["v11"]! == (1_710, 53) && byVersion["v12"]! == (1_702, 90))
        for x in q.byTenant {
            let want = try #require(byTenant[x.label], "\(x.label)")
            #expect((x.resolved, x.reopened) == (want.resolved, want.reopened), "\(x.label)")
        }
        #expect(q.byTenant.count == byTenant.count)
        // The sentence, with the figures the sample prints.
        let md = QualityContext.sentence(a)
        #expect(md.hasPrefix("\(AmountFormat.usd.unit(a.total.quotient(per: resolved - reopened))) per resolved ticket net of 143 reopened resolutions, against \(AmountFormat.usd.unit(a.costPerResolved)) gross; reopen rate 4.2%; mean CSAT 4.19 of 5 from 3,328 rated tickets."))
    }
}
