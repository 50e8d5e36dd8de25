// The model lever on the page and in the files: the model × service type table (a detail section,
// left out of print), the routing scenarios' one-line summaries (printed) and their CSV files.
import CostperMoney
import CostperVocabulary
import CostperCore

enum ModelLeverReport {
    /// The rows the page shows before "all others" (the CSV and the workbook have every row).
    static func shownRows(_ a: MonthAccounts) -> Int { max(a.config.topN, 30) }

    static func serviceLabel(_ g: AttributionGroup, labels: [String: String]) -> String {
        if case .value(let v) = g { return labels[v] ?? v }
        return g.label
    }

    /// "cuts the model cost of billing's claude-sonnet-4.6 requests from $8.69 to $2.90 …".
    static func sentence(_ x: RouteResult, _ a: MonthAccounts, labels: [String: String]) -> String {
        let show = a.show
        let service = labels[x.route.serviceType] ?? x.route.serviceType
        let from = x.route.fromModel ?? x.models.joined(separator: ", ")
        let change = x.change.nanos <= 0 ? "\(show.amount(Money(nanos: -x.change.nanos))) a month saved" : "\(show.amount(x.change)) a month more"
        var perResolved = show.unit(x.scenarioCostPerResolved)
        if let now = a.costPerResolved, let then = x.scenarioCostPerResolved {
            let d = then.minus(now)
            perResolved += d < Quotient(0) ? " (\(show.amount(Quotient(0).minus(d))) less)" : d > Quotient(0) ? " (\(show.amount(d)) more)" : ""
        }
        return SafeText.markdown("\(service)'s \(from) requests priced as \(x.route.toModel): model cost \(show.amount(x.currentCost)) → \(show.amount(x.scenarioCost)), "
            + "\(change); all-in \(perResolved) per resolved ticket. A scenario that holds quality and escalations fixed: "
            + "the same tickets resolve, the same tickets escalate, the same tokens are sent.", limit: 2_000)
    }

    static func context(_ a: MonthAccounts, labels: [String: String]) -> [String: Any] {
        let show = a.show
        guard let lever = a.modelLever else { return ["has_model_lever": false, "has_routes": false] }
        var rows = lever.rows
        var rest: ModelServiceRow?
        let n = shownRows(a)
        if rows.count > n {
            let tail = rows[(n - 1)...]
            rows = Array(rows.prefix(n - 1))
            var r = ModelServiceRow(model: .others(count: tail.count), serviceType: .others(count: tail.count), requests: 0, tickets: 0, resolved: 0,
                                    cost: .zero, llmRequests: 0, llmCost: .zero, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0)
            for x in tail { r.requests += x.requests; r.cost.nanos &+= x.cost.nanos }
            rest = r
        }
        let shown = rows + (rest.map { [$0] } ?? [])
        let costs = DisplayRounding.usd(shown.map(\.cost), total: lever.total, in: show)
        let per = DisplayRounding.perTicket(shown.map(\.costPerResolved), total: nil, in: show)
        var list: [[String: Any]] = []
        for (i, r) in shown.enumerated() {
            let other = rest != nil && i == shown.count - 1
            list.append(["model": other ? r.model.label : SafeText.markdown(r.model.label),
                         "service_type": other ? "" : SafeText.markdown(serviceLabel(r.serviceType, labels: labels)),
                         "requests": Show.count(r.requests),
                         "tickets": other ? "" : Show.count(r.tickets), "resolved": other ? "" : Show.count(r.resolved),
                         "resolution_rate": other ? "" : Show.percent(r.resolutionRate),
                         "cost": costs.rows[i], "per_resolved": other ? "" : per.rows[i]])
        }
        let routes = lever.routes.map { x -> [String: Any] in
            ["route_sentence": sentence(x, a, labels: labels),
             "route": SafeText.markdown("\(labels[x.route.serviceType] ?? x.route.serviceType): \(x.route.fromModel ?? x.models.joined(separator: ", ")) → \(x.route.toModel)"),
             "requests": Show.count(x.requests),
             "tokens": "\(Show.count(x.inputTokens)) in (\(Show.count(x.cachedInputTokens)) cached), \(Show.count(x.outputTokens)) out",
             "current_cost": show.amount(x.currentCost), "scenario_cost": show.amount(x.scenarioCost),
             "change": x.change.nanos <= 0 ? "−" + show.amount(Money(nanos: -x.change.nanos)) : "+" + show.amount(x.change),
             "scenario_per_resolved": show.unit(x.scenarioCostPerResolved)]
        }
        return ["has_model_lever": !lever.rows.isEmpty, "lever_rows": list, "lever_total": costs.total,
                "lever_requests_total": Show.count(lever.rows.reduce(Int64(0)) { $0 + $1.requests }),
                "lever_rounding": DisplayRounding.roundingRow(["cost": costs]),
                "lever_truncated": rest != nil, "lever_complete_count": Show.count(lever.rows.count),
                "has_routes": !routes.isEmpty, "routes": routes, "lever_per_resolved_now": show.unit(a.costPerResolved)]
    }

    static func table(_ a: MonthAccounts) -> CSVDocument {
        var d = CSVDocument(header: ["model", "service_type", "requests", "tickets", "resolved_tickets", "resolution_rate", "cost_usd",
                                     "cost_per_resolved_ticket_usd", "llm_requests", "llm_cost_usd", "input_tokens", "cached_input_tokens", "output_tokens"])
        for r in a.modelLever?.rows ?? [] {
            d.append([.text(r.model.label), .text(r.serviceType.label), .int(r.requests), .int(r.tickets), .int(r.resolved), .share(r.resolutionRate),
                      .money(r.cost), .money(r.costPerResolved), .int(r.llmRequests), .money(r.llmCost),
                      .int(r.inputTokens), .int(r.cachedInputTokens), .int(r.outputTokens)])
        }
        return d
    }

    static func scenarios(_ a: MonthAccounts) -> CSVDocument {
        var d = CSVDocument(header: ["scenario", "service_type", "from_model", "to_model", "models_repriced", "requests", "input_tokens",
                                     "cached_input_tokens", "output_tokens", "model_cost_usd", "scenario_model_cost_usd", "change_usd",
                                     "all_in_cost_usd", "scenario_all_in_cost_usd", "cost_per_resolved_ticket_usd",
                                     "scenario_cost_per_resolved_ticket_usd", "assumption"])
        for x in a.modelLever?.routes ?? [] {
            d.append([.text("route"), .text(x.route.serviceType), .text(x.route.fromModel ?? ""), .text(x.route.toModel), .text(x.models.joined(separator: "; ")),
                      .int(x.requests), .int(x.inputTokens), .int(x.cachedInputTokens), .int(x.outputTokens),
                      .money(x.currentCost), .money(x.scenarioCost), .money(x.change), .money(a.total), .money(x.scenarioTotal),
                      .money(a.costPerResolved), .money(x.scenarioCostPerResolved), .text(ModelLever.assumption)])
        }
        return d
    }
}
