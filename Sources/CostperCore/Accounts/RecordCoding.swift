// How the month's record writes its scalars (month.json): money and ratios as exact decimal or
// fraction strings, never binary floating point, so that a record read back is the same value.
import CostperMoney
import CostperIngest


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
