// LiteLLM: the proxy's spend logs as requests, and its price map as a price catalog.
//
// Spend logs: the columns of model LiteLLM_SpendLogs in litellm/proxy/schema.prisma (BerriAI/litellm,
// read in litellm 1.110.2), filled by get_logging_payload in
// litellm/proxy/spend_tracking/spend_tracking_utils.py: request_id, call_type, api_key, spend,
// total_tokens, prompt_tokens, completion_tokens, startTime, endTime, request_duration_ms, model,
// model_group, custom_llm_provider, user, metadata (Json), cache_hit, request_tags (Json),
// end_user, session_id, status ("success"/"failure"), ... Exported as CSV (`\copy ... CSV HEADER`:
// Json columns as JSON text, NULL empty, naive UTC timestamps) or JSON (`GET /spend/logs`).
//
// Price map: model_prices_and_context_window.json, one object keyed by model name; `sample_spec`
// documents the fields; input_cost_per_token, output_cost_per_token, cache_read_input_token_cost
// in USD per token (e.g. 1.5e-07).
import CostperMoney
import CostperVocabulary


package enum LiteLLMSpendLogs {
    package static let required = ["request_id", "call_type", "spend", "starttime"]
    package static let cachedTokenPaths = ["metadata.additional_usage_values.cache_read_input_tokens",
                                   "metadata.additional_usage_values.prompt_tokens_details.cached_tokens",
                                   "metadata.usage_object.prompt_tokens_details.cached_tokens"]

    /// One canonical request per spend-log row. `prompt_tokens` includes cached tokens (as
    /// requests.csv's input_tokens does); cost is `spend`, LiteLLM's own figure, read exactly
    /// from its text and rounded half to even to the nano-dollar (LiteLLM computes in floats:
    /// 0.0030499999999999998 is $0.00305).
    package static func requests(_ input: InputBuffer, settings s: LiteLLMSettings) throws(CostperError) -> AdaptedExport<RequestRecord> {
        let (records, rejects, format) = try ExportRecord.read(input, required: required, tagsColumn: "request_tags")
        var rows = AdaptedExport<RequestRecord>(file: input.name, format: .litellm, encoding: format)
        rows.rejects = rejects
        rows.fieldNames = ["timestamp": "startTime", "ticket_id": s.ticket.first ?? "session_id", "tenant": s.tenant.first ?? "end_user",
                            "endpoint": s.endpoint.first ?? "", "model": s.model.first ?? "model", "prompt_version": s.promptVersion.first ?? "",
                            "kind": "call_type", "input_tokens": "prompt_tokens", "output_tokens": "completion_tokens",
                            "cached_input_tokens": cachedTokenPaths[0], "cost_usd": s.cost.first ?? "spend", "attempt": s.attempt.first ?? "",
                            "status": "status", "latency_ms": "request_duration_ms"]
        var callTypes: [String: Int] = [:]
        for r in records {
            var v = RequestRecord(origin: RecordOrigin(file: input.name, line: r.line))
            let start = r.text(["startTime"])?.text ?? ""
            v.timestamp = ExportText.normalizeTimestamp(start)
            v.ticketID = r.text(s.ticket)?.text ?? ""
            v.tenant = r.text(s.tenant)?.text ?? ""
            v.endpoint = r.text(s.endpoint)?.text ?? ""
            v.promptVersion = r.text(s.promptVersion)?.text ?? ""
            v.attempt = r.text(s.attempt)?.text ?? ""
            v.model = r.text(s.model)?.text ?? ""
            let callType = r.text(["call_type"])?.text ?? ""
            callTypes[callType, default: 0] += 1
            v.kind = callType.lowercased().contains("embedding") ? "embedding" : "llm"
            v.inputTokens = r.text(["prompt_tokens"])?.text ?? ""
            v.outputTokens = r.text(["completion_tokens"])?.text ?? ""
            v.cachedInputTokens = r.text(cachedTokenPaths)?.text ?? ""
            if !s.cost.isEmpty { v.cost = r.text(s.cost)?.text ?? "" }
            v.latency = r.text(["request_duration_ms"])?.text ?? ""
            if let o = r.text(s.outcomeSources) { v.outcome = o.text; v.outcomeField = o.path }
            switch (r.text(["status"])?.text ?? "").lowercased() {
            case "", "success", "ok": v.status = "ok"
            case "failure", "error", "failed": v.status = "error"
            case let other: v.status = other
            }
            rows.records.append(v)
        }
        let types = callTypes.sorted { $0.key < $1.key }.map { "\($0.key.isEmpty ? "(none)" : $0.key) \($0.value)" }.joined(separator: ", ")
        rows.notices.append("\(input.name): LiteLLM spend logs (\(format)), \(records.count) rows; call types: \(types)")
        rows.notices.append(s.cost.isEmpty ? "\(input.name): cost = tokens x the price catalog ([litellm] cost is empty); model from \(s.model.joined(separator: ", else "))"
            : "\(input.name): cost from \(s.cost.joined(separator: " / ")), LiteLLM's own figure, rounded half to even to the nano-dollar; model from \(s.model.joined(separator: ", else "))")
        return rows
    }
}

