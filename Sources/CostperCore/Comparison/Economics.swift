// The month split the way a buyer of AI support is billed: the AI layer (everything but the human
// handling of escalated tickets) and the human handling; vendor prices per AI resolution against
// the AI layer, build or buy against the all-in, the human baseline from the company's own labour
// rate, and the savings in dollars. Exact quotients; rounded once, for display.
import CostperMoney
import CostperIngest
import CostperVocabulary

/// The human cost of a ticket as the report uses it: the company's own labour rate × handle time
/// unless costper.toml sets a figure, which is then labelled as the user's, with the own figure beside it.
package struct HumanBaselineFigure: Sendable, Equatable, Codable {
    /// From the company's own labour rate, overhead and handle time, per human-handled ticket.
    package var own: Quotient?
    /// `$33.33 an hour × 6.19 minutes … = $3.44`
    package var ownFormula = ""
    /// [baseline] cost_per_resolved_usd, when set.
    package var userSet: Quotient?
    /// The figure the report uses.
    package var used: Quotient
    package var usedSource: String
    package var isUsers: Bool { userSet != nil }
}

/// A vendor price per AI resolution against our AI layer, and as build or buy against our all-in.
package struct VendorScopeLine: Sendable, Equatable, Codable {
    package var name: String
    package var publisher: String
    package var price: Quotient
    package var tier: FigureTier
    package var resolutionDefinition: String
    /// Our AI layer per AI resolution (strict) ÷ the price.
    package var aiLayerRatio: Quotient?
    /// Counting deflected tickets as resolved.
    package var aiLayerRatioWithDeflected: Quotient?
    /// (price × AI resolutions + our human handling) ÷ resolved tickets.
    package var buildOrBuy: Quotient?
    /// The same with deflected tickets billed and counted as resolved.
    package var buildOrBuyWithDeflected: Quotient?
    /// Our all-in ÷ build or buy.
    package var allInRatio: Quotient?
    package var allInRatioWithDeflected: Quotient?
}

/// The month's savings against the human baseline: baseline × resolved tickets − the month's
/// all-in cost (the escalation desk counted as a cost of the AI: the saving is not overstated).
package struct BaselineSavings: Sendable, Equatable, Codable {
    package var baseline: Quotient
    package var perMonth: Quotient
    package var annual: Quotient
    /// The lowest and highest baseline of the range (the baseline and the published human figures of its unit).
    package var low: Quotient
    package var high: Quotient
    package var perMonthLow: Quotient
    package var perMonthHigh: Quotient
    package var share: Quotient?
}

/// An operator's all-in figure in another unit: why it is not compared, and what the commonly cited
/// reading (its variable part + our fixed cost ÷ our volume) would give at our scale, not like for like.
package struct NotComparedReading: Sendable, Equatable, Codable {
    package var name: String
    package var published: String
    package var unit: String
    package var variable: Quotient
    package var fixed: Money
    package var volume: Int
    package var reading: Quotient
}

/// A published human cost shown as context beside the baseline.
package struct BaselineContext: Sendable, Equatable, Codable {
    package var label: String
    package var range: String
    package var unit: String
    package var source: String
}

