// libFuzzer entry point: every input is fed to the CSV record reader, the JSON Lines reader, and a
// whole month (tickets + requests + fixed costs through MonthInput.accounts), in small in-memory
// buffers allocated to the exact size so that AddressSanitizer sees any read past the end.
// A requests file is also read split into chunks (ParallelIngest) and must give the same rows,
// rejects and total as the one-chunk read: that is the harness's oracle besides "no crash".
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
@testable import CostperCore   // the readers' row-level API is internal (scripts/fuzz builds with -enable-testing)
@testable import CostperSite
import Gzip

/// A copy of `bytes` in a buffer of exactly that size.
final class Exact {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer = .allocate(capacity: bytes.count)
        if bytes.count > 0 { _ = buffer.initialize(from: bytes) }
    }
    deinit { buffer.deallocate() }
    /// The bytes as the readers take them (a read-only view of this exact-size buffer).
    var bytes: Bytes { Bytes(unsafe: UnsafeBufferPointer(buffer)) }
    /// The bytes as a reader's input: a heap copy of exactly this size, so ASan still sees overreads.
    func input(_ name: String) -> InputBuffer {
        InputBuffer(name: name, bytes: Array(buffer))
    }
}

let ticketsText = "ticket_id,outcome,tenant,closed_at,review_minutes\nT1,auto_resolved,Acme,2026-10-02T10:00:00Z,1\nT2,escalated,Globex,2026-10-03T10:00:00Z,2.5\n"
let requestsText = "timestamp,ticket_id,tenant,kind,model,input_tokens,output_tokens,cost_usd\n2026-10-02T09:00:00Z,T1,Acme,llm,m,10,5,\n2026-10-03T09:00:00Z,T9,Initech,llm,,,,0.002\n"
let prices = PriceCatalog([ModelPrice(model: "m", inputPerMTok: Money(dollars: 1), outputPerMTok: Money(dollars: 5))], source: "fuzz")
let october = Month("2026-10")!

func withExact<R>(_ text: String, _ body: (Exact) -> R) -> R {
    var t = text
    return t.withUTF8 { body(Exact($0)) }
}

func drainCSV(_ e: Exact) {
    var r = CSVRecordReader(buffer: e.bytes)
    var f = FieldList()
    var guardCount = 0
    while true {
        let before = r.position
        switch r.next(into: &f) {
        case .end: return
        case .record, .malformed:
            for i in 0..<f.count { _ = utf8String(f[i]); _ = Scalars.parseDecimal(f[i]); _ = Scalars.parseTimestamp(f[i]); _ = Scalars.parseCount(f[i]) }
        }
        precondition(r.position > before, "the CSV reader made no progress")
        guardCount += 1
        precondition(guardCount <= e.buffer.count + 1, "more records than bytes")
    }
}

func drainJSON(_ e: Exact) {
    var r = JSONLinesReader(buffer: e.bytes, columns: RequestLayout.columns)
    var f = FieldList()
    while true {
        let before = r.position
        switch r.next(into: &f) {
        case .end: return
        case .record, .malformed:
            for i in 0..<f.count { _ = utf8String(f[i]); _ = Scalars.parseDecimal(f[i]) }
        }
        precondition(r.position > before, "the JSON Lines reader made no progress")
    }
}

/// The requests file read in one chunk and in many: the same rows, rejects and money.
func differential(_ requests: Exact, tickets: Exact) {
    guard let book = try? TicketBook.read(tickets.input("tickets.csv")) else { return }
    let reader = RequestReader(month: october, prices: prices, tickets: book)
    func read(workers: Int, splitAbove: Int) -> RequestLedger? {
        var ledger = RequestLedger(month: october, tickets: book.count, tenants: book.tenants.count)
        var tenants = book.tenants
        do { try reader.readAll(requests.input("requests.csv"), into: &ledger, tenants: &tenants, workers: workers, splitAbove: splitAbove) } catch { return nil }
        return ledger
    }
    guard let one = read(workers: 1, splitAbove: Int.max), let many = read(workers: 4, splitAbove: 16) else { return }
    precondition(one.rowsRead == many.rowsRead, "rows read differ: \(one.rowsRead) in one chunk, \(many.rowsRead) in chunks")
    precondition(one.rejects.count == many.rejects.count, "rejects differ: \(one.rejects.count) vs \(many.rejects.count)")
    precondition(one.requests == many.requests, "requests differ")
    if !one.overflowed && !many.overflowed {
        precondition(one.byCategory == many.byCategory, "costs differ")
        precondition(one.rejects.map(\.line).sorted() == many.rejects.map(\.line).sorted(), "reject lines differ: \(one.rejects.map(\.line).sorted()) vs \(many.rejects.map(\.line).sorted())")
    }
}