package extension PriceCatalog {
    /// A price catalog file: LiteLLM's model_prices_and_context_window.json when the content is a
    /// JSON object, else costper's models.csv form.
    package static func read(_ input: InputBuffer) throws(CostperError) -> PriceCatalog {
        ExportFormat.looksLikeJSON(input) ? try readLiteLLM(input) : try readCSV(input)
    }

    /// LiteLLM's price map. Per-token USD prices are read exactly from their text and become
    /// costper's nano-dollars per million tokens (x 10^15, no rounding for prices given to 15
    /// decimals). `sample_spec` and entries without both token prices (images, audio, search...)
    /// are skipped and counted.
    ///
    /// Names: LiteLLM writes Claude versions with dashes (`claude-haiku-4-5`) where costper's
    /// models.csv and most applications write `claude-haiku-4.5`; and provider-prefixed keys
    /// (`gemini/gemini-2.5-flash`). Each entry also answers to the dotted form of such a version
    /// and to its name without the provider prefix, unless the map has that name itself.
    package static func readLiteLLM(_ input: InputBuffer) throws(CostperError) -> PriceCatalog {
        var parser = JSONParser(input)
        guard let root = parser.firstValue(), let members = root.members else {
            throw CostperError(.badData, "is not a LiteLLM price map (a JSON object keyed by model name, as model_prices_and_context_window.json)", at: InputLocation(file: input.name))
        }
        var catalog = PriceCatalog(source: input.name)
        var skipped = 0
        var aliases: [(String, ModelPrice)] = []
        for m in members where m.key != "sample_spec" {
            guard let p = litellmPrice(model: m.key, entry: m.value) else { skipped += 1; continue }
            catalog.add(p)
            for alias in litellmAliases(m.key) { aliases.append((alias, p)) }
        }
        guard !catalog.prices.isEmpty else {
            throw CostperError(.badData, "no entry has input_cost_per_token and output_cost_per_token: is it LiteLLM's model_prices_and_context_window.json?", at: InputLocation(file: input.name))
        }
        let real = catalog.prices.count
        var added = 0
        for (alias, p) in aliases where catalog[alias] == nil {
            var a = p
            a.model = alias
            catalog.add(a)
            added += 1
        }
        catalog.notes.append("price catalog \(input.name): LiteLLM price map, \(real) models, \(added) alternative names (claude-haiku-4-5 also as claude-haiku-4.5), \(skipped) entries without per-token prices skipped")
        return catalog
    }

    /// One entry of LiteLLM's price map, or nil when it has no per-token input and output prices.
    package static func litellmPrice(model: String, entry: ExportJSON) -> ModelPrice? {
        func perMTok(_ key: String) -> Money?? {
            guard let v = entry[key] else { return .some(nil) }
            guard case .number(let text) = v else { return nil }
            let r = Bytes.of(text) { Scalars.parseDecimal($0, scale: 15) }
            guard case .success(let x) = r, x.value >= 0 else { return nil }
            return .some(Money(nanos: x.value))
        }
        guard entry.members != nil,
              let input = perMTok("input_cost_per_token"), let input,
              let output = perMTok("output_cost_per_token"), let output,
              let cache = perMTok("cache_read_input_token_cost") else { return nil }
        var p = ModelPrice(model: model, inputPerMTok: input, outputPerMTok: output, cacheReadPerMTok: cache)
        p.cacheWritePerMTok = perMTok("cache_creation_input_token_cost") ?? nil
        p.batchInputPerMTok = perMTok("input_cost_per_token_batches") ?? nil
        p.batchOutputPerMTok = perMTok("output_cost_per_token_batches") ?? nil
        return p
    }

    /// Other names a LiteLLM key answers to: `claude-haiku-4-5` -> `claude-haiku-4.5` (a dash
    /// between two one- or two-digit numbers is a version point); `gemini/x` -> `x`.
    package static func litellmAliases(_ key: String) -> [String] {
        var out: [String] = []
        var base = key
        if let slash = key.lastIndex(of: "/") {
            base = String(key[key.index(after: slash)...])
            out.append(base)
        }
        let parts = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        var dotted = parts.first ?? ""
        for i in 1..<max(parts.count, 1) {
            let a = parts[i - 1], b = parts[i]
            let short = { (s: String) in !s.isEmpty && s.count <= 2 && s.allSatisfy(\.isNumber) }
            dotted += (short(a) && short(b) ? "." : "-") + b
        }
        if dotted != base { out.append(dotted) }
        return out
    }
}
