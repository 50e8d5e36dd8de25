// `costper unpublish`: takes a month out of a site. The other months are rendered again from their
// own records (a later month compared itself with the removed one) and published with the index,
// the removed folder gone, in one journalled step under the site's lock: a run killed at any
// moment leaves the site as it was or as it is without the month.
import CostperMoney
import CostperIngest
import CostperVocabulary
import ArgumentParser
import CostperCore
import CostperIO
import CostperSite
import Foundation

struct Unpublish: CostperCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove a month from a published site and render the other months and the index again, in one step.")

    @Option(name: .long, help: "The month to remove (YYYY-MM).")
    var month: String

    @Option(name: .long, help: "The site folder to remove it from.")
    var out: String

    @Option(name: .long, help: "The templates the site is rendered with (as given to costper report), instead of the built-in ones.")
    var templates: String?

    @Flag(name: .customLong("no-pdf"), help: "Do not start Chromium: a later month whose page changes loses its report.pdf (and its link) instead of being printed again.")
    var noPDF = false

    func check() throws(CostperError) {
        guard Month(month) != nil else {
            throw CostperError(.usage, "--month must be a month written YYYY-MM, e.g. 2026-10, from 1970-01 to 9999-12")
        }
    }

    func execute() throws(CostperError) {
        let removed = Month(month)!
        let texts = try ProjectFiles.templates(folder: templates)
        let templateSet = try TemplateSet(report: texts.report, layout: texts.layout, index: texts.index, stylesheet: texts.stylesheet, folder: texts.folder)
        let outURL = URL(fileURLWithPath: out)
        // Never creates a site: --out must be one.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: outURL.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CostperError(.notFound, "there is no site at \(out) to remove \(removed) from (no such folder); nothing was changed")
        }
        let siteLock = try Publisher.lock(out: outURL) { message in FileHandle.standardError.write(Data((message + "\n").utf8)) }
        defer { withExtendedLifetime(siteLock) {} }
        try Publisher.recover(out: outURL)   // a publication a killed run committed is finished first
        let stored = try MonthStore.records(out: outURL, replacing: nil)
        for n in stored.notices { print(Scalars.visible("costper: notice: " + n)) }
        guard let gone = stored.records.first(where: { $0.month == removed }) else {
            throw CostperError(.notFound, Self.unknownMonth(removed, published: stored.records.map(\.month), out: out))
        }
        let remaining = stored.records.filter { $0.month != removed }
        let needsPrint = !noPDF && remaining.contains { $0.month > removed && $0.report.pack.pdf }
        let chromium = needsPrint ? PrintedReport.findChromium(path: ProcessInfo.processInfo.environment["PATH"]) : nil
        var publication = try SitePublication.render(remaining, primary: nil, from: removed, templates: templateSet, chromium: chromium, out: outURL)
        if remaining.isEmpty {
            // The last month removed: an index of no month, still with the company and currency it had.
            publication.site.rootFiles = Site.rootFiles([], templates: templateSet, company: gone.report.accounts.config.company, currency: gone.currency)
        }
        try publication.publish(out: outURL, removing: [removed], lock: siteLock)
        print("costper: removed \(removed) from \(out) (its folder and its line in the index)")
        if !publication.changed.isEmpty {
            print("costper: rendered the later months again without it: " + publication.changed.map(\.description).joined(separator: ", "))
        }
        if remaining.isEmpty { print("costper: \(out) now holds no month: its index says so") }
        for n in publication.notices { print(Scalars.visible("costper: notice: " + n)) }
    }

    /// The sentence for a month the site does not hold: the months it does, and the nearest one typed alike.
    static func unknownMonth(_ month: Month, published: [Month], out: String) -> String {
        guard !published.isEmpty else {
            return "\(out) holds no published month, so there is no \(month) to remove; nothing was changed"
        }
        let names = published.map(\.description)
        let hint = Prices.suggestions(month.description, in: names).first.map { " Did you mean \($0)?" } ?? ""
        return "\(month) is not published in \(out), which holds \(names.joined(separator: ", ")).\(hint) Nothing was changed"
    }
}
