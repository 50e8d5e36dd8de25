// Issue 7, faults: an output folder that cannot be written, a full disk, and SIGKILL at random
// moments of publication. Each leaves the previous site byte-identical (or, for a kill, either the
// old or the new one) and the next run leaves nothing half-built behind.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite

/// Every file under `root` (hidden ones too), by relative path.
func snapshot(_ root: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    guard let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
    for case let url as URL in e where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
        out[String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))] = try Data(contentsOf: url)
    }
    return out
}

/// Two versions of the tiny month: B costs more, so every page differs.
func twoInputs() throws -> (a: URL, b: URL) {
    let base = try temporaryFolder("inputs")
    let a = base.appendingPathComponent("a"), b = base.appendingPathComponent("b")
    try FileManager.default.copyItem(at: fixture("tiny"), to: a)
    try FileManager.default.copyItem(at: fixture("tiny"), to: b)
    let fixed = b.appendingPathComponent("fixed_costs.csv")
    try "month,category,name,amount_usd\n2026-10,infrastructure,Hosting and queue,45.00\n".write(to: fixed, atomically: true, encoding: .utf8)
    return (a, b)
}

func runShell(_ script: String) throws -> (status: Int32, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = ["-c", script]
    p.currentDirectoryURL = repoRoot
    let err = Pipe()
    p.standardError = err
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: e, as: UTF8.self))
}

let costperExe = ProcessInfo.processInfo.environment["COSTPER_EXE"] ?? repoRoot.appendingPathComponent(".build/debug/costper").path

@Suite(.serialized) struct FaultTests {
    @Test func anOutputPathUnderAFileExits73() throws {
        let dir = try temporaryFolder()
        let file = dir.appendingPathComponent("file.txt")
        try "not a folder".write(to: file, atomically: true, encoding: .utf8)
        let r = try runCostper(["report", "--input", fixture("tiny").path, "--out", file.appendingPathComponent("site").path])
        #expect(r.status == 73)
        #expect(r.stderr.hasPrefix("costper: error: cannot create the output folder ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "not a folder")
    }

    /// Runs `body` with a small tmpfs mounted on a fresh folder (root only; nil when it cannot be
    /// mounted here, e.g. not root or no CAP_SYS_ADMIN).
    func withTmpfs(sizeKiB: Int, _ body: (URL) throws -> Void) throws -> Bool {
        guard geteuid() == 0 else { return false }
        let dir = try temporaryFolder("tmpfs")
        guard try runShell("mount -t tmpfs -o size=\(sizeKiB)k costper-test '\(dir.path)'").status == 0 else { return false }
        defer { _ = try? runShell("umount '\(dir.path)'") }
        try body(dir)
        return true
    }

