import CostperMoney
import CostperVocabulary
import CIngest
// requests.csv: every billable request, costed and aggregated per ticket and per dimension as it
// streams past; no row is kept.

/// Requests, cost and tokens of one group (a model, an endpoint, a tenant...).
package struct UsageTotals: Sendable, Equatable, Codable {
    package var requests: Int64 = 0
    package var errors: Int64 = 0
    package var cost = Money.zero
    package var inputTokens: Int64 = 0
    package var outputTokens: Int64 = 0
    package init() {}

    @inline(__always) package mutating func add(cost c: Int64, input: Int64, output: Int64, failed: Bool) {
        requests += 1
        if failed { errors += 1 }
        cost.nanos &+= c
        inputTokens &+= input
        outputTokens &+= output
    }

    package mutating func merge(_ o: UsageTotals) {
        requests += o.requests
        errors += o.errors
        cost.nanos &+= o.cost.nanos
        inputTokens &+= o.inputTokens
        outputTokens &+= o.outputTokens
    }

    package var tokens: Int64 { inputTokens + outputTokens }
}

/// What the requests of one (model, service type) pair add up to: every request's cost (the model
/// × service type table), and the LLM requests' own cost and tokens (what a routing scenario
/// reprices on another model).
package struct LeverUsage: Sendable, Equatable, Codable {
    package var requests: Int64 = 0
    package var cost: Int64 = 0
    package var llmRequests: Int64 = 0
    package var llmCost: Int64 = 0
    package var inputTokens: Int64 = 0
    package var cachedInputTokens: Int64 = 0
    package var outputTokens: Int64 = 0
    package init() {}
    package init(requests: Int64, cost: Int64, llmRequests: Int64, llmCost: Int64, input: Int64, cached: Int64 = 0, output: Int64) {
        self.requests = requests; self.cost = cost; self.llmRequests = llmRequests; self.llmCost = llmCost
        inputTokens = input; cachedInputTokens = cached; outputTokens = output
    }

    @inline(__always) package mutating func add(cost c: Int64, llm: Bool, input: Int64, cached: Int64, output: Int64) {
        requests += 1
        cost &+= c
        guard llm else { return }
        llmRequests += 1
        llmCost &+= c
        inputTokens &+= input
        cachedInputTokens &+= cached
        outputTokens &+= output
    }

    package mutating func merge(_ o: LeverUsage) {
        requests += o.requests; cost &+= o.cost
        llmRequests += o.llmRequests; llmCost &+= o.llmCost
        inputTokens &+= o.inputTokens; cachedInputTokens &+= o.cachedInputTokens; outputTokens &+= o.outputTokens
    }
}

/// What one ticket's requests add up to. One value per ticket, in one array: a time-ordered
/// export touches a different ticket on nearly every row, and six parallel arrays cost six cache
/// misses a row where this costs one (32 bytes a ticket).
package struct TicketUsage: Sendable, Equatable, Codable {
    package var cost: Int64 = 0
    package var inputTokens: Int64 = 0
    package var outputTokens: Int64 = 0
    package var requests: Int32 = 0
    /// Its first request of the month, in seconds after the month began (Int32.max when none).
    package var firstRequest = Int32.max
    package init() {}

    @inline(__always) package mutating func add(cost c: Int64, input: Int64, output: Int64, at offset: Int32) {
        cost &+= c
        if requests < Int32.max { requests += 1 }
        inputTokens &+= input
        outputTokens &+= output
        if offset < firstRequest { firstRequest = offset }
    }
}

/// Usage by endpoint and prompt version, with when the version was first seen (for drift).
package struct PromptUsage: Sendable, Equatable, Codable {
    package var totals = UsageTotals()
    package var firstSeen = Int64.max

    @inline(__always) package mutating func record(cost: Int64, input: Int64, output: Int64, failed: Bool, at ts: Int64) {
        totals.add(cost: cost, input: input, output: output, failed: failed)
        if ts < firstSeen { firstSeen = ts }
    }

    package mutating func merge(_ o: PromptUsage) {
        totals.merge(o.totals)
        firstSeen = min(firstSeen, o.firstSeen)
    }
}

