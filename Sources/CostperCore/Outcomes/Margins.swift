// What the month earns: revenue.csv, prices and subscriptions against each tenant's all-in cost;
// cost per escalation avoided; the week and margin alerts.
import CostperMoney
import CostperIngest
import CostperVocabulary


/// One line of revenue.csv.
package struct RevenueItem: Equatable, Sendable, Codable {
    package var month: Month
    package var tenant: String
    package var amount: Money
}

/// revenue.csv: `month, tenant, amount_usd`, read strictly (a bad row is a reject, file:line).
package struct RevenueList: Sendable, Equatable, Codable {
    package var file = "revenue.csv"
    package var items: [RevenueItem] = []
    package var rowsRead = 0
    package var rejects: [Reject] = []
    package var unknownColumns: [String] = []

    package static let columns = ["month", "tenant", "amount_usd"]

    /// A negative amount stops the run: revenue is what a tenant paid, never a cost.
    package static func read(_ input: InputBuffer) throws(CostperError) -> RevenueList {
        var list = RevenueList(file: input.name)
        var rejects: [Reject] = []
        var negative: (line: Int, text: String)?
        let (header, rows, _) = try readAnyTable(input, columns: columns, required: columns, rejects: &rejects) { line, header, fields, rejects in
            func col(_ n: String) -> Bytes { fields[header.position(n)!] }
            func reject(_ c: String, _ r: String) { rejects.append(Reject(file: input.name, line: line, column: c, reason: r)) }
            let monthText = String(decoding: col("month"), as: UTF8.self)
            guard let month = Month(monthText) else { return reject("month", "\(Scalars.quoteForMessage(monthText)) is not a month (YYYY-MM)") }
            guard let tenant = utf8String(col("tenant")) else { return reject("tenant", "is not valid UTF-8") }
            if tenant.isEmpty { return reject("tenant", "is empty: revenue belongs to a tenant") }
            if col("tenant").count > InputLimits.maxTextBytes { return reject("tenant", "is longer than \(InputLimits.maxTextBytes) bytes") }
            let field = col("amount_usd")
            switch Scalars.parseDecimal(field) {
            case .success(let r):
                if r.value < 0 {
                    if negative == nil { negative = (line, String(decoding: field, as: UTF8.self)) }
                    return
                }
                list.items.append(RevenueItem(month: month, tenant: tenant, amount: Money(nanos: r.value)))
            case .failure(let e):
                let text = String(decoding: field, as: UTF8.self)
                if text.hasPrefix("-"), case .success = Scalars.parseDecimal(String(text.dropFirst())) {
                    if negative == nil { negative = (line, text) }
                    return
                }
                reject("amount_usd", e.reason(for: text))
            }
        }
        if let negative {
            throw CostperError(.badData, "amount_usd: \(Scalars.quoteForMessage(negative.text)) is negative; revenue is what a tenant paid, $0 or more (a refund or credit belongs in a lower amount for the month)",
                               at: InputLocation(file: input.name, line: negative.line))
        }
        list.rowsRead = rows
        list.rejects = rejects
        list.unknownColumns = header.unknown
        return list
    }
}

extension MonthAccountEntries {
    /// Adds revenue.csv: its data-quality line, its rejects, and a notice for revenue of a tenant
    /// that appears nowhere in the month.
    package mutating func add(revenue r: RevenueList) {
        revenue = r
        files.append(FileQuality(file: r.file, reader: "revenue (CSV)", rowsRead: r.rowsRead, rejected: r.rejects.count,
                                 outsideMonth: r.items.filter { $0.month != month }.count))
        rejects = (rejects + r.rejects).sorted()
        noteUnusedColumns(r.unknownColumns, of: r.file)
    }

    /// Tickets the AI handled that would otherwise have reached a person ([outcomes] escalation_avoided).
    package var escalationsAvoided: Int { config.outcomes.escalationAvoided.reduce(0) { $0 + (outcomes[$1] ?? 0) } }
    package var costPerEscalationAvoided: Quotient? { total.quotient(per: escalationsAvoided) }

