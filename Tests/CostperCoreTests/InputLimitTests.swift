// Issue 7: the documented input limits (InputLimits) are enforced exactly, on every path of the
// readers, with a clear reason and no crash; and the fuzzer's regressions stay fixed.
@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore

@Suite struct InputLimitTests {
    let max = InputLimits.maxRecordBytes

    func csvReasons(_ bytes: [UInt8]) -> [String] {
        let b = Buffer("t.csv", bytes)
        var reader = CSVRecordReader(buffer: b.input.bytes)
        var fields = FieldList()
        var out: [String] = []
        while true {
            switch reader.next(into: &fields) {
            case .end: return out
            case .record(let line): out.append("\(line): \(fields.count) fields")
            case .malformed(let line, let reason): out.append("\(line): \(reason)")
            }
        }
    }

    @Test func anUnquotedRowOfExactlyTheLimitIsRead() {
        #expect(csvReasons([UInt8](repeating: 0x61, count: max) + [0x0A] + Array("b\n".utf8)) == ["1: 1 fields", "2: 1 fields"])
        #expect(csvReasons([UInt8](repeating: 0x61, count: max + 1) + [0x0A] + Array("b\n".utf8))
                == ["1: row longer than 1048576 bytes", "2: 1 fields"])
        // The last field of the file, without a line end, too.
        #expect(csvReasons(Array("a,".utf8) + [UInt8](repeating: 0x61, count: max)) == ["1: row longer than 1048576 bytes"])
    }

    @Test func aQuotedFieldOverTheLimitIsRejected() {
        let quoted = [0x22] + [UInt8](repeating: 0x61, count: max + 10) + [0x22, 0x0A] + Array("b\n".utf8)
        #expect(csvReasons(quoted).first == "1: row longer than 1048576 bytes")
        #expect(csvReasons(quoted).last == "2: 1 fields")
    }

    /// Was a heap overflow: doubled quotes skipped the length check, and the field was unescaped
    /// past the end of the 1 MiB scratch buffer.
    @Test func aFieldOfDoubledQuotesCannotOutgrowTheScratch() {
        let doubled = Array("x,\"".utf8) + [UInt8](repeating: 0x22, count: 2 * max + 4096) + Array("\"\nb\n".utf8)
        let reasons = csvReasons(doubled)
        #expect(reasons.first == "1: row longer than 1048576 bytes")
        // Just under the limit: read, unescaped to half its length.
        let under = Array("\"".utf8) + [UInt8](repeating: 0x22, count: max - 2) + Array("\"\n".utf8)
        let b = Buffer("t.csv", under)
        var reader = CSVRecordReader(buffer: b.input.bytes)
        var fields = FieldList()
        #expect(reader.next(into: &fields) == .record(line: 1))
        #expect(fields[0].count == (max - 2) / 2)
    }

    @Test func columnsUpToTheLimit() {
        let at = Array((String(repeating: "a,", count: InputLimits.maxColumns - 1) + "a\n").utf8)
        #expect(csvReasons(at) == ["1: 1024 fields"])
        let over = Array((String(repeating: "a,", count: InputLimits.maxColumns) + "a\nb\n").utf8)
        #expect(csvReasons(over) == ["1: more than 1024 columns", "2: 1 fields"])
        let trailingComma = Array((String(repeating: "a,", count: InputLimits.maxColumns) + "\n").utf8)
        #expect(csvReasons(trailingComma) == ["1: more than 1024 columns"])
    }

    @Test func anUnterminatedQuoteNamesTheLinesItSwallowed() {
        #expect(csvReasons(Array("a\n\"b\nc\nd\n".utf8)) == ["1: 1 fields", "2: unterminated quoted field (a quote opened here is never closed, so lines 2-4 were read as one row)"])
        #expect(csvReasons(Array("\"b".utf8)) == ["1: unterminated quoted field (a quote opened here is never closed)"])
    }

    @Test func aJSONLineOverTheLimitIsRejected() {
        let big = "{\"tenant\":\"" + String(repeating: "x", count: max) + "\"}\n{\"tenant\":\"a\"}\n"
        let b = Buffer("r.jsonl", big)
        var reader = JSONLinesReader(buffer: b.input.bytes, columns: ["tenant"])
        var fields = FieldList()
        #expect(reader.next(into: &fields) == .malformed(line: 1, reason: "line longer than 1048576 bytes"))
        #expect(reader.next(into: &fields) == .record(line: 2))
        #expect(reader.next(into: &fields) == .end)
    }

    @Test func escapesInAJSONLineAtTheLimitFitTheScratch() {
        // Every escape decodes to fewer bytes than it takes, so a line within the limit fits.
        let body = String(repeating: "\\u00e9", count: (max - 100) / 6)
        let line = "{\"tenant\":\"" + body + "\",\"model\":\"" + String(repeating: "\\\"", count: 10) + "\"}\n"
        let b = Buffer("r.jsonl", line)
        var reader = JSONLinesReader(buffer: b.input.bytes, columns: ["tenant", "model"])
        var fields = FieldList()
        #expect(reader.next(into: &fields) == .record(line: 1))
        #expect(fields[0].count == (max - 100) / 6 * 2)
        #expect(fields[1].count == 10)
    }

    @Test func emptyBuffersReadAsEnd() {
        let b = Buffer("e.csv", [UInt8]())
        var csv = CSVRecordReader(buffer: Bytes())
        var json = JSONLinesReader(buffer: Bytes(), columns: ["a"])
        var fields = FieldList()
        #expect(csv.next(into: &fields) == .end)
        #expect(json.next(into: &fields) == .end)
        var csv2 = CSVRecordReader(buffer: b.input.bytes)
        #expect(csv2.next(into: &fields) == .end)
    }

    @Test func messagesShowInvisibleCharactersByCode() {
        #expect(Scalars.quoteForMessage("\u{FEFF}0.5") == "\"\\u{feff}0.5\"")
        #expect(Scalars.quoteForMessage("evil\u{202E}txt.exe") == "\"evil\\u{202e}txt.exe\"")
        #expect(Scalars.quoteForMessage("a\u{200B}b") == "\"a\\u{200b}b\"")
        #expect(Scalars.quoteForMessage("Zoë") == "\"Zoë\"")
    }

    /// Inputs the fuzzer (scripts/fuzz) found or that guard its oracle: each goes through both
    /// readers and a whole month without a crash, and reads the same in one chunk and in many.
    @Test(arguments: regressionInputs())
    func fuzzRegression(_ name: String) throws {
        let bytes = Array(try Data(contentsOf: fixture("fuzz-regressions").appendingPathComponent(name)))
        let tickets = "ticket_id,outcome,tenant,closed_at\nT1,auto_resolved,Acme,2026-10-02T10:00:00Z\n"
        let t = Buffer("tickets.csv", tickets), r = Buffer("requests.csv", bytes)
        let book = try TicketBook.read(t.input)
        let reader = RequestReader(month: Month("2026-10")!, prices: PriceCatalog(), tickets: book)
        func read(workers: Int, splitAbove: Int) -> RequestLedger? {
            var ledger = RequestLedger(month: Month("2026-10")!, tickets: book.count, tenants: book.tenants.count)
            var tenants = book.tenants
            do { try reader.readAll(r.input, into: &ledger, tenants: &tenants, workers: workers, splitAbove: splitAbove) } catch { return nil }
            return ledger
        }
        let one = read(workers: 1, splitAbove: Int.max), many = read(workers: 4, splitAbove: 16)
        #expect((one == nil) == (many == nil))
        if let one, let many {
            #expect(one.rowsRead == many.rowsRead)
            #expect(one.rejects.sorted() == many.rejects.sorted())
            #expect(one.byCategory == many.byCategory)
        }
        _ = try? MonthInput.accounts(files: MonthFiles(tickets: t.input, requests: [r.input]), config: CostperConfig(), prices: PriceCatalog(), month: nil)
    }
}

func regressionInputs() -> [String] {
    // The files at the top (the readers' target); the new targets' finds are in subfolders.
    (try? FileManager.default.contentsOfDirectory(atPath: fixture("fuzz-regressions").path).filter { name in
        var dir: ObjCBool = false
        return !name.hasSuffix(".md") && FileManager.default.fileExists(atPath: fixture("fuzz-regressions/" + name).path, isDirectory: &dir) && !dir.boolValue
    }.sorted()) ?? []
}
