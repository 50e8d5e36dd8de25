// The month's bills: FOCUS rows mapped to the eight categories (or to a provider's invoice), the
// fixed costs they make, and the invoices tied to the traces. Pure: rows in, values out.
import CostperMoney
import CostperIngest
import CostperVocabulary


/// One line the FOCUS bills add to the month's fixed costs: a category and a name, its charges,
/// credits and corrections netted.
package struct BillLine: Sendable, Equatable, Codable {
    package var category: CostCategory
    package var name: String
    package var charges = Money.zero
    package var credits = Money.zero
    package var corrections = Money.zero
    package var rows = 0
    /// The fixed_costs.csv rows this line stands for (its rules' `replaces`).
    package var replaces: [String]? = nil
    package var net: Money { Money(nanos: charges.nanos &+ credits.nanos &+ corrections.nanos) }
}

/// Where every row of one FOCUS file went (the counts add up to the rows read).
package struct FocusTally: Sendable, Equatable, Codable {
    package var file: String
    package var rowsRead = 0
    package var rejected = 0
    package var outsideMonth = 0
    package var filteredOut = 0
    package var unmatched = 0
    package var invoiced = 0
    package var mapped = 0
    package var accountedFor: Int { rejected + outsideMonth + filteredOut + unmatched + invoiced + mapped }
}

/// A row no rule matched, listed and left out.
package struct UnmatchedBillRow: Sendable, Equatable, Codable {
    package var file: String
    package var line: Int
    package var serviceName: String
    package var amount: Money
}

/// One provider's invoice against the cost of its traced requests.
package struct ProviderTie: Sendable, Equatable, Codable {
    package var provider: String
    /// Where the invoice comes from (invoices.csv, a FOCUS file).
    package var source: String
    package var invoiced: Money
    package var traced: Money
    package var difference: Money { Money(nanos: invoiced.nanos &- traced.nanos) }
    /// The difference as a share of the invoice; nil for a zero invoice.
    package var share: Quotient? {
        invoiced.nanos != 0 ? Quotient(numerator: Int128(difference.nanos), denominator: Int128(invoiced.nanos)).reduced : nil
    }
    /// Above the tolerance (a gap on a zero invoice always is).
    package var flagged: Bool
    /// The gap spread over the provider's models in proportion to their traced cost (allocate_gap).
    package var allocations: [ModelAllocation] = []

    package static func == (a: ProviderTie, b: ProviderTie) -> Bool {
        a.provider == b.provider && a.invoiced == b.invoiced && a.traced == b.traced && a.flagged == b.flagged
            && a.allocations.map(\.gap) == b.allocations.map(\.gap)
    }
}

package struct Reconciliation: Sendable, Equatable, Codable {
    package var ties: [ProviderTie] = []
    package var tolerance: Quotient
    package var allocateGap: Bool
    /// Traced cost whose model names no known provider (listed, never tied).
    package var unknownModels: [ModelCost] = []
    /// Providers traced this month with no invoice.
    package var uninvoiced: [ProviderCost] = []
    /// True when no provider's gap is above the tolerance.
    package var tiesOut: Bool { !ties.contains { $0.flagged } }

    package static func == (a: Reconciliation, b: Reconciliation) -> Bool {
        a.ties == b.ties && a.tolerance == b.tolerance && a.allocateGap == b.allocateGap
    }
}

/// What the report says about the month's bills.
package struct BillsReview: Sendable, Codable {
    package var basis: FocusBasis
    package var mode: FixedCostsMode
    package var currency: String
    package var focusFiles: [String] = []
    package var lines: [BillLine] = []
    package var tallies: [FocusTally] = []
    package var unmatched: [UnmatchedBillRow] = []
    /// fixed_costs.csv rows of the month left out because a FOCUS line stands for them (same
    /// name, or named by its rule's `replaces`).
    package var replaced: [FixedCost] = []
    /// fixed_costs.csv rows kept beside a FOCUS line of the same category (a different vendor or
    /// line): listed, so a bill counted twice is seen.
    package var keptBeside: [FixedCost]? = nil
    /// The fixed_costs.csv rows a bill line stands for, whatever the mode: the rows `replace`
    /// leaves out (and `add` counts beside their line); for the sensitivity to the mode.
    package var standIns: [FixedCost]? = nil
    package var notices: [String] = []
    package var reconciliation: Reconciliation?
    /// The lines the invoice gaps add to the month (their own line, or allocated per model).
    package var gapLines: [FixedCost] = []
    /// Rates used to convert inputs in another currency ("EUR at 1.0850").
    package var conversions: [String] = []
    package var hasFocus: Bool { !focusFiles.isEmpty }
}

