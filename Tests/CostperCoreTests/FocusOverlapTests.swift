// Issue 27, item 3: bills read once, and read at all (Bills/FocusOverlap.swift).
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

@Suite struct FocusOverlapTests {
    static let aws = String(decoding: try! Data(contentsOf: repoRoot.appendingPathComponent("data/sample/focus_aws.csv")), as: UTF8.self)
    static var awsLines: [String] { aws.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    static let sampleToml = String(decoding: try! Data(contentsOf: repoRoot.appendingPathComponent("data/sample/costper.toml")), as: UTF8.self)
        .components(separatedBy: "\n[[scenarios.route]]").first!   // the routing scenario needs a price catalog

    /// The tiny month (October 2026) with the sample's costper.toml and these FOCUS files.
    func month(_ focus: [(String, String)], toml: String = FocusOverlapTests.sampleToml) throws -> MonthAccounts {
        let dir = fixture("tiny")
        let cfg = try CostperConfig.parse(toml)
        return try MonthInput.accounts(tickets: .file(Buffer(file: dir.appendingPathComponent("tickets.csv")).input),
                                       requests: [.file(Buffer(file: dir.appendingPathComponent("requests.csv")).input)],
                                       fixedCosts: nil, config: cfg, prices: PriceCatalog(), month: nil,
                                       focus: focus.map { Buffer($0.0, $0.1).input }, invoices: nil)
    }

    func refusal(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as CostperError { #expect(e.exitCode == 65); return e.message } catch { return "\(error)" }
    }

    @Test func theSameExportSavedAgainWithCRLFIsRefused() throws {
        let crlf = Self.aws.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(crlf != Self.aws)
        #expect(refusal { _ = try month([("focus_aws.csv", Self.aws), ("focus_aws_october.csv", crlf)]) }
                == "focus_aws_october.csv repeats focus_aws.csv: each of its 161 rows is a row of focus_aws.csv by BillingAccountId, charge period, ResourceId, SkuPriceId, ChargeCategory and cost (the first: focus_aws_october.csv:2 is focus_aws.csv:2); reading both would count these bills twice: keep one of them in the input folder")
        // Read once, the month's bills are the sample's.
        let once = try month([("focus_aws.csv", Self.aws)])
        #expect(once.warnings.isEmpty)
        #expect(once.bills?.lines.reduce(0) { $0 + $1.net.nanos } == 504_000_000_000)
    }

    @Test func aFileThatIsPartOfAnotherIsRefusedToo() throws {
        let lines = Self.awsLines
        let part = ([lines[0]] + lines[10...12]).joined(separator: "\n") + "\n"
        #expect(refusal { _ = try month([("focus_a.csv", part), ("focus_b.csv", Self.aws)]) }
                == "focus_a.csv repeats focus_b.csv: each of its 3 rows is a row of focus_b.csv by BillingAccountId, charge period, ResourceId, SkuPriceId, ChargeCategory and cost (the first: focus_b.csv:11 is focus_a.csv:2); reading both would count these bills twice: keep one of them in the input folder")
    }

    @Test func aPartialOverlapIsANotice() throws {
        let lines = Self.awsLines
        // Rows 2-4 of the sample again, and a row of its own (another resource).
        let own = lines[1].replacingOccurrences(of: "domain/support-kb", with: "domain/support-kb-2")
        let other = ([lines[0]] + lines[1...3] + [own]).joined(separator: "\n") + "\n"
        let a = try month([("focus_aws.csv", Self.aws), ("focus_extra.csv", other)])
        let notice = "focus_extra.csv and focus_aws.csv share 3 rows (of 4 and 161) by BillingAccountId, charge period, ResourceId, SkuPriceId, ChargeCategory and cost (the first: focus_extra.csv:2 is focus_aws.csv:2): both were read, so those rows count twice; check that the exports do not overlap"
        #expect(a.warnings == [notice])
        #expect(a.notices.contains(notice))
        // Rows equal within one file are not an overlap (two identical charges may be two charges).
        let doubled = Self.aws + lines[1] + "\n"
        #expect(try month([("focus_aws.csv", doubled)]).warnings.isEmpty)
        // The same rows of another billing account are another bill.
        let otherAccount = Self.aws.replacingOccurrences(of: "acct-123456789012,", with: "acct-999999999999,")
        #expect(try month([("focus_aws.csv", Self.aws), ("focus_other.csv", otherAccount)]).warnings.isEmpty)
    }

    @Test func focusRulesWithNoFocusFileReadAreALoudNotice() throws {
        let a = try month([])
        let notice = "costper.toml has 4 [[focus.rules]] entries but no FOCUS export was read, so the month has no cloud bill from FOCUS (a FOCUS export is a .csv or .csv.gz file with BilledCost, EffectiveCost, BillingCurrency and ChargePeriodStart columns): check the input folder"
        #expect(a.warnings == [notice])
        #expect(a.notices.contains(notice))
        #expect(try month([], toml: "").warnings.isEmpty)
        #expect(try month([("focus_aws.csv", Self.aws)]).warnings.isEmpty)
    }

    @Test func aCommitmentPurchaseWithEffectiveCostBesideItsAmortisedUsageIsANotice() throws {
        // The sample's Savings Plan purchase (line 127) carries EffectiveCost 0, as FOCUS has it; here 100.
        let lines = Self.awsLines
        #expect(lines[126].contains(",100,0.1344086022,0,"))
        var changed = lines
        changed[126] = lines[126].replacingOccurrences(of: ",100,0.1344086022,0,", with: ",100,0.1344086022,100,")
        let text = changed.joined(separator: "\n") + "\n"
        let a = try month([("focus_aws.csv", text)])
        #expect(a.warnings == ["focus_aws.csv:127: the purchase of commitment \"arn:aws:savingsplans::123456789012:savingsplan/sp-0a1b2c3d\" has EffectiveCost 100.00 USD, beside 31 usage rows of 2026-10 amortising the same commitment: with [focus] basis = \"effective\" the commitment counts twice (a FOCUS purchase row's EffectiveCost is 0 when its usage carries the amortised cost); check the export"])
        // The purchase is counted as the export says (the notice does not change the figures).
        let once = try month([("focus_aws.csv", Self.aws)])
        #expect(a.bills!.lines.reduce(0) { $0 + $1.net.nanos } - once.bills!.lines.reduce(0) { $0 + $1.net.nanos } == 100_000_000_000)
        // On the BilledCost basis the purchase is the bill and the usage is billed 0: no notice.
        let billed = try month([("focus_aws.csv", text)], toml: Self.sampleToml.replacingOccurrences(of: "basis = \"effective\"", with: "basis = \"billed\""))
        #expect(billed.warnings.isEmpty)
    }
}
