// libFuzzer entry point: every input is fed to the CSV record reader, the JSON Lines reader, and a
// whole month (tickets + requests + fixed costs through MonthInput.accounts), in small in-memory
// buffers allocated to the exact size so that AddressSanitizer sees any read past the end.
// A requests file is also read split into chunks (ParallelIngest) and must give the same rows,
// rejects and total as the one-chunk read: that is the harness's oracle besides "no crash".
@testable import CostperCore   // the readers' row-level API is internal (scripts/fuzz builds with -enable-testing)

/// A copy of `bytes` in a buffer of exactly that size.
final class Exact {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer = .allocate(capacity: bytes.count)
        if bytes.count > 0 { _ = buffer.initialize(from: bytes) }
    }
    deinit { buffer.deallocate() }
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
    var r = CSVRecordReader(buffer: e.buffer)
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
    var r = JSONLinesReader(buffer: e.buffer, columns: RequestLayout.columns)
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

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
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
