@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
import CostperIO

/// Page 1's findings of the sample month: their order (dollars a month at stake) and figures, as
/// issue 26 reads the month: the saving in dollars, escalations 20% of tickets and most of the
/// cost, the November plan 20% below our costs, the resolution rate behind the go-live plan,
/// Wayne Finance below break-even.
@Suite struct FindingsTests {
    @Test func theSampleMonthsFindingsInDollarOrder() throws {
        let r = try EconomicsSampleTests.record.get().report
        let f = Finding.of(r)
        // With every bill in the all-in ($1.34), the November plan is 28.9% below our own costs and
        // five tenants are below the margin floor; the service-type plans are within 25%.
        #expect(f.map(\.kind) == [.saving, .escalations, .plan_gap, .margin, .resolution_plan])
        #expect(f.map { AmountFormat.usd.amount($0.atStake) } == ["$7,170.91", "$3,730.92", "$1,358.45", "$366.00", "$303.54"])
        #expect(f[0].figure == "The AI saves $7,170.91 a month ($86,051 a year) against people handling the same tickets.")
        #expect(f[1].figure == "Escalated tickets are 20.4% of tickets and 81.8% of the month's cost ($3,730.92).")
        #expect(f[1].lever == "Each point of escalation rate turned into AI resolutions is worth $172.47 a month.")
        #expect(f[2].figure == "The plan for November 2026 is $0.95 a resolved ticket, 28.9% below this month's $1.34.")
        #expect(f[2].why == "At its 3,850 tickets our own costs give $1.30 a ticket, $5,015.95 a month. It names no driver for the change.")
        #expect(f[3].figure == "5 tenants are below the 20% margin floor (Wayne Finance, 東京サポート株式会社, \"Initech\" Ltd, …); Wayne Finance loses $20.98 a month.")
        #expect(f[3].why == "Wayne Finance pays $1.50 a resolved ticket; it costs $1.68, the price it breaks even at.")
        #expect(f[3].lever == "Pricing them at the floor (Wayne Finance: $2.10 a resolved ticket) adds $366.00 a month.")
        #expect(f[4].figure == "The autonomous resolution rate is 68.2%, behind the go-live plan's 70%–80% at day 76 after go-live.")
        // Exact: the plan gap is our run rate at 3,850 less the plan, times 3,850.
        let rate = try #require(r.accounts.runRate(at: 3_850))
        #expect(f[2].atStake == rate.minus(Quotient(numerator: 95, denominator: 100)).times(Quotient(3_850)))
        // Plain words: no setting names on page 1.
        for x in f { for t in [x.figure, x.why, x.lever] { #expect(!t.contains("_") && !t.contains("[") && !t.contains("costper.toml"), "\(t)") } }
    }

    @Test func atMostFiveFindingsAndNoneForAnEmptyEconomy() throws {
        let r = try EconomicsSampleTests.record.get().report
        #expect(Finding.of(r).count <= Finding.limit)
        var bare = r
        bare.economics = nil; bare.margins = nil; bare.lines = []; bare.resolution = ResolutionReview()
        #expect(Finding.of(bare).isEmpty)
    }

    @Test func theFindingsAreOnPageOneAndInTheirCSV() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("findings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try runCostper(["report", "--input", repoRoot.appendingPathComponent("data/sample").path, "--out", out.path, "--no-pdf"])
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("2026-10/index.html"), encoding: .utf8)
        let findings = try #require(page.range(of: "<ol class=\"findings\""))
        let tiles = try #require(page.range(of: "<div class=\"tiles\">"))
        #expect(findings.lowerBound < tiles.lowerBound)
        #expect(page.contains("<li><strong>The AI saves $7,170.91 a month ($86,051 a year) against people handling the same tickets.</strong>"))
        let csv = try String(contentsOf: out.appendingPathComponent("2026-10/findings.csv"), encoding: .utf8)
        let rows = csv.components(separatedBy: .newlines).filter { !$0.isEmpty }
        #expect(rows.count == 6 && rows[1].hasPrefix("1,saving,7170.908469,") && rows[0].hasSuffix("rank,kind,at_stake_usd,figure,why,lever"))
    }
}

/// The next quarter from our own costs (issue 26 item 3), and the page's sections and contents.
@Suite struct ForwardViewTests {
    @Test func theSampleMonthsNextQuarter() throws {
        let r = try EconomicsSampleTests.record.get().report
        let f = try #require(ForwardView.of(r))
        #expect(f.months.map(\.month.description) == ["2026-11", "2026-12", "2027-01"])
        // November at the plan's 3,850 resolved tickets: our run rate × 3,850 = variable × 3,850 + fixed.
        let nov = f.months[0]
        #expect(nov.fromPlan && nov.volume == 3_850 && AmountFormat.usd.amount(nov.base) == "$5,015.95")
        let rate = try #require(r.accounts.runRate(at: 3_850))
        #expect(nov.base == rate.times(Quotient(3_850)))
        #expect(AmountFormat.usd.amount(nov.low) == "$4,214.36" && AmountFormat.usd.amount(nov.high) == "$5,817.54")
        // ±20% moves only the variable part: high − base = base − low = 20% of the variable cost.
        #expect(nov.high.minus(nov.base) == nov.base.minus(nov.low))
        // No whole-month plan for December or January: this month's resolved tickets, this month's cost.
        #expect(!f.months[1].fromPlan && f.months[1].volume == 3_412 && f.months[1].base == r.accounts.total.dollars)
        #expect(AmountFormat.usd.amount(f.quarter) == "$14,135.91" && AmountFormat.usd.amount(f.annualRunRate, decimals: 0) == "$54,720")
        #expect(f.months.map { $0.target?.daysLive } == [106, 137, 168] && f.months[0].target?.stage.low == Quotient(numerator: 70, denominator: 100))
    }

