@testable import CostperMoney
@testable import CostperIngest
@testable import CostperVocabulary
import Foundation
import Testing
@testable import CostperCore
@testable import CostperSite
@testable import CostperIO

/// Runs the built executable as a user would.
@Suite(.serialized) struct EndToEndTests {
    @Test func reportOnTheTinyMonthPublishesTheSite() throws {
        let out = try temporaryFolder()
        let r = try runCostper(["report", "--input", fixture("tiny").path, "--out", out.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("cost per resolved ticket $16.68"))
        let month = out.appendingPathComponent("2026-10")
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: month.appendingPathComponent("summary.json"))) as! [String: Any]
        #expect((summary["total_cost_usd"] as! NSNumber).stringValue == "33.368209333")   // exact, to the nano-dollar
        let html = try String(contentsOf: month.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<table>"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("assets/style.css").path))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: month.appendingPathComponent("manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [[String: Any]]
        #expect(inputs.map { $0["path"] as! String } == ["tickets.csv", "requests.csv", "fixed_costs.csv", "costper.toml"])
        #expect((inputs[0]["sha256"] as! String).count == 64)
        // Re-running gives byte-identical files and leaves nothing half-built beside OUT.
        let first = try Data(contentsOf: month.appendingPathComponent("index.html"))
        let again = try runCostper(["report", "--input", fixture("tiny").path, "--out", out.path])
        #expect(again.status == 0)
        #expect(try Data(contentsOf: month.appendingPathComponent("index.html")) == first)
        let beside = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(!beside.contains { $0.hasPrefix("." + out.lastPathComponent + ".costper-staging") })
    }

    @Test func versionNamesCmarkGFM() throws {
        let r = try runCostper(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("cmark-gfm 0.29"))
    }

    @Test func aMissingInputFolderExits66() throws {
        let r = try runCostper(["report", "--input", "/nonexistent/folder", "--out", try temporaryFolder().path])
        #expect(r.status == 66)
        #expect(r.stderr.contains("input folder /nonexistent/folder not found"))
    }

