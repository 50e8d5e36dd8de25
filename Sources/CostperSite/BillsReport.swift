// The month's bills on the page and in files: FOCUS lines, where every FOCUS row went, and the
// invoices tied to the traces.
import CostperMoney
import CostperVocabulary
import CostperCore

enum BillsContext {
    static func add(to c: inout [String: Any], _ r: MonthReport) {
        let show = r.accounts.show
        let a = r.accounts
        c["has_focus"] = false
        c["has_reconcile"] = false
        addCurrency(to: &c, r)
        addCoverage(to: &c, a)
        guard let b = a.bills else { return }
        let cap = MonthReport.pageRowCap
        let money: (Money) -> String = { show.amount($0) }
        if b.hasFocus {
            c["has_focus"] = true
            c["focus_basis"] = b.basis.label
            let files = b.focusFiles.map { SafeText.markdown($0) }.joined(separator: ", ")
            let kept = (b.keptBeside ?? []).map { "\(SafeText.markdown($0.name)) (\($0.category.rawValue), \(money($0.amount)))" }.joined(separator: "; ")
            let keptSentence = kept.isEmpty ? "" : " Kept beside them (other lines of those categories): \(kept); a row a bill includes belongs in its rule's `replaces`."
            if b.mode == .replace {
                c["focus_mode_sentence"] = (b.replaced.isEmpty
                    ? "The FOCUS bills (\(files)) give the month's \(categoryList(b)) costs; no fixed_costs.csv row is the same line, so none is replaced (a bill replaces a row of its own name or its rule's `replaces`, never a category)."
                    : "The FOCUS bills (\(files)) replace the fixed_costs.csv rows they stand for (a line's own name, or its rule's `replaces`): "
                        + b.replaced.map { "\(SafeText.markdown($0.name)) (\($0.category.rawValue), \(money($0.amount)))" }.joined(separator: "; ")
                        + " left out ([focus] fixed_costs = \"replace\").") + keptSentence
            } else {
                c["focus_mode_sentence"] = "The FOCUS bills (\(files)) add to fixed_costs.csv's rows ([focus] fixed_costs = \"add\")."
            }
            let lines = b.lines
            let charges = DisplayRounding.usd(lines.map(\.charges), total: Money(nanos: lines.reduce(0) { $0 &+ $1.charges.nanos }), in: show)
            let credits = DisplayRounding.usd(lines.map(\.credits), total: Money(nanos: lines.reduce(0) { $0 &+ $1.credits.nanos }), in: show)
            let corrections = DisplayRounding.usd(lines.map(\.corrections), total: Money(nanos: lines.reduce(0) { $0 &+ $1.corrections.nanos }), in: show)
            let net = DisplayRounding.usd(lines.map(\.net), total: Money(nanos: lines.reduce(0) { $0 &+ $1.net.nanos }), in: show)
            c["bill_lines"] = lines.enumerated().map { i, l -> [String: Any] in
                ["category": l.category.rawValue, "name": l.name, "rows": Show.count(l.rows), "charges": charges.rows[i],
                 "credits": credits.rows[i], "corrections": corrections.rows[i], "net": net.rows[i]]
            }
            c["bill_rows_total"] = Show.count(lines.reduce(0) { $0 + $1.rows })
            c["bill_charges_total"] = charges.total
            c["bill_credits_total"] = credits.total
            c["bill_corrections_total"] = corrections.total
            c["bill_net_total"] = net.total
            c["bill_rounding"] = DisplayRounding.roundingRow(["charges": charges, "credits": credits, "corrections": corrections, "net": net])
            c["focus_tallies"] = b.tallies.map { t -> [String: Any] in
                ["file": t.file, "rows": Show.count(t.rowsRead), "mapped": Show.count(t.mapped), "invoiced": Show.count(t.invoiced),
                 "filtered": Show.count(t.filteredOut), "unmatched": Show.count(t.unmatched), "outside": Show.count(t.outsideMonth),
                 "rejected": Show.count(t.rejected)]
            }
            c["has_unmatched"] = !b.unmatched.isEmpty
            c["unmatched"] = b.unmatched.prefix(cap).map { u -> [String: Any] in
                ["file": u.file, "line": String(u.line), "service": u.serviceName, "amount": money(u.amount)]
            }
            c["more_unmatched"] = b.unmatched.count > cap ? Show.count(b.unmatched.count - cap) : false
            let f = a.config.bills.focus
            var filter: [String] = []
            if let t = f.keepTag { filter.append("the tag \(t.text)") }
            if !f.keepSubAccounts.isEmpty { filter.append("the sub-account " + f.keepSubAccounts.map(\.text).joined(separator: " or ")) }
            c["focus_filter"] = filter.isEmpty ? "every row of the month (no [focus] keep_tag or keep_sub_account)" : "only rows with " + filter.joined(separator: " and ")
            c["focus_unmatched_rule"] = f.unmatched.map { "go to \($0.rawValue) ([focus] unmatched)" } ?? "are listed below and left out ([focus] unmatched = \"list\")"
        }
        if let rec = b.reconciliation {
            c["has_reconcile"] = true
            let ties = rec.ties
            let inv = DisplayRounding.usd(ties.map(\.invoiced), total: Money(nanos: ties.reduce(0) { $0 &+ $1.invoiced.nanos }), in: show)
            let tr = DisplayRounding.usd(ties.map(\.traced), total: Money(nanos: ties.reduce(0) { $0 &+ $1.traced.nanos }), in: show)
            let diff = DisplayRounding.usd(ties.map(\.difference), total: Money(nanos: ties.reduce(0) { $0 &+ $1.difference.nanos }), in: show)
            c["ties"] = ties.enumerated().map { i, t -> [String: Any] in
                ["provider": t.provider, "source": t.source, "invoiced": inv.rows[i], "traced": tr.rows[i], "difference": diff.rows[i],
                 "share": Show.percent(t.share, decimals: 2), "flag": t.flagged ? "**above \(Show.percent(rec.tolerance))**" : "within \(Show.percent(rec.tolerance))"]
            }
            c["ties_invoiced_total"] = inv.total
            c["ties_traced_total"] = tr.total
            c["ties_difference_total"] = diff.total
            c["ties_rounding"] = DisplayRounding.roundingRow(["invoiced": inv, "traced": tr, "difference": diff])
            c["tolerance"] = Show.percent(rec.tolerance)
            let flagged = ties.filter(\.flagged)
            if ties.isEmpty {
                c["ties_headline"] = "no invoice for this month"
            } else if flagged.isEmpty {
                c["ties_headline"] = "yes: every provider within \(Show.percent(rec.tolerance)) of its invoice ("
                    + ties.map { "\(SafeText.markdown($0.provider)) \(Show.percent($0.share, decimals: 2))" }.joined(separator: ", ") + ")"
            } else {
                c["ties_headline"] = "**no**: " + flagged.map { "\(SafeText.markdown($0.provider)) \(Show.percent($0.share, decimals: 2))" }.joined(separator: ", ")
                    + " of the invoice, above the \(Show.percent(rec.tolerance)) tolerance"
            }
            let gaps = ties.filter { $0.difference.nanos != 0 }
            if gaps.isEmpty {
                c["gap_sentence"] = "Every invoice equals its traced cost: there is no gap."
            } else if rec.allocateGap {
                c["gap_sentence"] = "Each gap is allocated ([reconcile] allocate_gap = true): spread over the provider's traced models in proportion to their cost, to the nano-dollar by largest remainder, so the allocated rows add up to the invoice exactly. The allocations are fixed costs of the model category (spread over the month's tickets like the other fixed costs)."
                    + (gaps.contains { $0.allocations.isEmpty } ? " A provider with no traced cost keeps its gap as its own line." : "")
            } else {
                c["gap_sentence"] = "Each gap is its own line of the month's cost (model category, among the fixed costs), so the month's cost is what was invoiced: "
                    + gaps.map { "\(SafeText.markdown($0.provider)) \(show.unit($0.difference.dollars))" }.joined(separator: "; ")
                    + ". Set [reconcile] allocate_gap = true to spread it over the provider's models instead."
            }
            var alloc: [[String: Any]] = []
            for t in ties where !t.allocations.isEmpty {
                for x in t.allocations {
                    alloc.append(["provider": SafeText.markdown(t.provider), "model": x.model, "traced": show.amount(x.traced), "gap": show.amount(x.gap),
                                  "after": show.amount(Money(nanos: x.traced.nanos &+ x.gap.nanos))])
                }
                alloc.append(["provider": "**\(SafeText.markdown(t.provider)) total**", "model": "", "traced": show.amount(t.traced), "gap": show.amount(t.difference),
                              "after": "**" + show.amount(Money(nanos: t.allocations.reduce(0) { $0 &+ $1.traced.nanos &+ $1.gap.nanos })) + "**"])
            }
            c["has_allocations"] = !alloc.isEmpty
            c["allocations"] = alloc
            var notes: [String] = []
            if !rec.uninvoiced.isEmpty {
                notes.append("Traced with no invoice this month (not tied): " + rec.uninvoiced.map { "\($0.provider) \(show.amount($0.cost))" }.joined(separator: ", ") + ".")
            }
            if !rec.unknownModels.isEmpty {
                notes.append("Traced models whose provider costper does not know (add them to [reconcile.providers]): "
                    + rec.unknownModels.map { "\($0.model) \(show.amount($0.cost))" }.joined(separator: ", ") + ".")
            }
            c["reconcile_notes"] = notes.map { ["text": $0] }
        }
        c["has_conversions"] = !b.conversions.isEmpty
        c["conversions"] = b.conversions.joined(separator: "; ")
    }

