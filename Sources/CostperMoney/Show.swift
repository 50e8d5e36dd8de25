// The one formatter for numbers and money, on the page, in CSV notes and in costper's own
// sentences: the same whatever the machine's locale, rounded once, half to even.

package enum Show {
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

    /// The decimals an amount is printed with, the one rule of every page, chart, CSV note and
    /// sheet: cents for amounts of 0.10 and more (and for zero), three significant figures below
    /// (trailing zeros past the cents dropped), so a non-zero amount never prints as 0.00
    /// ($0.0589, $0.00598, $0.00000175, $0.05).
    package static func precision(of q: Quotient) -> Int {
        let a = q < Quotient(0) ? Quotient(0).minus(q) : q
        let tenth = Quotient(numerator: 1, denominator: 10)
        guard a.numerator != 0, a < tenth else { return 2 }
        // The first significant digit is at decimal k when 10^-k <= a < 10^-(k-1); three
        // significant figures are k + 2 decimals.
        var k = 2
        while k < 30 && a < Quotient(numerator: 1, denominator: Fixed.pow10(k)) { k += 1 }
        var d = k + 2
        // Rounding can carry into the next digit (0.009996 -> 0.01000): one decimal fewer then,
        // and cents once it reaches 0.10.
        let r = rounded(a, decimals: d)
        if r >= Quotient(numerator: 1, denominator: Fixed.pow10(k - 1)) { d -= 1 }
        if rounded(a, decimals: d) >= tenth { return 2 }
        // Trailing zeros past the cents are dropped: a cent is $0.01, never $0.0100.
        let r2 = rounded(a, decimals: d)
        while d > 2 && (r2.times(Quotient(numerator: Fixed.pow10(d - 1), denominator: 1))).denominator == 1 { d -= 1 }
        return d
    }

    /// The decimals an amount is written with in a CSV file: six, or more for an amount so small
    /// that six would keep fewer than its three significant figures (at most nine, the nano-dollar; the workbook formats the
    /// cell at the page's precision, so both read as the page does).
    package static func csvDecimals(of q: Quotient) -> Int { min(9, max(6, precision(of: q))) }

    /// `q` rounded half to even to `decimals`, as the exact value that prints.
    package static func rounded(_ q: Quotient, decimals: Int) -> Quotient {
        let p = Fixed.pow10(decimals)
        let units = Fixed.mulDivHalfEven(q.numerator, p, q.denominator) ?? 0
        return Quotient(numerator: units, denominator: p)
    }

    /// The value an amount prints as (`usd(_:)`), exactly.
    package static func printed(_ q: Quotient) -> Quotient { rounded(q, decimals: precision(of: q)) }

    /// An amount of the currency `code`.
    package static func money(_ q: Quotient, code: String, decimals: Int = 2) -> String {
        let g = grouped(q.formatted(decimals: decimals))
        let s = symbol(code)
        return g.hasPrefix("-") ? "-" + s + g.dropFirst() : s + g
    }

    /// `45.3%`, one decimal by default, half to even.
    package static func percent(_ q: Quotient?, decimals: Int = 1) -> String {
        guard let q else { return "—" }
        return q.times(Quotient(100)).formatted(decimals: decimals) + "%"
    }

    /// A share of a whole as a table's row prints it (`DisplayRounding.percents`): one decimal,
    /// half to even, and `<0.1%` for a share above zero that rounds to nothing.
    package static func share(_ q: Quotient?) -> String {
        guard let q else { return "—" }
        let s = percent(q)
        return q > Quotient(0) && s == "0.0%" ? "<0.1%" : s
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

/// How amounts of one reporting currency are written (`$12,345.68`, `-€3.50`, `SEK 12.50`): the
/// currency is a field of the month's record and its accounts (`MonthAccounts.show`), handed to
/// every formatter that writes an amount; there is no currency of the process.
package struct AmountFormat: Sendable, Equatable {
    /// The currency (ISO 4217) the amounts are in.
    package let currency: String
    package init(_ currency: String) { self.currency = currency }

    /// Amounts in US dollars (the inputs' currency, the published figures as published).
    package static let usd = AmountFormat("USD")

    /// An amount at its precision (`Show.precision(of:)`): `$4,055.98`, `$0.81`, `$0.0589`, `$0.00598`;
    /// thousands separators, rounded half to even.
    package func amount(_ q: Quotient) -> String { Show.money(q, code: currency, decimals: Show.precision(of: q)) }
    package func amount(_ q: Quotient, decimals: Int) -> String { Show.money(q, code: currency, decimals: decimals) }
    package func amount(_ m: Money) -> String { amount(m.dollars) }
    package func amount(_ m: Money, decimals: Int) -> String { amount(m.dollars, decimals: decimals) }

    /// Per-unit amounts, at the same precision as every amount; "—" when unknown.
    package func unit(_ q: Quotient?) -> String {
        guard let q else { return "—" }
        return amount(q)
    }
}
