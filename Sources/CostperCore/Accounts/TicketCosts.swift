// ticket_costs.csv (or .jsonl): one row per ticket with its cost already summed by category, as
// warehouse queries export it. It replaces requests.csv + tickets.csv; the report is the same.
import CostperMoney
import CostperIngest
import CostperVocabulary


package struct TicketCostsFile: Sendable, Codable {
    /// One `<category>_usd` column per category; infrastructure is accepted too (usually fixed).
    package static let categoryColumns = CostCategory.allCases.map { "\($0.rawValue)_usd" }
    package static let extraColumns = ["requests", "input_tokens", "output_tokens", "model", "prompt_version", "endpoint"]
    package static var columns: [String] { TicketBook.baseColumns + categoryColumns + extraColumns }
    /// The `outcome` of a row that holds requests whose ticket is not in the source's tickets
    /// (what `costper sql` writes for them): counted as orphan requests, as requests.csv's are.
    package static let orphanOutcome = "orphan"

    /// True when a header names a ticket-level export: ticket_id, outcome and a `<category>_usd` column.
    package static func matches(_ columns: [String]) -> Bool {
        columns.contains("ticket_id") && columns.contains("outcome") && columns.contains { categoryColumns.contains($0) }
    }

    /// Reads the month from a ticket-level file. Tickets without closed_at belong to the month
    /// reported (`--month`, else the month most tickets closed in).
    package static func accounts(_ input: InputBuffer, fixedCosts: InputBuffer?, config: CostperConfig, month requested: Month?) throws(CostperError) -> MonthAccounts {
        var book = TicketBook()
        var costs: [[Int64]] = []          // per ticket, per category (nanos)
        var usage: [(requests: Int64, input: Int64, output: Int64)] = []
        var modelText: [String] = [], promptText: [String] = [], endpointText: [String] = []
        var rejects: [Reject] = []
        var rounded = 0
        // Requests and tokens of every accepted row (of any month): the month's sums are at most
        // these, so a row that would make them overflow is rejected and no later sum can wrap.
        var allRequests: Int64 = 0, allTokens: Int64 = 0
        // Orphan rows: requests without a ticket, kept apart from the tickets.
        var orphans: [(id: String, tenant: String, costs: [Int64], usage: (requests: Int64, input: Int64, output: Int64), texts: [String], line: Int)] = []
        let (header, rows, format) = try readAnyTable(input, columns: columns, required: TicketBook.required, rejects: &rejects) { line, header, fields, rejects in
            func col(_ n: String) -> Bytes? { header.position(n).map { fields[$0] } }
            func reject(_ c: String, _ r: String) { rejects.append(Reject(file: input.name, line: line, column: c, reason: r)) }
            var row = [Int64](repeating: 0, count: CostCategory.allCases.count)
            var review: Int64 = -1
            for c in CostCategory.allCases {
                let name = "\(c.rawValue)_usd"
                guard let f = col(name), !f.isEmpty else { continue }
                switch Scalars.parseDecimal(f) {
                case .success(let r):
                    if r.rounded { rounded += 1 }
                    if c == .human_review { review = r.value } else { row[c.index] = r.value }
                case .failure(let e): return reject(name, e.reason(for: String(decoding: f, as: UTF8.self)))
                }
            }
            var counts: [Int64] = []
            for name in ["requests", "input_tokens", "output_tokens"] {
                guard let f = col(name), !f.isEmpty else { counts.append(0); continue }
                switch Scalars.parseCount(f) {
                case .success(let v):
                    // Warehouses export INT64_MAX for "unknown": a count no ticket reaches.
                    if v > InputLimits.maxCount {
                        return reject(name, name == "requests" ? "is more than a trillion requests" : "is more than a trillion tokens")
                    }
                    counts.append(v)
                case .failure(let e): return reject(name, e.reason(for: String(decoding: f, as: UTF8.self)))
                }
            }
            let (sumRequests, o1) = allRequests.addingReportingOverflow(counts[0])
            let (sumTokens, o2) = allTokens.addingReportingOverflow(counts[1] + counts[2])
            if o1 { return reject("requests", "adding these requests overflows the file's request count (above 9.2 billion billion)") }
            if o2 { return reject(counts[1] >= counts[2] ? "input_tokens" : "output_tokens", "adding these tokens overflows the file's token count (above 9.2 billion billion)") }
            var texts: [String] = []
            for name in ["model", "prompt_version", "endpoint"] {
                let f = col(name) ?? Bytes()
                if f.count > InputLimits.maxTextBytes { return reject(name, "is longer than \(InputLimits.maxTextBytes) bytes") }
                guard let s = utf8String(f) else { return reject(name, "is not valid UTF-8") }
                texts.append(s)
            }
            if let o = col("outcome"), utf8String(o) == orphanOutcome {
                guard let idField = col("ticket_id"), !idField.isEmpty else { return reject("ticket_id", "is empty") }
                guard idField.count <= InputLimits.maxTextBytes else { return reject("ticket_id", "is longer than \(InputLimits.maxTextBytes) bytes") }
                guard let id = utf8String(idField) else { return reject("ticket_id", "is not valid UTF-8") }
                let tenantField = col("tenant") ?? Bytes()
                if tenantField.count > InputLimits.maxTextBytes { return reject("tenant", "is longer than \(InputLimits.maxTextBytes) bytes") }
                guard let tenant = utf8String(tenantField) else { return reject("tenant", "is not valid UTF-8") }
                if review > 0 { return reject("human_review_usd", "an orphan row (requests without a ticket) has no human review") }
                if let m = col("review_minutes"), !m.isEmpty { return reject("review_minutes", "an orphan row (requests without a ticket) has no human review") }
                if let c = col("closed_at"), !c.isEmpty { return reject("closed_at", "an orphan row (requests without a ticket) has no closed_at: it counts in the month reported") }
                orphans.append((id, tenant, row, (counts[0], counts[1], counts[2]), texts, line))
                return
            }
            let before = book.count
            book.add(line: line, file: input.name, header: header, fields: &fields, rejects: &rejects)
            guard book.count > before else { return }
            allRequests = sumRequests; allTokens = sumTokens
            costs.append(row)
            book.reviewCostOverride.append(review)
            usage.append((counts[0], counts[1], counts[2]))
            modelText.append(texts[0]); promptText.append(texts[1]); endpointText.append(texts[2])
        }
        book.rowsRead = rows
        book.rejects = rejects
        book.unknownColumns = header.unknown
        book.format = format

        let month: Month
        if let requested { month = requested }
        else if let m = MonthInput.inferMonth(book: book, requests: []) { month = m }
        else { throw CostperError(.badData, "no closed_at names a month; give one with --month YYYY-MM", at: InputLocation(file: input.name)) }

        var ledger = RequestLedger(month: month, tickets: book.count, tenants: book.tenants.count)
        for t in 0..<book.count {
            let closed = book.closedAt[t]
            if closed == Int64.min { ledger.ticketUsage[t].firstRequest = 0 }   // counted in the month reported
            let stamp = closed == Int64.min ? month.startEpochSeconds : closed
            guard stamp >= month.startEpochSeconds && stamp < month.endEpochSeconds else { continue }
            var ticketTotal: Int64 = 0
            for c in CostCategory.allCases where costs[t][c.index] != 0 {
                let (s, o) = ledger.byCategory[c.index].addingReportingOverflow(costs[t][c.index])
                let (tt, o2) = ticketTotal.addingReportingOverflow(costs[t][c.index])
                if o || o2 { throw CostperError(.badData, "the month's costs add up to more than costper's money range (about $9.2 billion)", at: InputLocation(file: input.name, line: Int(book.line[t]))) }
                ledger.byCategory[c.index] = s
                ticketTotal = tt
            }
            let u = usage[t]
            ledger.requests += u.requests            // at most allRequests: cannot overflow
            ledger.tokenTotal += u.input + u.output
            ledger.ticketUsage[t].cost = ticketTotal
            ledger.ticketUsage[t].requests = Int32(clamping: u.requests)
            ledger.ticketUsage[t].inputTokens = u.input
            ledger.ticketUsage[t].outputTokens = u.output
            if stamp > ledger.latestRequest { ledger.latestRequest = stamp }
            // Request-level breakdowns: the ticket's model, prompt version and endpoint.
            @discardableResult func add(_ dim: inout Dimension, _ text: String, _ totals: inout [UsageTotals]) -> Int {
                let i = Bytes.of(text) { dim.index($0) } ?? 0
                while totals.count <= i { totals.append(UsageTotals()) }
                totals[i].requests += u.requests
                totals[i].cost.nanos &+= ticketTotal
                totals[i].inputTokens += u.input
                totals[i].outputTokens += u.output
                return i
            }
            let model = add(&ledger.models, modelText[t], &ledger.byModel)
            // The model lever: the ticket's one model, its model and retries costs as the LLM part.
            let st = t < book.serviceType.count ? Int(book.serviceType[t]) : 0
            let llm = costs[t][CostCategory.model.index] &+ costs[t][CostCategory.retries.index]
            ledger.leverUsage[ledger.lever(model << 32 | st)].merge(LeverUsage(requests: u.requests, cost: ticketTotal, llmRequests: u.requests,
                                                                              llmCost: llm, input: u.input, output: u.output))
            if u.requests > 0 || ticketTotal != 0 { ledger.ticketModels.insert(model, ticket: t) }
            add(&ledger.promptVersions, promptText[t], &ledger.byPromptVersion)
            add(&ledger.endpoints, endpointText[t], &ledger.byEndpoint)
        }
        // Orphan rows: in the month reported, by their own tenant, as requests.csv's orphans are.
        for o in orphans {
            var total: Int64 = 0
            for c in CostCategory.allCases where o.costs[c.index] != 0 {
                let (s, of) = ledger.byCategory[c.index].addingReportingOverflow(o.costs[c.index])
                let (tt, of2) = total.addingReportingOverflow(o.costs[c.index])
                if of || of2 { throw CostperError(.badData, "the month's costs add up to more than costper's money range (about $9.2 billion)", at: InputLocation(file: input.name, line: o.line)) }
                ledger.byCategory[c.index] = s
                total = tt
            }
            ledger.requests += o.usage.requests
            ledger.orphanRequests += o.usage.requests
            ledger.orphanCost.nanos &+= total
            _ = Bytes.of(o.id) { ledger.orphanTickets.insert($0) }
            let tenant = Bytes.of(o.tenant) { book.tenants.index($0) } ?? 0
            while ledger.orphanByTenant.count <= tenant { ledger.orphanByTenant.append(UsageTotals()) }
            ledger.orphanByTenant[tenant].requests += o.usage.requests
            ledger.orphanByTenant[tenant].cost.nanos &+= total
            ledger.orphanByTenant[tenant].inputTokens += o.usage.input
            ledger.orphanByTenant[tenant].outputTokens += o.usage.output
            @discardableResult func add(_ dim: inout Dimension, _ text: String, _ totals: inout [UsageTotals]) -> Int {
                let i = Bytes.of(text) { dim.index($0) } ?? 0
                while totals.count <= i { totals.append(UsageTotals()) }
                totals[i].requests += o.usage.requests
                totals[i].cost.nanos &+= total
                totals[i].inputTokens += o.usage.input
                totals[i].outputTokens += o.usage.output
                return i
            }
            let model = add(&ledger.models, o.texts[0], &ledger.byModel)
            let llm = o.costs[CostCategory.model.index] &+ o.costs[CostCategory.retries.index]
            ledger.leverUsage[ledger.lever(model << 32 | RequestLedger.noTicket)].merge(LeverUsage(requests: o.usage.requests, cost: total, llmRequests: o.usage.requests,
                                                                                                  llmCost: llm, input: o.usage.input, output: o.usage.output))
            add(&ledger.promptVersions, o.texts[1], &ledger.byPromptVersion)
            add(&ledger.endpoints, o.texts[2], &ledger.byEndpoint)
        }
        ledger.rowsRead = rows
        ledger.roundedCosts = rounded

        let fixed = try fixedCosts.map { f throws(CostperError) in try FixedCostList.read(f) }
        var a: MonthAccountEntries
        do {
            a = try Accounts.close(month: month, config: config, tickets: book, ledger: ledger, fixed: fixed)
        } catch {
            throw CostperError(.badData, "the month's costs add up to more than costper's money range (about $9.2 billion): check the *_usd columns and amount_usd")
        }
        a.ticketLevel = true
        a.files.append(FileQuality(file: input.name, reader: "ticket costs (\(format.rawValue)) → tickets and their costs", rowsRead: rows,
                                   rejected: book.rejects.count, outsideMonth: a.ticketsOutsideMonth))
        var all = book.rejects
        a.addQuality(of: fixed, file: fixedCosts, rejects: &all)
        a.rejects = all.sorted()
        if rounded > 0 { a.roundedCosts = rounded }
        a.noteUnusedColumns(book.unknownColumns, of: input.name)
        a.notices.append("\(input.name): a ticket-level export: costs come summed per ticket, so there is no per-request detail (no prompt-version drift or burst alerts); human_review_usd is used where given, else review_minutes × the loaded rate")
        a.noteUnknownKeys(of: config)
        if let n = book.closedBeforeOpenedNotice(file: input.name) { a.notices.append(n) }
        return MonthAccounts(a)
    }
}
