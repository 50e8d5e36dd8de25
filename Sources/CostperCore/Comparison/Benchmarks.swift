// The benchmark datasets of data/benchmarks/: published comparables, reference ranges, the
// reference cost stack and the per-service-type table. Data, never constants: a user adds a
// comparable by adding a row, and a bad row stops the run with `file:line: column: reason`.

/// The domains a cost per outcome is compared within.
public enum Domain: String, CaseIterable, Sendable {
    case support, back_office, coding

    public var unit: String {
        switch self {
        case .support: return "resolved ticket"
        case .back_office, .coding: return "completed task"
        }
    }
}

/// A published cost-per-outcome figure (comparables.csv).
public struct PublishedFigure: Sendable, Equatable {
    public var name: String
    public var domain: Domain
    public var industry: String
    public var unit: String
    public var figure: Money
    public var low: Money?
    public var high: Money?
    /// The variable part per outcome, where the source gives one: enables the scale adjustment.
    public var variable: Money?
    /// The monthly volume the figure was measured at.
    public var referenceVolume: Int64?
    public var escalationLow: Quotient?
    public var escalationHigh: Quotient?
    public var includes: String
    /// The vendor's margin, where the figure is a price: true cost = price × (1 − margin).
    public var vendorMargin: Quotient?
    public var source: String
    public var asOf: String
    public var notes: String
    /// Set on a line of the per-service-type reference table used as a comparable.
    public var serviceType = ""

    public init(name: String, domain: Domain, industry: String = "", unit: String, figure: Money, low: Money? = nil, high: Money? = nil,
                variable: Money? = nil, referenceVolume: Int64? = nil, escalationLow: Quotient? = nil, escalationHigh: Quotient? = nil,
                includes: String = "", vendorMargin: Quotient? = nil, source: String = "", asOf: String = "", notes: String = "") {
        self.name = name; self.domain = domain; self.industry = industry; self.unit = unit; self.figure = figure
        self.low = low; self.high = high; self.variable = variable; self.referenceVolume = referenceVolume
        self.escalationLow = escalationLow; self.escalationHigh = escalationHigh; self.includes = includes
        self.vendorMargin = vendorMargin; self.source = source; self.asOf = asOf; self.notes = notes
    }

    /// The figure less the vendor's margin (the figure itself when no margin is known).
    public var trueCost: Quotient {
        guard let m = vendorMargin else { return figure.dollars }
        return figure.dollars.times(Quotient(1).minus(m))
    }
}

/// A published range (reference_ranges.csv): human baselines, AI and hybrid per interaction.
public struct ReferenceRange: Sendable, Equatable {
    public var key: String
    public var label: String
    public var unit: String
    public var low: Money?
    public var high: Money?
    public var figure: Money?
    public var source: String
    public var notes: String
}

/// One line of the seed's per-service-type table (service_types.csv).
public struct ServiceTypeReference: Sendable, Equatable {
    public var serviceType: String
    public var label: String
    public var complexity: String
    public var ahtMinutes: Quotient
    public var aiCost: Money
    public var humanReview: Money
    public var escalationShare: Quotient
    public var total: Money
    public var baseline: Money
    public var source: String

    /// The table's line as a comparable of the support domain, for lines of that service type.
    public var asComparable: PublishedFigure {
        var c = PublishedFigure(name: "Reference: \(label)", domain: .support, unit: "ticket", figure: total,
                           includes: "AI cost and human review at \(Show.percent(escalationShare, decimals: 0)) escalation",
                           source: source, notes: "illustrative (seed)")
        c.serviceType = serviceType
        return c
    }
}

/// The reference cost stack (reference_stack.csv): the seed's $0.52 ticket.
public struct ReferenceStack: Sendable, Equatable {
    public var perTicket: [CostCategory: Money] = [:]
    public var source = ""

    public init(perTicket: [CostCategory: Money] = [:], source: String = "") { self.perTicket = perTicket; self.source = source }

