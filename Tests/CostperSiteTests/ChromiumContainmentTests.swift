// Issue 27, item 6: a Chromium that ignores SIGTERM is killed with its whole process group, and
// print folders left by a killed costper are removed by the next run.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperIO

@Suite(.serialized) struct ChromiumContainmentTests {
    /// Whether `pid` is gone (or a zombie waiting for its parent).
    func gone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }

    @Test func aChromiumThatIgnoresSigtermIsKilledWithItsProcessGroup() throws {
        let dir = try temporaryFolder()
        let pids = dir.appendingPathComponent("pids")
        let fake = dir.appendingPathComponent("chromium")
        // Ignores SIGTERM (as does the child it starts, which would be left behind as an orphan).
        try """
        #!/bin/sh
        trap '' TERM
        sleep 60 &
        echo "$$ $!" > \(pids.path)
        wait
        sleep 60
        """.write(to: fake, atomically: true, encoding: .utf8)
        chmod(fake.path, 0o755)
        let start = Date()
        var message = ""
        do {
            _ = try PrintedReport.render(html: "<p>x</p>", chromium: fake.path, clock: 0, timeout: 1, grace: 1)
        } catch { message = error.message }
        let took = Date().timeIntervalSince(start)
        #expect(message == "\(fake.path) did not print the report within 1 s (stopped: SIGTERM, then SIGKILL to its process group)")
        #expect(took < 10, "stopped after \(took) s")
        let ids = try String(contentsOf: pids, encoding: .utf8).split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int32($0) }
        #expect(ids.count == 2)
        usleep(200_000)
        for id in ids { #expect(gone(id), "process \(id) still runs") }
        // Its folder (and profile) is removed.
        let left = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("costper-print-\(getpid())-") }
        #expect(left.isEmpty)
    }

    @Test func printFoldersOfADeadRunAreRemovedByTheNext() throws {
        let temp = try temporaryFolder()
        // A pid that is no process: a child that has ended and been reaped.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        let dead = p.processIdentifier
        let stale = temp.appendingPathComponent("costper-print-\(dead)-123/profile")
        let alive = temp.appendingPathComponent("costper-print-\(getpid())-456/profile")
        let other = temp.appendingPathComponent("costper-printer-notes")
        for u in [stale, alive, other] { try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true) }
        PrintedReport.removeStaleFolders(in: temp)
        let names = try FileManager.default.contentsOfDirectory(atPath: temp.path).sorted()
        #expect(names == ["costper-print-\(getpid())-456", "costper-printer-notes"])
    }
}
