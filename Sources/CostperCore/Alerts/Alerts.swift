// Alerts (seed 004): prompt-version drift, tenant concentration, the per-ticket long tail,
// tenant budgets and request bursts. Each compares a figure of the month with a threshold from
// costper.toml and says what happened in a sentence.
import CostperMoney
import CostperIngest
import CostperVocabulary


/// How loud an alert is.
package enum Severity: String, Sendable, Codable, CodingKeyRepresentable {
    case warning, alert, exceeded
}

/// Where a tenant stands against its monthly budget.
package enum BudgetState: String, Sendable, Codable, CodingKeyRepresentable {
    case ok, warning, exceeded
}

package struct Alert: Sendable, Equatable, Codable {
    package enum Kind: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable {
        case prompt_drift, tenant_concentration, ticket_outliers, budget, burst, margin_floor, week_cost
    }
    package var kind: Kind
    package var subject: String
    package var severity: Severity
    package var value: String
    package var threshold: String
    package var message: String
    /// The value and threshold as numbers (alerts.csv): what is measured, in which unit.
    package var measure = ""
    package var amount: Quotient? = nil
    package var limit: Quotient? = nil
    package var unit = ""
    /// What the alert is worth in dollars this month (the report's currency), and how that was
    /// counted ("the newest prompt's extra cost a request × its requests"); nil when it has no
    /// dollar measure.
    package var impact: Quotient? = nil
    package var impactBasis: String? = nil

    /// Below materiality: its dollar impact is under `min` (an alert without one is material).
    package func isMaterial(_ min: Quotient) -> Bool { impact.map { $0 >= min } ?? true }
}

