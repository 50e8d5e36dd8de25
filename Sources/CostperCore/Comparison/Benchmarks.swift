// The benchmark datasets of data/benchmarks/: published comparables, reference ranges, the
// reference cost stack and the per-service-type table. Data, never constants: a user adds a
// comparable by adding a row, and a bad row stops the run with `file:line: column: reason`.
import CostperMoney
import CostperIngest
import CostperVocabulary


/// The domain a cost per outcome is compared within: support, back_office, coding, or any other
/// a comparables.csv row names (domains come from the data).
package struct Domain: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package init(_ rawValue: String) { self.rawValue = rawValue }

    package static let support = Domain("support")
    package static let backOffice = Domain("back_office")
    package static let coding = Domain("coding")

    /// The outcome a cost is counted per, in this domain.
    package var unit: String { self == .support ? "resolved ticket" : "completed task" }
    package var description: String { rawValue }
    package static func < (a: Domain, b: Domain) -> Bool { a.rawValue < b.rawValue }

    /// A domain name: lower-case letters, digits and underscores, at most 40.
    package static func parse(_ text: String) -> Domain? {
        guard !text.isEmpty, text.utf8.count <= 40,
              text.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else { return nil }
        return Domain(text)
    }
}

/// What a figure is counted per. Lines are compared like for like: a cost per resolved ticket with
/// figures per resolution, a cost per ticket handled with figures per ticket handled, a cost per
/// completed task with figures per task (or per ACU through the ACUs a task takes).
package enum FigureBasis: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case per_resolved, per_handled, per_task, per_acu, per_transaction

    package var label: String {
        switch self {
        case .per_resolved: return "per resolved ticket"
        case .per_handled: return "per ticket handled"
        case .per_task: return "per completed task"
        case .per_acu: return "per ACU"
        case .per_transaction: return "per transaction"
        }
    }
}

/// Whether a figure is a vendor's price, an operator's own cost, or somebody's estimate.
package enum FigureKind: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    case vendor_price, operator_cost, estimate

    package var label: String {
        switch self {
        case .vendor_price: return "vendor price"
        case .operator_cost: return "operator's own cost"
        case .estimate: return "estimate"
        }
    }
}

/// Where a figure was published: the publication itself, and the secondary source that reported it.
package struct Citation: Sendable, Equatable, Codable {
    package var publisher: String
    package var title: String
    package var published: String
    package var url: String
    /// The unit exactly as the publication states it.
    package var sourceUnit: String
    package var kind: FigureKind
    /// "disclosed", or "estimate: WHO".
    package var disclosure: String
    package var secondarySource: String

    package init(publisher: String, title: String, published: String = "", url: String = "", sourceUnit: String = "", kind: FigureKind = .estimate,
                disclosure: String = "", secondarySource: String = "") {
        self.publisher = publisher; self.title = title; self.published = published; self.url = url; self.sourceUnit = sourceUnit
        self.kind = kind; self.disclosure = disclosure; self.secondarySource = secondarySource
    }

    /// `Intercom, "Fin AI Agent resolutions (Intercom Help Center)", 2023-11-15, https://…`
    package var text: String {
        var parts = [publisher, "\u{201C}\(title)\u{201D}"]
        if !published.isEmpty { parts.append(published) }
        if !url.isEmpty { parts.append(url) }
        return parts.joined(separator: ", ")
    }
}

