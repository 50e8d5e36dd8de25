// The month week by week: ISO weeks (Monday to Sunday) cut at the month's edges. A ticket falls in
// the week of its closed_at, or of its first request of the month when it has no closed_at in the
// month; every cost of the month lands in one row, so the weeks add up to the month.
import CostperMoney
import CostperVocabulary


/// One ISO week of the month, or the part of it inside the month.
package struct WeekSlice: Sendable, Equatable, Codable {
    package var isoYear: Int
    package var isoWeek: Int
    /// Days of the month (1-based) the slice covers.
    package var firstDay: Int
    package var lastDay: Int
    /// The week runs over the month's edge: only its days inside the month are counted.
    package var partial: Bool
    package var tickets = 0
    package var resolved = 0
    package var cost = Money.zero

    /// "2026-W40", the ISO week.
    package var isoLabel: String { "\(isoYear)-W" + (isoWeek < 10 ? "0" : "") + String(isoWeek) }

    /// "2026-W40, Oct 1–4 (part)".
    package func label(_ month: Month) -> String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let days = firstDay == lastDay ? "\(firstDay)" : "\(firstDay)\u{2013}\(lastDay)"
        return "\(isoLabel), \(names[month.month - 1]) \(days)" + (partial ? " (part)" : "")
    }

    package var costPerResolved: Quotient? { cost.quotient(per: resolved) }
    package var resolutionRate: Quotient? { tickets > 0 ? Quotient(numerator: Int128(resolved), denominator: Int128(tickets)).reduced : nil }
}

/// The month's weeks, and the costs that belong to no week (requests without a ticket, fixed
/// costs of a month with no tickets), so that the rows add up to the month's total.
package struct WeeklyAccounts: Sendable, Equatable, Codable {
    package var weeks: [WeekSlice] = []
    package var orphanCost = Money.zero
    package var unallocatedFixed = Money.zero
    package init() {}

    package var total: Money {
        Money(nanos: weeks.reduce(orphanCost.nanos &+ unallocatedFixed.nanos) { $0 &+ $1.cost.nanos })
    }
}

package enum Weeks {
    /// ISO weekday of a day counted from 1970-01-01 (a Thursday): Monday 1 … Sunday 7.
    package static func isoWeekday(days d: Int) -> Int { ((d % 7) + 7 + 3) % 7 + 1 }

    /// ISO year and week of a day counted from 1970-01-01: the week's Thursday decides the year.
    package static func isoWeek(days d: Int) -> (year: Int, week: Int) {
        let thursday = d - (isoWeekday(days: d) - 1) + 3
        let y = Scalars.civilFromDays(thursday).year
        return (y, (thursday - Scalars.daysFromCivil(y, 1, 1)) / 7 + 1)
    }

    /// The month's week slices, in order, with nothing counted yet.
    package static func slices(_ month: Month) -> [WeekSlice] {
        let first = Scalars.daysFromCivil(month.year, month.month, 1)
        var out: [WeekSlice] = []
        var day = 1
        while day <= month.days {
            let d = first + day - 1
            let end = min(month.days, day + (7 - isoWeekday(days: d)))
            let (y, w) = isoWeek(days: d)
            out.append(WeekSlice(isoYear: y, isoWeek: w, firstDay: day, lastDay: end, partial: end - day + 1 < 7))
            day = end + 1
        }
        return out
    }

    /// The slice holding a moment of the month (seconds since 1970); moments outside the month go
    /// to its first or last slice.
    package static func slot(_ seconds: Int64, in month: Month) -> Int {
        Slotter(month).slot(seconds)
    }

    /// `slot` with the month's calendar worked out once (closing a month asks for every ticket).
    package struct Slotter {
        package let firstWeekday: Int, start: Int64, end: Int64
        package init(_ month: Month) {
            firstWeekday = Weeks.isoWeekday(days: Scalars.daysFromCivil(month.year, month.month, 1))
            start = month.startEpochSeconds
            end = month.endEpochSeconds
        }
        @inline(__always) package func slot(_ seconds: Int64) -> Int {
            let clamped = min(max(seconds, start), end - 1)
            return (Int((clamped - start) / 86_400) + firstWeekday - 1) / 7
        }
    }
}
