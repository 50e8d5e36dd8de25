#!/usr/bin/env python3
"""Generate the "same month, other export formats" fixtures from canonical/ (issue 8).

Reads   canonical/requests.csv, canonical/tickets.csv, canonical/fixed_costs.csv,
        canonical/costper.toml and the price catalog <repo>/data/benchmarks/models.csv.
Writes  otlp/traces.jsonl                 (OpenTelemetry Python SDK + OTLP proto encoder)
        litellm/spend_logs.csv, litellm/spend_logs.json, litellm/model_prices_subset.json
        langfuse/observations.csv
        helpdesk/zendesk_tickets.csv, helpdesk/intercom_conversations.csv
        expected.json                     (report figures, computed with decimal.Decimal only)

Deterministic: fixed ids (custom IdGenerator / uuid5 / sha256), explicit span start/end times,
no wall clock, sorted keys where order is not given by a schema. Running it twice gives
byte-identical files. See README.md for the packages and versions it was run with.

    python3 -m venv /tmp/fxenv
    /tmp/fxenv/bin/pip install opentelemetry-sdk==1.45.2 \
        opentelemetry-exporter-otlp-proto-common==1.45.2 litellm==1.110.2
    LITELLM_LOCAL_MODEL_COST_MAP=True /tmp/fxenv/bin/python Tests/Fixtures/exports/generate.py
"""
import base64
import csv
import hashlib
import io
import json
import os
import sys
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal, ROUND_HALF_EVEN, getcontext
from pathlib import Path

getcontext().prec = 50

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
CANON = HERE / "canonical"
MODELS_CSV = REPO / "data" / "benchmarks" / "models.csv"
NANO = Decimal("0.000000001")
MTOK = Decimal(1_000_000)
UUID_NS = uuid.UUID("6f1c3a52-7f0e-4c57-9a3e-0c05a1e70808")  # fixed namespace for uuid5 ids


# --------------------------------------------------------------------------- inputs