/// A published cost-per-outcome figure (comparables.csv): a single figure, a range, or both.
package struct PublishedFigure: Sendable, Equatable, Codable {
    package var name: String
    package var domain: Domain
    package var industry: String
    package var unit: String
    package var basis: FigureBasis
    /// The figure as published; nil when only a range is.
    package var figure: Money?
    package var low: Money?
    package var high: Money?
    /// The variable part per outcome, where the source gives one: enables the scale adjustment.
    package var variable: Money?
    /// The monthly volume the figure was measured at.
    package var referenceVolume: Int64?
    package var escalationLow: Quotient?
    package var escalationHigh: Quotient?
    package var includes: String
    /// The vendor's margin, where the figure is a price: true cost = price × (1 − margin).
    package var vendorMargin: Quotient?
    package var citation: Citation
    package var notes: String
    /// Set on a line of the per-service-type reference table used as a comparable.
    package var serviceType = ""
    /// The figure as published (in USD), when the report converts it to another currency.
    package var publishedAs: String?
    /// What the figure covers (comparables.csv `scope`): it meets only our figure of that scope.
    package var scope: FigureScope = .operator_all_in
    /// How the figure is known (`tier`); an illustrative one never sets a flag threshold.
    package var tier: FigureTier = .disclosed
    /// When the figure was true (`as_of`).
    package var asOf: AsOf = .undated
    /// How the publisher counts one resolution (`resolution_definition`), when it says.
    package var resolutionDefinition = ""

    /// Shown for context only: never sets a threshold.
    package var isIllustrative: Bool { tier == .illustrative_scenario || scope == .illustrative_scenario }

    package init(name: String, domain: Domain, industry: String = "", unit: String, basis: FigureBasis = .per_resolved, figure: Money?, low: Money? = nil, high: Money? = nil,
                variable: Money? = nil, referenceVolume: Int64? = nil, escalationLow: Quotient? = nil, escalationHigh: Quotient? = nil,
                includes: String = "", vendorMargin: Quotient? = nil, citation: Citation = Citation(publisher: "", title: ""), notes: String = "") {
        self.name = name; self.domain = domain; self.industry = industry; self.unit = unit; self.basis = basis; self.figure = figure
        self.low = low; self.high = high; self.variable = variable; self.referenceVolume = referenceVolume
        self.escalationLow = escalationLow; self.escalationHigh = escalationHigh; self.includes = includes
        self.vendorMargin = vendorMargin; self.citation = citation; self.notes = notes
    }

    /// The figure a line is compared with before any adjustment: the published figure, or the top
    /// of a published range (a line is flagged only when it is above the threshold times the top).
    package var reference: Money { figure ?? high ?? low ?? .zero }

    /// What `reference` is: "published figure" or "top of the published range".
    package var referenceKind: String { figure != nil ? "published figure" : "top of the published range" }

    /// The reference less the vendor's margin (the reference itself when no margin is known).
    package var trueCost: Quotient {
        guard let m = vendorMargin else { return reference.dollars }
        return reference.dollars.times(Quotient(1).minus(m))
    }

    /// "$0.99", "$1.50–2.50", "$0.99 ($0.75–1.10)".
    package func publishedText(_ show: AmountFormat) -> String {
        let range = low.flatMap { l in high.map { show.unit(l.dollars) + "–" + show.unit($0.dollars).dropFirst() } }
        switch (figure, range) {
        case let (f?, r?): return show.unit(f.dollars) + " (" + r + ")"
        case let (f?, nil): return show.unit(f.dollars)
        case let (nil, r?): return r
        default: return "—"
        }
    }
}

/// A published range (reference_ranges.csv): human baselines, AI and hybrid per interaction.
package struct ReferenceRange: Sendable, Equatable, Codable {
    package var key: String
    package var label: String
    package var unit: String
    package var low: Money?
    package var high: Money?
    package var figure: Money?
    package var citation: Citation
    package var notes: String
}

/// One line of the per-service-type reference table (service_types.csv).
package struct ServiceTypeReference: Sendable, Equatable, Codable {
    package var serviceType: String
    package var label: String
    package var complexity: String
    package var ahtMinutes: Quotient
    package var aiCost: Money
    package var humanReview: Money
    package var escalationShare: Quotient
    package var total: Money
    package var baseline: Money
    package var source: String

    /// The table's line as a comparable of the support domain: an all-in cost per ticket handled
    /// (AI cost plus human review at the line's escalation share), for lines of that service type.
    package var asComparable: PublishedFigure {
        var c = PublishedFigure(name: "Reference: \(label)", domain: .support, unit: "ticket handled", basis: .per_handled, figure: total,
                                includes: "AI cost and human review at \(Show.percent(escalationShare, decimals: 0)) escalation",
                                citation: Citation(publisher: source, title: "reference table by service type", sourceUnit: "all-in cost per ticket handled",
                                                   kind: .estimate, disclosure: "estimate: \(source)"),
                                notes: "illustrative")
        c.serviceType = serviceType
        c.scope = .illustrative_scenario
        c.tier = .illustrative_scenario
        return c
    }
}

/// The reference cost stack (reference_stack.csv): the seed's $0.52 ticket.
package struct ReferenceStack: Sendable, Equatable, Codable {
    package var perTicket: [CostCategory: Money] = [:]
    package var source = ""

    package init(perTicket: [CostCategory: Money] = [:], source: String = "") { self.perTicket = perTicket; self.source = source }

    package var total: Money { Money(nanos: perTicket.values.reduce(0) { $0 &+ $1.nanos }) }

    package func share(_ c: CostCategory) -> Quotient {
        let t = total
        guard t.nanos > 0 else { return Quotient(0) }
        return Quotient(numerator: Int128((perTicket[c] ?? .zero).nanos), denominator: Int128(t.nanos))
    }
}