    @Test func aMissingColumnExits65AndWritesNothing() throws {
        let dir = try temporaryFolder()
        try "ticket_id,outcome\nT1,auto_resolved\n".write(to: dir.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try "timestamp,ticket_id\n2026-10-01T00:00:00Z,T1\n".write(to: dir.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("site")
        let r = try runCostper(["report", "--input", dir.path, "--out", out.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("requests.csv: the required column \"kind\" is missing"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func validateExits65WhenARowIsRejected() throws {
        let dir = try temporaryFolder()
        try "ticket_id,outcome\nT1,auto_resolved\n".write(to: dir.appendingPathComponent("tickets.csv"), atomically: true, encoding: .utf8)
        try "timestamp,ticket_id,kind,cost_usd\n2026-10-01T00:00:00Z,T1,llm,12abc\n2026-10-01T00:00:00Z,T1,llm,0.5\n"
            .write(to: dir.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        let r = try runCostper(["validate", "--input", dir.path])
        #expect(r.status == 65)
        #expect(r.stdout.contains("requests.csv:2: cost_usd: \"12abc\" is not a number"))
    }

    @Test func aBadMonthIsAUsageError() throws {
        let r = try runCostper(["report", "--month", "October"])
        #expect(r.status == 64)
    }
}

/// The bundled sample month end to end, against an independent computation (Foundation's
/// Decimal and a deliberately naive CSV parser, sharing no code with costper's readers).
@Suite(.serialized) struct SampleMonthEndToEndTests {
    /// RFC 4180 rows of a small file, the simplest way (quotes, doubled quotes, CRLF).
    static func naiveCSV(_ text: String) -> [[String: String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var it = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() { if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else if c != "\r" { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        let header = rows[0].map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func dec(_ s: String?) -> Decimal { s.flatMap { $0.isEmpty ? nil : Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) } ?? 0 }

    @Test func theSampleMonthRendersAndItsTotalsMatchAnIndependentComputation() throws {
        let out = try temporaryFolder()
        let r = try runCostper(["report", "--input", repoRoot.appendingPathComponent("data/sample").path, "--out", out.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let month = out.appendingPathComponent("2026-10")
        let expected = ["index.html", "report.md", "summary.json", "month.json", "manifest.json", "cost_by_category.csv", "by_tenant.csv", "by_segment.csv",
                        "by_service_type.csv", "by_outcome.csv", "by_model.csv", "by_endpoint.csv", "by_prompt_version.csv",
                        "comparables.csv", "flags.csv", "forecast_check.csv", "alerts.csv", "rejects.csv", "headline.csv", "findings.csv", "forward.csv", "sensitivity.csv",
                        "service_type_check.csv", "reference_ranges.csv", "ticket_distribution.csv", "prompt_drift.csv", "budgets.csv", "assumptions.csv",
                        "data_quality.csv", "chart-iceberg.svg", "chart-tenants.svg", "chart-comparables.svg", "chart-sensitivity.svg",
                        "weekly.csv", "margin_by_tenant.csv", "resolution_rates.csv", "quality.csv", "chart-weeks.svg", "bridge.csv", "report.xlsx",
                        "focus_bills.csv", "focus_rows.csv", "reconciliation.csv", "coverage.csv", "by_model_service_type.csv", "scenarios.csv"]
        #expect(try FileManager.default.contentsOfDirectory(atPath: month.path).sorted() == expected.sorted())
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("assets/style.css").path))
        let html = try String(contentsOf: month.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("<table>") && html.contains("<svg"))

        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: month.appendingPathComponent("summary.json"))) as! [String: Any]
        for key in ["month", "company", "currency", "tickets", "resolved_tickets", "requests", "outcomes", "total_cost_usd",
                    "cost_per_resolved_ticket_usd", "cost_per_ticket_usd", "cost_by_category_usd", "hidden_cost_share",
                    "baseline_cost_per_resolved_usd", "savings_share", "comparables", "flags", "rejected_rows", "orphan_requests"] {
            #expect(summary[key] != nil, "summary.json lacks \(key)")
        }
        // Like for like: Intercom's price against the AI layer and, bought, against the all-in;
        // Klarna's per-transaction figure and the secondary source's per-ticket ones only shown.
        #expect((summary["comparables"] as! [[String: Any]]).map { $0["name"] as! String } == ["Intercom Fin", "Intercom Fin", "Klarna",
            "Fin-like deployment, 5,000 tickets a month (Runrate estimate)", "Sierra-like agent, healthcare or insurance (Runrate scenario)"])
        #expect((summary["comparables"] as! [[String: Any]]).map { $0["against_our"] as! String } == ["AI layer per AI resolution", "all-in per resolved ticket", "", "", ""])
        #expect((summary["comparables"] as! [[String: Any]]).allSatisfy { !($0["exceeded"] as! Bool) })
        // Every line once: the AI layer, the all-in, four service types, four plan lines, one run rate; none above 2x.
        #expect((summary["lines"] as! [Any]).count == 11)
        #expect((summary["flags"] as! [Any]).isEmpty)

        // The independent computation.
        let dir = repoRoot.appendingPathComponent("data/sample")
        let prices = Dictionary(uniqueKeysWithValues: Self.naiveCSV(try String(contentsOf: repoRoot.appendingPathComponent("data/benchmarks/models.csv"), encoding: .utf8))
            .map { ($0["model"]!, (Self.dec($0["input_per_mtok_usd"]), Self.dec($0["output_per_mtok_usd"]), $0["cache_read_per_mtok_usd"].flatMap { $0.isEmpty ? nil : Self.dec($0) })) })
        var byCategory: [String: Decimal] = [:]
        let requests = Self.naiveCSV(try String(contentsOf: dir.appendingPathComponent("requests.csv"), encoding: .utf8))
        for q in requests {
            var cost = Self.dec(q["cost_usd"])
            if q["cost_usd"]!.isEmpty, let p = prices[q["model"]!] {
                let input = Self.dec(q["input_tokens"]), cached = Self.dec(q["cached_input_tokens"]), output = Self.dec(q["output_tokens"])
                cost = ((input - cached) * p.0 + cached * (p.2 ?? p.0) + output * p.1) / 1_000_000
            }
            let kind = q["kind"]!
            let cat = kind == "llm" ? ((Int(q["attempt"]!) ?? 1) > 1 || q["status"] == "error" ? "retries" : "model")
                : ["embedding": "embeddings", "vector_db": "vector_db", "integration": "integrations", "observability": "observability"][kind]!
            byCategory[cat, default: 0] += cost
        }
        let tickets = Self.naiveCSV(try String(contentsOf: dir.appendingPathComponent("tickets.csv"), encoding: .utf8))
        let minutes = tickets.reduce(Decimal(0)) { $0 + Self.dec($1["review_minutes"]) }
        byCategory["human_review"] = minutes * 60_000 / 1_800 / 60   // costper.toml: $60,000 a year, 1,800 hours
        // Fixed costs: the AWS bill in FOCUS (the agent's sub-account, October by ChargePeriodStart,
        // EffectiveCost, mapped as costper.toml's [focus] rules say) beside fixed_costs.csv's rows,
        // which are other vendors' lines (Pinecone, Langfuse, hosting, the gateway): none replaced.
        for f in Self.naiveCSV(try String(contentsOf: dir.appendingPathComponent("fixed_costs.csv"), encoding: .utf8)) where f["month"] == "2026-10" {
            byCategory[f["category"]!, default: 0] += Self.dec(f["amount_usd"])
        }
        for f in Self.naiveCSV(try String(contentsOf: dir.appendingPathComponent("focus_aws.csv"), encoding: .utf8))
            where f["SubAccountName"] == "support-ai-prod" && f["ChargePeriodStart"]!.hasPrefix("2026-10") {
            let cat = ["Amazon OpenSearch Service": "vector_db", "Amazon CloudWatch": "observability", "Amazon Simple Queue Service": "infrastructure"][f["ServiceName"]!]
                ?? (f["ServiceCategory"] == "Compute" ? "infrastructure" : nil)
            if let cat { byCategory[cat, default: 0] += Self.dec(f["EffectiveCost"]) }
        }
        // The invoices' gaps (invoiced − traced, per provider) are lines of the model category.
        let providers = Dictionary(uniqueKeysWithValues: Self.naiveCSV(try String(contentsOf: repoRoot.appendingPathComponent("data/benchmarks/models.csv"), encoding: .utf8))
            .map { ($0["model"]!, $0["provider"]!) })
        var gap: [String: Decimal] = [:]
        for i in Self.naiveCSV(try String(contentsOf: dir.appendingPathComponent("invoices.csv"), encoding: .utf8)) where i["month"] == "2026-10" {
            gap[i["provider"]!, default: 0] += Self.dec(i["amount"])
        }
        for q in requests {
            guard let p = providers[q["model"]!], gap[p] != nil else { continue }
            var cost = Self.dec(q["cost_usd"])
            if q["cost_usd"]!.isEmpty, let x = prices[q["model"]!] {
                cost = ((Self.dec(q["input_tokens"]) - Self.dec(q["cached_input_tokens"])) * x.0 + Self.dec(q["cached_input_tokens"]) * (x.2 ?? x.0) + Self.dec(q["output_tokens"]) * x.1) / 1_000_000
            }
            gap[p]! -= cost
        }
        byCategory["model", default: 0] += gap.values.reduce(0, +)
        #expect(gap.keys.sorted() == ["Anthropic", "OpenAI"])
        let total = byCategory.values.reduce(0, +)
        let resolved = tickets.filter { $0["outcome"] == "auto_resolved" }.count
        func cents(_ d: Decimal) -> String {
            var x = d, r = Decimal()
            NSDecimalRound(&r, &x, 2, .bankers)
            return NSDecimalNumber(decimal: r).stringValue
        }
        func cents(_ n: Any?) -> String { cents((n as! NSNumber).decimalValue) }
        #expect(summary["tickets"] as? Int == tickets.count)
        #expect(summary["requests"] as? Int == requests.count)
        #expect(summary["resolved_tickets"] as? Int == resolved)
        #expect(cents(summary["total_cost_usd"]) == cents(total))
        #expect(cents(summary["cost_per_resolved_ticket_usd"]) == cents(total / Decimal(resolved)))
        let cats = summary["cost_by_category_usd"] as! [String: Any]
        for (k, v) in byCategory { #expect(cents(cats[k]) == cents(v), "category \(k)") }
        // Every breakdown adds up to the total.
        let byTenant = Self.naiveCSV(try String(contentsOf: month.appendingPathComponent("by_tenant.csv"), encoding: .utf8))
        #expect(cents(byTenant.reduce(Decimal(0)) { $0 + Self.dec($1["cost_usd"]) }) == cents(summary["total_cost_usd"]))
    }
}

/// The committed site/ is the sample month's report: a fresh render must match it byte for byte
/// (`make report` rewrites it after a deliberate change; COSTPER_UPDATE_GOLDEN=1 does too).
/// report.pdf is compared by its presence only: its bytes depend on the Chromium and the fonts
/// installed (BoardPackFileTests checks that two prints on one machine are identical).
@Suite(.serialized) struct PublishedSampleSiteTests {
    @Test func theCommittedSiteIsTheSampleMonthRenderedAgain() throws {
        guard PrintedReport.findChromium(path: ProcessInfo.processInfo.environment["PATH"]) != nil else {
            print("skipped: the committed site/ holds report.pdf, printed by chromium, which is not installed (make test installs it)")
            return
        }
        let tmp = try temporaryFolder()
        let out = tmp.appendingPathComponent("site")
        let r = try runCostper(["report", "--input", "data/sample", "--out", out.path], pdf: true)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let committed = repoRoot.appendingPathComponent("site")
        let fm = FileManager.default
        let update = ProcessInfo.processInfo.environment["COSTPER_UPDATE_GOLDEN"] == "1"
        func files(_ root: URL) -> [String] {
            (fm.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []).filter {
                var dir: ObjCBool = false
                return fm.fileExists(atPath: root.appendingPathComponent($0).path, isDirectory: &dir) && !dir.boolValue
            }.sorted()
        }
        if update {
            try? fm.removeItem(at: committed)
            try fm.createDirectory(at: committed, withIntermediateDirectories: true)
            for f in files(out) {
                let dest = committed.appendingPathComponent(f)
                try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(contentsOf: out.appendingPathComponent(f)).write(to: dest)
            }
            return
        }
        #expect(files(out) == files(committed), "site/ lists other files than a fresh render")
        for f in files(out) where fm.fileExists(atPath: committed.appendingPathComponent(f).path) && !f.hasSuffix("report.pdf") {
            let fresh = try Data(contentsOf: out.appendingPathComponent(f))
            #expect(fresh == (try Data(contentsOf: committed.appendingPathComponent(f))), "site/\(f) differs from a fresh render of data/sample")
        }
    }
}

@Suite struct CalculatorCommandTests {
    func json(_ args: [String]) throws -> [String: Any] {
        let r = try runCostper(args + ["--json"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    @Test func compareAppliesTheReportsRuleLikeForLike() throws {
        // An AI layer per AI resolution meets the vendor prices per AI resolution: Intercom's $0.99.
        let j = try json(["compare", "--cost-per-outcome", "2.00", "--scope", "ai_layer", "--volume", "10000", "--fixed-monthly", "2500"])
        let list = j["comparables"] as! [[String: Any]]
        #expect(list.map { $0["name"] as! String } == ["Intercom Fin"])
        #expect(Set(list[0].keys).isSuperset(of: ["name", "domain", "basis", "published", "adjusted_usd", "ratio", "exceeded", "source"]))
        #expect((j["rule_figure_usd"] as! NSNumber).stringValue == "0.99")
        #expect((j["ratio"] as! NSNumber).stringValue == "2.02020202")
        #expect(j["state"] as! String == "flagged")
        #expect(list.map { $0["exceeded"] as! Bool } == [true])   // 2.00 is above 2 × $0.99
        #expect((j["not_compared"] as! [String]).contains("Klarna: counted per transaction"))
        // An all-in cost never meets a vendor's price raw: the buyer's escalations are not in it.
        let allIn = try json(["compare", "--cost-per-outcome", "4.61"])
        #expect(allIn["state"] as! String == "not checked: no comparable" && (allIn["comparables"] as! [Any]).isEmpty)
        #expect((allIn["not_compared"] as! [String]).contains("Intercom Fin: vendor price per AI resolution (excludes the buyer's escalations), not your all_in figure"))
        // JSON money is exact: $0.0095625 stays 0.0095625.
        let exact = try json(["compare", "--cost-per-outcome", "0.0095625"])
        #expect((exact["cost_per_outcome_usd"] as! NSNumber).stringValue == "0.0095625")
    }

    @Test func estimateRoiAndBaselineReproduceTheSeeds() throws {
        let e = try json(["estimate", "--model", "claude-haiku-4.5", "--volumes", "10000"])
        #expect(e["input_tokens"] as? Int == 6_750 && e["output_tokens"] as? Int == 1_000)
        #expect((e["cost_per_ticket_usd"] as! NSNumber).stringValue == "0.01175")
        let monthly = e["monthly"] as! [[String: Any]]
        #expect(monthly.count == 1 && monthly[0]["tickets"] as? Int == 10_000 && (monthly[0]["cost_usd"] as! NSNumber).stringValue == "117.5")
        let roi = try json(["roi", "--tickets", "10000", "--deflection", "0.4", "--human-cost-per-ticket", "4", "--ai-cost-monthly", "250"])
        #expect((roi["human_cost_saved_usd"] as! NSNumber).intValue == 16_000)
        #expect((roi["ai_cost_usd"] as! NSNumber).intValue == 250)
        #expect((roi["gross_savings_multiple"] as! NSNumber).intValue == 64)   // $16,000 saved per $250
        #expect((roi["net_return"] as! NSNumber).intValue == 63)               // ($16,000 − $250) / $250
        let b = try json(["baseline", "--loaded-annual", "50000", "--hours", "1800", "--aht-minutes", "6"])
        #expect((b["tickets_per_agent_year"] as! NSNumber).intValue == 18_000)
        #expect((b["labor_cost_per_ticket_usd"] as! NSNumber).stringValue == "2.777777778")
        // The register names publications, never files.
        let list = try json(["benchmarks"])["comparables"] as! [[String: Any]]
        #expect(list.count == 6 && list.allSatisfy { !($0["publisher"] as! String).isEmpty && !($0["title"] as! String).isEmpty })
        #expect(list.allSatisfy { !($0["url"] as! String).contains("seeds/") && !($0["secondary_source"] as! String).contains("seeds/") })
        // estimate --cache-system says when a model has no cache price.
        // (The 2026-04-01 catalog listed gpt-5.4-nano without one; LiteLLM lists 0.02.)
        let noCache = try runCostper(["estimate", "--model", "azure/global-standard/gpt-4o-mini", "--cache-system"])
        #expect(noCache.stdout.contains("has no cache-read price in the catalog"))
    }

    @Test func theTablesAreAlignedForPeople() throws {
        // Per ticket handled, the support figures are the secondary source's illustrative ones: shown, never a flag.
        let r = try runCostper(["compare", "--cost-per-outcome", "5.10", "--per", "per_handled", "--volume", "10000"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let fin = try #require(lines.first { $0.hasPrefix("Fin-like") }), sierra = try #require(lines.first { $0.hasPrefix("Sierra-like") })
        #expect(fin.range(of: " context only ") != nil && sierra.range(of: " context only ") != nil)
        #expect(fin.range(of: " context only ")!.lowerBound.utf16Offset(in: fin) == sierra.range(of: " context only ")!.lowerBound.utf16Offset(in: sierra))
        #expect(r.stdout.contains("Not checked: the figures counted per ticket handled in this domain are illustrative scenarios (shown above, never a flag)."))
        #expect(r.stdout.contains("Klarna: not compared (counted per transaction, not per ticket handled)"))
        // The AI layer against Fin: 2.00 / 0.99 = 2.02x.
        let ai = try runCostper(["compare", "--cost-per-outcome", "2.00", "--scope", "ai_layer"])
        #expect(ai.stdout.contains("FLAG: 2.02x the median figure ($0.99)."))
    }

    @Test func badArgumentsExit64() throws {
        for args in [["compare", "--cost-per-outcome", "12abc"], ["compare", "--cost-per-outcome", "NaN"], ["compare", "--cost-per-outcome", "1", "--domain", "retail"],
                     ["roi", "--tickets", "10", "--deflection", "1.5", "--human-cost-per-ticket", "4", "--ai-cost-monthly", "1"],
                     ["baseline", "--loaded-annual", "1", "--hours", "0", "--aht-minutes", "6"],
                     ["estimate", "--model", "no-such-model"], ["estimate", "--model", "gpt-5.4-nano", "--volumes", "1,x"],
                     ["compare", "--cost-per-outcome", "1", "--volume", "-5"], ["roi", "--tickets", "-3", "--deflection", "0.4", "--human-cost-per-ticket", "4", "--ai-cost-monthly", "1"]] {
            let r = try runCostper(args)
            #expect(r.status == 64, "\(args): \(r.status) \(r.stderr)")
            #expect(!r.stderr.isEmpty)
        }
        // The sentence says what is allowed.
        #expect(try runCostper(["compare", "--cost-per-outcome", "1", "--volume", "-5"]).stderr.contains("--volume must be a positive number of outcomes a month"))
        #expect(try runCostper(["roi", "--tickets", "10", "--deflection", "1.5", "--human-cost-per-ticket", "4", "--ai-cost-monthly", "1"]).stderr
            .contains("--deflection is a share from 0 to 1"))
        #expect(try runCostper(["estimate", "--model", "no-such-model"]).stderr.contains("is not in the price catalog (data/prices/litellm.csv"))
        #expect(try runCostper(["estimate", "--model", "claude-haiku-4.6"]).stderr.contains("did you mean claude-haiku-4.5"))
    }
}

/// ticket_costs.csv replaces requests + tickets: the tiny month as a ticket-level export gives
/// the tiny month's figures.
@Suite struct TicketCostsEndToEndTests {
    func summary(_ folder: URL) throws -> [String: Any] {
        let out = try temporaryFolder()
        let r = try runCostper(["report", "--input", folder.path, "--out", out.path])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("2026-10/summary.json"))) as! [String: Any]
    }

    @Test func theTicketLevelExportGivesTheSameReport() throws {
        let ticketLevel = try summary(fixture("ticket_costs"))
        let requestLevel = try summary(fixture("tiny"))
        for key in ["total_cost_usd", "cost_per_resolved_ticket_usd", "cost_per_ticket_usd", "tickets", "resolved_tickets", "requests", "hidden_cost_share"] {
            #expect((ticketLevel[key] as! NSNumber) == (requestLevel[key] as! NSNumber), "\(key)")
        }
        #expect((ticketLevel["total_cost_usd"] as! NSNumber).stringValue == "33.368209333")
        #expect((ticketLevel["cost_by_category_usd"] as! NSDictionary) == (requestLevel["cost_by_category_usd"] as! NSDictionary))
    }

    @Test func exportedReviewCostAndBadRowsAreHandled() throws {
        let dir = try temporaryFolder()
        try """
            ticket_id,outcome,closed_at,review_minutes,model_usd,human_review_usd
            A,auto_resolved,2026-10-02T10:00:00Z,,0.50,
            B,escalated,2026-10-02T10:00:00Z,6,0.25,4.00
            C,auto_resolved,2026-10-02T10:00:00Z,,0.5x,
            D,abandoned,2026-11-02T10:00:00Z,,9.00,

            """.write(to: dir.appendingPathComponent("ticket_costs.csv"), atomically: true, encoding: .utf8)
        let out = try temporaryFolder()
        let r = try runCostper(["report", "--input", dir.path, "--out", out.path, "--month", "2026-10"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("2026-10/summary.json"))) as! [String: Any]
        // A $0.50 + B $0.25 + B's exported review $4.00 (not 6 minutes at the rate); C rejected; D another month.
        #expect((s["total_cost_usd"] as! NSNumber).stringValue == "4.75")
        #expect(s["tickets"] as? Int == 2 && s["rejected_rows"] as? Int == 1)
        let rejects = try String(contentsOf: out.appendingPathComponent("2026-10/rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("ticket_costs.csv,4,model_usd,\"\"\"0.5x\"\" is not a number\""))
        // Mixed with requests.csv: one form of the month only.
        try "timestamp,ticket_id,kind\n".write(to: dir.appendingPathComponent("requests.csv"), atomically: true, encoding: .utf8)
        let mixed = try runCostper(["report", "--input", dir.path, "--out", out.path])
        #expect(mixed.status == 65 && mixed.stderr.contains("keep one form of the month"))
    }
}

@Suite struct InstalledBinaryTests {
    /// The binary copied out of the repository (as `make install` does) runs from any folder: its
    /// templates and benchmark data are built in.
    @Test func theBinaryRunsFromAnotherFolder() throws {
        let tmp = try temporaryFolder()
        let bin = tmp.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let exe = bin.appendingPathComponent("costper")
        let built = ProcessInfo.processInfo.environment["COSTPER_EXE"].map { URL(fileURLWithPath: $0) } ?? repoRoot.appendingPathComponent(".build/debug/costper")
        try FileManager.default.copyItem(at: built, to: exe)
        let elsewhere = tmp.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        func run(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try runCostper(args, cwd: elsewhere, executable: exe)
        }
        let report = try run(["report", "--input", repoRoot.appendingPathComponent("data/sample").path, "--out", "site"])
        #expect(report.status == 0, "\(report.stderr)")
        let committed = try Data(contentsOf: repoRoot.appendingPathComponent("site/2026-10/report.md"))
        #expect(try Data(contentsOf: elsewhere.appendingPathComponent("site/2026-10/report.md")) == committed)
        let benchmarks = try run(["benchmarks", "--json"])
        #expect(benchmarks.status == 0 && benchmarks.stdout.contains("\"Klarna\""), "\(benchmarks.stderr)")
        let estimate = try run(["estimate", "--model", "claude-haiku-4.5"])
        #expect(estimate.status == 0, "\(estimate.stderr)")
        // --data and --templates still replace the built-in copies, and a missing one is named.
        let missing = try run(["benchmarks", "--data", "nowhere"])
        #expect(missing.status == 66 && missing.stderr.contains("nowhere/benchmarks/comparables.csv"), "\(missing.stderr)")
        let noTemplates = try run(["report", "--input", repoRoot.appendingPathComponent("data/sample").path, "--out", "site2", "--templates", "nowhere"])
        #expect(noTemplates.status == 66 && noTemplates.stderr.contains("nowhere/report.md.mustache"), "\(noTemplates.stderr)")
    }

    /// The copies built into the binary are the files of Templates/ and data/ (the EmbedResources
    /// plugin writes them on every build: a plain `swift build` cannot ship stale ones).
    @Test func theBuiltInFilesAreTheRepositorysFiles() throws {
        for (path, text) in BuiltIn.files {
            #expect(Array(text.utf8) == Array(try Data(contentsOf: repoRoot.appendingPathComponent(path))), "\(path)")
        }
        #expect(BuiltIn.files.keys.contains("Templates/report.md.mustache") && BuiltIn.files.keys.contains("data/prices/litellm.csv"))
        for (name, text) in try ProjectFiles.templates(folder: nil).pairs {
            #expect(Array(text.utf8) == Array(try Data(contentsOf: repoRoot.appendingPathComponent("Templates/" + name))), "\(name)")
        }
    }
}

@Suite struct ProgressLineTests {
    /// Not a terminal (CI, cron, a pipe): nothing on stderr but errors.
    @Test func nothingExtraWhenStderrIsNotATerminal() throws {
        let out = try temporaryFolder()
        let r = try runCostper(["report", "--input", fixture("tiny").path, "--out", out.path])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let s = try runCostper(["sample", "--tickets", "10", "--out", out.appendingPathComponent("s").path])
        #expect(s.status == 0 && s.stderr.isEmpty, "\(s.stderr)")
    }

    /// A terminal (util-linux `script` gives the command one): one updating line, cleared at the end.
    @Test func oneUpdatingLineOnATerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let out = try temporaryFolder()
        let exe = ProcessInfo.processInfo.environment["COSTPER_EXE"] ?? repoRoot.appendingPathComponent(".build/debug/costper").path
        let r = try runCostper(["-qc", "\(exe) report --input \(fixture("tiny").path) --out \(out.path)", "/dev/null"],
                               executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(r.status == 0)
        #expect(r.stdout.contains("\r\u{1B}[Kcostper: reading "), "\(r.stdout.debugDescription)")
        #expect(r.stdout.contains("\r\u{1B}[Kcostper: 2026-10: cost per resolved ticket"))   // cleared before the result
    }
}
