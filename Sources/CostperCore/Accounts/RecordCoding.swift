// How the month's record writes its scalars (month.json): money and ratios as exact decimal or
// fraction strings, never binary floating point, so that a record read back is the same value.
import CostperMoney
import CostperIngest
import CostperVocabulary


/// A ticket above p99: its id, its variable cost and its requests.
package struct TicketOutlier: Sendable, Equatable, Codable {
    package var id: String
    package var cost: Money
    package var requests: Int32
    package init(id: String, cost: Money, requests: Int32) { self.id = id; self.cost = cost; self.requests = requests }
}

/// One step of the variance bridge and the amount it moves the cost per resolved ticket by.
package struct BridgeMovement: Sendable, Equatable, Codable {
    package var step: BridgeStep
    package var amount: Money
    package init(step: BridgeStep, amount: Money) { self.step = step; self.amount = amount }
}

/// A tenant's monthly budget (`[budgets]`).
package struct TenantBudget: Sendable, Equatable, Codable {
    package var tenant: String
    package var amount: Money
    package init(tenant: String, amount: Money) { self.tenant = tenant; self.amount = amount }
}

/// A model's traced cost.
package struct ModelCost: Sendable, Equatable, Codable {
    package var model: String
    package var cost: Money
    package init(model: String, cost: Money) { self.model = model; self.cost = cost }
}

/// A provider's traced cost.
package struct ProviderCost: Sendable, Equatable, Codable {
    package var provider: String
    package var cost: Money
    package init(provider: String, cost: Money) { self.provider = provider; self.cost = cost }
}

/// An invoice gap spread over a model in proportion to its traced cost.
package struct ModelAllocation: Sendable, Equatable, Codable {
    package var model: String
    package var traced: Money
    package var gap: Money
    package init(model: String, traced: Money, gap: Money) { self.model = model; self.traced = traced; self.gap = gap }
}