/// All of data/benchmarks/ but the price catalog.
package struct BenchmarkData: Sendable, Codable {
    package var comparables: [PublishedFigure] = []
    package var ranges: [ReferenceRange] = []
    package var serviceTypes: [ServiceTypeReference] = []
    package var stack = ReferenceStack()
    /// Autonomous resolution rates by business type and the go-live plan (resolution_rates.csv).
    package var resolutionRates: [ResolutionReference] = []

    package init(comparables: [PublishedFigure] = [], ranges: [ReferenceRange] = [], serviceTypes: [ServiceTypeReference] = [], stack: ReferenceStack = ReferenceStack()) {
        self.comparables = comparables; self.ranges = ranges; self.serviceTypes = serviceTypes; self.stack = stack
    }

    package func serviceType(_ key: String) -> ServiceTypeReference? { serviceTypes.first { $0.serviceType == key } }
    package func range(_ key: String) -> ReferenceRange? { ranges.first { $0.key == key } }

    package static let comparableColumns = ["name", "domain", "industry", "unit", "basis", "figure_usd", "low_usd", "high_usd", "variable_usd",
                                           "reference_volume", "escalation_low", "escalation_high", "includes", "vendor_margin",
                                           "publisher", "title", "published", "url", "source_unit", "figure_kind", "disclosure",
                                           "secondary_source", "notes", "scope", "tier", "as_of", "resolution_definition"]
    package static let citationColumns = ["publisher", "title", "source_unit", "figure_kind", "disclosure", "secondary_source"]
    package static let rangeColumns = ["key", "label", "unit", "low_usd", "high_usd", "figure_usd", "publisher", "title", "published", "url",
                                      "source_unit", "figure_kind", "disclosure", "secondary_source", "notes"]
    package static let stackColumns = ["category", "per_ticket_usd", "source"]
    package static let serviceTypeColumns = ["service_type", "label", "complexity", "aht_minutes", "ai_cost_usd", "human_review_usd",
                                            "escalation_share", "total_usd", "baseline_usd", "source"]

    /// The register's citation columns of a row: every figure names its publication.
    static func citation(_ r: ReferenceRow) throws(ReferenceRowError) -> Citation {
        let kindText = try r.text("figure_kind", required: true)
        guard let kind = FigureKind(rawValue: kindText) else {
            throw ReferenceRowError("figure_kind", "\(Scalars.quoteForMessage(kindText)) is not a kind of figure (\(FigureKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let disclosure = try r.text("disclosure", required: true)
        guard disclosure == "disclosed" || disclosure.hasPrefix("estimate: ") else {
            throw ReferenceRowError("disclosure", "\(Scalars.quoteForMessage(disclosure)) must be \"disclosed\" or \"estimate: WHO\" (whose estimate it is)")
        }
        if kind == .estimate && disclosure == "disclosed" {
            throw ReferenceRowError("disclosure", "an estimate is not disclosed: say whose estimate it is (\"estimate: WHO\")")
        }
        let url = try r.text("url", limit: ReferenceRow.longText)
        if !url.isEmpty && !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            throw ReferenceRowError("url", "\(Scalars.quoteForMessage(url)) is not a web address (https://…)")
        }
        return Citation(publisher: try r.text("publisher", required: true), title: try r.text("title", required: true, limit: ReferenceRow.longText),
                        published: try r.text("published"), url: url, sourceUnit: try r.text("source_unit", required: true, limit: ReferenceRow.longText),
                        kind: kind, disclosure: disclosure, secondarySource: try r.text("secondary_source", required: true, limit: ReferenceRow.longText))
    }

    package static func readComparables(_ input: InputBuffer) throws(CostperError) -> [PublishedFigure] {
        var list: [PublishedFigure] = []
        try readReferenceTable(input, columns: comparableColumns, required: ["name", "domain", "unit", "basis", "scope", "tier", "as_of"] + citationColumns) { r throws(ReferenceRowError) in
            let name = try r.text("name", required: true)
            if list.contains(where: { $0.name == name }) { throw ReferenceRowError("name", "\(Scalars.quoteForMessage(name)) is listed twice") }
            let domainText = try r.text("domain", required: true)
            guard let domain = Domain.parse(domainText) else {
                throw ReferenceRowError("domain", "\(Scalars.quoteForMessage(domainText)) is not a domain name (lower-case letters, digits and _, e.g. support, coding, legal)")
            }
            let basisText = try r.text("basis", required: true)
            guard let basis = FigureBasis(rawValue: basisText) else {
                throw ReferenceRowError("basis", "\(Scalars.quoteForMessage(basisText)) is not a basis (\(FigureBasis.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let figure = try r.money("figure_usd")
            if let f = figure, f.nanos == 0 { throw ReferenceRowError("figure_usd", "is zero: a comparable needs a figure to compare with") }
            let low = try r.money("low_usd"), high = try r.money("high_usd")
            if let low, let high, low > high { throw ReferenceRowError("low_usd", "is above high_usd") }
            if figure == nil && (low == nil || high == nil) {
                throw ReferenceRowError("figure_usd", "is empty and there is no low_usd-high_usd range: a comparable needs a published figure or range")
            }
            if figure == nil, let h = high, h.nanos == 0 { throw ReferenceRowError("high_usd", "is zero: a comparable needs a figure to compare with") }
            let variable = try r.money("variable_usd")
            if let v = variable, let f = figure, v > f { throw ReferenceRowError("variable_usd", "is above figure_usd: the variable part is part of the figure") }
            if variable != nil && figure == nil { throw ReferenceRowError("variable_usd", "needs figure_usd: the variable part is part of a figure") }
            let margin = try r.share("vendor_margin")
            if let m = margin, m >= Quotient(1) { throw ReferenceRowError("vendor_margin", "must be below 1 (a share of the price)") }
            var p = PublishedFigure(name: name, domain: domain, industry: try r.text("industry"), unit: try r.text("unit", required: true), basis: basis,
                                    figure: figure, low: low, high: high, variable: variable, referenceVolume: try r.count("reference_volume"),
                                    escalationLow: try r.share("escalation_low"), escalationHigh: try r.share("escalation_high"),
                                    includes: try r.text("includes", limit: ReferenceRow.longText), vendorMargin: margin, citation: try citation(r),
                                    notes: try r.text("notes", limit: ReferenceRow.longText))
            p.scope = try r.choice("scope", FigureScope.self, what: "a scope")
            p.tier = try r.choice("tier", FigureTier.self, what: "a tier")
            p.asOf = try r.asOf("as_of")
            p.resolutionDefinition = try r.text("resolution_definition", limit: ReferenceRow.longText)
            if p.scope == .vendor_price_per_ai_resolution && basis != .per_resolved {
                throw ReferenceRowError("scope", "a vendor price per AI resolution is counted per_resolved, not \(basis.rawValue)")
            }
            if p.tier == .disclosed && p.citation.disclosure != "disclosed" {
                throw ReferenceRowError("tier", "a disclosed figure has disclosure \"disclosed\", not \(Scalars.quoteForMessage(p.citation.disclosure))")
            }
            if p.tier == .secondary_estimate && !p.citation.disclosure.hasPrefix("estimate: ") {
                throw ReferenceRowError("tier", "a secondary-source estimate says whose it is in disclosure (\"estimate: WHO\")")
            }
            list.append(p)
        }
        return list
    }

    package static func readRanges(_ input: InputBuffer) throws(CostperError) -> [ReferenceRange] {
        var list: [ReferenceRange] = []
        try readReferenceTable(input, columns: rangeColumns, required: ["key", "label", "unit"] + citationColumns) { r throws(ReferenceRowError) in
            let low = try r.money("low_usd"), high = try r.money("high_usd"), figure = try r.money("figure_usd")
            if low == nil && high == nil && figure == nil { throw ReferenceRowError("figure_usd", "a range needs low_usd and high_usd, or a figure_usd") }
            if let low, let high, low > high { throw ReferenceRowError("low_usd", "is above high_usd") }
            list.append(ReferenceRange(key: try r.text("key", required: true), label: try r.text("label", required: true), unit: try r.text("unit", required: true),
                                       low: low, high: high, figure: figure, citation: try citation(r), notes: try r.text("notes", limit: ReferenceRow.longText)))
        }
        return list
    }

    package static func readStack(_ input: InputBuffer) throws(CostperError) -> ReferenceStack {
        var stack = ReferenceStack(source: "")
        try readReferenceTable(input, columns: stackColumns, required: stackColumns) { r throws(ReferenceRowError) in
            let c = try r.text("category", required: true)
            guard let cat = CostCategory(rawValue: c) else {
                throw ReferenceRowError("category", "\(Scalars.quoteForMessage(c)) is not a category (\(CostCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if stack.perTicket[cat] != nil { throw ReferenceRowError("category", "\(c) is listed twice") }
            stack.perTicket[cat] = try r.money("per_ticket_usd") ?? .zero
            if stack.source.isEmpty { stack.source = try r.text("source", limit: ReferenceRow.longText) }
        }
        return stack
    }

    package static func readServiceTypes(_ input: InputBuffer) throws(CostperError) -> [ServiceTypeReference] {
        var list: [ServiceTypeReference] = []
        try readReferenceTable(input, columns: serviceTypeColumns, required: serviceTypeColumns) { r throws(ReferenceRowError) in
            func need(_ c: String) throws(ReferenceRowError) -> Money {
                guard let m = try r.money(c) else { throw ReferenceRowError(c, "is empty") }
                return m
            }
            guard let aht = try r.share("aht_minutes", max: nil), let esc = try r.share("escalation_share") else {
                throw ReferenceRowError("aht_minutes", "aht_minutes and escalation_share are required")
            }
            list.append(ServiceTypeReference(serviceType: try r.text("service_type", required: true), label: try r.text("label", required: true),
                                             complexity: try r.text("complexity"), ahtMinutes: aht, aiCost: try need("ai_cost_usd"),
                                             humanReview: try need("human_review_usd"), escalationShare: esc, total: try need("total_usd"),
                                             baseline: try need("baseline_usd"), source: try r.text("source", required: true, limit: ReferenceRow.longText)))
        }
        return list
    }
}

/// Why a row of a reference table cannot be used.
package struct ReferenceRowError: Error {
    package var column: String
    package var reason: String
    package init(_ column: String, _ reason: String) { self.column = column; self.reason = reason }
}

/// One row of a reference table, with typed accessors that throw a column-named reason.
package struct ReferenceRow {
    let header: HeaderMap
    let fields: [String]

    func raw(_ c: String) -> String { header.position(c).map { fields[$0] } ?? "" }

    /// The length limit of the register's long texts (titles, notes, sources).
    static let longText = 2_000

    package func text(_ c: String, required: Bool = false, limit: Int = InputLimits.maxTextBytes) throws(ReferenceRowError) -> String {
        let s = raw(c)
        if required && s.isEmpty { throw ReferenceRowError(c, "is empty") }
        if s.utf8.count > limit { throw ReferenceRowError(c, "is longer than \(limit) bytes") }
        return s
    }

    package func money(_ c: String) throws(ReferenceRowError) -> Money? {
        let s = raw(c)
        if s.isEmpty { return nil }
        switch Scalars.parseDecimal(s) {
        case .success(let r): return Money(nanos: r.value)
        case .failure(let e): throw ReferenceRowError(c, e.reason(for: s))
        }
    }

    /// A non-negative decimal as an exact quotient; `max` bounds it (1 for shares).
    package func share(_ c: String, max: Quotient? = Quotient(1)) throws(ReferenceRowError) -> Quotient? {
        guard let m = try money(c) else { return nil }
        let q = m.dollars
        if let max, q > max { throw ReferenceRowError(c, "\(Scalars.quoteForMessage(raw(c))) is above \(max.formatted(decimals: 0)) (write a share as a decimal, e.g. 0.40)") }
        return q
    }

    package func count(_ c: String) throws(ReferenceRowError) -> Int64? {
        let s = raw(c)
        if s.isEmpty { return nil }
        switch Scalars.parseCount(s) {
        case .success(let n): return n
        case .failure(let e): throw ReferenceRowError(c, e.reason(for: s))
        }
    }
}

/// Reads a reference table (CSV): the first bad row stops with `file:line: column: reason`.
func readReferenceTable(_ input: InputBuffer, columns: [String], required: [String],
                        row: (ReferenceRow) throws(ReferenceRowError) -> Void) throws(CostperError) {
    var rejects: [Reject] = []
    var failure: Reject?
    try readCSVTable(input, required: required, known: columns, rejects: &rejects) { line, header, fields, _ in
        guard failure == nil else { return }
        var texts: [String] = []
        for i in 0..<fields.count {
            guard let s = utf8String(fields[i]) else {
                failure = Reject(file: input.name, line: line, column: header.columns[i], reason: "is not valid UTF-8")
                return
            }
            texts.append(s)
        }
        do {
            try row(ReferenceRow(header: header, fields: texts))
        } catch let e as ReferenceRowError {
            failure = Reject(file: input.name, line: line, column: e.column, reason: e.reason)
        } catch {
            failure = Reject(file: input.name, line: line, column: "", reason: "\(error)")
        }
    }
    if let first = (rejects + (failure.map { [$0] } ?? [])).min() { throw first.error }
}
