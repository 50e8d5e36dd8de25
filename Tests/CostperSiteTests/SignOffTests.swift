// Sign-off of the board pack ([report] prepared_by, reviewed_by, status) and the report's date
// (--as-of): the settings refused when wrong, the page, the print header of every page, the PDF.
import Foundation
import Testing
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
@testable import CostperCore
@testable import CostperSite
@testable import CostperIO

@Suite(.serialized) struct SignOffTests {
    /// A copy of the tiny month with `[report]` lines added to its costper.toml.
    static func tinyWith(_ report: String) throws -> URL {
        let dir = try temporaryFolder("signoff").appendingPathComponent("input")
        try FileManager.default.copyItem(at: fixture("tiny"), to: dir)
        let toml = dir.appendingPathComponent("costper.toml")
        let text = try String(contentsOf: toml, encoding: .utf8)
        try (text + "\n[report]\n" + report + "\n").write(to: toml, atomically: true, encoding: .utf8)
        return dir
    }

    @Test func theSettingsAreReadAndAWrongOneIsRefused() throws {
        let c = try CostperConfig.parse("[report]\nprepared_by = \"A. Finance\"\nreviewed_by = \" B. Controller \"\nstatus = \"Draft\"\n")
        #expect(c.signOff == SignOff(preparedBy: "A. Finance", reviewedBy: "B. Controller", status: .draft))
        #expect(try CostperConfig.parse("company = \"X\"\n").signOff == nil)
        do {
            _ = try CostperConfig.parse("[report]\nstatus = \"approved\"\n")
            Issue.record("an unknown status was accepted")
        } catch {
            #expect(error.description == "costper.toml: report.status: must be \"draft\" or \"final\" (it is \"approved\")")
        }
        do {
            _ = try CostperConfig.parse("[report]\nreviewd_by = \"B\"\n")
            Issue.record("a mistyped key was accepted")
        } catch {
            #expect(error.description.contains("reviewd_by") && error.description.contains("reviewed_by"), "\(error)")
        }
        #expect(throws: ConfigError.self) { try CostperConfig.parse("[report]\nprepared_by = \"  \"\n") }
    }

    /// A draft says so under the title, at the top of the page and in the header of every printed
    /// page; a final pack carries no mark; --as-of is the date it was prepared.
    @Test func aDraftIsMarkedOnThePageAndInEveryPagesHeader() throws {
        let draft = try Self.tinyWith("prepared_by = \"A. Finance\"\nstatus = \"draft\"")
        let out = try temporaryFolder("signoff-site")
        let r = try runCostper(["report", "--input", draft.path, "--out", out.path, "--as-of", "2026-11-03"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("2026-10/index.html"), encoding: .utf8)
        #expect(page.contains("<p class=\"draft-mark\">DRAFT: not for circulation</p>"))
        #expect(page.contains("Prepared by A. Finance · reviewed by not yet reviewed · Draft: not for circulation."), "\(page.prefix(3000))")
        #expect(page.contains("@top-center { content: \"DRAFT · "), "the print header of every page")
        #expect(page.contains("Prepared 2026-11-03 00:00 UTC (--as-of)."), "\(page.prefix(2000))")
        let final = try Self.tinyWith("prepared_by = \"A. Finance\"\nreviewed_by = \"B. Controller\"\nstatus = \"final\"")
        let out2 = try temporaryFolder("signoff-final")
        #expect(try runCostper(["report", "--input", final.path, "--out", out2.path]).status == 0)
        let finalPage = try String(contentsOf: out2.appendingPathComponent("2026-10/index.html"), encoding: .utf8)
        #expect(!finalPage.contains("draft-mark") && !finalPage.contains("DRAFT"))
        #expect(finalPage.contains("Prepared by A. Finance · reviewed by B. Controller · Final."))
        let bad = try runCostper(["report", "--input", final.path, "--out", out2.path, "--as-of", "2026-02-30"])
        #expect(bad.status == 64 && bad.stderr.contains("--as-of must be a date YYYY-MM-DD (it is \"2026-02-30\")"), "\(bad.stderr)")
    }

    /// The PDF of a draft carries the mark on every page (pdftotext, page by page).
    @Test func aDraftsPDFIsMarkedOnEveryPage() throws {
        guard BoardPackFileTests.chromium != nil, BoardPackFileTests.tool("pdftotext"), BoardPackFileTests.tool("pdfinfo") else {
            print("skipped: needs chromium and poppler-utils (make test installs them)")
            return
        }
        let draft = try Self.tinyWith("status = \"draft\"")
        let out = try temporaryFolder("signoff-pdf")
        let r = try runCostper(["report", "--input", draft.path, "--out", out.path], pdf: true)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let pdf = out.appendingPathComponent("2026-10/report.pdf").path
        let info = try BoardPackFileTests.run("pdfinfo", [pdf]).out
        let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        #expect(pages >= 1)
        for p in 1...max(1, pages) {
            let text = try BoardPackFileTests.run("pdftotext", ["-f", "\(p)", "-l", "\(p)", pdf, "-"]).out
            #expect(text.contains("DRAFT"), "page \(p) of \(pages) has no draft mark")
        }
    }
}
