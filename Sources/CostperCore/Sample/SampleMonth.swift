// A synthetic, realistic month of exports, for demos, tests and benchmarks. Deterministic: the
// same spec gives the same bytes (its own PRNG; no clock, no Foundation randomness; money
// written from integer nano-dollars). Fast: rows are written into a reused byte buffer, about
// 10M request rows for Klarna's 2.5M tickets a month.
import CostperMoney
import CostperIngest
import CostperVocabulary


package struct SampleSpec: Sendable, Equatable {
    package var tickets: Int
    package var seed: UInt64
    package var month: Month
    /// How requests.csv is ordered: grouped by ticket, or by time as trace exports come.
    package var order: SampleOrder
    package init(tickets: Int, seed: UInt64 = 42, month: Month = Month("2026-10")!, order: SampleOrder = .grouped) {
        self.tickets = tickets
        self.seed = seed
        self.month = month
        self.order = order
    }
}

/// The order of a sample month's requests.
package enum SampleOrder: String, CaseIterable, Sendable {
    /// A ticket's requests together (T-0000001's rows, then T-0000002's...).
    case grouped
    /// As a day's traffic is exported: in timestamp order, many tickets open at once, on a diurnal
    /// curve with bursts, from 500 tenants (a third of the names quoted, some with doubled quotes)
    /// and 20+ prompt versions.
    case time
}

package enum SampleFile: String, CaseIterable, Sendable {
    case requests = "requests.csv", tickets = "tickets.csv", fixedCosts = "fixed_costs.csv", config = "costper.toml", forecast = "forecast.csv"
}

/// SplitMix64: small, fast, and the same on every platform.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<n.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// True with probability per-mille / 1000.
    mutating func chance(_ perMille: Int) -> Bool { below(1000) < perMille }
}