/// Positions of the request columns in the file (nil = absent).
package struct RequestLayout: Sendable, Codable {
    package static let columns = ["timestamp", "ticket_id", "tenant", "endpoint", "model", "prompt_version", "kind",
                                 "input_tokens", "cached_input_tokens", "output_tokens", "cost_usd", "attempt", "status", "latency_ms"]
    package static let required = ["timestamp", "ticket_id", "kind"]
    package var timestamp = 0, ticketID = 0, kind = 0
    package var tenant: Int?, endpoint: Int?, model: Int?, promptVersion: Int?
    package var inputTokens: Int?, cachedInputTokens: Int?, outputTokens: Int?, cost: Int?
    package var attempt: Int?, status: Int?, latency: Int?

    package init(_ h: HeaderMap) {
        timestamp = h.position("timestamp")!
        ticketID = h.position("ticket_id")!
        kind = h.position("kind")!
        tenant = h.position("tenant"); endpoint = h.position("endpoint"); model = h.position("model")
        promptVersion = h.position("prompt_version"); inputTokens = h.position("input_tokens")
        cachedInputTokens = h.position("cached_input_tokens"); outputTokens = h.position("output_tokens")
        cost = h.position("cost_usd"); attempt = h.position("attempt"); status = h.position("status")
        latency = h.position("latency_ms")
    }

    /// The layout of a row whose fields are in `columns` order (JSON Lines readers fill that).
    package static var canonical: RequestLayout { RequestLayout(HeaderMap.canonical(columns)) }
}

/// The fields of a request, in requests.csv's order.
package enum RequestField: Int, CaseIterable, Sendable, Codable {
    case timestamp, ticketID, tenant, endpoint, model, promptVersion, kind
    case inputTokens, cachedInputTokens, outputTokens, cost, attempt, status, latency

    /// Its requests.csv column.
    package var column: String { RequestLayout.columns[rawValue] }
}

/// One request as RequestReader validates it: the bytes of each field (empty when absent), the
/// name a reject gives a field, and a note for every reject's reason (a record's label).
package protocol RequestFields {
    subscript(_ field: RequestField) -> Bytes { get }
    func name(_ field: RequestField) -> String
    var note: String { get }
}

/// A row of a requests file: its fields where the header put them.
package struct TableRequestRow: RequestFields {
    package let fields: FieldView
    package let layout: RequestLayout

    @inline(__always) package subscript(_ f: RequestField) -> Bytes {
        @inline(__always) func at(_ p: Int?) -> Bytes { p.map { fields[$0] } ?? Bytes() }
        switch f {
        case .timestamp: return fields[layout.timestamp]
        case .ticketID: return fields[layout.ticketID]
        case .kind: return fields[layout.kind]
        case .tenant: return at(layout.tenant)
        case .endpoint: return at(layout.endpoint)
        case .model: return at(layout.model)
        case .promptVersion: return at(layout.promptVersion)
        case .inputTokens: return at(layout.inputTokens)
        case .cachedInputTokens: return at(layout.cachedInputTokens)
        case .outputTokens: return at(layout.outputTokens)
        case .cost: return at(layout.cost)
        case .attempt: return at(layout.attempt)
        case .status: return at(layout.status)
        case .latency: return at(layout.latency)
        }
    }
    package func name(_ f: RequestField) -> String { f.column }
    package var note: String { "" }
}

package extension HeaderMap {
    package static func canonical(_ columns: [String]) -> HeaderMap {
        Bytes.of(columns.joined(separator: ",") + "\n") { buf in
            var reader = CSVRecordReader(buffer: buf)
            var f = FieldList()
            return try! HeaderMap.read(&reader, fields: &f, file: "", required: [], known: columns)
        }
    }
}

