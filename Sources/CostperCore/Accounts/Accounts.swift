// The month's accounts: from tickets, the request ledger and fixed costs to every figure of the
// report. Pure: inputs in, values out.
import CostperMoney
import CostperIngest
import CostperVocabulary


/// One row of an attribution table.
/// What a row of an attribution table stands for.
package enum AttributionGroup: Sendable, Equatable, Hashable, Codable {
    /// A value of the dimension (a tenant, a model...).
    case value(String)
    /// Tickets or requests that name no value.
    case unnamed
    /// Requests whose ticket is not in the tickets file; of one tenant in the tenant table.
    case orphanRequests(of: String?)
    /// Human review and fixed costs, in the request-level tables.
    case humanReviewAndFixed
    /// Fixed costs of a month with no tickets to carry them.
    case fixedWithoutTickets
    /// The rows a shortened table leaves out, summed.
    case others(count: Int)

    package var label: String {
        switch self {
        case .value(let v): return v
        case .unnamed: return Dimension.noneLabel
        case .orphanRequests(let tenant): return tenant.map { $0 + " (requests without a ticket)" } ?? "(requests without a ticket)"
        case .humanReviewAndFixed: return "(human review and fixed costs)"
        case .fixedWithoutTickets: return "(fixed costs, no tickets this month)"
        case .others(let n): return "all \(n) others"
        }
    }
}

/// The dimensions costs are attributed by: ticket-level ones (each ticket has one value) and
/// request-level ones (a ticket's requests may have several).
package enum AttributionDimension: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable {
    case tenant, segment, service_type, outcome, model, endpoint, prompt_version

    package var title: String {
        switch self {
        case .tenant: return "Tenant"
        case .segment: return "Segment"
        case .service_type: return "Service type"
        case .outcome: return "Outcome"
        case .model: return "Model"
        case .endpoint: return "Endpoint"
        case .prompt_version: return "Prompt version"
        }
    }
}