def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def parse_ts(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def ns(dt):
    return int(dt.timestamp()) * 1_000_000_000 + dt.microsecond * 1000


def load_prices():
    prices = {}
    for r in read_csv(MODELS_CSV):
        cache = r["cache_read_per_mtok_usd"].strip()
        prices[r["model"]] = {
            "input": Decimal(r["input_per_mtok_usd"]),
            "output": Decimal(r["output_per_mtok_usd"]),
            "cache_read": Decimal(cache) if cache else None,
        }
    return prices


def load_requests(prices):
    out = []
    for i, r in enumerate(read_csv(CANON / "requests.csv")):
        inp, cached, outp = int(r["input_tokens"] or 0), int(r["cached_input_tokens"] or 0), int(r["output_tokens"] or 0)
        p = prices[r["model"]]
        cache_rate = p["cache_read"] if p["cache_read"] is not None else p["input"]  # as costper's PriceCatalog
        parts = {
            "input": Decimal(inp - cached) * p["input"] / MTOK,
            "cached": Decimal(cached) * cache_rate / MTOK,
            "output": Decimal(outp) * p["output"] / MTOK,
        }
        exact = parts["input"] + parts["cached"] + parts["output"]
        assert r["cost_usd"] == "", "canonical rows of this month carry no cost_usd: cost comes from tokens"
        start = parse_ts(r["timestamp"])
        out.append({
            **r,
            "index": i,
            "input_tokens": inp, "cached_input_tokens": cached, "output_tokens": outp,
            "attempt": int(r["attempt"] or 1), "status": r["status"] or "ok",
            "latency_ms": int(r["latency_ms"]),
            "start": start, "end": start + timedelta(milliseconds=int(r["latency_ms"])),
            "cost_parts": parts, "cost_exact": exact,
            "cost": exact.quantize(NANO, rounding=ROUND_HALF_EVEN),  # costper rounds a priced request to 1e-9
        })
    return out


def dec_str(d):
    """A Decimal as a plain decimal string without exponent and without trailing zeros."""
    s = format(d.normalize(), "f")
    return s if s not in ("-0",) else "0"


# --------------------------------------------------------------------------- expected figures

def expected_figures(reqs, tickets, fixed):
    # costper.toml of canonical/: reviewer_loaded_annual_usd = 60000, productive_hours_per_year = 1800
    rate_per_minute = Decimal(60000) / Decimal(1800) / Decimal(60)
    cats = {c: Decimal(0) for c in ["model", "retries", "embeddings", "vector_db", "human_review",
                                     "observability", "integrations", "infrastructure"]}
    for r in reqs:
        if r["kind"] == "embedding":
            cats["embeddings"] += r["cost"]
        elif r["attempt"] > 1 or r["status"] == "error":
            cats["retries"] += r["cost"]
        else:
            cats["model"] += r["cost"]
    for t in tickets:
        m = Decimal(t["review_minutes"] or 0)
        cats["human_review"] += (m * rate_per_minute).quantize(NANO, rounding=ROUND_HALF_EVEN)
    for f in fixed:
        if f["month"] == "2026-10":
            cats[f["category"]] += Decimal(f["amount_usd"])
    total = sum(cats.values(), Decimal(0))
    resolved = sum(1 for t in tickets if t["outcome"] == "auto_resolved")
    q6, q2 = Decimal("0.000001"), Decimal("0.01")
    per_resolved = total / resolved
    per_ticket = total / len(tickets)
    outcomes = {o: sum(1 for t in tickets if t["outcome"] == o) for o in ["auto_resolved", "escalated", "deflected", "abandoned"]}
    request_cost = sum((r["cost"] for r in reqs), Decimal(0))
    return {
        "month": "2026-10",
        "tickets": len(tickets),
        "resolved_tickets": resolved,
        "requests": len(reqs),
        "outcomes": outcomes,
        "input_tokens": sum(r["input_tokens"] for r in reqs),
        "cached_input_tokens": sum(r["cached_input_tokens"] for r in reqs),
        "output_tokens": sum(r["output_tokens"] for r in reqs),
        "request_cost_usd_exact": dec_str(request_cost),
        "cost_by_category_usd_exact": {k: dec_str(v.quantize(NANO)) for k, v in cats.items()},
        "total_cost_usd_exact": dec_str(total.quantize(NANO)),
        "total_cost_usd": float(total.quantize(q6, rounding=ROUND_HALF_EVEN)),
        "cost_per_resolved_ticket_usd": float(per_resolved.quantize(q6, rounding=ROUND_HALF_EVEN)),
        "cost_per_resolved_ticket_usd_exact_9dp": dec_str(per_resolved.quantize(NANO, rounding=ROUND_HALF_EVEN)),
        "cost_per_resolved_ticket_usd_2dp": str(per_resolved.quantize(q2, rounding=ROUND_HALF_EVEN)),
        "cost_per_ticket_usd": float(per_ticket.quantize(q6, rounding=ROUND_HALF_EVEN)),
        "hidden_cost_share": float(((total - cats["model"]) / total).quantize(q6, rounding=ROUND_HALF_EVEN)),
        "baseline_cost_per_resolved_usd": 8.0,  # canonical/costper.toml [baseline]
        "savings_share": float((1 - per_resolved / 8).quantize(q6, rounding=ROUND_HALF_EVEN)),
        "per_request_cost_usd_exact": [
            {"ticket_id": r["ticket_id"], "timestamp": r["timestamp"], "model": r["model"], "cost_usd": dec_str(r["cost_exact"])}
            for r in reqs
        ],
    }


# --------------------------------------------------------------------------- ids

def hex_id(kind, *parts, nbytes):
    return hashlib.sha256(":".join([kind, *parts]).encode()).hexdigest()[: nbytes * 2]


def trace_id_hex(ticket):
    return hex_id("trace", ticket, nbytes=16)


def span_id_hex(ticket, label):
    return hex_id("span", ticket, label, nbytes=8)


# --------------------------------------------------------------------------- OTLP/JSON

PROVIDER = {  # gen_ai.provider.name well-known values (semantic-conventions gen-ai registry)
    "gpt-5.4-nano": "openai", "gpt-5.4-mini": "openai", "text-embedding-3-small": "openai",
    "claude-haiku-4.5": "anthropic", "claude-sonnet-4.6": "anthropic",
    "gemini-2.5-flash": "gcp.gemini", "gemini-2.5-flash-lite": "gcp.gemini",
}
LEGACY_TICKETS = {"40215"}  # written with the deprecated attribute names (an older deploy, OpenLLMetry-style)
OTLP_LINE_ORDER = ["40212", "40211", "40214", "40215", "40213", "40216"]  # the file exporter guarantees no order


def b64_to_hex(v):
    return base64.b64decode(v).hex()


def fix_ids(obj):
    """protobuf json_format prints `bytes` as base64; OTLP/JSON requires lowercase hex ids."""
    if isinstance(obj, dict):
        return {k: (b64_to_hex(v) if k in ("traceId", "spanId", "parentSpanId") and isinstance(v, str) else fix_ids(v))
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [fix_ids(v) for v in obj]
    return obj


def make_otlp(reqs):
    from google.protobuf import json_format
    from opentelemetry import trace as trace_api
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
    from opentelemetry.proto.trace.v1.trace_pb2 import TracesData
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.sdk.trace.id_generator import IdGenerator
    from opentelemetry.trace import SpanKind, Status, StatusCode

    class FixedIds(IdGenerator):
        """Hands out the ids queued for the next spans: never random."""
        def __init__(self):
            self.trace_ids, self.span_ids = [], []

        def generate_trace_id(self):
            return int(self.trace_ids.pop(0), 16)

        def generate_span_id(self):
            return int(self.span_ids.pop(0), 16)

    exporter = InMemorySpanExporter()
    ids = FixedIds()

    def provider(attrs):
        # Resource(...) directly, not Resource.create(): no OTEL_RESOURCE_ATTRIBUTES / host detection.
        p = TracerProvider(resource=Resource(attrs), id_generator=ids)
        p.add_span_processor(SimpleSpanProcessor(exporter))
        return p

    res_common = {"service.namespace": "support", "deployment.environment.name": "production",
                  "telemetry.sdk.language": "python", "telemetry.sdk.name": "opentelemetry"}
    new_p = provider({"service.name": "support-bot", "service.version": "2.3.0", **res_common})
    old_p = provider({"service.name": "support-bot", "service.version": "1.8.2", **res_common})

    by_ticket = {}
    for r in reqs:
        by_ticket.setdefault(r["ticket_id"], []).append(r)

    lines = {}
    for ticket, rs in by_ticket.items():
        legacy = ticket in LEGACY_TICKETS
        p = old_p if legacy else new_p
        http_tracer = p.get_tracer("opentelemetry.instrumentation.fastapi", "0.54b1")
        db_tracer = p.get_tracer("opentelemetry.instrumentation.asyncpg", "0.54b1")
        llm_tracers = {
            "new": p.get_tracer("support_bot.genai", "2.3.0"),
            "openai": p.get_tracer("opentelemetry.instrumentation.openai", "0.33.12"),
            "anthropic": p.get_tracer("opentelemetry.instrumentation.anthropic", "0.33.12"),
        }
        ids.trace_ids = [trace_id_hex(ticket)]
        ids.span_ids = [span_id_hex(ticket, "http"), span_id_hex(ticket, "db")] + \
                       [span_id_hex(ticket, f"req{r['index']}") for r in rs]
        t0 = rs[0]["start"] - timedelta(milliseconds=350)
        t_end = max(r["end"] for r in rs) + timedelta(milliseconds=40)
        root = http_tracer.start_span(
            "POST /v1/tickets/{ticket_id}/respond", kind=SpanKind.SERVER, start_time=ns(t0),
            attributes={"http.request.method": "POST", "http.route": "/v1/tickets/{ticket_id}/respond",
                        "url.scheme": "https", "http.response.status_code": 200,
                        "server.address": "support-bot.internal"})
        ctx = trace_api.set_span_in_context(root)
        db = db_tracer.start_span("SELECT support.tickets", context=ctx, kind=SpanKind.CLIENT,
                                  start_time=ns(t0 + timedelta(milliseconds=20)),
                                  attributes={"db.system.name": "postgresql", "db.operation.name": "SELECT",
                                              "db.collection.name": "tickets", "db.namespace": "support",
                                              "server.address": "pg.internal", "server.port": 5432})
        db.end(end_time=ns(t0 + timedelta(milliseconds=26)))
        for r in rs:
            op = "embeddings" if r["kind"] == "embedding" else "chat"
            model = r["model"]
            if not legacy:
                attrs = {
                    "gen_ai.operation.name": op,
                    "gen_ai.provider.name": PROVIDER[model],
                    "gen_ai.request.model": model,
                    "gen_ai.conversation.id": r["ticket_id"],
                }
                if r["status"] == "ok":
                    attrs["gen_ai.response.model"] = model
                    attrs["gen_ai.usage.input_tokens"] = r["input_tokens"]
                    if op == "chat":
                        attrs["gen_ai.usage.output_tokens"] = r["output_tokens"]
                    if r["cached_input_tokens"] > 0:
                        attrs["gen_ai.usage.cache_read.input_tokens"] = r["cached_input_tokens"]
                attrs["costper.tenant"] = r["tenant"]
                attrs["costper.endpoint"] = r["endpoint"]
                if r["prompt_version"]:
                    attrs["costper.prompt_version"] = r["prompt_version"]
                attrs["costper.attempt"] = r["attempt"]
                tracer = llm_tracers["new"]
            else:
                # Deprecated names (semconv <= 1.26 / OpenLLMetry): gen_ai.system, prompt/completion tokens,
                # cache_read_input_tokens; no gen_ai.operation.name, the request type is llm.request.type.
                assert op == "chat"
                attrs = {
                    "llm.request.type": "chat",
                    "gen_ai.system": PROVIDER[model],
                    "gen_ai.request.model": model,
                    "gen_ai.conversation.id": r["ticket_id"],
                }
                if r["status"] == "ok":
                    attrs["gen_ai.response.model"] = model
                    attrs["gen_ai.usage.prompt_tokens"] = r["input_tokens"]
                    attrs["gen_ai.usage.completion_tokens"] = r["output_tokens"]
                    if r["cached_input_tokens"] > 0:
                        attrs["gen_ai.usage.cache_read_input_tokens"] = r["cached_input_tokens"]
                attrs["costper.tenant"] = r["tenant"]
                attrs["costper.endpoint"] = r["endpoint"]
                if r["prompt_version"]:
                    attrs["costper.prompt_version"] = r["prompt_version"]
                if r["attempt"] > 1:  # absent = 1
                    attrs["costper.attempt"] = r["attempt"]
                tracer = llm_tracers[PROVIDER[model]]
            if r["status"] == "error":
                attrs["error.type"] = "timeout"
            span = tracer.start_span(f"{op} {model}", context=ctx, kind=SpanKind.CLIENT,
                                     start_time=ns(r["start"]), attributes=attrs)
            if r["status"] == "error":
                span.set_status(Status(StatusCode.ERROR, "Request timed out."))
            span.end(end_time=ns(r["end"]))
        if not legacy and ticket == "40213":
            # A GenAI span that is not a billable call: a tool execution (no model, no usage).
            ids.span_ids.append(span_id_hex(ticket, "tool"))
            tool = llm_tracers["new"].start_span(
                "execute_tool lookup_order", context=ctx, kind=SpanKind.INTERNAL,
                start_time=ns(rs[-1]["end"] + timedelta(milliseconds=5)),
                attributes={"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "lookup_order",
                            "gen_ai.conversation.id": ticket, "costper.tenant": rs[0]["tenant"]})
            tool.end(end_time=ns(rs[-1]["end"] + timedelta(milliseconds=25)))
        root.end(end_time=ns(t_end))
        assert not ids.span_ids and not ids.trace_ids
        req = encode_spans(exporter.get_finished_spans())
        exporter.clear()
        td = TracesData(resource_spans=req.resource_spans)
        d = json_format.MessageToDict(td, use_integers_for_enums=True)  # camelCase names, int64 as strings
        lines[ticket] = json.dumps(fix_ids(d), separators=(",", ":"), ensure_ascii=False)
    return "".join(lines[t] + "\n" for t in OTLP_LINE_ORDER)


# --------------------------------------------------------------------------- LiteLLM

LITELLM_MODEL = {  # model_group (public name the app asks for) -> model (LiteLLM deployment / price-map key)
    "claude-haiku-4.5": "claude-haiku-4-5", "claude-sonnet-4.6": "claude-sonnet-4-6",
}
LITELLM_PROVIDER = {"openai": "openai", "anthropic": "anthropic", "gcp.gemini": "gemini"}
SPEND_LOG_COLUMNS = [  # LiteLLM_SpendLogs in litellm/proxy/schema.prisma (litellm 1.110.2), schema order
    "request_id", "call_type", "api_key", "spend", "total_tokens", "prompt_tokens", "completion_tokens",
    "startTime", "endTime", "request_duration_ms", "completionStartTime", "model", "model_id", "model_group",
    "custom_llm_provider", "api_base", "user", "metadata", "cache_hit", "cache_key", "request_tags", "team_id",
    "organization_id", "end_user", "requester_ip_address", "messages", "response", "session_id", "status",
    "mcp_namespaced_tool_name", "billing_agent_id", "agent_id", "proxy_server_request", "litellm_call_id",
    "created_at", "updated_at",
]
API_BASE = {"openai": "https://api.openai.com/v1", "anthropic": "https://api.anthropic.com",
            "gemini": "https://generativelanguage.googleapis.com"}


def litellm_price_file():
    import importlib.util
    spec = importlib.util.find_spec("litellm")
    base = Path(list(spec.submodule_search_locations)[0])
    return base / "model_prices_and_context_window_backup.json"


def pg_ts(dt):
    """Postgres timestamp(3) text as psql/COPY prints it: trailing fraction zeros dropped."""
    s = dt.strftime("%Y-%m-%d %H:%M:%S")
    ms = dt.microsecond // 1000
    return s + (("." + f"{ms:03d}".rstrip("0")) if ms else "")


def iso_ts(dt):
    return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def float_repr_check(exact):
    f = float(exact)
    r = repr(f)
    ok = Decimal(r).quantize(NANO, rounding=ROUND_HALF_EVEN) == exact.quantize(NANO, rounding=ROUND_HALF_EVEN)
    return f, r, ok


def make_litellm(reqs, report):
    api_key_hash = hashlib.sha256(b"sk-costper-fixture-support-bot").hexdigest()
    rows = []
    for r in reqs:
        ok = r["status"] == "ok"
        emb = r["kind"] == "embedding"
        group = r["model"]
        model = LITELLM_MODEL.get(group, group)
        provider = LITELLM_PROVIDER[PROVIDER[group]]
        call_id = str(uuid.uuid5(UUID_NS, f"litellm_call_id:{r['index']}"))
        request_id = str(uuid.uuid5(UUID_NS, f"request:{r['index']}"))
        if not emb:
            request_id = "chatcmpl-" + request_id
        spend_float, spend_repr, rt_ok = float_repr_check(r["cost_exact"])
        report["litellm_spend"].append({"ticket_id": r["ticket_id"], "timestamp": r["timestamp"],
                                        "exact": dec_str(r["cost_exact"]), "spend_repr": spend_repr,
                                        "roundtrips_at_9dp": rt_ok})
        prompt = r["input_tokens"] if ok else 0
        completion = r["output_tokens"] if ok else 0
        additional = {}
        if ok and not emb:
            additional = {"completion_tokens_details": None,
                          "prompt_tokens_details": {"cached_tokens": r["cached_input_tokens"]}}
            if r["cached_input_tokens"] > 0:
                additional["cache_read_input_tokens"] = r["cached_input_tokens"]
        spend_logs_metadata = {"ticket_id": r["ticket_id"], "tenant": r["tenant"], "endpoint": r["endpoint"],
                               "attempt": r["attempt"]}
        if r["prompt_version"]:
            spend_logs_metadata["prompt_version"] = r["prompt_version"]
        metadata = {
            "user_api_key": api_key_hash,
            "user_api_key_alias": "support-bot-prod",
            "user_api_key_team_id": "team-support-ai",
            "user_api_key_team_alias": "Support AI",
            "user_api_key_org_id": None,
            "user_api_key_user_id": "svc-support-bot",
            "spend_logs_metadata": spend_logs_metadata,
            "requester_ip_address": None,
            "additional_usage_values": additional,
            "status": "success" if ok else "failure",
            "error_information": None if ok else {
                "error_code": "408", "error_class": "Timeout", "llm_provider": provider,
                "error_message": "litellm.Timeout: AnthropicException - Request timed out.",
            },
            "attempted_retries": 0,
            "max_retries": 0,
        }
        tags = [f"endpoint:{r['endpoint']}"] + ([f"prompt_version:{r['prompt_version']}"] if r["prompt_version"] else [])
        rows.append({
            "request_id": request_id,
            "call_type": "aembedding" if emb else "acompletion",
            "api_key": api_key_hash,
            "spend": spend_float if ok else 0.0,
            "total_tokens": prompt + completion,
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "startTime": r["start"],
            "endTime": r["end"],
            "request_duration_ms": r["latency_ms"],
            "completionStartTime": r["end"] if ok else None,
            "model": model,
            "model_id": hex_id("model_id", group, nbytes=32),
            "model_group": group,
            "custom_llm_provider": provider,
            "api_base": API_BASE[provider],
            "user": "svc-support-bot",
            "metadata": metadata,
            "cache_hit": "False",
            "cache_key": "Cache OFF",
            "request_tags": tags,
            "team_id": "team-support-ai",
            "organization_id": "",
            "end_user": r["tenant"],
            "requester_ip_address": None,
            "messages": {},
            "response": {},
            "session_id": r["ticket_id"],
            "status": "success" if ok else "failure",
            "mcp_namespaced_tool_name": None,
            "billing_agent_id": None,
            "agent_id": None,
            "proxy_server_request": {},
            "litellm_call_id": call_id,
            "created_at": r["end"] + timedelta(milliseconds=250),
            "updated_at": r["end"] + timedelta(milliseconds=250),
        })

    # CSV: what `\copy (SELECT * FROM "LiteLLM_SpendLogs" ...) TO ... CSV HEADER` gives: Json columns as
    # JSON text, timestamps as naive UTC, NULL as an empty field, float8 in shortest round-trip form.
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(SPEND_LOG_COLUMNS)
    for row in rows:
        out = []
        for c in SPEND_LOG_COLUMNS:
            v = row[c]
            if v is None:
                out.append("")
            elif isinstance(v, datetime):
                out.append(pg_ts(v))
            elif isinstance(v, (dict, list)):
                out.append(json.dumps(v, separators=(", ", ": "), ensure_ascii=False))
            elif isinstance(v, float):
                out.append(repr(v))
            else:
                out.append(str(v))
        w.writerow(out)
    csv_text = buf.getvalue()

    # JSON: what GET /spend/logs returns (a list of rows; Json columns as objects, ISO timestamps).
    def jv(v):
        return iso_ts(v) if isinstance(v, datetime) else v
    json_text = json.dumps([{c: jv(row[c]) for c in SPEND_LOG_COLUMNS} for row in rows], indent=2,
                           ensure_ascii=False) + "\n"

    # Price subset: sample_spec first, then the models of the month, values unchanged.
    src = json.loads(litellm_price_file().read_text(encoding="utf-8"))
    keys = ["sample_spec"] + sorted({LITELLM_MODEL.get(r["model"], r["model"]) for r in reqs})
    subset = {k: src[k] for k in keys}
    subset_text = json.dumps(subset, indent=4, ensure_ascii=False) + "\n"

    # Cross-checks: litellm's own cost function, and its prices against models.csv.
    try:
        import litellm
        from litellm.types.utils import Usage, PromptTokensDetailsWrapper
        for r in reqs:
            if r["status"] != "ok":
                continue
            m = LITELLM_MODEL.get(r["model"], r["model"])
            u = Usage(prompt_tokens=r["input_tokens"], completion_tokens=r["output_tokens"],
                      total_tokens=r["input_tokens"] + r["output_tokens"],
                      prompt_tokens_details=PromptTokensDetailsWrapper(cached_tokens=r["cached_input_tokens"]),
                      cache_read_input_tokens=r["cached_input_tokens"])
            pc, cc = litellm.cost_per_token(model=m, usage_object=u,
                                            call_type="aembedding" if r["kind"] == "embedding" else "acompletion",
                                            custom_llm_provider=LITELLM_PROVIDER[PROVIDER[r["model"]]])
            total = pc + cc
            report["litellm_cost_per_token"].append({
                "ticket_id": r["ticket_id"], "timestamp": r["timestamp"], "model": m,
                "litellm_float": repr(total), "exact": dec_str(r["cost_exact"]),
                "equal_at_9dp": Decimal(repr(total)).quantize(NANO, rounding=ROUND_HALF_EVEN)
                == r["cost_exact"].quantize(NANO, rounding=ROUND_HALF_EVEN)})
        import importlib.metadata
        report["litellm_version"] = importlib.metadata.version("litellm")
    except ImportError:
        report["litellm_cost_per_token"] = "litellm not importable"
    return csv_text, json_text, subset_text, subset


# --------------------------------------------------------------------------- Langfuse

def make_langfuse(reqs, tickets):
    cols = ["id", "trace_id", "type", "start_time", "end_time", "name", "level", "provided_model_name",
            "usage_details", "cost_details", "total_cost", "prompt_name", "prompt_version", "user_id",
            "session_id", "tags", "metadata"]

    def lf_ts(dt):
        return dt.strftime("%Y-%m-%d %H:%M:%S.%f")

    def js(o):
        return json.dumps(o, separators=(",", ":"), ensure_ascii=False)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    by_ticket = {}
    for r in reqs:
        by_ticket.setdefault(r["ticket_id"], []).append(r)
    for ticket, rs in by_ticket.items():
        tid = trace_id_hex(ticket)
        t0 = rs[0]["start"] - timedelta(milliseconds=350)
        t_end = max(r["end"] for r in rs) + timedelta(milliseconds=40)
        tenant = rs[0]["tenant"]
        # The trace's root observation: a SPAN, no usage, no cost.
        w.writerow([span_id_hex(ticket, "http"), tid, "SPAN", lf_ts(t0), lf_ts(t_end), "support-workflow",
                    "DEFAULT", "", "{}", "{}", "", "", "", tenant, ticket, js(["support-bot"]),
                    js({"service": "support-bot"})])
        for r in rs:
            ok = r["status"] == "ok"
            usage, cost = {}, {}
            if ok:
                # Langfuse usage keys: "input" EXCLUDES cached tokens; cached ones are "input_cached_tokens"
                # (langfuse/langchain/CallbackHandler.py subtracts prompt_tokens_details from input).
                usage["input"] = r["input_tokens"] - r["cached_input_tokens"]
                if r["cached_input_tokens"]:
                    usage["input_cached_tokens"] = r["cached_input_tokens"]
                usage["output"] = r["output_tokens"]
                usage["total"] = r["input_tokens"] + r["output_tokens"]
                p = r["cost_parts"]
                cost["input"] = p["input"]
                if r["cached_input_tokens"]:
                    cost["input_cached_tokens"] = p["cached"]
                cost["output"] = p["output"]
                cost["total"] = r["cost_exact"]
            cost_json = "{" + ",".join(f'"{k}":{dec_str(v)}' for k, v in cost.items()) + "}"
            pv = r["prompt_version"]
            w.writerow([
                span_id_hex(ticket, f"req{r['index']}"), tid,
                "EMBEDDING" if r["kind"] == "embedding" else "GENERATION",
                lf_ts(r["start"]), lf_ts(r["end"]), r["endpoint"], "DEFAULT" if ok else "ERROR", r["model"],
                js(usage), cost_json, dec_str(r["cost_exact"]) if ok else "",
                r["endpoint"] if pv else "", pv[1:] if pv else "",
                r["tenant"], r["ticket_id"], js(["support-bot"]),
                js({"attempt": str(r["attempt"]), "tenant": r["tenant"]}
                   | ({} if ok else {"status_message": "Request timed out."})),
            ])
    return buf.getvalue()


# --------------------------------------------------------------------------- help desks

def make_zendesk(tickets):
    cols = ["Id", "Subject", "Status", "Tags", "Organization", "Requester", "Assignee", "Group", "Via",
            "Created at", "Updated at", "Solved at", "Segment [list]", "Service type [list]",
            "AI review minutes [decimal]"]
    subjects = {"password_reset": "Can't log in after password change", "billing": "Invoice shows the wrong amount",
                "general_question": "How do I export my data?", "complaint": "Nobody answered my last request"}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for n, t in enumerate(tickets):
        o = t["outcome"]
        status, tags, assignee = {
            # Zendesk closes solved tickets after a few days: "closed" still means it was solved.
            "auto_resolved": ("closed" if t["ticket_id"] == "40211" else "solved", ["ai_resolved", "ai_handled"], "AI Agent"),
            "escalated": ("solved", ["ai_handled", "escalated"], "Dana Reyes"),
            "deflected": ("closed", ["ai_deflected", "ai_handled"], "AI Agent"),
            "abandoned": ("closed", ["ai_handled", "no_reply_abandoned"], "AI Agent"),
        }[o]
        tags = sorted(tags + [t["service_type"]])
        created, closed = parse_ts(t["opened_at"]), parse_ts(t["closed_at"])
        zd = lambda dt: dt.strftime("%Y-%m-%d %H:%M:%S +0000")
        w.writerow([t["ticket_id"], subjects[t["service_type"]], status, " ".join(tags), t["tenant"],
                    f"customer{n + 1}@example.com", assignee, "Support Tier 1", "Web Widget",
                    zd(created), zd(closed), zd(closed),
                    t["segment"], t["service_type"], t["review_minutes"] if t["review_minutes"] != "0" else ""])
    return buf.getvalue()


def make_intercom(tickets):
    cols = ["Conversation ID", "Conversation started at", "Conversation last closed at", "State", "Tags",
            "Company name", "Company segment", "Topic", "Teammate assigned", "Team assigned",
            "Fin AI Agent involved", "Human review minutes"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for n, t in enumerate(tickets):
        o = t["outcome"]
        tags, teammate, team = {
            "auto_resolved": (["AI resolved"], "", ""),
            "escalated": (["Escalated"], "Dana Reyes", "Billing specialists"),
            "deflected": (["AI deflected"], "", ""),
            "abandoned": (["Abandoned"], "", ""),
        }[o]
        ic = lambda dt: dt.strftime("%Y-%m-%d %H:%M:%S UTC")
        w.writerow([t["ticket_id"], ic(parse_ts(t["opened_at"])), ic(parse_ts(t["closed_at"])), "closed",
                    ", ".join(tags + [t["service_type"].replace("_", " ").capitalize()]), t["tenant"], t["segment"], t["service_type"].replace("_", " "), teammate, team,
                    "true", t["review_minutes"]])
    return buf.getvalue()


# --------------------------------------------------------------------------- main

def write(rel, text):
    p = HERE / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def main():
    prices = load_prices()
    reqs = load_requests(prices)
    tickets = read_csv(CANON / "tickets.csv")
    fixed = read_csv(CANON / "fixed_costs.csv")
    report = {"litellm_spend": [], "litellm_cost_per_token": []}

    expected = expected_figures(reqs, tickets, fixed)
    write("otlp/traces.jsonl", make_otlp(reqs))
    csv_text, json_text, subset_text, subset = make_litellm(reqs, report)
    write("litellm/spend_logs.csv", csv_text)
    write("litellm/spend_logs.json", json_text)
    write("litellm/model_prices_subset.json", subset_text)
    write("langfuse/observations.csv", make_langfuse(reqs, tickets))
    write("helpdesk/zendesk_tickets.csv", make_zendesk(tickets))
    write("helpdesk/intercom_conversations.csv", make_intercom(tickets))

    # Price differences between litellm's catalog and models.csv, per model of the month.
    diffs = []
    for group in sorted({r["model"] for r in reqs}):
        e = subset[LITELLM_MODEL.get(group, group)]
        p = prices[group]
        for key, ours in [("input_cost_per_token", p["input"]), ("output_cost_per_token", p["output"]),
                          ("cache_read_input_token_cost", p["cache_read"])]:
            theirs = e.get(key)
            a = None if ours is None else ours / MTOK
            b = None if theirs is None else Decimal(repr(theirs))
            if a != b:
                diffs.append({"model": group, "field": key, "models_csv": None if a is None else dec_str(a),
                              "litellm": None if b is None else dec_str(b)})
    expected["litellm_price_differences"] = diffs
    write("expected.json", json.dumps(expected, indent=2) + "\n")

    bad = [s for s in report["litellm_spend"] if not s["roundtrips_at_9dp"]]
    print("expected:", json.dumps({k: expected[k] for k in ["total_cost_usd_exact", "cost_per_resolved_ticket_usd",
                                                          "cost_per_ticket_usd", "cost_by_category_usd_exact"]}, indent=1))
    print("spend floats not round-tripping at 9 dp:", bad or "none")
    for c in report["litellm_cost_per_token"] if isinstance(report["litellm_cost_per_token"], list) else []:
        flag = "" if c["equal_at_9dp"] else "   <-- differs at 9 dp"
        print(f"litellm.cost_per_token {c['ticket_id']} {c['model']:>24}: {c['litellm_float']:<24} exact {c['exact']}{flag}")
    print("litellm price differences vs models.csv:", json.dumps(diffs, indent=1))


if __name__ == "__main__":
    sys.exit(main())
