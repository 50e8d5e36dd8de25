// Quality beside cost: where tickets.csv carries `reopened` or `csat`, the month's reopened
// resolutions, the cost per resolved ticket net of them, and CSAT, overall, by tenant and by
// prompt version. Exact: counts, micro-points and Quotients, never binary floating point.
import CostperMoney
import CostperIngest
import CostperVocabulary


/// The quality figures of one group of tickets (the month, a tenant, a prompt version).
package struct QualityRow: Sendable, Equatable, Codable {
    package var group: AttributionGroup
    package var label: String { group.label }
    /// Tickets of the month in the group, and those with a resolved outcome.
    package var tickets = 0
    package var resolved = 0
    /// Resolved tickets that were reopened.
    package var reopened = 0
    /// Tickets of the month with a CSAT, and their CSATs added up, in micro-points.
    package var rated = 0
    package var csatMicroSum: Int64 = 0

    package init(group: AttributionGroup) { self.group = group }

    /// Reopened resolved tickets over resolved tickets; nil with none resolved.
    package var reopenRate: Quotient? {
        resolved > 0 ? Quotient(numerator: Int128(reopened), denominator: Int128(resolved)).reduced : nil
    }
    /// The mean CSAT of the rated tickets (1 to 5); nil with none rated.
    package var meanCSAT: Quotient? {
        rated > 0 ? Quotient(numerator: Int128(csatMicroSum), denominator: Int128(rated) * 1_000_000).reduced : nil
    }
    /// Resolved tickets that stayed resolved.
    package var resolvedNetOfReopened: Int { resolved - reopened }
}

/// The month's quality: which measures the tickets carry, the month's row and its breakdowns.
package struct QualityAccounts: Sendable, Equatable, Codable {
    /// Whether some ticket of the month says whether it was reopened / has a CSAT.
    package var reopenedMeasured: Bool
    package var csatMeasured: Bool
    package var overall: QualityRow
    /// By the ticket's tenant (as the tenant table attributes it), largest resolved count first.
    package var byTenant: [QualityRow]
    /// By prompt version: a ticket counts under each version its requests of the month name
    /// (once each), so these rows may add up to more than the month; a ticket without requests
    /// counts under "(none)".
    package var byPromptVersion: [QualityRow]

    /// The month's quality from its tickets; nil when no ticket of the month names either measure.
    /// `tenant` gives a ticket's tenant index and `prompts` its prompt version indices (0 = none).
    package static func of(book: TicketBook, inMonth: [Bool], isResolved: [Bool], tenant: (Int) -> Int, tenantLabel: (Int) -> String,
                           prompts: ((Int) -> [Int])?, promptLabel: (Int) -> String) -> QualityAccounts? {
        var reopenedSeen = false, csatSeen = false
        for t in 0..<book.count where inMonth[t] {
            if book.measuresReopened && book.reopened[t] >= 0 { reopenedSeen = true }
            if book.measuresCSAT && book.csatMicro[t] >= 0 { csatSeen = true }
            if reopenedSeen && csatSeen { break }
        }
        guard reopenedSeen || csatSeen else { return nil }
        var overall = QualityRow(group: .value("all tickets"))
        let versions = prompts
        var tenants: [Int: QualityRow] = [:], prompts: [Int: QualityRow] = [:]
        func add(_ row: inout QualityRow, _ t: Int) {
            row.tickets += 1
            if isResolved[book.outcome[t].index] {
                row.resolved += 1
                if reopenedSeen && book.reopened[t] == 1 { row.reopened += 1 }
            }
            if csatSeen && book.csatMicro[t] >= 0 { row.rated += 1; row.csatMicroSum += book.csatMicro[t] }
        }
        func group(_ k: Int, _ label: (Int) -> String) -> AttributionGroup { k == 0 ? .unnamed : .value(label(k)) }
        for t in 0..<book.count where inMonth[t] {
            add(&overall, t)
            let k = tenant(t)
            add(&tenants[k, default: QualityRow(group: group(k, tenantLabel))], t)
            if let versions {
                let list = versions(t)
                for p in list.isEmpty ? [0] : list { add(&prompts[p, default: QualityRow(group: group(p, promptLabel))], t) }
            }
        }
        func sorted(_ rows: [Int: QualityRow]) -> [QualityRow] {
            rows.values.sorted { $0.resolved != $1.resolved ? $0.resolved > $1.resolved : $0.label < $1.label }
        }
        return QualityAccounts(reopenedMeasured: reopenedSeen, csatMeasured: csatSeen, overall: overall,
                               byTenant: sorted(tenants), byPromptVersion: sorted(prompts))
    }
}

extension MonthAccountEntries {
    /// The month's all-in total over its resolved tickets that were not reopened (a reopened
    /// resolution is not a resolution); nil when reopening is not measured or none stayed resolved.
    package var costPerResolvedNetOfReopened: Quotient? {
        guard let q = quality, q.reopenedMeasured else { return nil }
        return total.quotient(per: resolvedTickets - q.overall.reopened)
    }
}
