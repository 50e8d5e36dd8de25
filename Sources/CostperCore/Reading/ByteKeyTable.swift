import Foundation
// A hash table from byte strings to dense indices, with the keys stored in one arena.
// Hand-written: a Dictionary<String, Int> needs a String (a heap allocation) per lookup, which
// dominated the per-row cost of ingest in the benchmark; this looks raw field bytes up directly.

public struct ByteKeyTable: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    private var hashes: [UInt32] = []   // 32 bits are plenty for the slot and the check, and half the memory
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// Makes room for `keys` keys and `bytes` bytes of keys without growing on the way.
    public mutating func reserve(keys: Int, bytes: Int) {
        arena.reserveCapacity(bytes)
        offsets.reserveCapacity(keys + 1)
        hashes.reserveCapacity(keys)
        var size = slots.count
        while size < keys * 2 { size <<= 1 }
        if size > slots.count { rehash(size: size) }
    }

    public var count: Int { hashes.count }

    @inline(__always) static func hash(_ key: Bytes) -> UInt32 {
        // FNV-1a, then a final mix so the low bits spread.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return UInt32(truncatingIfNeeded: h)
    }

    @inline(__always) func equals(_ index: Int, _ key: Bytes) -> Bool {
        let s = offsets[index], e = offsets[index + 1]
        if e - s != key.count { return false }
        if key.isEmpty { return true }
        return arena.withUnsafeBufferPointer { a in memcmp(a.baseAddress! + s, key.baseAddress!, key.count) == 0 }
    }

    /// The index of `key`, or nil.
    func find(_ key: Bytes) -> Int? {
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
    mutating func insert(_ key: Bytes) -> (index: Int, inserted: Bool) {
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

    public mutating func insert(_ key: String) -> (index: Int, inserted: Bool) {
        var k = key
        return k.withUTF8 { insert($0) }
    }

    public func find(_ key: String) -> Int? {
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
    func withKey<R>(_ index: Int, _ body: (Bytes) -> R) -> R {
        arena.withUnsafeBufferPointer { a in
            body(Bytes(rebasing: a[offsets[index]..<offsets[index + 1]]))
        }
    }

    /// The key at `index`, as text (invalid UTF-8 is repaired with U+FFFD).
    public func key(_ index: Int) -> String {
        String(decoding: arena[offsets[index]..<offsets[index + 1]], as: UTF8.self)
    }
}
