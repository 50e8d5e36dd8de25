// What a register figure covers (its scope), how sure it is (its tier) and when it was true (its
// as-of date): comparables.csv's `scope`, `tier` and `as_of` columns. A figure is compared only
// with our figure of the same scope; an illustrative figure is shown, never sets a threshold.
import CostperMoney
import CostperIngest
import CostperVocabulary

/// What a published figure covers, so that it meets our figure of the same scope.
package enum FigureScope: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    /// A vendor's price per resolution its AI closes: the buyer still pays for its own escalations.
    case vendor_price_per_ai_resolution
    /// An operator's own whole cost (AI and human agents) in its own unit.
    case operator_all_in
    /// A price per completed task (or per unit of work a task takes).
    case per_task_price
    /// A worked example of somebody's: shown for context, never compared for a flag.
    case illustrative_scenario

    package var label: String {
        switch self {
        case .vendor_price_per_ai_resolution: return "vendor price per AI resolution (excludes the buyer's escalations)"
        case .operator_all_in: return "operator's all-in cost"
        case .per_task_price: return "price per task"
        case .illustrative_scenario: return "illustrative scenario"
        }
    }
    package var short: String {
        switch self {
        case .vendor_price_per_ai_resolution: return "vendor price per AI resolution"
        case .operator_all_in: return "operator all-in"
        case .per_task_price: return "per-task price"
        case .illustrative_scenario: return "illustrative scenario"
        }
    }
}

/// How a figure is known: disclosed by whoever bears the cost, a vendor's list price, a secondary
/// source's estimate, or an illustrative scenario.
package enum FigureTier: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case disclosed, vendor_list_price, secondary_estimate, illustrative_scenario

    package var label: String {
        switch self {
        case .disclosed: return "disclosed figure"
        case .vendor_list_price: return "vendor list price"
        case .secondary_estimate: return "secondary-source estimate"
        case .illustrative_scenario: return "illustrative scenario"
        }
    }
}

/// Which of our figures a line is: the AI layer per AI resolution (everything but the human
/// handling of escalated tickets), or the all-in cost.
package enum SubjectScope: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case all_in, ai_layer
}

/// Buying a vendor's AI and keeping our own human handling: the vendor's price × our AI
/// resolutions + our own human handling, per resolved ticket. A vendor price per AI resolution
/// meets an all-in line this way, never raw.
package struct BuildOrBuyBasis: Sendable, Equatable, Codable {
    /// Tickets the AI resolved (what a vendor bills a resolution for).
    package var aiResolutions: Int64
    /// Our own human handling of the month (human review at the loaded labour rate).
    package var humanHandling: Money
    /// The resolved tickets the line is counted per.
    package var resolved: Int64
    /// "this month's", or "this month's, applied to the plan".
    package var source: String

    package init(aiResolutions: Int64, humanHandling: Money, resolved: Int64, source: String = "this month's") {
        self.aiResolutions = aiResolutions; self.humanHandling = humanHandling; self.resolved = resolved; self.source = source
    }

    /// (price × AI resolutions + human handling) ÷ resolved, exact; nil with no resolved ticket.
    package func perResolved(price: Quotient) -> Quotient? {
        guard resolved > 0 else { return nil }
        return total(price: price).divided(by: Quotient(numerator: Int128(resolved), denominator: 1))
    }

    /// price × AI resolutions + human handling, exact.
    package func total(price: Quotient) -> Quotient {
        price.times(Quotient(numerator: Int128(aiResolutions), denominator: 1)).plus(humanHandling.dollars)
    }
}

/// When a figure was true: a date (YYYY, YYYY-MM or YYYY-MM-DD) or "undated", said so.
package struct AsOf: Sendable, Equatable, Codable {
    package var text: String
    /// The month the date falls in (December for a bare year: never older than it may be); nil undated.
    package var month: Month?

    package static let undated = AsOf(text: "undated", month: nil)

    package static func parse(_ s: String) -> AsOf? {
        if s == "undated" { return .undated }
        let parts = s.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts[0].count == 4, let y = Int(parts[0]),
              parts.dropFirst().allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) }) else { return nil }
        let m = parts.count >= 2 ? Int(parts[1]) ?? 0 : 12
        guard let month = Month(year: y, month: m) else { return nil }
        if parts.count == 3 {
            guard let d = Int(parts[2]), d >= 1, d <= month.days else { return nil }
        }
        return AsOf(text: s, month: month)
    }

    /// Whole months from the as-of month to `report` (nil undated).
    package func age(at report: Month) -> Int? { month.map { report.key - $0.key } }

    /// "older than 12 months at October 2026 (35 months)", "its age is not known", or nil.
    package func note(at report: Month) -> String? {
        guard let age = age(at: report) else { return "its age is not known" }
        if age > 12 { return "older than 12 months at \(report.title) (\(age) months)" }
        if age < 0 { return "dated after \(report.title)" }
        return nil
    }

    /// "as of 2023-11-15, older than 12 months at October 2026 (35 months)", "undated: its age is not known".
    package func sentence(at report: Month) -> String {
        let n = note(at: report)
        if month == nil { return "undated: " + (n ?? "its age is not known") }
        return "as of \(text)" + (n.map { ", " + $0 } ?? "")
    }
}

extension ReferenceRow {
    /// A value of a closed list, refused with the nearest name when it is a typo.
    func choice<T: RawRepresentable & CaseIterable>(_ c: String, _ type: T.Type, what: String) throws(ReferenceRowError) -> T where T.RawValue == String {
        let s = try text(c, required: true)
        if let v = T(rawValue: s) { return v }
        let names = T.allCases.map(\.rawValue)
        let typed = s.lowercased()
        let near = names.map { ($0, typed.count >= 4 && $0.hasPrefix(typed) ? 0 : CostperConfig.editDistance(typed, $0)) }
            .filter { $0.1 <= 2 }.min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        throw ReferenceRowError(c, "\(Scalars.quoteForMessage(s)) is not \(what)" + (near.map { " (did you mean \"\($0.0)\"?)" } ?? "") + ": one of \(names.joined(separator: ", "))")
    }

    func asOf(_ c: String) throws(ReferenceRowError) -> AsOf {
        let s = try text(c, required: true)
        guard let a = AsOf.parse(s) else {
            throw ReferenceRowError(c, "\(Scalars.quoteForMessage(s)) is not a date (YYYY, YYYY-MM or YYYY-MM-DD) or \"undated\"")
        }
        return a
    }
}
