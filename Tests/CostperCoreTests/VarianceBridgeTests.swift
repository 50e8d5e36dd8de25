@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

@Suite struct VarianceBridgeTests {
    static func figures(_ month: String, tickets: Int, resolved: Int, costs: [CostCategory: Double], fixed: [CostCategory: Double]) -> MonthFigures {
        func money(_ d: Double) -> Money { Money(nanos: Int64((d * 1_000_000_000).rounded())) }
        return MonthFigures(month: Month(month)!, tickets: tickets, resolvedTickets: resolved,
                            costByCategory: costs.mapValues(money), fixedByCategory: fixed.mapValues(money))
    }

    /// A worked example, figures checked by hand: every step to the nano-dollar, the steps as
    /// printed (largest remainder) adding up to the printed change.
    @Test func aWorkedExampleGivesTheExactSteps() throws {
        // August: 100 tickets handled, 50 resolved; model $20, retries $2, review $50, embeddings $3,
        // infrastructure $100 (a fixed bill): $175, $3.50 a resolved ticket.
        let aug = Self.figures("2026-08", tickets: 100, resolved: 50,
                               costs: [.model: 20, .retries: 2, .human_review: 50, .embeddings: 3, .infrastructure: 100], fixed: [.infrastructure: 100])
        // September: 200 handled, 120 resolved; model $36, retries $6, review $80, embeddings $4,
        // infrastructure $120 fixed: $246, $2.05 a resolved ticket.
        let sep = Self.figures("2026-09", tickets: 200, resolved: 120,
                               costs: [.model: 36, .retries: 6, .human_review: 80, .embeddings: 4, .infrastructure: 120], fixed: [.infrastructure: 120])
        let b = try #require(VarianceBridge.make(from: aug, to: sep))
        #expect(b.start == Money(nanos: 3_500_000_000))
        #expect(b.end == Money(nanos: 2_050_000_000))
        #expect(b.change == Money(nanos: -1_450_000_000))
        // volume: 100/120 − 100/50 = −7/6 (August's fixed $100 over 120 resolved tickets, not 50)
        #expect(b.amount(.volume) == Money(nanos: -1_166_666_667))
        // mix: 0.75 × (200/120 − 100/50) = −1/4 (August's $0.75 variable a ticket handled, at
        // 1.667 tickets handled per resolved ticket instead of 2)
        #expect(b.amount(.mix) == Money(nanos: -250_000_000))
        // together, what the one volume-and-mix step was: −1.41666…
        #expect(b.amount(.volume).nanos + b.amount(.mix).nanos == -1_416_666_667)
        // human review: (80/200 − 50/100) × 200/120 = −1/6
        #expect(b.amount(.human_review) == Money(nanos: -166_666_667))
        // model: (36/200 − 20/100) × 200/120 = −1/30
        #expect(b.amount(.model) == Money(nanos: -33_333_333))
        // retries: (6/200 − 2/100) × 200/120 = +1/60
        #expect(b.amount(.retries) == Money(nanos: 16_666_667))
        // fixed-cost absorption: (120 − 100) / 120 = +1/6
        #expect(b.amount(.fixed_absorption) == Money(nanos: 166_666_667))
        // other (embeddings): (4/200 − 3/100) × 200/120 = −1/60, the residual to the nano
        #expect(b.amount(.other) == Money(nanos: -16_666_667))
        #expect(b.exact[.other] == Quotient(numerator: -1, denominator: 60))
        let d = b.displayed()
        #expect(d.decimals == 2)
        #expect(d.start == 350 && d.end == 205)
        // −116.67, −25, −16.67, −3.33, +1.67, +16.67, −1.67 cents, each rounded once half to even:
        // −117, −25, −17, −3, +2, +17, −2 add up to −145, the printed change (205 − 350).
        #expect(d.steps == [-117, -25, -17, -3, 2, 17, -2])
        #expect(d.rounding == 0 && d.steps.reduce(0, +) == d.end - d.start)
    }

