import Foundation
import Testing

/// The sample month reported in EUR at 0.9215 EUR per USD: every amount of every CSV table and of
/// summary.json equals the USD run's × the rate, to the cent; every other figure is the same.
@Suite struct CurrencyEndToEndTests {
    static let rate = Decimal(string: "0.9215")!

    static func cents(_ d: Decimal) -> Decimal {
        var x = d, r = Decimal()
        NSDecimalRound(&r, &x, 2, .bankers)
        return r
    }
    static func dec(_ s: String) -> Decimal? { Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")) }

    @Test func theSampleMonthInEURIsTheUSDMonthTimesTheRate() throws {
        let base = try temporaryFolder()
        let eurInput = base.appendingPathComponent("eur")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("data/sample"), to: eurInput)
        var toml = try String(contentsOf: eurInput.appendingPathComponent("costper.toml"), encoding: .utf8)
        toml = toml.replacingOccurrences(of: "currency = \"USD\"", with: "currency = \"EUR\"") + "\n[fx]\n\"2026-10\" = 0.9215\n"
        try toml.write(to: eurInput.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        let usdOut = base.appendingPathComponent("usd-site"), eurOut = base.appendingPathComponent("eur-site")
        let u = try runCostper(["report", "--input", repoRoot.appendingPathComponent("data/sample").path, "--out", usdOut.path])
        let e = try runCostper(["report", "--input", eurInput.path, "--out", eurOut.path])
        #expect(u.status == 0 && e.status == 0, "\(u.stderr) \(e.stderr)")
        #expect(e.stdout.contains("cost per resolved ticket €1.23 over 3,412 resolved tickets (total €4,202.02)"), "\(e.stdout)")
        let um = usdOut.appendingPathComponent("2026-10"), em = eurOut.appendingPathComponent("2026-10")

        // Every CSV: amount columns (cost_usd -> cost_eur) to the cent, the rest the same.
        var amounts = 0
        let csvs = try FileManager.default.contentsOfDirectory(atPath: um.path).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(csvs.count >= 25)
        for name in csvs {
            let ur = SampleMonthEndToEndTests.naiveCSV(try String(contentsOf: um.appendingPathComponent(name), encoding: .utf8))
            let er = SampleMonthEndToEndTests.naiveCSV(try String(contentsOf: em.appendingPathComponent(name), encoding: .utf8))
            #expect(ur.count == er.count, "\(name)")
            for (a, b) in zip(ur, er) {
                for (col, x) in a {
                    if col.hasSuffix("_usd") {
                        let y = try #require(b[String(col.dropLast(4)) + "_eur"], "\(name): no \(col.dropLast(4))_eur column")
                        if x.isEmpty { #expect(y.isEmpty); continue }
                        #expect(Self.cents(Self.dec(x)! * Self.rate) == Self.cents(Self.dec(y)!), "\(name) \(col): \(x) × 0.9215 is not \(y)")
                        amounts += 1
                    } else if name == "headline.csv" && col == "value", let dx = Self.dec(x), let dy = b[col].flatMap(Self.dec), dx != dy {
                        #expect(Self.cents(dx * Self.rate) == Self.cents(dy), "headline.csv \(a["figure"] ?? ""): \(x) × 0.9215 is not \(dy)")
                        amounts += 1
                    } else if !["message", "published", "value", "threshold", "notes", "adjustment", "formula", "drivers", "low", "high", "figure", "set_in", "why", "lever", "plan_figure", "base"].contains(col) || x == b[col] {
                        // The same, or a ratio that differs only below the sixth decimal (both sides were rounded once to the nano).
                        if x != b[col], let dx = Self.dec(x), let dy = b[col].flatMap(Self.dec) {
                            #expect(abs(dx - dy) <= Decimal(string: "0.000002")!, "\(name) \(col): \(x) against \(b[col] ?? "")")
                        } else {
                            #expect(x == b[col], "\(name) \(col): \(x) against \(b[col] ?? "nothing")")
                        }
                    }
                }
            }
        }
        #expect(amounts > 250)

        // summary.json: every amount (a key ending _usd, at any depth) to the cent; it names the currency.
        let us = try JSONSerialization.jsonObject(with: Data(contentsOf: um.appendingPathComponent("summary.json")))
        let es = try JSONSerialization.jsonObject(with: Data(contentsOf: em.appendingPathComponent("summary.json")))
        var checked = 0
        func walk(_ a: Any, _ b: Any, _ path: String) {
            if let a = a as? [String: Any], let b = b as? [String: Any] {
                for (k, v) in a {
                    guard let w = b[k] else { Issue.record("summary.json \(path).\(k) missing in EUR"); continue }
                    if k.hasSuffix("_usd"), let x = v as? NSNumber, let y = w as? NSNumber {
                        #expect(Self.cents(x.decimalValue * Self.rate) == Self.cents(y.decimalValue), "summary.json \(path).\(k): \(x) against \(y)")
                        checked += 1
                    } else {
                        walk(v, w, path + "." + k)
                    }
                }
            } else if let a = a as? [Any], let b = b as? [Any] {
                #expect(a.count == b.count, "summary.json \(path)")
                for (i, (x, y)) in zip(a, b).enumerated() { walk(x, y, "\(path)[\(i)]") }
            }
        }
        walk(us, es, "")
        #expect(checked > 30)
        let summary = try #require(es as? [String: Any])
        #expect(summary["currency"] as? String == "EUR")
        #expect((summary["fx"] as? [String: Any])?["usd_rate"] as? NSNumber == NSNumber(value: 0.9215))

        // The page says it: amounts in €, the Method states the rate and its source, comparables beside their USD figure.
        let md = try String(contentsOf: em.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(md.contains("**Cost per resolved ticket: €1.23**") && md.contains("| Cost per resolved ticket | €1.23 |"))
        #expect(md.contains("Amounts are in EUR. Every amount costper read in USD"))
        #expect(md.contains("at 0.921500 EUR per USD (costper.toml \\[fx\\] \"2026-10\")"))
        #expect(md.contains("(published in USD\\: $0.99"))
        #expect(!md.contains("| $"))
        // Every amount is written in the record's currency: a dollar sign is only ever a figure as published.
        #expect(md.contains("reference stack (an illustrative €0.48 ticket)"))
        let dollars = md.components(separatedBy: "$").count - 1
        let asPublished = md.components(separatedBy: "published in USD\\: $").count - 1
        #expect(dollars == asPublished, "amounts in dollars in a EUR report: \(dollars - asPublished)")
    }

    @Test func aMissingRateStopsTheRunNamingIt() throws {
        let base = try temporaryFolder()
        let input = base.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for f in ["tickets.csv", "requests.csv"] {
            try FileManager.default.copyItem(at: fixture("tiny").appendingPathComponent(f), to: input.appendingPathComponent(f))
        }
        try "currency = \"SEK\"\n[fx]\n\"2026-09\" = 10.5\n".write(to: input.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        let r = try runCostper(["validate", "--input", input.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("currency = \"SEK\": no exchange rate from USD to SEK for 2026-10: add [fx] \"2026-10\" = RATE to costper.toml"), "\(r.stderr)")
        // The rate in fx_rates.csv instead; the same month and currency twice is an error.
        try "currency = \"SEK\"\n".write(to: input.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        try "month,currency,rate\n2026-10,USD,10.4821\n".write(to: input.appendingPathComponent("fx_rates.csv"), atomically: true, encoding: .utf8)
        let csv = try runCostper(["report", "--input", input.path, "--out", base.appendingPathComponent("site").path])
        #expect(csv.status == 0, "\(csv.stderr)")
        let md = try String(contentsOf: base.appendingPathComponent("site/2026-10/report.md"), encoding: .utf8)
        #expect(md.contains("at 10.482100 SEK per USD (fx\\_rates.csv\\:2)"), "\(md.split(separator: "\n").filter { $0.contains("SEK per USD") })")
        #expect(md.contains("SEK\u{00A0}"))
        try "currency = \"SEK\"\n[fx]\n\"2026-10\" = 10.5\n".write(to: input.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        let twice = try runCostper(["validate", "--input", input.path])
        #expect(twice.status == 65 && twice.stderr.contains("fx_rates.csv:2: error: two rates for USD in 2026-10 (also costper.toml [fx] \"2026-10\"): keep one"), "\(twice.stderr)")
        try FileManager.default.removeItem(at: input.appendingPathComponent("fx_rates.csv"))
        try "currency = \"EURO\"\n".write(to: input.appendingPathComponent("costper.toml"), atomically: true, encoding: .utf8)
        let bad = try runCostper(["validate", "--input", input.path])
        #expect(bad.status == 65 && bad.stderr.contains("\"EURO\" is not an ISO 4217 currency code"), "\(bad.stderr)")
    }
}
