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

import CostperMoney
import CostperVocabulary
import CIngest

/// The book's ticket ids as numbers, when they all are prefix + digits.
package struct TicketNumbering: Sendable {
    private let prefix: [UInt8]
    /// The suffix's width when every id has the same; nil when none has a leading zero.
    private let width: Int?
    private let first: Int64
    /// Ticket index + 1 by number - first; 0 for a number no ticket has.
    private let slots: [Int32]

    /// Ranges up to this many times the ticket count (plus a little) are mapped; sparser ones are not.
    package static let maxSpread = 4

    /// Whether numbers from `low` to `high` are dense enough to map for `count` tickets.
    package static func dense(low: Int64, high: Int64, count: Int) -> Bool {
        high - low < Int64(count) * Int64(maxSpread) + 1024
    }

    private init(prefix: [UInt8], width: Int?, first: Int64, slots: [Int32]) {
        self.prefix = prefix; self.width = width; self.first = first; self.slots = slots
    }

    /// The numbering of a table's ids, or nil when they do not all fit it (the same rules as
    /// reading them one by one: `Builder`).
    package init?(_ ids: ByteKeyTable) {
        var builder = Builder(expected: ids.count)
        for i in 0..<ids.count {
            let placement = ids.withKey(i) { builder.add($0, index: i) }
            guard case .added = placement else { return nil }
        }
        guard let n = builder.finish() else { return nil }
        self = n
    }

    /// The number after `prefix` in `key` and its width, or nil unless `key` is `prefix` and 1 to
    /// 18 digits.
    @inline(__always) package static func number(_ key: Bytes, after prefix: [UInt8]) -> (value: Int64, width: Int)? {
        let p = prefix.count
        let w = key.count - p
        guard w > 0 && w <= 18 else { return nil }
        for j in 0..<p where key[j] != prefix[j] { return nil }
        var n: Int64 = 0
        for j in p..<key.count {
            let d = key[j] &- 0x30
            guard d <= 9 else { return nil }
            n = n &* 10 &+ Int64(d)
        }
        return (n, w)
    }

    /// The index of the ticket whose id is `key`, or nil when no ticket has it.
    @inline(__always) package func find(_ key: Bytes) -> Int? {
        slot(key).flatMap { ticket(atSlot: $0) }
    }

    /// Where `key`'s ticket would be found: its slot, or nil when it cannot be one of the book's
    /// ids. Cheap (no memory but the key): the reader prefetches the slot, works on the row, then
    /// reads it with `ticket(atSlot:)`.
    @inline(__always) package func slot(_ key: Bytes) -> Int? {
        guard let (n, w) = TicketNumbering.number(key, after: prefix) else { return nil }
        if let width {
            guard w == width else { return nil }
        } else if w > 1 && key[prefix.count] == 0x30 {
            return nil
        }
        let at = n &- first
        guard at >= 0 && at < Int64(slots.count) else { return nil }
        return Int(at)
    }

    /// The ticket at a slot from `slot(_:)`, or nil when no ticket has that number.
    @inline(__always) package func ticket(atSlot at: Int) -> Int? {
        let s = slots[at]
        return s == 0 ? nil : Int(s) - 1
    }

    /// Starts loading a slot's cache line (see `slot(_:)`).
    @inline(__always) package func prefetch(slot at: Int) {
        MemoryHints.prefetch(slots, at: at)
    }
}

package extension TicketNumbering {
    /// The numbering made while tickets.csv is read, one id at a time, so that the book need not
    /// hash every id to find duplicates: an id of the form is new exactly when its number's slot
    /// is empty (ids map to numbers one to one under the rules above). The first id that does not
    /// fit the form, or a range grown too sparse, ends it (`unfit`): the book then indexes its
    /// ids by hash, as for any other book. Hashing every id was a third of the single-threaded
    /// reading of a 2.5M-ticket tickets.csv.
    package struct Builder {
        private var prefix: [UInt8] = []
        private var firstWidth = 0
        private var sameWidth = true, noLeadingZero = true
        /// The number of slots[0]; slots hold ticket index + 1, 0 for none.
        private var base: Int64 = 0
        private var slots: [Int32] = []
        private var low = Int64.max, high = Int64.min
        private var count = 0
        /// The ticket count the file is expected to hold (slots are allocated for it at first).
        private let expected: Int

        package init(expected: Int) { self.expected = max(expected, 16) }

        package enum Placement { case added, duplicate(of: Int), unfit }

        /// Places the id of ticket `index`.
        package mutating func add(_ key: Bytes, index: Int) -> Placement {
            if count == 0 && slots.isEmpty {
                var d = key.count
                while d > 0 && key[d - 1] >= 0x30 && key[d - 1] <= 0x39 { d -= 1 }
                prefix = Array(key[0..<d])
                firstWidth = key.count - d
                guard firstWidth > 0 && firstWidth <= 18 else { return .unfit }
            }
            guard index < Int(Int32.max) - 1, let (n, w) = TicketNumbering.number(key, after: prefix) else { return .unfit }
            if w != firstWidth { sameWidth = false }
            if w > 1 && key[prefix.count] == 0x30 { noLeadingZero = false }
            guard sameWidth || noLeadingZero else { return .unfit }
            let newLow = min(low, n), newHigh = max(high, n)
            // Never more slots than a dense book of the expected size (or of the count so far) needs.
            guard newHigh - newLow < Int64(max(expected, count + 1)) * Int64(TicketNumbering.maxSpread) + 1024 else { return .unfit }
            if slots.isEmpty {
                base = n
                slots = [Int32](repeating: 0, count: expected + expected / 8 + 1024)
            } else if n < base {
                let grow = Int(max(base - n, Int64(slots.count / 2)))
                slots.insert(contentsOf: repeatElement(0, count: grow), at: 0)
                base -= Int64(grow)
            } else if n - base >= Int64(slots.count) {
                let need = Int(n - base) + 1
                slots.append(contentsOf: repeatElement(0, count: max(need, slots.count + slots.count / 2) - slots.count))
            }
            let at = Int(n - base)
            if slots[at] != 0 { return .duplicate(of: Int(slots[at]) - 1) }
            slots[at] = Int32(index + 1)
            low = newLow
            high = newHigh
            count += 1
            return .added
        }

        /// The numbering of every id placed, or nil when the range is too sparse to map (the same
        /// rule as `init(_:)`, so a book gets a numbering exactly when it would from its ids).
        package func finish() -> TicketNumbering? {
            guard count > 0, TicketNumbering.dense(low: low, high: high, count: count) else { return nil }
            let from = Int(low - base), to = Int(high - base)
            return TicketNumbering(prefix: prefix, width: sameWidth ? firstWidth : nil, first: low, slots: Array(slots[from...to]))
        }
    }
}