/// Per ticket, the small indices (a model's, a prompt version's) its requests named: one bit per
/// index below 64 (8 bytes a ticket), the rare index beyond kept by ticket.
package struct TicketIndexSets: Sendable {
    package var masks: [UInt64]
    package var beyond: [Int: Set<Int>] = [:]

    package init(masks: [UInt64] = []) { self.masks = masks }

    /// False for a ledger that does not keep these sets (no array of tickets).
    package var isEmpty: Bool { masks.isEmpty }

    /// Notes that ticket `t` named index `i`.
    @inline(__always) package mutating func insert(_ i: Int, ticket t: Int) {
        if i < 64 { masks[t] |= 1 << UInt64(i) } else { beyond[t, default: []].insert(i) }
    }

    /// The indices ticket `t` named, smallest first.
    package func members(ofTicket t: Int) -> [Int] {
        var out: [Int] = []
        var m = t < masks.count ? masks[t] : 0
        while m != 0 { out.append(m.trailingZeroBitCount); m &= m - 1 }
        if let more = beyond[t] { out += more.sorted() }
        return out
    }

    /// Every (ticket, index) pair: the indices below 64 ticket by ticket, then the rest.
    package func forEach(_ body: (_ ticket: Int, _ index: Int) -> Void) {
        for t in masks.indices where masks[t] != 0 {
            var m = masks[t]
            while m != 0 { body(t, m.trailingZeroBitCount); m &= m - 1 }
        }
        for t in beyond.keys.sorted() { for i in beyond[t]!.sorted() { body(t, i) } }
    }

    /// Adds another reader's sets (over the same tickets), its indices mapped to this ledger's (`map[i]`).
    package mutating func merge(_ o: TicketIndexSets, map: [Int]) {
        o.forEach { t, i in insert(map[i], ticket: t) }
    }
}

