@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

/// `costper sql`: the query's shape, its refusals, [warehouse] settings, and the ticket-level
/// reader's orphan rows. The query's results are checked on real engines by
/// WarehouseRoundTripTests (DuckDB) and `make test-warehouse` (Spark, PostgreSQL).
@Suite struct WarehouseQueryTests {
    let catalog = PriceCatalog([
        ModelPrice(model: "gpt-5.4-nano", inputPerMTok: Money(nanos: 200_000_000), outputPerMTok: Money(nanos: 1_250_000_000)),
        ModelPrice(model: "it's {a} \\model ${env:HOME}", inputPerMTok: Money(dollars: 1), outputPerMTok: Money(dollars: 5),
                   cacheReadPerMTok: Money(nanos: 100_000_000)),
    ])

    func query(_ d: SQLDialect, month: String? = "2026-10", settings: WarehouseSettings = WarehouseSettings(),
               requests: String? = nil, tickets: String? = nil, prices: WarehouseQuery.Prices? = nil) throws -> String {
        try WarehouseQuery(dialect: d, month: month.flatMap(Month.init), requestsTable: requests, ticketsTable: tickets,
                           prices: prices ?? .inline(catalog), settings: settings).sql()
    }

    @Test func everyDialectNamesTheColumnsOfTicketCosts() throws {
        for d in SQLDialect.allCases {
            let sql = try query(d)
            let select = sql.components(separatedBy: "\nSELECT\n").last!
            var at = select.startIndex
            for c in WarehouseQuery.outputColumns {   // in order
                let alias = select.range(of: "AS \(c),", range: at..<select.endIndex) ?? select.range(of: "AS \(c)\n", range: at..<select.endIndex)
                    ?? select.range(of: ".\(c),", range: at..<select.endIndex) ?? select.range(of: ".\(c)\n", range: at..<select.endIndex)
                    ?? select.range(of: " \(c),", range: at..<select.endIndex)
                #expect(alias != nil, "\(d): \(c)")
                if let alias { at = alias.upperBound }
            }
            // Every output column is one ticket_costs.csv reads.
            #expect(WarehouseQuery.outputColumns.allSatisfy(TicketCostsFile.columns.contains))
            #expect(sql.contains("'orphan'"))
            #expect(sql.contains("AS \(d == .postgres ? "NUMERIC" : "DECIMAL")(38,9))"))
        }
    }

    @Test func theMonthIsHalfOpenInUTC() throws {
        let sql = try query(.duckdb, month: "2026-12")
        #expect(sql.contains("ts >= CAST('2026-12-01T00:00:00Z' AS TIMESTAMPTZ) AND ts < CAST('2027-01-01T00:00:00Z' AS TIMESTAMPTZ)"))
        let spark = try query(.spark, month: "2026-02")
        #expect(spark.contains("ts >= CAST('2026-02-01T00:00:00Z' AS TIMESTAMP) AND ts < CAST('2026-03-01T00:00:00Z' AS TIMESTAMP)"))
        #expect(!(try query(.postgres, month: nil)).contains("ts >= "))
    }

    @Test func identifiersAreQuotedPerDialect() throws {
        #expect(try query(.spark, requests: "lake.traces.llm_requests").contains("FROM `lake`.`traces`.`llm_requests` r"))
        #expect(try query(.duckdb, tickets: "support.tickets").contains("FROM \"support\".\"tickets\" t"))
        #expect(try query(.postgres).contains("r.\"timestamp\""))
    }

    @Test func catalogLiteralsAreEscapedAndPricedExactly() throws {
        let pg = try query(.postgres)
        #expect(pg.contains("E'it''s {a} \\\\model ${env:HOME}'"))
        #expect(try query(.duckdb).contains("'it''s {a} \\model ${env:HOME}'"))
        #expect(pg.contains("(CAST('gpt-5.4-nano' AS TEXT), CAST(200000000 AS BIGINT), CAST(1250000000 AS BIGINT), CAST(NULL AS BIGINT))"))
        #expect(pg.contains("CAST(1000000000 AS BIGINT), CAST(5000000000 AS BIGINT), CAST(100000000 AS BIGINT))"))
        let spark = try query(.spark)
        #expect(spark.contains("'it\\'s \\{a} \\\\model $\\{env:HOME}'"))
        #expect(!spark.contains("${"))
        // Half to even to the nano-dollar, per request, in integer arithmetic.
        #expect(spark.contains("(priced_micro div 1000000)"))
        #expect(try query(.duckdb).contains("(priced_micro // 1000000)"))
        #expect(pg.contains("div(priced_micro, 1000000)"))
    }

    @Test func aPriceTableIsReadInsteadOfInlined() throws {
        let sql = try query(.duckdb, prices: .table("ref.model_prices"))
        #expect(sql.contains("FROM \"ref\".\"model_prices\" p"))
        #expect(!sql.contains("VALUES"))
    }

