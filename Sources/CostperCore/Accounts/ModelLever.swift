// The model lever (issue 25 item 11): cost per resolved ticket and resolution rate by model ×
// service type, and routing scenarios ([[scenarios.route]]) that reprice the month's own tokens of
// a service type on another catalog model, holding quality and escalations fixed.
import CostperMoney
import CostperIngest
import CostperVocabulary
import TOMLKit

/// One routing scenario of costper.toml: the LLM requests of `serviceType` (of `fromModel`, or of
/// every model when it is nil) priced at `toModel`'s catalog prices.
package struct RouteScenario: Equatable, Sendable, Codable {
    package var serviceType: String
    package var fromModel: String?
    package var toModel: String

    package init(serviceType: String, fromModel: String? = nil, toModel: String) {
        self.serviceType = serviceType; self.fromModel = fromModel; self.toModel = toModel
    }

    package static let tableKeys = ["route"]
    package static let routeKeys = ["service_type", "from_model", "to_model"]

    /// Reads `[scenarios]`: its `[[scenarios.route]]` tables. Unknown keys are returned, to be
    /// refused with the rest (a "did you mean" sentence).
    static func parse(_ value: TOMLValueConvertible?, reader: TOMLReader) throws(ConfigError) -> (routes: [RouteScenario]?, unknown: [String]) {
        guard let value else { return (nil, []) }
        let t = try reader.table(value, "scenarios")
        var unknown = t.keys.sorted().filter { !tableKeys.contains($0) }.map { "scenarios.\($0)" }
        guard let r = t["route"] else { return ([], unknown) }
        guard let arr = r.array else { throw reader.fail("scenarios.route", "must be a list of routes ([[scenarios.route]] with service_type and to_model)") }
        var routes: [RouteScenario] = []
        for (i, item) in arr.enumerated() {
            let key = "scenarios.route[\(i + 1)]"
            guard let rt = item.table else { throw reader.fail(key, "must be a table (service_type, from_model, to_model)") }
            for k in rt.keys.sorted() where !routeKeys.contains(k) { unknown.append("\(key).\(k)") }
            guard unknown.isEmpty else { continue }
            guard let sv = rt["service_type"] else { throw reader.fail(key, "needs a service_type (a service_type of the tickets file)") }
            let service = try reader.string(sv, key + ".service_type")
            guard !service.isEmpty else { throw reader.fail(key + ".service_type", "is empty") }
            guard let tv = rt["to_model"] else { throw reader.fail(key, "needs a to_model (a model of the price catalog)") }
            let to = try reader.string(tv, key + ".to_model")
            guard !to.isEmpty else { throw reader.fail(key + ".to_model", "is empty") }
            var from: String?
            if let fv = rt["from_model"] {
                let f = try reader.string(fv, key + ".from_model")
                guard !f.isEmpty else { throw reader.fail(key + ".from_model", "is empty; leave it out to route every model of the service type") }
                guard f != to else { throw reader.fail(key + ".from_model", "is the model it routes to (\(Scalars.quoteForMessage(to)))") }
                from = f
            }
            let route = RouteScenario(serviceType: service, fromModel: from, toModel: to)
            if routes.contains(route) { throw reader.fail(key, "repeats an earlier route") }
            routes.append(route)
        }
        return (routes, unknown)
    }

    /// "password_reset (claude-sonnet-4.6 → gpt-5.4-mini)": the route in a few words.
    package var summary: String { "\(serviceType) (\(fromModel ?? "every model") → \(toModel))" }
}

