import Foundation
import Testing

/// The stages import one way (SwiftPM refuses a cycle between targets); these hold what SwiftPM
/// does not check: a module that could reach a stage through another's dependencies does not
/// import it.
@Suite struct ModuleGraphTests {
    static func imports(of module: String) throws -> Set<String> {
        var out: Set<String> = []
        let folder = repoRoot.appendingPathComponent("Sources/\(module)")
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let url as URL in walker where url.pathExtension == "swift" {
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                if let i = words.firstIndex(of: "import"), i + 1 < words.count, i == 0 || words[0] == "@testable" {
                    out.insert(String(words[i + 1]))
                }
            }
        }
        return out
    }

    /// The site renders records: it speaks the vocabulary and reads the ledger, never the readers.
    @Test func theSiteDoesNotImportTheReaders() throws {
        let site = try Self.imports(of: "CostperSite")
        #expect(!site.contains("CostperIngest") && !site.contains("CostperIO") && !site.contains("CIngest"))
        #expect(site.contains("CostperVocabulary"))
    }

    /// Each stage imports only the stages before it.
    @Test func eachStageImportsOnlyEarlierStages() throws {
        let order = ["CostperMoney", "CostperVocabulary", "CostperIngest", "CostperCore", "CostperSite", "CostperIO", "costper"]
        for (i, module) in order.enumerated() {
            let later = Set(order[(i + 1)...])
            let found = try Self.imports(of: module).intersection(later)
            #expect(found.isEmpty, "\(module) imports a later stage: \(found.sorted())")
        }
        #expect(try Self.imports(of: "CostperVocabulary").isSubset(of: ["CostperMoney", "Foundation"]))
    }
}
