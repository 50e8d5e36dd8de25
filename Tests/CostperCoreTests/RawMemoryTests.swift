import Foundation
import Testing
@testable import CostperIngest
@testable import CostperVocabulary

/// Raw memory stays inside the hot readers, the safe byte view and the C bindings: eight Swift
/// files in all (docs/architecture.md names them). Domain code sees `Bytes`, whose every access is
/// checked.
@Suite struct RawMemoryTests {
    static let allowed: Set<String> = [
        "Sources/CostperIngest/Reading/ByteView.swift",        // the safe view itself, prefetch hints
        "Sources/CostperIngest/Reading/CSVReader.swift",       // hot reader
        "Sources/CostperIngest/Reading/JSONLinesReader.swift", // hot reader
        "Sources/CostperIO/MappedFile.swift",                  // mmap, and the POSIX calls that take pointers
        "Sources/GFM/GFMRenderer.swift",                       // cmark-gfm
        "Sources/XLSX/XLSXWriter.swift",                       // libxlsxwriter
        "Sources/SHA/SHA256.swift",                            // libcrypto
        "Sources/Gzip/Gunzip.swift",                           // zlib
    ]

    /// What counts as touching raw memory: naming a pointer type, asking for one, or reinterpreting memory.
    static let rawMarkers = ["UnsafePointer", "UnsafeMutablePointer", "UnsafeRawPointer", "UnsafeMutableRawPointer",
                             "UnsafeBufferPointer", "UnsafeMutableBufferPointer", "UnsafeRawBufferPointer",
                             "UnsafeMutableRawBufferPointer", "OpaquePointer", "withUnsafe", "withUTF8", "baseAddress",
                             "assumingMemoryBound", "bindMemory", "unsafeBitCast", "Unmanaged"]

    static func filesTouchingRawMemory() throws -> Set<String> {
        var out: Set<String> = []
        let sources = repoRoot.appendingPathComponent("Sources")
        let walker = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            if rawMarkers.contains(where: { text.contains($0) }) {
                out.insert(String(url.path.dropFirst(repoRoot.path.count + 1)))
            }
        }
        return out
    }

    @Test func rawMemoryIsInEightFilesAtMost() throws {
        let found = try Self.filesTouchingRawMemory()
        #expect(found.subtracting(Self.allowed).isEmpty, "raw memory outside the readers and bindings: \(found.subtracting(Self.allowed).sorted())")
        #expect(found.count <= 8)
        // The list names only files that still need it (a file that no longer does leaves the list).
        #expect(Self.allowed.subtracting(found).isEmpty, "listed but no longer raw: \(Self.allowed.subtracting(found).sorted())")
    }

    /// The view checks every access: a read past its end traps in the child process, not in silence.
    @Test func theViewReadsOnlyItsOwnBytes() {
        Bytes.of("2026-10-03T14:22:05Z") { b in
            #expect(b.count == 20)
            #expect(b[0] == UInt8(ascii: "2") && b[19] == UInt8(ascii: "Z"))
            let day = b.rebased(0..<10)
            #expect(String(decoding: day, as: UTF8.self) == "2026-10-03")
            #expect(day.word64(at: 2) == b.word64(at: 2))
            #expect(day.sameBytes(as: b.rebased(0..<10)) && !day.sameBytes(as: b.rebased(1..<11)))
            #expect(day.hash32 == b.rebased(0..<10).hash32)
            #expect(b.rebased(20..<20).isEmpty)
        }
        #expect(Bytes().isEmpty && Bytes().sameBytes(as: Bytes()))
        #expect(Bytes.of([0xC3, 0x28]) { $0.validUTF8 } == nil)
    }

    @Test func aReadPastTheEndTraps() async {
        await #expect(processExitsWith: .failure) {
            Bytes.of("abc") { b in _ = b[3] }
        }
        await #expect(processExitsWith: .failure) {
            Bytes.of("abcdefg") { b in _ = b.word64(at: 0) }
        }
        await #expect(processExitsWith: .failure) {
            Bytes.of("abc") { b in _ = b.rebased(1..<4) }
        }
    }
}