/// What the request stream adds up to for one month.
package struct RequestLedger: Sendable {
    package let month: Month
    package var byCategory = [Int64](repeating: 0, count: CostCategory.allCases.count)
    /// Per ticket (by TicketBook index): what its requests add up to.
    package var ticketUsage: [TicketUsage]
    /// Per ticket: the tenant named on its first request read, for tickets that tickets.csv gives
    /// no tenant; empty when every ticket has one (4 bytes a ticket saved per reader).
    package var ticketRequestTenant: [Int32]
    /// Per ticket: the prompt versions its requests of the month name (indices into
    /// `promptVersions`, 0 = none named), for quality by prompt version; empty unless the tickets
    /// measure quality.
    package var ticketPrompts: TicketIndexSets

    package var models = Dimension(), endpoints = Dimension(), promptVersions = Dimension()
    package var byModel: [UsageTotals] = [UsageTotals()]
    package var byEndpoint: [UsageTotals] = [UsageTotals()]
    package var byPromptVersion: [UsageTotals] = [UsageTotals()]
    /// Keyed by endpoint index << 32 | prompt version index.
    /// Usage per (endpoint, prompt version) pair, keyed `endpoint << 32 | prompt`.
    package var byEndpointPrompt: [Int: PromptUsage] {
        Dictionary(uniqueKeysWithValues: zip(pairKeys, pairUsage))
    }
    // The pairs as parallel arrays with an index and a one-entry cache: a Dictionary lookup per
    // row (hashing with Hasher) showed up in the ingest profile.
    package var pairKeys: [Int] = []
    package var pairUsage: [PromptUsage] = []
    package var pairSlot: [Int: Int] = [:]
    package var lastPairKey = -1
    package var lastPairSlot = 0
    /// The last ticket found (a ticket's requests are often consecutive).
    package var lastTicket: Int?
    /// The last date a timestamp named (rows of one day follow each other).
    package var days = Scalars.DayCache()

    @inline(__always) package mutating func pair(_ key: Int) -> Int {
        if key == lastPairKey { return lastPairSlot }
        let slot: Int
        if let s = pairSlot[key] { slot = s } else {
            slot = pairKeys.count
            pairKeys.append(key)
            pairUsage.append(PromptUsage())
            pairSlot[key] = slot
        }
        lastPairKey = key
        lastPairSlot = slot
        return slot
    }
    /// The model lever: usage per (model, service type) pair, keyed `model << 32 | service type`
    /// (the ticket's service type index; `RequestLedger.noTicket` for requests without a ticket),
    /// as parallel arrays with a one-entry cache like the (endpoint, prompt) pairs.
    package var leverKeys: [Int] = []
    package var leverUsage: [LeverUsage] = []
    package var leverSlot: [Int: Int] = [:]
    package var lastLeverKey = -1
    package var lastLeverSlot = 0
    /// Per ticket: the models its requests of the month used (indices into `models`).
    package var ticketModels = TicketIndexSets()
    /// The service type key of requests whose ticket is not in the tickets file.
    package static let noTicket = 0xFFFF_FFFF

    @inline(__always) package mutating func lever(_ key: Int) -> Int {
        if key == lastLeverKey { return lastLeverSlot }
        let slot: Int
        if let s = leverSlot[key] { slot = s } else {
            slot = leverKeys.count
            leverKeys.append(key)
            leverUsage.append(LeverUsage())
            leverSlot[key] = slot
        }
        lastLeverKey = key
        lastLeverSlot = slot
        return slot
    }


    /// Requests whose ticket is not in tickets.csv: kept, counted, attributed to their own tenant.
    package var orphanRequests: Int64 = 0
    package var orphanCost = Money.zero
    package var orphanTickets = ByteKeyTable()
    package var orphanByTenant: [UsageTotals] = []
    /// Requests per hour of the month, and failed ones.
    package var hourlyRequests: [Int64]
    package var hourlyErrors: [Int64]
    /// The latest timestamp of a request of the month (seconds since 1970), Int64.min when none.
    package var latestRequest = Int64.min

    package var requests: Int64 = 0
    /// Input plus output tokens of every request of the month: every per-group and per-ticket token
    /// sum is at most this, so checking this one sum keeps them all from wrapping around.
    package var tokenTotal: Int64 = 0
    package var rowsRead = 0
    package var outsideMonth = 0
    /// The valid rows of other months, by month (`Month.key`): the publication gate names them.
    package var outsideMonths: [Int: Int] = [:]
    /// Exported costs with more than nine decimals (rounded half to even).
    package var roundedCosts = 0
    /// Requests costed from the price catalog (no cost_usd).
    package var pricedFromCatalog = 0
    package var rejects: [Reject] = []
    package var unknownColumns: [String] = []
    package var overflowed = false
    package var formats: [InputFormat] = []

    package init(month: Month, tickets: Int, tenants: Int, requestTenants: Bool = true, ticketPrompts: Bool = false) {
        self.month = month
        ticketUsage = RequestLedger.hugePaged(TicketUsage(), count: tickets)
        ticketRequestTenant = requestTenants ? Array(repeating: 0, count: tickets) : []
        self.ticketPrompts = TicketIndexSets(masks: ticketPrompts ? Array(repeating: 0, count: tickets) : [])
        ticketModels = TicketIndexSets(masks: RequestLedger.hugePaged(0, count: tickets))
        orphanByTenant = Array(repeating: UsageTotals(), count: max(tenants, 1))
        hourlyRequests = Array(repeating: 0, count: month.days * 24)
        hourlyErrors = Array(repeating: 0, count: month.days * 24)
    }

    package var total: Money { Money(nanos: byCategory.reduce(0, &+)) }

    /// An array of `count` copies of `value`, its storage advised to 2 MiB pages before it is
    /// filled when it is large (see costper_advise_huge_pages).
    package static func hugePaged<T>(_ value: T, count: Int) -> [T] {
        MemoryHints.hugePaged(value, count: count)
    }
}

