// Rounding a table for display: every row and the total rounded once, half to even, at the
// precision of every amount; when the printed rows do not add up to the printed total the table
// shows the difference as a "Rounding" row, the accountant's convention, and no cent is moved
// between rows. `largestRemainder` is kept for allocations (an invoice gap split across models
// in nano-dollars), where the parts must add up exactly; it is not used for display.

/// A column of a table as printed: its rows, its total, and the Rounding difference (nil when the
/// printed rows add up to the printed total).
package struct PrintedColumn: Sendable, Equatable {
    package var rows: [String]
    package var total: String
    package var rounding: String?

    package init(rows: [String], total: String, rounding: String?) {
        self.rows = rows
        self.total = total
        self.rounding = rounding
    }
}

package enum DisplayRounding {
    /// `values` rounded to multiples of `step` (as whole numbers of steps) so that they add up to
    /// `total` rounded half to even to a step. `total` is normally the exact sum of `values`.
    package static func largestRemainder(_ values: [Quotient], step: Quotient, total: Quotient) -> (rows: [Int128], total: Int128) {
        guard step > Quotient(0) else { return (values.map { _ in 0 }, 0) }
        var floors: [Int128] = []
        var remainders: [Quotient] = []
        for v in values {
            let units = v.divided(by: step) ?? Quotient(0)
            let f = floorDiv(units.numerator, units.denominator)
            floors.append(f)
            remainders.append(units.minus(Quotient(numerator: f, denominator: 1)))
        }
        let t = total.divided(by: step) ?? Quotient(0)
        let target = Fixed.divideHalfEven(t.numerator, t.denominator)
        var missing = target - floors.reduce(0, +)
        let order = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        var rows = floors
        var i = 0
        while missing > 0 && !order.isEmpty {
            rows[order[i % order.count]] += 1
            missing -= 1
            i += 1
        }
        // A total below the sum of the floors (only when `total` is not the rows' sum): take the
        // steps back from the smallest remainders.
        var j = order.count - 1
        while missing < 0 && !order.isEmpty {
            rows[order[j]] -= 1
            missing += 1
            j = j == 0 ? order.count - 1 : j - 1
        }
        return (rows, target)
    }

    /// A table's column as printed: each row and the total rounded once, half to even, at the
    /// precision of every amount (`show.amount(_:)`), and `rounding`, the difference between the
    /// printed total and the sum of the printed rows when they do not add up (the accountant's
    /// "Rounding" row; nil when they do). No cent is moved between rows.
    package static func usd(_ amounts: [Money], total: Money, in show: AmountFormat) -> PrintedColumn {
        printedAmounts(amounts.map { Optional($0.dollars) }, total: total.dollars, show)
    }

    /// Per-ticket amounts of one column, each at its own precision (`show.amount(_:)`), the total
    /// (when the rows add up to one) likewise, with the Rounding difference when they do not.
    package static func perTicket(_ amounts: [Quotient?], total: Quotient?, in show: AmountFormat) -> PrintedColumn {
        printedAmounts(amounts, total: total, show)
    }

    static func printedAmounts(_ amounts: [Quotient?], total: Quotient?, _ show: AmountFormat) -> PrintedColumn {
        let rows = amounts.map { $0.map { show.amount($0) } ?? "—" }
        guard let total else { return PrintedColumn(rows: rows, total: "—", rounding: nil) }
        // The rows add up when their printed values, summed, round to the printed total at the
        // total's precision (a row printed to three significant figures, under a dime, does not
        // make a table of cents miss); otherwise the Rounding row gives the difference at it.
        let decimals = Show.precision(of: total)
        let printedSum = amounts.compactMap { $0 }.reduce(Quotient(0)) { $0.plus(Show.printed($1)) }
        let difference = Show.rounded(total, decimals: decimals).minus(Show.rounded(printedSum, decimals: decimals))
        return PrintedColumn(rows: rows, total: show.amount(total),
                             rounding: difference.numerator == 0 ? nil : show.amount(difference, decimals: decimals))
    }

    /// Shares of one whole, each rounded once to `decimals` decimals of a percent, half to even; a
    /// share above zero that rounds to nothing shows "<0.1%" (and counts as 0.0% in the sum). The
    /// total is 100.0%; `rounding` is what the printed rows miss of it, when they do.
    package static func percents(_ shares: [Quotient?], decimals: Int = 1) -> PrintedColumn {
        let known = shares.compactMap { $0 }
        guard !known.isEmpty else { return PrintedColumn(rows: shares.map { _ in "—" }, total: "—", rounding: nil) }
        let scale = 100 * pow10(decimals)
        var sum: Int128 = 0
        var out: [String] = []
        for s in shares {
            guard let s else { out.append("—"); continue }
            let units = Fixed.mulDivHalfEven(s.numerator, scale, s.denominator) ?? 0
            sum += units
            if units == 0 && s > Quotient(0) {
                out.append("<" + Fixed.formatRatio(1, pow10(decimals), decimals: decimals) + "%")
            } else {
                out.append(Fixed.formatRatio(units, pow10(decimals), decimals: decimals) + "%")
            }
        }
        let whole = known.reduce(Quotient(0)) { $0.plus($1) }
        let target = Fixed.mulDivHalfEven(whole.numerator, scale, whole.denominator) ?? 0
        let totalText = Fixed.formatRatio(target, pow10(decimals), decimals: decimals) + "%"
        let missing = target - sum
        return PrintedColumn(rows: out, total: totalText,
                             rounding: missing == 0 ? nil : Fixed.formatRatio(missing, pow10(decimals), decimals: decimals) + "%")
    }

    /// The Rounding row of a table, for a template section: one row giving each column's
    /// difference (blank where that column adds up), or no row when every column adds up.
    package static func roundingRow(_ columns: [String: PrintedColumn]) -> [[String: String]] {
        guard columns.values.contains(where: { $0.rounding != nil }) else { return [] }
        return [columns.mapValues { $0.rounding ?? "" }]
    }

    package static func pow10(_ n: Int) -> Int128 {
        var p: Int128 = 1
        for _ in 0..<n { p *= 10 }
        return p
    }

    package static func floorDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }
}
