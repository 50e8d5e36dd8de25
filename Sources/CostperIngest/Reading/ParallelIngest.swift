// Reading a large requests file on every core: the file is cut into chunks at line starts, each
// chunk is read into its own ledger, and the ledgers are merged.
//
// A cut may fall inside a quoted field that spans lines (CSV). Each chunk's reader therefore
// stops at the first record that starts at or after the next cut; when that is exactly the cut,
// the next chunk began on a record boundary and its work stands. Otherwise the next chunks are
// discarded and this reader goes on to the end of the file alone: slower, never wrong. The
// readers never write to the file, so a discarded chunk leaves nothing behind.
import CostperMoney
import CostperVocabulary
import CIngest
import Foundation

/// A reader of records (CSV or JSON Lines).
package protocol RecordSource {
    var position: Int { get }
    var line: Int { get }
    mutating func next(into fields: inout FieldList) -> RecordStatus
}
extension CSVRecordReader: RecordSource {}
extension JSONLinesReader: RecordSource {}

/// Either reader, driven the same way.
package enum RowReader {
    case csv(CSVRecordReader)
    case jsonLines(JSONLinesReader)

    package var position: Int {
        switch self { case .csv(let r): return r.position; case .jsonLines(let r): return r.position }
    }
    package var line: Int {
        switch self { case .csv(let r): return r.line; case .jsonLines(let r): return r.line }
    }
    package mutating func next(into fields: inout FieldList) -> RecordStatus {
        switch self {
        case .csv(var r): let s = r.next(into: &fields); self = .csv(r); return s
        case .jsonLines(var r): let s = r.next(into: &fields); self = .jsonLines(r); return s
        }
    }
}

/// One chunk's work; a class so that worker threads can each fill their own.
package final class ChunkWork: @unchecked Sendable {
    package var ledger: RequestLedger
    package var tenants: Dimension
    package var rejects: [Reject] = []
    package var rows = 0
    package var reader: RowReader
    package let stopAt: Int
    package var endPosition = 0
    package var endLine = 0
    package init(ledger: RequestLedger, tenants: Dimension, reader: RowReader, stopAt: Int) {
        self.ledger = ledger
        self.tenants = tenants
        self.reader = reader
        self.stopAt = stopAt
    }
}

