// The assumptions table: every assumption with its value, where it was set and its change since
// the previous month of the site; on the page, in assumptions.csv and as a sheet of report.xlsx.
import Foundation
import Testing
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
@testable import CostperCore
@testable import CostperSite

@Suite struct AssumptionsTests {
    @Test func theTinyMonthsAssumptionsSayWhereEachWasSet() throws {
        let site = try buildMonth(fixture("tiny"), prices: tinyPrices, pack: BoardPack(xlsx: true))
        let csv = String(decoding: try #require(site.monthFiles["assumptions.csv"]), as: UTF8.self)
        let rows = csv.dropFirst().split(separator: "\r\n").map(String.init)
        #expect(rows[0] == "assumption,value,set_in,change_since_previous_month")
        // tiny's costper.toml sets [labor] and [baseline] cost_per_resolved_usd = 8.00.
        #expect(rows.contains("Labour rate (review and escalations),\"$60,000 a year, 1,800 hours ($0.56/min)\",costper.toml [labor],—"), "\(csv)")
        #expect(rows.contains("Human baseline per resolved ticket,$8.00,costper.toml [baseline],—"), "\(csv)")
        #expect(rows.contains("Flag rule,more than 2.00x the comparables (median),default,—"), "\(csv)")
        #expect(rows.contains("Exchange rate,none: the month is in USD,default,—"), "\(csv)")
        #expect(rows.count == 10)
        let book = try #require(site.workbook)
        let sheet = try #require(book.sheets.first { $0.name == "assumptions" })
        #expect(sheet.rows.count == 9 && sheet.autofilter)
        let page = String(decoding: try #require(site.monthFiles["index.html"]), as: UTF8.self)
        #expect(page.contains("<td>Labour rate (review and escalations)</td>"))
    }

    /// Against the previous month: a changed assumption says what it was, the others are unchanged.
    @Test func aChangeSinceThePreviousMonthIsNamed() throws {
        let october = try closeTestMonth(fixture("tiny"), prices: tinyPrices)
        var september = october.published
        september.month = Month("2026-09")!
        let i = try #require(september.assumptions.firstIndex { $0.key == "flag_rule" })
        september.assumptions[i].value = "more than 3.00x the comparables (median)"
        september.assumptions.removeAll { $0.key == "go_live" }
        let site = try buildMonth(fixture("tiny"), prices: tinyPrices, published: [september])
        let csv = String(decoding: try #require(site.monthFiles["assumptions.csv"]), as: UTF8.self)
        #expect(csv.contains("Flag rule,more than 2.00x the comparables (median),default,was more than 3.00x the comparables (median) in September 2026"), "\(csv)")
        #expect(csv.contains("Go-live date,not given,default,new since September 2026"), "\(csv)")
        #expect(csv.contains("Exchange rate,none: the month is in USD,default,unchanged"), "\(csv)")
    }
}