/// The per-ticket cost distribution: percentiles by the nearest-rank method (the value at rank
/// ceil(p/100 × n) of the sorted costs), and the dearest tickets above p99.
package struct TicketDistribution: Sendable, Equatable, Codable {
    package var tickets: Int
    package var p50: Money
    package var p95: Money
    package var p99: Money
    package var max: Money
    package var outliers: [TicketOutlier]
    /// How many tickets cost more than p99, and their share of the variable cost.
    package var aboveP99: Int
    package var aboveP99Cost: Money
    package var variableTotal: Money

    package static func == (a: TicketDistribution, b: TicketDistribution) -> Bool {
        a.tickets == b.tickets && a.p50 == b.p50 && a.p95 == b.p95 && a.p99 == b.p99 && a.max == b.max
            && a.outliers.map(\.id) == b.outliers.map(\.id) && a.aboveP99 == b.aboveP99 && a.aboveP99Cost == b.aboveP99Cost
    }

    package var aboveP99Share: Quotient? {
        variableTotal.nanos > 0 ? Quotient(numerator: Int128(aboveP99Cost.nanos), denominator: Int128(variableTotal.nanos)).reduced : nil
    }

    /// Nearest-rank percentiles of `values` (in any order), one per `p`; nil when empty. Selection
    /// instead of a sort (a sort of 2.5M costs was a tenth of closing a month): each rank is put
    /// in place by partitioning (median of three; a range that keeps partitioning badly is sorted,
    /// so the time stays O(n log n) at worst), the higher ranks first, each narrowing the next.
    package static func nearestRanks(_ values: [Int64], _ ps: [Int]) -> [Int64]? {
        guard !values.isEmpty else { return nil }
        var a = values
        let n = a.count
        let ranks = ps.map { rankIndex($0, of: n) }
        var bound = n
        var found: [Int: Int64] = [:]
        for k in Set(ranks).sorted(by: >) {
            select(&a, k, 0, bound)
            found[k] = a[k]
            bound = k
        }
        return ranks.map { found[$0]! }
    }

    /// Puts the k-th smallest of a[lo..<hi] at k, with none larger before it and none smaller after.
    static func select(_ a: inout [Int64], _ k: Int, _ lo0: Int, _ hi0: Int) {
        guard hi0 - lo0 > 1 else { return }
        var budget = 2 * (Int.bitWidth - (hi0 - lo0).leadingZeroBitCount) + 8
        var lo = lo0, hi = hi0 - 1
        while hi > lo {
            if budget == 0 { a[lo...hi].sort(); return }
            budget -= 1
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            // a[lo...j] <= pivot <= a[i...hi]; between them, the pivot's value.
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }

    /// Nearest-rank percentile of ascending `sorted` values; nil when empty.
    package static func nearestRank<T>(_ sorted: [T], _ p: Int) -> T? {
        guard !sorted.isEmpty else { return nil }
        return sorted[rankIndex(p, of: sorted.count)]
    }

    /// Where the nearest-rank `p`th percentile of `n` ascending values sits: rank ceil(p/100 × n), at least 1.
    static func rankIndex(_ p: Int, of n: Int) -> Int {
        Swift.max((p * n + 99) / 100, 1) - 1
    }
}

/// Spend against a tenant's monthly budget.
package struct BudgetStatus: Sendable, Equatable, Codable {
    package var tenant: String
    package var budget: Money
    package var spent: Money
    package var share: Quotient
    package var state: BudgetState
}

/// An hour of the month with its requests and failed calls.
package struct HourLoad: Sendable, Equatable, Codable {
    package var hour: Int        // hours since the month began
    package var requests: Int64
    package var errors: Int64
}

package struct AlertReport: Sendable, Codable {
    package var alerts: [Alert] = []
    package var distribution: TicketDistribution?
    package var budgets: [BudgetStatus] = []
    package var medianHour: Int64 = 0
    package var drift: [PromptDrift] = []
    package init() {}
}

/// Newest prompt version of an endpoint against the one before it.
package struct PromptDrift: Sendable, Equatable, Codable {
    package var endpoint: String
    package var previous: String
    package var newest: String
    package var previousCostPerRequest: Quotient
    package var newestCostPerRequest: Quotient
    package var previousTokensPerRequest: Quotient
    package var newestTokensPerRequest: Quotient
    package var costChange: Quotient
    package var tokenChange: Quotient?
}

package enum Alerts {
    /// The dollar impact below which an alert is listed as below materiality: `[alerts]
    /// min_impact_usd`, else 0.5% of the month's all-in cost.
    package static func materiality(_ a: MonthAccounts) -> Quotient {
        a.config.alerts.minImpact?.dollars ?? a.total.dollars.times(AlertSettings.defaultMaterialShare)
    }

    /// `closed`: the month is over (its data reaches its last day, or the report is prepared after
    /// it): a budget warning then says no more spend will come.
    package static func evaluate(_ a: MonthAccounts, ticketIDs: ByteKeyTable, closed: Bool = true) -> AlertReport {
        var out = AlertReport()
        let s = a.config.alerts
        func pct(_ q: Quotient) -> String { q.times(Quotient(100)).formatted(decimals: 1) + "%" }
        let show = a.show

        // Prompt-version drift, per endpoint.
        if let ledger = a.ledger {
            var byEndpoint: [Int: [(prompt: Int, usage: PromptUsage)]] = [:]
            for (key, u) in ledger.byEndpointPrompt { byEndpoint[key >> 32, default: []].append((key & 0xFFFF_FFFF, u)) }
            for endpoint in byEndpoint.keys.sorted(by: { ledger.endpoints.label($0) < ledger.endpoints.label($1) }) {
                let versions = byEndpoint[endpoint]!.filter { $0.prompt != 0 && $0.usage.totals.requests > 0 }
                    .sorted { ($0.usage.firstSeen, ledger.promptVersions.label($0.prompt)) < ($1.usage.firstSeen, ledger.promptVersions.label($1.prompt)) }
                guard versions.count >= 2 else { continue }
                let prev = versions[versions.count - 2], new = versions[versions.count - 1]
                let pc = prev.usage.totals.cost.quotient(per: Int(prev.usage.totals.requests))!
                let nc = new.usage.totals.cost.quotient(per: Int(new.usage.totals.requests))!
                let pt = Quotient(numerator: Int128(prev.usage.totals.tokens), denominator: Int128(prev.usage.totals.requests))
                let nt = Quotient(numerator: Int128(new.usage.totals.tokens), denominator: Int128(new.usage.totals.requests))
                guard pc > Quotient(0), let costRatio = nc.divided(by: pc) else { continue }
                let costChange = costRatio.minus(Quotient(1))
                let tokenChange = nt.divided(by: pt).map { $0.minus(Quotient(1)) }
                let name = ledger.endpoints.label(endpoint)
                let d = PromptDrift(endpoint: name, previous: ledger.promptVersions.label(prev.prompt), newest: ledger.promptVersions.label(new.prompt),
                                    previousCostPerRequest: pc, newestCostPerRequest: nc, previousTokensPerRequest: pt, newestTokensPerRequest: nt,
                                    costChange: costChange, tokenChange: tokenChange)
                out.drift.append(d)
                let tokensAbove = tokenChange.map { $0 > s.promptDriftShare } ?? false
                if costChange > s.promptDriftShare || tokensAbove {
                    var msg = "\(name): prompt \(d.newest) costs \(show.amount(nc)) a request, \(signed(costChange, pct)) against \(d.previous) (\(show.amount(pc)))"
                    if let tc = tokenChange { msg += "; tokens per request \(signed(tc, pct)) (\(Show.grouped(nt.formatted(decimals: 0))) against \(Show.grouped(pt.formatted(decimals: 0))))" }
                    msg += ". Check what the \(d.newest) release added to the prompt."
                    // The row shows the measure that fired: cost per request, else tokens per request.
                    let fired = costChange > s.promptDriftShare ? ("cost per request", costChange) : ("tokens per request", tokenChange ?? costChange)
                    // In dollars: the newest prompt's extra cost a request × its requests this month.
                    let extra = nc.minus(pc).times(Quotient(numerator: Int128(new.usage.totals.requests), denominator: 1))
                    msg += " Worth \(show.amount(extra)) this month."
                    out.alerts.append(Alert(kind: .prompt_drift, subject: "\(name) \(d.previous) → \(d.newest)", severity: .alert,
                                            value: "\(fired.0) \(signed(fired.1, pct))", threshold: "+" + pct(s.promptDriftShare), message: msg,
                                            measure: "change in \(fired.0)", amount: fired.1, limit: s.promptDriftShare, unit: "share",
                                            impact: extra, impactBasis: "the newest prompt's change in cost a request × its requests"))
                }
            }
        }

        // Tenant concentration: the largest named tenant's share of the month's cost.
        if let tenants = a.table(.tenant), a.total.nanos > 0 {
            let named = tenants.rows.filter { if case .value = $0.group { return true }; return false }
            if let top = named.max(by: { $0.cost != $1.cost ? $0.cost < $1.cost : $0.label > $1.label }), let share = a.share(of: top.cost),
               share > s.tenantConcentrationShare {
                out.alerts.append(Alert(kind: .tenant_concentration, subject: top.label, severity: .alert, value: pct(share),
                                        threshold: pct(s.tenantConcentrationShare),
                                        message: "\(top.label) accounts for \(pct(share)) of the month's AI support cost (\(show.amount(top.cost.dollars)) of \(show.amount(a.total.dollars))), above the \(pct(s.tenantConcentrationShare)) concentration limit.",
                                        measure: "share of the month's cost", amount: share, limit: s.tenantConcentrationShare, unit: "share",
                                        impact: top.cost.dollars.minus(a.total.dollars.times(s.tenantConcentrationShare)),
                                        impactBasis: "the tenant's cost above the concentration limit's share of the month"))
            }
        }

        // The per-ticket long tail.
        // Percentiles over the costs alone, by selection (sorting the ticket records with a
        // comparison closure took a second at 2.5M tickets, a sort of the costs a third of one);
        // the few tickets above p99 are then ordered dearest first, ties by their place in tickets.csv.
        let costs = a.ticketCosts.map(\.cost.nanos)
        if let ranks = TicketDistribution.nearestRanks(costs, [50, 95, 99]), let highest = costs.max() {
            let (p50, p95, p99) = (ranks[0], ranks[1], ranks[2])
            let above = a.ticketCosts.filter { $0.cost.nanos > p99 }.sorted { $0.cost != $1.cost ? $0.cost > $1.cost : $0.ticket < $1.ticket }
            let variableTotal = Money(nanos: costs.reduce(0, &+))
            let aboveCost = Money(nanos: above.reduce(0) { $0 &+ $1.cost.nanos })
            let top = above.prefix(s.outlierCount).map { (id: ticketIDs.key($0.ticket), cost: $0.cost, requests: $0.requests) }
            let dist = TicketDistribution(tickets: costs.count, p50: Money(nanos: p50), p95: Money(nanos: p95), p99: Money(nanos: p99),
                                          max: Money(nanos: highest),
                                          outliers: top.map { TicketOutlier(id: $0.id, cost: $0.cost, requests: $0.requests) }, aboveP99: above.count, aboveP99Cost: aboveCost, variableTotal: variableTotal)
            out.distribution = dist
            if let share = dist.aboveP99Share, share > s.outlierShare {
                out.alerts.append(Alert(kind: .ticket_outliers, subject: "\(above.count) tickets above p99", severity: .alert, value: pct(share),
                                        threshold: pct(s.outlierShare),
                                        message: "\(above.count) tickets above the 99th percentile (\(show.amount(Money(nanos: p99).dollars))) took \(pct(share)) of the month's variable cost; the dearest, \(top.first.map { $0.id } ?? ""), cost \(show.amount((top.first?.cost ?? .zero).dollars)) over \(top.first?.requests ?? 0) requests. Long threads re-send their history every turn.",
                                        measure: "share of variable cost above p99", amount: share, limit: s.outlierShare, unit: "share",
                                        impact: aboveCost.dollars.minus(Money(nanos: p99).dollars.times(Quotient(numerator: Int128(above.count), denominator: 1))),
                                        impactBasis: "the cost of the tickets above p99 beyond p99 each"))
            }
        }

        // Budgets per tenant.
        if let tenants = a.table(.tenant) {
            // Each tenant's cost once (its tickets and its requests without a ticket): a lookup
            // per budget, not a pass over every tenant per budget.
            var spentBy: [String: Int64] = [:]
            for row in tenants.rows {
                switch row.group {
                case .value(let t), .orphanRequests(of: .some(let t)): spentBy[t, default: 0] &+= row.cost.nanos
                default: break
                }
            }
            for b in a.config.budgets where b.amount.nanos > 0 { let tenant = b.tenant, budget = b.amount
                let spent = Money(nanos: spentBy[tenant] ?? 0)
                let share = Quotient(numerator: Int128(spent.nanos), denominator: Int128(budget.nanos)).reduced
                let state: BudgetState = share >= Quotient(1) ? .exceeded : share >= s.budgetWarningShare ? .warning : .ok
                out.budgets.append(BudgetStatus(tenant: tenant, budget: budget, spent: spent, share: share, state: state))
                if state != .ok {
                    // In dollars: the spend beyond the budget. A closed month spends no more; an open
                    // one is projected to its last day at the pace so far.
                    let over = spent.dollars.minus(budget.dollars)
                    var message: String, impact: Quotient, basis: String
                    if state == .exceeded {
                        message = "\(tenant) exceeded its monthly budget: \(show.amount(spent.dollars)) spent of \(show.amount(budget.dollars)) (\(pct(share))), \(show.amount(over)) over."
                        impact = over; basis = "the spend beyond the budget"
                    } else if closed {
                        message = "\(tenant) used \(pct(share)) of its monthly budget: \(show.amount(spent.dollars)) spent of \(show.amount(budget.dollars)). The month is closed: no more spend will come, \(show.amount(Quotient(0).minus(over))) left unspent."
                        impact = Quotient(0); basis = "none: the month is closed under its budget"
                    } else {
                        let elapsed = a.latestRequest.map { Swift.max(Int64(1), ($0 - a.month.startEpochSeconds) / 86_400 + 1) } ?? Int64(a.month.days)
                        let projected = spent.dollars.times(Quotient(numerator: Int128(a.month.days), denominator: Int128(Swift.min(elapsed, Int64(a.month.days)))))
                        let projectedOver = projected.minus(budget.dollars)
                        impact = projectedOver < Quotient(0) ? Quotient(0) : projectedOver
                        message = "\(tenant) has used \(pct(share)) of its monthly budget: \(show.amount(spent.dollars)) spent of \(show.amount(budget.dollars)) by day \(Swift.min(elapsed, Int64(a.month.days))) of \(a.month.days); at this pace the month ends at \(show.amount(projected))"
                            + (projectedOver > Quotient(0) ? ", \(show.amount(projectedOver)) over." : ", within it.")
                        basis = "the spend projected to the month's last day beyond the budget"
                    }
                    out.alerts.append(Alert(kind: .budget, subject: tenant, severity: state == .exceeded ? .exceeded : .warning, value: pct(share),
                                            threshold: state == .exceeded ? "100.0%" : pct(s.budgetWarningShare),
                                            message: message,
                                            measure: "share of the budget used", amount: share, limit: state == .exceeded ? Quotient(1) : s.budgetWarningShare, unit: "share",
                                            impact: impact, impactBasis: basis))
                }
            }
        }

        // Bursts: hours far above the median hour while calls fail.
        if let ledger = a.ledger {
            let active = ledger.hourlyRequests.filter { $0 > 0 }.sorted()
            if !active.isEmpty {
                let median = active[(active.count - 1) / 2]
                out.medianHour = median
                let model = a.costByCategory[.model] ?? .zero
                let perRequest = a.requests > 0 ? Optional(Quotient(numerator: Int128(model.nanos), denominator: Int128(Money.scale) * Int128(a.requests))) : nil
                var fired = 0
                for (h, n) in ledger.hourlyRequests.enumerated() where n > 0 {
                    let ratio = Quotient(numerator: Int128(n), denominator: Int128(median))
                    let success = Quotient(numerator: Int128(n - ledger.hourlyErrors[h]), denominator: Int128(n))
                    guard ratio > s.burstFactor, success < s.burstSuccessShare else { continue }
                    fired += 1
                    let when = hourLabel(a.month, h)
                    out.alerts.append(Alert(kind: .burst, subject: when, severity: .alert, value: "\(n) requests, \(pct(success)) ok",
                                            threshold: "> \(s.burstFactor.formatted(decimals: 1))x median, < \(pct(s.burstSuccessShare)) ok",
                                            message: "\(when): \(n) requests, \(ratio.formatted(decimals: 1))x the median hour (\(median)), and only \(pct(success)) succeeded. Check for abuse, scraping or a failing dependency.",
                                            measure: "requests in the hour against the burst factor times the median hour (success share in the message)",
                                            amount: Quotient(numerator: Int128(n), denominator: 1), limit: s.burstFactor.times(Quotient(numerator: Int128(median), denominator: 1)), unit: "requests",
                                            impact: perRequest.map { $0.times(Quotient(numerator: Int128(n - median), denominator: 1)) },
                                            impactBasis: "an estimate: the requests above the median hour × the month's model cost a request"))
                }
                _ = fired
            }
        }
        return out
    }

    static func signed(_ q: Quotient, _ f: (Quotient) -> String) -> String {
        q < Quotient(0) ? "-" + f(Quotient(0).minus(q)) : "+" + f(q)
    }

    /// "2026-10-14 13:00 UTC"
    package static func hourLabel(_ m: Month, _ hour: Int) -> String {
        let day = hour / 24 + 1, h = hour % 24
        return "\(m.description)-\(day < 10 ? "0" : "")\(day) \(h < 10 ? "0" : "")\(h):00 UTC"
    }
}
