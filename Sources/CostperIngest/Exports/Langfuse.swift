// Langfuse observation exports (observations_v2: id, trace_id, type, start_time, end_time, name,
// level, provided_model_name, usage_details, cost_details, total_cost, prompt_name, prompt_version,
// user_id, session_id, tags, metadata). Field meanings checked in the langfuse 5.0.4 package:
// langfuse/api/commons/types/observation_v2.py (ObservationV2: usage_details Dict[str,int],
// cost_details Dict[str,float], prompt_version int) and langfuse/langchain/CallbackHandler.py,
// which moves prompt_tokens_details.cached_tokens into input_cached_tokens and SUBTRACTS it from
// `input`: usage_details.input excludes cached tokens.
import CostperMoney
import CostperVocabulary


package enum LangfuseObservations {
    package static let required = ["trace_id", "type", "start_time"]
    package static let cachedPaths = ["usage_details.input_cached_tokens", "usage_details.input_cache_read", "usage_details.cache_read_input_tokens"]

    package static func requests(_ input: InputBuffer, settings s: LangfuseSettings) throws(CostperError) -> AdaptedExport<RequestRecord> {
        let (records, rejects, format) = try ExportRecord.read(input, required: required, tagsColumn: "tags")
        var rows = AdaptedExport<RequestRecord>(file: input.name, format: .langfuse, encoding: format)
        rows.rejects = rejects
        rows.fieldNames = ["timestamp": "start_time", "ticket_id": s.ticket.first ?? "session_id", "tenant": s.tenant.first ?? "user_id",
                            "endpoint": s.endpoint.first ?? "name", "model": s.model.first ?? "provided_model_name",
                            "prompt_version": s.promptVersion.first ?? "prompt_version", "kind": "type",
                            "input_tokens": "usage_details.input", "output_tokens": "usage_details.output",
                            "cached_input_tokens": cachedPaths[0], "cost_usd": s.cost.first ?? "total_cost",
                            "attempt": s.attempt.first ?? "", "status": "level", "latency_ms": "end_time"]
        for r in records {
            let type = (r.text(["type"])?.text ?? "").uppercased()
            let kind: String
            switch type {
            case "GENERATION": kind = "llm"
            case "EMBEDDING": kind = "embedding"
            default:
                rows.skip("\(type.isEmpty ? "(no type)" : type) observations")
                continue
            }
            var v = RequestRecord(origin: RecordOrigin(file: input.name, line: r.line))
            v.kind = kind
            let start = ExportText.normalizeTimestamp(r.text(["start_time"])?.text ?? "")
            v.timestamp = start
            v.ticketID = r.text(s.ticket)?.text ?? ""
            v.tenant = r.text(s.tenant)?.text ?? ""
            v.endpoint = r.text(s.endpoint)?.text ?? ""
            v.model = r.text(s.model)?.text ?? ""
            v.attempt = r.text(s.attempt)?.text ?? ""
            if let pv = r.text(s.promptVersion)?.text {
                v.promptVersion = pv.hasPrefix(s.promptVersionPrefix) ? pv : s.promptVersionPrefix + pv
            }
            let cached = r.text(cachedPaths)?.text
            var inputTokens = r.text(["usage_details.input", "usage_details.prompt_tokens"])?.text
            if !s.inputIncludesCached, let c = cached, let i = inputTokens {
                // Both must be counts to add them; otherwise the reader rejects the bad one.
                let ci = Bytes.of(c) { Scalars.parseCount($0) }
                let ii = Bytes.of(i) { Scalars.parseCount($0) }
                if case .success(let a) = ci, case .success(let b) = ii { inputTokens = String(a + b) } else if case .failure = ci { inputTokens = c }
            } else if !s.inputIncludesCached, inputTokens == nil {
                inputTokens = cached
            }
            v.inputTokens = inputTokens ?? ""
            v.cachedInputTokens = cached ?? ""
            v.outputTokens = r.text(["usage_details.output", "usage_details.completion_tokens"])?.text ?? ""
            v.cost = r.text(s.cost)?.text ?? ""
            v.status = (r.text(["level"])?.text ?? "").uppercased() == "ERROR" ? "error" : "ok"
            if let o = r.text(s.outcomeSources) { v.outcome = o.text; v.outcomeField = o.path }
            if let t0 = ExportText.epochNanos(start), let t1 = ExportText.epochNanos(ExportText.normalizeTimestamp(r.text(["end_time"])?.text ?? "")), t1 >= t0 {
                v.latency = String((t1 - t0) / 1_000_000)
            }
            rows.records.append(v)
        }
        let n = input.name
        rows.notices.append("\(n): Langfuse observations (\(format)), \(rows.records.count + rows.skippedCount + rows.rejects.count): \(rows.records.count) GENERATION/EMBEDDING read as requests, \(rows.skippedCount) skipped (not costs)")
        for k in rows.skipped { rows.notices.append("\(n): skipped \(k.count) \(k.reason)") }
        if !s.inputIncludesCached {
            rows.notices.append("\(n): input tokens = usage_details.input + input_cached_tokens (Langfuse's input excludes cached tokens)")
        }
        return rows
    }
}
