// costper.toml [focus] and [reconcile]: how FOCUS billing rows map to the eight categories, which
// rows are the support agent's, and how provider invoices are tied to the traces.
import CostperMoney
import CostperIngest
import CostperVocabulary
import TOMLKit

/// Which FOCUS cost column counts: EffectiveCost (amortised: commitments spread over usage, the
/// FOCUS default for cost allocation) or BilledCost (what the invoice says).
package enum FocusBasis: String, Sendable, Equatable, CaseIterable, Codable, CodingKeyRepresentable {
    case effective, billed
    package var column: String { self == .effective ? "EffectiveCost" : "BilledCost" }
    package var label: String { self == .effective ? "EffectiveCost (amortised)" : "BilledCost (as invoiced)" }
}

/// Whether the FOCUS bills replace the fixed_costs.csv rows they stand for (a row of a line's own
/// name, or one its rule's `replaces` names; never a whole category), or add to them.
package enum FixedCostsMode: String, Sendable, Equatable, CaseIterable, Codable, CodingKeyRepresentable {
    case replace, add
}

/// A condition on one FOCUS value: exact (ignoring case), or a prefix when it ends with `*`.
package struct FocusPattern: Equatable, Sendable, Codable {
    package var text: String
    package init(_ text: String) { self.text = text }
    package func matches(_ value: String) -> Bool {
        if text.hasSuffix("*") { return value.lowercased().hasPrefix(String(text.dropLast()).lowercased()) }
        return value.lowercased() == text.lowercased()
    }
}

/// `app=support-ai` (the tag with that value) or `app` (the tag present, any value).
package struct TagCondition: Equatable, Sendable, Codable {
    package var key: String
    package var value: FocusPattern?
    package init(_ text: String) {
        if let eq = text.firstIndex(of: "=") {
            key = String(text[..<eq])
            value = FocusPattern(String(text[text.index(after: eq)...]))
        } else {
            key = text
            value = nil
        }
    }
    package func matches(_ tags: [String: String]) -> Bool {
        guard let v = tags[key] else { return false }
        return value?.matches(v) ?? true
    }
    package var text: String { value.map { key + "=" + $0.text } ?? key }
}

/// One `[[focus.rules]]` entry: every condition it names must hold; the first rule that matches a
/// row gives its category.
package struct FocusRule: Equatable, Sendable, Codable {
    package var serviceName: FocusPattern?
    package var serviceCategory: FocusPattern?
    package var resourceId: FocusPattern?
    package var subAccount: FocusPattern?
    package var provider: FocusPattern?
    package var tag: TagCondition?
    package var category: CostCategory
    /// The line's name among the fixed costs (default: the row's ServiceName).
    package var name: String?
    /// The support agent's share of the rows this rule matches, exact (nil = all of it).
    package var share: Quotient?
    /// The fixed_costs.csv rows (by name) this rule's line stands for: with `[focus] fixed_costs =
    /// "replace"` they are left out, as is a row of the line's own name; nothing else is.
    package var replaces: [String] = []

    package init(category: CostCategory) { self.category = category }

    /// What the rule matches, for messages: `ServiceName "Amazon CloudWatch"`.
    package var summary: String {
        var parts: [String] = []
        if let p = serviceName { parts.append("ServiceName \"\(p.text)\"") }
        if let p = serviceCategory { parts.append("ServiceCategory \"\(p.text)\"") }
        if let p = resourceId { parts.append("ResourceId \"\(p.text)\"") }
        if let p = subAccount { parts.append("SubAccountName \"\(p.text)\"") }
        if let p = provider { parts.append("ProviderName \"\(p.text)\"") }
        if let t = tag { parts.append("tag \"\(t.text)\"") }
        return parts.isEmpty ? "every row" : parts.joined(separator: " and ")
    }
}