    @Test func sectionsGetIdsAndTheBreakdownsAreLeftOutOfPrint() {
        var used: Set<String> = []
        let w = PageSections.wrap("<p>x</p>\n<h2>The cost iceberg</h2>\n<p>a</p>\n<h3>By Tenant</h3>\n<p>t</p>\n<h3>By Model</h3>\n<p>m</p>\n<h2>The cost iceberg</h2>\n", used: &used)
        #expect(w.html == "<p>x</p>\n<section id=\"the-cost-iceberg\">\n<h2>The cost iceberg</h2>\n<p>a</p>\n<section id=\"by-tenant\">\n<h3>By Tenant</h3>\n<p>t</p>\n</section>\n"
            + "<p class=\"print-only\">Left out of print, on the site page, in report.xlsx and the CSVs: every breakdown but the tenants', the weeks, the long tail of ticket costs, the prompt versions, the bills line by line, the published ranges, the quality and model tables and the rows read per file.</p>\n"
            + "<section id=\"by-model\" class=\"detail\">\n<h3>By Model</h3>\n<p>m</p>\n</section>\n</section>\n<section id=\"the-cost-iceberg-2\">\n<h2>The cost iceberg</h2>\n</section>\n")
        #expect(w.contents.map(\.id) == ["the-cost-iceberg", "the-cost-iceberg-2"])
        #expect(PageSections.slug("Like for like: the AI layer, and build or buy") == "like-for-like-the-ai-layer-and-build-or-buy")
        #expect(PageSections.slug("東京") == "section")
    }

    @Test func theSamplePageHasItsContentsAndEverySectionItLinksTo() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("toc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = try runCostper(["report", "--input", repoRoot.appendingPathComponent("data/sample").path, "--out", out.path, "--no-pdf"])
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("2026-10/index.html"), encoding: .utf8)
        let nav = try #require(page.components(separatedBy: "<nav class=\"toc\"").dropFirst().first?.components(separatedBy: "</nav>").first)
        let links = nav.components(separatedBy: "href=\"#").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(links.count >= 10 && links.contains("the-cost-iceberg") && links.contains("method"))
        for id in links { #expect(page.contains("<section id=\"\(id)\""), "\(id)") }
        #expect(page.contains("<section id=\"by-segment\" class=\"detail\">") && page.contains("<section id=\"by-tenant\">"))
    }
}
