// Bills read once (issue 27): a FOCUS file whose rows repeat another FOCUS file's (the same export
// saved again, with CRLF or under another name) would count every bill twice. Pure: rows in,
// a refusal or notices out.
import CostperMoney
import CostperIngest
import CostperVocabulary


package enum FocusOverlap {
    /// What identifies a charge across exports: BillingAccountId, the charge period, ResourceId,
    /// SkuPriceId, ChargeCategory and both costs.
    struct Key: Hashable {
        var account: String
        var start: Int64
        var end: Int64
        var resource: String
        var sku: String
        var category: String
        var billed: Int64
        var effective: Int64

        init(_ r: FocusRow) {
            account = r.billingAccountId; start = r.periodStart; end = r.periodEnd; resource = r.resourceId
            sku = r.skuPriceId; category = r.chargeCategory; billed = r.billedCost.nanos; effective = r.effectiveCost.nanos
        }
    }

    static let by = "by BillingAccountId, charge period, ResourceId, SkuPriceId, ChargeCategory and cost"

    /// Throws when every row of one FOCUS file is a row of another (each row matched once);
    /// returns a notice for each pair of files that share only some rows.
    package static func check(_ bills: [FocusBill]) throws(CostperError) -> [String] {
        var notices: [String] = []
        guard bills.count > 1 else { return notices }
        for i in bills.indices {
            // The earlier file's rows by key, each line usable once.
            var index: [Key: [Int]] = [:]
            for r in bills[i].rows.reversed() { index[Key(r), default: []].append(r.line) }
            for j in bills.indices where j > i {
                var left = index
                var shared = 0
                var first: (line: Int, other: Int)?
                for r in bills[j].rows {
                    let k = Key(r)
                    guard let other = left[k]?.popLast() else { continue }
                    shared += 1
                    if first == nil { first = (r.line, other) }
                }
                guard shared > 0, let first else { continue }
                let a = bills[i], b = bills[j]
                let pair = "(the first: \(b.file):\(first.line) is \(a.file):\(first.other))"
                if shared == b.rows.count || shared == a.rows.count {
                    let (copy, original) = shared == b.rows.count ? (b, a) : (a, b)
                    throw CostperError(.badData, "\(copy.file) repeats \(original.file): each of its \(Show.count(copy.rows.count)) row\(copy.rows.count == 1 ? " is a row" : "s is a row") of \(original.file) \(by) \(pair); reading both would count these bills twice: keep one of them in the input folder")
                }
                notices.append("\(b.file) and \(a.file) share \(Show.count(shared)) row\(shared == 1 ? "" : "s") (of \(Show.count(b.rows.count)) and \(Show.count(a.rows.count))) \(by) \(pair): both were read, so those rows count twice; check that the exports do not overlap")
            }
        }
        return notices
    }

    /// A commitment's purchase with a non-zero EffectiveCost in `month` beside usage of the same
    /// commitment (CommitmentDiscountId) with an amortised EffectiveCost: on the EffectiveCost
    /// basis the commitment counts twice, once as bought and once as used.
    package static func commitmentNotices(_ bills: [FocusBill], month: Month, basis: FocusBasis) -> [String] {
        guard basis == .effective else { return [] }
        var usage: [String: Int] = [:]
        for b in bills {
            for r in b.rows where r.month == month && r.chargeCategory == "usage" && !r.commitmentDiscountId.isEmpty && r.effectiveCost.nanos != 0 {
                usage[r.commitmentDiscountId, default: 0] += 1
            }
        }
        guard !usage.isEmpty else { return [] }
        var notices: [String] = []
        for b in bills {
            for r in b.rows where r.month == month && r.chargeCategory == "purchase" && r.effectiveCost.nanos != 0 {
                guard let n = usage[r.commitmentDiscountId] else { continue }
                notices.append("\(b.file):\(r.line): the purchase of commitment \(Scalars.quoteForMessage(r.commitmentDiscountId)) has EffectiveCost \(r.effectiveCost.formatted(decimals: 2)) \(r.currency), beside \(Show.count(n)) usage row\(n == 1 ? "" : "s") of \(month) amortising the same commitment: with [focus] basis = \"effective\" the commitment counts twice (a FOCUS purchase row's EffectiveCost is 0 when its usage carries the amortised cost); check the export")
            }
        }
        return notices
    }

    /// `[[focus.rules]]` in costper.toml with no FOCUS export read: the bills they map are missing.
    package static func rulesWithoutFocus(_ config: CostperConfig, focusFiles: Int) -> String? {
        let n = config.bills.focus.rules.count
        guard n > 0, focusFiles == 0 else { return nil }
        return "costper.toml has \(n) [[focus.rules]] \(n == 1 ? "entry" : "entries") but no FOCUS export was read, so the month has no cloud bill from FOCUS (a FOCUS export is a .csv or .csv.gz file with BilledCost, EffectiveCost, BillingCurrency and ChargePeriodStart columns): check the input folder"
    }
}
