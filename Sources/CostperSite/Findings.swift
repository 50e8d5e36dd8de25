// Page 1's findings: at most five things a board can act on, made from the month's figures and
// ranked by the dollars a month each puts at stake. Each says the figure, why it matters and the
// lever, in dollars, in plain words (no setting names). The same list is on the page, in
// findings.csv and in the workbook's Findings sheet.
import CostperMoney
import CostperVocabulary
import CostperCore

package struct Finding: Sendable, Equatable, Codable {
    package enum Kind: String, Sendable, Codable, CaseIterable {
        case escalations, saving, margin, resolution_plan, plan_gap, flag
    }
    package var kind: Kind
    /// What ranks it: the dollars a month at stake (never negative).
    package var atStake: Quotient
    /// The figure, in one sentence.
    package var figure: String
    /// Why it matters.
    package var why: String
    /// What moves it, in dollars.
    package var lever: String

    /// The most findings page 1 shows.
    package static let limit = 5

    /// The month's findings, most dollars first (ties in the order of `Kind`), at most `limit`.
    package static func of(_ r: MonthReport) -> [Finding] {
        let show = r.accounts.show
        var all: [Finding] = []
        let a = r.accounts
        if let f = escalations(a, r.economics) { all.append(f) }
        if let f = saving(a, r.economics) { all.append(f) }
        if let f = margin(a, r.margins) { all.append(f) }
        if let f = resolutionPlan(r.resolution, r.economics, show: show) { all.append(f) }
        all += planGaps(r)
        all += flags(r)
        let order = Dictionary(uniqueKeysWithValues: Kind.allCases.enumerated().map { ($1, $0) })
        let ranked = all.enumerated().sorted { x, y in
            if x.element.atStake != y.element.atStake { return x.element.atStake > y.element.atStake }
            if x.element.kind != y.element.kind { return order[x.element.kind]! < order[y.element.kind]! }
            return x.offset < y.offset
        }
        return Array(ranked.prefix(limit).map(\.element))
    }

    static func share(_ part: Money, of whole: Money) -> Quotient? {
        whole.nanos > 0 ? Quotient(numerator: Int128(part.nanos), denominator: Int128(whole.nanos)) : nil
    }

    static func positive(_ q: Quotient) -> Quotient { q < Quotient(0) ? Quotient(0) : q }

    /// Escalated tickets: their share of tickets and of cost, one against an AI resolution, and
    /// the value of one point of escalation rate.
    static func escalations(_ a: MonthAccounts, _ e: MonthEconomics?) -> Finding? {
        let show = a.show
        let n = a.outcomes[.escalated] ?? 0, cost = a.outcomeCost[.escalated] ?? .zero
        guard n > 0, a.tickets > 0, let e, let one = e.escalatedTicketCost, let ai = e.aiResolutionCost,
              let costShare = share(cost, of: a.total) else { return nil }
        let ticketShare = Quotient(numerator: Int128(n), denominator: Int128(a.tickets))
        let lever = e.escalationPointValue.map { "Each point of escalation rate turned into AI resolutions is worth \(show.amount($0)) a month." }
            ?? "No AI resolution this month to compare an escalated ticket with."
        return Finding(kind: .escalations, atStake: cost.dollars,
                       figure: "Escalated tickets are \(Show.percent(ticketShare)) of tickets and \(Show.percent(costShare)) of the month's cost (\(show.amount(cost))).",
                       why: "One escalated ticket costs \(show.unit(one)) all-in, against \(show.unit(ai)) for one the AI resolves: the difference is people's time.",
                       lever: lever)
    }

    /// The saving against handling every ticket by people, in dollars, with its range.
    static func saving(_ a: MonthAccounts, _ e: MonthEconomics?) -> Finding? {
        let show = a.show
        guard let e, let s = e.savings, let cpr = a.costPerResolved else { return nil }
        let basis = e.baseline.isUsers ? "the human cost per ticket you set" : "our own labour rate and handle time"
        if s.perMonth < Quotient(0) {
            return Finding(kind: .saving, atStake: Quotient(0).minus(s.perMonth),
                           figure: "The AI costs \(show.amount(Quotient(0).minus(s.perMonth))) a month more than people handling the same tickets would.",
                           why: "A resolved ticket costs \(show.unit(cpr)) all-in, against \(show.unit(s.baseline)) for a person (from \(basis)).",
                           lever: "Each cent off the cost per resolved ticket is worth \(show.amount(Quotient(numerator: Int128(a.resolvedTickets), denominator: 100))) a month.")
        }
        return Finding(kind: .saving, atStake: s.perMonth,
                       figure: "The AI saves \(show.amount(s.perMonth)) a month (\(show.amount(s.annual, decimals: 0)) a year) against people handling the same tickets.",
                       why: "A resolved ticket costs \(show.unit(cpr)) all-in, against \(show.unit(s.baseline)) for a person (from \(basis)).",
                       lever: "At the published \(show.unit(s.low))–\(show.unit(s.high)) a ticket the saving is \(show.amount(s.perMonthLow))–\(show.amount(s.perMonthHigh)) a month.")
    }

    /// Tenants below the margin floor: the worst named with its break-even price, and what
    /// pricing them all at the floor is worth.
    static func margin(_ a: MonthAccounts, _ m: MarginTable?) -> Finding? {
        let show = a.show
        guard let m else { return nil }
        let floor = a.config.outcomes.marginFloorShare
        let keep = Quotient(1).minus(floor)
        let below = m.rows.filter { $0.resolved > 0 && $0.cost.nanos > 0 && ($0.marginShare.map { $0 < floor } ?? true) }
        guard !below.isEmpty, keep > Quotient(0) else { return nil }
        // Revenue each needs to reach the floor: cost ÷ (1 − floor), less what it pays.
        func shortfall(_ row: MarginRow) -> Quotient { positive((row.cost.dollars.divided(by: keep) ?? Quotient(0)).minus(row.revenue.dollars)) }
        let gap = below.reduce(Quotient(0)) { $0.plus(shortfall($1)) }
        let worst = below.min { ($0.marginShare ?? Quotient(-1)) < ($1.marginShare ?? Quotient(-1)) }!
        let loses = worst.margin.nanos < 0
        let names = below.sorted { ($0.marginShare ?? Quotient(-1)) < ($1.marginShare ?? Quotient(-1)) }.prefix(3).map(\.tenant)
        let who = below.count == 1 ? "\(worst.tenant) is" : "\(below.count) tenants are"
        let listed = below.count == 1 ? "" : " (" + names.joined(separator: ", ") + (below.count > 3 ? ", …" : "") + ")"
        let figure = "\(who) below the \(Show.percent(floor, decimals: 0)) margin floor\(listed)" +
            (loses ? "; \(worst.tenant) loses \(show.amount(Quotient(0).minus(worst.margin.dollars))) a month." : "; the lowest, \(worst.tenant), makes \(Show.percent(worst.marginShare)).")
        let why = "\(worst.tenant) pays \(show.unit(worst.pricePerResolved)) a resolved ticket; it costs \(show.unit(worst.costPerResolved)), the price it breaks even at."
        let toFloor = worst.costPerResolved.flatMap { $0.divided(by: keep) }
        return Finding(kind: .margin, atStake: gap, figure: figure, why: why,
                       lever: "Pricing \(below.count == 1 ? "it" : "them") at the floor (\(worst.tenant): \(show.unit(toFloor)) a resolved ticket) adds \(show.amount(gap)) a month.")
    }

    /// The autonomous resolution rate behind the go-live plan, and the dollars of closing the gap.
    static func resolutionPlan(_ res: ResolutionReview, _ e: MonthEconomics?, show: AmountFormat) -> Finding? {
        guard let p = res.plan, p.verdict == .behind else { return nil }
        let points = p.reference.low.minus(p.rate).times(Quotient(100))
        let range = p.reference.high.map { "\(Show.percent(p.reference.low, decimals: 0))–\(Show.percent($0, decimals: 0))" } ?? Show.percent(p.reference.low, decimals: 0)
        let day = res.daysLive.map { " at day \($0) after go-live" } ?? ""
        let value = e?.escalationPointValue.map { $0.times(points) }
        return Finding(kind: .resolution_plan, atStake: value ?? Quotient(0),
                       figure: "The autonomous resolution rate is \(Show.percent(p.rate)), behind the go-live plan's \(range)\(day).",
                       why: "Every ticket the AI does not resolve alone goes to a person, at the cost of an escalation.",
                       lever: value.map { "Closing the \(points.formatted(decimals: 1))-point gap with tickets that are escalated today is worth \(show.amount($0)) a month." }
                           ?? "Closing the \(points.formatted(decimals: 1))-point gap moves tickets from people to the AI.")
    }

    /// A whole-month plan line more than a tenth from this month's cost per resolved ticket (or beyond
    /// the change allowed without a driver), against our own run rate at its volume; and the
    /// service-type lines beyond the change allowed with no driver, gathered into one finding.
    static func planGaps(_ r: MonthReport) -> [Finding] {
        let show = r.accounts.show
        let a = r.accounts
        guard let now = a.costPerResolved, now > Quotient(0) else { return [] }
        var out: [Finding] = []
        let allowed = a.config.planChangeAllowed
        var unexplained: [(name: String, months: String, plan: Quotient, ours: Quotient, change: Quotient, gap: Quotient)] = []
        func abs(_ q: Quotient) -> Quotient { q < Quotient(0) ? Quotient(0).minus(q) : q }
        func direction(_ change: Quotient) -> String {
            change < Quotient(0) ? "\(Show.percent(Quotient(0).minus(change))) below" : "\(Show.percent(change)) above"
        }
        for l in r.lines where l.kind == .plan && l.domain == .support {
            guard let v = l.volume, v > 0 else { continue }
            let vq = Quotient(numerator: Int128(v), denominator: 1)
            let months = l.months.map(\.title).joined(separator: ", ")
            let noDriver = (l.planDriver ?? "").isEmpty
            if l.serviceType.isEmpty {
                // The whole mix: against this month's cost per resolved ticket, and our own run rate at its volume.
                guard let rate = a.runRate(at: v), let change = l.value.divided(by: now)?.minus(Quotient(1)) else { continue }
                let gap = rate.minus(l.value).times(vq)
                let tenth = Quotient(numerator: 1, denominator: 10)
                guard abs(change) > tenth || l.reality?.unexplained == true else { continue }
                let named = noDriver ? " It names no driver for the change." : " Its driver: \(l.planDriver!)."
                out.append(Finding(kind: .plan_gap, atStake: abs(gap),
                                   figure: "The plan for \(months) is \(show.unit(l.value)) a resolved ticket, \(direction(change)) this month's \(show.unit(now)).",
                                   why: "At its \(Show.count(v)) tickets our own costs give \(show.unit(rate)) a ticket, \(show.amount(rate.times(vq))) a month." + named,
                                   lever: gap > Quotient(0)
                                       ? "The plan is \(show.amount(gap)) a month short unless a change in price, routing or escalations is named to close it."
                                       : "The plan holds \(show.amount(Quotient(0).minus(gap))) a month more than our own costs need."))
            } else if let x = l.reality, x.unexplained, let ours = x.ours, let change = x.change {
                // A service type: against this month's cost per ticket handled of that type, when
                // the change is more than allowed and no driver is named (gathered into one finding below).
                unexplained.append((r.serviceTypeLabels[l.serviceType] ?? l.serviceType, months, l.value, ours, change, l.value.minus(ours).times(vq)))
            }
        }
        if let first = unexplained.first {
            let stake = unexplained.reduce(Quotient(0)) { $0.plus(abs($1.gap)) }
            let they = unexplained.count == 1 ? "it" : "they"
            let how: String
            if unexplained.allSatisfy({ $0.gap > Quotient(0) }) {
                how = "budget \(show.amount(stake)) a month more than our own costs: name what raises \(unexplained.count == 1 ? "it" : "them"), or plan at our own \(unexplained.count == 1 ? "figure" : "figures")."
            } else if unexplained.allSatisfy({ $0.gap < Quotient(0) }) {
                how = "\(unexplained.count == 1 ? "is" : "are") \(show.amount(stake)) a month short of our own costs unless a change is named to close the gap."
            } else {
                how = "\(unexplained.count == 1 ? "is" : "are") \(show.amount(stake)) a month away from our own costs: name what changes them, or plan at our own figures."
            }
            let figure = unexplained.count == 1
                ? "The plan for \(first.name) in \(first.months) is \(show.unit(first.plan)) a ticket handled, \(direction(first.change)) this month's \(show.unit(first.ours))."
                : "\(unexplained.count) service-type plans move more than \(Show.percent(allowed)) from our own costs: "
                    + unexplained.map { "\($0.name) in \($0.months), \(show.unit($0.plan)) against \(show.unit($0.ours)) (\(direction($0.change)))" }.joined(separator: "; ") + "."
            out.append(Finding(kind: .plan_gap, atStake: stake, figure: figure,
                               why: "\(unexplained.count == 1 ? "It names no" : "None names a") driver for a change of more than \(Show.percent(allowed)) from our own cost per ticket handled.",
                               lever: "At \(unexplained.count == 1 ? "its volume" : "their volumes") \(they) \(how)"))
        }
        return out
    }

    /// Each flagged line: the dollars above the rule's figure at its volume.
    static func flags(_ r: MonthReport) -> [Finding] {
        let show = r.accounts.show
        let a = r.accounts
        return r.lines.filter { $0.state == .flagged }.compactMap { l in
            guard let figure = l.ruleFigure, let ratio = l.ratio else { return nil }
            let volume = l.volume ?? Int64(a.resolvedTickets)
            let excess = positive(l.value.minus(figure.times(l.threshold))).times(Quotient(numerator: Int128(volume), denominator: 1))
            return Finding(kind: .flag, atStake: excess,
                           figure: "\(l.subject) is \(show.unit(l.value)), \(Show.ratio(ratio, threshold: l.threshold)) the published figures it is comparable with.",
                           why: "That is more than \(Show.ratio(l.threshold)) their \(show.unit(figure)): a gap this size is rarely explained by scale alone.",
                           lever: "Bringing it to \(Show.ratio(l.threshold)) is worth \(show.amount(excess)) a month at \(Show.count(volume)) tickets.")
        }
    }
}

extension SiteBuilder {
    /// findings.csv (and the Findings sheet): the page's findings in their order, the dollars a
    /// month at stake exact.
    static func findingsTable(_ findings: [Finding]) -> CSVDocument {
        var d = CSVDocument(header: ["rank", "kind", "at_stake_usd", "figure", "why", "lever"])
        for (i, f) in findings.enumerated() {
            d.append([.number(String(i + 1), .count), .text(f.kind.rawValue), .money(f.atStake), .text(f.figure), .text(f.why), .text(f.lever)])
        }
        return d
    }
}