package extension RequestReader {
    /// The smallest file worth splitting.
    package static let parallelThreshold = 4 << 20

    /// Reads a requests file (CSV or JSON Lines) into `ledger`, on `workers` threads when the file is large.
    package func readAll(_ input: InputBuffer, into ledger: inout RequestLedger, tenants: inout Dimension,
                        workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                        splitAbove: Int = RequestReader.parallelThreshold) throws(CostperError) {
        let format = InputFormat.sniff(input.bytes)
        let columns = RequestLayout.columns
        // The header (CSV) or nothing (JSON Lines) comes first, read here.
        var header: HeaderMap
        var dataStart = 0
        var firstLine = 1
        switch format {
        case .csv:
            var r = CSVRecordReader(buffer: input.bytes)
            var f = FieldList()
            header = try HeaderMap.read(&r, fields: &f, file: input.name, required: RequestLayout.required, known: columns)
            dataStart = r.position
            firstLine = r.line
        case .jsonLines:
            header = HeaderMap.canonical(columns)
        }
        let layout = RequestLayout(header)
        let size = input.bytes.count
        let n = size - dataStart >= splitAbove ? max(1, min(workers, 16)) : 1
        // Cut points: just after a newline near each 1/n of the file.
        var cuts = [dataStart]
        for k in 1..<n {
            var p = dataStart + (size - dataStart) / n * k
            while p < size && input.bytes[p - 1] != 0x0A { p += 1 }
            if p > cuts.last! && p < size { cuts.append(p) }
        }
        cuts.append(size)
        let chunks = cuts.count - 1

        func makeReader(_ start: Int, _ line: Int) -> RowReader {
            switch format {
            case .csv: return .csv(CSVRecordReader(buffer: input.bytes, start: start, line: line))
            case .jsonLines: return .jsonLines(JSONLinesReader(buffer: input.bytes, columns: columns, start: start, line: line))
            }
        }
        // Chunks after the first get a placeholder; their worker makes the full ledger (per-ticket
        // arrays) when it starts, so no template copy is held alongside (100 MB at 2.5M tickets).
        let fresh = RequestLedger(month: ledger.month, tickets: 0, tenants: 0)
        let ticketCount = tickets.count, tenantCount = tenants.count, requestTenants = !ledger.ticketRequestTenant.isEmpty
        let ticketPrompts = !ledger.ticketPrompts.isEmpty
        // The first chunk takes the caller's ledger itself (moved, not copied: a copy would make
        // its per-ticket array copy itself on the first write, 40 bytes a ticket more at the peak).
        var callers = fresh
        swap(&callers, &ledger)
        var work: [ChunkWork] = []
        for c in 0..<chunks {
            work.append(ChunkWork(ledger: c == 0 ? callers : fresh, tenants: tenants,
                                  reader: makeReader(cuts[c], c == 0 ? firstLine : 1), stopAt: cuts[c + 1]))
            if c == 0 { callers = fresh }
        }
        let requiredSlots = format == .jsonLines ? RequestLayout.required.compactMap { header.position($0) } : []
        let file = input.name
        let headerCount = header.columns.count
        let isCSV = format == .csv

        /// The loop over one chunk, specialised per reader; the ledger is moved into a local for
        /// the loop (no class access or copy-on-write per row) and moved back after. Behind the
        /// reader, pages already read are handed back to the kernel (they are the file's own,
        /// read-only: a later access reads them again from the page cache), so resident memory
        /// stays small however large the file.
        /// One record is read ahead of the one being added: its ticket's slot is prefetched
        /// before the current record's work, and its totals after it, so that the two cache
        /// misses of a time-ordered export (a different ticket on nearly every row) overlap
        /// with work instead of stalling it (they were a quarter of `add`). Fields stay valid
        /// while the next record is read (FieldScratch's two halves).
        @Sendable func loop<R: RecordSource>(_ r: inout R, _ w: ChunkWork, stop: Int) {
            var fields = FieldList(), ahead = FieldList()
            var ledger = RequestLedger(month: w.ledger.month, tickets: 0, tenants: 0)
            swap(&ledger, &w.ledger)
            if ledger.ticketUsage.count != ticketCount {
                ledger = RequestLedger(month: ledger.month, tickets: ticketCount, tenants: tenantCount, requestTenants: requestTenants, ticketPrompts: ticketPrompts)
            }
            var tenants = Dimension()
            swap(&tenants, &w.tenants)
            var rejects: [Reject] = []
            swap(&rejects, &w.rejects)
            var rows = w.rows
            var released = r.position
            // The record to add, and where it started (pages before it are done with).
            var current: RecordStatus? = r.position < stop ? r.next(into: &fields) : nil
            var currentFrom = released
            while let status = current {
                // Read the next record first, and ask for its ticket's slot.
                var next: RecordStatus?
                let nextFrom = r.position
                var nextSlot: Int?
                if status != .end && r.position < stop {
                    if currentFrom - released >= 8 << 20 {
                        input.releasePages(from: released, upTo: currentFrom)   // nothing unless a file mapping
                        released = currentFrom
                    }
                    next = r.next(into: &ahead)
                    if case .record = next, let numbering, ahead.count > layout.ticketID,
                       let s = numbering.slot(ahead.view[layout.ticketID]) {
                        numbering.prefetch(slot: s)
                        nextSlot = s
                    }
                }
                switch status {
                case .end:
                    break
                case .malformed(let line, let reason):
                    rows += 1
                    rejects.append(Reject(file: file, line: line, column: "", reason: reason))
                case .record(let line):
                    rows += 1
                    if isCSV && fields.count != headerCount {
                        rejects.append(Reject(file: file, line: line, column: "", reason: "has \(fields.count) fields, the header has \(headerCount)"))
                    } else if let missing = requiredSlots.first(where: { !fields.isPresent($0) }) {
                        rejects.append(Reject(file: file, line: line, column: columns[missing], reason: "is missing"))
                    } else {
                        add(line: line, file: file, layout: layout, fields: fields, ledger: &ledger, tenants: &tenants, rejects: &rejects)
                    }
                }
                if status == .end { break }
                // The next record's slot has had this record's work to arrive: its totals now.
                if let s = nextSlot, let t = numbering!.ticket(atSlot: s) {
                    MemoryHints.prefetch(ledger.ticketUsage, at: t)
                }
                swap(&fields, &ahead)
                current = next
                currentFrom = nextFrom
            }
            swap(&ledger, &w.ledger)
            swap(&tenants, &w.tenants)
            swap(&rejects, &w.rejects)
            w.rows = rows
        }

        @Sendable func run(_ w: ChunkWork, stop: Int) {
            switch w.reader {
            case .csv(var r):
                loop(&r, w, stop: stop)
                w.reader = .csv(r)
            case .jsonLines(var r):
                loop(&r, w, stop: stop)
                w.reader = .jsonLines(r)
            }
            w.endPosition = w.reader.position
            w.endLine = w.reader.line
        }

        if chunks == 1 {
            run(work[0], stop: size)
        } else {
            // Each chunk's reader counts itself in while it reads: the file's background hash
            // waits while every core reads, and takes a core as soon as one is free (sharing a
            // core with it, one chunk ended up to a second after the other).
            let shared = work
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                input.region.readersStart()
                run(shared[c], stop: shared[c].stopAt)
                input.region.readersEnd()
            }
        }
        // Merge in file order; a chunk stands only if the one before stopped exactly at its start.
        let first = work[0]
        var lineOffset = 0
        var c = 0
        while c < chunks {
            let w = work[c]
            if c > 0 {
                for i in w.rejects.indices { w.rejects[i].line += lineOffset }
                first.rejects.append(contentsOf: w.rejects)
                first.rows += w.rows
                try RequestReader.checkMergeFits(first.ledger, w.ledger)
                first.ledger.merge(w.ledger, tenants: w.tenants, into: &first.tenants)
            }
            if c + 1 < chunks {
                if w.endPosition == cuts[c + 1] {
                    lineOffset = (c == 0 ? w.endLine : w.endLine + lineOffset) - 1
                } else {
                    // The cut fell inside a record: read on from here alone.
                    let tail = ChunkWork(ledger: fresh, tenants: w.tenants, reader: w.reader, stopAt: size)
                    run(tail, stop: size)
                    for i in tail.rejects.indices { tail.rejects[i].line += c == 0 ? 0 : lineOffset }
                    first.rejects.append(contentsOf: tail.rejects)
                    first.rows += tail.rows
                    try RequestReader.checkMergeFits(first.ledger, tail.ledger)
                    first.ledger.merge(tail.ledger, tenants: tail.tenants, into: &first.tenants)
                    break
                }
            }
            c += 1
        }
        swap(&ledger, &first.ledger)   // moved out: the ChunkWork keeps no second reference
        tenants = first.tenants
        ledger.rowsRead += first.rows
        ledger.rejects.append(contentsOf: first.rejects)
        ledger.formats.append(format)
        for col in header.unknown where !ledger.unknownColumns.contains(col) { ledger.unknownColumns.append(col) }
        if case .jsonLines(let r) = work[0].reader {
            for k in r.unknownKeys where !ledger.unknownColumns.contains(k) { ledger.unknownColumns.append(k) }
        }
    }
}