/// Reads the rows of requests files into a ledger.
package struct RequestReader: Sendable {
    package let month: Month
    package let prices: PriceCatalog
    package let tickets: TicketBook
    /// The tickets' ids as numbers, when they are prefix + digits (a lookup without hashing).
    package var numbering: TicketNumbering?
    /// One USD in the report's currency when it is not USD: every cost is converted as it is read
    /// (ReportingCurrency), half to even at the nano-unit, a priced cost from its exact value.
    package var fx: Quotient?

    /// The month's first second and the next month's (seconds since 1970), worked out once: a
    /// computed property per row did the calendar arithmetic four times a row (2.4% of the profile).
    package let monthStart: Int64, monthEnd: Int64

    package init(month: Month, prices: PriceCatalog, tickets: TicketBook) {
        self.month = month
        monthStart = month.startEpochSeconds
        monthEnd = month.endEpochSeconds
        self.prices = prices
        self.tickets = tickets
        numbering = tickets.numbering ?? TicketNumbering(tickets.ids)
    }

    /// Validates, costs and adds one request row of a CSV or JSON Lines file (the hot path).
    @inline(__always)
    package func add(line: Int, file: String, layout: RequestLayout, fields: FieldList, ledger: inout RequestLedger,
             tenants: inout Dimension, rejects: inout [Reject]) {
        add(TableRequestRow(fields: fields.view, layout: layout), line: line, file: file, ledger: &ledger, tenants: &tenants, rejects: &rejects)
    }

    /// Validates, costs and adds one request, whatever it was read from: a row of a requests file
    /// or an adapter's RequestRecord. The rules of a request are here alone. The hot path of
    /// ingest: no heap allocation for a valid row (strings are built only to word a reject).
    package func add<Row: RequestFields>(_ row: Row, line: Int, file: String, ledger: inout RequestLedger,
                                 tenants: inout Dimension, rejects: inout [Reject]) {
        @inline(__always) func field(_ f: RequestField) -> Bytes { row[f] }
        func reject(_ f: RequestField, _ reason: String) {
            let note = row.note
            rejects.append(Reject(file: file, line: line, column: row.name(f), reason: note.isEmpty ? reason : reason + " (\(note))"))
        }
        func text(_ f: Bytes) -> String { String(decoding: f, as: UTF8.self) }
        func count(_ name: RequestField) -> Int64? {
            let f = field(name)
            if f.isEmpty { return 0 }
            switch Scalars.parseCount(f) {
            case .success(let v): return v
            case .failure(let e): reject(name, e.reason(for: text(f))); return nil
            }
        }

        // A time-ordered export touches a different ticket on nearly every row: its slot and its
        // totals are two cache misses, which were 40% of this function's time. The slot's line is
        // asked for now and read after the row's numbers are parsed; the totals' line is asked
        // for as soon as the ticket is known, and written last.
        let numberedSlot = numbering?.slot(field(.ticketID))
        if let s = numberedSlot { numbering!.prefetch(slot: s) }
        let tsField = field(.timestamp)
        let ts: Int64
        switch Scalars.parseTimestamp(tsField, days: &ledger.days) {
        case .success(let s): ts = s
        case .failure(let e): return reject(.timestamp, e.reason(for: text(tsField)))
        }
        let idField = field(.ticketID)
        if idField.isEmpty { return reject(.ticketID, "is empty") }
        if idField.count > InputLimits.maxTextBytes { return reject(.ticketID, "is longer than \(InputLimits.maxTextBytes) bytes") }
        guard let kind = RequestReader.kind(field(.kind)) else {
            return reject(.kind, "\(Scalars.quoteForMessage(text(field(.kind)))) is not a kind (\(RequestKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let inputTokens = count(.inputTokens),
              let cachedTokens = count(.cachedInputTokens),
              let outputTokens = count(.outputTokens) else { return }
        if cachedTokens > inputTokens { return reject(.cachedInputTokens, "\(cachedTokens) is more than input_tokens (\(inputTokens))") }
        if inputTokens > 1_000_000_000_000 || outputTokens > 1_000_000_000_000 {
            return reject(inputTokens > outputTokens ? .inputTokens : .outputTokens, "is more than a trillion tokens")
        }
        var attempt: Int64 = 1
        let attemptField = field(.attempt)
        if !attemptField.isEmpty {
            switch Scalars.parseCount(attemptField) {
            case .success(let v):
                if v < 1 { return reject(.attempt, "\(v) is below 1 (the first attempt is 1)") }
                attempt = v
            case .failure(let e): return reject(.attempt, e.reason(for: text(attemptField)))
            }
        }
        var failed = false
        let statusField = field(.status)
        if !statusField.isEmpty {
            if RequestReader.equals(statusField, "error") { failed = true }
            else if !RequestReader.equals(statusField, "ok") {
                return reject(.status, "\(Scalars.quoteForMessage(text(statusField))) is not a status (ok, error)")
            }
        }
        let latencyField = field(.latency)
        if !latencyField.isEmpty, case .failure(let e) = Scalars.parseCount(latencyField) {
            return reject(.latency, e.reason(for: text(latencyField)))
        }
        let modelField = field(.model)
        let costField = field(.cost)
        var cost: Int64
        var rounded = false
        var priced = false
        if !costField.isEmpty {
            switch Scalars.parseDecimal(costField) {
            case .success(let r): cost = r.value; rounded = r.rounded
            case .failure(let e): return reject(.cost, e.reason(for: text(costField)))
            }
            if let fx {
                // One 128-bit product and division (the rate is a reduced decimal fraction).
                let (p, o) = Int128(cost).multipliedReportingOverflow(by: fx.numerator)
                guard !o, let v = Int64(exactly: Fixed.divideHalfEven(p, fx.denominator)) else {
                    return reject(.cost, "is out of range in the report's currency")
                }
                cost = v
            }
        } else {
            guard kind == .llm || kind == .embedding else {
                return reject(.cost, "is empty, and a \(kind.rawValue) request has no tokens to price")
            }
            if modelField.isEmpty { return reject(.model, "is empty, and cost_usd is empty too: the request cannot be priced") }
            let name = text(modelField)
            guard let price = prices[name] else {
                return reject(.model, "\(Scalars.quoteForMessage(name)) is not in the price catalog and the row has no cost_usd")
            }
            guard let c = fx.map({ price.exactCost(input: inputTokens, cachedInput: cachedTokens, output: outputTokens).times($0).asMoney })
                    ?? price.cost(input: inputTokens, cachedInput: cachedTokens, output: outputTokens) else {
                return reject(.cost, "the priced cost is out of range")
            }
            cost = c.nanos
            priced = true
        }
        // Text dimensions: within the length limit and valid UTF-8.
        let tenantField = field(.tenant), endpointField = field(.endpoint), promptField = field(.promptVersion)
        if tenantField.count > InputLimits.maxTextBytes { return reject(.tenant, "is longer than \(InputLimits.maxTextBytes) bytes") }
        if endpointField.count > InputLimits.maxTextBytes { return reject(.endpoint, "is longer than \(InputLimits.maxTextBytes) bytes") }
        if modelField.count > InputLimits.maxTextBytes { return reject(.model, "is longer than \(InputLimits.maxTextBytes) bytes") }
        if promptField.count > InputLimits.maxTextBytes { return reject(.promptVersion, "is longer than \(InputLimits.maxTextBytes) bytes") }
        let ticket: Int?
        if let numbering {
            ticket = numberedSlot.flatMap { numbering.ticket(atSlot: $0) }
        } else if let t = ledger.lastTicket, tickets.ids.equals(t, idField) {
            ticket = t
        } else {
            ticket = tickets.ids.find(idField)
            if ticket != nil { ledger.lastTicket = ticket }
        }
        if let t = ticket {
            MemoryHints.prefetch(ledger.ticketUsage, at: t)
        } else if utf8String(idField) == nil {
            return reject(.ticketID, "is not valid UTF-8")
        }
        guard let modelIndex = ledger.models.index(modelField) else { return reject(.model, "is not valid UTF-8") }
        guard let endpointIndex = ledger.endpoints.index(endpointField) else { return reject(.endpoint, "is not valid UTF-8") }
        guard let promptIndex = ledger.promptVersions.index(promptField) else { return reject(.promptVersion, "is not valid UTF-8") }
        // The request's tenant counts only for a request without a known ticket, or for a ticket
        // that tickets.csv gives no tenant (its first request's); otherwise the ticket's tenant is
        // the one reported, and the name is only checked (ASCII is valid UTF-8). A lookup per row
        // among hundreds of tenants was 5% of a time-ordered month's profile.
        var tenantIndex = 0
        if ticket == nil || Dimension.hasNonASCII(tenantField)
            || (!ledger.ticketRequestTenant.isEmpty && ledger.ticketRequestTenant[ticket!] == 0) {
            guard let i = tenants.index(tenantField) else { return reject(.tenant, "is not valid UTF-8") }
            tenantIndex = i
        }

        // A valid row. Rows of other months are counted and left out.
        guard ts >= monthStart && ts < monthEnd else {
            ledger.outsideMonth += 1
            ledger.outsideMonths[Month(epochSeconds: ts).key, default: 0] += 1
            return
        }
        if rounded { ledger.roundedCosts += 1 }
        if priced { ledger.pricedFromCatalog += 1 }
        let category = kind.category(isRetryOrFailure: attempt > 1 || failed)
        let (sum, overflow) = ledger.byCategory[category.index].addingReportingOverflow(cost)
        if overflow {
            ledger.overflowed = true
            return reject(.cost, "adding this cost overflows the month's total (above $9.2 billion)")
        }
        // Each count is at most a trillion, so their sum fits; the month's total may not.
        let (tokens, tokensOverflow) = ledger.tokenTotal.addingReportingOverflow(inputTokens + outputTokens)
        if tokensOverflow {
            return reject(inputTokens >= outputTokens ? .inputTokens : .outputTokens,
                          "adding these tokens overflows the month's token count (above 9.2 billion billion)")
        }
        ledger.tokenTotal = tokens
        ledger.byCategory[category.index] = sum
        ledger.requests += 1

        if let t = ticket {
            let offset = Int32(ts - monthStart)   // in the month: under 32 days of seconds
            ledger.ticketUsage[t].add(cost: cost, input: inputTokens, output: outputTokens, at: offset)
            if !ledger.ticketRequestTenant.isEmpty && ledger.ticketRequestTenant[t] == 0 { ledger.ticketRequestTenant[t] = Int32(tenantIndex) }
            if !ledger.ticketPrompts.isEmpty { ledger.ticketPrompts.insert(promptIndex, ticket: t) }
        } else {
            ledger.orphanRequests += 1
            ledger.orphanCost.nanos &+= cost
            ledger.orphanTickets.insert(idField)
            grow(&ledger.orphanByTenant, to: tenantIndex)
            ledger.orphanByTenant[tenantIndex].add(cost: cost, input: inputTokens, output: outputTokens, failed: failed)
        }
        grow(&ledger.byModel, to: modelIndex)
        ledger.byModel[modelIndex].add(cost: cost, input: inputTokens, output: outputTokens, failed: failed)
        let lever = ledger.lever(modelIndex << 32 | (ticket.map { $0 < tickets.serviceType.count ? Int(tickets.serviceType[$0]) : 0 } ?? RequestLedger.noTicket))
        ledger.leverUsage[lever].add(cost: cost, llm: kind == .llm, input: inputTokens, cached: cachedTokens, output: outputTokens)
        if let t = ticket { ledger.ticketModels.insert(modelIndex, ticket: t) }
        grow(&ledger.byEndpoint, to: endpointIndex)
        ledger.byEndpoint[endpointIndex].add(cost: cost, input: inputTokens, output: outputTokens, failed: failed)
        grow(&ledger.byPromptVersion, to: promptIndex)
        ledger.byPromptVersion[promptIndex].add(cost: cost, input: inputTokens, output: outputTokens, failed: failed)
        let pair = ledger.pair(endpointIndex << 32 | promptIndex)
        ledger.pairUsage[pair].record(cost: cost, input: inputTokens, output: outputTokens, failed: failed, at: ts)
        let hour = Int((ts - monthStart) / 3600)
        ledger.hourlyRequests[hour] += 1
        if failed { ledger.hourlyErrors[hour] += 1 }
        if ts > ledger.latestRequest { ledger.latestRequest = ts }
    }

    @inline(__always) package static func equals(_ f: Bytes, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard f.count == n else { return false }
        let w = word.utf8Start
        for i in 0..<n where f[i] != w[i] { return false }
        return true
    }

    @inline(__always) package func grow(_ a: inout [UsageTotals], to index: Int) {
        while a.count <= index { a.append(UsageTotals()) }
    }

    package static func kind(_ f: Bytes) -> RequestKind? {
        if equals(f, "llm") { return .llm }
        if equals(f, "embedding") { return .embedding }
        if equals(f, "vector_db") { return .vector_db }
        if equals(f, "integration") { return .integration }
        if equals(f, "observability") { return .observability }
        return nil
    }
}
