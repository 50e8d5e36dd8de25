@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
import CostperIO

/// Issue 25 item 9: an honest margin. A tenant that paid and was served nothing is listed apart
/// from the ranking and the headline margin (both margins shown); revenue concentration beside cost
/// concentration; a cost budget above revenue × (1 − the margin floor) is noted.
@Suite struct HonestMarginTests {
    @Test func theSampleMonthsMarginWithoutTheTenantServedNothing() throws {
        let r = try EconomicsSampleTests.record.get().report
        let m = try #require(r.margins)
        // Hooli Labs paid $300.00 in revenue.csv and had no ticket and no request.
        #expect(m.unserved.map(\.tenant) == ["Hooli Labs"] && AmountFormat.usd.amount(m.unservedRevenue) == "$300.00")
        #expect(!m.served.contains { $0.tenant == "Hooli Labs" })
        // Served: $5,918.00 of revenue, $1,358.02 of margin, 22.9%; with Hooli's $300: 26.7%.
        #expect(AmountFormat.usd.amount(m.servedRevenue) == "$5,918.00" && AmountFormat.usd.amount(m.servedMargin) == "$1,358.02" && Show.percent(m.servedMarginShare) == "22.9%")
        #expect(AmountFormat.usd.amount(m.revenue) == "$6,218.00" && Show.percent(m.marginShare) == "26.7%")
        #expect(m.servedRevenue.nanos + m.unservedRevenue.nanos == m.revenue.nanos && m.servedCost == m.cost)
        #expect(m.servedMarginShare == Quotient(numerator: Int128(m.servedMargin.nanos), denominator: Int128(m.servedRevenue.nanos)))
    }

    @Test func thePageShowsBothMarginsTheConcentrationsAndTheBudgets() throws {
        let built = try buildMonth(repoRoot.appendingPathComponent("data/sample"), prices: try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-10"))
        let md = String(decoding: try #require(built.monthFiles["report.md"]), as: UTF8.self)
        #expect(md.contains("| Gross margin on AI support (see Margin by tenant) | 22.9% ($1,358.02 on $5,918.00 of revenue from the tenants served); 26.7% with the $300.00 of revenue from tenants served nothing this month |"))
        #expect(md.contains("revenue of tenants served nothing this month (no ticket, no request): Hooli Labs ($300.00);"))
        // The ranking holds the served tenants only; its total is theirs.
        let table = md[md.range(of: "Table: Margin by tenant")!.lowerBound...].prefix(4_000)
        #expect(!table.contains("| Hooli Labs |"))
        #expect(table.contains("| **Total** | **$5,918.00** |"))
        #expect(md.contains("The largest tenant by revenue is Globex, Inc., 29.9% of the served tenants' revenue; by cost, Globex, Inc., 25.7% of their cost."))
        // Initech's budget ($1,170) is above 80% of its $891 of revenue ($712.80): noted; Globex's
        // ($1,235 against 80% of $1,768 = $1,414.40) is not.
        #expect(md.contains("Cost budgets above what the tenant's revenue allows at the 20.0% margin floor: \"Initech\" Ltd, a budget of $1,170.00 against $712.80 ($891.00 of revenue × 80.0%); Acme Corp, a budget of $1,000.00 against $535.20 ($669.00 of revenue × 80.0%)."))
        #expect(!md.contains("Globex, Inc., a budget of"))
        // The CSV marks who was served and gives both totals.
        let csv = String(decoding: try #require(built.monthFiles["margin_by_tenant.csv"]), as: UTF8.self)
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows[0].hasSuffix(",dominant_driver,served"))
        #expect(rows.contains { $0.hasPrefix("Hooli Labs,300.000000,0.000000,300.000000,") && $0.hasSuffix(",false") })
        #expect(rows.contains { $0.hasPrefix("total of the tenants served,5918.000000,") })
        #expect(rows.last?.hasPrefix("total,6218.000000,") == true)
    }
}
