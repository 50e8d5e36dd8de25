import Foundation
import Testing
@testable import GFM

@Suite struct GFMBindingTests {
    @Test func rendersAGFMTable() throws {
        let html = try GFM.html("| a | b |\n|---|--:|\n| 1 | 2 |\n")
        #expect(html.contains("<table>"))
        #expect(html.contains("<th>a</th>"))
        #expect(html.contains("<td style=\"text-align: right\">2</td>"))   // HTML5: no obsolete align attribute
    }

    @Test func strikethroughAndAutolinkAreOn() throws {
        let html = try GFM.html("~~old~~ see https://example.com\n")
        #expect(html.contains("<del>old</del>"))
        #expect(html.contains("<a href=\"https://example.com\">"))
    }

    @Test func rawHTMLIsOmittedInSafeMode() throws {
        let html = try GFM.html("Hello <script>alert(1)</script> world\n\n<div onclick=\"x()\">block</div>\n")
        #expect(!html.contains("<script"))
        #expect(!html.contains("onclick"))
        #expect(html.contains("raw HTML omitted"))
    }

    @Test func javascriptLinkLosesItsHref() throws {
        let html = try GFM.html("[click](javascript:alert(1))\n")
        #expect(!html.contains("javascript:"))
        #expect(html.contains("<a href=\"\">click</a>"))
    }

    @Test func rendersAOneMegabyteDocument() throws {
        let row = "| tenant \(String(repeating: "x", count: 40)) | 1 | 2 |\n"
        var doc = "| a | b | c |\n|---|---|---|\n"
        while doc.utf8.count < 1_048_576 { doc += row }
        let html = try GFM.html(doc)
        #expect(html.hasPrefix("<table>"))
        #expect(html.utf8.count > doc.utf8.count)
    }

    @Test func emptyInputRendersEmpty() throws {
        #expect(try GFM.html("") == "")
    }

    @Test func everyExtensionIsPresent() throws {
        try GFM.checkExtensions()
        #expect(GFM.libraryVersion.contains("gfm"))
    }

    /// Every allocation the C side makes during a render is freed by the binding: counted exactly
    /// through the allocator the binding hands to cmark-gfm. (Resident memory was measured here
    /// before; with other suites running in the same process it moved by tens of MB either way,
    /// too noisy to tell a leak from the allocator, so the exact count replaced it.)
    @Test func repeatedRendersDoNotGrowMemory() throws {
        let doc = String(repeating: "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~some~~ *text* <b>raw</b> https://example.com\n\n", count: 200)
        let made = GFM.allocationsMade
        for _ in 0..<3000 { _ = try GFM.html(doc) }
        #expect(GFM.allocationsMade - made > 3000 * 100)   // parser, nodes and buffers go through the counter
        #expect(GFM.unfreedAllocations == 0)
    }

}

@Suite struct GFMConcurrencyTests {
    /// Many threads at once still get every extension (cmark-gfm's special-character table is global).
    @Test func concurrentRendersKeepEveryExtension() async throws {
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<64 { group.addTask { try GFM.html("~~old~~ see https://example.com\n\n| a |\n|---|\n| 1 |\n") } }
            for try await html in group {
                #expect(html.contains("<del>old</del>"))
                #expect(html.contains("<a href=\"https://example.com\">"))
                #expect(html.contains("<table>"))
            }
        }
    }
}
