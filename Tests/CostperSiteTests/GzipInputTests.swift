// Issue 27, item 3: .csv.gz exports (AWS Data Exports deliver FOCUS so) are read through zlib, or
// refused with a sentence; never skipped in silence.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperIO

@Suite struct GzipInputTests {
    /// `bytes` through the system gzip (-n: no name or time in the header).
    func gzip(_ bytes: Data) throws -> Data {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain")
        try bytes.write(to: plain)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gzip", "-n", "-9", plain.path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return try Data(contentsOf: dir.appendingPathComponent("plain.gz"))
    }

    /// The sample month's folder with focus_aws.csv given as `files` instead.
    func sample(_ files: [String: Data]) throws -> URL {
        let dir = try temporaryFolder()
        let src = repoRoot.appendingPathComponent("data/sample")
        for n in try FileManager.default.contentsOfDirectory(atPath: src.path) where n != "focus_aws.csv" {
            try FileManager.default.copyItem(at: src.appendingPathComponent(n), to: dir.appendingPathComponent(n))
        }
        for (n, d) in files { try d.write(to: dir.appendingPathComponent(n)) }
        return dir
    }

    static let focus = try! Data(contentsOf: repoRoot.appendingPathComponent("data/sample/focus_aws.csv"))
    /// The project's catalog: the sample's costper.toml prices a routing scenario at catalog models.
    static let prices = try! ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-10")

    func refusal(_ folder: URL) -> String? {
        do { _ = try accounts(folder, prices: Self.prices); return nil } catch let e as CostperError { #expect(e.exitCode == 65); return e.message } catch { return "\(error)" }
    }

    @Test func aGzippedFocusExportIsReadAsThePlainOne() throws {
        let plain = try accounts(repoRoot.appendingPathComponent("data/sample"), prices: Self.prices)
        let dir = try sample(["focus_aws.csv.gz": try gzip(Self.focus)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let zipped = try accounts(dir, prices: Self.prices)
        #expect(zipped.bills?.focusFiles == ["focus_aws.csv.gz"])
        #expect(zipped.bills?.lines == plain.bills?.lines)
        #expect(zipped.bills?.lines.reduce(0) { $0 + $1.net.nanos } == 504_000_000_000)
        #expect(zipped.total == plain.total)
        #expect(zipped.files.first { $0.file == "focus_aws.csv.gz" }?.rowsRead == 161)
        // Two gzip members one after the other (cat a.gz b.gz) are one file.
        let text = Self.focus
        let cut = text.firstIndex(of: 0x0A, after: text.count / 2)!
        let two = try gzip(text.prefix(through: cut)) + gzip(text.suffix(from: cut + 1))
        let dir2 = try sample(["focus_aws.csv.gz": two])
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(try accounts(dir2, prices: Self.prices).bills?.lines == plain.bills?.lines)
    }

    @Test func aDamagedGzipIsRefusedWithASentence() throws {
        let z = try gzip(Self.focus)
        for (bytes, message) in [
            (z.prefix(1000), "focus_aws.csv.gz cannot be gunzipped (the gzip data is cut short): check it with gzip -t, or export it again"),
            (Data("BilledCost,EffectiveCost\n".utf8), "focus_aws.csv.gz cannot be gunzipped (incorrect header check): check it with gzip -t, or export it again"),
            (z + Data("xx".utf8), "focus_aws.csv.gz cannot be gunzipped (bytes after the end of the gzip data): check it with gzip -t, or export it again"),
        ] {
            let dir = try sample(["focus_aws.csv.gz": Data(bytes)])
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(refusal(dir) == message)
        }
        // An empty one.
        let dir = try sample(["focus_aws.csv.gz": Data()])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(refusal(dir) == "focus_aws.csv.gz cannot be gunzipped (the file is empty): check it with gzip -t, or export it again")
    }

    @Test func aGzipThatExpandsBeyondTheLimitIsRefused() throws {
        // 64 MiB of zeros is 64 KiB gzipped: held in memory it would be far more than the file.
        let dir = try sample(["zeros.csv.gz": try gzip(Data(count: 64 << 20))])
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = try MappedFile(path: dir.appendingPathComponent("zeros.csv.gz").path, name: "zeros.csv.gz")
        #expect(throws: CostperError(.badData, "zeros.csv.gz expands to more than 32 MiB, which costper would hold in memory: gunzip it into the input folder instead (a plain file is read without holding it in memory)")) {
            _ = try InputFolder.gunzipped(f, limit: 32 << 20)
        }
        #expect(InputFolder.maxGunzippedBytes == 2 << 30)
    }
}

extension Data {
    func firstIndex(of byte: UInt8, after offset: Int) -> Int? { self[(startIndex + offset)...].firstIndex(of: byte) }
}