/// One row of the model × service type table: the requests of one model within one service type.
package struct ModelServiceRow: Sendable, Equatable, Codable {
    package var model: AttributionGroup
    /// `.value(code)`, `.unnamed`, or `.orphanRequests(of: nil)` for requests without a ticket.
    package var serviceType: AttributionGroup
    package var requests: Int64
    /// The month's tickets of the service type that used the model (a ticket on several models
    /// counts in each model's row), and how many of them resolved.
    package var tickets: Int
    package var resolved: Int
    /// Every request's cost (the rows add up to the month's request cost).
    package var cost: Money
    /// The LLM requests (kind llm): their cost and tokens, what a route reprices.
    package var llmRequests: Int64
    package var llmCost: Money
    package var inputTokens: Int64
    package var cachedInputTokens: Int64
    package var outputTokens: Int64

    package init(model: AttributionGroup, serviceType: AttributionGroup, requests: Int64, tickets: Int, resolved: Int, cost: Money,
                 llmRequests: Int64, llmCost: Money, inputTokens: Int64, cachedInputTokens: Int64, outputTokens: Int64) {
        self.model = model; self.serviceType = serviceType; self.requests = requests; self.tickets = tickets; self.resolved = resolved
        self.cost = cost; self.llmRequests = llmRequests; self.llmCost = llmCost
        self.inputTokens = inputTokens; self.cachedInputTokens = cachedInputTokens; self.outputTokens = outputTokens
    }

    package var costPerResolved: Quotient? { cost.quotient(per: resolved) }
    package var resolutionRate: Quotient? {
        tickets > 0 ? Quotient(numerator: Int128(resolved), denominator: Int128(tickets)).reduced : nil
    }
}

/// What one route gives: the matched requests' cost now and at the target's prices.
package struct RouteResult: Sendable, Equatable, Codable {
    package var route: RouteScenario
    /// The models repriced (the matched rows' models), sorted.
    package var models: [String]
    package var requests: Int64
    package var inputTokens: Int64
    package var cachedInputTokens: Int64
    package var outputTokens: Int64
    /// The matched LLM requests' cost as the month recorded it.
    package var currentCost: Money
    /// The same tokens at the target model's catalog prices (in the report's currency).
    package var scenarioCost: Money
    /// The month's all-in cost with the route.
    package var scenarioTotal: Money
    /// The month's all-in cost per resolved ticket with the route (the same resolved tickets).
    package var scenarioCostPerResolved: Quotient?

    /// scenario − current: negative is a saving.
    package var change: Money { Money(nanos: scenarioCost.nanos &- currentCost.nanos) }
}

/// The month's model lever: the table and its routes.
package struct ModelLever: Sendable, Equatable, Codable {
    package var rows: [ModelServiceRow] = []
    package var routes: [RouteResult] = []
    package init() {}

    package var total: Money { Money(nanos: rows.reduce(0) { $0 &+ $1.cost.nanos }) }

    /// The sentence every route is stated with.
    package static let assumption = "a scenario that holds quality and escalations fixed: the same tickets resolve, the same tickets escalate, the same tokens are sent"

    /// The table from the ledger's (model, service type) pairs and the per-ticket model marks:
    /// linear in the pairs and the tickets.
    static func rows(ledger: RequestLedger, book: TicketBook, inMonth: [Bool], isResolved: [Bool]) -> [ModelServiceRow] {
        var tickets: [Int: (tickets: Int, resolved: Int)] = [:]
        func count(_ t: Int, _ m: Int) {
            let st = t < book.serviceType.count ? Int(book.serviceType[t]) : 0
            let resolved = isResolved[book.outcome[t].index] ? 1 : 0
            let key = m << 32 | st
            let c = tickets[key] ?? (0, 0)
            tickets[key] = (c.tickets + 1, c.resolved + resolved)
        }
        ledger.ticketModels.forEach { t, m in if t < book.count && inMonth[t] { count(t, m) } }
        var rows: [ModelServiceRow] = []
        for (key, u) in zip(ledger.leverKeys, ledger.leverUsage) where u.requests > 0 || u.cost != 0 {
            let m = key >> 32, st = key & 0xFFFF_FFFF
            let model: AttributionGroup = m == 0 ? .unnamed : .value(ledger.models.label(m))
            let service: AttributionGroup = st == RequestLedger.noTicket ? .orphanRequests(of: nil)
                : st == 0 ? .unnamed : .value(book.serviceTypes.label(st))
            let c = tickets[key] ?? (0, 0)
            rows.append(ModelServiceRow(model: model, serviceType: service, requests: u.requests, tickets: c.tickets, resolved: c.resolved,
                                        cost: Money(nanos: u.cost), llmRequests: u.llmRequests, llmCost: Money(nanos: u.llmCost),
                                        inputTokens: u.inputTokens, cachedInputTokens: u.cachedInputTokens, outputTokens: u.outputTokens))
        }
        // Largest cost first; ties by model then service type, so the order never depends on hashing.
        return rows.sorted {
            $0.cost != $1.cost ? $0.cost > $1.cost : $0.model.label != $1.model.label ? $0.model.label < $1.model.label : $0.serviceType.label < $1.serviceType.label
        }
    }

    /// The catalog's nearest model names to `name` (for "did you mean").
    static func nearest(_ name: String, in names: [String]) -> [String] {
        func distance(_ a: String, _ b: String) -> Int { CostperConfig.levenshtein(Array(a.lowercased().utf8), Array(b.lowercased().utf8)) }
        let scored = names.map { ($0, distance(name, $0)) }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        guard let best = scored.first?.1 else { return [] }
        return scored.prefix { $0.1 == best }.prefix(3).map(\.0)
    }
}

