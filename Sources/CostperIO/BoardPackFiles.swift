// The board pack's files on disk: report.xlsx written through the libxlsxwriter binding (which
// writes only to a path), the inputs' combined hash, and which downloads each published month has.
import CostperMoney
import CostperIngest
import CostperVocabulary
import CostperCore
import SHA
import Foundation
import XLSX

package enum BoardPackFiles {
    /// SHA-256 (hex) of the lines `SHA256  PATH\n` of the inputs, in the manifest's order: what
    /// `sha256sum FILE… | sha256sum` prints in the input folder, for the same files in that order.
    package static func inputsDigest(_ inputs: [InputRecord]) -> String {
        var h = SHA256()
        for i in inputs { h.update(data: Array("\(i.sha256)  \(i.path)\n".utf8)) }
        return h.finalize().map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    }

    /// Writes the workbook at `url`. libxlsxwriter writes only to a path: `Publisher.publish`
    /// calls this (through its `writers`) for the month's staging folder, so report.xlsx is
    /// published atomically with the rest of the month, after the other files were written.
    package static func writeWorkbook(_ book: Workbook, to url: URL) throws(CostperError) {
        do {
            try XLSXWriter.write(book, to: url.path)
        } catch {
            unlink(url.path)
            throw CostperError(.cannotWrite, "cannot write \(url.lastPathComponent): \(error.message)")
        }
    }

    /// The downloads (report.pdf, report.xlsx) each month folder under `out` holds, by month.
    package static func publishedDownloads(out: URL) -> [Month: [String]] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: out.path) else { return [:] }
        var found: [Month: [String]] = [:]
        for n in names {
            guard let m = Month(n) else { continue }
            let here = [BoardPackName.pdf, BoardPackName.xlsx].filter {
                FileManager.default.fileExists(atPath: out.appendingPathComponent(n).appendingPathComponent($0).path)
            }
            if !here.isEmpty { found[m] = here }
        }
        return found
    }
}

/// The downloads' file names (the same as CostperSite's BoardPack.pdfName and xlsxName).
package enum BoardPackName {
    package static let pdf = "report.pdf"
    package static let xlsx = "report.xlsx"
}