func month(tickets: Exact, requests: Exact, fixed: Exact?, inferred: Bool) {
    let files = MonthFiles(tickets: tickets.input("tickets.csv"), requests: [requests.input("requests.csv")], fixedCosts: fixed?.input("fixed_costs.csv"))
    if let a = try? MonthInput.accounts(files: files, config: CostperConfig(), prices: prices, month: inferred ? nil : october, workers: 1) {
        precondition(a.files.allSatisfy { $0.rejected <= $0.rowsRead }, "more rejects than rows")
    }
}

// MARK: targets (scripts/fuzz TARGET MINUTES; COSTPER_FUZZ_TARGET selects one in this binary)

/// The target this process fuzzes: readers (the default), toml, templates, otlp, litellm, langfuse, helpdesk, focus, gzip.
let target = ProcessInfo.processInfo.environment["COSTPER_FUZZ_TARGET"] ?? "readers"

let zendeskMapping = try! CostperConfig.parse("""
    [tickets]
    id = "Id"
    status = "Status"
    tags = "Tags"
    tenant = "Organization"
    closed_at = "Solved at"
    review_minutes = "AI review minutes [decimal]"
    outcome_rules = [
      { tag = "escalated", outcome = "escalated" },
      { status = ["solved", "closed"], tag = "ai_resolved", outcome = "auto_resolved" },
    ]
    """).exports.tickets!

/// costper.toml: parsed from the bytes as the command line does (NUL and invalid UTF-8 refused
/// first); whatever parses must give figures in range and must not trap when used.
func fuzzTOML(_ e: Exact) {
    guard let text = try? TextFile.decode(e.bytes, file: "costper.toml"),
          let c = try? CostperConfig.parse(text) else { return }
    _ = c.baseline.resolved(.usd).cost.formatted(decimals: 6)
    _ = c.reviewCostPerMinute.times(Quotient(60)).formatted(decimals: 2)
    precondition(c.company.count <= InputLimits.maxTextBytes + 1, "company not cut")
    for b in c.budgets { _ = b.amount.formatted(decimals: 2) }
    withExact(ticketsText) { t in withExact(requestsText) { r in
        let files = MonthFiles(tickets: t.input("tickets.csv"), requests: [r.input("requests.csv")], fixedCosts: nil)
        _ = try? MonthInput.accounts(files: files, config: c, prices: prices, month: october, workers: 1)
    } }
}

/// A report template: the nesting check, then the Mustache parser, then a render of a context.
func fuzzTemplate(_ e: Exact) {
    guard let text = try? TextFile.decode(e.bytes, file: "report.md.mustache") else { return }
    guard let set = try? TemplateSet(report: text, layout: text, index: "", stylesheet: "") else { return }
    let context: [String: Any] = ["company": "<b>x</b> & *y*", "rows": [["a": "1"], ["a": "[b](javascript:x)"]], "flag": true, "n": "3"]
    _ = set.report.render(context)
    _ = set.layout.render(context)
}

/// An export adapter over the bytes; what it adapts then goes through the month's rules.
func fuzzAdapter(_ e: Exact, _ name: String) {
    let input = e.input(name)
    var settings = ExportSettings()
    settings.tickets = zendeskMapping
    switch target {
    case "otlp": _ = try? OTLPTraces.requests(input, settings: settings.otlp)
    case "litellm":
        _ = try? LiteLLMSpendLogs.requests(input, settings: settings.litellm)
        if let c = try? PriceCatalog.readLiteLLM(input) {
            for m in c.modelNames { _ = c[m]?.cost(input: 1_000_000_000_000, cachedInput: 0, output: 1_000_000_000_000) }
        }
    case "langfuse": _ = try? LangfuseObservations.requests(input, settings: settings.langfuse)
    default: _ = try? HelpdeskTickets.tickets(input, mapping: zendeskMapping)
    }
    // And the whole month with the export among the sources (detection by content included).
    var config = CostperConfig()
    config.exports = settings
    withExact(ticketsText) { t in
        let sources = target == "helpdesk" ? [input, InputBuffer(name: "requests.csv", bytes: Array(requestsText.utf8))] : [t.input("tickets.csv"), input]
        if let a = try? ExportIngest.accounts(sources: sources, fixedCosts: nil, config: config, prices: prices, month: october, workers: 1) {
            precondition(a.files.allSatisfy { $0.rejected <= $0.rowsRead }, "more rejects than rows")
        }
    }
}

