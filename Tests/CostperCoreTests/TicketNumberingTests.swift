@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Testing
@testable import CostperCore

/// Ticket ids looked up by their number give exactly what the hash table gives, and the
/// numbering is used only for books whose ids are all prefix + digits written one way.
@Suite struct TicketNumberingTests {
    func table(_ ids: [String]) -> ByteKeyTable {
        var t = ByteKeyTable()
        for id in ids { t.insert(id) }
        return t
    }

    func find(_ n: TicketNumbering, _ key: String) -> Int? {
        Bytes.of(key) { n.find($0) }
    }

    @Test func fixedWidthIdsMapToTheirTicketsAndNothingElse() throws {
        let ids = ["T-0000588", "T-0000003", "T-0001000", "T-0000004"]
        let n = try #require(TicketNumbering(table(ids)))
        for (i, id) in ids.enumerated() { #expect(find(n, id) == i) }
        // Same number, other spelling; other prefix; a gap; out of range; not digits; too long.
        for miss in ["T-588", "T-00000588", "X-0000588", "t-0000588", "T-0000005", "T-9999999", "T-000058a", "T-0000-88",
                     "T-000000000000000000000588", "", "T-"] {
            #expect(find(n, miss) == nil, "\(miss)")
        }
    }

    @Test func idsWithoutLeadingZerosMayVaryInWidth() throws {
        let ids = ["588", "9", "1000", "0"]
        let n = try #require(TicketNumbering(table(ids)))
        for (i, id) in ids.enumerated() { #expect(find(n, id) == i) }
        for miss in ["0588", "09", "00", "1001", "-9", "9 ", "99999999999999999999"] { #expect(find(n, miss) == nil, "\(miss)") }
    }

    @Test func otherBooksKeepTheHashTable() {
        #expect(TicketNumbering(table(["T-1", "T-02"])) == nil)          // widths differ and a leading zero
        #expect(TicketNumbering(table(["T-1", "U-2"])) == nil)           // two prefixes
        #expect(TicketNumbering(table(["T-1", "T-2x"])) == nil)          // a suffix that is not digits
        #expect(TicketNumbering(table(["abc"])) == nil)                  // no digits
        #expect(TicketNumbering(table(["1", "99999999"])) == nil)        // too sparse for an array
        #expect(TicketNumbering(table(["1234567890123456789"])) == nil)  // more than 18 digits
        #expect(TicketNumbering(table([])) == nil)
    }

    /// On generated books and requests, the numbered lookup and the hash table cost every request
    /// to the same ticket: the ledgers are identical.
    @Test(arguments: [0, 1, 2, 3])
    func numberedAndHashedLookupsGiveTheSameLedger(seed: Int) throws {
        var rng = SplitMix64(state: UInt64(seed))
        let style = seed % 4
        func id(_ n: Int) -> String {
            switch style {
            case 0: return "T-" + String(repeating: "0", count: 7 - String(n).count) + String(n)
            case 1: return String(n)
            case 2: return "ZD\(n)"
            default: return "t\(n)x"   // not numbered: the hash table alone
            }
        }
        let ticketNumbers = (0..<300).map { _ in Int(rng.next() % 2000) }
        let unique = Array(Set(ticketNumbers)).sorted()
        let tickets = "ticket_id,outcome\n" + unique.map { "\(id($0)),auto_resolved" }.joined(separator: "\n") + "\n"
        var requests = "timestamp,ticket_id,kind,cost_usd\n"
        for i in 0..<2000 {
            let n = Int(rng.next() % 2100)
            let ticket = i % 17 == 0 ? "0" + id(n) : id(n)
            requests += "2026-10-0\(1 + i % 9)T10:00:00Z,\(ticket),llm,0.00\(i % 10)1\n"
        }
        let t = Buffer("tickets.csv", tickets), r = Buffer("requests.csv", requests)
        let book = try TicketBook.read(t.input)
        let numbered = RequestReader(month: Month("2026-10")!, prices: PriceCatalog(), tickets: book)
        #expect((numbered.numbering != nil) == (style != 3))
        var hashedBook = book
        hashedBook.ids.buildIndex()
        hashedBook.numbering = nil
        var hashed = RequestReader(month: Month("2026-10")!, prices: PriceCatalog(), tickets: hashedBook)
        hashed.numbering = nil
        func ledger(_ reader: RequestReader) throws -> RequestLedger {
            var l = RequestLedger(month: Month("2026-10")!, tickets: book.count, tenants: book.tenants.count)
            var tenants = book.tenants
            try reader.readAll(r.input, into: &l, tenants: &tenants, workers: 1)
            return l
        }
        let a = try ledger(numbered), b = try ledger(hashed)
        #expect(a.ticketUsage == b.ticketUsage)
        #expect(a.orphanRequests == b.orphanRequests && a.orphanCost == b.orphanCost && a.orphanTickets.count == b.orphanTickets.count)
        #expect(a.orphanRequests > 0 && a.ticketUsage.contains { $0.requests > 0 })
    }

    /// tickets.csv read with the numbering built as it goes (no hash per id) keeps the same
    /// tickets, in the same order, with the same duplicate rejects, as a dictionary of first
    /// occurrences says; books whose ids stop fitting partway (another prefix, a second
    /// spelling, a range grown too sparse) go on with the hash table and lose nothing.
    @Test(arguments: 0..<12)
    func readingBuildsTheNumberingOrFallsBackExactly(seed: Int) throws {
        var rng = SplitMix64(state: UInt64(1000 + seed))
        let style = seed % 6
        func id(_ n: Int) -> String {
            switch style {
            case 0: return "T-" + String(repeating: "0", count: 6 - String(n).count) + String(n)
            case 1: return String(n)
            case 2: return "ZD\(n)"
            default: return "T-" + String(repeating: "0", count: 6 - String(n).count) + String(n)
            }
        }
        var ids: [String] = []
        for i in 0..<400 {
            let n = Int(rng.next() % 500)
            var s = id(n)
            // Styles 3-5 break the form partway: another prefix, a second spelling, a far number.
            if i == 250 && style == 3 { s = "U-000001" }
            if i == 250 && style == 4 { s = "T-1" }
            if i == 250 && style == 5 { s = "T-999999" }
            ids.append(s)
        }
        let tickets = "ticket_id,outcome\n" + ids.map { "\($0),escalated" }.joined(separator: "\n") + "\n"
        let book = try TicketBook.read(Buffer("tickets.csv", tickets).input)
        var first: [String: Int] = [:], order: [String] = []
        var duplicates: [Reject] = []
        for (i, s) in ids.enumerated() {
            if let f = first[s] {
                duplicates.append(Reject(file: "tickets.csv", line: i + 2, column: "ticket_id", reason: "duplicate ticket id \"\(s)\" (first on line \(f + 2))"))
            } else {
                first[s] = i
                order.append(s)
            }
        }
        #expect(book.count == order.count)
        #expect(book.rejects == duplicates)
        for (k, s) in order.enumerated() {
            #expect(book.index(of: s) == k, "\(s)")
            #expect(book.ids.key(k) == s)
        }
        #expect(book.index(of: "T-7777777") == nil && book.index(of: "nope") == nil)
        // A numbering exactly when one can be made from the ids (the rule of TicketNumbering.init).
        var indexed = book.ids
        indexed.buildIndex()
        #expect((book.numbering != nil) == (TicketNumbering(indexed) != nil), "style \(style)")
        #expect((book.numbering != nil) == (style < 3))
        #expect(book.numbering != nil || book.ids.indexed)
    }
}