package enum MonthBills {
    /// Maps the FOCUS rows, ties the invoices to the traces, and returns the fixed costs the month
    /// is closed with: fixed_costs.csv's rows (less those the bills replace), the bills' lines and
    /// the invoice gaps. `traced` is the month's request cost per model (from the request ledger).
    package static func review(month: Month, config: CostperConfig, focus: [FocusBill], invoices: InvoiceList?, fixed: FixedCostList?,
                              traced: [ModelCost], providers: [String: String]) throws(CostperError) -> (fixed: FixedCostList?, review: BillsReview) {
        let s = config.bills.focus
        let reporting = config.currency
        var r = BillsReview(basis: s.basis, mode: s.fixedCosts, currency: reporting)
        r.focusFiles = focus.map(\.file)
        var ruleHits = [Int](repeating: 0, count: s.rules.count)
        var lineIndex: [String: Int] = [:]
        var invoiced: [String: (name: String, source: String, amount: Money)] = [:]
        var usedRates: [String: Quotient] = [:]

        func convert(_ amount: Money, _ code: String, share: Quotient?, at file: String, line: Int, column: String) throws(CostperError) -> Money {
            guard var factor = config.bills.fx.rate(from: code, to: reporting, in: month) else {
                throw CostperError(.badData, "\(column): " + FxRates.missing(code, reporting, month), at: InputLocation(file: file, line: line))
            }
            if code != reporting { usedRates[code] = factor }
            if let share { factor = factor.times(share) }
            guard let v = Fixed.mulDivHalfEven(Int128(amount.nanos), factor.numerator, factor.denominator).flatMap({ Int64(exactly: $0) }) else {
                throw CostperError(.badData, "\(column): the amount overflows costper's money range", at: InputLocation(file: file, line: line))
            }
            return Money(nanos: v)
        }
        func sum(_ a: inout Money, _ b: Money, _ what: String) throws(CostperError) {
            let (s, o) = a.nanos.addingReportingOverflow(b.nanos)
            if o || s == Int64.min { throw CostperError(.badData, "\(what) adds up to more than costper's money range (about $9.2 billion)") }
            a.nanos = s
        }
        func addInvoice(_ provider: String, _ source: String, _ amount: Money) throws(CostperError) {
            let key = provider.lowercased()
            if let prior = invoiced[key], prior.source != source {
                throw CostperError(.badData, "\(provider) is invoiced for \(month) in both \(prior.source) and \(source): keep one, or the invoice counts twice")
            }
            var e = invoiced[key] ?? (provider, source, .zero)
            try sum(&e.amount, amount, "the invoice of \(provider) for \(month)")
            invoiced[key] = e
        }

        for bill in focus {
            var tally = FocusTally(file: bill.file, rowsRead: bill.rowsRead, rejected: bill.rejects.count)
            for row in bill.rows {
                guard row.month == month else { tally.outsideMonth += 1; continue }
                if let keep = s.keepTag, !keep.matches(row.tags) { tally.filteredOut += 1; continue }
                if !s.keepSubAccounts.isEmpty, !s.keepSubAccounts.contains(where: { $0.matches(row.subAccountName) || $0.matches(row.subAccountId) }) {
                    tally.filteredOut += 1; continue
                }
                let ruleIndex = s.rules.firstIndex { rule in
                    (rule.serviceName.map { $0.matches(row.serviceName) } ?? true)
                        && (rule.serviceCategory.map { $0.matches(row.serviceCategory) } ?? true)
                        && (rule.resourceId.map { $0.matches(row.resourceId) } ?? true)
                        && (rule.subAccount.map { $0.matches(row.subAccountName) || $0.matches(row.subAccountId) } ?? true)
                        && (rule.provider.map { $0.matches(row.providerName) } ?? true)
                        && (rule.tag.map { $0.matches(row.tags) } ?? true)
                }
                let rule = ruleIndex.map { s.rules[$0] }
                if let i = ruleIndex { ruleHits[i] += 1 }
                guard let category = rule?.category ?? s.unmatched else {
                    tally.unmatched += 1
                    let amount = try convert(row.amount, row.currency, share: nil, at: row.file, line: row.line, column: "BillingCurrency")
                    r.unmatched.append(UnmatchedBillRow(file: row.file, line: row.line, serviceName: row.serviceName, amount: amount))
                    continue
                }
                let amount = try convert(row.amount, row.currency, share: rule?.share, at: row.file, line: row.line, column: "BillingCurrency")
                // A model provider's bill is its invoice, tied to the traces (which carry the model
                // cost already): never added as a fixed cost.
                if [.model, .retries, .embeddings].contains(category) {
                    tally.invoiced += 1
                    try addInvoice(row.providerName.isEmpty ? "(no ProviderName)" : row.providerName, bill.file, amount)
                    continue
                }
                tally.mapped += 1
                let name = rule?.name ?? (row.serviceName.isEmpty ? "(no ServiceName)" : row.serviceName)
                let key = category.rawValue + "\u{0}" + name
                let i = lineIndex[key] ?? {
                    r.lines.append(BillLine(category: category, name: name))
                    lineIndex[key] = r.lines.count - 1
                    return r.lines.count - 1
                }()
                r.lines[i].rows += 1
                if let rule, !rule.replaces.isEmpty {
                    var names = r.lines[i].replaces ?? []
                    for n in rule.replaces where !names.contains(n) { names.append(n) }
                    r.lines[i].replaces = names
                }
                let what = "the FOCUS line \(name) (\(category.rawValue))"
                switch row.kind {
                case .charge: try sum(&r.lines[i].charges, amount, what)
                case .credit: try sum(&r.lines[i].credits, amount, what)
                case .correction: try sum(&r.lines[i].corrections, amount, what)
                }
                var net = r.lines[i].charges
                try sum(&net, r.lines[i].credits, what)
                try sum(&net, r.lines[i].corrections, what)
            }
            r.tallies.append(tally)
        }
        if !focus.isEmpty {
            for (i, hits) in ruleHits.enumerated() where hits == 0 {
                r.notices.append("costper.toml: [focus] rule \(i + 1) (\(s.rules[i].summary)) matches no FOCUS row of \(month)")
            }
        }
        r.lines.sort { ($0.category, $0.name) < ($1.category, $1.name) }

        // The fixed costs the month closes with.
        var list = fixed ?? FixedCostList()
        let billCategories = Set(r.lines.map(\.category))
        if !r.lines.isEmpty {
            // A FOCUS line replaces the fixed_costs.csv rows it stands for: its own name, or the
            // names its rule lists (`replaces`), compared without case and outer spaces. A whole
            // category is never replaced: AWS billing OpenSearch does not make Pinecone vanish.
            func key(_ s: String) -> String { s.trimmingSpaces.lowercased() }
            var standsFor = Set<String>()
            for l in r.lines { standsFor.insert(key(l.name)); for n in l.replaces ?? [] { standsFor.insert(key(n)) } }
            let rows = list.items.filter { $0.month == month }
            let stand = rows.filter { standsFor.contains(key($0.name)) }
            r.standIns = stand
            if s.fixedCosts == .replace {
                r.replaced = stand
                list.items.removeAll { $0.month == month && standsFor.contains(key($0.name)) }
            }
            let named = Set(rows.map { key($0.name) })
            for l in r.lines {
                for n in l.replaces ?? [] where !named.contains(key(n)) {
                    let near = rows.map(\.name).filter { CostperConfig.editDistance(key($0), key(n)) <= 2 }
                        .min { (CostperConfig.editDistance(key($0), key(n)), $0) < (CostperConfig.editDistance(key($1), key(n)), $1) }
                    r.notices.append("costper.toml: a [focus] rule's replaces names \(Scalars.quoteForMessage(n)), which is not a fixed_costs.csv row of \(month)" + (near.map { "; did you mean \(Scalars.quoteForMessage($0))?" } ?? ""))
                }
            }
        }
        let kept = list.items.filter { $0.month == month && billCategories.contains($0.category) }
        if !r.lines.isEmpty && !kept.isEmpty { r.keptBeside = kept }
        list.items += r.lines.map { FixedCost(month: month, category: $0.category, name: $0.name, amount: $0.net) }

        // Invoices: invoices.csv's lines of the month, and the FOCUS rows mapped to a model category.
        if let invoices {
            for l in invoices.lines where l.month == month {
                let amount = try convert(l.amount, l.currency, share: nil, at: l.file, line: l.line, column: "currency")
                try addInvoice(l.provider, invoices.file, amount)
            }
        }
        if !invoiced.isEmpty || invoices != nil {
            var rec = Reconciliation(tolerance: config.bills.reconcile.tolerance, allocateGap: config.bills.reconcile.allocateGap)
            var byProvider: [String: (name: String, cost: Money, models: [(String, Money)])] = [:]
            for t in traced where t.cost.nanos != 0 { let model = t.model, cost = t.cost
                guard let p = config.bills.reconcile.providers[model] ?? providers[model] else {
                    rec.unknownModels.append(ModelCost(model: model, cost: cost)); continue
                }
                var e = byProvider[p.lowercased()] ?? (p, .zero, [])
                try sum(&e.cost, cost, "the traced cost of \(p)")
                e.models.append((model, cost))
                byProvider[p.lowercased()] = e
            }
            for key in invoiced.keys.sorted() {
                let inv = invoiced[key]!
                let t = byProvider[key]
                var tie = ProviderTie(provider: inv.name, source: inv.source, invoiced: inv.amount, traced: t?.cost ?? .zero, flagged: false)
                var gap = inv.amount
                try sum(&gap, Money(nanos: -tie.traced.nanos), "the gap between the invoice and the traces of \(inv.name)")
                let limit = rec.tolerance.times(Quotient(numerator: Int128(inv.amount.nanos.magnitude), denominator: 1))
                tie.flagged = Quotient(numerator: Int128(gap.nanos.magnitude), denominator: 1) > limit || (inv.amount.nanos == 0 && gap.nanos != 0)
                if gap.nanos != 0 {
                    if rec.allocateGap, let t, t.cost.nanos > 0 {
                        let models = t.models.sorted { $0.0 < $1.0 }
                        let shares = DisplayRounding.largestRemainder(
                            models.map { Quotient(numerator: Int128(gap.nanos) * Int128($0.1.nanos), denominator: Int128(t.cost.nanos)) },
                            step: Quotient(1), total: Quotient(numerator: Int128(gap.nanos), denominator: 1))
                        for (i, m) in models.enumerated() {
                            let g = Money(nanos: Int64(shares.rows[i]))
                            tie.allocations.append(ModelAllocation(model: m.0, traced: m.1, gap: g))
                            r.gapLines.append(FixedCost(month: month, category: .model, name: "Invoice gap of \(inv.name) allocated to \(m.0)", amount: g, variable: true))
                        }
                    } else {
                        r.gapLines.append(FixedCost(month: month, category: .model, name: "Invoice gap: \(inv.name) (invoiced − traced)", amount: gap, variable: true))
                    }
                }
                rec.ties.append(tie)
            }
            for key in byProvider.keys.sorted() where invoiced[key] == nil {
                rec.uninvoiced.append(ProviderCost(provider: byProvider[key]!.name, cost: byProvider[key]!.cost))
            }
            // An invoice of a provider with no traced cost beside a traced provider with no invoice
            // of nearly the same name ("Anthropic PBC", "anthropic") would add the whole invoice on
            // top of the traced cost: refused, with the name it likely means.
            for tie in rec.ties where tie.traced.nanos == 0 {
                if let near = rec.uninvoiced.first(where: { MonthBills.similarNames(tie.provider, $0.provider) }) {
                    throw CostperError(.badData, "the invoice of \"\(tie.provider)\" (\(tie.source)) has no traced cost in \(month), and \(near.provider) is traced with no invoice: did you mean \"\(near.provider)\"? Name the provider as the price catalog does, or the invoice counts in full on top of the traces")
                }
            }
            r.reconciliation = rec
            list.items += r.gapLines
        }
        r.conversions = usedRates.keys.sorted().map { "1 \($0) = \(usedRates[$0]!.formatted(decimals: 6)) \(reporting) (\(config.bills.fx.origin($0, month)))" }
        let touched = fixed != nil || !list.items.isEmpty
        return (touched ? list : nil, r)
    }
}