/// The month's FOCUS rules, as data/sample's costper.toml has them (vector_db, observability,
/// infrastructure by service and category).
let focusConfig = try! CostperConfig.parse("""
    [focus]
    allow_net_credits = true
    [[focus.rules]]
    service_name = "Amazon OpenSearch Service"
    category = "vector_db"
    [[focus.rules]]
    service_category = "Compute"
    category = "infrastructure"
    [[focus.rules]]
    provider = "Anthropic"
    category = "model"
    """)

/// Two FOCUS files from the bytes: all of them, and the same up to the last line break before
/// two thirds (its header and first rows again): each read, checked for rows read twice
/// (FocusOverlap), then the whole month with both.
func fuzzFocus(_ e: Exact) {
    let all = Array(e.buffer)
    let cut = all[..<(all.count * 2 / 3)].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
    let inputs = [InputBuffer(name: "focus_a.csv", bytes: all), InputBuffer(name: "focus_b.csv", bytes: Array(all[..<cut]))]
    var bills: [FocusBill] = []
    for i in inputs { if let b = try? FocusBill.read(i, basis: .effective) { bills.append(b) } }
    for b in bills { precondition(b.rows.count + b.rejects.count <= b.rowsRead + 1, "more rows than read") }
    _ = try? FocusOverlap.check(bills)
    _ = FocusOverlap.commitmentNotices(bills, month: october, basis: .effective)
    withExact(ticketsText) { t in withExact(requestsText) { r in
        _ = try? MonthInput.accounts(tickets: .file(t.input("tickets.csv")), requests: [.file(r.input("requests.csv"))], fixedCosts: nil,
                                     config: focusConfig, prices: prices, month: october, workers: 1, focus: [inputs[0]])
    } }
}

/// gunzip over the bytes (at most 4 MiB out); what comes out is read as a FOCUS export.
func fuzzGzip(_ e: Exact) {
    let result = Gunzip.decompress(UnsafeRawBufferPointer(e.buffer), limit: 4 << 20)
    guard case .success(let bytes) = result else { return }
    precondition(bytes.count <= 4 << 20, "gunzip past its limit")
    _ = try? FocusBill.read(InputBuffer(name: "focus.csv.gz", bytes: bytes), basis: .effective)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    switch target {
    case "readers": break
    case "toml": fuzzTOML(Exact(bytes)); return 0
    case "templates": fuzzTemplate(Exact(bytes)); return 0
    case "otlp": fuzzAdapter(Exact(bytes), "traces.jsonl"); return 0
    case "litellm": fuzzAdapter(Exact(bytes), bytes.first == UInt8(ascii: "{") || bytes.first == UInt8(ascii: "[") ? "spend_logs.json" : "spend_logs.csv"); return 0
    case "langfuse": fuzzAdapter(Exact(bytes), "observations.csv"); return 0
    case "helpdesk": fuzzAdapter(Exact(bytes), "zendesk_tickets.csv"); return 0
    case "focus": fuzzFocus(Exact(bytes)); return 0
    case "gzip": fuzzGzip(Exact(bytes)); return 0
    default: fatalError("COSTPER_FUZZ_TARGET must be readers, toml, templates, otlp, litellm, langfuse, helpdesk, focus or gzip")
    }
    let whole = Exact(bytes)
    drainCSV(whole)
    drainJSON(whole)
    let selector = size > 0 ? bytes[0] % 5 : 0
    let body = Exact(UnsafeBufferPointer(rebasing: bytes.dropFirst(min(1, size))))
    withExact(ticketsText) { t in
        withExact(requestsText) { r in
            switch selector {
            case 0: month(tickets: t, requests: body, fixed: nil, inferred: false); differential(body, tickets: t)
            case 1: month(tickets: body, requests: r, fixed: nil, inferred: false); differential(r, tickets: body)
            case 2: month(tickets: t, requests: r, fixed: body, inferred: false)
            case 3: month(tickets: t, requests: body, fixed: nil, inferred: true)
            default:
                // Both files from the input, split at its middle.
                let mid = body.buffer.count / 2
                let a = Exact(UnsafeBufferPointer(rebasing: UnsafeBufferPointer(body.buffer)[..<mid]))
                let b = Exact(UnsafeBufferPointer(rebasing: UnsafeBufferPointer(body.buffer)[mid...]))
                month(tickets: a, requests: b, fixed: nil, inferred: true)
                differential(b, tickets: a)
            }
        }
    }
    return 0
}

// SwiftPM links an executable target's entry point as `<target>_main`; hand it to libFuzzer's driver
// (libFuzzer's own main() is then not linked in).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ body: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

@_cdecl("CostperFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzOne(data, size) }
}
