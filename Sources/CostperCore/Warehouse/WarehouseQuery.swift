// costper sql: one SQL query that turns a warehouse's requests and tickets tables into the rows of
// ticket_costs.csv, with costper's rules (categories, retries, catalog pricing, half-to-even
// rounding to the nano-dollar per request, the month's bounds, orphans). Pure: text in, text out.
// docs/warehouse.md says how to run it on each engine.
import CostperMoney
import CostperIngest
import CostperVocabulary
import TOMLKit

/// The SQL engines the query is written for.
package enum SQLDialect: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case spark, duckdb, postgres
}

/// Where the warehouse keeps costper's fields: costper.toml's `[warehouse]` table.
///
/// ```toml
/// [warehouse]
/// requests_table = "traces.llm_requests"   # --requests overrides
/// tickets_table = "support.tickets"        # --tickets overrides
/// prices_table = "ref.model_prices"        # --prices overrides; absent = the catalog inlined
/// [warehouse.requests]                     # canonical column = the table's column ("" = absent)
/// timestamp = "started_at"
/// [warehouse.tickets]
/// ticket_id = "id"
/// ```
package struct WarehouseSettings: Equatable, Sendable, Codable {
    package var requestsTable = "requests"
    package var ticketsTable = "tickets"
    package var pricesTable: String?
    /// Canonical requests.csv column → the requests table's column ("" when the table has none).
    package var requestColumns: [String: String] = [:]
    /// Canonical tickets.csv column → the tickets table's column ("" when the table has none).
    package var ticketColumns: [String: String] = [:]

    package init() {}

    /// The requests.csv columns the query reads.
    package static let requestColumnNames = ["timestamp", "ticket_id", "tenant", "endpoint", "model", "prompt_version", "kind",
                                            "input_tokens", "cached_input_tokens", "output_tokens", "cost_usd", "attempt", "status"]
    /// The tickets.csv columns the query reads (and passes through).
    package static let ticketColumnNames = TicketBook.baseColumns
    static let requiredRequestColumns: Set<String> = ["timestamp", "ticket_id", "kind"]
    /// Every key of `[warehouse]` and its tables, for "did you mean".
    static var keyNames: [String] {
        ["requests_table", "tickets_table", "prices_table", "requests", "tickets"] + requestColumnNames.sorted() + ticketColumnNames.sorted()
    }
    static let requiredTicketColumns: Set<String> = ["ticket_id", "outcome"]

    /// Reads `[warehouse]` (nil when costper.toml has none); keys costper does not know are
    /// returned for the notice that lists them, as other tables' are.
    static func parse(_ value: TOMLValueConvertible?, reader: TOMLReader) throws(ConfigError) -> (WarehouseSettings, unknown: [String]) {
        var w = WarehouseSettings()
        var unknown: [String] = []
        guard let value else { return (w, unknown) }
        let t = try reader.table(value, "warehouse")
        for key in t.keys.sorted() {
            let v = t[key]!
            switch key {
            case "requests_table", "tickets_table", "prices_table":
                let name = try reader.string(v, "warehouse.\(key)")
                guard WarehouseQuery.isTableName(name) else {
                    throw reader.fail("warehouse.\(key)", "\(Scalars.quoteForMessage(name)) is not a table name (letters, digits and _, up to three parts joined by dots)")
                }
                if key == "requests_table" { w.requestsTable = name } else if key == "tickets_table" { w.ticketsTable = name } else { w.pricesTable = name }
            case "requests", "tickets":
                let columns = try reader.table(v, "warehouse.\(key)")
                let canonical = key == "requests" ? requestColumnNames : ticketColumnNames
                let required = key == "requests" ? requiredRequestColumns : requiredTicketColumns
                var map: [String: String] = [:]
                for c in columns.keys.sorted() {
                    guard canonical.contains(c) else { unknown.append("warehouse.\(key).\(c)"); continue }
                    let name = try reader.string(columns[c]!, "warehouse.\(key).\(c)")
                    if name.isEmpty && required.contains(c) { throw reader.fail("warehouse.\(key).\(c)", "is required and cannot be empty") }
                    guard name.isEmpty || WarehouseQuery.isIdentifier(name) else {
                        throw reader.fail("warehouse.\(key).\(c)", "\(Scalars.quoteForMessage(name)) is not a column name (letters, digits and _, not starting with a digit)")
                    }
                    map[c] = name
                }
                if key == "requests" { w.requestColumns = map } else { w.ticketColumns = map }
            default:
                unknown.append("warehouse.\(key)")
            }
        }
        return (w, unknown)
    }
}

