// The month's economics on the page: the AI layer and the human handling, each vendor price per
// AI resolution like for like and as build or buy, the human baseline with its basis, the savings
// in dollars, and the metrics of escalation (Comparison/Economics.swift makes the figures).
import CostperMoney
import CostperVocabulary
import CostperCore

enum EconomicsContext {
    static func add(to c: inout [String: Any], _ r: MonthReport) {
        let show = r.accounts.show
        let a = r.accounts
        let e = r.economics ?? MonthEconomics.make(a, data: BenchmarkData(ranges: r.references))
        let t = r.rule.threshold
        c["ai_layer"] = show.amount(e.aiLayer)
        // Human review not measured: the human handling is said to be, never $0.
        let measured = a.humanReviewMeasured
        c["human_handling"] = measured ? show.amount(e.humanHandling) : SiteText.notMeasured
        c["human_handling_share"] = measured ? Show.percent(a.share(of: e.humanHandling)) : "—"
        c["human_handled_tickets"] = measured ? Show.count(e.humanHandledTickets) : "an unknown number of"
        c["ai_resolutions"] = Show.count(e.aiResolutions)
        c["deflected_tickets"] = Show.count(e.deflected)
        c["resolved_with_deflected"] = Show.count(e.aiResolutions + e.deflected)
        c["ai_layer_per_ai_resolution"] = show.unit(e.aiLayerPerAIResolution)
        c["ai_layer_per_ai_resolution_deflected"] = show.unit(e.aiLayerPerAIResolutionWithDeflected)
        c["all_in_per_resolved_deflected"] = show.unit(e.allInPerResolvedWithDeflected)
        c["has_vendors"] = !e.vendors.isEmpty
        c["vendors"] = e.vendors.map { v -> [String: Any] in
            let figure = r.comparables.first { $0.name == v.name }
            return ["name": v.name, "publisher": v.publisher, "tier": v.tier.label, "price": show.unit(v.price),
                    "as_of": figure?.asOf.text ?? "undated", "as_of_sentence": (figure?.asOf ?? .undated).sentence(at: a.month),
                    "ai_ratio": Show.ratio(v.aiLayerRatio, threshold: t), "ai_ratio_deflected": Show.ratio(v.aiLayerRatioWithDeflected, threshold: t),
                    "buy": show.unit(v.buildOrBuy), "buy_deflected": show.unit(v.buildOrBuyWithDeflected),
                    "all_in_ratio": Show.ratio(v.allInRatio, threshold: t), "all_in_ratio_deflected": Show.ratio(v.allInRatioWithDeflected, threshold: t),
                    "buy_formula": "(\(show.unit(v.price)) × \(Show.count(e.aiResolutions)) + \(show.amount(e.humanHandling))) ÷ \(Show.count(e.resolved))",
                    "definition": v.resolutionDefinition.isEmpty ? "not stated in the register" : v.resolutionDefinition]
        }

        c["has_not_compared"] = !e.notCompared.isEmpty
        c["not_compared"] = e.notCompared.map { n -> [String: Any] in
            ["name": n.name, "published": n.published, "unit": n.unit, "variable": show.unit(n.variable), "fixed": show.amount(n.fixed),
             "volume": Show.count(n.volume), "reading": show.unit(n.reading)]
        }
        // The human baseline: its figure, its basis, the company's own figure beside a user's.
        let b = e.baseline
        c["baseline_own"] = show.unit(b.own)
        c["baseline_formula"] = b.ownFormula
        c["baseline_is_users"] = b.isUsers
        c["baseline_unit"] = b.isUsers ? "per resolved ticket" : b.own != nil ? "per human-handled ticket" : "per resolved ticket"
        c["has_baseline_context"] = !e.baselineContext.isEmpty
        c["baseline_context"] = e.baselineContext.map { ["label": $0.label, "range": $0.range, "unit": $0.unit, "source": $0.source] }
        if let s = e.savings {
            c["has_savings_usd"] = true
            c["savings_month"] = show.amount(s.perMonth)
            c["savings_year"] = show.amount(s.annual, decimals: 0)
            c["savings_low"] = show.unit(s.low)
            c["savings_high"] = show.unit(s.high)
            c["savings_month_low"] = show.amount(s.perMonthLow)
            c["savings_month_high"] = show.amount(s.perMonthHigh)
            c["savings_year_low"] = show.amount(s.perMonthLow.times(Quotient(12)), decimals: 0)
            c["savings_year_high"] = show.amount(s.perMonthHigh.times(Quotient(12)), decimals: 0)
        } else {
            c["has_savings_usd"] = false
        }

        // Escalation, named for what each figure measures.
        c["ai_cost_per_avoided_escalation"] = show.unit(e.aiCostPerAvoidedEscalation)
        c["escalated_ticket_cost"] = show.unit(e.escalatedTicketCost)
        c["ai_resolution_cost"] = show.unit(e.aiResolutionCost)
        c["escalation_point_value"] = e.escalationPointValue.map { show.amount($0) } ?? "—"
        c["escalation_point_tickets"] = Show.grouped(Quotient(numerator: Int128(a.tickets), denominator: 100).formatted(decimals: a.tickets % 100 == 0 ? 0 : 2))
        c["cost_per_ticket_resolved_by_anyone"] = show.unit(e.costPerTicketResolvedByAnyone)
        c["resolved_by_anyone"] = Show.count(e.resolvedByAnyone)
        // Tickets whose outcome is unknown (built from traces without one) are not known to be resolved.
        c["resolved_by_anyone_rule"] = (a.outcomes[.unknown] ?? 0) > 0 ? "all but the abandoned and the unknown" : "all but the abandoned"
    }
}
