@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

/// Random months against a reference that knows the answer by construction: each cost is drawn
/// as an integer number of nano-dollars, written in one of the textual forms exports use (plain,
/// trailing zeros, exponent, quoted), and the reference adds the integers. costper must agree to
/// the nano-dollar, on one thread and on several, whatever the row order and quoting.
@Suite struct ExactnessPropertyTests {

    /// `nanos` as decimal text in a random form that reads back exactly.
    static func text(_ nanos: Int64, _ rng: inout SplitMix64) -> String {
        let whole = nanos / 1_000_000_000, frac = nanos % 1_000_000_000
        var fracText = String(frac)
        fracText = String(repeating: "0", count: 9 - fracText.count) + fracText
        switch rng.below(4) {
        case 0:  // plain, trailing zeros trimmed
            while fracText.hasSuffix("0") { fracText.removeLast() }
            return fracText.isEmpty ? "\(whole)" : "\(whole).\(fracText)"
        case 1:  // all nine decimals plus trailing zeros
            return "\(whole).\(fracText)000"
        case 2:  // exponent form: digits × 10^-9
            return "\(nanos)e-9"
        default: // exponent with a mantissa point, e.g. 1.2345e-05
            let digits = String(nanos)
            let exp = digits.count - 1 - 9
            let mantissa = digits.count > 1 ? "\(digits.first!).\(digits.dropFirst())" : digits
            return "\(mantissa)e\(exp)"
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func randomMonthsAddUpToTheNanoDollar(seed: Int) throws {
        var rng = SplitMix64(state: UInt64(seed) &* 7919)
        let ticketCount = 40 + rng.below(60)
        var tickets = "ticket_id,outcome,tenant,review_minutes,closed_at\n"
        for t in 0..<ticketCount {
            let outcome = ["auto_resolved", "escalated", "deflected", "abandoned"][rng.below(4)]
            tickets += "T\(t),\(outcome),\"Tenant, \(t % 5)\",,2026-10-15T00:00:00Z\n"
        }
        var rows: [String] = []
        var expected = [Int64](repeating: 0, count: CostCategory.allCases.count)
        var expectedTicket = [Int64](repeating: 0, count: ticketCount)
        var orphanCost: Int64 = 0
        for _ in 0..<(500 + rng.below(1500)) {
            let nanos = Int64(rng.below(50_000_000_000))   // up to $50 a request
            let kinds: [(String, CostCategory)] = [("llm", .model), ("embedding", .embeddings), ("vector_db", .vector_db),
                                                   ("integration", .integrations), ("observability", .observability)]
            let (kind, category) = kinds[rng.below(kinds.count)]
            let attempt = 1 + (rng.below(5) == 0 ? 1 : 0)
            let failed = rng.below(10) == 0
            let cat: CostCategory = kind == "llm" && (attempt > 1 || failed) ? .retries : category
            expected[cat.index] += nanos
            let orphan = rng.below(25) == 0
            let t = rng.below(ticketCount)
            if orphan { orphanCost += nanos } else { expectedTicket[t] += nanos }
            var cost = Self.text(nanos, &rng)
            if rng.below(5) == 0 { cost = "\"\(cost)\"" }
            let endpoint = rng.below(8) == 0 ? "\"support.reply, \"\"quoted\"\"\nline\"" : "support.rag_answer"
            let id = orphan ? "X\(rng.below(10))" : "T\(t)"
            rows.append("2026-10-\(10 + rng.below(18))T\(10 + rng.below(10)):00:00Z,\(id),\(endpoint),\(kind),\(cost),\(attempt),\(failed ? "error" : "ok")")
        }
        let requests = "timestamp,ticket_id,endpoint,kind,cost_usd,attempt,status\r\n" + rows.joined(separator: rng.below(2) == 0 ? "\n" : "\r\n") + "\n"
        let book = try TicketBook.read(Buffer("tickets.csv", tickets).input)
        for workers in [1, 2, 5] {
            let r = Buffer("requests.csv", requests)
            var ledger = RequestLedger(month: Month("2026-10")!, tickets: book.count, tenants: book.tenants.count)
            var tenants = book.tenants
            try RequestReader(month: ledger.month, prices: PriceCatalog(), tickets: book)
                .readAll(r.input, into: &ledger, tenants: &tenants, workers: workers, splitAbove: 1)
            #expect(ledger.rejects.isEmpty, "\(ledger.rejects.first?.message ?? "")")
            #expect(ledger.byCategory == expected, "seed \(seed), \(workers) workers")
            #expect(ledger.orphanCost.nanos == orphanCost)
            for t in 0..<ticketCount {
                let index = book.index(of: "T\(t)")!
                #expect(ledger.ticketUsage[index].cost == expectedTicket[t])
            }
        }
        // Closed into accounts, every breakdown adds up to the total exactly.
        let a = try month(tickets: tickets, requests: requests)
        let total = expected.reduce(0, +)
        #expect(a.total.nanos == total)
        for table in a.attribution { #expect(table.total == a.total, "by \(table.dimension)") }
        #expect(a.outcomeCost.values.reduce(Int64(0)) { $0 + $1.nanos } + a.orphanCost.nanos == total)
    }

    /// A million requests of $0.1 (a Double sum drifts: 100000.00000133288) read through the real
    /// reader on two threads come to exactly $100,000.
    @Test func aMillionDimesThroughTheReaderAddUpExactly() throws {
        var text = "timestamp,ticket_id,kind,cost_usd\n"
        text.reserveCapacity(40 * 1_000_000)
        let row = "2026-10-02T09:00:00Z,T1,llm,0.1\n"
        for _ in 0..<1_000_000 { text += row }
        let book = try TicketBook.read(Buffer("tickets.csv", "ticket_id,outcome\nT1,auto_resolved\n").input)
        var ledger = RequestLedger(month: Month("2026-10")!, tickets: book.count, tenants: book.tenants.count)
        var tenants = book.tenants
        try RequestReader(month: ledger.month, prices: PriceCatalog(), tickets: book)
            .readAll(Buffer("requests.csv", text).input, into: &ledger, tenants: &tenants, workers: 2, splitAbove: 1)
        #expect(ledger.requests == 1_000_000)
        #expect(ledger.byCategory[CostCategory.model.index] == 100_000 * Money.scale)
        #expect(ledger.ticketUsage[0].cost == 100_000 * Money.scale)
    }
}