/// The query of `costper sql`.
package struct WarehouseQuery: Sendable {
    package enum Prices: Sendable {
        /// The catalog written into the query as a VALUES list.
        case inline(PriceCatalog)
        /// A table in models.csv form: model, input_per_mtok_usd, output_per_mtok_usd, cache_read_per_mtok_usd.
        case table(String)
    }

    package var dialect: SQLDialect
    /// The month's bounds; nil reads every row (costper then picks the month from closed_at).
    package var month: Month?
    package var requestsTable: String
    package var ticketsTable: String
    package var prices: Prices
    package var settings: WarehouseSettings

    package init(dialect: SQLDialect, month: Month?, requestsTable: String? = nil, ticketsTable: String? = nil,
                prices: Prices, settings: WarehouseSettings = WarehouseSettings()) {
        self.dialect = dialect
        self.month = month
        self.requestsTable = requestsTable ?? settings.requestsTable
        self.ticketsTable = ticketsTable ?? settings.ticketsTable
        self.prices = prices
        self.settings = settings
    }

    /// The columns of the result, in order: those of ticket_costs.csv. Human review is left to
    /// costper (review_minutes × the loaded rate of costper.toml), as with tickets.csv.
    package static let outputColumns = TicketBook.baseColumns
        + ["model_usd", "retries_usd", "embeddings_usd", "vector_db_usd", "observability_usd", "integrations_usd"]
        + ["requests", "input_tokens", "output_tokens", "model", "prompt_version", "endpoint"]

    /// The outcome of a row that stands for requests whose ticket is not in the tickets table.
    package static let orphanOutcome = TicketCostsFile.orphanOutcome

    // MARK: refusals

    /// A plain SQL identifier: a letter or _, then letters, digits or _ (at most 128 bytes).
    package static func isIdentifier(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let first = b.first, b.count <= 128 else { return false }
        func letter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
        return letter(first) && b.allSatisfy { letter($0) || ($0 >= 48 && $0 <= 57) }
    }

    /// A table name: one to three identifiers joined by dots (table, schema.table, catalog.schema.table).
    package static func isTableName(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return (1...3).contains(parts.count) && parts.allSatisfy { isIdentifier(String($0)) }
    }

    /// Checks every name that reaches the query: a usage error (exit 64) names the first bad one.
    package func check() throws(CostperError) {
        for (what, name) in [("--requests", requestsTable), ("--tickets", ticketsTable)] where !WarehouseQuery.isTableName(name) {
            throw CostperError(.usage, "\(what): \(Scalars.quoteForMessage(name)) is not a table name (letters, digits and _, up to three parts joined by dots)")
        }
        if case .table(let name) = prices, !WarehouseQuery.isTableName(name) {
            throw CostperError(.usage, "--prices: \(Scalars.quoteForMessage(name)) is not a table name (letters, digits and _, up to three parts joined by dots)")
        }
        for (c, name) in settings.requestColumns.merging(settings.ticketColumns, uniquingKeysWith: { a, _ in a }) where !name.isEmpty && !WarehouseQuery.isIdentifier(name) {
            throw CostperError(.usage, "[warehouse] \(c): \(Scalars.quoteForMessage(name)) is not a column name")
        }
        if case .inline(let catalog) = prices {
            for name in catalog.modelNames where name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
                throw CostperError(.badData, "the price catalog's model \(Scalars.quoteForMessage(name)) holds a control character: it cannot be written into a query")
            }
        }
    }

    // MARK: dialect

    func quote(_ identifier: String) -> String {
        dialect == .spark ? "`\(identifier)`" : "\"\(identifier)\""
    }

    func table(_ name: String) -> String {
        name.split(separator: ".").map { quote(String($0)) }.joined(separator: ".")
    }

    var text: String { switch dialect { case .spark: "STRING"; case .duckdb: "VARCHAR"; case .postgres: "TEXT" } }
    /// Whole numbers wider than 64 bits: tokens × nano-dollars per million tokens.
    var wide: String { switch dialect { case .spark: "DECIMAL(38,0)"; case .duckdb: "HUGEINT"; case .postgres: "NUMERIC(38,0)" } }
    var decimal17: String { dialect == .postgres ? "NUMERIC(27,17)" : "DECIMAL(27,17)" }
    var money: String { dialect == .postgres ? "NUMERIC(38,9)" : "DECIMAL(38,9)" }
    var timestamp: String { dialect == .spark ? "TIMESTAMP" : "TIMESTAMPTZ" }

    func intDiv(_ a: String, _ b: String) -> String {
        switch dialect {
        case .spark: return "(\(a) div \(b))"
        case .duckdb: return "(\(a) // \(b))"
        case .postgres: return "div(\(a), \(b))"
        }
    }

    /// A string literal. Only the price catalog's model names and costper's own words become
    /// literals, never a value of the tables; quotes and backslashes are escaped per dialect
    /// (PostgreSQL: an E'' string when there is a backslash; Spark also escapes `{`, so that
    /// `${...}` is never a variable to substitute).
    package func literal(_ s: String) -> String {
        switch dialect {
        case .duckdb:
            return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .postgres:
            // With a backslash, an escape string: the same text whatever standard_conforming_strings says.
            let quoted = s.replacingOccurrences(of: "'", with: "''")
            return s.contains("\\") ? "E'" + quoted.replacingOccurrences(of: "\\", with: "\\\\") + "'" : "'" + quoted + "'"
        case .spark:
            var out = "'"
            for ch in s.unicodeScalars {
                switch ch {
                case "\\": out += "\\\\"
                case "'": out += "\\'"
                case "{": out += "\\{"
                case "\"": out += "\\\""
                default: out.unicodeScalars.append(ch)
                }
            }
            return out + "'"
        }
    }

    func timeLiteral(_ epochSeconds: Int64) -> String {
        let m = Month(epochSeconds: epochSeconds)
        return "CAST(\(literal("\(m)-01T00:00:00Z")) AS \(timestamp))"
    }

    /// A value of a column as text, NULL when empty (NULL or '').
    func textColumn(_ alias: String, _ column: String?) -> String {
        guard let column else { return "CAST(NULL AS \(text))" }
        return "NULLIF(CAST(\(alias).\(quote(column)) AS \(text)), '')"
    }

    /// A column cast to `type` through its text (so that '' reads as absent, whatever the column's type).
    func typed(_ alias: String, _ column: String?, _ type: String) -> String {
        guard let column else { return "CAST(NULL AS \(type))" }
        return "CAST(NULLIF(CAST(\(alias).\(quote(column)) AS \(text)), '') AS \(type))"
    }

    /// Nano-dollars rounded half to even from an amount already multiplied by 10^9 (a decimal
    /// with 17 places): the rounding costper's readers give a cost with more than 9 decimals.
    func halfEvenNanos(_ scaled: String) -> String {
        let floor = "FLOOR(\(scaled))"
        return "(CAST(\(floor) AS BIGINT) + CASE WHEN \(scaled) - \(floor) > 0.5 THEN 1 WHEN \(scaled) - \(floor) < 0.5 THEN 0 "
            + "WHEN MOD(CAST(\(floor) AS BIGINT), 2) = 1 THEN 1 ELSE 0 END)"
    }

    /// Nano-dollars as DECIMAL(38,9) dollars, exactly (BIGINT × 10^-9, no division).
    func usd(_ nanos: String) -> String {
        let d19 = dialect == .postgres ? "NUMERIC(19,0)" : "DECIMAL(19,0)"
        let unit = dialect == .postgres ? "NUMERIC(10,9)" : "DECIMAL(10,9)"
        return "CAST(CAST(\(nanos) AS \(d19)) * CAST(0.000000001 AS \(unit)) AS \(money))"
    }

    func column(_ canonical: String, requests: Bool) -> String? {
        let map = requests ? settings.requestColumns : settings.ticketColumns
        guard let mapped = map[canonical] else { return canonical }
        return mapped.isEmpty ? nil : mapped
    }

    /// DuckDB: the ticket's own model, prompt version and endpoint, and its first tenant, by grouped
    /// aggregates (arg_min over a (−cost, name) key) instead of seven window functions over the
    /// per-group rows: the windows each sorted every per-group row and took most of the query's time
    /// (EXPLAIN ANALYZE, docs/warehouse.md). Same picks: most cost first, ties in string order, NULL
    /// only when no request names one; the first tenant is that of the earliest group naming one.
    func pickedByAggregates(_ categories: [String]) -> String {
        var s = ""
        for d in ["model", "prompt_version", "endpoint"] {
            s += "\(d)_cost AS (\n  SELECT ticket_id, orphan_tenant, \(d), SUM(nanos) AS cost FROM per_group_marked\n"
            s += "  WHERE \(d) IS NOT NULL GROUP BY ticket_id, orphan_tenant, \(d)\n),\n"
            s += "top_\(d) AS (\n  SELECT ticket_id, orphan_tenant, arg_min(\(d), struct_pack(c := -cost, v := \(d))) AS \(d)\n"
            s += "  FROM \(d)_cost GROUP BY ticket_id, orphan_tenant\n),\n"
        }
        s += "per_ticket_sums AS (\n  SELECT ticket_id, orphan_tenant,\n"
        for c in categories { s += "    SUM(\(c)_nanos) AS \(c)_nanos,\n" }
        s += "    SUM(requests) AS requests, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,\n"
        s += "    arg_min(tenant, struct_pack(t := first_ts, v := tenant)) FILTER (WHERE tenant IS NOT NULL) AS first_tenant\n"
        s += "  FROM per_group_marked GROUP BY ticket_id, orphan_tenant\n),\n"
        s += "per_ticket AS (\n  SELECT s.*, m.model, p.prompt_version, e.endpoint\n  FROM per_ticket_sums s\n"
        for (alias, d) in [("m", "model"), ("p", "prompt_version"), ("e", "endpoint")] {
            s += "  LEFT JOIN top_\(d) \(alias) ON \(alias).ticket_id = s.ticket_id AND \(alias).orphan_tenant = s.orphan_tenant\n"
        }
        s += "),\n"
        return s
    }

    // MARK: the query

    /// The query's text.
    package func sql() throws(CostperError) -> String {
        try check()
        func r(_ c: String) -> String? { column(c, requests: true) }
        func t(_ c: String) -> String? { column(c, requests: false) }
        var s = "-- costper sql --dialect \(dialect.rawValue)"
        s += month.map { " --month \($0)" } ?? ""
        s += ": the rows of ticket_costs.csv (docs/warehouse.md). Money in nano-dollars until the last step.\n"
        s += "WITH\n"

        // The price catalog: nano-dollars per million tokens.
        s += "prices AS (\n"
        switch prices {
        case .inline(let catalog):
            let rows = catalog.modelNames.map { name -> String in
                let p = catalog[name]!
                let cache = p.cacheReadPerMTok.map { "CAST(\($0.nanos) AS BIGINT)" } ?? "CAST(NULL AS BIGINT)"
                return "    (CAST(\(literal(name)) AS \(text)), CAST(\(p.inputPerMTok.nanos) AS BIGINT), CAST(\(p.outputPerMTok.nanos) AS BIGINT), \(cache))"
            }
            if rows.isEmpty {
                s += "  SELECT CAST(NULL AS \(text)) AS model, CAST(NULL AS BIGINT) AS input_nanos, CAST(NULL AS BIGINT) AS output_nanos, CAST(NULL AS BIGINT) AS cache_nanos WHERE 1 = 0\n"
            } else {
                s += "  SELECT * FROM (VALUES\n" + rows.joined(separator: ",\n") + "\n  ) AS catalog (model, input_nanos, output_nanos, cache_nanos)\n"
            }
        case .table(let name):
            func price(_ c: String) -> String { halfEvenNanos("(CAST(NULLIF(CAST(p.\(quote(c)) AS \(text)), '') AS \(decimal17)) * 1000000000)") }
            s += "  SELECT CAST(p.\(quote("model")) AS \(text)) AS model, \(price("input_per_mtok_usd")) AS input_nanos,\n"
            s += "         \(price("output_per_mtok_usd")) AS output_nanos, \(price("cache_read_per_mtok_usd")) AS cache_nanos\n"
            s += "  FROM \(table(name)) p\n"
        }
        s += "),\n"

        // Tickets, passed through as text.
        s += "tickets_typed AS (\n  SELECT\n"
        for c in WarehouseSettings.ticketColumnNames {
            s += "    \(textColumn("t", t(c))) AS \(c),\n"
        }
        s += "    \(typed("t", t("closed_at"), timestamp)) AS closed_ts\n"
        s += "  FROM \(table(ticketsTable)) t\n),\n"
        s += "ticket_ids AS (SELECT DISTINCT ticket_id FROM tickets_typed),\n"
        // Requests, typed; absent fields as costper reads them (attempt 1, status ok, 0 tokens).
        s += "requests_typed AS (\n  SELECT\n"
        s += "    \(textColumn("r", r("ticket_id"))) AS ticket_id,\n"
        s += "    \(typed("r", r("timestamp"), timestamp)) AS ts,\n"
        for c in ["tenant", "endpoint", "model", "prompt_version", "kind", "status"] {
            s += "    \(textColumn("r", r(c))) AS \(c),\n"
        }
        for c in ["input_tokens", "cached_input_tokens", "output_tokens"] {
            s += "    COALESCE(\(typed("r", r(c), "BIGINT")), 0) AS \(c),\n"
        }
        s += "    COALESCE(\(typed("r", r("attempt"), "BIGINT")), 1) AS attempt,\n"
        s += "    \(typed("r", r("cost_usd"), decimal17)) * 1000000000 AS cost_scaled\n"
        s += "  FROM \(table(requestsTable)) r\n),\n"

        // The month's valid requests (what costper would reject is left out too).
        s += "requests_month AS (\n  SELECT * FROM requests_typed\n"
        s += "  WHERE ticket_id IS NOT NULL AND ts IS NOT NULL\n"
        s += "    AND kind IN ('llm', 'embedding', 'vector_db', 'integration', 'observability')\n"
        s += "    AND (status IS NULL OR status IN ('ok', 'error')) AND attempt >= 1\n"
        s += "    AND input_tokens >= 0 AND cached_input_tokens >= 0 AND cached_input_tokens <= input_tokens AND output_tokens >= 0\n"
        if let month {
            s += "    AND ts >= \(timeLiteral(month.startEpochSeconds)) AND ts < \(timeLiteral(month.endEpochSeconds))\n"
        }
        s += "),\n"

        // Each request's cost in nano-dollars: exported (rounded half to even), else tokens × the
        // catalog, rounded half to even once (PriceCatalog.swift, ModelPrice.cost).
        let numerator = "(CAST(q.input_tokens - q.cached_input_tokens AS \(wide)) * CAST(p.input_nanos AS \(wide)) "
            + "+ CAST(q.cached_input_tokens AS \(wide)) * CAST(COALESCE(p.cache_nanos, p.input_nanos) AS \(wide)) "
            + "+ CAST(q.output_tokens AS \(wide)) * CAST(p.output_nanos AS \(wide)))"
        s += "requests_priced AS (\n  SELECT q.*, \(numerator) AS priced_micro\n"
        s += "  FROM requests_month q LEFT JOIN prices p ON p.model = q.model\n),\n"
        let quotient = intDiv("priced_micro", "1000000")
        let remainder2 = "(priced_micro - CAST(\(quotient) AS \(wide)) * 1000000) * 2"
        s += "requests_costed AS (\n  SELECT ticket_id, ts, tenant, endpoint, model, prompt_version, input_tokens, output_tokens,\n"
        s += "    CASE WHEN kind = 'llm' AND (attempt > 1 OR status = 'error') THEN 'retries'\n"
        s += "         WHEN kind = 'llm' THEN 'model' WHEN kind = 'embedding' THEN 'embeddings' WHEN kind = 'vector_db' THEN 'vector_db'\n"
        s += "         WHEN kind = 'integration' THEN 'integrations' ELSE 'observability' END AS category,\n"
        s += "    CASE WHEN cost_scaled IS NOT NULL THEN \(halfEvenNanos("cost_scaled"))\n"
        s += "         WHEN kind IN ('llm', 'embedding') AND model IS NOT NULL THEN CAST(\(quotient) AS BIGINT)\n"
        s += "           + CASE WHEN \(remainder2) > 1000000 THEN 1 WHEN \(remainder2) < 1000000 THEN 0\n"
        s += "                  WHEN MOD(CAST(\(quotient) AS BIGINT), 2) = 1 THEN 1 ELSE 0 END\n"
        s += "    END AS nanos\n"
        s += "  FROM requests_priced\n),\n"
        // One pass over the month's requests: a partial aggregate per ticket and (tenant, model,
        // prompt version, endpoint), so that only those sums, not raw rows, are shuffled by ticket.
        let categories = ["model", "retries", "embeddings", "vector_db", "observability", "integrations"]
        s += "per_group AS (\n  SELECT ticket_id, tenant, model, prompt_version, endpoint,\n"
        for c in categories { s += "    SUM(CASE WHEN category = '\(c)' THEN nanos ELSE 0 END) AS \(c)_nanos,\n" }
        s += "    SUM(nanos) AS nanos, COUNT(*) AS requests, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, MIN(ts) AS first_ts\n"
        s += "  FROM requests_costed WHERE nanos IS NOT NULL\n  GROUP BY ticket_id, tenant, model, prompt_version, endpoint\n),\n"
        // Orphans (ticket not in the tickets table) are kept apart by their own tenant, as costper
        // counts orphan requests; a ticket's requests make one group (orphan_tenant '').
        s += "per_group_marked AS (\n  SELECT g.*, CASE WHEN k.ticket_id IS NULL THEN COALESCE(g.tenant, '') ELSE '' END AS orphan_tenant\n"
        s += "  FROM per_group g LEFT JOIN ticket_ids k ON k.ticket_id = g.ticket_id\n),\n"
        if dialect == .duckdb {
            s += pickedByAggregates(categories)
        } else {
            s += "per_group_ranked AS (\n  SELECT m.*,\n"
            s += "    SUM(nanos) OVER (PARTITION BY ticket_id, orphan_tenant, model) AS model_cost,\n"
            s += "    SUM(nanos) OVER (PARTITION BY ticket_id, orphan_tenant, prompt_version) AS prompt_version_cost,\n"
            s += "    SUM(nanos) OVER (PARTITION BY ticket_id, orphan_tenant, endpoint) AS endpoint_cost\n"
            s += "  FROM per_group_marked m\n),\n"
            // The ticket's own model, prompt version and endpoint: the one that carried most of its
            // cost (ties: the first in string order); its first tenant: that of its first request naming one.
            s += "per_group_picked AS (\n  SELECT r.*,\n"
            for d in ["model", "prompt_version", "endpoint"] {
                s += "    FIRST_VALUE(\(d)) OVER (PARTITION BY ticket_id, orphan_tenant ORDER BY CASE WHEN \(d) IS NULL THEN 1 ELSE 0 END, \(d)_cost DESC, \(d)) AS top_\(d),\n"
            }
            s += "    FIRST_VALUE(tenant) OVER (PARTITION BY ticket_id, orphan_tenant ORDER BY CASE WHEN tenant IS NULL THEN 1 ELSE 0 END, first_ts, tenant) AS first_tenant\n"
            s += "  FROM per_group_ranked r\n),\n"
            s += "per_ticket AS (\n  SELECT ticket_id, orphan_tenant,\n"
            for c in categories { s += "    SUM(\(c)_nanos) AS \(c)_nanos,\n" }
            s += "    SUM(requests) AS requests, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,\n"
            s += "    MAX(top_model) AS model, MAX(top_prompt_version) AS prompt_version, MAX(top_endpoint) AS endpoint, MAX(first_tenant) AS first_tenant\n"
            s += "  FROM per_group_picked GROUP BY ticket_id, orphan_tenant\n),\n"
        }
        s.removeLast(2)   // the last CTE's ",\n"
        s += "\n"
        // One row per ticket of the month (closed in it, or served in it), and one per ticket id
        // that only the requests name (an orphan).
        s += "SELECT\n"
        s += "  COALESCE(t.ticket_id, a.ticket_id) AS ticket_id,\n"
        s += "  CASE WHEN t.ticket_id IS NULL THEN \(literal(WarehouseQuery.orphanOutcome)) ELSE t.outcome END AS outcome,\n"
        s += "  CASE WHEN t.ticket_id IS NULL THEN NULLIF(a.orphan_tenant, '') ELSE COALESCE(t.tenant, a.first_tenant) END AS tenant,\n"
        s += "  t.segment, t.service_type, t.opened_at, t.closed_at, t.review_minutes,\n"
        for c in categories { s += "  \(usd("COALESCE(a.\(c)_nanos, 0)")) AS \(c)_usd,\n" }
        s += "  COALESCE(a.requests, 0) AS requests, COALESCE(a.input_tokens, 0) AS input_tokens, COALESCE(a.output_tokens, 0) AS output_tokens,\n"
        s += "  a.model, a.prompt_version, a.endpoint\n"
        s += "FROM tickets_typed t\n"
        s += "FULL OUTER JOIN per_ticket a ON a.ticket_id = t.ticket_id\n"
        if let month {
            s += "WHERE a.ticket_id IS NOT NULL\n"
            s += "   OR (t.closed_ts >= \(timeLiteral(month.startEpochSeconds)) AND t.closed_ts < \(timeLiteral(month.endEpochSeconds)))\n"
        } else {
            s += "WHERE a.ticket_id IS NOT NULL OR t.closed_ts IS NOT NULL\n"
        }
        s += "ORDER BY 1, 3\n"
        return s
    }
}
