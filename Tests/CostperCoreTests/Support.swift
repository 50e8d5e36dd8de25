@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
@testable import CostperCore

/// The repository's root, from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func fixture(_ path: String) -> URL { repoRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(path) }

/// Some bytes as an input of the readers (the value keeps them alive while a reader holds it).
struct Buffer {
    let input: InputBuffer
    init(_ name: String, _ bytes: [UInt8]) { input = InputBuffer(name: name, bytes: bytes) }
    init(_ name: String, _ text: String) { self.init(name, Array(text.utf8)) }
    init(file url: URL) { self.init(url.lastPathComponent, Array(try! Data(contentsOf: url))) }
}

/// Every record of a CSV text: fields as strings, or the malformed reason.
func records(_ text: String) -> [(line: Int, fields: [String]?, error: String?)] {
    let b = Buffer("t.csv", text)
    var reader = CSVRecordReader(buffer: b.input.bytes)
    var fields = FieldList()
    var out: [(Int, [String]?, String?)] = []
    while true {
        switch reader.next(into: &fields) {
        case .end: return out
        case .record(let line): out.append((line, (0..<fields.count).map { String(decoding: fields[$0], as: UTF8.self) }, nil))
        case .malformed(let line, let reason): out.append((line, nil, reason))
        }
    }
}

/// Reads a month from in-memory texts.
func month(tickets: String, requests: String, fixed: String? = nil, config: String = "", prices: PriceCatalog = PriceCatalog(),
           month: String? = nil) throws -> MonthAccounts {
    let t = Buffer("tickets.csv", tickets), r = Buffer("requests.csv", requests)
    let f = fixed.map { Buffer("fixed_costs.csv", $0) }
    let cfg = try CostperConfig.parse(config)
    return try MonthInput.accounts(files: MonthFiles(tickets: t.input, requests: [r.input], fixedCosts: f?.input), config: cfg, prices: prices,
                                   month: month.flatMap(Month.init))
}

func parse(_ s: String, scale: Int = 9) -> Result<(value: Int64, rounded: Bool), ScalarError> {
    Bytes.of(s) { Scalars.parseDecimal($0, scale: scale) }
}
