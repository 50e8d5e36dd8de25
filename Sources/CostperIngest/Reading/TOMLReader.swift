// costper.toml's values read out of TOMLKit's tree, typed, with messages that name the key; the
// error a bad setting gives.
import CostperMoney
import CostperVocabulary
import TOMLKit

package struct ConfigError: Error, Equatable, CustomStringConvertible {
    package var file: String
    package var line: Int?
    package var key: String
    package var reason: String
    package init(file: String, line: Int?, key: String, reason: String) {
        self.file = file; self.line = line; self.key = key; self.reason = reason
    }
    package var description: String {
        if let line { return "\(file):\(line): \(key.isEmpty ? "" : key + ": ")\(reason)" }
        return "\(file): \(key): \(reason)"
    }
    /// As the error that stops the run.
    package var error: CostperError {
        CostperError(.badData, key.isEmpty ? reason : "\(key): \(reason)", at: InputLocation(file: file, line: line))
    }
}

/// Reads typed values out of TOMLKit's tree, with messages that name the key.
package struct TOMLReader {
    package let file: String
    package init(file: String) { self.file = file }

    package func fail(_ key: String, _ reason: String) -> ConfigError { ConfigError(file: file, line: nil, key: key, reason: reason) }

    package func string(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> String {
        guard let s = v.string else { throw fail(key, "must be text in quotes") }
        return s
    }

    package func table(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> TOMLTable {
        guard let t = v.table else { throw fail(key, "must be a table ([\(key)])") }
        return t
    }

    /// A number as exact decimal text. A TOML float is a binary double, exact only to 15
    /// significant digits: its shortest decimal form is the number as written when it has at most
    /// 15, and one with more is refused (write it in quotes, `"50000.123456789012"`, which is read
    /// as exact decimal text).
    package func decimalText(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> String {
        if let i = v.int { return String(i) }
        if let s = v.string { return s }
        if let d = v.double, d.isFinite {
            let text = "\(d)"
            let mantissa = text.prefix { $0 != "e" && $0 != "E" }
            let digits = mantissa.filter(\.isNumber).drop { $0 == "0" }
            if digits.count > 15 {
                throw fail(key, "\(text) has more significant digits than a TOML number holds exactly; write it in quotes (\"\(text)\") to have it read as exact decimal text")
            }
            return text
        }
        throw fail(key, "must be a number")
    }

    package func money(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> Money {
        let text = try decimalText(v, key)
        switch Scalars.parseDecimal(text) {
        case .success(let r): return Money(nanos: r.value)
        case .failure(let e): throw fail(key, e.reason(for: text))
        }
    }

    package func quotient(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> Quotient {
        let m = try money(v, key)   // nine decimals is plenty for ratios and hours
        return m.dollars.reduced
    }

    /// An exchange rate: above 0 and at most 9 decimals (a longer one is refused, never rounded).
    package func rate(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> Quotient {
        let text = try decimalText(v, key)
        switch Scalars.parseDecimal(text) {
        case .success(let r) where r.rounded:
            throw fail(key, "\(Scalars.quoteForMessage(text)) has more than 9 decimals; a rate is used exactly as written (round it to 9 decimals yourself)")
        case .success(let r) where r.value > 0: return Money(nanos: r.value).dollars.reduced
        case .success: throw fail(key, "must be above 0")
        case .failure(let e): throw fail(key, e.reason(for: text))
        }
    }

    package func positive(_ v: TOMLValueConvertible, _ key: String) throws(ConfigError) -> Quotient {
        let q = try quotient(v, key)
        guard q > Quotient(0) else { throw fail(key, "must be above 0") }
        return q
    }
}