    /// Share of the month's tickets that ended in an outcome.
    package func rate(_ set: [Outcome]) -> Quotient? {
        tickets > 0 ? Quotient(numerator: Int128(set.reduce(0) { $0 + (outcomes[$1] ?? 0) }), denominator: Int128(tickets)).reduced : nil
    }
}

/// A tenant's month: what it paid against what it cost.
package struct MarginRow: Sendable, Equatable, Codable {
    package var tenant: String
    package var tickets: Int
    package var resolved: Int
    package var requests: Int64
    package var tokens: Int64
    package var revenue: Money
    package var cost: Money
    package var review: Money
    package var margin: Money { Money(nanos: revenue.nanos &- cost.nanos) }
    /// Margin ÷ revenue; nil without revenue.
    package var marginShare: Quotient? {
        revenue.nanos > 0 ? Quotient(numerator: Int128(margin.nanos), denominator: Int128(revenue.nanos)).reduced : nil
    }
    package var costPerResolved: Quotient? { cost.quotient(per: resolved) }
    /// What the tenant paid per resolved ticket.
    package var pricePerResolved: Quotient? { revenue.quotient(per: resolved) }
}

/// Why a tenant costs what it does, against the month as a whole.
package struct MarginDriver: Sendable, Equatable, Codable {
    /// `human_review` (the people who handle its escalations) or `ai_layer` (every other cost);
    /// the two older kinds are kept so earlier records read.
    package enum Kind: String, Sendable, Codable, CodingKeyRepresentable { case human_review, ai_layer, tokens_per_request, requests_per_ticket }
    package var kind: Kind
    /// The component's dollars per resolved ticket, the tenant's and the month's.
    package var tenant: Quotient
    package var month: Quotient
    package var sentence: String
}

package struct MarginTable: Sendable, Equatable, Codable {
    package var rows: [MarginRow]
    package var revenue: Money { Money(nanos: rows.reduce(0) { $0 &+ $1.revenue.nanos }) }
    package var cost: Money { Money(nanos: rows.reduce(0) { $0 &+ $1.cost.nanos }) }
    package var margin: Money { Money(nanos: revenue.nanos &- cost.nanos) }
    package var marginShare: Quotient? {
        revenue.nanos > 0 ? Quotient(numerator: Int128(margin.nanos), denominator: Int128(revenue.nanos)).reduced : nil
    }
    /// Tenants with revenue but no ticket or request this month.
    package var revenueOnly: [String]

    /// The tenants served this month (a ticket, a request or a cost): the ranking and the
    /// headline margin; a tenant that paid and was served nothing is listed apart.
    package var served: [MarginRow] { let apart = Set(revenueOnly); return rows.filter { !apart.contains($0.tenant) } }
    package var unserved: [MarginRow] { let apart = Set(revenueOnly); return rows.filter { apart.contains($0.tenant) } }
    package var servedRevenue: Money { Money(nanos: served.reduce(0) { $0 &+ $1.revenue.nanos }) }
    package var servedCost: Money { Money(nanos: served.reduce(0) { $0 &+ $1.cost.nanos }) }
    package var servedMargin: Money { Money(nanos: servedRevenue.nanos &- servedCost.nanos) }
    /// The headline margin: of the tenants served this month only.
    package var servedMarginShare: Quotient? {
        servedRevenue.nanos > 0 ? Quotient(numerator: Int128(servedMargin.nanos), denominator: Int128(servedRevenue.nanos)).reduced : nil
    }
    /// Revenue of tenants served nothing this month.
    package var unservedRevenue: Money { Money(nanos: unserved.reduce(0) { $0 &+ $1.revenue.nanos }) }
}