package struct FocusSettings: Equatable, Sendable, Codable {
    package var basis = FocusBasis.effective
    package var rules: [FocusRule] = []
    /// Where rows no rule matches go: nil = listed and left out.
    package var unmatched: CostCategory?
    package var fixedCosts = FixedCostsMode.replace
    /// Keep only rows with this tag (the support agent's share of a shared bill)...
    package var keepTag: TagCondition?
    /// ...and (when given) in one of these sub-accounts (SubAccountName or SubAccountId).
    package var keepSubAccounts: [FocusPattern] = []
    /// Credits beyond charges allowed: a category, a FOCUS line or an invoice whose month nets
    /// below zero is a notice instead of a stop (`allow_net_credits = true`). A negative all-in
    /// total stops the run whatever this says.
    package var allowNetCredits = false
    package init() {}
}

package struct ReconcileSettings: Equatable, Sendable, Codable {
    /// A provider's gap above this share of its invoice is flagged (default 2%).
    package var tolerance = Quotient(numerator: 2, denominator: 100)
    /// Spread the gap over the provider's traced models in proportion to their cost.
    package var allocateGap = false
    /// Providers of models the price catalog does not name (model -> provider).
    package var providers: [String: String] = [:]
    /// The month's payroll for the people who review and handle escalations (`payroll_usd`): human
    /// review, costed at the labour rate, is then tied to it in the coverage table.
    package var payroll: Money?
    package init() {}
}