package struct AttributionRow: Sendable, Equatable, Codable {
    package var group: AttributionGroup
    package var label: String { group.label }
    /// nil for request-level dimensions (model, endpoint, prompt version): tickets span several.
    package var tickets: Int?
    package var resolved: Int?
    package var requests: Int64
    package var cost: Money
    package var inputTokens: Int64
    package var outputTokens: Int64

    package init(group: AttributionGroup, tickets: Int?, resolved: Int?, requests: Int64, cost: Money, inputTokens: Int64, outputTokens: Int64) {
        self.group = group
        self.tickets = tickets
        self.resolved = resolved
        self.requests = requests
        self.cost = cost
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    package var tokensPerRequest: Quotient? {
        requests > 0 ? Quotient(numerator: Int128(inputTokens + outputTokens), denominator: Int128(requests)) : nil
    }

    /// The group's own cost per resolved ticket (ticket-level dimensions).
    package var costPerResolved: Quotient? { resolved.flatMap { cost.quotient(per: $0) } }
}

/// A breakdown of the month's total cost along one dimension; its rows add up to the total.
package struct AttributionTable: Sendable, Equatable, Codable {
    package enum Level: Sendable, Codable { case ticket, request }
    package var dimension: AttributionDimension
    package var title: String { dimension.title }
    package var level: Level
    package var rows: [AttributionRow]

    package var total: Money { Money(nanos: rows.reduce(0) { $0 &+ $1.cost.nanos }) }
}

package struct TicketCost: Sendable, Equatable, Codable {
    package var ticket: Int
    package var cost: Money
    package var requests: Int32
}

package struct FileQuality: Sendable, Equatable, Codable {
    package var file: String
    package var reader: String
    package var rowsRead: Int
    package var rejected: Int
    package var outsideMonth: Int
    package var accepted: Int { rowsRead - rejected }
}

/// Everything the report says about one month, as CostperCore closed it: written once. Later
/// stages read it (its entries through `accounts.total`, `accounts.rejects`...) and cannot change
/// it; a month with a forecast or revenue added is a new value made in CostperCore
/// (`adding(_:file:)`, `adding(revenue:)`), and so is the record's copy (`closed(addingNotices:)`).
@dynamicMemberLookup
package struct MonthAccounts: Sendable, Codable {
    /// The month's entries as they were closed.
    package let entries: MonthAccountEntries

    package init(_ entries: MonthAccountEntries) { self.entries = entries }

    package subscript<T>(dynamicMember path: KeyPath<MonthAccountEntries, T>) -> T { entries[keyPath: path] }

    /// month.json keeps the entries as they are (the same keys as before the value was sealed).
    package init(from decoder: Decoder) throws { entries = try MonthAccountEntries(from: decoder) }
    package func encode(to encoder: Encoder) throws { try entries.encode(to: encoder) }

    /// A new value: these entries with `change` made to them. Only CostperCore closes a month.
    func with<E: Error>(_ change: (inout MonthAccountEntries) throws(E) -> Void) throws(E) -> MonthAccounts {
        var e = entries
        try change(&e)
        return MonthAccounts(e)
    }

    /// The accounts as the month's record keeps them, once the alerts have read the per-ticket and
    /// per-request working data: `notices` added, the working data let go.
    package func closed(addingNotices more: [String]) -> MonthAccounts {
        with { a in
            a.notices += more
            a.ticketCosts = []
            a.ticketIDs = ByteKeyTable()
            a.ledger = nil
        }
    }

    package func share(of m: Money) -> Quotient? { entries.share(of: m) }
    package func table(_ dimension: AttributionDimension) -> AttributionTable? { entries.table(dimension) }
    package func runRate(at volume: Int64) -> Quotient? { entries.runRate(at: volume) }
    package func rate(_ set: [Outcome]) -> Quotient? { entries.rate(set) }

    /// The month with its forecast read (the plans and their run rates), as a new value.
    package func adding(_ f: ForecastFile, file: String) -> MonthAccounts { with { $0.add(f, file: file) } }
    /// The month with its revenue read (revenue.csv), as a new value.
    package func adding(revenue r: RevenueList) -> MonthAccounts { with { $0.add(revenue: r) } }
}

/// The entries of a month's accounts while CostperCore closes them (`Accounts.close` and the steps
/// after it); sealed into a `MonthAccounts` once closed.
package struct MonthAccountEntries: Sendable, Codable {
    package internal(set) var month: Month
    package internal(set) var config: CostperConfig
    package internal(set) var tickets = 0
    package internal(set) var resolvedTickets = 0
    package internal(set) var requests: Int64 = 0
    package internal(set) var outcomes: [Outcome: Int] = [:]
    /// Cost of the tickets that ended each way (requests, review, fixed share) and their count.
    package internal(set) var outcomeCost: [Outcome: Money] = [:]
    package internal(set) var costByCategory: [CostCategory: Money] = [:]
    package internal(set) var total = Money.zero
    package internal(set) var fixedCosts: [FixedCost] = []
    package internal(set) var attribution: [AttributionTable] = []
    /// Variable cost of each ticket of the month (its requests and human review; fixed costs are
    /// the same for every ticket and left out), with its request count, by ticket index.
    package internal(set) var ticketCosts: [TicketCost] = []
    package internal(set) var ticketIDs: ByteKeyTable = ByteKeyTable()
    package internal(set) var reviewMinutes = Quotient(0)
    package internal(set) var orphanRequests: Int64 = 0
    package internal(set) var orphanTickets = 0
    package internal(set) var orphanCost = Money.zero
    package internal(set) var roundedCosts = 0
    package internal(set) var pricedFromCatalog = 0
    package internal(set) var ticketsOutsideMonth = 0
    /// The tickets of other months, by month (`Month.key`; a ticket with no date at all is in none).
    package internal(set) var ticketsOutsideByMonth: [Int: Int] = [:]
    package internal(set) var files: [FileQuality] = []
    package internal(set) var rejects: [Reject] = []
    package internal(set) var notices: [String] = []
    /// Notices the command line also prints on the terminal (each is among `notices` too): bills
    /// that may count twice or not at all.
    package internal(set) var warnings: [String] = []
    /// Read from a ticket-level export (ticket_costs.csv): costs summed per ticket, requests only
    /// counted when it has a requests column.
    package internal(set) var ticketLevel = false
    package internal(set) var ledger: RequestLedger?
    package internal(set) var priceSource = ""
    /// The latest request of the month (seconds since 1970), nil when the month has none.
    package internal(set) var latestRequest: Int64?
    /// The month week by week (Outcomes/Weeks.swift).
    package internal(set) var weekly = WeeklyAccounts()
    /// Human review cost by tenant (the tenant table's labels), for margin drivers.
    package internal(set) var tenantReview: [String: Money] = [:]
    /// Credits beyond charges the month was closed with under `[focus] allow_net_credits = true`,
    /// one sentence each (for page 1 of the report; also among the notices).
    package internal(set) var netCredits: [String] = []
    /// Resolved tickets with no human review (the autonomous resolution rate's numerator).
    package internal(set) var autonomousResolved = 0
    /// Tickets of the month with human review (a human handled them); nil in a record made before it was counted.
    package internal(set) var reviewedTickets: Int?
    /// Revenue of the month (revenue.csv), when the input folder has one.
    package internal(set) var revenue: RevenueList?
    /// The month's bills: FOCUS exports mapped to categories and invoices tied to the traces (Bills/).
    package internal(set) var bills: BillsReview?
    /// The currency every amount of the month is in, and the rate USD inputs were converted at.
    package internal(set) var currency = ReportingCurrency.usd
    /// Why human review is not measured (a help-desk export without its review-minutes column,
    /// accepted with `--allow-missing review_minutes`); nil when it is. The report then shows
    /// human review as "not measured", never $0.
    package internal(set) var humanReviewNotMeasured: String?
    /// Where the tickets and their outcomes come from when costper built them from the traces
    /// (costper.toml `[tickets] source = "traces"`): one sentence for the report's data quality
    /// and method, with the tickets whose outcome is unknown; nil for a tickets file or help desk.
    package internal(set) var outcomesFromTraces: String?
    /// Reopened resolutions and CSAT (Quality.swift), when tickets.csv carries `reopened` or
    /// `csat`; nil when quality is not measured (and in a record made before it was).
    package internal(set) var quality: QualityAccounts?
    /// Cost per resolved ticket and resolution rate by model × service type, and the routing
    /// scenarios of costper.toml (Accounts/ModelLever.swift); nil in a record made before it was counted.
    package internal(set) var modelLever: ModelLever?

    package init(month: Month, config: CostperConfig) {
        self.month = month
        self.config = config
    }

    /// How the month's amounts are written: in its reporting currency.
    package var show: AmountFormat { AmountFormat(currency.code) }

    /// What the month's record keeps (month.json): every stored figure but the per-ticket and
    /// per-request working data (ticketCosts, ticketIDs, ledger), which only the alerts read while
    /// the month is closed. A test checks that every other stored property is listed here.
    package enum CodingKeys: String, CodingKey, CaseIterable {
        case month, config, tickets, resolvedTickets, requests, outcomes, outcomeCost, costByCategory, total, fixedCosts,
             attribution, reviewMinutes, orphanRequests, orphanTickets, orphanCost, roundedCosts, pricedFromCatalog,
             ticketsOutsideMonth, files, rejects, notices, priceSource, latestRequest, weekly, tenantReview, netCredits,
             autonomousResolved, revenue, bills, currency, ticketsOutsideByMonth, warnings, ticketLevel, reviewedTickets, humanReviewNotMeasured,
             outcomesFromTraces, quality, modelLever
    }
    /// The stored properties the record leaves out (see CodingKeys).
    package static let workingProperties: Set<String> = ["ticketCosts", "ticketIDs", "ledger"]


    package var costPerResolved: Quotient? { total.quotient(per: resolvedTickets) }
    package var costPerTicket: Quotient? { total.quotient(per: tickets) }

    package var hiddenCost: Money { Money(nanos: total.nanos - (costByCategory[.model] ?? .zero).nanos) }
    package var hiddenShare: Quotient? {
        total.nanos > 0 ? Quotient(numerator: Int128(hiddenCost.nanos), denominator: Int128(total.nanos)).reduced : nil
    }

    /// The human baseline the report uses (Comparison/Economics.swift: the company's own labour
    /// rate and handle time unless costper.toml sets one).
    package var baseline: (cost: Quotient, source: String) { let b = humanBaseline; return (b.used, b.usedSource) }

    /// 1 − AI cost per resolved ticket / human cost per resolved ticket.
    package var savingsShare: Quotient? {
        guard let cpr = costPerResolved, baseline.cost > Quotient(0), let r = cpr.divided(by: baseline.cost) else { return nil }
        return Quotient(1).minus(r)
    }

    package var rejectedRows: Int { rejects.count }

    /// The outcomes the report's tables list: the four recorded ones, and `unknown` when the
    /// month has tickets (or costs) with it.
    package var reportedOutcomes: [Outcome] {
        Outcome.recorded + ((outcomes[.unknown] ?? 0) > 0 || (outcomeCost[.unknown] ?? .zero).nanos != 0 ? [.unknown] : [])
    }

    /// Whether the month's human review was measured (see `humanReviewNotMeasured`).
    package var humanReviewMeasured: Bool { humanReviewNotMeasured == nil }

    /// The file the month's tickets were read from (tickets.csv, a help-desk export, a ticket-level export).
    package var ticketsFile: String {
        files.first { $0.reader.hasPrefix("tickets (") || $0.reader.hasSuffix("→ tickets") || $0.reader.hasPrefix("ticket costs") }?.file ?? "the tickets file"
    }

    package func share(of m: Money) -> Quotient? {
        total.nanos > 0 ? Quotient(numerator: Int128(m.nanos), denominator: Int128(total.nanos)).reduced : nil
    }

    package func table(_ dimension: AttributionDimension) -> AttributionTable? { attribution.first { $0.dimension == dimension } }
}

package enum Accounts {
    /// Closes the month: which tickets belong to it, human review, fixed costs spread over its
    /// tickets, and every breakdown. Throws only when a sum overflows.
    package static func close(month: Month, config: CostperConfig, tickets book: TicketBook, ledger: RequestLedger,
                             fixed: FixedCostList?) throws(MoneyOverflow) -> MonthAccountEntries {
        var a = MonthAccountEntries(month: month, config: config)
        a.requests = ledger.requests
        a.ticketIDs = book.ids
        let resolvedSet = Set(config.resolvedOutcomes)

        let monthStart = month.startEpochSeconds, monthEnd = month.endEpochSeconds
        // Which tickets are this month's: closed in it, or (no closed_at) first served in it.
        var inMonth = [Bool](repeating: false, count: book.count)
        for t in 0..<book.count {
            let first = ledger.ticketUsage[t].firstRequest
            let stamp = book.closedAt[t] != Int64.min ? book.closedAt[t] : first == Int32.max ? Int64.max : monthStart + Int64(first)
            inMonth[t] = stamp != Int64.max && stamp >= monthStart && stamp < monthEnd
            if !inMonth[t] {
                a.ticketsOutsideMonth += 1
                if stamp != Int64.max { a.ticketsOutsideByMonth[Month(epochSeconds: stamp).key, default: 0] += 1 }
            }
        }

        // Costs by category from requests.
        var byCategory = ledger.byCategory
        // Human review: minutes × loaded rate, rounded half to even to the nano-dollar per ticket.
        let rate = config.reviewCostPerMinute  // dollars per minute
        var reviewCost = [Int64](repeating: 0, count: book.count)
        var minutes: Int128 = 0
        let overrides = book.reviewCostOverride.count == book.count
        for t in 0..<book.count where inMonth[t] && (book.reviewMicroMinutes[t] > 0 || (overrides && book.reviewCostOverride[t] > 0)) {
            let c: Int64
            if overrides && book.reviewCostOverride[t] >= 0 {
                c = book.reviewCostOverride[t]   // exported by the source (ticket_costs.csv)
            } else {
                // micro-minutes × 1e9 fits in 128 bits; × the rate's numerator may not: 256-bit product.
                let (d, o) = rate.denominator.multipliedReportingOverflow(by: 1_000_000)
                guard !o, let q = Fixed.mulDivHalfEven(Int128(book.reviewMicroMinutes[t]) * Int128(Money.scale), rate.numerator, d),
                      let v = Int64(exactly: q) else { throw MoneyOverflow() }
                c = v
            }
            reviewCost[t] = c
            if c > 0 || book.reviewMicroMinutes[t] > 0 { a.reviewedTickets = (a.reviewedTickets ?? 0) + 1 }
            minutes += Int128(book.reviewMicroMinutes[t])
            let (s, o) = byCategory[CostCategory.human_review.index].addingReportingOverflow(c)
            if o { throw MoneyOverflow() }
            byCategory[CostCategory.human_review.index] = s
        }
        a.reviewedTickets = a.reviewedTickets ?? 0
        a.reviewMinutes = Quotient(numerator: minutes, denominator: 1_000_000).reduced

        // Fixed costs of the month, spread evenly over its tickets (the remainder, in nano-dollars,
        // one each to the first tickets) so that every breakdown adds up exactly.
        var fixedTotal: Int64 = 0
        var variableLines: Int64 = 0   // invoice gaps: variable model cost, allocated by request cost
        for item in fixed?.items ?? [] where item.month == month {
            a.fixedCosts.append(item)
            let (s, o) = byCategory[item.category.index].addingReportingOverflow(item.amount.nanos)
            if o { throw MoneyOverflow() }
            byCategory[item.category.index] = s
            if item.isFixed {
                let (f, o2) = fixedTotal.addingReportingOverflow(item.amount.nanos)
                if o2 { throw MoneyOverflow() }
                fixedTotal = f
            } else {
                let (v, o3) = variableLines.addingReportingOverflow(item.amount.nanos)
                if o3 { throw MoneyOverflow() }
                variableLines = v
            }
        }
        let monthTickets = inMonth.reduce(0) { $0 + ($1 ? 1 : 0) }
        var fixedShare = [Int64](repeating: 0, count: book.count)
        var unallocatedFixed: Int64 = 0
        /// `amount` over the month's tickets evenly, the remainder's nano-dollars one each to the first.
        func spreadEvenly(_ amount: Int64) {
            let base = amount / Int64(monthTickets)
            var remainder = amount % Int64(monthTickets)
            for t in 0..<book.count where inMonth[t] {
                fixedShare[t] &+= base + (remainder > 0 ? 1 : 0)
                if remainder > 0 { remainder -= 1 }
            }
        }
        if monthTickets > 0 { spreadEvenly(fixedTotal) } else { unallocatedFixed = fixedTotal }
        // The invoice gaps follow the model calls: each ticket of the month takes its share in
        // proportion to its request cost, exact to the nano-dollar (largest remainder, so the
        // shares add up to the gaps); with no request cost in the month, evenly, as a fixed bill.
        if variableLines != 0 {
            let weights = (0..<book.count).map { t -> Int64 in inMonth[t] ? max(0, ledger.ticketUsage[t].cost) : 0 }
            if weights.contains(where: { $0 > 0 }) {
                for (t, part) in Fixed.allocate(variableLines, byWeights: weights).enumerated() where part != 0 { fixedShare[t] &+= part }
            } else if monthTickets > 0 {
                spreadEvenly(variableLines)
            } else {
                unallocatedFixed &+= variableLines
            }
        }

        for c in CostCategory.allCases { a.costByCategory[c] = Money(nanos: byCategory[c.index]) }
        var total: Int64 = 0
        for v in byCategory {
            let (s, o) = total.addingReportingOverflow(v)
            if o { throw MoneyOverflow() }
            total = s
        }
        a.total = Money(nanos: total)

        // Tickets, outcomes and per-ticket all-in cost.
        // Per-ticket loops index arrays by outcome (a Set or Dictionary per ticket hashed 2.5M
        // times in the profile of a Klarna-scale month).
        let isResolved = Outcome.allCases.map { resolvedSet.contains($0) }
        var outcomeCount = [Int](repeating: 0, count: Outcome.allCases.count)
        var outcomeNanos = [Int64](repeating: 0, count: Outcome.allCases.count)
        var ticketAllIn = [Int64](repeating: 0, count: book.count)
        a.ticketCosts.reserveCapacity(book.count)
        for t in 0..<book.count {
            ticketAllIn[t] = ledger.ticketUsage[t].cost &+ reviewCost[t] &+ fixedShare[t]
            let o = book.outcome[t].index
            if inMonth[t] {
                a.tickets += 1
                outcomeCount[o] += 1
                if isResolved[o] { a.resolvedTickets += 1; if reviewCost[t] == 0 && (book.reviewMicroMinutes.isEmpty || book.reviewMicroMinutes[t] == 0) { a.autonomousResolved += 1 } }
                a.ticketCosts.append(TicketCost(ticket: t, cost: Money(nanos: ledger.ticketUsage[t].cost &+ reviewCost[t]), requests: ledger.ticketUsage[t].requests))
            }
            if inMonth[t] || ticketAllIn[t] != 0 {
                outcomeNanos[o] &+= ticketAllIn[t]
            }
        }
        // The month week by week: a ticket's week is its closed_at in the month, else its first request.
        var weekSlices = Weeks.slices(month)
        let weekOf = Weeks.Slotter(month)
        for t in 0..<book.count where inMonth[t] || ticketAllIn[t] != 0 {
            let closed = book.closedAt[t]
            let first = ledger.ticketUsage[t].firstRequest
            let stamp = closed != Int64.min && closed >= monthStart && closed < monthEnd ? closed
                : first == Int32.max ? monthStart : monthStart + Int64(first)
            let w = weekOf.slot(stamp)
            if inMonth[t] {
                weekSlices[w].tickets += 1
                if isResolved[book.outcome[t].index] { weekSlices[w].resolved += 1 }
            }
            weekSlices[w].cost.nanos &+= ticketAllIn[t]
        }
        a.weekly.weeks = weekSlices
        a.weekly.orphanCost = ledger.orphanCost
        a.weekly.unallocatedFixed = Money(nanos: unallocatedFixed)
        // `unknown` (tickets from traces without an outcome) only when the month has it, so a
        // month's record and summary keep the four outcomes they always had.
        for o in Outcome.allCases where o != .unknown || outcomeCount[o.index] > 0 || outcomeNanos[o.index] != 0 {
            a.outcomes[o] = outcomeCount[o.index]
            a.outcomeCost[o] = Money(nanos: outcomeNanos[o.index])
        }

        // Attribution by ticket-level dimensions.
        let orphanRow = AttributionRow(group: .orphanRequests(of: nil), tickets: 0, resolved: 0, requests: ledger.orphanRequests,
                                       cost: ledger.orphanCost, inputTokens: ledger.orphanByTenant.reduce(0) { $0 + $1.inputTokens },
                                       outputTokens: ledger.orphanByTenant.reduce(0) { $0 + $1.outputTokens })
        func ticketTable(_ dimension: AttributionDimension, labels: (Int) -> String, key: (Int) -> Int, extra: [AttributionRow]) -> AttributionTable {
            // Keys are dense dimension indices: totals in flat arrays, rows made at the end.
            var seen: [Bool] = [], tickets: [Int] = [], resolved: [Int] = [], requests: [Int64] = [], cost: [Int64] = []
            var input: [Int64] = [], output: [Int64] = []
            for t in 0..<book.count where inMonth[t] || ticketAllIn[t] != 0 {
                let k = key(t)
                if k >= seen.count {
                    let n = k + 1 - seen.count
                    seen += [Bool](repeating: false, count: n); tickets += [Int](repeating: 0, count: n); resolved += [Int](repeating: 0, count: n)
                    requests += [Int64](repeating: 0, count: n); cost += [Int64](repeating: 0, count: n)
                    input += [Int64](repeating: 0, count: n); output += [Int64](repeating: 0, count: n)
                }
                seen[k] = true
                if inMonth[t] {
                    tickets[k] += 1
                    if isResolved[book.outcome[t].index] { resolved[k] += 1 }
                }
                requests[k] += Int64(ledger.ticketUsage[t].requests)
                cost[k] &+= ticketAllIn[t]
                input[k] += ledger.ticketUsage[t].inputTokens
                output[k] += ledger.ticketUsage[t].outputTokens
            }
            var list: [AttributionRow] = seen.indices.filter { seen[$0] }.map { k in
                AttributionRow(group: k == 0 && dimension != .outcome ? .unnamed : .value(labels(k)), tickets: tickets[k], resolved: resolved[k], requests: requests[k], cost: Money(nanos: cost[k]),
                               inputTokens: input[k], outputTokens: output[k])
            }
            list += extra.filter { $0.requests > 0 || $0.cost.nanos != 0 }
            if unallocatedFixed != 0 {
                list.append(AttributionRow(group: .fixedWithoutTickets, tickets: 0, resolved: 0, requests: 0,
                                           cost: Money(nanos: unallocatedFixed), inputTokens: 0, outputTokens: 0))
            }
            return AttributionTable(dimension: dimension, level: .ticket, rows: sortRows(list))
        }
        let effectiveTenant: (Int) -> Int = { t in
            let own = Int(book.tenant[t])
            return own != 0 ? own : (ledger.ticketRequestTenant.isEmpty ? 0 : Int(ledger.ticketRequestTenant[t]))
        }
        for t in 0..<book.count where reviewCost[t] != 0 {
            let k = effectiveTenant(t)
            a.tenantReview[k == 0 ? AttributionGroup.unnamed.label : book.tenants.label(k), default: .zero].nanos &+= reviewCost[t]
        }
        // Orphan requests by their own tenant.
        var tenantExtra: [AttributionRow] = []
        for (i, u) in ledger.orphanByTenant.enumerated() where u.requests > 0 {
            tenantExtra.append(AttributionRow(group: .orphanRequests(of: book.tenants.label(i)), tickets: 0, resolved: 0,
                                              requests: u.requests, cost: u.cost, inputTokens: u.inputTokens, outputTokens: u.outputTokens))
        }
        a.attribution.append(ticketTable(.tenant, labels: { book.tenants.label($0) }, key: effectiveTenant, extra: tenantExtra))
        a.attribution.append(ticketTable(.segment, labels: { book.segments.label($0) }, key: { Int(book.segment[$0]) }, extra: [orphanRow]))
        a.attribution.append(ticketTable(.service_type, labels: { book.serviceTypes.label($0) }, key: { Int(book.serviceType[$0]) }, extra: [orphanRow]))
        a.attribution.append(ticketTable(.outcome, labels: { Outcome.allCases[$0].rawValue },
                                         key: { book.outcome[$0].index }, extra: [orphanRow]))

        // Attribution by request-level dimensions; ticket-level costs in one row of their own.
        let ticketLevel = Money(nanos: byCategory[CostCategory.human_review.index]
            &+ (fixed?.items ?? []).filter { $0.month == month }.reduce(0) { $0 &+ $1.amount.nanos })
        func requestTable(_ dimension: AttributionDimension, _ dim: Dimension, _ usage: [UsageTotals]) -> AttributionTable {
            var list: [AttributionRow] = []
            for (i, u) in usage.enumerated() where u.requests > 0 {
                list.append(AttributionRow(group: i == 0 ? .unnamed : .value(dim.label(i)), tickets: nil, resolved: nil, requests: u.requests, cost: u.cost,
                                           inputTokens: u.inputTokens, outputTokens: u.outputTokens))
            }
            if ticketLevel.nanos != 0 {
                list.append(AttributionRow(group: .humanReviewAndFixed, tickets: nil, resolved: nil, requests: 0,
                                           cost: ticketLevel, inputTokens: 0, outputTokens: 0))
            }
            return AttributionTable(dimension: dimension, level: .request, rows: sortRows(list))
        }
        a.attribution.append(requestTable(.model, ledger.models, ledger.byModel))
        var lever = ModelLever()
        lever.rows = ModelLever.rows(ledger: ledger, book: book, inMonth: inMonth, isResolved: isResolved)
        a.modelLever = lever
        a.attribution.append(requestTable(.endpoint, ledger.endpoints, ledger.byEndpoint))
        a.attribution.append(requestTable(.prompt_version, ledger.promptVersions, ledger.byPromptVersion))

        // Quality beside cost: a ticket's tenant as the tenant table has it; a ticket counts under
        // each prompt version its requests of the month name (as its cost is split among them).
        a.quality = QualityAccounts.of(book: book, inMonth: inMonth, isResolved: isResolved, tenant: effectiveTenant,
                                       tenantLabel: { book.tenants.label($0) },
                                       prompts: ledger.ticketPrompts.masks.count == book.count ? { ledger.ticketPrompts.members(ofTicket: $0) } : nil,
                                       promptLabel: { ledger.promptVersions.label($0) })

        a.orphanRequests = ledger.orphanRequests
        a.latestRequest = ledger.latestRequest == Int64.min ? nil : ledger.latestRequest
        a.orphanTickets = ledger.orphanTickets.count
        a.orphanCost = ledger.orphanCost
        a.roundedCosts = ledger.roundedCosts
        a.pricedFromCatalog = ledger.pricedFromCatalog
        a.ledger = ledger
        return a
    }

    /// Largest cost first; ties by label, so the order never depends on hashing.
    static func sortRows(_ rows: [AttributionRow]) -> [AttributionRow] {
        rows.sorted { $0.cost != $1.cost ? $0.cost > $1.cost : $0.label < $1.label }
    }
}