/// Rows written into a byte buffer, handed to the sink in chunks of whole rows.
struct RowWriter {
    var bytes: [UInt8] = []
    let file: SampleFile
    init(_ file: SampleFile) {
        self.file = file
        bytes.reserveCapacity(1 << 21)
    }
    @inline(__always) mutating func text(_ s: String) { bytes.append(contentsOf: s.utf8) }
    @inline(__always) mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }
    @inline(__always) mutating func comma() { bytes.append(0x2C) }
    @inline(__always) mutating func newline() { bytes.append(0x0A) }
    mutating func int(_ v: Int64) {
        if v < 0 { bytes.append(0x2D); int(-v); return }
        if v < 10 { bytes.append(0x30 + UInt8(v)); return }
        var p: Int64 = 10
        while p <= v / 10 { p *= 10 }
        while p > 0 { bytes.append(0x30 + UInt8(v / p % 10)); p /= 10 }
    }
    /// Nano-dollars as a plain decimal with up to nine decimals ("0.00725", "12").
    mutating func money(_ nanos: Int64) {
        int(nanos / 1_000_000_000)
        var frac = nanos % 1_000_000_000
        if frac == 0 { return }
        bytes.append(0x2E)
        var width = 9
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        var p: Int64 = 1
        for _ in 1..<width { p *= 10 }
        while p > 0 { bytes.append(0x30 + UInt8(frac / p % 10)); p /= 10 }
    }
    /// Nano-dollars in exponent form, as gateways print floats ("7.25e-06").
    mutating func moneyExponent(_ nanos: Int64) {
        guard nanos > 0 else { bytes.append(0x30); return }
        var digits: [UInt8] = []
        var x = nanos
        var exp = -9
        while x % 10 == 0 { x /= 10; exp += 1 }
        while x > 0 { digits.insert(0x30 + UInt8(x % 10), at: 0); x /= 10 }
        exp += digits.count - 1
        bytes.append(digits[0])
        if digits.count > 1 { bytes.append(0x2E); bytes.append(contentsOf: digits[1...]) }
        bytes.append(0x65)
        bytes.append(exp < 0 ? 0x2D : 0x2B)
        let e = abs(exp)
        bytes.append(0x30 + UInt8(e / 10)); bytes.append(0x30 + UInt8(e % 10))
    }
    /// `2026-10-03T14:22:05Z`
    mutating func timestamp(_ seconds: Int64) {
        let m = Month(epochSeconds: seconds)
        let day = Int((seconds - m.startEpochSeconds) / 86_400) + 1
        let rem = Int((seconds - m.startEpochSeconds) % 86_400)
        int(Int64(m.year)); bytes.append(0x2D)
        two(m.month); bytes.append(0x2D); two(day); bytes.append(0x54)
        two(rem / 3600); bytes.append(0x3A); two(rem / 60 % 60); bytes.append(0x3A); two(rem % 60); bytes.append(0x5A)
    }
    @inline(__always) mutating func two(_ v: Int) { bytes.append(0x30 + UInt8(v / 10)); bytes.append(0x30 + UInt8(v % 10)) }
    /// A CSV field, quoted when it needs to be.
    mutating func field(_ s: [UInt8]) {
        if s.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            bytes.append(0x22)
            for b in s { if b == 0x22 { bytes.append(0x22) }; bytes.append(b) }
            bytes.append(0x22)
        } else {
            bytes.append(contentsOf: s)
        }
    }
    mutating func flushIfFull(_ write: (SampleFile, [UInt8]) throws -> Void, force: Bool = false) throws {
        guard force || bytes.count >= 1 << 20 else { return }
        try write(file, bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}

package enum SampleMonth {
    struct Tenant { let name: [UInt8]; let segment: [UInt8]; let weight: Int }
    static let tenants: [Tenant] = [
        Tenant(name: Array("Globex, Inc.".utf8), segment: Array("enterprise".utf8), weight: 26),
        Tenant(name: Array("\"Initech\" Ltd".utf8), segment: Array("mid_market".utf8), weight: 18),
        Tenant(name: Array("Müller & Söhne GmbH".utf8), segment: Array("mid_market".utf8), weight: 14),
        Tenant(name: Array("東京サポート株式会社".utf8), segment: Array("enterprise".utf8), weight: 12),
        Tenant(name: Array("Acme Corp".utf8), segment: Array("smb".utf8), weight: 10),
        Tenant(name: Array("Umbrella Health".utf8), segment: Array("enterprise".utf8), weight: 9),
        Tenant(name: Array("Stark Retail".utf8), segment: Array("smb".utf8), weight: 7),
        Tenant(name: Array("Wayne Finance".utf8), segment: Array("mid_market".utf8), weight: 4),
    ]
    /// 500 tenants for a time-ordered month: weights falling with rank; a third of the names carry
    /// a comma ("Harbor Labs, LLC"), some doubled quotes.
    static func manyTenants(_ count: Int) -> [Tenant] {
        let stems = ["Harbor", "Summit", "Cedar", "Northwind", "Bluebird", "Ironclad", "Juniper", "Meridian", "Pioneer", "Quartz",
                     "Riverside", "Sterling", "Tidewater", "Vantage", "Willow", "Zenith", "Aurora", "Beacon", "Cobalt", "Delta"]
        let kinds = ["Labs", "Health", "Retail", "Finance", "Logistics", "Travel", "Energy", "Media", "Insurance", "Foods"]
        let segments = ["enterprise", "mid_market", "smb"]
        return (0..<count).map { i in
            let stem = stems[i % stems.count], kind = kinds[(i / stems.count) % kinds.count]
            let n = i / (stems.count * kinds.count)
            let base = n == 0 ? "\(stem) \(kind)" : "\(stem) \(kind) \(n + 1)"
            let name: String
            switch i % 6 {
            case 0, 3: name = base + ", LLC"
            case 1: name = "\"" + base + "\" Ltd"
            default: name = base
            }
            return Tenant(name: Array(name.utf8), segment: Array(segments[i % 3].utf8), weight: 1 + 2_000 / (i + 1))
        }
    }

    /// Relative traffic by hour of the day (UTC): quiet at night, a morning and an afternoon peak.
    static let diurnal = [2, 1, 1, 1, 1, 2, 4, 8, 14, 18, 20, 19, 16, 17, 19, 20, 18, 14, 10, 8, 6, 5, 4, 3]

    struct Service { let name: [UInt8]; let weight: Int; let escalate: Int; let deflect: Int; let turns: Int; let review: Int }
    // weight %, escalation and deflection per mille, most turns, review minutes (×10) on escalation
    static let services: [Service] = [
        Service(name: Array("password_reset".utf8), weight: 40, escalate: 50, deflect: 120, turns: 2, review: 30),
        Service(name: Array("general_question".utf8), weight: 30, escalate: 150, deflect: 90, turns: 4, review: 45),
        Service(name: Array("billing".utf8), weight: 20, escalate: 350, deflect: 40, turns: 5, review: 60),
        Service(name: Array("complaint".utf8), weight: 10, escalate: 700, deflect: 10, turns: 7, review: 80),
    ]
    /// Prices in nano-dollars per million tokens: input, output, cache read (0 = none).
    struct Model { let name: [UInt8]; let input: Int64; let output: Int64; let cacheRead: Int64 }
    static let models: [Model] = [
        Model(name: Array("gemini-2.5-flash-lite".utf8), input: 100_000_000, output: 400_000_000, cacheRead: 0),
        Model(name: Array("gpt-5.4-nano".utf8), input: 200_000_000, output: 1_250_000_000, cacheRead: 0),
        Model(name: Array("claude-haiku-4.5".utf8), input: 1_000_000_000, output: 5_000_000_000, cacheRead: 100_000_000),
        Model(name: Array("claude-sonnet-4.6".utf8), input: 3_000_000_000, output: 15_000_000_000, cacheRead: 300_000_000),
        Model(name: Array("text-embedding-3-small".utf8), input: 20_000_000, output: 0, cacheRead: 0),
    ]

    /// Exact cost of a call, rounded half to even to the nano-dollar.
    static func cost(_ m: Model, input: Int64, cached: Int64, output: Int64) -> Int64 {
        let cacheRate = m.cacheRead > 0 ? m.cacheRead : m.input
        let n = Int128(input - cached) * Int128(m.input) + Int128(cached) * Int128(cacheRate) + Int128(output) * Int128(m.output)
        return Int64(Fixed.divideHalfEven(n, 1_000_000))
    }

    /// Calls `write` with successive chunks (whole rows) of each file.
    package static func generate(_ spec: SampleSpec, write: (SampleFile, [UInt8]) throws -> Void) throws {
        var rng = SplitMix64(state: spec.seed)
        let month = spec.month
        let start = month.startEpochSeconds
        let span = month.endEpochSeconds - start
        let midMonth = start + span / 2
        var t = RowWriter(.tickets)
        var r = RowWriter(.requests)
        t.text("ticket_id,outcome,tenant,segment,service_type,opened_at,closed_at,review_minutes,reopened,csat\n")
        // Quality (reopened, csat) from a stream of its own, so that every cost, outcome and
        // ticket of the month is what it was before the sample carried quality.
        var quality = SplitMix64(state: spec.seed ^ 0x5155_414C_4954_5921)
        r.text("timestamp,ticket_id,tenant,endpoint,model,prompt_version,kind,input_tokens,cached_input_tokens,output_tokens,cost_usd,attempt,status,latency_ms\n")
        let timeOrdered = spec.order == .time
        let tenants = timeOrdered ? SampleMonth.manyTenants(500) : SampleMonth.tenants
        let tenantTotal = tenants.reduce(0) { $0 + $1.weight }
        var idBuffer: [UInt8] = Array("T-0000000".utf8)
        // Time order: every hour of the month has a weight (the diurnal curve, with a few bursts of
        // four times the traffic); rows go to their hour's bucket and each bucket is written sorted.
        let hours = Int(span / 3600)
        var hourWeight = (0..<hours).map { SampleMonth.diurnal[$0 % 24] }
        if timeOrdered { for _ in 0..<12 { hourWeight[rng.below(hours - 2)] *= 4 } }
        var cumulative: [Int] = []
        var acc = 0
        for w in hourWeight { acc += w; cumulative.append(acc) }
        var buckets: [[UInt8]] = timeOrdered ? Array(repeating: [], count: hours + 1) : []
        var bucketRows: [[(ts: Int64, offset: Int32, length: Int32)]] = timeOrdered ? Array(repeating: [], count: hours + 1) : []

        for i in 0..<spec.tickets {
            // Ticket id T-0000001 ...
            var x = i + 1
            for k in stride(from: idBuffer.count - 1, through: 2, by: -1) { idBuffer[k] = 0x30 + UInt8(x % 10); x /= 10 }
            var pick = rng.below(tenantTotal)
            var tenant = tenants[0]
            for tn in tenants { if pick < tn.weight { tenant = tn; break }; pick -= tn.weight }
            var sp = rng.below(100)
            var service = services[0]
            for sv in services { if sp < sv.weight { service = sv; break }; sp -= sv.weight }
            let roll = rng.below(1000)
            let outcome: String
            var escalated = false
            if roll < service.escalate { outcome = "escalated"; escalated = true }
            else if roll < service.escalate + service.deflect { outcome = "deflected" }
            else if roll < service.escalate + service.deflect + 30 { outcome = "abandoned" }
            else { outcome = "auto_resolved" }
            // Opened in the month (not in its last two hours, so the ticket closes in it too); in
            // time order, on the diurnal curve.
            let opened: Int64
            if timeOrdered {
                let pickHour = rng.below(cumulative[hours - 3])
                var lo = 0, hi = hours - 3
                while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > pickHour { hi = mid } else { lo = mid + 1 } }
                opened = start + Int64(lo) * 3600 + Int64(rng.below(3600))
            } else {
                opened = start + Int64(rng.below(Int(span - 7200)))
            }
            var clock = opened + 2
            let turns = 1 + rng.below(service.turns)
            let enterpriseComplex = tenant.segment.first == UInt8(ascii: "e") && service.turns >= 5
            let replyModel = service.turns <= 2 ? models[1] : enterpriseComplex ? models[3] : models[2]

            let day = Int((opened - start) / 86_400)
            func request(_ endpoint: String, _ model: Model?, _ prompt: String, _ kind: String,
                         input: Int64, cached: Int64, output: Int64, fixedCost: Int64, attempt: Int, ok: Bool, latency: Int) {
                let rowStart = r.bytes.count
                let rowClock = clock
                defer {
                    if timeOrdered {
                        let hour = Int((rowClock - start) / 3600)
                        let ts = rowClock
                        bucketRows[hour].append((ts, Int32(buckets[hour].count), Int32(r.bytes.count - rowStart)))
                        buckets[hour].append(contentsOf: r.bytes[rowStart...])
                        r.bytes.removeSubrange(rowStart...)
                    }
                }
                r.timestamp(clock); r.comma()
                r.raw(idBuffer); r.comma()
                r.field(tenant.name); r.comma()
                r.text(endpoint); r.comma()
                if let model { r.raw(model.name) }; r.comma()
                if timeOrdered {
                    // Releases through the month: a new version of each prompt every few days.
                    r.text(prompt); r.byte(0x2E); r.int(Int64(1 + day / 4))
                } else {
                    r.text(prompt)
                }
                r.comma()
                r.text(kind); r.comma()
                if model != nil { r.int(input) }; r.comma()
                if model != nil && cached > 0 { r.int(cached) }; r.comma()
                if model != nil { r.int(output) }; r.comma()
                let c = model.map { cost($0, input: input, cached: cached, output: output) } ?? fixedCost
                let style = rng.below(100)
                if model != nil && style < 3 { /* no exported cost: priced from the catalog */ }
                else if style < 5 { r.moneyExponent(c) }
                else { r.money(c) }
                r.comma()
                r.int(Int64(attempt)); r.comma()
                if ok { r.text("ok") } else { r.text("error") }; r.comma()
                r.int(Int64(latency)); r.newline()
                clock += Int64(1 + rng.below(20))
            }
            func llm(_ endpoint: String, _ model: Model, _ prompt: String, input: Int64, cached: Int64, output: Int64) {
                // 4% of calls fail once (rate limit, timeout) and are retried.
                if rng.chance(40) {
                    request(endpoint, model, prompt, "llm", input: input, cached: cached, output: 0, fixedCost: 0, attempt: 1, ok: false, latency: 30_000)
                    request(endpoint, model, prompt, "llm", input: input, cached: cached, output: output, fixedCost: 0, attempt: 2, ok: true, latency: 600 + rng.below(2000))
                } else {
                    request(endpoint, model, prompt, "llm", input: input, cached: cached, output: output, fixedCost: 0, attempt: 1, ok: true, latency: 400 + rng.below(2000))
                }
            }
            request("support.intent_route", models[1], "v3", "llm", input: Int64(300 + rng.below(200)), cached: 0, output: Int64(10 + rng.below(20)),
                    fixedCost: 0, attempt: 1, ok: true, latency: 150 + rng.below(200))
            // Retrieval: an embedding and a vector search.
            request("support.rag_answer", models[4], "v7", "embedding", input: Int64(30 + rng.below(60)), cached: 0, output: 0,
                    fixedCost: 0, attempt: 1, ok: true, latency: 20 + rng.below(40))
            request("support.rag_answer", nil, "v7", "vector_db", input: 0, cached: 0, output: 0, fixedCost: 40_000 + Int64(rng.below(20_000)),
                    attempt: 1, ok: true, latency: 10 + rng.below(30))
            // The conversation: history re-sent every turn. Prompt v12 (second half of the month) has a longer system prompt.
            let v12 = clock >= midMonth
            let system: Int64 = v12 ? 900 : 600
            var history: Int64 = 0
            for _ in 0..<turns {
                let user = Int64(80 + rng.below(160)), reply = Int64(120 + rng.below(200))
                let input = system + history + user
                let cached = replyModel.cacheRead > 0 && history > 0 ? system : 0
                llm("support.reply", replyModel, v12 ? "v12" : "v11", input: input, cached: cached, output: reply)
                history += user + reply
            }
            if turns > 3 {
                llm("support.thread_summary", models[0], "v2", input: history + 200, cached: 0, output: Int64(150 + rng.below(100)))
            }
            if escalated {
                llm("support.ticket_draft", models[2], "v5", input: history + system, cached: 0, output: Int64(250 + rng.below(150)))
            }
            if service.name.first == UInt8(ascii: "b") || rng.chance(100) {
                request("support.reply", nil, v12 ? "v12" : "v11", "integration", input: 0, cached: 0, output: 0,
                        fixedCost: 2_000_000 + Int64(rng.below(8_000_000)), attempt: 1, ok: true, latency: 200 + rng.below(500))
            }
            request("support.reply", nil, v12 ? "v12" : "v11", "observability", input: 0, cached: 0, output: 0, fixedCost: 400_000,
                    attempt: 1, ok: true, latency: 5)

            // The ticket row.
            t.raw(idBuffer); t.comma()
            t.text(outcome); t.comma()
            t.field(tenant.name); t.comma()
            t.raw(tenant.segment); t.comma()
            t.raw(service.name); t.comma()
            t.timestamp(opened); t.comma()
            t.timestamp(min(clock + 60, month.endEpochSeconds - 1)); t.comma()
            if escalated {
                let tenths = Int64(service.review / 2 + rng.below(service.review))   // minutes × 10
                t.int(tenths / 10)
                if tenths % 10 != 0 { t.byte(0x2E); t.int(tenths % 10) }
            }
            t.comma()
            // Reopened: 3% of resolutions under prompt v11, 5% under v12, twice that for
            // complaints; 2% of other tickets. CSAT: two tickets in three rated, mostly 4 and 5.
            let complaint = service.name.first == UInt8(ascii: "c")
            let reopenPerMille = (roll >= service.escalate + service.deflect + 30 ? (v12 ? 50 : 30) : 20) * (complaint ? 2 : 1)
            t.text(quality.below(1000) < reopenPerMille ? "true" : "false"); t.comma()
            if quality.below(3) < 2 {
                let score = quality.below(100)
                let csat = score < 45 ? 5 : score < 80 ? 4 : score < 92 ? 3 : score < 97 ? 2 : 1
                t.int(Int64(csat))
                if score % 10 == 0 && csat < 5 { t.text(".5") }
            }
            t.newline()
            try r.flushIfFull(write)
            try t.flushIfFull(write)
        }
        if timeOrdered {
            // Each hour's rows in timestamp order (ties in the order they were made).
            for h in 0..<buckets.count {
                let rows = bucketRows[h].enumerated().sorted { $0.element.ts != $1.element.ts ? $0.element.ts < $1.element.ts : $0.offset < $1.offset }
                for (_, row) in rows {
                    r.bytes.append(contentsOf: buckets[h][Int(row.offset)..<Int(row.offset + row.length)])
                    try r.flushIfFull(write)
                }
                buckets[h] = []
                bucketRows[h] = []
            }
        }
        try r.flushIfFull(write, force: true)
        try t.flushIfFull(write, force: true)

        // Fixed costs, scaled with volume like real plans.
        var f = RowWriter(.fixedCosts)
        f.text("month,category,name,amount_usd\n")
        let m = Array(month.description.utf8)
        let n = Int64(spec.tickets)
        for (category, name, nanos) in [("vector_db", "Pinecone standard plan", 70_000_000_000 + n * 5_000_000),
                                        ("infrastructure", "App hosting and queue", 100_000_000_000 + n * 10_000_000),
                                        ("infrastructure", "LLM gateway", 50_000_000_000 + n * 2_000_000),
                                        ("observability", "Langfuse team plan", 199_000_000_000)] {
            f.raw(m); f.comma(); f.raw(Array(category.utf8)); f.comma(); f.field(Array(name.utf8)); f.comma(); f.money(nanos); f.newline()
        }
        try f.flushIfFull(write, force: true)

        var c = RowWriter(.config)
        c.text("""
        # costper settings for the sample month (docs/settings.md lists every key)
        company = "Northwind Support"
        currency = "USD"
        resolved_outcomes = ["auto_resolved"]
        flag_ratio = 2.0
        business_type = "saas"

        """)
        // Live since 45 days before the month began.
        let live = Scalars.civilFromDays(Scalars.daysFromCivil(month.year, month.month, 1) - 45)
        c.raw(Array("go_live = \(live.year)-\(live.month < 10 ? "0" : "")\(live.month)-\(live.day < 10 ? "0" : "")\(live.day)\n".utf8))
        c.text("""

        [labor]
        reviewer_loaded_annual_usd = 60000
        productive_hours_per_year = 1800

        [baseline]
        cost_per_resolved_usd = 8.00

        [comparables]
        default_fixed_monthly_usd = 2500

        [outcomes]
        escalation_avoided = ["auto_resolved", "deflected"]

        [pricing]
        per_resolved_usd = 1.50

        [budgets]

        """)
        // Budgets a little under and over each of three tenants' expected spend.
        let perTicket: Int64 = 1_000_000_000   // about a dollar a ticket, all-in
        for (k, share) in [(0, 95), (1, 130), (4, 200)] {
            let tn = tenants[k]
            let expected = n * Int64(tn.weight) / Int64(tenantTotal) * perTicket / 100 * Int64(share)
            c.byte(0x22)
            for b in tn.name { if b == 0x22 || b == 0x5C { c.byte(0x5C) }; c.byte(b) }
            c.text("\" = ")
            c.money(max(expected / 1_000_000_000, 1) * 1_000_000_000)
            c.newline()
        }
        try c.flushIfFull(write, force: true)

        var fc = RowWriter(.forecast)
        fc.text("month,domain,service_type,volume,cost_per_outcome_usd,fixed_monthly_usd,driver\n")
        let next = [Month(key: month.key + 1), Month(key: month.key + 2), Month(key: month.key + 3)]
        // The whole-mix line states its own fixed cost (included in its figure); the service-type
        // lines state none, and one names the driver of its change.
        let lines: [(Month, String, Int64, Int64, Int64?, String)] = [
            (next[0], "", n * 11 / 10 * 7 / 10, 650_000_000, 1_155_000_000_000, ""),
            (next[1], "password_reset", n * 4 / 10, 300_000_000, nil, ""),
            (next[1], "billing", n * 2 / 10 * 6 / 10, 1_600_000_000, nil, ""),
            (next[2], "complaint", n / 10 * 3 / 10, 4_500_000_000, nil, "complaints move to the senior desk in January"),
        ]
        for (mo, service, volume, cpo, fixed, driver) in lines {
            fc.raw(Array(mo.description.utf8)); fc.text(",support,"); fc.raw(Array(service.utf8)); fc.comma()
            fc.int(max(volume, 1)); fc.comma(); fc.money(cpo); fc.comma()
            if let fixed { fc.money(fixed) }
            fc.comma(); fc.raw(Array(driver.utf8)); fc.newline()
        }
        try fc.flushIfFull(write, force: true)
    }
}
