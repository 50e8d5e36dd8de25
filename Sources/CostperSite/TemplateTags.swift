// The names a template may use: the values costper gives each of its three templates (the report,
// the page layout, the index), at any depth of their sections. A template naming another value
// would render it as empty text in silence; costper refuses it with its file and line instead. A
// test checks these lists against the contexts the site builds, both ways.
import CostperMoney
import CostperVocabulary
import CostperCore

package enum TemplateTags {
    /// A value tag or a section of a template, with its line (sections: `#`, `^`, `/`, `$`, `<`).
    package struct Tag: Sendable, Equatable {
        package var name: String
        package var line: Int
    }

    /// Every name a template's tags look up (dotted names give each part; `.` and comments,
    /// partials, pragmas and delimiter changes give none), following set-delimiter tags.
    package static func tags(in text: String) -> [Tag] {
        let b = Array(text.utf8)
        var open: [UInt8] = Array("{{".utf8), close: [UInt8] = Array("}}".utf8)
        var out: [Tag] = []
        var line = 1, i = 0
        func at(_ p: Int, _ s: [UInt8]) -> Bool {
            guard p + s.count <= b.count, !s.isEmpty else { return false }
            for k in 0..<s.count where b[p + k] != s[k] { return false }
            return true
        }
        while i < b.count {
            if b[i] == 0x0A { line += 1; i += 1; continue }
            guard at(i, open) else { i += 1; continue }
            let tagLine = line
            var p = i + open.count
            var end = p
            while end < b.count && !at(end, close) { if b[end] == 0x0A { line += 1 }; end += 1 }
            var inner = String(decoding: b[p..<min(end, b.count)], as: UTF8.self)
            p = end + close.count
            // A triple mustache: {{{name}}} ends with "}" before the close delimiter.
            if inner.hasPrefix("{") { inner.removeFirst(); if p < b.count && b[p] == UInt8(ascii: "}") { p += 1 } }
            if inner.hasSuffix("}") { inner.removeLast() }
            inner = inner.trimmingSpaces
            guard let sigil = inner.first else { i = p; continue }
            switch sigil {
            case "!", ">", "%":
                break
            case "=":
                var d = inner.dropFirst()
                if d.hasSuffix("=") { d = d.dropLast() }
                let parts = d.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
                if parts.count == 2 { open = Array(parts[0].utf8); close = Array(parts[1].utf8) }
            default:
                var name = Substring(inner)
                if "#^/&$<".contains(sigil) { name = name.dropFirst() }
                // A transform, `uppercased(name)`: the name is inside the parentheses.
                if let l = name.lastIndex(of: "("), let r = name.firstIndex(of: ")"), l < r { name = name[name.index(after: l)..<r] }
                for part in String(name).trimmingSpaces.split(separator: ".") where !part.isEmpty {
                    out.append(Tag(name: String(part), line: tagLine))
                }
            }
            i = p
        }
        return out
    }

    /// Refuses a template that names a value costper does not give it, with its file and line.
    static func check(_ text: String, file: String, known: Set<String>) throws(CostperError) {
        for tag in tags(in: text) where !known.contains(tag.name) {
            let near = known.sorted().min { editDistance($0, tag.name) < editDistance($1, tag.name) }
            let hint = near.map { editDistance($0, tag.name) <= max(2, tag.name.count / 3) ? " (did you mean {{\($0)}}?)" : "" } ?? ""
            throw CostperError(.badData, "\(file):\(tag.line): template error: {{\(tag.name)}} is not a value costper gives this template, so it would print as nothing\(hint); the values are listed in docs/templates.md")
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        var row = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in 1...max(1, y.count) where !y.isEmpty {
                let keep = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (x[i - 1] == y[j - 1] ? 0 : 1))
                prev = keep
            }
        }
        return x.isEmpty ? y.count : row[y.count]
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}

extension TemplateTags {
    /// Values costper gives that no built-in template shows, for users' own templates (docs/templates.md):
    /// the plan-against-actual rows of templates written before `plan_actual_block`, the currency,
    /// and figures the built-in page words otherwise.
    package static let forUserTemplates: Set<String> = [
        "actual_cpo", "actual_total", "actual_volume", "adjustment", "baseline_context",
        "baseline_formula", "baseline_is_users", "baseline_own", "change", "cmark_version", "company",
        "cost_per_escalation_avoided", "costper_version", "currency", "has_baseline_context", "notes",
        "reference", "service_type_checks", "fixed_costs",
        "currency_symbol", "dimension", "flag_ratio", "has_downloads", "has_plan_actual", "has_savings",
        "is_ticket_level", "key", "lines_checked", "median_hour", "month", "month_title", "plan_actual",
        "planned_cpo", "planned_in", "planned_total", "planned_volume", "price_source", "total_variance",
        "total_variance_share", "visible_share", "volume_variance",
    ]