    /// The report's currency, for every template and the workbook's money format.
    static func addCurrency(to c: inout [String: Any], _ r: MonthReport) {
        let cur = r.accounts.currency
        c["currency"] = cur.code
        c["currency_symbol"] = Show.symbol(cur.code)
        c["has_fx"] = !cur.isUSD
        c["fx_sentence"] = cur.isUSD ? "" : SafeText.markdown(cur.sentence, limit: 2_000)
    }

    /// The coverage table: each category's cost by source, and the part tied to an invoice or the payroll.
    static func addCoverage(to c: inout [String: Any], _ a: MonthAccounts) {
        let show = a.show
        let cov = Coverage.make(a)
        c["has_coverage"] = !cov.rows.isEmpty
        // On the page, one row per category (each source a column); line by line in coverage.csv.
        let categories = CostCategory.allCases.filter { cat in cov.rows.contains { $0.category == cat } }
        func amount(_ cat: CostCategory?, _ source: CoverageSource?, tied: Bool = false) -> Money {
            Money(nanos: cov.rows.filter { (cat == nil || $0.category == cat) && (source == nil || $0.source == source) }.reduce(0) { $0 &+ (tied ? $1.tied.nanos : $1.cost.nanos) })
        }
        let cost = DisplayRounding.usd(categories.map { amount($0, nil) }, total: cov.total, in: show)
        let tied = DisplayRounding.usd(categories.map { amount($0, nil, tied: true) }, total: cov.tied, in: show)
        let sources: [(key: String, source: CoverageSource)] = [("traces", .traces), ("focus", .focus), ("fixed", .fixed_costs), ("labour", .labour_rate), ("gaps", .invoice_gap)]
        func cell(_ m: Money) -> String { m.nanos == 0 ? "—" : show.amount(m) }
        c["coverage"] = categories.enumerated().map { i, cat -> [String: Any] in
            var row: [String: Any] = ["category": cat.title, "cost": cost.rows[i], "tied": tied.rows[i]]
            for s in sources { row[s.key] = cell(amount(cat, s.source)) }
            let whole = amount(cat, nil)
            row["share"] = whole.nanos > 0 ? Show.share(Quotient(numerator: Int128(amount(cat, nil, tied: true).nanos), denominator: Int128(whole.nanos))) : "—"
            return row
        }
        for s in sources { c["coverage_" + s.key] = cell(amount(nil, s.source)) }
        c["coverage_total"] = cost.total
        c["coverage_tied_total"] = tied.total
        c["coverage_share"] = Show.percent(cov.tiedShare)
        c["coverage_rounding"] = DisplayRounding.roundingRow(["cost": cost, "tied": tied])
        let payroll = cov.payroll.map { p -> String in
            let review = a.costByCategory[.human_review] ?? .zero
            return " Human review at the labour rate is \(show.amount(review)) against a payroll of \(show.amount(p)) ([reconcile] payroll_usd)."
        } ?? " Human review is costed at the labour rate and tied to nothing: give the month's payroll ([reconcile] payroll_usd) to tie it."
        c["coverage_sentence"] = "\(tied.total) of the month's \(cost.total) (\(Show.percent(cov.tiedShare))) is tied to an invoice or the payroll; the rest rests on the traces' own prices, fixed_costs.csv and the labour rate." + payroll
    }

