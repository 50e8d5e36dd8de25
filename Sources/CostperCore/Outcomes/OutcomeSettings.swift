// costper.toml for outcome economics: what counts as an escalation avoided, prices and
// subscriptions, the business type and go-live date, and the week and margin alert levels.
import CostperMoney
import CostperIngest
import CostperVocabulary
import TOMLKit

package struct OutcomeSettings: Equatable, Sendable, Codable {
    /// Outcomes of a ticket the AI handled that would otherwise have reached a person.
    package var escalationAvoided: [Outcome] = [.auto_resolved, .deflected]
    /// Price per resolved ticket charged to every tenant ([pricing] per_resolved_usd).
    package var pricePerResolved: Money?
    /// Monthly subscription per tenant ([pricing.subscriptions]).
    package var subscriptions: [String: Money] = [:]
    /// Business type, a key of resolution_rates.csv (e-commerce, saas...).
    package var businessType: String?
    /// Go-live day, in days since 1970-01-01.
    package var goLive: Int?
    /// A week whose cost per resolved ticket is more than this share above the month's.
    package var weekAboveMonthShare = Quotient(numerator: 25, denominator: 100)
    /// A tenant whose margin is below this share of its revenue.
    package var marginFloorShare = Quotient(numerator: 20, denominator: 100)
    package init() {}

    /// Revenue is given: a price, a subscription or revenue.csv.
    package var hasPricing: Bool { pricePerResolved != nil || !subscriptions.isEmpty }

    package static let keys = ["outcomes", "pricing", "business_type", "go_live"]

    static func parse(_ table: TOMLTable, reader: TOMLReader) throws(ConfigError) -> OutcomeSettings {
        var s = OutcomeSettings()
        if let t = table["outcomes"] {
            let o = try reader.table(t, "outcomes")
            if let v = o["escalation_avoided"] {
                guard let arr = v.array else { throw reader.fail("outcomes.escalation_avoided", "must be a list of outcomes") }
                var outs: [Outcome] = []
                for item in arr {
                    let text = try reader.string(item, "outcomes.escalation_avoided")
                    guard let out = Outcome.named(text) else {
                        throw reader.fail("outcomes.escalation_avoided", "\(Scalars.quoteForMessage(text)) is not an outcome (\(Outcome.recordedList))")
                    }
                    outs.append(out)
                }
                guard !outs.isEmpty else { throw reader.fail("outcomes.escalation_avoided", "must name at least one outcome") }
                s.escalationAvoided = Outcome.allCases.filter(outs.contains)
            }
        }
        if let t = table["pricing"] {
            let p = try reader.table(t, "pricing")
            if let v = p["per_resolved_usd"] {
                let m = try reader.money(v, "pricing.per_resolved_usd")
                guard m.nanos >= 0 else { throw reader.fail("pricing.per_resolved_usd", "is negative: a price per resolved ticket is what a tenant pays, $0 or more") }
                s.pricePerResolved = m
            }
            if let v = p["subscriptions"] {
                let subs = try reader.table(v, "pricing.subscriptions")
                for key in subs.keys.sorted() {
                    let m = try reader.money(subs[key]!, "pricing.subscriptions.\(key)")
                    guard m.nanos >= 0 else { throw reader.fail("pricing.subscriptions.\(key)", "is negative: a subscription is what a tenant pays a month, $0 or more") }
                    s.subscriptions[key] = m
                }
            }
        }
        if let v = table["business_type"] { s.businessType = try reader.string(v, "business_type") }
        if let v = table["go_live"] {
            if let d = v.date {
                s.goLive = Scalars.daysFromCivil(d.year, d.month, d.day)
            } else if let text = v.string, case .success(let secs) = Scalars.parseTimestamp(text + "T00:00:00Z") {
                s.goLive = Int(secs / 86_400)
            } else {
                throw reader.fail("go_live", "must be a date, YYYY-MM-DD")
            }
        }
        if let t = table["alerts"], let a = t.table {
            if let v = a["week_above_month_share"] {
                s.weekAboveMonthShare = try reader.quotient(v, "alerts.week_above_month_share")
                guard s.weekAboveMonthShare >= Quotient(0) else { throw reader.fail("alerts.week_above_month_share", "must be 0 or more (0.25 = a week 25% above the month)") }
            }
            if let v = a["margin_floor_share"] {
                s.marginFloorShare = try reader.quotient(v, "alerts.margin_floor_share")
                guard s.marginFloorShare <= Quotient(1) else { throw reader.fail("alerts.margin_floor_share", "must be at most 1 (a share of revenue)") }
            }
        }
        return s
    }
}
