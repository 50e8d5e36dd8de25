// The one formatter for numbers and money, on the page, in CSV notes and in costper's own
// sentences: the same whatever the machine's locale, rounded once, half to even.

package enum Show {
    /// The report's currency (ISO 4217): amounts are written with its symbol. A run that reports
    /// in another currency than USD binds it around the report (`Show.$currency.withValue`).
    @TaskLocal package static var currency = "USD"

    /// The symbol written before an amount: `$`, `€`, `£`, `¥`, or the code and a space (`SEK 12.50`).
    package static func symbol(_ code: String) -> String {
        switch code {
        case "USD": return "$"
        case "EUR": return "€"
        case "GBP": return "£"
        case "JPY", "CNY": return "¥"
        case "INR": return "₹"
        default: return code + "\u{00A0}"
        }
    }

    /// `$12,345.68`, `-$3.50`: amounts of the report's currency (`Show.currency`, USD unless a run
    /// says otherwise) with thousands separators, rounded half to even.
    package static func usd(_ q: Quotient, decimals: Int = 2) -> String { money(q, code: currency, decimals: decimals) }

    /// An amount of the currency `code`.
    package static func money(_ q: Quotient, code: String, decimals: Int = 2) -> String {
        let g = grouped(q.formatted(decimals: decimals))
        let s = symbol(code)
        return g.hasPrefix("-") ? "-" + s + g.dropFirst() : s + g
    }

    package static func usd(_ m: Money, decimals: Int = 2) -> String { usd(m.dollars, decimals: decimals) }

    /// Per-unit amounts: below a dollar up to four decimals (sub-cent costs stay visible), else two.
    package static func unit(_ q: Quotient?) -> String {
        guard let q else { return "—" }
        let abs = q < Quotient(0) ? Quotient(0).minus(q) : q
        guard abs < Quotient(1) else { return usd(q, decimals: 2) }
        // Up to four decimals, trailing zeros beyond the cents dropped: $0.19, $0.195, $0.0096.
        var s = usd(q, decimals: 4)
        while s.hasSuffix("0"), let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) > 3 { s.removeLast() }
        return s
    }

    /// `45.3%`, one decimal by default, half to even.
    package static func percent(_ q: Quotient?, decimals: Int = 1) -> String {
        guard let q else { return "—" }
        return q.times(Quotient(100)).formatted(decimals: decimals) + "%"
    }

    package static func count<I: BinaryInteger>(_ n: I) -> String { grouped(String(n)) }

    /// `1234567.5` as `1,234,567.5`.
    package static func grouped(_ s: String) -> String {
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var int = Substring(parts[0])
        var sign = ""
        if int.hasPrefix("-") { sign = "-"; int = int.dropFirst() }
        var out: [Character] = []
        for (i, ch) in int.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        let g = sign + String(out.reversed())
        return parts.count > 1 ? g + "." + parts[1] : g
    }

    /// `2.5x`
    package static func ratio(_ q: Quotient?) -> String {
        guard let q else { return "—" }
        return q.formatted(decimals: 2) + "x"
    }

    /// A ratio beside a threshold: two decimals, or as many more as it takes (up to six) for a
    /// ratio that is not the threshold not to read as it ("2.003x", never a flagged "2.00x").
    package static func ratio(_ q: Quotient?, threshold: Quotient) -> String {
        guard let q else { return "—" }
        var decimals = 2
        while decimals < 6 && q != threshold && q.formatted(decimals: decimals) == threshold.formatted(decimals: decimals) { decimals += 1 }
        return q.formatted(decimals: decimals) + "x"
    }
}
