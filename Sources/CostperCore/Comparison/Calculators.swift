// The calculators of the seeds: human baseline, conversation cost, deflection ROI.
import CostperMoney
import CostperIngest


/// The human cost of a ticket (seed 000): tickets per agent a year = hours × 60 / AHT;
/// labor cost per ticket = loaded annual cost / tickets per agent; per resolved ticket that is
/// multiplied by the repeat-contact factor and by (1 + management overhead).
public struct HumanBaseline: Sendable, Equatable, Codable {
    public var loadedAnnual: Quotient
    public var productiveHours: Quotient
    public var ahtMinutes: Quotient
    public var repeatContactFactor: Quotient
    public var overheadShare: Quotient

    public init(loadedAnnual: Quotient, productiveHours: Quotient, ahtMinutes: Quotient,
                repeatContactFactor: Quotient = Quotient(1), overheadShare: Quotient = Quotient(0)) {
        self.loadedAnnual = loadedAnnual
        self.productiveHours = productiveHours
        self.ahtMinutes = ahtMinutes
        self.repeatContactFactor = repeatContactFactor
        self.overheadShare = overheadShare
    }

    public var ticketsPerAgentYear: Quotient { productiveHours.times(Quotient(60)).divided(by: ahtMinutes) ?? Quotient(0) }
    public var laborCostPerTicket: Quotient { loadedAnnual.divided(by: ticketsPerAgentYear) ?? Quotient(0) }
    public var costPerResolved: Quotient {
        laborCostPerTicket.times(repeatContactFactor).times(Quotient(1).plus(overheadShare))
    }
}

/// A conversation shape (seed 002): every turn re-sends the system prompt and the history.
public struct ConversationShape: Sendable, Equatable, Codable {
    public var turns: Int
    public var systemTokens: Int64
    public var userTokens: Int64
    public var assistantTokens: Int64
    /// Bill the system prompt at the cache-read price from the second turn on.
    public var cacheSystemPrompt: Bool

    public init(turns: Int = 5, systemTokens: Int64 = 500, userTokens: Int64 = 150, assistantTokens: Int64 = 200, cacheSystemPrompt: Bool = false) {
        self.turns = turns
        self.systemTokens = systemTokens
        self.userTokens = userTokens
        self.assistantTokens = assistantTokens
        self.cacheSystemPrompt = cacheSystemPrompt
    }

    /// Input tokens of turn k (1-based): system + k user turns + (k − 1) replies.
    public func inputTokens(turn k: Int) -> Int64 {
        systemTokens + Int64(k) * userTokens + Int64(k - 1) * assistantTokens
    }

    public var inputTokens: Int64 { (1...max(turns, 1)).reduce(0) { $0 + inputTokens(turn: $1) } }
    public var outputTokens: Int64 { Int64(turns) * assistantTokens }
    /// Input tokens read from the prompt cache (the system prompt after the first turn).
    public var cachedInputTokens: Int64 { cacheSystemPrompt ? Int64(max(turns - 1, 0)) * systemTokens : 0 }

    /// The exact model cost of one conversation.
    public func cost(_ price: ModelPrice) -> Quotient {
        price.exactCost(input: inputTokens, cachedInput: cachedInputTokens, output: outputTokens)
    }
}

/// Deflection ROI (seed 002): human cost saved = tickets × deflection × human cost per ticket;
/// ROI = saved / AI cost.
public struct DeflectionROI: Sendable, Equatable, Codable {
    public var tickets: Int64
    public var deflection: Quotient
    public var humanCostPerTicket: Quotient
    public var aiCostMonthly: Quotient

    public init(tickets: Int64, deflection: Quotient, humanCostPerTicket: Quotient, aiCostMonthly: Quotient) {
        self.tickets = tickets
        self.deflection = deflection
        self.humanCostPerTicket = humanCostPerTicket
        self.aiCostMonthly = aiCostMonthly
    }

    public var humanCostSaved: Quotient { Quotient(Int(tickets)).times(deflection).times(humanCostPerTicket) }
    public var netSaving: Quotient { humanCostSaved.minus(aiCostMonthly) }
    /// Human cost saved for each dollar of AI cost (3.0x: three dollars saved per dollar spent).
    public var grossSavingsMultiple: Quotient? { humanCostSaved.divided(by: aiCostMonthly) }
    /// What the AI cost returns beyond itself: (saved − AI cost) ÷ AI cost (200%: two dollars net per dollar spent).
    public var netReturn: Quotient? { netSaving.divided(by: aiCostMonthly) }
}