    static func categoryList(_ b: BillsReview) -> String {
        var seen: [CostCategory] = []
        for l in b.lines where !seen.contains(l.category) { seen.append(l.category) }
        return seen.map(\.rawValue).joined(separator: ", ")
    }
}

enum BillsFiles {
    /// The bills' tables (CSV files and workbook sheets), when the month has bills or invoices.
    static func tables(_ a: MonthAccounts) -> [(name: String, table: CSVDocument)] {
        var files: [(name: String, table: CSVDocument)] = []
        var cov = CSVDocument(header: ["category", "source", "detail", "cost_usd", "tied_usd", "tied_to"])
        for row in Coverage.make(a).rows {
            cov.append([.text(row.category.rawValue), .text(row.source.rawValue), .text(row.detail), .money(row.cost), .money(row.tied), .text(row.tiedTo)])
        }
        files.append(("coverage", cov))
        guard let b = a.bills else { return files }
        if b.hasFocus {
            var d = CSVDocument(header: ["category", "name", "rows", "charges_usd", "credits_usd", "corrections_usd", "net_usd"])
            for l in b.lines {
                d.append([.text(l.category.rawValue), .text(l.name), .int(l.rows), .money(l.charges), .money(l.credits), .money(l.corrections), .money(l.net)])
            }
            files.append(("focus_bills", d))
            var t = CSVDocument(header: ["file", "rows_read", "mapped", "provider_invoice", "filtered_out", "no_rule_left_out", "outside_month", "rejected"])
            for x in b.tallies {
                t.append([.text(x.file), .int(x.rowsRead), .int(x.mapped), .int(x.invoiced), .int(x.filteredOut), .int(x.unmatched), .int(x.outsideMonth), .int(x.rejected)])
            }
            files.append(("focus_rows", t))
        }
        if let rec = b.reconciliation {
            var d = CSVDocument(header: ["provider", "source", "model", "invoiced_usd", "traced_usd", "difference_usd", "difference_share", "flagged", "gap_allocated_usd"])
            for t in rec.ties {
                d.append([.text(t.provider), .text(t.source), .empty, .money(t.invoiced), .money(t.traced), .money(t.difference), .ratio(t.share),
                          .text(t.flagged ? "yes" : "no"), .empty])
                for x in t.allocations {
                    d.append([.text(t.provider), .text(t.source), .text(x.model), .empty, .money(x.traced), .empty, .empty, .empty, .money(x.gap)])
                }
            }
            files.append(("reconciliation", d))
        }
        return files
    }

    /// summary.json's "invoices" entry (only when the month has invoices) and "fx" (only when the
    /// month is reported in another currency than USD: its amounts, whatever their keys say, are in
    /// "currency").
    static func summary(_ a: MonthAccounts) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = []
        if !a.currency.isUSD {
            out.append(("fx", .object([("currency", .string(a.currency.code)), ("usd_rate", .money(a.currency.rate)),
                                       ("source", .string(a.currency.source)),
                                       ("note", .string("every amount of this file is in \(a.currency.code); keys keep their _usd names"))])))
        }
        guard let rec = a.bills?.reconciliation else { return out }
        return out + [("invoices", .object([
            ("ties", .bool(rec.tiesOut)),
            ("tolerance_share", .money(rec.tolerance)),
            ("allocate_gap", .bool(rec.allocateGap)),
            ("providers", .array(rec.ties.map { t in
                .object([("provider", .string(t.provider)), ("invoiced_usd", .money(t.invoiced)), ("traced_usd", .money(t.traced)),
                         ("difference_usd", .money(t.difference)), ("difference_share", .money(t.share)), ("flagged", .bool(t.flagged))])
            })),
        ]))]
    }
}
