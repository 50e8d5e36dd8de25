// Whether a closed month may be published (issue 27): a run from cron or CI that exits 0 is
// trusted, so a month that should not replace what the site shows stops the run here, exit 65,
// with a sentence saying why and what the data covers.
import CostperMoney
import CostperIngest
import CostperVocabulary
import TOMLKit

/// `[publish]` in costper.toml: how far a month already published may move before a run needs
/// `--replace` to replace it.
package struct PublishSettings: Sendable, Equatable, Codable {
    /// A published month whose total would change by more than this share of it is not replaced
    /// without `--replace` (`[publish] max_change_share`, 0.5 by default).
    package var maxChangeShare = Quotient(numerator: 1, denominator: 2)
    /// `[publish] replace = true`: every run may replace a published month, as `--replace` does.
    package var replace = false

    package static let keys = ["max_change_share", "replace"]

    package init() {}

    enum CodingKeys: String, CodingKey { case maxChangeShare, replace }

    // The share as exact decimal text (nine decimals, as costper.toml reads it).
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .maxChangeShare)
        guard case .success(let r) = Scalars.parseDecimal(text) else {
            throw DecodingError.dataCorruptedError(forKey: .maxChangeShare, in: c, debugDescription: "not a decimal: \(text)")
        }
        maxChangeShare = Money(nanos: r.value).dollars.reduced
        replace = try c.decode(Bool.self, forKey: .replace)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxChangeShare.formatted(decimals: 9), forKey: .maxChangeShare)
        try c.encode(replace, forKey: .replace)
    }

    static func parse(_ value: TOMLValueConvertible?, reader: TOMLReader) throws(ConfigError) -> PublishSettings {
        var s = PublishSettings()
        guard let value else { return s }
        let t = try reader.table(value, "publish")
        if let v = t["max_change_share"] { s.maxChangeShare = try reader.positive(v, "publish.max_change_share") }
        if let v = t["replace"] {
            guard let b = v.bool else { throw reader.fail("publish.replace", "must be true or false") }
            s.replace = b
        }
        return s
    }
}

/// What a run asks of the gate beyond costper.toml: `--fail-on reject`, `--replace`.
package struct PublicationPolicy: Sendable, Equatable {
    package var failOnReject = false
    package var replace = false
    /// How many rejects a `--fail-on reject` stop lists.
    package static let rejectsListed = 10

    package init(failOnReject: Bool = false, replace: Bool = false) {
        self.failOnReject = failOnReject
        self.replace = replace
    }
}