package struct BillSettings: Equatable, Sendable, Codable {
    package var focus = FocusSettings()
    package var reconcile = ReconcileSettings()
    package var fx = FxRates()
    package init() {}

    package static let tableNames = ["focus", "reconcile", "fx"]

    static func parse(_ table: TOMLTable, reader: TOMLReader) throws(ConfigError) -> (BillSettings, unknown: [String]) {
        var s = BillSettings()
        var unknown: [String] = []
        s.fx = try FxRates.parse(table["fx"], reader: reader)
        if let v = table["focus"] {
            let t = try reader.table(v, "focus")
            for key in t.keys.sorted() where !["basis", "rules", "unmatched", "fixed_costs", "keep_tag", "keep_sub_account", "allow_net_credits"].contains(key) {
                unknown.append("focus.\(key)")
            }
            if let b = t["basis"] {
                let text = try reader.string(b, "focus.basis")
                guard let basis = FocusBasis(rawValue: text) else { throw reader.fail("focus.basis", "must be \"effective\" (EffectiveCost) or \"billed\" (BilledCost)") }
                s.focus.basis = basis
            }
            if let u = t["unmatched"] {
                let text = try reader.string(u, "focus.unmatched")
                if text != "list" {
                    guard let c = CostCategory(rawValue: text) else {
                        throw reader.fail("focus.unmatched", "must be \"list\" (left out and listed) or a category (\(CostCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    s.focus.unmatched = c
                }
            }
            if let f = t["fixed_costs"] {
                let text = try reader.string(f, "focus.fixed_costs")
                guard let m = FixedCostsMode(rawValue: text) else { throw reader.fail("focus.fixed_costs", "must be \"replace\" or \"add\"") }
                s.focus.fixedCosts = m
            }
            if let x = t["allow_net_credits"] {
                guard let b = x.bool else { throw reader.fail("focus.allow_net_credits", "must be true or false") }
                s.focus.allowNetCredits = b
            }
            if let k = t["keep_tag"] { s.focus.keepTag = TagCondition(try reader.string(k, "focus.keep_tag")) }
            if let k = t["keep_sub_account"] {
                if let arr = k.array {
                    for item in arr { s.focus.keepSubAccounts.append(FocusPattern(try reader.string(item, "focus.keep_sub_account"))) }
                } else {
                    s.focus.keepSubAccounts = [FocusPattern(try reader.string(k, "focus.keep_sub_account"))]
                }
            }
            if let r = t["rules"] {
                guard let arr = r.array else { throw reader.fail("focus.rules", "must be a list of rules ([[focus.rules]])") }
                for (i, item) in arr.enumerated() {
                    let key = "focus.rules[\(i + 1)]"
                    guard let rt = item.table else { throw reader.fail(key, "must be a table (service_name, category, ...)") }
                    guard let cv = rt["category"] else { throw reader.fail(key, "needs a category (\(CostCategory.allCases.map(\.rawValue).joined(separator: ", ")))") }
                    let ct = try reader.string(cv, key + ".category")
                    guard let c = CostCategory(rawValue: ct), c != .human_review else {
                        throw reader.fail(key + ".category", "\(Scalars.quoteForMessage(ct)) is not a bill's category (\(CostCategory.allCases.filter { $0 != .human_review }.map(\.rawValue).joined(separator: ", ")))")
                    }
                    var rule = FocusRule(category: c)
                    func pattern(_ k: String) throws(ConfigError) -> FocusPattern? {
                        guard let v = rt[k] else { return nil }
                        return FocusPattern(try reader.string(v, "\(key).\(k)"))
                    }
                    rule.serviceName = try pattern("service_name")
                    rule.serviceCategory = try pattern("service_category")
                    rule.resourceId = try pattern("resource_id")
                    rule.subAccount = try pattern("sub_account")
                    rule.provider = try pattern("provider")
                    if let v = rt["tag"] { rule.tag = TagCondition(try reader.string(v, key + ".tag")) }
                    if let v = rt["name"] { rule.name = try reader.string(v, key + ".name") }
                    if let v = rt["share"] {
                        let q = try reader.quotient(v, key + ".share")
                        guard q > Quotient(0), q <= Quotient(1) else { throw reader.fail(key + ".share", "must be above 0 and at most 1 (0.40 = 40%)") }
                        rule.share = q
                    }
                    if let v = rt["replaces"] {
                        if let arr = v.array {
                            for item in arr { rule.replaces.append(try reader.string(item, key + ".replaces")) }
                        } else {
                            rule.replaces = [try reader.string(v, key + ".replaces")]
                        }
                    }
                    for k in rt.keys.sorted() where !["service_name", "service_category", "resource_id", "sub_account", "provider", "tag", "name", "share", "category", "match_all", "replaces"].contains(k) {
                        unknown.append("\(key).\(k)")
                    }
                    var matchAll = false
                    if let v = rt["match_all"] {
                        guard let b = v.bool else { throw reader.fail(key + ".match_all", "must be true or false") }
                        matchAll = b
                    }
                    let conditions = [rule.serviceName, rule.serviceCategory, rule.resourceId, rule.subAccount, rule.provider].contains { $0 != nil } || rule.tag != nil
                    if !conditions && !matchAll && unknown.isEmpty {
                        throw reader.fail(key, "has no condition (service_name, service_category, resource_id, sub_account, provider or tag), so it would match every row; add match_all = true if that is meant")
                    }
                    if conditions && matchAll {
                        throw reader.fail(key + ".match_all", "is for a rule with no condition; this rule has \(rule.summary)")
                    }
                    s.focus.rules.append(rule)
                }
            }
        }
        if let v = table["reconcile"] {
            let t = try reader.table(v, "reconcile")
            for key in t.keys.sorted() where !["tolerance", "allocate_gap", "providers", "payroll_usd"].contains(key) { unknown.append("reconcile.\(key)") }
            if let x = t["payroll_usd"] {
                let m = try reader.money(x, "reconcile.payroll_usd")
                guard m.nanos >= 0 else { throw reader.fail("reconcile.payroll_usd", "must be 0 or more (the month's payroll of the reviewers, in USD)") }
                s.reconcile.payroll = m
            }
            if let x = t["tolerance"] {
                let q = try reader.quotient(x, "reconcile.tolerance")
                guard q >= Quotient(0), q < Quotient(1) else { throw reader.fail("reconcile.tolerance", "must be a share from 0 to below 1 (0.02 = 2%)") }
                s.reconcile.tolerance = q
            }
            if let x = t["allocate_gap"] {
                guard let b = x.bool else { throw reader.fail("reconcile.allocate_gap", "must be true or false") }
                s.reconcile.allocateGap = b
            }
            if let x = t["providers"] {
                let p = try reader.table(x, "reconcile.providers")
                for k in p.keys.sorted() { s.reconcile.providers[k] = try reader.string(p[k]!, "reconcile.providers.\(k)") }
            }
        }
        return (s, unknown)
    }
}
