// The safe view of an input's bytes, and the few raw-memory operations of the ingest outside its
// two hot readers (CSVReader.swift, JSONLinesReader.swift). Domain code (tickets, requests, the
// vocabulary, the ledger) sees bytes only as `Bytes`: a read-only view whose every access is
// bounds-checked, made from memory that an `InputBuffer`, a `FieldList` or a closure keeps alive.
// Raw pointers are named in eight Swift files in all (docs/architecture.md lists them; a test
// holds the list).
import CostperMoney
import CostperVocabulary
import CIngest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only bytes: an input's, a field's, a key's. Valid while whatever made it lives (an
/// `InputBuffer`, the record a `FieldList` holds, the closure it was given to); indices run from 0.
/// Every subscript and load is checked against `count`.
package struct Bytes: RandomAccessCollection {
    @usableFromInline let buffer: UnsafeBufferPointer<UInt8>

    /// No bytes.
    @inlinable package init() { buffer = UnsafeBufferPointer(start: nil, count: 0) }

    /// A view of memory the caller keeps alive and never writes while the view is used: only the
    /// hot readers, the C bindings' files and this file make one.
    @inlinable package init(unsafe buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }

    /// The raw bytes, for the hot readers (which keep their input alive while they read).
    @inlinable package var unsafeBuffer: UnsafeBufferPointer<UInt8> { buffer }

    @inlinable package var startIndex: Int { 0 }
    @inlinable package var endIndex: Int { buffer.count }
    @inlinable package var count: Int { buffer.count }
    @inlinable package var isEmpty: Bool { buffer.count == 0 }

    @inlinable @inline(__always) package subscript(i: Int) -> UInt8 {
        precondition(UInt(bitPattern: i) < UInt(bitPattern: buffer.count), "a byte outside the view")
        return buffer[i]
    }

    /// Bytes `range` of this view, as a view of its own (indices from 0).
    @inlinable package func rebased(_ range: Range<Int>) -> Bytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count, "a range outside the view")
        return Bytes(unsafe: UnsafeBufferPointer(rebasing: buffer[range]))
    }

    @inlinable package func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try body(buffer)
    }

    /// Eight bytes from `offset`, as they lie in memory (unaligned), for word-at-a-time compares.
    @inlinable @inline(__always) package func word64(at offset: Int) -> UInt64 {
        precondition(offset >= 0 && offset + 8 <= buffer.count, "a word outside the view")
        return UnsafeRawPointer(buffer.baseAddress!).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    @inlinable @inline(__always) package func word32(at offset: Int) -> UInt32 {
        precondition(offset >= 0 && offset + 4 <= buffer.count, "a word outside the view")
        return UnsafeRawPointer(buffer.baseAddress!).loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    }

    @inlinable @inline(__always) package func word16(at offset: Int) -> UInt16 {
        precondition(offset >= 0 && offset + 2 <= buffer.count, "a word outside the view")
        return UnsafeRawPointer(buffer.baseAddress!).loadUnaligned(fromByteOffset: offset, as: UInt16.self)
    }

    /// Whether both views hold the same bytes: words compared in place (the last one overlapping),
    /// no call for the short keys tables hold.
    @inlinable @inline(__always) package func sameBytes(as other: Bytes) -> Bool {
        let n = buffer.count
        guard n == other.buffer.count else { return false }
        guard n > 0 else { return true }
        let x = UnsafeRawPointer(buffer.baseAddress!), y = UnsafeRawPointer(other.buffer.baseAddress!)
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
        for i in 0..<n where buffer[i] != other.buffer[i] { return false }
        return true
    }

    /// A 32-bit hash: eight bytes at a time (the last word overlapping the one before, so no read
    /// leaves the view), each word multiplied in, then a final mix so the low bits spread. It was
    /// FNV-1a, a byte at a time, inside the 8% of a time-ordered month's profile that the ticket
    /// lookups took.
    @inlinable @inline(__always) package var hash32: UInt32 {
        let n = buffer.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: n) &* 0xC2B2_AE3D_27D4_EB4F)
        if n > 0, let p = buffer.baseAddress {
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

    /// The bytes as text when they are valid UTF-8.
    package var validUTF8: String? { String(validating: buffer, as: UTF8.self) }

    /// The text of a string, as bytes, for the length of `body`.
    @inlinable package static func of<R>(_ s: String, _ body: (Bytes) throws -> R) rethrows -> R {
        var copy = s
        return try copy.withUTF8 { try body(Bytes(unsafe: $0)) }
    }

    /// Bytes `range` of an array, for the length of `body`.
    @inlinable package static func of<R>(_ a: [UInt8], _ range: Range<Int>? = nil, _ body: (Bytes) throws -> R) rethrows -> R {
        try a.withUnsafeBufferPointer { b in
            let r = range ?? 0..<b.count
            precondition(r.lowerBound >= 0 && r.upperBound <= b.count, "a range outside the array")
            return try body(Bytes(unsafe: UnsafeBufferPointer(rebasing: b[r])))
        }
    }
}

/// Memory hints for the per-ticket tables of the ingest (they say nothing about values).
package enum MemoryHints {
    /// Starts loading the cache line of `array[index]` (a no-op outside the array).
    @inlinable @inline(__always) package static func prefetch<T>(_ array: [T], at index: Int) {
        array.withUnsafeBufferPointer { b in
            if index >= 0 && index < b.count { costper_prefetch(b.baseAddress! + index) }
        }
    }

    /// An array of `count` copies of `value` whose memory the kernel backs with huge pages as it is
    /// filled when it is large (see costper_advise_huge_pages).
    package static func hugePaged<T>(_ value: T, count: Int) -> [T] {
        var a: [T] = []
        a.reserveCapacity(count)
        let bytes = a.capacity * MemoryLayout<T>.stride
        if bytes >= 4 << 20 {
            a.withUnsafeMutableBufferPointer { b in
                if let base = b.baseAddress { costper_advise_huge_pages(base, bytes) }
            }
        }
        a.append(contentsOf: repeatElement(value, count: count))
        return a
    }
}

/// Memory that holds an input's bytes for as long as any reader of it lives: heap memory here, or
/// a file mapping owned by the I/O edge (which alone can hand its pages back to the kernel).
package protocol ByteRegion: AnyObject, Sendable {
    /// The bytes, read only; valid while the region lives.
    var bytes: Bytes { get }
    /// Hands the pages between two offsets back to the kernel once they have been read (a later
    /// access reads them again). Heap memory does nothing here.
    func releasePages(from: Int, upTo: Int)
    /// A reader (one per core) starts reading the region, then has finished: background work on
    /// it (a file's hash) waits while there is a reader on every core, so that it does not take
    /// a core from them, and goes on as soon as one is free. Heap memory does nothing here.
    func readersStart()
    func readersEnd()
}

package extension ByteRegion {
    package func readersStart() {}
    package func readersEnd() {}
}

/// Bytes on the heap (a test's text, a built-in dataset, an adapter's output).
package final class HeapRegion: ByteRegion, @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    package init(_ bytes: [UInt8]) {
        storage = .allocate(byteCount: max(bytes.count, 1), alignment: 16)
        storage.copyBytes(from: bytes)
        count = bytes.count
    }
    package let count: Int
    package var bytes: Bytes {
        Bytes(unsafe: UnsafeBufferPointer(start: storage.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
    }
    package func releasePages(from: Int, upTo: Int) {}
    deinit { storage.deallocate() }
}
