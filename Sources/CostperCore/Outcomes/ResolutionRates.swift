// The month's autonomous resolution, containment and escalation rates against the published
// ranges by business type and the 30/60/90-day plan (data/benchmarks/resolution_rates.csv).
import CostperMoney
import CostperIngest
import CostperVocabulary


/// A row of resolution_rates.csv: a business type's range, or a stage of the go-live plan.
package struct ResolutionReference: Sendable, Equatable, Codable {
    package enum Kind: String, Sendable, Codable, CodingKeyRepresentable { case business_type, plan }
    package var kind: Kind
    /// The business type (e-commerce, saas…) or the plan stage (days_1_30…).
    package var key: String
    package var label: String
    /// Plan stages: the last day since go-live the stage covers.
    package var untilDay: Int?
    package var low: Quotient
    package var high: Quotient?
    package var citation: Citation
    package var notes: String
}

package enum RateVerdict: String, Sendable, Codable, CodingKeyRepresentable {
    case behind, on_track, ahead
    package var label: String { self == .on_track ? "on track" : rawValue }
}

/// The go-live plan's stage on the last day of a later month.
package struct StageAhead: Sendable, Equatable, Codable {
    package var month: Month
    package var daysLive: Int
    package var stage: ResolutionReference
}

/// The month against one reference: the rate, the range it is read against, the verdict.
package struct RateCheck: Sendable, Equatable, Codable {
    package var reference: ResolutionReference
    package var rate: Quotient
    /// On track from `low` up to `onTrackHigh` (both included); ahead above it.
    package var onTrackHigh: Quotient
    package var verdict: RateVerdict
}

package struct ResolutionReview: Sendable, Equatable, Codable {
    /// Tickets resolved with no human touchpoint (no review minutes) ÷ tickets handled.
    package var autonomous: Quotient?
    /// Tickets the AI handled without reaching a person (escalation avoided) ÷ tickets handled.
    package var containment: Quotient?
    /// Escalated tickets ÷ tickets handled.
    package var escalation: Quotient?
    package var businessType: RateCheck?
    package var plan: RateCheck?
    /// Days from go-live to the month's last day (go-live day counted as day 1).
    package var daysLive: Int?
    /// The go-live plan's stage at the end of each of the next three months (the forward view);
    /// nil in a record made before it was kept, or with no go-live date.
    package var ahead: [StageAhead]?
    package init() {}

    /// The checks made: the business type's, then the plan stage's.
    package var checks: [RateCheck] { [businessType, plan].compactMap { $0 } }
}

extension BenchmarkData {
    package static let resolutionColumns = ["kind", "key", "label", "until_day", "low", "high", "publisher", "title", "published", "url",
                                           "source_unit", "figure_kind", "disclosure", "secondary_source", "notes"]

    package static func readResolutionRates(_ input: InputBuffer) throws(CostperError) -> [ResolutionReference] {
        var list: [ResolutionReference] = []
        try readReferenceTable(input, columns: resolutionColumns, required: ["kind", "key", "label", "low"] + citationColumns) { r throws(ReferenceRowError) in
            let kindText = try r.text("kind", required: true)
            guard let kind = ResolutionReference.Kind(rawValue: kindText) else {
                throw ReferenceRowError("kind", "\(Scalars.quoteForMessage(kindText)) is not business_type or plan")
            }
            let key = try r.text("key", required: true)
            if list.contains(where: { $0.kind == kind && $0.key == key }) { throw ReferenceRowError("key", "\(Scalars.quoteForMessage(key)) is listed twice") }
            guard let low = try r.share("low") else { throw ReferenceRowError("low", "is empty: a reference needs its lowest rate") }
            let high = try r.share("high")
            if let high, high < low { throw ReferenceRowError("high", "is below low") }
            let until = try r.count("until_day")
            if kind == .plan && until == nil { throw ReferenceRowError("until_day", "is empty: a plan stage says up to which day after go-live it runs") }
            list.append(ResolutionReference(kind: kind, key: key, label: try r.text("label", required: true), untilDay: until.map { Int($0) },
                                            low: low, high: high, citation: try citation(r), notes: try r.text("notes", limit: ReferenceRow.longText)))
        }
        return list
    }
}

package enum ResolutionRates {
    /// A rate against a range: below `low` behind, from `low` to `onTrackHigh` on track, above ahead.
    package static func verdict(_ rate: Quotient, low: Quotient, onTrackHigh: Quotient) -> RateVerdict {
        rate < low ? .behind : rate > onTrackHigh ? .ahead : .on_track
    }

    /// The business types the register knows.
    package static func businessTypes(_ refs: [ResolutionReference]) -> [String] { refs.filter { $0.kind == .business_type }.map(\.key) }

    /// The month's rates against its business type and its go-live plan stage. Throws for an
    /// unknown business type and a go-live after the month.
    package static func review(_ a: MonthAccounts, references refs: [ResolutionReference]) throws(CostperError) -> ResolutionReview {
        var r = ResolutionReview()
        if a.tickets > 0 && a.humanReviewMeasured {   // no review measured: no autonomous rate either
            r.autonomous = Quotient(numerator: Int128(a.autonomousResolved), denominator: Int128(a.tickets)).reduced
        }
        r.containment = a.rate(a.config.outcomes.escalationAvoided)
        r.escalation = a.rate([.escalated])
        let s = a.config.outcomes
        if let type = s.businessType {
            guard let ref = refs.first(where: { $0.kind == .business_type && $0.key == type }) else {
                let known = businessTypes(refs)
                throw CostperError(.badData, "business_type: \(Scalars.quoteForMessage(type)) is not a business type costper has published rates for; use one of: \(known.isEmpty ? "(none: resolution_rates.csv lists none)" : known.joined(separator: ", "))",
                                   at: InputLocation(file: "costper.toml"))
            }
            if let rate = r.autonomous {
                let top = ref.high ?? ref.low
                r.businessType = RateCheck(reference: ref, rate: rate, onTrackHigh: top, verdict: verdict(rate, low: ref.low, onTrackHigh: top))
            }
        }
        if let goLive = s.goLive {
            let lastDay = Int(a.month.endEpochSeconds / 86_400) - 1
            guard goLive <= lastDay else {
                let (y, m, d) = Scalars.civilFromDays(goLive)
                throw CostperError(.badData, "go_live: \(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d) is after \(a.month.title): the agent must be live by the month it is measured in (set go_live to the day it went live, or report a later month)",
                                   at: InputLocation(file: "costper.toml"))
            }
            let days = lastDay - goLive + 1
            r.daysLive = days
            let stages = refs.filter { $0.kind == .plan }.sorted { ($0.untilDay ?? 0) < ($1.untilDay ?? 0) }
            func stageIndex(_ days: Int) -> Int? { stages.firstIndex(where: { days <= ($0.untilDay ?? 0) }) ?? (stages.isEmpty ? nil : stages.count - 1) }
            r.ahead = (1...3).compactMap { k in
                let m = Month(key: a.month.key + k)
                let d = Int(m.endEpochSeconds / 86_400) - 1 - goLive + 1
                return stageIndex(d).map { StageAhead(month: m, daysLive: d, stage: stages[$0]) }
            }
            if let i = stageIndex(days), let rate = r.autonomous {
                let stage = stages[i]
                // On track up to the stage's top, or, for a single target, up to the next stage's target.
                let top = stage.high ?? (i + 1 < stages.count ? stages[i + 1].low : stage.low)
                r.plan = RateCheck(reference: stage, rate: rate, onTrackHigh: top, verdict: verdict(rate, low: stage.low, onTrackHigh: top))
            }
        }
        return r
    }
}
