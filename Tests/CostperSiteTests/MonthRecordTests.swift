@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
@testable import CostperIO

/// The month as a record: month.json round-trips exactly, the site is rendered from the records,
/// and a record that cannot be trusted stops the publication with a sentence, changing nothing.
@Suite struct MonthRecordTests {
    /// Every file under `root`, by relative path (hidden ones too).
    static func tree(_ root: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in e where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.path.dropFirst(root.path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    static func sample(_ month: String, seed: Int, into dir: URL, currency: String? = nil) throws -> URL {
        let folder = dir.appendingPathComponent("in-\(month)-\(seed)")
        let r = try runCostper(["sample", "--tickets", "200", "--seed", String(seed), "--month", month, "--out", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        if let currency {
            let url = folder.appendingPathComponent("costper.toml")
            var toml = try String(contentsOf: url, encoding: .utf8)
            toml = toml.replacingOccurrences(of: "currency = \"USD\"", with: "currency = \"\(currency)\"") + "\n[fx]\n\"\(month)\" = 0.9215\n"
            try toml.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test func aRecordReadBackIsTheSameRecordAndRendersTheSameFiles() throws {
        let record = try closeTestMonth(repoRoot.appendingPathComponent("data/sample"), prices: try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-10"),
                                        pack: BoardPack(xlsx: true, inputsDigest: "ab"))
        let bytes = try MonthStore.encode(record)
        let back = try MonthStore.decode(bytes, month: record.month, path: "month.json")
        #expect(try MonthStore.encode(back) == bytes)
        // Exact decimals: money as nine-decimal strings, ratios as fractions, never a binary float.
        let text = String(decoding: bytes, as: UTF8.self)
        let total = record.report.accounts.total
        #expect(total.formatted(decimals: 2) == "4559.98")
        #expect(text.contains("\"total\":\"\(total.formatted(decimals: 9))\""), "the sample's total, to the nano")
        #expect(text.contains("\"schemaVersion\":1"))
        let templates = try repoTemplates()
        let a = try Site.render([record], templates: templates), b = try Site.render([back], templates: templates)
        #expect(a == b)
        // The reference stack's ticket is rendered from the record's own register, not stored beside it.
        #expect(!text.contains("referenceStackPerTicket"))
        let md = String(decoding: a[record.month]!.files["report.md"]!, as: UTF8.self)
        #expect(md.contains("the reference stack (an illustrative $0.52 ticket)"))
        #expect(a.months.first?.files["summary.json"] != nil && a.months.first?.workbook != nil)
    }

    @Test func everyStoredPropertyOfTheAccountsIsInTheRecordOrNamedWorkingData() throws {
        let accounts = try closeTestMonth(fixture("tiny"), prices: tinyPrices).report.accounts
        let stored = Set(Mirror(reflecting: accounts.entries).children.compactMap(\.label))
        let kept = Set(MonthAccountEntries.CodingKeys.allCases.map(\.rawValue))
        #expect(stored == kept.union(MonthAccountEntries.workingProperties), "not in CodingKeys: \(stored.subtracting(kept).subtracting(MonthAccountEntries.workingProperties).sorted())")
        // Sealed: the accounts hold their entries and nothing else, as a constant.
        #expect(Mirror(reflecting: accounts).children.map(\.label) == ["entries"])
    }

    @Test func aDamagedNewerOrInconsistentRecordIsRefusedNamingTheMonth() throws {
        let record = try closeTestMonth(fixture("tiny"), prices: tinyPrices)
        let bytes = try MonthStore.encode(record)
        let text = String(decoding: bytes, as: UTF8.self)
        func refusal(_ s: String) -> String {
            do { _ = try MonthStore.decode(Array(s.utf8), month: record.month, path: "site/2026-10/month.json"); return "accepted" } catch { return error.message }
        }
        #expect(refusal(String(text.prefix(200))) == "site/2026-10/month.json is not a month record costper can read (damaged, or not written by costper): publish 2026-10 again (costper report --month 2026-10 --input <its exports> --out <this site>); nothing in the site was changed")
        #expect(refusal(text.replacingOccurrences(of: "\"schemaVersion\":1", with: "\"schemaVersion\":2")) == "site/2026-10/month.json was written by a newer costper (record schema 2; this costper reads schema 1): publish with that costper or a newer one; nothing in the site was changed")
        // A hand-edited total no longer matches its categories.
        let total = record.report.accounts.total.formatted(decimals: 9)
        let edited = text.replacingOccurrences(of: "\"total\":\"\(total)\"", with: "\"total\":\"99.000000000\"")
        #expect(edited != text)
        #expect(refusal(edited).hasPrefix("site/2026-10/month.json does not hold together (its cost categories add up to \(total), its total is 99.000000000): publish 2026-10 again"))
        #expect(refusal(text.replacingOccurrences(of: "\"total\":\"\(total)\"", with: "\"total\":\"1e3\"")).contains("is not a month record costper can read (.report.accounts.total: 1e3 is not an amount with at most 9 decimals)"))
    }

    @Test func aMonthInAnotherCurrencyIsRefusedNamingBoth() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let oct = try Self.sample("2026-10", seed: 3, into: dir), sep = try Self.sample("2026-09", seed: 2, into: dir, currency: "EUR")
        let site = dir.appendingPathComponent("site")
        #expect(try runCostper(["report", "--input", oct.path, "--out", site.path]).status == 0)
        let before = try Self.tree(site)
        let r = try runCostper(["report", "--input", sep.path, "--out", site.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("2026-09 is reported in EUR, but \(site.path) holds 2026-10 in USD: a site has one reporting currency, so months are never compared across currencies. Publish 2026-09 into another --out, or set currency = \"USD\" in its costper.toml; nothing in the site was changed"), "\(r.stderr)")
        #expect(try Self.tree(site) == before)
    }

    @Test func aCorruptEarlierRecordStopsTheNextPublicationAndChangesNothing() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sep = try Self.sample("2026-09", seed: 2, into: dir), oct = try Self.sample("2026-10", seed: 3, into: dir)
        let site = dir.appendingPathComponent("site")
        #expect(try runCostper(["report", "--input", sep.path, "--out", site.path]).status == 0)
        try Data("{\"schemaVersion\":1,".utf8).write(to: site.appendingPathComponent("2026-09/month.json"))
        let before = try Self.tree(site)
        let r = try runCostper(["report", "--input", oct.path, "--out", site.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("2026-09/month.json is not a month record costper can read"), "\(r.stderr)")
        #expect(r.stderr.contains("publish 2026-09 again"))
        #expect(try Self.tree(site) == before)
        // Publishing September again repairs it, and October then publishes against it.
        #expect(try runCostper(["report", "--input", sep.path, "--out", site.path]).status == 0)
        #expect(try runCostper(["report", "--input", oct.path, "--out", site.path]).status == 0)
        let octMD = try String(contentsOf: site.appendingPathComponent("2026-10/report.md"), encoding: .utf8)
        #expect(octMD.contains("September 2026"))
    }

    @Test func aSiteOfTheEarlierVersionIsRefusedNotGuessed() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sep = try Self.sample("2026-09", seed: 2, into: dir), oct = try Self.sample("2026-10", seed: 3, into: dir)
        let site = dir.appendingPathComponent("site")
        #expect(try runCostper(["report", "--input", sep.path, "--out", site.path]).status == 0)
        try FileManager.default.removeItem(at: site.appendingPathComponent("2026-09/month.json"))   // as the previous version wrote it
        let before = try Self.tree(site)
        let r = try runCostper(["report", "--input", oct.path, "--out", site.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("holds a month published by an earlier costper (2026-09: summary.json, no month.json)"), "\(r.stderr)")
        #expect(try Self.tree(site) == before)
        // Publishing that month again with this version upgrades it.
        #expect(try runCostper(["report", "--input", sep.path, "--out", site.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("2026-09/month.json").path))
    }

    @Test func aCommittedPublicationIsRolledForwardByTheNextRun() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = dir.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("2026-09"), withIntermediateDirectories: true)
        try Data("old".utf8).write(to: site.appendingPathComponent("2026-09/a.csv"))
        try Data("old index".utf8).write(to: site.appendingPathComponent("index.html"))
        // A run killed after its commit, having moved only the first of its entries into place.
        let commit = site.appendingPathComponent(Publisher.commitName)
        try FileManager.default.createDirectory(at: commit.appendingPathComponent("2026-10"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: commit.appendingPathComponent("2026-09"), withIntermediateDirectories: true)
        try Data("new".utf8).write(to: commit.appendingPathComponent("2026-09/a.csv"))
        try Data("new index".utf8).write(to: commit.appendingPathComponent("index.html"))
        try Data("dir 2026-10\ndir 2026-09\nfile index.html\n".utf8).write(to: commit.appendingPathComponent(Publisher.journalName))
        try FileManager.default.moveItem(at: commit.appendingPathComponent("2026-10"), to: site.appendingPathComponent("2026-10"))
        try Publisher.recover(out: site)
        #expect(try Self.tree(site) == ["2026-09/a.csv": Data("new".utf8), "index.html": Data("new index".utf8)])
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("2026-10").path))
        #expect(!FileManager.default.fileExists(atPath: commit.path))
        // Rolled forward again (a second kill): nothing changes.
        try Publisher.recover(out: site)
        #expect(try Self.tree(site) == ["2026-09/a.csv": Data("new".utf8), "index.html": Data("new index".utf8)])
    }

    @Test func aLinkOrAFileWhereAMonthGoesIsRefusedBeforeAnythingMoves() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let oct = try Self.sample("2026-10", seed: 3, into: dir)
        for kind in ["file", "link"] {
            let site = dir.appendingPathComponent("site-\(kind)")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            let outside = dir.appendingPathComponent("outside-\(kind)")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            if kind == "file" {
                try Data("not a folder".utf8).write(to: site.appendingPathComponent("2026-10"))
            } else {
                try FileManager.default.createSymbolicLink(at: site.appendingPathComponent("2026-10"), withDestinationURL: outside)
            }
            let before = try Self.tree(site)
            let r = try runCostper(["report", "--input", oct.path, "--out", site.path])
            #expect(r.status == 73, "\(kind): \(r.stderr)")
            let expected = kind == "file" ? "2026-10 is a file where the folder 2026-10 goes" : "2026-10 is a symbolic link: costper writes only into folders and files it made inside --out, never through a link"
            #expect(r.stderr.contains(expected), "\(r.stderr)")
            #expect(try Self.tree(site) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasPrefix(".") }.isEmpty)
        }
    }

    /// A later month whose page changes and whose PDF cannot be printed again loses the PDF and
    /// its link, named in a notice; never a stale PDF beside a new page.
    @Test func aLaterPDFThatCannotBePrintedAgainIsRemovedWithItsLink() throws {
        guard PrintedReport.findChromium(path: ProcessInfo.processInfo.environment["PATH"]) != nil else {
            print("skipped: chromium is not installed (make test installs it)")
            return
        }
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sep = try Self.sample("2026-09", seed: 2, into: dir), oct = try Self.sample("2026-10", seed: 3, into: dir)
        let site = dir.appendingPathComponent("site")
        #expect(try runCostper(["report", "--input", oct.path, "--out", site.path], pdf: true).status == 0)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("2026-10/report.pdf").path))
        let r = try runCostper(["report", "--no-pdf", "--input", sep.path, "--out", site.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("notice: report.pdf of 2026-10 removed, with its link: its page changed and headless Chromium is not there to print it again"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("2026-10/report.pdf").path))
        let page = try String(contentsOf: site.appendingPathComponent("2026-10/index.html"), encoding: .utf8)
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!page.contains("report.pdf") && !index.contains("2026-10/report.pdf"))
        #expect(index.contains("2026-10/report.xlsx"))
    }
}