package struct MonthEconomics: Sendable, Equatable, Codable {
    package var total: Money
    /// Human review at the loaded labour rate: the human handling of escalated tickets.
    package var humanHandling: Money
    /// Everything else: model calls, retries, embeddings, vector database, observability, integrations, fixed bills.
    package var aiLayer: Money
    /// Tickets the AI resolved (the resolved outcomes but deflection).
    package var aiResolutions: Int
    package var deflected: Int
    package var resolved: Int
    package var humanHandledTickets: Int
    package var aiLayerPerAIResolution: Quotient?
    package var aiLayerPerAIResolutionWithDeflected: Quotient?
    package var allInPerResolved: Quotient?
    package var allInPerResolvedWithDeflected: Quotient?
    package var vendors: [VendorScopeLine] = []
    package var notCompared: [NotComparedReading] = []
    package var baseline: HumanBaselineFigure
    package var baselineContext: [BaselineContext] = []
    package var savings: BaselineSavings?
    /// AI layer ÷ tickets that avoided an escalation ([outcomes] escalation_avoided).
    package var aiCostPerAvoidedEscalation: Quotient?
    package var escalationsAvoided: Int
    /// The all-in cost of one escalated ticket, and of one AI resolution.
    package var escalatedTicketCost: Quotient?
    package var aiResolutionCost: Quotient?
    /// One percentage point of tickets moved from escalated to resolved by AI, in dollars a month.
    package var escalationPointValue: Quotient?
    /// Total ÷ tickets resolved by anyone (every ticket but the abandoned).
    package var costPerTicketResolvedByAnyone: Quotient?
    package var resolvedByAnyone: Int

    /// The keys of reference_ranges.csv shown as context beside the human baseline.
    package static let baselineContextKeys = ["human_labour_only", "human_per_ticket", "human_outsourced"]

    package static func make(_ a: MonthAccounts, data: BenchmarkData) -> MonthEconomics {
        let show = a.show
        let human = a.costByCategory[.human_review] ?? .zero
        let ai = Money(nanos: a.total.nanos &- human.nanos)
        let strict = a.config.resolvedOutcomes.filter { $0 != .deflected }.reduce(0) { $0 + (a.outcomes[$1] ?? 0) }
        let deflected = a.outcomes[.deflected] ?? 0
        let broad = strict + deflected
        var e = MonthEconomics(total: a.total, humanHandling: human, aiLayer: ai, aiResolutions: strict, deflected: deflected,
                               resolved: a.resolvedTickets, humanHandledTickets: a.reviewedTickets ?? 0,
                               aiLayerPerAIResolution: ai.quotient(per: strict), aiLayerPerAIResolutionWithDeflected: ai.quotient(per: broad),
                               allInPerResolved: a.costPerResolved, allInPerResolvedWithDeflected: a.total.quotient(per: broad),
                               baseline: a.humanBaseline, escalationsAvoided: a.escalationsAvoided, resolvedByAnyone: a.tickets - (a.outcomes[.abandoned] ?? 0) - (a.outcomes[.unknown] ?? 0))
        let buy = BuildOrBuyBasis(aiResolutions: Int64(strict), humanHandling: human, resolved: Int64(a.resolvedTickets))
        let buyBroad = BuildOrBuyBasis(aiResolutions: Int64(broad), humanHandling: human, resolved: Int64(broad))
        for p in data.comparables where p.domain == .support && p.scope == .vendor_price_per_ai_resolution && !p.isIllustrative && p.basis == .per_resolved {
            let price = p.reference.dollars
            var v = VendorScopeLine(name: p.name, publisher: p.citation.publisher, price: price, tier: p.tier, resolutionDefinition: p.resolutionDefinition)
            v.aiLayerRatio = e.aiLayerPerAIResolution.flatMap { $0.divided(by: price) }
            v.aiLayerRatioWithDeflected = e.aiLayerPerAIResolutionWithDeflected.flatMap { $0.divided(by: price) }
            v.buildOrBuy = buy.perResolved(price: price)
            v.buildOrBuyWithDeflected = buyBroad.perResolved(price: price)
            v.allInRatio = e.allInPerResolved.flatMap { o in v.buildOrBuy.flatMap { o.divided(by: $0) } }
            v.allInRatioWithDeflected = e.allInPerResolvedWithDeflected.flatMap { o in v.buildOrBuyWithDeflected.flatMap { o.divided(by: $0) } }
            e.vendors.append(v)
        }
        for p in data.comparables where p.domain == .support && p.scope == .operator_all_in && p.basis != .per_resolved {
            guard let v = p.variable, a.resolvedTickets > 0 else { continue }
            let f = a.fixedThisMonth
            e.notCompared.append(NotComparedReading(name: p.name, published: p.publishedText(a.show), unit: p.unit, variable: v.dollars, fixed: f, volume: a.resolvedTickets,
                                                    reading: v.dollars.plus(Quotient(numerator: Int128(f.nanos), denominator: Int128(Money.scale) * Int128(a.resolvedTickets)))))
        }
        // The published human figures of one ticket, beside the baseline.
        var lows: [Quotient] = [], highs: [Quotient] = []
        for key in baselineContextKeys {
            guard let r = data.range(key) else { continue }
            let range: String
            if let lo = r.low, let hi = r.high { range = show.unit(lo.dollars) + "–" + show.unit(hi.dollars); lows.append(lo.dollars); highs.append(hi.dollars) }
            else if let f = r.figure { range = show.unit(f.dollars); lows.append(f.dollars); highs.append(f.dollars) }
            else { continue }
            e.baselineContext.append(BaselineContext(label: r.label, range: range, unit: r.unit, source: r.citation.disclosure))
        }
        let b = e.baseline.used
        if a.resolvedTickets > 0, b > Quotient(0) {
            let low = (lows + [b]).min()!, high = (highs + [b]).max()!
            let n = Quotient(numerator: Int128(a.resolvedTickets), denominator: 1)
            func saving(_ x: Quotient) -> Quotient { x.times(n).minus(a.total.dollars) }
            let month = saving(b)
            e.savings = BaselineSavings(baseline: b, perMonth: month, annual: month.times(Quotient(12)), low: low, high: high,
                                        perMonthLow: saving(low), perMonthHigh: saving(high), share: a.savingsShare)
        }
        e.aiCostPerAvoidedEscalation = ai.quotient(per: a.escalationsAvoided)
        e.escalatedTicketCost = (a.outcomeCost[.escalated] ?? .zero).quotient(per: a.outcomes[.escalated] ?? 0)
        e.aiResolutionCost = (a.outcomeCost[.auto_resolved] ?? .zero).quotient(per: a.outcomes[.auto_resolved] ?? 0)
        if let esc = e.escalatedTicketCost, let res = e.aiResolutionCost, a.tickets > 0 {
            e.escalationPointValue = esc.minus(res).times(Quotient(numerator: Int128(a.tickets), denominator: 100))
        }
        e.costPerTicketResolvedByAnyone = a.total.quotient(per: e.resolvedByAnyone)
        return e
    }
}