    public var total: Money { Money(nanos: perTicket.values.reduce(0) { $0 &+ $1.nanos }) }

    public func share(_ c: CostCategory) -> Quotient {
        let t = total
        guard t.nanos > 0 else { return Quotient(0) }
        return Quotient(numerator: Int128((perTicket[c] ?? .zero).nanos), denominator: Int128(t.nanos))
    }
}

/// All of data/benchmarks/ but the price catalog.
public struct BenchmarkData: Sendable {
    public var comparables: [PublishedFigure] = []
    public var ranges: [ReferenceRange] = []
    public var serviceTypes: [ServiceTypeReference] = []
    public var stack = ReferenceStack()

    public init(comparables: [PublishedFigure] = [], ranges: [ReferenceRange] = [], serviceTypes: [ServiceTypeReference] = [], stack: ReferenceStack = ReferenceStack()) {
        self.comparables = comparables; self.ranges = ranges; self.serviceTypes = serviceTypes; self.stack = stack
    }

    public func serviceType(_ key: String) -> ServiceTypeReference? { serviceTypes.first { $0.serviceType == key } }
    public func range(_ key: String) -> ReferenceRange? { ranges.first { $0.key == key } }

    public static let comparableColumns = ["name", "domain", "industry", "unit", "figure_usd", "low_usd", "high_usd", "variable_usd",
                                           "reference_volume", "escalation_low", "escalation_high", "includes", "vendor_margin",
                                           "source", "as_of", "notes"]
    public static let rangeColumns = ["key", "label", "unit", "low_usd", "high_usd", "figure_usd", "source", "notes"]
    public static let stackColumns = ["category", "per_ticket_usd", "source"]
    public static let serviceTypeColumns = ["service_type", "label", "complexity", "aht_minutes", "ai_cost_usd", "human_review_usd",
                                            "escalation_share", "total_usd", "baseline_usd", "source"]

