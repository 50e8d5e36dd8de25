// Who prepared and reviewed the month's board pack, and whether it is a draft ([report] in
// costper.toml): printed under the title, and a draft is marked on every page and in the PDF.
import CostperMoney
import CostperIngest
import CostperVocabulary
import Foundation
import TOMLKit

/// A board pack is a draft until someone says it is final.
package enum ReportStatus: String, Sendable, Equatable, Codable, CaseIterable {
    case draft, final
}

package struct SignOff: Sendable, Equatable, Codable {
    package var preparedBy: String?
    package var reviewedBy: String?
    package var status: ReportStatus?
    package init(preparedBy: String? = nil, reviewedBy: String? = nil, status: ReportStatus? = nil) {
        self.preparedBy = preparedBy; self.reviewedBy = reviewedBy; self.status = status
    }

    package var isDraft: Bool { status == .draft }

    /// `[report] prepared_by`, `reviewed_by` and `status` of costper.toml; nil when none is given.
    static func read(_ r: TOMLTable, reader: TOMLReader) throws(ConfigError) -> SignOff? {
        var s = SignOff()
        func name(_ key: String) throws(ConfigError) -> String? {
            guard let v = r[key] else { return nil }
            let text = try reader.string(v, "report." + key).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, text.count <= 120 else {
                throw ConfigError(file: reader.file, line: nil, key: "report." + key, reason: "must be a name of 1 to 120 characters")
            }
            return text
        }
        s.preparedBy = try name("prepared_by")
        s.reviewedBy = try name("reviewed_by")
        if let v = r["status"] {
            let text = try reader.string(v, "report.status")
            guard let status = ReportStatus(rawValue: text.lowercased()) else {
                throw ConfigError(file: reader.file, line: nil, key: "report.status", reason: "must be \"draft\" or \"final\" (it is \"\(Scalars.visible(text))\")")
            }
            s.status = status
        }
        return s == SignOff() ? nil : s
    }
}