    /// A read-only output folder. Not root: chmod 0555 on the site and its parent. Root ignores
    /// permission bits, so there the site lives on a tmpfs remounted read-only.
    @Test func aReadOnlyOutputFolderExits73AndKeepsTheSite() throws {
        let (a, b) = try twoInputs()
        if geteuid() == 0 {
            let mounted = try withTmpfs(sizeKiB: 4096) { dir in
                let out = dir.appendingPathComponent("site")
                #expect(try runCostper(["report", "--input", a.path, "--out", out.path]).status == 0)
                let before = try snapshot(dir)
                #expect(try runShell("mount -o remount,ro '\(dir.path)'").status == 0)
                let r = try runCostper(["report", "--input", b.path, "--out", out.path])
                #expect(r.status == 73, "\(r.stderr)")
                #expect(r.stderr.hasPrefix("costper: error: cannot ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)")
                #expect(try snapshot(dir) == before)
            }
            if !mounted { print("FaultTests: skipped the read-only folder under root: cannot mount a tmpfs here (chmod does not bind root)") }
            return
        }
        let out = try temporaryFolder().appendingPathComponent("site")
        #expect(try runCostper(["report", "--input", a.path, "--out", out.path]).status == 0)
        let before = try snapshot(out.deletingLastPathComponent())
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: out.deletingLastPathComponent().path)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out.deletingLastPathComponent().path)
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: out.path)
        }
        let r = try runCostper(["report", "--input", b.path, "--out", out.path])
        #expect(r.status == 73)
        #expect(r.stderr.contains("cannot write to the output folder"), "\(r.stderr)")
        #expect(try snapshot(out.deletingLastPathComponent()) == before)
    }

    /// A really full disk (a tmpfs filled to the last byte; root only): ENOSPC, exit 73, the
    /// previous site unchanged.
    @Test func aFullTmpfsExits73AndKeepsThePreviousSite() throws {
        let (a, b) = try twoInputs()
        let mounted = try withTmpfs(sizeKiB: 2048) { dir in
            let out = dir.appendingPathComponent("site")
            #expect(try runCostper(["report", "--input", a.path, "--out", out.path]).status == 0)
            _ = try runShell("dd if=/dev/zero of='\(dir.path)/filler' bs=4k 2>/dev/null")   // until ENOSPC
            let before = try snapshot(dir)
            let r = try runCostper(["report", "--input", b.path, "--out", out.path])
            #expect(r.status == 73, "\(r.stderr)")
            #expect(r.stderr.hasPrefix("costper: error: cannot ") && r.stderr.contains("No space left on device"), "\(r.stderr)")
            #expect(try snapshot(dir) == before)
        }
        if !mounted { print("FaultTests: skipped the full tmpfs: cannot mount one here (not root or no CAP_SYS_ADMIN); the ulimit -f test covers the write path") }
    }

    /// A full disk, as a file-size limit: `ulimit -f` makes every write past it fail with EFBIG
    /// (costper ignores SIGXFSZ): at 4 KiB the first large file fails, at 16 KiB the month's page.
    @Test(arguments: [4, 16])
    func aFullDiskExits73AndKeepsThePreviousSite(_ limitKiB: Int) throws {
        let (a, b) = try twoInputs()
        let out = try temporaryFolder("fulldisk\(limitKiB)").appendingPathComponent("site")
        #expect(try runCostper(["report", "--input", a.path, "--out", out.path]).status == 0)
        let before = try snapshot(out.deletingLastPathComponent())
        let r = try runShell("ulimit -f \(limitKiB); exec '\(costperExe)' report --input '\(b.path)' --out '\(out.path)'")
        #expect(r.status == 73, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("costper: error: cannot write ") && r.stderr.contains("too large"), "\(r.stderr)")
        #expect(r.stderr.filter { $0 == "\n" }.count == 1)
        let after = try snapshot(out.deletingLastPathComponent())
        #expect(after.keys.sorted() == before.keys.sorted())
        #expect(after == before, "the previous site changed")
    }

    /// SIGKILL after a random delay (0-300 ms) of `costper report`, alternating two inputs: the
    /// month folder is always exactly the old or the new one, so are index.html and the stylesheet,
    /// and the next complete run leaves no staging folder or temporary file behind.
    @Test func sigkillDuringPublicationLeavesAWholeSite() throws {
        let (a, b) = try twoInputs()
        let out = try temporaryFolder().appendingPathComponent("site")
        func publish(_ input: URL) throws -> [String: Data] {
            let r = try runCostper(["report", "--input", input.path, "--out", out.path])
            #expect(r.status == 0, "\(r.stderr)")
            return try snapshot(out)
        }
        let siteB = try publish(b)
        let siteA = try publish(a)
        #expect(siteA != siteB)
        func part(_ s: [String: Data], _ prefix: String) -> [String: Data] { s.filter { $0.key.hasPrefix(prefix) } }
        var rng = SystemRandomNumberGenerator()
        var killedMidway = 0
        for i in 0..<24 {
            let input = i % 2 == 0 ? b : a
            let p = Process()
            p.executableURL = URL(fileURLWithPath: costperExe)
            p.arguments = ["report", "--input", input.path, "--out", out.path]
            p.currentDirectoryURL = repoRoot
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 0...300_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { killedMidway += 1 }
            let now = try snapshot(out).filter { !$0.key.split(separator: "/").last!.hasPrefix(".costper-tmp-") }
            for prefix in ["2026-10/", "index.html", "assets/"] {
                let got = part(now, prefix)
                #expect(got == part(siteA, prefix) || got == part(siteB, prefix), "run \(i): \(prefix) is neither the old nor the new site: \(got.keys.sorted())")
            }
        }
        #expect(killedMidway > 0, "no run was killed before it finished")
        // The next run cleans up whatever the killed ones left.
        #expect(try publish(a) == siteA)
        let beside = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(beside == ["site"], "\(beside)")
        let hidden = try snapshot(out).keys.filter { $0.contains(".costper-") }
        #expect(hidden.isEmpty, "\(hidden)")
    }
}