package extension RequestReader {
    /// Each chunk's category sums fit in Int64 (a row that would overflow is rejected as it is
    /// read); their merge may not, and must stop the run rather than wrap around.
    package static func checkMergeFits(_ a: RequestLedger, _ b: RequestLedger) throws(CostperError) {
        for c in a.byCategory.indices where a.byCategory[c].addingReportingOverflow(b.byCategory[c]).overflow {
            throw CostperError(.badData, "the month's costs add up to more than costper's money range (about $9.2 billion): check cost_usd and amount_usd")
        }
        if a.tokenTotal.addingReportingOverflow(b.tokenTotal).overflow {
            throw CostperError(.badData, "the month's tokens add up to more than costper's count range (about 9.2 billion billion): check input_tokens and output_tokens")
        }
    }
}

package extension RequestLedger {
    /// Adds another chunk's ledger to this one; `tenants` is that chunk's tenant dimension and
    /// `into` this ledger's, so that names new to that chunk get an index here.
    package mutating func merge(_ o: RequestLedger, tenants other: Dimension, into mine: inout Dimension) {
        for c in byCategory.indices { byCategory[c] &+= o.byCategory[c] }
        requests += o.requests
        tokenTotal += o.tokenTotal
        rowsRead += o.rowsRead
        outsideMonth += o.outsideMonth
        outsideMonths.merge(o.outsideMonths, uniquingKeysWith: +)
        roundedCosts += o.roundedCosts
        pricedFromCatalog += o.pricedFromCatalog
        overflowed = overflowed || o.overflowed
        orphanRequests += o.orphanRequests
        orphanCost.nanos &+= o.orphanCost.nanos
        rejects.append(contentsOf: o.rejects)

        func remap(_ from: Dimension, _ to: inout Dimension) -> [Int] {
            (0..<from.count).map { i in i == 0 ? 0 : to.table.insert(from.table.key(i)).index }
        }
        let tenantMap = remap(other, &mine)
        for t in ticketUsage.indices where o.ticketUsage[t].requests != 0 {
            let u = o.ticketUsage[t]
            ticketUsage[t].cost &+= u.cost
            ticketUsage[t].requests = Int32(clamping: Int64(ticketUsage[t].requests) + Int64(u.requests))
            ticketUsage[t].inputTokens &+= u.inputTokens
            ticketUsage[t].outputTokens &+= u.outputTokens
            ticketUsage[t].firstRequest = Swift.min(ticketUsage[t].firstRequest, u.firstRequest)
        }
        if !ticketRequestTenant.isEmpty && !o.ticketRequestTenant.isEmpty {
            for t in ticketRequestTenant.indices where ticketRequestTenant[t] == 0 && o.ticketRequestTenant[t] != 0 {
                ticketRequestTenant[t] = Int32(tenantMap[Int(o.ticketRequestTenant[t])])
            }
        }
        for (i, u) in o.orphanByTenant.enumerated() where u.requests > 0 {
            let j = tenantMap[i]
            while orphanByTenant.count <= j { orphanByTenant.append(UsageTotals()) }
            orphanByTenant[j].merge(u)
        }
        for i in 0..<o.orphanTickets.count { orphanTickets.insert(o.orphanTickets.key(i)) }

        let modelMap = remap(o.models, &models)
        let endpointMap = remap(o.endpoints, &endpoints)
        let promptMap = remap(o.promptVersions, &promptVersions)
        func mergeUsage(_ a: inout [UsageTotals], _ b: [UsageTotals], _ map: [Int]) {
            for (i, u) in b.enumerated() where u.requests > 0 {
                let j = map[i]
                while a.count <= j { a.append(UsageTotals()) }
                a[j].merge(u)
            }
        }
        // The prompt versions each ticket's requests name, in this ledger's indices.
        if !ticketPrompts.isEmpty { ticketPrompts.merge(o.ticketPrompts, map: promptMap) }
        mergeUsage(&byModel, o.byModel, modelMap)
        mergeUsage(&byEndpoint, o.byEndpoint, endpointMap)
        mergeUsage(&byPromptVersion, o.byPromptVersion, promptMap)
        for (key, u) in zip(o.leverKeys, o.leverUsage) {
            leverUsage[lever(modelMap[key >> 32] << 32 | key & 0xFFFF_FFFF)].merge(u)
        }
        ticketModels.merge(o.ticketModels, map: modelMap)
        for (key, u) in zip(o.pairKeys, o.pairUsage) {
            let k = endpointMap[key >> 32] << 32 | promptMap[key & 0xFFFF_FFFF]
            pairUsage[pair(k)].merge(u)
        }
        latestRequest = Swift.max(latestRequest, o.latestRequest)
        for h in hourlyRequests.indices {
            hourlyRequests[h] += o.hourlyRequests[h]
            hourlyErrors[h] += o.hourlyErrors[h]
        }
    }
}
