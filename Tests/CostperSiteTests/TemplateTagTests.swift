@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
@testable import CostperIO

/// Every tag of the built-in templates is a value costper gives that template, every value costper
/// gives is used by a template, and a user's template naming anything else is refused with its
/// file and line.
@Suite struct TemplateTagTests {
    /// Every key of a context, at any depth of its sections.
    static func keys(_ v: Any) -> Set<String> {
        var out = Set<String>()
        if let d = v as? [String: Any] {
            for (k, x) in d { out.insert(k); out.formUnion(keys(x)) }
        } else if let a = v as? [Any] {
            for x in a { out.formUnion(keys(x)) }
        }
        return out
    }

    /// The contexts of a month with everything in it: the sample month (margins, bills, a plan)
    /// after an earlier month with a plan for it, and the index of both.
    static func contexts() throws -> (report: Set<String>, layout: Set<String>, index: Set<String>) {
        let sample = repoRoot.appendingPathComponent("data/sample")
        let forecast = try String(contentsOf: sample.appendingPathComponent("forecast.csv"), encoding: .utf8)
        let record = try closeTestMonth(sample, prices: try ProjectFiles.priceCatalog(path: nil, dataFolder: nil, month: "2026-10"),
                                        forecast: forecast, pack: BoardPack(pdf: true, xlsx: true, inputsDigest: "ab"))
        var earlier = relabelled(record.published, "2026-09")
        earlier.plans = [PlannedLine(month: record.month, domain: "support", serviceType: "", volume: 100, costPerOutcome: Quotient(1))]
        var r = record.report
        r.earlier = [earlier]
        r.previousMonth = earlier.month
        r.previousCostPerResolved = earlier.costPerResolved
        let comparison = EarlierComparison(r)
        let report = SiteBuilder.reportContext(r, comparison, planBlock: "")
        let layout = SiteBuilder.layoutContext(r, body: "")
        let index = SiteBuilder.indexContext([earlier, record.published], company: "x", show: .usd)
        return (keys(report), keys(layout), keys(index))
    }

    @Test func theBuiltInTemplatesNameOnlyTheValuesTheSiteGivesAndUseThemAll() throws {
        let c = try Self.contexts()
        let texts = try ProjectFiles.templates(folder: nil)
        for (name, text, given, listed) in [(TemplateFile.report, texts.report, c.report, TemplateTags.report),
                                            (TemplateFile.layout, texts.layout, c.layout, TemplateTags.layout),
                                            (TemplateFile.index, texts.index, c.index, TemplateTags.index)] {
            let used = Set(TemplateTags.tags(in: text).map(\.name))
            // The lists are the values the site gives (the sample gives all but the invoice-gap allocation rows').
            let onlyWithData: Set<String> = name == TemplateFile.report ? ["model", "gap", "after"] : []
            #expect(given.subtracting(listed).isEmpty, "\(name): the site gives values TemplateTags does not list: \(given.subtracting(listed).sorted())")
            #expect(listed.subtracting(given).subtracting(onlyWithData).isEmpty, "\(name): TemplateTags lists values the site does not give: \(listed.subtracting(given).subtracting(onlyWithData).sorted())")
            // Every tag of the template is a value of its model, and every value is shown (or kept for users' templates).
            #expect(used.subtracting(listed).isEmpty, "\(name) names values the site does not give: \(used.subtracting(listed).sorted())")
            #expect(listed.subtracting(used).subtracting(TemplateTags.forUserTemplates).isEmpty,
                    "the site gives \(name) values no template uses: \(listed.subtracting(used).subtracting(TemplateTags.forUserTemplates).sorted())")
        }
    }

    @Test func aMistypedTagInAUsersTemplateIsRefusedWithItsFileAndLine() throws {
        let texts = try ProjectFiles.templates(folder: nil)
        let mistyped = texts.report.replacingOccurrences(of: "{{cost_per_resolved}}", with: "{{cost_per_resolvd}}")
        #expect(mistyped != texts.report)
        let line = mistyped.prefix(upTo: mistyped.range(of: "{{cost_per_resolvd}}")!.lowerBound).filter { $0 == "\n" }.count + 1
        do {
            _ = try TemplateSet(report: mistyped, layout: texts.layout, index: texts.index, stylesheet: texts.stylesheet, folder: "mine")
            Issue.record("a mistyped tag was accepted")
        } catch {
            #expect(error.message == "mine/report.md.mustache:\(line): template error: {{cost_per_resolvd}} is not a value costper gives this template, so it would print as nothing (did you mean {{cost_per_resolved}}?); the values are listed in docs/templates.md")
        }
        // Sections, inverted sections, triple mustaches and dotted names are checked too; comments are not.
        #expect(TemplateTags.tags(in: "{{! {{nope}} }}\n{{#a}}{{{b.c}}}{{^d}}{{/d}}{{/a}}{{=<% %>=}}<%e%>").map(\.name) == ["a", "b", "c", "d", "d", "a", "e"])
    }

    /// docs/templates.md is the user's list of values: it names exactly the values of each list.
    @Test func theTemplatesPageListsExactlyTheValuesOfEachTemplate() throws {
        let doc = try String(contentsOf: repoRoot.appendingPathComponent("docs/templates.md"), encoding: .utf8)
        func listed(_ name: String) -> Set<String> {
            guard let a = doc.range(of: "<!-- \(name) values: begin -->"), let b = doc.range(of: "<!-- \(name) values: end -->") else { return [] }
            let block = doc[a.upperBound..<b.lowerBound]
            var names: Set<String> = []
            var rest = block[...]
            while let open = rest.firstIndex(of: "`") {
                let after = rest.index(after: open)
                guard let close = rest[after...].firstIndex(of: "`") else { break }
                names.insert(String(rest[after..<close]))
                rest = rest[rest.index(after: close)...]
            }
            return names
        }
        #expect(listed("report") == TemplateTags.report)
        #expect(listed("layout") == TemplateTags.layout)
        #expect(listed("index") == TemplateTags.index)
        #expect(listed("user") == TemplateTags.forUserTemplates)
    }
}