extension MonthBills {
    /// Two provider names that likely mean the same company: equal once case and everything but
    /// letters and digits are dropped, one the start of the other ("Anthropic PBC", "anthropic"),
    /// or within two edits.
    static func similarNames(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> String { String(s.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.map(Character.init)) }
        let x = key(a), y = key(b)
        guard x.count >= 3, y.count >= 3 else { return false }
        return x.hasPrefix(y) || y.hasPrefix(x) || CostperConfig.editDistance(x, y) <= 2
    }

    /// Money that cannot go below zero in silence, checked on the closed month: a cost category,
    /// a FOCUS line or a provider's invoice whose month nets below zero stops the run with the
    /// lines that make it so, unless `[focus] allow_net_credits = true`, and then each is a notice
    /// (in `netCredits`, for page 1). A negative all-in total stops the run in every case.
    package static func checkNets(_ a: inout MonthAccountEntries, review: BillsReview, config: CostperConfig) throws(CostperError) {
        let code = config.currency
        func show(_ m: Money) -> String {   // exact to the nano-unit, at least two decimals
            var t = m.formatted(decimals: 9)
            while t.hasSuffix("0"), let dot = t.firstIndex(of: "."), t.distance(from: dot, to: t.endIndex) > 3 { t.removeLast() }
            return "\(t) \(code)"
        }
        func list(_ items: [String]) -> String {
            items.count <= 5 ? items.joined(separator: "; ") : items.prefix(5).joined(separator: "; ") + "; and \(items.count - 5) more"
        }
        let negatives = a.fixedCosts.filter { $0.amount.nanos < 0 }
        func lines(_ c: CostCategory) -> [String] {
            negatives.filter { $0.category == c }.map { "\($0.name) \(show($0.amount))" }
        }
        var found: [String] = []
        for line in review.lines where line.net.nanos < 0 {
            found.append("the FOCUS line \(line.name) (\(line.category.rawValue)) nets \(show(line.net)) for \(a.month): charges \(show(line.charges)), credits \(show(line.credits)), corrections \(show(line.corrections)) over \(line.rows) row\(line.rows == 1 ? "" : "s")")
        }
        for tie in review.reconciliation?.ties ?? [] where tie.invoiced.nanos < 0 {
            found.append("the invoice of \(tie.provider) for \(a.month) (\(tie.source)) nets \(show(tie.invoiced))")
        }
        for c in CostCategory.allCases {
            guard let m = a.costByCategory[c], m.nanos < 0 else { continue }
            let why = lines(c)
            found.append("the month's \(c.rawValue) cost nets \(show(m))" + (why.isEmpty ? "" : " (lines below zero: \(list(why)))"))
        }
        if a.total.nanos < 0 {
            throw CostperError(.badData, "the month's all-in cost is \(show(a.total)), below zero: credits exceed every charge, and a negative month is never closed. " + list(found.map { $0.prefix(1).uppercased() + $0.dropFirst() }))
        }
        guard !found.isEmpty else { return }
        if !config.bills.focus.allowNetCredits {
            throw CostperError(.badData, list(found.map { $0.prefix(1).uppercased() + $0.dropFirst() }) + ": credits beyond charges stop the run; check the credits, or allow them with [focus] allow_net_credits = true")
        }
        for f in found {
            let sentence = "Credits beyond charges, allowed by [focus] allow_net_credits = true: \(f)."
            a.netCredits.append(sentence)
            a.notices.append(sentence)
        }
    }
}

extension MonthAccountEntries {
    /// The bills' lines in the data-quality table, their rejects, notices and review.
    mutating func addBills(_ review: BillsReview, focus: [FocusBill], invoices: InvoiceList?, rejects: inout [Reject]) {
        for (bill, tally) in zip(focus, review.tallies) {
            files.append(FileQuality(file: bill.file, reader: "FOCUS billing (CSV)", rowsRead: bill.rowsRead, rejected: bill.rejects.count,
                                     outsideMonth: tally.outsideMonth))
            rejects += bill.rejects
        }
        if let invoices {
            files.append(FileQuality(file: invoices.file, reader: "invoices (CSV)", rowsRead: invoices.rowsRead, rejected: invoices.rejects.count,
                                     outsideMonth: invoices.lines.filter { $0.month != month }.count))
            rejects += invoices.rejects
            noteUnusedColumns(invoices.unknownColumns, of: invoices.file)
        }
        notices += review.notices
        if review.hasFocus || review.reconciliation != nil { bills = review }
    }
}
