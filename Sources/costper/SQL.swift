// costper sql: prints the query that makes ticket_costs.csv in a warehouse (docs/warehouse.md).
import CostperMoney
import CostperIngest
import CostperVocabulary
import ArgumentParser
import CostperCore
import CostperIO
import Foundation

struct SQL: CostperCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the SQL query (Spark, DuckDB or PostgreSQL) that makes a month's ticket_costs.csv where the data is.")

    @Option(name: .long, help: "The SQL dialect: spark, duckdb or postgres.")
    var dialect: String

    @Option(name: .long, help: "The month (YYYY-MM): requests from its first second (UTC) to the next month's; absent = every row.")
    var month: String?

    @Option(name: .long, help: "The requests table (default: [warehouse] requests_table in --config, else requests).")
    var requests: String?

    @Option(name: .long, help: "The tickets table (default: [warehouse] tickets_table in --config, else tickets).")
    var tickets: String?

    @Option(name: .long, help: "A price table in models.csv form (model, input_per_mtok_usd, output_per_mtok_usd, cache_read_per_mtok_usd) to read instead of inlining the catalog.")
    var prices: String?

    @Flag(name: .long, help: "Inline the price catalog as a VALUES list (the default, unless [warehouse] prices_table is set).")
    var pricesInline = false

    @Option(name: .long, help: "The price catalog to inline: models.csv form or LiteLLM's model_prices_and_context_window.json (default: the built-in models.csv).")
    var catalog: String?

    @Option(name: .long, help: "costper.toml whose [warehouse] table names the tables and columns.")
    var config: String?

    @OptionGroup var dataOption: DataOption

    func check() throws(CostperError) {
        guard SQLDialect(rawValue: dialect) != nil else {
            throw CostperError(.usage, "--dialect must be one of \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")) (it is \(Scalars.quoteForMessage(dialect)))")
        }
        if let month, Month(month) == nil { throw CostperError(.usage, "--month must be a month written YYYY-MM, e.g. 2026-10") }
        if prices != nil && pricesInline { throw CostperError(.usage, "--prices TABLE and --prices-inline exclude each other") }
        if prices != nil && catalog != nil { throw CostperError(.usage, "--catalog is the file to inline: it does not go with --prices TABLE") }
        for (option, name) in [("--requests", requests), ("--tickets", tickets), ("--prices", prices)] {
            if let name, !WarehouseQuery.isTableName(name) {
                throw CostperError(.usage, "\(option): \(Scalars.quoteForMessage(name)) is not a table name (letters, digits and _, up to three parts joined by dots)")
            }
        }
    }

    func execute() throws(CostperError) {
        var settings = WarehouseSettings()
        if let config {
            guard FileManager.default.fileExists(atPath: config) else { throw CostperError(.notFound, "\(config) not found") }
            let file = try MappedFile(path: config, name: config)
            let text = String(decoding: file.bytes, as: UTF8.self)
            do { settings = try CostperConfig.parse(text, file: config).warehouse } catch { throw error.error }
        }
        let source: WarehouseQuery.Prices
        if let prices { source = .table(prices) }
        else if !pricesInline, catalog == nil, let table = settings.pricesTable { source = .table(table) }
        else { source = .inline(try ProjectFiles.priceCatalog(path: catalog, dataFolder: dataOption.data, month: month)) }
        let query = WarehouseQuery(dialect: SQLDialect(rawValue: dialect)!, month: month.flatMap(Month.init),
                                   requestsTable: requests, ticketsTable: tickets, prices: source, settings: settings)
        print(try query.sql(), terminator: "")
    }
}
