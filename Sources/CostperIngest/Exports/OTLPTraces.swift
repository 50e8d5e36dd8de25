// OpenTelemetry traces in OTLP/JSON (opentelemetry-proto docs/specification.md, "JSON Protobuf
// Encoding"): `{"resourceSpans":[{resource{attributes}, scopeSpans[{scope, spans[...]}]}]}`, one
// document per file or one per line (the Collector's file exporter). Attributes are
// `{key, value{stringValue|intValue|doubleValue|boolValue|...}}`; 64-bit integers are decimal
// strings, plain numbers are accepted too; status.code 2 is ERROR.
//
// A span is a billable request when it is a GenAI model call (semantic conventions,
// docs/registry/attributes/gen-ai.md): gen_ai.operation.name (older OpenLLMetry instrumentations:
// llm.request.type) is chat / text_completion / generate_content / embeddings, and it names a
// model (gen_ai.request.model, else gen_ai.response.model). Every other span (HTTP, database,
// execute_tool, invoke_agent...) is skipped and counted in the data-quality notices.
import CostperMoney
import CostperVocabulary


package enum OTLPTraces {
    package static let modelOperations: Set<String> = ["chat", "text_completion", "completion", "generate_content", "embeddings", "embedding"]
    package static let inputTokens = ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"]
    package static let outputTokens = ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"]
    package static let cachedTokens = ["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"]

    /// An attribute list as text by key: strings as they are, integers and doubles as written
    /// (`"20"` or `20`), booleans true/false. Arrays, maps and bytes are left out.
    package static func attributes(_ list: ExportJSON?) -> [String: String] {
        var out: [String: String] = [:]
        for a in list?.elements ?? [] {
            guard let key = a["key"]?.stringValue, let value = a["value"] else { continue }
            if let s = value["stringValue"]?.stringValue {
                out[key] = s
            } else if let i = value["intValue"]?.scalarText {
                out[key] = i
            } else if let d = value["doubleValue"]?.scalarText {
                out[key] = d
            } else if case .bool(let b)? = value["boolValue"] {
                out[key] = b ? "true" : "false"
            }
        }
        return out
    }

    /// The GenAI model calls of a traces file, as requests.
    package static func requests(_ input: InputBuffer, settings s: OTLPSettings) throws(CostperError) -> AdaptedExport<RequestRecord> {
        var rows = AdaptedExport<RequestRecord>(file: input.name, format: .otlp, encoding: "JSON")
        rows.fieldNames = ["timestamp": "startTimeUnixNano", "ticket_id": s.ticket.first ?? "", "tenant": s.tenant.first ?? "",
                            "endpoint": s.endpoint.first ?? "", "model": "gen_ai.request.model", "prompt_version": s.promptVersion.first ?? "",
                            "kind": "gen_ai.operation.name", "input_tokens": inputTokens[0], "output_tokens": outputTokens[0],
                            "cached_input_tokens": cachedTokens[0], "cost_usd": s.cost.first ?? "", "attempt": s.attempt.first ?? "",
                            "status": "status.code", "latency_ms": "endTimeUnixNano"]
        var parser = JSONParser(input)
        var spans = 0
        var oldNames = 0
        for doc in parser.documents() {
            let value: ExportJSON
            switch doc {
            case .failure(let e):
                rows.reject(line: e.line, column: "", reason: e.reason)
                continue
            case .success(let v): value = v
            }
            // One TracesData, or a list of them.
            for traces in value.elements ?? [value] {
                guard let resourceSpans = traces["resourceSpans"]?.elements else {
                    rows.reject(line: traces.line == 0 ? value.line : traces.line, column: "resourceSpans", reason: "is missing: not an OTLP/JSON trace document")
                    continue
                }
                for rs in resourceSpans {
                    let resource = attributes(rs["resource"]?["attributes"])
                    for ss in rs["scopeSpans"]?.elements ?? [] {
                        for span in ss["spans"]?.elements ?? [] {
                            spans += 1
                            if add(span, resource: resource, settings: s, into: &rows) { oldNames += 1 }
                        }
                    }
                }
            }
        }
        let n = input.name
        rows.notices.append("\(n): OTLP/JSON traces, \(spans) spans: \(rows.recordsRead) GenAI model calls read as requests, \(rows.skippedCount) other spans skipped (not costs)")
        for k in rows.skipped { rows.notices.append("\(n): skipped \(k.count) \(k.reason)") }
        if oldNames > 0 { rows.notices.append("\(n): \(oldNames) spans use older GenAI attribute names (gen_ai.system, gen_ai.usage.prompt_tokens, llm.request.type); read the same") }
        rows.notices.append(s.cost.isEmpty ? "\(n): cost = tokens x the price catalog (the GenAI conventions define no cost attribute; [otlp] cost names one)"
                                           : "\(n): cost from \(s.cost.joined(separator: " / ")) where a span has it, else tokens x the price catalog")
        return rows
    }

    /// Adds one span (or skips or rejects it). Returns whether it used older attribute names.
    package static func add(_ span: ExportJSON, resource: [String: String], settings s: OTLPSettings, into rows: inout AdaptedExport<RequestRecord>) -> Bool {
        let attrs = attributes(span["attributes"])
        func first(_ keys: [String]) -> String? {
            for k in keys { if let v = attrs[k], !v.isEmpty { return v } }
            for k in keys { if let v = resource[k], !v.isEmpty { return v } }
            return nil
        }
        let spanID = span["spanId"]?.stringValue ?? ""
        let line = span.line
        guard let op = attrs["gen_ai.operation.name"] ?? attrs["llm.request.type"] else {
            rows.skip("spans without gen_ai.operation.name (HTTP, database and other non-GenAI spans)")
            return false
        }
        guard modelOperations.contains(op.lowercased()) else {
            rows.skip("\(op) spans (GenAI, not a model call)")
            return false
        }
        guard let model = attrs["gen_ai.request.model"] ?? attrs["gen_ai.response.model"], !model.isEmpty else {
            rows.skip("\(op) spans without gen_ai.request.model")
            return false
        }
        let label = spanID.isEmpty ? "" : "span \(spanID)"
        guard let startText = span["startTimeUnixNano"]?.scalarText, let start = ExportText.nanosToSeconds(startText) else {
            rows.reject(line: line, column: "startTimeUnixNano",
                        reason: "\(Scalars.quoteForMessage(span["startTimeUnixNano"]?.scalarText ?? "")) is not a time in nanoseconds since 1970" + (label.isEmpty ? "" : " (\(label))"))
            return false
        }
        var r = RequestRecord(origin: RecordOrigin(file: rows.file, line: line, label: label))
        r.timestamp = ExportText.iso(start.seconds, nanos: start.nanos)
        r.kind = op.lowercased().hasPrefix("embedding") ? "embedding" : "llm"
        r.model = model
        r.ticketID = first(s.ticket) ?? ""
        r.tenant = first(s.tenant) ?? ""
        r.endpoint = first(s.endpoint) ?? ""
        r.promptVersion = first(s.promptVersion) ?? ""
        r.attempt = first(s.attempt) ?? ""
        r.inputTokens = first(inputTokens) ?? ""
        r.outputTokens = first(outputTokens) ?? ""
        r.cachedInputTokens = first(cachedTokens) ?? ""
        if !s.cost.isEmpty { r.cost = first(s.cost) ?? "" }
        for k in s.outcomeSources {
            if let v = attrs[k] ?? resource[k], !v.isEmpty { r.outcome = v; r.outcomeField = k; break }
        }
        let code = span["status"]?["code"]?.scalarText ?? ""
        r.status = code == "2" || code == "STATUS_CODE_ERROR" ? "error" : "ok"
        if let endText = span["endTimeUnixNano"]?.scalarText, let a = Int64(startText), let b = Int64(endText), b >= a,
           case let (d, overflow) = b.subtractingReportingOverflow(a), !overflow {
            r.latency = String(d / 1_000_000)
        }
        rows.records.append(r)
        return attrs["gen_ai.operation.name"] == nil || attrs["gen_ai.usage.prompt_tokens"] != nil || attrs["gen_ai.system"] != nil
    }
}
