// The step `report` and `unpublish` share: the site's months from one month on rendered again from
// their records, the ones whose files change (and their PDFs) collected, then published with the
// index in one journalled step under the site's lock.
import CostperMoney
import CostperIngest
import CostperVocabulary
import CostperCore
import CostperIO
import CostperSite
import Foundation

struct SitePublication {
    /// The records as published (a later month whose PDF could not be printed again has pack.pdf off).
    var records: [MonthRecord]
    /// The months whose folders are published (the changed ones; `primary` always).
    var changed: [Month]
    /// Said about `primary` (printed by the caller where it says the month's figures).
    var primaryNotices: [String] = []
    /// Said about the other months, after the publication.
    var notices: [String] = []
    var site: SiteFiles
    var pdfs: [Month: [UInt8]] = [:]

    /// Renders the months of `records` from `from` on; `primary` (the month a report publishes, nil
    /// for unpublish) is always published, another month only when its files come out different
    /// from what `out` holds. A month whose record has a PDF is printed again with `chromium`, or
    /// loses its PDF and its link (with a notice) when it cannot be.
    static func render(_ records: [MonthRecord], primary: Month?, from: Month, templates: TemplateSet, chromium: String?,
                       out: URL) throws(CostperError) -> SitePublication {
        var records = records
        var result = SitePublication(records: records, changed: [], site: try Site.render(records, templates: templates, from: from))
        var index = 0
        while index < result.site.months.count {
            let rendered = result.site.months[index]
            let i = records.firstIndex { $0.month == rendered.month }!
            if rendered.month != primary, let now = Publisher.publishedFiles(out: out, month: rendered.month),
               rendered.files.allSatisfy({ now[$0.key] == $0.value }),
               !records[i].report.pack.pdf || now[BoardPackName.pdf] != nil {
                index += 1
                continue   // the same bytes as published
            }
            if records[i].report.pack.pdf {
                var failure: String?
                if let chromium, let page = rendered.files["index.html"] {
                    let html = PrintLayout.printable(page: String(decoding: page, as: UTF8.self), stylesheet: templates.stylesheet)
                    do {
                        result.pdfs[rendered.month] = try PrintedReport.render(html: html, chromium: chromium,
                                                                               clock: records[i].clock?.seconds ?? rendered.month.startEpochSeconds)
                    } catch {
                        failure = error.message
                    }
                } else {
                    failure = "headless Chromium is not there to print it again"
                }
                if let failure {
                    // The page and the index lose the link; the month is rendered again without it.
                    records[i].report.pack.pdf = false
                    if rendered.month == primary {
                        result.primaryNotices.append("no report.pdf: \(failure)")
                    } else {
                        result.notices.append("report.pdf of \(rendered.month) removed, with its link: its page changed and \(failure); run costper report for \(rendered.month) again with Chromium to print it")
                    }
                    result.site = try Site.render(records, templates: templates, from: from)
                    continue
                }
            }
            result.changed.append(rendered.month)
            index += 1
        }
        result.records = records
        return result
    }

    /// The changed month folders, each with its record (month.json), PDF and workbook.
    func folders() throws(CostperError) -> [MonthFolder] {
        var folders: [MonthFolder] = []
        for m in changed {
            let rendered = site[m]!, r = records.first { $0.month == m }!
            var files = rendered.files
            files[MonthStore.fileName] = try MonthStore.encode(r)
            files[BoardPackName.pdf] = pdfs[m]
            let book = rendered.workbook
            folders.append(MonthFolder(month: m, files: files,
                                       writers: book.map { b in [BoardPackName.xlsx: { url throws(CostperError) in try BoardPackFiles.writeWorkbook(b, to: url) }] } ?? [:]))
        }
        return folders
    }

    /// Publishes the changed folders and the index, removing the folders of `removing`, in one step.
    func publish(out: URL, removing: [Month] = [], lock: SiteLock) throws(CostperError) {
        try Publisher.publish(out: out, months: folders(), removing: removing, rootFiles: site.rootFiles, lock: lock)
    }
}