package enum PublicationGate {
    /// Throws `.badData` (exit 65) when `accounts` must not be published: no accepted request or
    /// no ticket in the month, a file whose every row was rejected, any reject under
    /// `--fail-on reject`, or a change of more than `[publish] max_change_share` against
    /// `published`, the total of the same month already in the site (nil: none), without
    /// `--replace` or `[publish] replace = true`. Amounts are in the month's currency.
    package static func check(_ a: MonthAccounts, policy: PublicationPolicy, published: Money?) throws(CostperError) {
        try checkContent(a, policy: policy)
        try checkReplacement(a, policy: policy, published: published)
    }

    /// The checks on the month alone (all but the replacement's): the command line makes them
    /// before it creates or locks `--out`, so that a refused run writes nothing at all.
    package static func checkContent(_ a: MonthAccounts, policy: PublicationPolicy) throws(CostperError) {
        // A ticket-level export's tickets carry their costs; it may count no requests at all.
        if (a.requests == 0 && !a.ticketLevel) || a.tickets == 0 {
            throw CostperError(.badData, emptyMonth(a))
        }
        for f in a.files where f.rowsRead > 0 && f.rejected == f.rowsRead {
            let first = a.rejects.first { $0.file == f.file }.map { "; the first: " + $0.message } ?? ""
            throw CostperError(.badData, "\(f.file): every row was rejected (\(Show.count(f.rejected)) of \(Show.count(f.rowsRead))), so \(a.month) is not published\(first). costper validate lists them all")
        }
        if policy.failOnReject && !a.rejects.isEmpty {
            let listed = a.rejects.prefix(PublicationPolicy.rejectsListed).map(\.message)
            let more = a.rejects.count > listed.count ? "\n(the first \(listed.count); costper validate lists them all)" : ""
            throw CostperError(.badData, "\(Show.count(a.rejects.count)) \(a.rejects.count == 1 ? "row was" : "rows were") rejected and --fail-on reject makes any reject fatal, so \(a.month) is not published:\n"
                               + listed.joined(separator: "\n") + more)
        }
    }

    /// A change of more than `[publish] max_change_share` against `published`, the total of the
    /// same month already in the site, without `--replace` or `[publish] replace = true`.
    package static func checkReplacement(_ a: MonthAccounts, policy: PublicationPolicy, published: Money?) throws(CostperError) {
        let code = a.currency.code
        if let old = published, !(policy.replace || a.config.publish.replace), let change = change(from: old, to: a.total),
           change.share > a.config.publish.maxChangeShare {
            let share = change.share.isSaturated ? "" : " (\(change.sign)\(Show.percent(change.share)))"
            throw CostperError(.badData, "\(a.month) is already published with a total of \(Show.money(old.dollars, code: code)); this run's total is \(Show.money(a.total.dollars, code: code)), a change of \(change.sign)\(Show.money(change.amount.dollars, code: code))\(share), more than the \(Show.percent(a.config.publish.maxChangeShare, decimals: 0)) a run may change a published month by ([publish] max_change_share), so nothing was published. Run again with --replace (or set [publish] replace = true) to replace it")
        }
    }

    /// The change from `old` to `new`: its size, sign and share of `old` (saturated when `old` is zero).
    static func change(from old: Money, to new: Money) -> (amount: Money, sign: String, share: Quotient)? {
        guard old != new else { return nil }
        let diff = Int128(new.nanos) - Int128(old.nanos)
        let size = diff < 0 ? -diff : diff
        guard let amount = Int64(exactly: size) else { return nil }
        let base = old.nanos < 0 ? -Int128(old.nanos) : Int128(old.nanos)
        let share = base == 0 ? Quotient(numerator: Quotient.limit, denominator: 1) : Quotient(numerator: size, denominator: base).reduced
        return (Money(nanos: amount), diff < 0 ? "-" : "+", share)
    }

    /// "2026-12 has no accepted request and no ticket, so it is not published: the requests are
    /// dated 2026-09 (41,203 rows); the tickets are dated 2026-09 (5,000 tickets). Give --month 2026-09 ..."
    static func emptyMonth(_ a: MonthAccounts) -> String {
        let noRequest = a.requests == 0 && !a.ticketLevel
        let what = noRequest && a.tickets == 0 ? "no accepted request and no ticket"
            : noRequest ? "no accepted request" : "no ticket"
        // What the data covers: the month's own rows and those of the other months.
        var requests = a.ledger?.outsideMonths ?? [:], tickets = a.ticketsOutsideByMonth
        if a.requests > 0 { requests[a.month.key, default: 0] += Int(clamping: a.requests) }
        if a.tickets > 0 { tickets[a.month.key, default: 0] += a.tickets }
        var parts: [String] = []
        if !a.ticketLevel {
            parts.append(months(requests, unit: "row").map { "the requests are dated \($0)" } ?? "no request of any month was read")
        }
        parts.append(months(tickets, unit: "ticket").map { "the tickets are dated \($0)" } ?? "no ticket of any month was read")
        let rejected = a.rejects.count
        if rejected > 0 { parts.append("\(Show.count(rejected)) \(rejected == 1 ? "row was" : "rows were") rejected (costper validate lists them)") }
        var s = "\(a.month) has \(what), so it is not published: " + parts.joined(separator: "; ")
        // The month the data is mostly of, when it is another one.
        let all = requests.merging(tickets, uniquingKeysWith: +)
        if let best = all.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }), best.key != a.month.key {
            s += ". Give --month \(Month(key: best.key)) to report the month the data covers"
        }
        return s
    }

    /// "2026-08 (3 rows), 2026-09 (41,203 rows)": months in order, the first twelve.
    static func months(_ counts: [Int: Int], unit: String) -> String? {
        guard !counts.isEmpty else { return nil }
        let sorted = counts.sorted { $0.key < $1.key }
        var list = sorted.prefix(12).map { "\(Month(key: $0.key)) (\(Show.count($0.value)) \(unit)\($0.value == 1 ? "" : "s"))" }
        if sorted.count > 12 { list.append("and \(sorted.count - 12) more months") }
        return list.joined(separator: ", ")
    }
}