    public static func readComparables(_ input: InputBuffer) throws(CostperError) -> [PublishedFigure] {
        var list: [PublishedFigure] = []
        try readReferenceTable(input, columns: comparableColumns, required: ["name", "domain", "unit", "figure_usd", "source"]) { r throws(ReferenceRowError) in
            let name = try r.text("name", required: true)
            if list.contains(where: { $0.name == name }) { throw ReferenceRowError("name", "\(Scalars.quoteForMessage(name)) is listed twice") }
            let domainText = try r.text("domain", required: true)
            guard let domain = Domain(rawValue: domainText) else {
                throw ReferenceRowError("domain", "\(Scalars.quoteForMessage(domainText)) is not a domain (\(Domain.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let figure = try r.money("figure_usd") else { throw ReferenceRowError("figure_usd", "is empty") }
            if figure.nanos == 0 { throw ReferenceRowError("figure_usd", "is zero: a comparable needs a figure to compare with") }
            let low = try r.money("low_usd"), high = try r.money("high_usd")
            if let low, let high, low > high { throw ReferenceRowError("low_usd", "is above high_usd") }
            let variable = try r.money("variable_usd")
            if let v = variable, v > figure { throw ReferenceRowError("variable_usd", "is above figure_usd: the variable part is part of the figure") }
            let margin = try r.share("vendor_margin")
            if let m = margin, m >= Quotient(1) { throw ReferenceRowError("vendor_margin", "must be below 1 (a share of the price)") }
            list.append(PublishedFigure(name: name, domain: domain, industry: try r.text("industry"), unit: try r.text("unit", required: true),
                                   figure: figure, low: low, high: high, variable: variable, referenceVolume: try r.count("reference_volume"),
                                   escalationLow: try r.share("escalation_low"), escalationHigh: try r.share("escalation_high"),
                                   includes: try r.text("includes"), vendorMargin: margin, source: try r.text("source", required: true),
                                   asOf: try r.text("as_of"), notes: try r.text("notes")))
        }
        return list
    }

    public static func readRanges(_ input: InputBuffer) throws(CostperError) -> [ReferenceRange] {
        var list: [ReferenceRange] = []
        try readReferenceTable(input, columns: rangeColumns, required: ["key", "label", "unit", "source"]) { r throws(ReferenceRowError) in
            let low = try r.money("low_usd"), high = try r.money("high_usd"), figure = try r.money("figure_usd")
            if low == nil && high == nil && figure == nil { throw ReferenceRowError("figure_usd", "a range needs low_usd and high_usd, or a figure_usd") }
            if let low, let high, low > high { throw ReferenceRowError("low_usd", "is above high_usd") }
            list.append(ReferenceRange(key: try r.text("key", required: true), label: try r.text("label", required: true), unit: try r.text("unit", required: true),
                                       low: low, high: high, figure: figure, source: try r.text("source", required: true), notes: try r.text("notes")))
        }
        return list
    }

    public static func readStack(_ input: InputBuffer) throws(CostperError) -> ReferenceStack {
        var stack = ReferenceStack(source: "")
        try readReferenceTable(input, columns: stackColumns, required: stackColumns) { r throws(ReferenceRowError) in
            let c = try r.text("category", required: true)
            guard let cat = CostCategory(rawValue: c) else {
                throw ReferenceRowError("category", "\(Scalars.quoteForMessage(c)) is not a category (\(CostCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if stack.perTicket[cat] != nil { throw ReferenceRowError("category", "\(c) is listed twice") }
            stack.perTicket[cat] = try r.money("per_ticket_usd") ?? .zero
            if stack.source.isEmpty { stack.source = try r.text("source") }
        }
        return stack
    }

    public static func readServiceTypes(_ input: InputBuffer) throws(CostperError) -> [ServiceTypeReference] {
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
                                             baseline: try need("baseline_usd"), source: try r.text("source", required: true)))
        }
        return list
    }
}

/// Why a row of a reference table cannot be used.
public struct ReferenceRowError: Error {
    public var column: String
    public var reason: String
    public init(_ column: String, _ reason: String) { self.column = column; self.reason = reason }
}

/// One row of a reference table, with typed accessors that throw a column-named reason.
public struct ReferenceRow {
    let header: HeaderMap
    let fields: [String]

    func raw(_ c: String) -> String { header.position(c).map { fields[$0] } ?? "" }

    public func text(_ c: String, required: Bool = false) throws(ReferenceRowError) -> String {
        let s = raw(c)
        if required && s.isEmpty { throw ReferenceRowError(c, "is empty") }
        if s.utf8.count > InputLimits.maxTextBytes { throw ReferenceRowError(c, "is longer than \(InputLimits.maxTextBytes) bytes") }
        return s
    }

    public func money(_ c: String) throws(ReferenceRowError) -> Money? {
        let s = raw(c)
        if s.isEmpty { return nil }
        switch Scalars.withBytes(s, { Scalars.parseDecimal($0) }) {
        case .success(let r): return Money(nanos: r.value)
        case .failure(let e): throw ReferenceRowError(c, e.reason(for: s))
        }
    }

    /// A non-negative decimal as an exact quotient; `max` bounds it (1 for shares).
    public func share(_ c: String, max: Quotient? = Quotient(1)) throws(ReferenceRowError) -> Quotient? {
        guard let m = try money(c) else { return nil }
        let q = m.dollars
        if let max, q > max { throw ReferenceRowError(c, "\(Scalars.quoteForMessage(raw(c))) is above \(max.formatted(decimals: 0)) (write a share as a decimal, e.g. 0.40)") }
        return q
    }

    public func count(_ c: String) throws(ReferenceRowError) -> Int64? {
        let s = raw(c)
        if s.isEmpty { return nil }
        switch Scalars.withBytes(s, { Scalars.parseCount($0) }) {
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
