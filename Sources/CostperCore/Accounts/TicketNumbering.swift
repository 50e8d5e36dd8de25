// Ticket ids of the form prefix + number ("T-0034801", "ZD-88231", "588"), looked up by their
// number instead of by hash.
//
// Hand-written, because the profile asked for it: on a time-ordered month (thousands of tickets
// open at once, so consecutive requests almost never share a ticket) the hash-table lookup of
// every request's ticket id was 26% of the CPU (`ByteKeyTable.find` and its `memcmp`), nearly
// all of it cache misses: a slot, a hash, an offset and the key's bytes, four places in four
// arrays of tens of megabytes. Here a request's id costs a short prefix comparison, a digit
// parse and one load from one array.
//
// Exact, not a heuristic: it is used only when every id of the book has the same prefix and a
// digit suffix written one way (all the same width, or all without leading zeros), so an id
// maps to a number and back to the same bytes. Any other book keeps the hash table.

/// The book's ticket ids as numbers, when they all are prefix + digits.
struct TicketNumbering: Sendable {
    private let prefix: [UInt8]
    /// The suffix's width when every id has the same; nil when none has a leading zero.
    private let width: Int?
    private let first: Int64
    /// Ticket index + 1 by number - first; 0 for a number no ticket has.
    private let slots: [Int32]

    /// Ranges up to this many times the ticket count (plus a little) are mapped; sparser ones are not.
    static let maxSpread = 4

    init?(_ ids: ByteKeyTable) {
        let count = ids.count
        guard count > 0, count < Int(Int32.max) else { return nil }
        // The first id fixes the prefix (everything before its trailing digits).
        var prefix: [UInt8] = []
        var firstWidth = 0
        ids.withKey(0) { k in
            var d = k.count
            while d > 0 && k[d - 1] >= 0x30 && k[d - 1] <= 0x39 { d -= 1 }
            prefix = Array(k[0..<d])
            firstWidth = k.count - d
        }
        guard firstWidth > 0 && firstWidth <= 18 else { return nil }
        var sameWidth = true, noLeadingZero = true
        var low = Int64.max, high = Int64.min
        for i in 0..<count {
            let ok: Bool = ids.withKey(i) { k in
                let w = k.count - prefix.count
                guard w > 0 && w <= 18 else { return false }
                for j in 0..<prefix.count where k[j] != prefix[j] { return false }
                var n: Int64 = 0
                for j in prefix.count..<k.count {
                    let c = k[j]
                    guard c >= 0x30 && c <= 0x39 else { return false }
                    n = n * 10 + Int64(c - 0x30)
                }
                if w != firstWidth { sameWidth = false }
                if w > 1 && k[prefix.count] == 0x30 { noLeadingZero = false }
                low = min(low, n)
                high = max(high, n)
                return true
            }
            guard ok, sameWidth || noLeadingZero else { return nil }
        }
        guard high - low < Int64(count) * Int64(TicketNumbering.maxSpread) + 1024 else { return nil }
        var slots = [Int32](repeating: 0, count: Int(high - low + 1))
        for i in 0..<count {
            let n: Int64 = ids.withKey(i) { k in
                var n: Int64 = 0
                for j in prefix.count..<k.count { n = n * 10 + Int64(k[j] - 0x30) }
                return n
            }
            slots[Int(n - low)] = Int32(i + 1)
        }
        self.prefix = prefix
        self.width = sameWidth ? firstWidth : nil
        self.first = low
        self.slots = slots
    }

    /// The index of the ticket whose id is `key`, or nil when no ticket has it.
    @inline(__always) func find(_ key: Bytes) -> Int? {
        let p = prefix.count
        let w = key.count - p
        if let width {
            guard w == width else { return nil }
        } else {
            guard w > 0 && w <= 18 else { return nil }
            if w > 1 && key[p] == 0x30 { return nil }
        }
        for j in 0..<p where key[j] != prefix[j] { return nil }
        var n: Int64 = 0
        for j in p..<key.count {
            let d = key[j] &- 0x30
            guard d <= 9 else { return nil }
            n = n &* 10 &+ Int64(d)
        }
        let at = n &- first
        guard at >= 0 && at < Int64(slots.count) else { return nil }
        let s = slots[Int(at)]
        return s == 0 ? nil : Int(s) - 1
    }
}
