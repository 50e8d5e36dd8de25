// Issue 27, item 1: `costper unpublish --month M --out DIR` takes a month out of a site. The later
// months are rendered again from their own records (their "last month" is no longer the removed
// one), everything published in one journalled step: the result is byte for byte the site a fresh
// publication of the other months gives, and a run killed at any moment leaves the old site or the
// new one.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperIO

@Suite(.serialized) struct UnpublishTests {
    static let clock = ["SOURCE_DATE_EPOCH": "1790000000"]

    /// Sept, Oct and Nov 2026 samples (200 tickets each, a seed each).
    static func inputs(_ dir: URL) throws -> [String: URL] {
        var out: [String: URL] = [:]
        for (m, seed) in [("2026-09", 2), ("2026-10", 3), ("2026-11", 4)] {
            let folder = dir.appendingPathComponent("in-\(m)")
            let r = try runCostper(["sample", "--tickets", "200", "--seed", String(seed), "--month", m, "--out", folder.path])
            #expect(r.status == 0, "\(r.stderr)")
            out[m] = folder
        }
        return out
    }

    static func publish(_ months: [String], _ inputs: [String: URL], into site: URL) throws {
        for m in months {
            let r = try runCostper(["report", "--input", inputs[m]!.path, "--out", site.path], environment: clock)
            #expect(r.status == 0, "\(m): \(r.stderr)")
        }
    }

    /// The site as a reader sees it: every file but costper's hidden working names.
    static func visible(_ site: URL) throws -> [String: Data] {
        try snapshot(site).filter { !$0.key.split(separator: "/").contains { $0.hasPrefix(".") } }
    }

    @Test func unpublishingOctoberGivesTheSiteOfSeptemberAndNovemberByteForByte() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = try Self.inputs(dir)
        let site = dir.appendingPathComponent("site"), fresh = dir.appendingPathComponent("fresh")
        try Self.publish(["2026-09", "2026-10", "2026-11"], inputs, into: site)
        try Self.publish(["2026-09", "2026-11"], inputs, into: fresh)
        let before = try snapshot(site)
        let novBefore = String(decoding: before["2026-11/report.md"]!, as: UTF8.self)
        #expect(novBefore.contains(" in October 2026 to "), "November compares itself with October before")