extension MonthAccountEntries {
    /// Prices the routes of costper.toml on the catalog: a route to a model the catalog does not
    /// have stops the run (naming the nearest); a route that matches no request is a notice.
    /// `rate` is one USD in the report's currency (nil for USD).
    package mutating func priceRoutes(_ routes: [RouteScenario], prices: PriceCatalog, rate: Quotient?) throws(CostperError) {
        guard !routes.isEmpty else { return }
        var lever = modelLever ?? ModelLever()
        lever.routes = []
        for (i, route) in routes.enumerated() {
            let key = "costper.toml [[scenarios.route]] \(i + 1) (\(route.summary))"
            guard let price = prices[route.toModel] else {
                let near = ModelLever.nearest(route.toModel, in: prices.modelNames)
                let hint = near.isEmpty ? "" : " (did you mean \(near.map { "\"\($0)\"" }.joined(separator: " or "))?)"
                throw CostperError(.usage, "\(key): to_model \(Scalars.quoteForMessage(route.toModel)) is not in the price catalog (\(prices.source))\(hint); a route is priced at a catalog model's prices")
            }
            let services = Set(lever.rows.compactMap { r -> String? in if case .value(let s) = r.serviceType { return s } else { return nil } })
            guard services.contains(route.serviceType) else {
                notices.append("\(key): service type \(Scalars.quoteForMessage(route.serviceType)) has no requests this month, so the route reprices nothing")
                continue
            }
            let matched = lever.rows.filter { r in
                guard case .value(let s) = r.serviceType, s == route.serviceType, r.llmRequests > 0 else { return false }
                guard case .value(let m) = r.model else { return false }   // a request without a model is not a model's to reprice
                return m != route.toModel && (route.fromModel == nil || route.fromModel == m)
            }
            guard !matched.isEmpty else {
                let what = route.fromModel.map { "no LLM request of \(Scalars.quoteForMessage($0))" } ?? "no LLM request of a model other than \(Scalars.quoteForMessage(route.toModel))"
                notices.append("\(key): service type \(Scalars.quoteForMessage(route.serviceType)) has \(what) this month, so the route reprices nothing")
                continue
            }
            let input = matched.reduce(Int64(0)) { $0 + $1.inputTokens }
            let cached = matched.reduce(Int64(0)) { $0 + $1.cachedInputTokens }
            let output = matched.reduce(Int64(0)) { $0 + $1.outputTokens }
            let current = Money(nanos: matched.reduce(Int64(0)) { $0 &+ $1.llmCost.nanos })
            let exact = price.exactCost(input: input, cachedInput: cached, output: output)
            let converted: Quotient = rate.map { exact.times($0) } ?? exact
            guard let scenario = converted.asMoney else {
                throw CostperError(.badData, "\(key): the repriced cost is outside costper's money range (about $9.2 billion)")
            }
            let (total, overflow) = total.nanos.subtractingReportingOverflow(current.nanos)
            let (withRoute, overflow2) = total.addingReportingOverflow(scenario.nanos)
            guard !overflow && !overflow2 else {
                throw CostperError(.badData, "\(key): the month's cost with the route is outside costper's money range (about $9.2 billion)")
            }
            let models = Set(matched.map(\.model.label)).sorted()
            lever.routes.append(RouteResult(route: route, models: models, requests: matched.reduce(Int64(0)) { $0 + $1.llmRequests },
                                            inputTokens: input, cachedInputTokens: cached, outputTokens: output,
                                            currentCost: current, scenarioCost: scenario, scenarioTotal: Money(nanos: withRoute),
                                            scenarioCostPerResolved: Money(nanos: withRoute).quotient(per: resolvedTickets)))
        }
        modelLever = lever
    }
}