    /// The report template's values (report.md.mustache), at any depth of its sections.
    package static let report: Set<String> = [
        "above_p99", "above_p99_cost", "above_p99_share", "accepted", "actual_cpo", "actual_total",
        "actual_volume", "adjusted", "adjustment", "after", "against", "ai_cost_per_avoided_escalation",
        "ai_layer", "ai_layer_per_ai_resolution", "ai_layer_per_ai_resolution_deflected", "ai_ratio",
        "ai_ratio_deflected", "ai_resolution_cost", "ai_resolutions", "alert_count", "alerts",
        "all_in_per_resolved_deflected", "all_in_ratio", "all_in_ratio_deflected", "allocations", "amount",
        "as_of", "as_of_sentence", "assumption", "assumptions", "attribution", "autonomous_rate", "base",
        "baseline", "baseline_context", "baseline_formula", "baseline_is_users", "baseline_own",
        "baseline_source", "baseline_unit", "basis", "below", "below_materiality", "bill_charges_total",
        "bill_corrections_total", "bill_credits_total", "bill_lines", "bill_net_total", "bill_rounding",
        "bill_rows_total", "budget", "budget_over_revenue", "budgets", "buy", "buy_deflected", "buy_formula",
        "categories", "category", "category_per_resolved_total", "category_rounding", "category_total",
        "change", "charges", "chart", "chart_alt", "cmark_version", "company", "comparable_sources",
        "comparables", "comparables_note", "complete_count", "concentration_sentence", "containment_rate",
        "context", "conversions", "corrections", "cost", "cost_change", "cost_per_escalation_avoided",
        "cost_per_outcome", "cost_per_resolved", "cost_per_ticket", "cost_per_ticket_resolved_by_anyone",
        "costper_version", "counted_per", "coverage", "coverage_fixed", "coverage_focus", "coverage_gaps",
        "coverage_labour", "coverage_rounding", "coverage_sentence", "coverage_share", "coverage_tied_total",
        "coverage_total", "coverage_traces", "credits", "csv", "currency", "currency_symbol", "current_cost",
        "data_as_of", "definition", "deflected_rule", "deflected_tickets", "difference", "dimension",
        "dimension_title", "disclosure", "distribution", "domain", "drift", "driver", "drivers", "endpoint",
        "escalated_ticket_cost", "escalation_avoided_labels", "escalation_point_tickets",
        "escalation_point_value", "escalation_rate", "escalations_avoided", "exceeded", "executive_summary",
        "figure_by", "file", "files", "filtered", "first_rejects", "fixed", "fixed_costs", "flag",
        "flag_count", "flag_ratio", "flags", "focus", "focus_basis", "focus_filter", "focus_mode_sentence",
        "focus_tallies", "focus_unmatched_rule", "forecast", "formula", "forward", "forward_annual",
        "forward_quarter", "forward_quarter_range", "forward_rate", "fx_sentence", "gap", "gap_lines",
        "gap_sentence", "gaps", "gross_margin", "has_alerts", "has_allocations", "has_baseline_context",
        "has_below_materiality", "has_budget_over_revenue", "has_budgets", "has_chart", "has_comparables",
        "has_conversions", "has_coverage", "has_drift", "has_drivers", "has_fixed_costs", "has_focus",
        "has_forecast", "has_forward", "has_fx", "has_gap_lines", "has_lines", "has_margins",
        "has_model_lever", "has_not_compared", "has_notices", "has_outcomes_from_traces", "has_outliers",
        "has_plan_actual", "has_plan_reality", "has_rate_checks", "has_reconcile", "has_references",
        "has_rejects", "has_resolved", "has_revenue_only", "has_routes", "has_savings", "has_savings_usd",
        "has_sensitivity", "has_service_type_checks", "has_sign_off", "has_unmatched", "has_vendors",
        "has_watch", "has_week_chart", "headline", "hidden_share", "high", "human_handled_tickets",
        "human_handling", "human_handling_share", "impact", "invoiced", "is_ticket_level", "key", "kind",
        "label", "labour", "layer", "lever_complete_count", "lever_per_resolved_now", "lever_requests_total",
        "lever_rounding", "lever_rows", "lever_total", "lever_truncated", "line", "line_count", "lines",
        "lines_checked", "low", "mapped", "margin", "margin_cost_total", "margin_floor",
        "margin_resolved_total", "margin_revenue_total", "margin_rounding", "margin_share",
        "margin_share_total", "margin_tickets_total", "margin_total", "margins", "materiality", "max",
        "mean_csat", "median_hour", "message", "model", "month", "month_title", "monthly_cost", "more_alerts",
        "more_below_materiality", "more_budgets", "more_drift", "more_files", "more_forecast", "more_lines",
        "more_notices", "more_rejects", "more_unmatched", "name", "net", "newest", "newest_cost",
        "newest_tokens", "not_compared", "notes", "notices", "orphan_cost", "orphan_requests",
        "orphan_tickets", "ours", "ours_label", "outcome", "outcome_cost_total", "outcome_rounding",
        "outcome_tickets_total", "outcomes", "outcomes_from_traces", "outliers", "outside", "p50", "p95",
        "p99", "per_resolved", "per_resolved_title", "per_resolved_total", "plan_actual", "plan_actual_block",
        "plan_change_allowed", "plan_figure", "plan_fixed", "plan_reality", "planned_cpo", "planned_in",
        "planned_total", "planned_volume", "prepared", "prepared_by", "prepared_source", "previous",
        "previous_cost", "previous_tokens", "price", "price_per_resolved", "price_source",
        "priced_from_catalog", "productive_hours", "provider", "published", "publisher", "quality_measured",
        "quality_prompt_count", "quality_prompt_rows", "quality_prompts_truncated", "quality_sentence", "quality_tenant_count", "quality_tenant_rows",
        "quality_tenants_truncated", "quality_total", "range", "rate", "rate_checks", "rate_secondary",
        "rated", "ratio", "reader", "reading", "reality_state", "reconcile_notes", "reference", "references",
        "reference_stack_ticket", "rejected", "rejected_rows", "reopen_rate", "reopened", "requests", "resolution_rate", "resolved",
        "resolved_by_anyone", "resolved_by_anyone_rule", "resolved_labels", "resolved_outcomes",
        "resolved_tickets", "resolved_with_deflected", "revenue", "revenue_basis", "revenue_only",
        "review_basis", "review_measured", "review_minutes", "review_not_measured", "review_rate_hour",
        "reviewed_by", "reviewer_annual", "rounded_costs", "rounding", "route", "route_sentence", "routes",
        "rows", "rule_figure", "rule_sentence", "saving", "savings_high", "savings_low", "savings_month",
        "savings_month_high", "savings_month_low", "savings_share", "savings_year", "savings_year_high",
        "savings_year_low", "scale_fixed", "scale_fixed_headline", "scenario_cost", "scenario_per_resolved",
        "scope", "sensitivity", "sep", "service", "service_type", "service_type_checks", "severity", "share",
        "source", "spent", "state", "status", "subject", "target", "tenant", "text", "threshold", "ticket",
        "tickets", "tied", "tier", "ties", "ties_difference_total", "ties_headline", "ties_invoiced_total",
        "ties_rounding", "ties_traced_total", "title", "token_change", "tokens", "tokens_per_request",
        "tolerance", "total", "total_cost", "total_variance", "total_variance_share", "traced", "traces",
        "truncated", "unit", "unmatched", "value", "variable", "vendors", "verdict", "visible_share",
        "volume", "volume_variance", "watch", "weeks", "weeks_rounding", "weeks_total_cost",
        "weeks_total_per_resolved", "weeks_total_rate"
    ]

    /// The page layout's values (layout.html.mustache).
    package static let layout: Set<String> = [
        "body", "cmark_version", "company", "costper_version", "downloads", "has_downloads", "home", "href", "is_draft",
        "label", "month", "month_title", "paper", "print_footer", "print_header", "stylesheet", "title",
    ]

    /// The index's values (index.html.mustache).
    package static let index: Set<String> = [
        "autonomous_rate", "company", "cost_per_resolved", "downloads", "flags", "has_months",
        "has_tenant_trend", "href", "label", "month", "month_title", "months", "resolved_tickets",
        "stylesheet", "tenant", "tenant_count", "tenant_months", "tenant_rows", "title", "total_cost",
        "trend_chart", "value", "values",
    ]
}
