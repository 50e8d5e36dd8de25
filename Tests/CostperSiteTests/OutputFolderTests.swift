// Issue 27, item 7: the output folder is costper's only. A symbolic link planted where a month
// folder goes, at assets/, at a file inside the hidden staging folder, or in place of the staging
// folder itself is never written through: the run stops with a sentence and nothing is written
// outside --out. A file where a folder goes, a folder where index.html goes and a read-only site
// are refused before anything in the site changes.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperIO

@Suite(.serialized) struct OutputFolderTests {
    /// A site of the tiny month (published by the executable) and an empty folder outside it.
    func site(_ dir: URL) throws -> (site: URL, outside: URL) {
        let site = dir.appendingPathComponent("site"), outside = dir.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let r = try runCostper(["report", "--input", fixture("tiny").path, "--out", site.path])
        #expect(r.status == 0, "\(r.stderr)")
        return (site, outside)
    }

    @Test func aLinkAtAssetsIsRefusedAndNothingIsWrittenThroughIt() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (site, outside) = try site(dir)
        try Data("body { color: red }".utf8).write(to: outside.appendingPathComponent("style.css"))
        try FileManager.default.removeItem(at: site.appendingPathComponent("assets"))
        try FileManager.default.createSymbolicLink(at: site.appendingPathComponent("assets"), withDestinationURL: outside)
        let before = try snapshot(site)
        let r = try runCostper(["report", "--input", fixture("tiny").path, "--out", site.path])
        #expect(r.status == 73)
        #expect(r.stderr == "costper: error: \(site.path)/assets is a symbolic link: costper writes only into folders and files it made inside --out, never through a link. Remove the link or publish into another --out; nothing in the site was changed\n")
        #expect(try snapshot(site) == before)
        #expect(try snapshot(outside) == ["style.css": Data("body { color: red }".utf8)])
        // unpublish re-renders the index and the stylesheet: refused the same way.
        let u = try runCostper(["unpublish", "--month", "2026-10", "--out", site.path])
        #expect(u.status == 73)
        #expect(u.stderr.contains("/assets is a symbolic link"), "\(u.stderr)")
        #expect(try snapshot(outside) == ["style.css": Data("body { color: red }".utf8)])
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("2026-10/month.json").path))
    }

    /// A month folder that is a link to a copy of the month elsewhere: unpublish reads it, but
    /// neither removes it nor anything behind it.
    @Test func unpublishingAMonthThatIsALinkRemovesNothingBehindIt() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (site, outside) = try site(dir)
        let copy = outside.appendingPathComponent("2026-10")
        try FileManager.default.moveItem(at: site.appendingPathComponent("2026-10"), to: copy)
        try FileManager.default.createSymbolicLink(at: site.appendingPathComponent("2026-10"), withDestinationURL: copy)
        let outsideBefore = try snapshot(outside), before = try snapshot(site)
        let r = try runCostper(["unpublish", "--month", "2026-10", "--out", site.path])
        #expect(r.status == 73)
        #expect(r.stderr.hasPrefix("costper: error: \(site.path)/2026-10 is a symbolic link: costper writes only into folders and files it made inside --out"), "\(r.stderr)")
        #expect(try snapshot(outside) == outsideBefore)
        #expect(try snapshot(site) == before)
    }

    @Test func aFolderWhereIndexHtmlGoesIsRefusedBeforeTheMonthIsSwappedIn() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (site, _) = try site(dir)
        try FileManager.default.removeItem(at: site.appendingPathComponent("index.html"))
        try FileManager.default.createDirectory(at: site.appendingPathComponent("index.html"), withIntermediateDirectories: false)
        let before = try snapshot(site)
        let r = try runCostper(["report", "--input", fixture("tiny").path, "--out", site.path])
        #expect(r.status == 73)
        #expect(r.stderr == "costper: error: \(site.path)/index.html is not a plain file, where costper writes index.html: move it out of the site or publish into another --out; nothing in the site was changed\n")
        #expect(try snapshot(site) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    /// The tiny month's folder, with a writer (run after the month's other files, before the shared
    /// ones) that plants something in the staging folder while the publication writes into it.
    func publishPlanting(_ site: URL, plant: @escaping @Sendable (URL) throws -> Void) throws -> String? {
        let built = try buildMonth(fixture("tiny"), prices: tinyPrices)
        let staging = site.appendingPathComponent(Publisher.stagingPrefix + String(getpid()))
        let folder = MonthFolder(month: built.record.month, files: built.monthFiles, writers: ["planted.txt": { url throws(CostperError) in
            do { try plant(staging) } catch { Issue.record("planting failed: \(error)") }
            _ = url
        }])
        do {
            try Publisher.publish(out: site, months: [folder], rootFiles: built.rootFiles)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func aLinkPlantedAtAFileInsideTheStagingIsNotWrittenThrough() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (site, outside) = try site(dir)
        let target = outside.appendingPathComponent("victim.html")
        try Data("theirs".utf8).write(to: target)
        let before = try snapshot(site)
        let message = try publishPlanting(site) { staging in
            try FileManager.default.createSymbolicLink(at: staging.appendingPathComponent("index.html"), withDestinationURL: target)
        }
        #expect(message == "cannot write the report into \(site.path) (writing \(site.path)/\(Publisher.stagingPrefix)\(getpid())/index.html: File exists); nothing in the site was changed")
        #expect(try Data(contentsOf: target) == Data("theirs".utf8))
        #expect(try snapshot(site) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    /// The staging folder renamed away and a link to a folder outside put in its place: the files
    /// still go into the folder costper made (by its handle), and the link is never committed.
    @Test func theStagingFolderSwappedForALinkIsNeitherWrittenThroughNorCommitted() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (site, outside) = try site(dir)
        let before = try snapshot(site)
        let message = try publishPlanting(site) { staging in
            try FileManager.default.moveItem(at: staging, to: site.appendingPathComponent(Publisher.stagingPrefix + "moved"))
            try FileManager.default.createSymbolicLink(at: staging, withDestinationURL: outside)
        }
        #expect(message == "cannot publish into \(site.path): its staging folder \(Publisher.stagingPrefix)\(getpid()) was replaced while costper wrote into it (by a link or another folder), so nothing is moved into place; nothing in the site was changed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "written through the link")
        // The moved folder got the index and the stylesheet instead; the next run removes it.
        let moved = site.appendingPathComponent(Publisher.stagingPrefix + "moved")
        #expect(FileManager.default.fileExists(atPath: moved.appendingPathComponent("index.html").path))
        #expect(FileManager.default.fileExists(atPath: moved.appendingPathComponent("assets/style.css").path))
        try Publisher.recover(out: site)
        #expect(try snapshot(site) == before.filter { !$0.key.hasPrefix(".") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    /// A commit folder that is a link (planted, or left by something else) is not applied: removed
    /// as a link, what it points to untouched.
    @Test func aCommitFolderThatIsALinkIsNotRolledForward() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (site, outside) = try site(dir)
        try FileManager.default.createDirectory(at: outside.appendingPathComponent("2026-10"), withIntermediateDirectories: true)
        try Data("dir 2026-10\n".utf8).write(to: outside.appendingPathComponent(Publisher.journalName))
        let outsideBefore = try snapshot(outside), before = try snapshot(site)
        try FileManager.default.createSymbolicLink(at: site.appendingPathComponent(Publisher.commitName), withDestinationURL: outside)
        try Publisher.recover(out: site)
        #expect(try snapshot(site) == before)
        #expect(try snapshot(outside) == outsideBefore)
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("2026-10").path))
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent(Publisher.commitName).path))
    }

    /// A read-only site: unpublish is refused before anything changes. Root ignores permission
    /// bits, so there the site is on a tmpfs remounted read-only.
    @Test func aReadOnlySiteIsRefusedBeforeAnythingChanges() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        func check(_ site: URL, _ root: URL) throws {
            let before = try snapshot(root)
            let r = try runCostper(["unpublish", "--month", "2026-10", "--out", site.path])
            #expect(r.status == 73, "\(r.stderr)")
            #expect(r.stderr == "costper: error: cannot write to the output folder \(site.path): permission denied\n", "\(r.stderr)")
            #expect(try snapshot(root) == before)
        }
        if geteuid() == 0 {
            let mountPoint = dir.appendingPathComponent("tmpfs")
            try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
            guard try runShell("mount -t tmpfs -o size=4096k costper-test '\(mountPoint.path)'").status == 0 else {
                print("OutputFolderTests: skipped the read-only site under root: cannot mount a tmpfs here")
                return
            }
            defer { _ = try? runShell("umount '\(mountPoint.path)'") }
            let site = mountPoint.appendingPathComponent("site")
            #expect(try runCostper(["report", "--input", fixture("tiny").path, "--out", site.path]).status == 0)
            #expect(try runShell("mount -o remount,ro '\(mountPoint.path)'").status == 0)
            try check(site, mountPoint)
            return
        }
        let (site, _) = try site(dir)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: site.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: site.path) }
        try check(site, site)
    }
}
