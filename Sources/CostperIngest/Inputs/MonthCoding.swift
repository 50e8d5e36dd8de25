// A month in JSON: "2026-10", as a value and as a dictionary key.
import Foundation
import CostperMoney
import CostperVocabulary

extension Month: Codable, CodingKeyRepresentable {
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let m = Month(text) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(text) is not a month YYYY-MM") }
        self = m
    }

    package var codingKey: any CodingKey { MonthKey(stringValue: description) }
    package init?<T: CodingKey>(codingKey: T) {
        guard let m = Month(codingKey.stringValue) else { return nil }
        self = m
    }

    package struct MonthKey: CodingKey {
        package var stringValue: String
        package var intValue: Int? { nil }
        package init(stringValue: String) { self.stringValue = stringValue }
        package init?(intValue: Int) { nil }
    }
}