    @Test func refusals() throws {
        for bad in ["requests; DROP TABLE x", "a.b.c.d", "1abc", "", "a..b", "a-b", "\"q\"", "r`x"] {
            #expect(throws: CostperError.self) { try query(.duckdb, requests: bad) }
            #expect((try? query(.duckdb, tickets: bad)) == nil)
            #expect((try? query(.spark, prices: .table(bad))) == nil)
            do { _ = try query(.postgres, requests: bad) } catch let e as CostperError { #expect(e.exitCode == 64) }
        }
        #expect(WarehouseQuery.isTableName("main.requests_2026"))
        #expect(Month("2026-13") == nil && Month("26-10") == nil && Month("2026-1") == nil)
        let control = PriceCatalog([ModelPrice(model: "a\u{0}b", inputPerMTok: .zero, outputPerMTok: .zero)])
        #expect(throws: CostperError.self) { try query(.duckdb, prices: .inline(control)) }
    }

    @Test func warehouseSettings() throws {
        let c = try CostperConfig.parse("""
        [warehouse]
        requests_table = "traces.llm_requests"
        prices_table = "ref.prices"
        [warehouse.requests]
        timestamp = "started_at"
        cached_input_tokens = ""
        [warehouse.tickets]
        ticket_id = "id"
        """)
        #expect(c.warehouse.requestsTable == "traces.llm_requests")
        #expect(c.warehouse.ticketsTable == "tickets")
        #expect(c.warehouse.pricesTable == "ref.prices")
        #expect(c.unknownKeys.isEmpty)
        let sql = try WarehouseQuery(dialect: .postgres, month: Month("2026-10"), prices: .inline(catalog), settings: c.warehouse).sql()
        #expect(sql.contains("FROM \"traces\".\"llm_requests\" r"))
        #expect(sql.contains("r.\"started_at\""))
        #expect(sql.contains("COALESCE(CAST(NULL AS BIGINT), 0) AS cached_input_tokens"))
        #expect(sql.contains("NULLIF(CAST(t.\"id\" AS TEXT), '') AS ticket_id"))
        for bad in ["[warehouse]\nrequests_table = \"x;y\"", "[warehouse.requests]\ntimestamp = \"a b\"", "[warehouse.requests]\nkind = \"\"",
                    "[warehouse.tickets]\noutcome = 3", "warehouse = 3"] {
            #expect(throws: ConfigError.self) { try CostperConfig.parse(bad) }
        }
        // Keys costper does not know stop the run (`costper sql --config` too), as in every other table.
        #expect(throws: ConfigError(file: "costper.toml", line: nil, key: "warehouse.requests.timestam",
                                    reason: "is not a key costper knows; a key costper does not know is refused, not ignored (did you mean \"timestamp\"?)")) {
            try CostperConfig.parse("[warehouse]\nrequests_table = \"x\"\n[warehouse.requests]\ntimestam = \"t\"")
        }
        #expect(throws: ConfigError(file: "costper.toml", line: nil, key: "warehouse.schema",
                                    reason: "is not a key costper knows; a key costper does not know is refused, not ignored")) {
            try CostperConfig.parse("[warehouse]\nschema = \"x\"\n")
        }
    }
}

/// The ticket-level reader's orphan rows: requests whose ticket is not in the source's tickets,
/// counted as requests.csv's orphans are.
@Suite struct TicketCostsOrphanTests {
    func read(_ text: String) throws -> MonthAccounts {
        try TicketCostsFile.accounts(Buffer("ticket_costs.csv", text).input, fixedCosts: nil, config: CostperConfig(), month: Month("2026-10"))
    }

    @Test func orphanRowsAreOrphanRequests() throws {
        let a = try read("""
        ticket_id,outcome,tenant,closed_at,model_usd,retries_usd,vector_db_usd,requests,input_tokens,output_tokens,model
        T1,auto_resolved,acme,2026-10-03T10:00:00Z,0.5,0.1,,3,100,10,m1
        X9,orphan,acme,,0.25,,0.000000001,2,40,4,m1
        X8,orphan,beta,,0.125,,,1,8,1,m2
        X9,orphan,,,0.5,,,1,1,1,
        """)
        #expect(a.tickets == 1)
        #expect(a.requests == 7)
        #expect(a.orphanRequests == 4)
        #expect(a.orphanTickets == 2)
        #expect(a.orphanCost == Money(nanos: 875_000_001))
        #expect(a.total == Money(nanos: 1_475_000_001))
        #expect(a.costByCategory[.model] == Money(nanos: 1_375_000_000))
        #expect(a.costByCategory[.vector_db] == Money(nanos: 1))
        let tenants = try #require(a.table(.tenant))
        #expect(tenants.rows.contains { $0.group == .orphanRequests(of: "acme") && $0.cost == Money(nanos: 250_000_001) && $0.requests == 2 })
        #expect(tenants.rows.contains { $0.group == .orphanRequests(of: "beta") && $0.cost == Money(nanos: 125_000_000) })
        #expect(tenants.rows.contains { $0.group == .orphanRequests(of: nil) || $0.label == "(none) (requests without a ticket)" })
        #expect(tenants.total == a.total)
        let models = try #require(a.table(.model))
        #expect(models.rows.contains { $0.group == .value("m1") && $0.requests == 5 && $0.cost == Money(nanos: 850_000_001) })
        #expect(try #require(a.table(.outcome)).total == a.total)
        #expect(a.rejects.isEmpty)
    }

    @Test func anOrphanRowHasNoReviewAndNoClosedAt() throws {
        let a = try read("""
        ticket_id,outcome,closed_at,review_minutes,human_review_usd,model_usd
        X1,orphan,,3,,0.1
        X2,orphan,,,1.5,0.1
        X3,orphan,2026-10-02T00:00:00Z,,,0.1
        ,orphan,,,,0.1
        """)
        #expect(a.rejects.map(\.column) == ["review_minutes", "human_review_usd", "closed_at", "ticket_id"])
        #expect(a.orphanRequests == 0)
    }
}