        let r = try runCostper(["unpublish", "--month", "2026-10", "--out", site.path], environment: Self.clock)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "costper: removed 2026-10 from \(site.path) (its folder and its line in the index)\ncostper: rendered the later months again without it: 2026-11\n")
        let after = try snapshot(site), expected = try snapshot(fresh)
        #expect(after == expected, "differs from a fresh publication: \(Set(after.keys).symmetricDifference(expected.keys).sorted())")
        // November's comparisons changed: against September now, and the index lost October.
        let novAfter = String(decoding: after["2026-11/report.md"]!, as: UTF8.self)
        #expect(novAfter != novBefore)
        #expect(!novAfter.contains(" in October 2026 to ") && novAfter.contains(" in September 2026 to "))
        #expect(novAfter.contains("(the latest earlier month in this site: October 2026 is not in it)"))
        #expect(!String(decoding: after["index.html"]!, as: UTF8.self).contains("2026-10"))
        #expect(after.keys.filter { $0.hasPrefix("2026-10") }.isEmpty)
        // September does not depend on later months: the same bytes as before.
        #expect(after.filter { $0.key.hasPrefix("2026-09/") } == before.filter { $0.key.hasPrefix("2026-09/") })
    }

    @Test func aMonthTheSiteDoesNotHoldIsRefusedListingTheMonthsItDoes() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = try Self.inputs(dir)
        let site = dir.appendingPathComponent("site")
        try Self.publish(["2026-09", "2026-10"], inputs, into: site)
        let before = try snapshot(site)
        let r = try runCostper(["unpublish", "--month", "2026-01", "--out", site.path])
        #expect(r.status == 66)
        #expect(r.stderr == "costper: error: 2026-01 is not published in \(site.path), which holds 2026-09, 2026-10. Did you mean 2026-09? Nothing was changed\n")
        #expect(try snapshot(site) == before)
        // Not a month at all: a usage error; no site there: not found, and nothing created.
        #expect(try runCostper(["unpublish", "--month", "Oct", "--out", site.path]).status == 64)
        let missing = dir.appendingPathComponent("nosite")
        let m = try runCostper(["unpublish", "--month", "2026-10", "--out", missing.path])
        #expect(m.status == 66)
        #expect(m.stderr == "costper: error: there is no site at \(missing.path) to remove 2026-10 from (no such folder); nothing was changed\n")
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }

    /// Removing the last month leaves a valid site of no month: the index says none is published
    /// (with the company's name), the tenants' trend is its header, the stylesheet stays; a month
    /// published into it afterwards gives the same site as into a new folder.
    @Test func removingTheLastMonthLeavesAnEmptyValidSite() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = try Self.inputs(dir)
        let site = dir.appendingPathComponent("site")
        try Self.publish(["2026-10"], inputs, into: site)
        let r = try runCostper(["unpublish", "--month", "2026-10", "--out", site.path], environment: Self.clock)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasSuffix("costper: \(site.path) now holds no month: its index says so\n"), "\(r.stdout)")
        let files = try snapshot(site)
        #expect(files.keys.sorted() == ["assets/style.css", "index.html", "tenants_by_month.csv"])
        let index = String(decoding: files["index.html"]!, as: UTF8.self)
        #expect(index.contains("<p>No month has been published yet.</p>"))
        #expect(index.contains("<h1>Northwind Support: AI support cost per resolved ticket</h1>"))
        #expect(String(decoding: files["tenants_by_month.csv"]!, as: UTF8.self) == "\u{FEFF}tenant,month,cost_usd,resolved_tickets,cost_per_resolved_ticket_usd\r\n")
        try Self.publish(["2026-11"], inputs, into: site)
        let fresh = dir.appendingPathComponent("fresh")
        try Self.publish(["2026-11"], inputs, into: fresh)
        #expect(try snapshot(site) == (try snapshot(fresh)))
    }

    /// SIGKILL at a random moment (0-600 ms; a whole run takes about 300 ms) of unpublish: once the next run has finished what a
    /// committed one left (Publisher.recover, under the lock, as every run starts), the site is
    /// exactly the one with October or the one without it, never a mix.
    @Test func aKilledUnpublishLeavesTheOldSiteOrTheNewOne() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs = try Self.inputs(dir)
        let site = dir.appendingPathComponent("site"), fresh = dir.appendingPathComponent("fresh")
        try Self.publish(["2026-09", "2026-10", "2026-11"], inputs, into: site)
        try Self.publish(["2026-09", "2026-11"], inputs, into: fresh)
        let old = try Self.visible(site), new = try Self.visible(fresh)
        #expect(old != new)
        var rng = SystemRandomNumberGenerator()
        var outcomes: [String: Int] = ["old": 0, "new": 0]
        for i in 0..<12 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: costperExe)
            p.arguments = ["unpublish", "--month", "2026-10", "--out", site.path]
            p.environment = ProcessInfo.processInfo.environment.merging(Self.clock) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 0...600_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            do {
                let lock = try Publisher.lock(out: site, waiting: { _ in })
                try Publisher.recover(out: site)
                withExtendedLifetime(lock) {}
            }
            let now = try Self.visible(site)
            #expect(now == old || now == new, "run \(i): neither the old nor the new site: \(now.keys.sorted())")
            if now == old { outcomes["old"]! += 1 } else if now == new { outcomes["new"]! += 1 }
            #expect(try snapshot(site).keys.filter { $0.contains(".costper-") }.isEmpty, "run \(i): a working folder is left")
            if now == new { try Self.publish(["2026-10"], inputs, into: site) }   // October back, for the next kill
            #expect(try Self.visible(site) == old)
        }
        #expect(outcomes["old"]! + outcomes["new"]! == 12)
        print("unpublish killed: \(outcomes["old"]!) times the old site, \(outcomes["new"]!) times the new one")
    }

    /// A run killed after its commit, between the journal's entries (November moved into place,
    /// October not yet removed, the index not yet replaced): the next run's recovery removes
    /// October and puts the index in place, and doing it again changes nothing.
    @Test func aRemovalLeftHalfwayByAKilledRunIsFinishedByTheNextRun() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        let site = dir.appendingPathComponent("site")
        for m in ["2026-10", "2026-11"] {
            try fm.createDirectory(at: site.appendingPathComponent(m), withIntermediateDirectories: true)
            try Data("old \(m)".utf8).write(to: site.appendingPathComponent("\(m)/month.json"))
        }
        try Data("old index".utf8).write(to: site.appendingPathComponent("index.html"))
        let commit = site.appendingPathComponent(Publisher.commitName)
        try fm.createDirectory(at: commit.appendingPathComponent(Publisher.asideName), withIntermediateDirectories: true)
        try Data("new index".utf8).write(to: commit.appendingPathComponent("index.html"))
        try Data("dir 2026-11\nremove 2026-10\nfile index.html\n".utf8).write(to: commit.appendingPathComponent(Publisher.journalName))
        // November was moved aside and the new one into place before the kill.
        try fm.moveItem(at: site.appendingPathComponent("2026-11"), to: commit.appendingPathComponent("\(Publisher.asideName)/2026-11"))
        try fm.createDirectory(at: site.appendingPathComponent("2026-11"), withIntermediateDirectories: false)
        try Data("new 2026-11".utf8).write(to: site.appendingPathComponent("2026-11/month.json"))
        try Publisher.recover(out: site)
        let expected = ["2026-11/month.json": Data("new 2026-11".utf8), "index.html": Data("new index".utf8)]
        #expect(try snapshot(site) == expected)
        try Publisher.recover(out: site)
        #expect(try snapshot(site) == expected)
    }
}