    /// Property: on many generated month pairs the seven steps add up to the change to the
    /// nano-dollar, their exact values add up to the exact change, each rounded step is its
    /// formula rounded once, and the printed steps add up to the printed change.
    @Test func theStepsAddUpToTheChangeOnGeneratedMonths() throws {
        var rng = SplitMix64(state: 16)
        var compared = 0
        for _ in 0..<3_000 {
            func month(_ m: String) -> MonthFigures {
                let tickets = Int(rng.next() % 2_000_000) + 1
                let resolved = Int(rng.next() % UInt64(tickets)) + 1
                var costs: [CostCategory: Money] = [:], fixed: [CostCategory: Money] = [:]
                for c in CostCategory.allCases {
                    let f = rng.next() % 4 == 0 ? Int64(rng.next() % 50_000_000_000_000) : 0          // up to $50,000 fixed
                    let v = rng.next() % 5 == 0 ? 0 : Int64(rng.next() % 900_000_000_000_000)          // up to $900,000 variable
                    costs[c] = Money(nanos: f + v)
                    fixed[c] = Money(nanos: f)
                }
                return MonthFigures(month: Month(m)!, tickets: tickets, resolvedTickets: resolved, costByCategory: costs, fixedByCategory: fixed)
            }
            let m0 = month("2026-09"), m1 = month("2026-10")
            let b = try #require(VarianceBridge.make(from: m0, to: m1))
            compared += 1
            // The Money steps add up to the change, to the nano-dollar.
            #expect(b.steps.reduce(Int64(0)) { $0 + $1.amount.nanos } == b.change.nanos)
            #expect(b.steps.map(\.step) == BridgeStep.allCases)
            // Start and end are the two costs per resolved ticket, rounded once.
            #expect(b.start == m0.costPerResolved!.asMoney && b.end == m1.costPerResolved!.asMoney)
            // The exact steps add up to the exact change (the decomposition is an identity).
            let exactSum = BridgeStep.allCases.reduce(Quotient(0)) { $0.plus(b.exact[$1]!) }
            #expect(exactSum == m1.costPerResolved!.minus(m0.costPerResolved!))
            // Each step but the residual is its formula, computed here another way, rounded once.
            let n0 = Quotient(m0.tickets), n1 = Quotient(m1.tickets), r0 = Quotient(m0.resolvedTickets), r1 = Quotient(m1.resolvedTickets)
            func dollars(_ nanos: Int128) -> Quotient { Quotient(numerator: nanos, denominator: 1_000_000_000) }
            for s in [BridgeStep.human_review, .model, .retries] {
                let perTicket1 = dollars(m1.variable(s.categories)).divided(by: n1)!, perTicket0 = dollars(m0.variable(s.categories)).divided(by: n0)!
                let formula = perTicket1.minus(perTicket0).times(n1.divided(by: r1)!)
                #expect(b.amount(s) == formula.asMoney, "\(s)")
            }
            let f0 = dollars(m0.fixedTotal), f1 = dollars(m1.fixedTotal)
            #expect(b.amount(.fixed_absorption) == f1.minus(f0).divided(by: r1)!.asMoney)
            let mix = dollars(m0.variableTotal).divided(by: n0)!.times(n1.divided(by: r1)!.minus(n0.divided(by: r0)!))
            #expect(b.amount(.mix) == mix.asMoney)
            #expect(b.amount(.volume) == f0.divided(by: r1)!.minus(f0.divided(by: r0)!).asMoney)
            // Volume and mix apart add up to the one step they replace, exactly.
            #expect(b.exact[.volume]!.plus(b.exact[.mix]!) == mix.plus(f0.divided(by: r1)!).minus(f0.divided(by: r0)!))
            // The residual is the other categories' step, give or take the rounding of the six others.
            let otherExact = b.exact[.other]!.asMoney!
            #expect(abs(b.amount(.other).nanos - otherExact.nanos) <= 4)
            // As printed: start plus the steps, each rounded once, plus the Rounding step is the
            // end; the Rounding step is at most half a unit per step.
            let d = b.displayed()
            #expect(d.start + d.steps.reduce(0, +) + d.rounding == d.end)
            #expect(d.rounding.magnitude <= UInt128(BridgeStep.allCases.count))
            for (i, st) in b.steps.enumerated() {
                var unit: Int128 = 1
                for _ in 0..<(9 - d.decimals) { unit *= 10 }
                #expect(d.steps[i] == Fixed.divideHalfEven(Int128(st.amount.nanos), unit))
            }
        }
        #expect(compared == 3_000)
    }

    @Test func aMonthWithoutResolvedTicketsHasNoBridge() {
        let a = Self.figures("2026-08", tickets: 10, resolved: 0, costs: [.model: 1], fixed: [:])
        let b = Self.figures("2026-09", tickets: 10, resolved: 5, costs: [.model: 1], fixed: [:])
        #expect(VarianceBridge.make(from: a, to: b) == nil)
        #expect(VarianceBridge.make(from: b, to: a) == nil)
        #expect(VarianceBridge.make(from: b, to: b)?.change == .zero)
    }
}

