// Quality beside cost on the page and in files: the cost per resolved ticket net of reopened
// resolutions, the reopen rate and CSAT by prompt version and tenant (quality.csv), or one
// sentence saying quality is not measured.
import CostperMoney
import CostperVocabulary
import CostperCore

enum QualityContext {
    /// The tenants the page's quality table lists (most resolved tickets first); quality.csv has all.
    static let pageTenants = 15
    /// The prompt versions it lists (most resolved tickets first): a month of 300,000 distinct
    /// versions printed every one, 65 MB of page.
    static let pagePrompts = 15

    /// CSAT as the page prints it: two decimals ("4.19"); "—" with none rated.
    static func csat(_ q: Quotient?) -> String { q.map { $0.formatted(decimals: 2) } ?? "—" }

    /// The section's one sentence (the only part of it in print).
    static func sentence(_ a: MonthAccounts) -> String {
        let show = a.show
        guard let q = a.quality else {
            return "Quality is not measured: \(SafeText.markdown(a.ticketsFile, limit: 200)) has no reopened or csat column."
        }
        var parts: [String] = []
        if q.reopenedMeasured {
            let n = q.overall.reopened
            parts.append("\(show.unit(a.costPerResolvedNetOfReopened)) per resolved ticket net of \(Show.count(n)) reopened \(n == 1 ? "resolution" : "resolutions"), against \(show.unit(a.costPerResolved)) gross; reopen rate \(Show.percent(q.overall.reopenRate))")
        } else {
            parts.append("Reopened resolutions are not measured (no ticket says whether it was reopened)")
        }
        if q.csatMeasured {
            parts.append("mean CSAT \(csat(q.overall.meanCSAT)) of 5 from \(Show.count(q.overall.rated)) rated \(q.overall.rated == 1 ? "ticket" : "tickets")")
        } else {
            parts.append("CSAT is not measured")
        }
        return parts.joined(separator: "; ") + "."
    }

    static func row(_ x: QualityRow, reopened: Bool, csat csatMeasured: Bool) -> [String: Any] {
        ["label": SafeText.markdown(x.label), "resolved": Show.count(x.resolved),
         "reopened": reopened ? Show.count(x.reopened) : SiteText.notMeasured,
         "reopen_rate": reopened ? Show.percent(x.reopenRate) : SiteText.notMeasured,
         "rated": csatMeasured ? Show.count(x.rated) : SiteText.notMeasured,
         "mean_csat": csatMeasured ? csat(x.meanCSAT) : SiteText.notMeasured]
    }

    static func add(to c: inout [String: Any], _ r: MonthReport) {
        let a = r.accounts
        c["quality_sentence"] = sentence(a)
        c["quality_measured"] = a.quality != nil
        guard let q = a.quality else {
            c["quality_prompt_rows"] = [[String: Any]](); c["quality_tenant_rows"] = [[String: Any]]()
            c["quality_tenants_truncated"] = false; c["quality_tenant_count"] = "0"
            c["quality_prompts_truncated"] = false; c["quality_prompt_count"] = "0"
            return
        }
        c["quality_prompt_rows"] = q.byPromptVersion.prefix(pagePrompts).map { row($0, reopened: q.reopenedMeasured, csat: q.csatMeasured) }
        c["quality_prompts_truncated"] = q.byPromptVersion.count > pagePrompts
        c["quality_prompt_count"] = Show.count(q.byPromptVersion.count)
        c["quality_tenant_rows"] = q.byTenant.prefix(pageTenants).map { row($0, reopened: q.reopenedMeasured, csat: q.csatMeasured) }
        c["quality_tenants_truncated"] = q.byTenant.count > pageTenants
        c["quality_tenant_count"] = Show.count(q.byTenant.count)
        c["quality_total"] = [row(q.overall, reopened: q.reopenedMeasured, csat: q.csatMeasured)]
    }
}

extension SiteBuilder {
    /// quality.csv: the month, then each prompt version and each tenant; only a header when
    /// quality is not measured. A measure the tickets do not carry is left empty.
    static func qualityTable(_ a: MonthAccounts) -> CSVDocument {
        var d = CSVDocument(header: ["dimension", "key", "tickets", "resolved_tickets", "reopened", "reopen_rate", "rated", "mean_csat",
                                     "cost_per_resolved_ticket_usd", "cost_per_resolved_ticket_net_of_reopened_usd"])
        guard let q = a.quality else { return d }
        func add(_ dimension: String, _ key: String, _ x: QualityRow, money: Bool) {
            d.append([.text(dimension), .text(key), .int(x.tickets), .int(x.resolved),
                      q.reopenedMeasured ? .int(x.reopened) : .empty, q.reopenedMeasured ? .share(x.reopenRate) : .empty,
                      q.csatMeasured ? .int(x.rated) : .empty, q.csatMeasured ? .ratio(x.meanCSAT) : .empty,
                      money ? .money(a.costPerResolved) : .empty, money ? .money(a.costPerResolvedNetOfReopened) : .empty])
        }
        add("month", a.month.description, q.overall, money: true)
        for x in q.byPromptVersion { add("prompt_version", x.label, x, money: false) }
        for x in q.byTenant { add("tenant", x.label, x, money: false) }
        return d
    }

    /// summary.json's `quality`: null when not measured.
    static func qualityJSON(_ a: MonthAccounts) -> JSONValue {
        guard let q = a.quality else { return .null }
        func row(_ x: QualityRow) -> JSONValue {
            .object([("key", .string(x.label)), ("tickets", .int(x.tickets)), ("resolved_tickets", .int(x.resolved)),
                     ("reopened", q.reopenedMeasured ? .int(x.reopened) : .null), ("reopen_rate", q.reopenedMeasured ? .money(x.reopenRate) : .null),
                     ("rated", q.csatMeasured ? .int(x.rated) : .null), ("mean_csat", q.csatMeasured ? .money(x.meanCSAT) : .null)])
        }
        return .object([("reopened_measured", .bool(q.reopenedMeasured)), ("csat_measured", .bool(q.csatMeasured)),
                        ("reopened_resolved_tickets", q.reopenedMeasured ? .int(q.overall.reopened) : .null),
                        ("cost_per_resolved_ticket_net_of_reopened_usd", .money(a.costPerResolvedNetOfReopened)),
                        ("reopen_rate", q.reopenedMeasured ? .money(q.overall.reopenRate) : .null),
                        ("rated_tickets", q.csatMeasured ? .int(q.overall.rated) : .null),
                        ("mean_csat", q.csatMeasured ? .money(q.overall.meanCSAT) : .null),
                        ("by_prompt_version", .array(q.byPromptVersion.map(row))), ("by_tenant", .array(q.byTenant.map(row)))])
    }
}
