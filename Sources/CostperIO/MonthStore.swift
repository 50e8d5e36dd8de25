// The site's records: `<out>/<month>/month.json`, one MonthRecord per month, written and read here
// and nowhere else. The site is rendered from these records; summary.json and the pages are outputs,
// never read back.
import CostperMoney
import CostperIngest
import CostperVocabulary
import CostperCore
import CostperSite
import Foundation

package enum MonthStore {
    package static let fileName = "month.json"

    /// The record as month.json: keys sorted, amounts as exact decimal strings, one line and a newline.
    package static func encode(_ record: MonthRecord) throws(CostperError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(record)) + [0x0A]
        } catch {
            throw CostperError(.badData, "cannot write the record of \(record.month): \(error)")
        }
    }

    /// A record read from `path` (the month folder `month`), checked: its schema, its month, its
    /// figures against each other. Every refusal names the month and what to do.
    package static func decode(_ bytes: [UInt8], month: Month, path: String) throws(CostperError) -> MonthRecord {
        let again = "publish \(month) again (costper report --month \(month) --input <its exports> --out <this site>); nothing in the site was changed"
        struct Schema: Decodable { var schemaVersion: Int }
        let decoder = JSONDecoder()
        guard let schema = try? decoder.decode(Schema.self, from: Data(bytes)) else {
            throw CostperError(.badData, "\(path) is not a month record costper can read (damaged, or not written by costper): \(again)")
        }
        guard schema.schemaVersion <= MonthRecord.currentSchema, schema.schemaVersion >= 1 else {
            throw CostperError(.badData, "\(path) was written by a newer costper (record schema \(schema.schemaVersion); this costper reads schema \(MonthRecord.currentSchema)): publish with that costper or a newer one; nothing in the site was changed")
        }
        let record: MonthRecord
        do {
            record = try decoder.decode(MonthRecord.self, from: Data(bytes))
        } catch {
            throw CostperError(.badData, "\(path) is not a month record costper can read (\(describe(error))): \(again)")
        }
        if record.month != month {
            throw CostperError(.badData, "\(path) holds the record of \(record.month), not of its folder \(month): \(again)")
        }
        if let why = record.inconsistency {
            throw CostperError(.badData, "\(path) does not hold together (\(why)): \(again)")
        }
        return record
    }

    /// Every month record of the site at `out`, oldest first, but `replacing` (the month being
    /// published, whose folder is replaced whatever it holds). A month folder of an earlier
    /// costper (summary.json and no month.json) is refused, never guessed from its outputs; a
    /// folder named like a month that costper did not write is named in `notices` and left alone.
    package static func records(out: URL, replacing: Month?) throws(CostperError) -> (records: [MonthRecord], notices: [String]) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: out.path) else { return ([], []) }
        var records: [MonthRecord] = []
        var notices: [String] = []
        var old: [String] = []
        for n in names.sorted() {
            guard let m = Month(n), m.description == n, m != replacing else { continue }
            let folder = out.appendingPathComponent(n)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else { continue }
            let path = folder.appendingPathComponent(fileName).path
            if let data = fm.contents(atPath: path) {
                records.append(try decode(Array(data), month: m, path: path))
            } else if fm.fileExists(atPath: folder.appendingPathComponent("summary.json").path) {
                old.append(n)
            } else {
                notices.append("\(folder.path) is named like a month but holds no costper report: left as it is, not in the index")
            }
        }
        if !old.isEmpty {
            let list = old.joined(separator: ", ")
            throw CostperError(.badData, "\(out.path) holds \(old.count == 1 ? "a month" : "months") published by an earlier costper (\(list): summary.json, no month.json); this costper renders the site from month records and does not guess them from published files. Publish \(old.count == 1 ? "it" : "each") again with this costper (costper report --month \(old[0]) --input <its exports> --out \(out.path)), or publish into a new --out; nothing in the site was changed")
        }
        return (records, notices)
    }

    /// One currency per site: the months of `records` in another currency than `record` refuse it.
    package static func checkCurrency(_ record: MonthRecord, site records: [MonthRecord], out: String) throws(CostperError) {
        let others = records.filter { $0.currency != record.currency }
        guard let first = others.first else { return }
        let months = others.map(\.month.description).joined(separator: ", ")
        throw CostperError(.badData, "\(record.month) is reported in \(record.currency), but \(out) holds \(months) in \(first.currency): a site has one reporting currency, so months are never compared across currencies. Publish \(record.month) into another --out, or set currency = \"\(first.currency)\" in its costper.toml; nothing in the site was changed")
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return path(c.codingPath) + c.debugDescription
        case DecodingError.keyNotFound(let k, let c): return "no \(k.stringValue) at " + path(c.codingPath)
        case DecodingError.typeMismatch(_, let c): return path(c.codingPath) + c.debugDescription
        case DecodingError.valueNotFound(_, let c): return path(c.codingPath) + c.debugDescription
        default: return "\(error)"
        }
    }

    static func path(_ p: [CodingKey]) -> String {
        p.isEmpty ? "" : p.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined() + ": "
    }
}

extension MonthStore {
    /// The total of `month` as the site at `out` holds it (its month.json), for the replacement
    /// check; nil when the month is not there or its record cannot be read (it is replaced anyway).
    package static func publishedTotal(out: URL, month: Month) -> Money? {
        let path = out.appendingPathComponent(month.description).appendingPathComponent(fileName).path
        guard let data = FileManager.default.contents(atPath: path),
              let r = try? decode(Array(data), month: month, path: path) else { return nil }
        return r.report.accounts.total
    }
}
