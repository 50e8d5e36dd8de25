// The calculators of the seeds: human baseline, conversation cost, deflection ROI.
import CostperMoney
import CostperIngest
import CostperVocabulary


/// The human cost of a ticket (seed 000): tickets per agent a year = hours × 60 / AHT;
/// labor cost per ticket = loaded annual cost / tickets per agent; per resolved ticket that is
/// multiplied by the repeat-contact factor and by (1 + management overhead).
package struct HumanBaseline: Sendable, Equatable, Codable {
    package var loadedAnnual: Quotient
    package var productiveHours: Quotient
    package var ahtMinutes: Quotient
    package var repeatContactFactor: Quotient
    package var overheadShare: Quotient

    package init(loadedAnnual: Quotient, productiveHours: Quotient, ahtMinutes: Quotient,
                repeatContactFactor: Quotient = Quotient(1), overheadShare: Quotient = Quotient(0)) {
        self.loadedAnnual = loadedAnnual
        self.productiveHours = productiveHours
        self.ahtMinutes = ahtMinutes
        self.repeatContactFactor = repeatContactFactor
        self.overheadShare = overheadShare
    }

    package var ticketsPerAgentYear: Quotient { productiveHours.times(Quotient(60)).divided(by: ahtMinutes) ?? Quotient(0) }
    package var laborCostPerTicket: Quotient { loadedAnnual.divided(by: ticketsPerAgentYear) ?? Quotient(0) }
    package var costPerResolved: Quotient {
        laborCostPerTicket.times(repeatContactFactor).times(Quotient(1).plus(overheadShare))
    }
}

/// A conversation shape (seed 002): every turn re-sends the system prompt and the history.
package struct ConversationShape: Sendable, Equatable, Codable {
    package var turns: Int
    package var systemTokens: Int64
    package var userTokens: Int64
    package var assistantTokens: Int64
    /// Bill the system prompt at the cache-read price from the second turn on.
    package var cacheSystemPrompt: Bool

    package init(turns: Int = 5, systemTokens: Int64 = 500, userTokens: Int64 = 150, assistantTokens: Int64 = 200, cacheSystemPrompt: Bool = false) {
        self.turns = turns
        self.systemTokens = systemTokens
        self.userTokens = userTokens
        self.assistantTokens = assistantTokens
        self.cacheSystemPrompt = cacheSystemPrompt
    }

    /// Input tokens of turn k (1-based): system + k user turns + (k − 1) replies.
    package func inputTokens(turn k: Int) -> Int64 {
        systemTokens + Int64(k) * userTokens + Int64(k - 1) * assistantTokens
    }

    package var inputTokens: Int64 { (1...max(turns, 1)).reduce(0) { $0 + inputTokens(turn: $1) } }
    package var outputTokens: Int64 { Int64(turns) * assistantTokens }
    /// Input tokens read from the prompt cache (the system prompt after the first turn).
    package var cachedInputTokens: Int64 { cacheSystemPrompt ? Int64(max(turns - 1, 0)) * systemTokens : 0 }

    /// The exact model cost of one conversation.
    package func cost(_ price: ModelPrice) -> Quotient {
        price.exactCost(input: inputTokens, cachedInput: cachedInputTokens, output: outputTokens)
    }
}

/// Deflection ROI (seed 002): human cost saved = tickets × deflection × human cost per ticket;
/// ROI = saved / AI cost.
package struct DeflectionROI: Sendable, Equatable, Codable {
    package var tickets: Int64
    package var deflection: Quotient
    package var humanCostPerTicket: Quotient
    package var aiCostMonthly: Quotient

    package init(tickets: Int64, deflection: Quotient, humanCostPerTicket: Quotient, aiCostMonthly: Quotient) {
        self.tickets = tickets
        self.deflection = deflection
        self.humanCostPerTicket = humanCostPerTicket
        self.aiCostMonthly = aiCostMonthly
    }

    package var humanCostSaved: Quotient { Quotient(Int(tickets)).times(deflection).times(humanCostPerTicket) }
    package var netSaving: Quotient { humanCostSaved.minus(aiCostMonthly) }
    /// Human cost saved for each dollar of AI cost (3.0x: three dollars saved per dollar spent).
    package var grossSavingsMultiple: Quotient? { humanCostSaved.divided(by: aiCostMonthly) }
    /// What the AI cost returns beyond itself: (saved − AI cost) ÷ AI cost (200%: two dollars net per dollar spent).
    package var netReturn: Quotient? { netSaving.divided(by: aiCostMonthly) }
}
