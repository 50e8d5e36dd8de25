import CostperMoney
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
        arena.withUnsafeBufferPointer { a in
            for i in 0..<count { hashes.append(ByteKeyTable.hash(Bytes(rebasing: a[offsets[i]..<offsets[i + 1]]))) }
        }
        var size = 16
        while size < count * 2 { size <<= 1 }
        rehash(size: size)
    }

    /// The hash of a key: eight bytes at a time (the last word overlapping the one before, so no
    /// read leaves the key), each word multiplied in, then a final mix so the low bits spread.
    /// It was FNV-1a, a byte at a time, inside the 8% of a time-ordered month's profile that `find`
    /// and `insert` took.
    @inline(__always) package static func hash(_ key: Bytes) -> UInt32 {
        let n = key.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: n) &* 0xC2B2_AE3D_27D4_EB4F)
        if n > 0, let p = key.baseAddress {
            let raw = UnsafeRawPointer(p)
            @inline(__always) func mix(_ w: UInt64) {
                h = (h ^ w) &* 0x9FB2_1C65_1E98_DF25
                h ^= h >> 29
            }
            if n >= 8 {
                var i = 0
                while i + 8 < n { mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)); i += 8 }
                mix(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
            } else if n >= 4 {
                let lo = UInt64(raw.loadUnaligned(as: UInt32.self))
                let hi = UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
                mix(lo | hi << 32)
            } else {
                mix(UInt64(p[0]) | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1]) << 16)
            }
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return UInt32(truncatingIfNeeded: h)
    }

    /// Whether two byte strings of the same length `n` are equal: words compared in place (the last
    /// overlapping), no call for the short keys tables hold.
    @inline(__always) package static func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
        if n >= 8 {
            if n > 32 { return memcmp(x, y, n) == 0 }
            var i = 0
            while i + 8 < n {
                if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            return x.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == y.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return x.loadUnaligned(as: UInt32.self) == y.loadUnaligned(as: UInt32.self)
                && x.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == y.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        for i in 0..<n where a[i] != b[i] { return false }
        return true
    }

    @inline(__always) package func equals(_ index: Int, _ key: Bytes) -> Bool {
        let s = offsets[index], e = offsets[index + 1]
        if e - s != key.count { return false }
        if key.isEmpty { return true }
        return arena.withUnsafeBufferPointer { a in ByteKeyTable.sameBytes(a.baseAddress! + s, key.baseAddress!, key.count) }
    }

    /// The index of `key`, or nil.
    package func find(_ key: Bytes) -> Int? {
        precondition(indexed, "find in a table of appended keys: buildIndex first")
        let h = ByteKeyTable.hash(key)
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
        let h = ByteKeyTable.hash(key)
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
        var k = key
        return k.withUTF8 { insert($0) }
    }

    package func find(_ key: String) -> Int? {
        var k = key
        return k.withUTF8 { find($0) }
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
        arena.withUnsafeBufferPointer { a in
            body(Bytes(rebasing: a[offsets[index]..<offsets[index + 1]]))
        }
    }

    /// The key at `index`, as text (invalid UTF-8 is repaired with U+FFFD).
    package func key(_ index: Int) -> String {
        String(decoding: arena[offsets[index]..<offsets[index + 1]], as: UTF8.self)
    }
}
