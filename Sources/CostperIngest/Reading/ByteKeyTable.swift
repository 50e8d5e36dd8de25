import CostperMoney
import CostperVocabulary
import Foundation
// A hash table from byte strings to dense indices, with the keys stored in one arena.
// Hand-written: a Dictionary<String, Int> needs a String (a heap allocation) per lookup, which
// dominated the per-row cost of ingest in the benchmark; this looks raw field bytes up directly.

package struct ByteKeyTable: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [UInt32] = []   // 32 bits are plenty for the slot and the check, and half the memory
    private var slots: [Int32]
    private var mask: Int

    /// False while keys are only appended (`append`): no hash index, no `find` or `insert` until
    /// `buildIndex`. The ticket book reads numbered ids this way (TicketNumbering.Builder checks
    /// their uniqueness by number), which spares a hash insert per ticket.
    package private(set) var indexed = true

    package init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// Makes room for `keys` keys and `bytes` bytes of keys without growing on the way (and the
    /// hash index for them, unless `indexed` is false).
    package mutating func reserve(keys: Int, bytes: Int, indexed withIndex: Bool = true) {
        arena.reserveCapacity(bytes)
        offsets.reserveCapacity(keys + 1)
        guard withIndex else { return }
        hashes.reserveCapacity(keys)
        var size = slots.count
        while size < keys * 2 { size <<= 1 }
        if size > slots.count { rehash(size: size) }
    }

    package var count: Int { offsets.count - 1 }

    /// Adds a key without indexing it (the caller knows it is new); the table stays unindexed
    /// until `buildIndex`. Returns its index.
    @discardableResult
    package mutating func append(_ key: Bytes) -> Int {
        precondition(!indexed || count == 0, "append to a table with indexed keys")
        indexed = false
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        return count - 1
    }

    /// Hashes every key appended so far into the index (after `append`; then `find` and `insert` work).
    package mutating func buildIndex() {
        guard !indexed else { return }
        indexed = true
        hashes = []
        hashes.reserveCapacity(count)
        Bytes.of(arena) { a in
            for i in 0..<count { hashes.append(a.rebased(offsets[i]..<offsets[i + 1]).hash32) }
        }
        var size = 16
        while size < count * 2 { size <<= 1 }
        rehash(size: size)
    }

    @inline(__always) package func equals(_ index: Int, _ key: Bytes) -> Bool {
        let s = offsets[index], e = offsets[index + 1]
        if e - s != key.count { return false }
        if key.isEmpty { return true }
        return Bytes.of(arena, s..<e) { $0.sameBytes(as: key) }
    }

    /// The index of `key`, or nil.
    package func find(_ key: Bytes) -> Int? {
        precondition(indexed, "find in a table of appended keys: buildIndex first")
        let h = key.hash32
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[slot]
            if v < 0 { return nil }
            if hashes[Int(v)] == h && equals(Int(v), key) { return Int(v) }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `key`, inserting it when new; `inserted` tells which.
    @discardableResult
    package mutating func insert(_ key: Bytes) -> (index: Int, inserted: Bool) {
        precondition(indexed, "insert in a table of appended keys: buildIndex first")
        let h = key.hash32
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = slots[slot]
            if v < 0 { break }
            if hashes[Int(v)] == h && equals(Int(v), key) { return (Int(v), false) }
            slot = (slot + 1) & mask
        }
        let index = hashes.count
        hashes.append(h)
        arena.append(contentsOf: key)
        offsets.append(arena.count)
        slots[slot] = Int32(index)
        if hashes.count * 2 > slots.count { grow() }
        return (index, true)
    }

    package mutating func insert(_ key: String) -> (index: Int, inserted: Bool) {
        Bytes.of(key) { insert($0) }
    }

    package func find(_ key: String) -> Int? {
        Bytes.of(key) { find($0) }
    }

    private mutating func grow() { rehash(size: slots.count * 2) }

    /// Places every key again in `size` slots (a power of two).
    private mutating func rehash(size: Int) {
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }

    /// The key at `index`, as bytes, for the length of `body`.
    package func withKey<R>(_ index: Int, _ body: (Bytes) -> R) -> R {
        Bytes.of(arena, offsets[index]..<offsets[index + 1], body)
    }

    /// The key at `index`, as text (invalid UTF-8 is repaired with U+FFFD).
    package func key(_ index: Int) -> String {
        String(decoding: arena[offsets[index]..<offsets[index + 1]], as: UTF8.self)
    }
}
