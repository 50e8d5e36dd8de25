// How the month's record writes its scalars (month.json): money and ratios as exact decimal or
// fraction strings, never binary floating point, so that a record read back is the same value.

extension Money: Codable {
    /// "1234.567890123": the nanos, exactly (nine decimals, a sign when negative).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(formatted(decimals: Money.fractionDigits))
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let m = Money(exactDecimal: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(text) is not an amount with at most 9 decimals")
        }
        self = m
    }

    /// An amount written with at most nine decimals ("-12.5", "0.000000001"); nil for anything else or out of range.
    public init?(exactDecimal text: String) {
        var s = Substring(text)
        let negative = s.hasPrefix("-")
        if negative { s = s.dropFirst() }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= Money.fractionDigits, fraction.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 1 || !fraction.isEmpty else { return nil }
        fraction += String(repeating: "0", count: Money.fractionDigits - fraction.count)
        guard let w = Int64(whole), let f = Int64(fraction) else { return nil }
        let (scaled, o1) = w.multipliedReportingOverflow(by: Money.scale)
        let (sum, o2) = scaled.addingReportingOverflow(f)
        guard !o1, !o2 else { return nil }
        self.init(nanos: negative ? -sum : sum)
    }
}

extension Quotient: Codable {
    /// "numerator/denominator": the exact fraction.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode("\(numerator)/\(denominator)")
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = Int128(String(parts[0])), let d = Int128(String(parts[1])), d > 0 else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(text) is not a fraction n/d with d > 0")
        }
        self.init(numerator: n, denominator: d)
    }
}

extension Month: Codable, CodingKeyRepresentable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let m = Month(text) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(text) is not a month YYYY-MM") }
        self = m
    }

    public var codingKey: any CodingKey { MonthKey(stringValue: description) }
    public init?<T: CodingKey>(codingKey: T) {
        guard let m = Month(codingKey.stringValue) else { return nil }
        self = m
    }

    struct MonthKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// A ticket above p99: its id, its variable cost and its requests.
public struct TicketOutlier: Sendable, Equatable, Codable {
    public var id: String
    public var cost: Money
    public var requests: Int32
    public init(id: String, cost: Money, requests: Int32) { self.id = id; self.cost = cost; self.requests = requests }
}

/// One step of the variance bridge and the amount it moves the cost per resolved ticket by.
public struct BridgeMovement: Sendable, Equatable, Codable {
    public var step: BridgeStep
    public var amount: Money
    public init(step: BridgeStep, amount: Money) { self.step = step; self.amount = amount }
}

/// A tenant's monthly budget (`[budgets]`).
public struct TenantBudget: Sendable, Equatable, Codable {
    public var tenant: String
    public var amount: Money
    public init(tenant: String, amount: Money) { self.tenant = tenant; self.amount = amount }
}

/// A model's traced cost.
public struct ModelCost: Sendable, Equatable, Codable {
    public var model: String
    public var cost: Money
    public init(model: String, cost: Money) { self.model = model; self.cost = cost }
}

/// A provider's traced cost.
public struct ProviderCost: Sendable, Equatable, Codable {
    public var provider: String
    public var cost: Money
    public init(provider: String, cost: Money) { self.provider = provider; self.cost = cost }
}

/// An invoice gap spread over a model in proportion to its traced cost.
public struct ModelAllocation: Sendable, Equatable, Codable {
    public var model: String
    public var traced: Money
    public var gap: Money
    public init(model: String, traced: Money, gap: Money) { self.model = model; self.traced = traced; self.gap = gap }
}