extension MonthAccountEntries {
    /// The human baseline: costper.toml's figure when set (the user's, the own figure beside it);
    /// else the company's own labour rate × handle time × repeat contacts × (1 + overhead), per
    /// human-handled ticket (the same rate that costs the month's human review); else, with no
    /// handle time at all, costper's default.
    package var humanBaseline: HumanBaselineFigure {
        let s = config.baseline
        let loaded = s.loadedAnnual ?? config.reviewerLoadedAnnual
        let hours = s.loadedAnnual != nil ? s.hours : config.productiveHoursPerYear
        let perMinute = loaded.dollars.divided(by: hours.times(Quotient(60))) ?? Quotient(0)
        var minutes: Quotient?
        var minutesSource = ""
        if let aht = s.ahtMinutes {
            minutes = aht; minutesSource = "[baseline] aht_minutes"
        } else if let n = reviewedTickets, n > 0, reviewMinutes > Quotient(0) {
            minutes = reviewMinutes.divided(by: Quotient(n)); minutesSource = "this month's review per human-handled ticket"
        } else if let n = reviewedTickets, n > 0, let h = costByCategory[.human_review], h.nanos > 0, perMinute > Quotient(0) {
            minutes = h.dollars.divided(by: Quotient(n)).flatMap { $0.divided(by: perMinute) }; minutesSource = "this month's human review cost per human-handled ticket at the labour rate"
        }
        var own: Quotient?
        var formula = ""
        if let m = minutes, perMinute > Quotient(0) {
            let o = perMinute.times(m).times(s.repeatContactFactor).times(Quotient(1).plus(s.overheadShare))
            own = o
            var f = "\(show.amount(perMinute.times(Quotient(60)))) an hour (\(show.amount(loaded, decimals: 0)) a year over \(Show.grouped(hours.formatted(decimals: 0))) hours) × \(Show.grouped(m.formatted(decimals: 2))) minutes (\(minutesSource))"
            if s.repeatContactFactor != Quotient(1) { f += " × \(s.repeatContactFactor.formatted(decimals: 2)) contacts an issue" }
            if s.overheadShare != Quotient(0) { f += " × (1 + \(Show.percent(s.overheadShare, decimals: 0)) overhead)" }
            f += " = \(show.unit(o))"
            formula = f
        }
        if let u = s.costPerResolved {
            let beside = own.map { "; the company's own labour rate and handle time give \(show.unit($0))" } ?? ""
            return HumanBaselineFigure(own: own, ownFormula: formula, userSet: u.dollars, used: u.dollars,
                                       usedSource: "yours: set in costper.toml ([baseline] cost_per_resolved_usd)\(beside)")
        }
        if let o = own, o > Quotient(0) {
            return HumanBaselineFigure(own: o, ownFormula: formula, userSet: nil, used: o, usedSource: "the company's own labour rate and handle time: \(formula)")
        }
        let d = s.resolved(show)
        return HumanBaselineFigure(own: nil, ownFormula: "", userSet: nil, used: d.cost, usedSource: d.source)
    }
}