package enum Margins {
    /// The month's margin by tenant, or nil when no revenue is given (no revenue.csv, no [pricing]).
    package static func make(_ a: MonthAccounts) -> MarginTable? {
        let s = a.config.outcomes
        guard s.hasPricing || a.revenue != nil else { return nil }
        var order: [String] = []
        var rows: [String: MarginRow] = [:]
        func row(_ name: String) -> MarginRow {
            rows[name] ?? MarginRow(tenant: name, tickets: 0, resolved: 0, requests: 0, tokens: 0, revenue: .zero, cost: .zero, review: .zero)
        }
        for r in a.table(.tenant)?.rows ?? [] {
            let name: String
            switch r.group {
            case .value(let v): name = v
            case .orphanRequests(let t): name = t ?? r.label
            default: name = r.label
            }
            var m = row(name)
            if rows[name] == nil { order.append(name) }
            m.tickets += r.tickets ?? 0
            m.resolved += r.resolved ?? 0
            m.requests += r.requests
            m.tokens += r.inputTokens + r.outputTokens
            m.cost.nanos &+= r.cost.nanos
            rows[name] = m
        }
        for (name, m) in a.tenantReview where rows[name] != nil { rows[name]!.review = m }
        var revenueOnly: [String] = []
        func pay(_ name: String, _ amount: Money) {
            if rows[name] == nil { order.append(name); revenueOnly.append(name) }
            var m = row(name)
            m.revenue.nanos &+= amount.nanos
            rows[name] = m
        }
        for item in a.revenue?.items ?? [] where item.month == a.month { pay(item.tenant, item.amount) }
        for name in s.subscriptions.keys.sorted() { pay(name, s.subscriptions[name]!) }
        if let price = s.pricePerResolved {
            for name in order where rows[name]!.resolved > 0 {
                rows[name]!.revenue.nanos &+= price.nanos &* Int64(rows[name]!.resolved)
            }
        }
        let list = order.map { rows[$0]! }.sorted {
            let a = $0.marginShare ?? Quotient(-1_000_000), b = $1.marginShare ?? Quotient(-1_000_000)
            return a != b ? a < b : $0.cost != $1.cost ? $0.cost > $1.cost : $0.tenant < $1.tenant
        }
        return MarginTable(rows: list, revenueOnly: revenueOnly.filter { name in (rows[name]?.tickets ?? 0) == 0 && (rows[name]?.cost ?? .zero) == .zero })
    }

    /// The month-wide measures a tenant's driver is set against, summed once per month (not once
    /// per tenant: that made the margin table quadratic in tenants).
    package struct MonthMeasures: Sendable, Equatable, Codable {
        package var review: Int64
        package var total: Int64
        package var tableRequests: Int64
        package var tableTokens: Int64
        package var requests: Int64
        package var tickets: Int64
        package var resolved: Int64

        package init(_ a: MonthAccounts) {
            review = (a.costByCategory[.human_review] ?? .zero).nanos
            total = a.total.nanos
            let rows = a.table(.tenant)?.rows ?? []
            tableRequests = rows.reduce(Int64(0)) { $0 + $1.requests }
            tableTokens = rows.reduce(Int64(0)) { $0 + $1.inputTokens + $1.outputTokens }
            requests = a.requests
            tickets = Int64(a.tickets)
            resolved = Int64(a.resolvedTickets)
        }
    }

    /// The component of the tenant's cost with the largest dollar contribution per resolved ticket:
    /// human review (the people who handle its escalations) or the AI layer (every other cost),
    /// with the month's figure beside it. A component worth a fraction of a cent is never named
    /// over one worth a dollar, whatever its share moved.
    package static func driver(_ r: MarginRow, month a: MonthAccounts) -> MarginDriver? { driver(r, measures: MonthMeasures(a), show: a.show) }

    /// As `driver(_:month:)`, against measures summed once for every tenant of the month.
    package static func driver(_ r: MarginRow, measures s: MonthMeasures, show: AmountFormat) -> MarginDriver? {
        guard r.resolved > 0, r.cost.nanos > 0 else { return nil }
        let per = Int128(Money.scale) * Int128(r.resolved)
        let monthPer = Int128(Money.scale) * Int128(max(s.resolved, 1))
        let review = Quotient(numerator: Int128(r.review.nanos), denominator: per)
        let ai = Quotient(numerator: Int128(r.cost.nanos &- r.review.nanos), denominator: per)
        let monthReview = Quotient(numerator: Int128(s.review), denominator: monthPer)
        let monthAI = Quotient(numerator: Int128(s.total &- s.review), denominator: monthPer)
        let (kind, t, m, name) = review >= ai ? (MarginDriver.Kind.human_review, review, monthReview, "human review of its escalations")
                                              : (MarginDriver.Kind.ai_layer, ai, monthAI, "the AI layer")
        return MarginDriver(kind: kind, tenant: t, month: m,
                            sentence: "\(name), \(show.unit(t)) of its \(show.unit(r.costPerResolved)) a resolved ticket (month: \(show.unit(m)))")
    }

    /// A tenant below the margin floor (or paying nothing while it costs), and a week whose cost
    /// per resolved ticket is more than the configured share above the month's.
    package static func alerts(_ a: MonthAccounts, margins: MarginTable?) -> [Alert] {
        let show = a.show
        var out: [Alert] = []
        let floor = a.config.outcomes.marginFloorShare
        let measures = MonthMeasures(a)
        for r in margins?.rows ?? [] where r.cost.nanos > 0 {
            let share = r.marginShare
            guard share.map({ $0 < floor }) ?? true else { continue }
            let why = driver(r, measures: measures, show: show).map { "; the largest cost: " + $0.sentence } ?? ""
            // In dollars: the revenue that brings the tenant to the floor, cost ÷ (1 − floor) − revenue.
            let keep = Quotient(1).minus(floor)
            let needed = keep > Quotient(0) ? r.cost.dollars.divided(by: keep) : nil
            let gap = needed.map { $0.minus(r.revenue.dollars) }
            let floorPrice = needed.flatMap { n in r.resolved > 0 ? n.divided(by: Quotient(numerator: Int128(r.resolved), denominator: 1)) : nil }
            let price = r.pricePerResolved.map { p in
                " (cost per resolved ticket \(show.unit(r.costPerResolved)), price \(show.unit(p))" + (floorPrice.map { ", \(show.unit($0)) at the floor" } ?? "") + ")"
            } ?? ""
            let what = share.map { "margin \(Show.percent($0)) is below the \(Show.percent(floor)) floor\(price)" } ?? "no revenue against \(show.amount(r.cost)) of cost"
            out.append(Alert(kind: .margin_floor, subject: r.tenant, severity: r.margin.nanos < 0 ? .alert : .warning,
                             value: share.map { Show.percent($0) } ?? "no revenue", threshold: Show.percent(floor),
                             message: "\(r.tenant): \(what)\(why)" + (gap.map { "; \(show.amount($0)) a month of revenue brings it to the floor." } ?? "."),
                             measure: "margin share of revenue", amount: share, limit: floor, unit: "share",
                             impact: gap, impactBasis: "the revenue that brings the tenant to the margin floor"))
        }
        let limit = Quotient(1).plus(a.config.outcomes.weekAboveMonthShare)
        if let month = a.costPerResolved {
            for w in a.weekly.weeks {
                guard let c = w.costPerResolved, let r = c.divided(by: month), r > limit else { continue }
                out.append(Alert(kind: .week_cost, subject: w.label(a.month), severity: .warning,
                                 value: show.unit(c), threshold: show.unit(month.times(limit)),
                                 message: "\(w.label(a.month)): cost per resolved ticket \(show.unit(c)) is \(Show.percent(r.minus(Quotient(1)))) above the month's \(show.unit(month)) (alert above +\(Show.percent(a.config.outcomes.weekAboveMonthShare))).",
                                 measure: "cost per resolved ticket of the week", amount: c, limit: month.times(limit), unit: "USD",
                                 impact: c.minus(month).times(Quotient(numerator: Int128(w.resolved), denominator: 1)),
                                 impactBasis: "the week's cost per resolved ticket above the month's × its resolved tickets"))
            }
        }
        return out
    }
}
