#!/usr/bin/env python3
"""The month's accounts in DuckDB: the reference `Benchmarks/run` times costper against.

Does the same work as `costper report` (no site): reads requests.csv, tickets.csv,
fixed_costs.csv and costper.toml of an input folder, prices requests that have no
cost_usd from the catalog, joins requests to tickets by ticket_id and computes the
cost by category, human review, fixed costs, tickets by outcome, the total, the cost
per resolved ticket, per-ticket totals (GROUP BY ticket_id, with p95/p99) and the
breakdowns by tenant, segment, service type, outcome, model, endpoint and prompt version.

Money is exact: costs are read as DECIMAL and summed as integer nano-dollars, as
costper does (catalog prices and review cost rounded half to even to the nano-dollar,
once per request / per ticket). It prints `key=value` lines; the last ones are
`total_cost_usd` and `cost_per_resolved_ticket_usd`, rounded half to even to 9 decimals.

Usage: duckdb_month.py --input DIR [--prices models.csv] [--threads 2] [--month YYYY-MM]
"""

import argparse
import os
import sys
import tomllib
from decimal import Decimal, ROUND_HALF_EVEN, localcontext
from fractions import Fraction

import duckdb

CATEGORIES = ["model", "retries", "embeddings", "vector_db", "human_review",
              "observability", "integrations", "infrastructure"]
NANO = 1_000_000_000


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def usd6(q: Fraction) -> str:
    """Dollars, rounded half to even to 9 decimals (summary.json's exact money: every nano-dollar)."""
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(q.numerator) / Decimal(q.denominator)
        return str(d.quantize(Decimal("0.000000001"), rounding=ROUND_HALF_EVEN))


def half_even_div(n: str, d: str) -> str:
    """SQL: n / d rounded half to even (n >= 0, d > 0, integer expressions)."""
    return (f"(({n}) // ({d}) + CASE WHEN 2 * (({n}) % ({d})) > ({d}) "
            f"OR (2 * (({n}) % ({d})) = ({d}) AND (({n}) // ({d})) % 2 = 1) THEN 1 ELSE 0 END)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--prices", default="data/benchmarks/models.csv")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--month", default=None)
    args = ap.parse_args()

    inp = args.input
    req_csv = os.path.join(inp, "requests.csv")
    tik_csv = os.path.join(inp, "tickets.csv")
    fix_csv = os.path.join(inp, "fixed_costs.csv")

    cfg = {}
    if os.path.exists(os.path.join(inp, "costper.toml")):
        with open(os.path.join(inp, "costper.toml"), "rb") as f:
            cfg = tomllib.load(f)
    resolved = cfg.get("resolved_outcomes", ["auto_resolved"])
    labor = cfg.get("labor", {})
    annual = Fraction(str(labor.get("reviewer_loaded_annual_usd", 60000)))
    hours = Fraction(str(labor.get("productive_hours_per_year", 1800)))
    # Loaded rate in nano-dollars per minute, as an exact fraction P/Q.
    per_minute = annual * NANO / (hours * 60)
    P, Q = per_minute.numerator, per_minute.denominator

    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.execute("SET preserve_insertion_order = true")

    # Price catalog: nano-dollars per million tokens.
    con.execute(f"""
        CREATE TEMP TABLE prices AS
        SELECT model,
               CAST(CAST(input_per_mtok_usd AS DECIMAL(38,9)) * {NANO} AS HUGEINT) AS p_in,
               CAST(CAST(output_per_mtok_usd AS DECIMAL(38,9)) * {NANO} AS HUGEINT) AS p_out,
               CAST(CAST(NULLIF(cache_read_per_mtok_usd, '') AS DECIMAL(38,9)) * {NANO} AS HUGEINT) AS p_cache
        FROM read_csv({sql_str(args.prices)}, header = true, all_varchar = true)
    """)

    # Tickets (file order kept in idx: the fixed-cost remainder goes to the first tickets).
    con.execute(f"""
        CREATE TEMP TABLE tickets AS
        SELECT row_number() OVER () AS idx, ticket_id, outcome, tenant, segment, service_type,
               CAST(closed_at AS TIMESTAMP) AS closed_at,
               CAST(round(coalesce(review_minutes, 0) * {NANO}) AS HUGEINT) AS review_nano_minutes
        FROM read_csv({sql_str(tik_csv)}, header = true,
                      types = {{'ticket_id': 'VARCHAR', 'outcome': 'VARCHAR', 'tenant': 'VARCHAR',
                               'segment': 'VARCHAR', 'service_type': 'VARCHAR', 'opened_at': 'VARCHAR',
                               'closed_at': 'VARCHAR', 'review_minutes': 'DECIMAL(38,9)'}})
    """)
    tickets_read = con.execute("SELECT count(*) FROM tickets").fetchone()[0]

    # Requests: category and exact cost in nano-dollars (exported, else priced from the catalog).
    cost_from_tokens = half_even_div(
        "(coalesce(r.input_tokens, 0) - least(coalesce(r.cached_input_tokens, 0), coalesce(r.input_tokens, 0)))::HUGEINT * p.p_in"
        " + least(coalesce(r.cached_input_tokens, 0), coalesce(r.input_tokens, 0))::HUGEINT * coalesce(p.p_cache, p.p_in)"
        " + coalesce(r.output_tokens, 0)::HUGEINT * p.p_out",
        "1000000")
    con.execute(f"""
        CREATE TEMP TABLE requests AS
        SELECT r.ts, r.ticket_id, r.tenant, r.endpoint, r.model, r.prompt_version,
               CASE r.kind
                   WHEN 'llm' THEN CASE WHEN coalesce(r.attempt, 1) > 1 OR coalesce(r.status, 'ok') = 'error'
                                        THEN 'retries' ELSE 'model' END
                   WHEN 'embedding' THEN 'embeddings'
                   WHEN 'vector_db' THEN 'vector_db'
                   WHEN 'integration' THEN 'integrations'
                   WHEN 'observability' THEN 'observability'
               END AS category,
               coalesce(r.input_tokens, 0) AS input_tokens,
               coalesce(r.output_tokens, 0) AS output_tokens,
               r.cost_usd IS NULL AS priced,
               CASE WHEN r.cost_usd IS NOT NULL THEN CAST(r.cost_usd * {NANO} AS BIGINT)
                    ELSE CAST({cost_from_tokens} AS BIGINT) END AS cost_nanos
        FROM (SELECT CAST("timestamp" AS TIMESTAMP) AS ts, *
              FROM read_csv({sql_str(req_csv)}, header = true,
                            types = {{'timestamp': 'VARCHAR', 'ticket_id': 'VARCHAR', 'tenant': 'VARCHAR',
                                     'endpoint': 'VARCHAR', 'model': 'VARCHAR', 'prompt_version': 'VARCHAR',
                                     'kind': 'VARCHAR', 'input_tokens': 'BIGINT', 'cached_input_tokens': 'BIGINT',
                                     'output_tokens': 'BIGINT', 'cost_usd': 'DECIMAL(18,9)', 'attempt': 'INTEGER',
                                     'status': 'VARCHAR', 'latency_ms': 'BIGINT'}})) r
        LEFT JOIN prices p ON p.model = r.model
    """)
    requests_read = con.execute("SELECT count(*) FROM requests").fetchone()[0]
    bad = con.execute("SELECT count(*) FILTER (WHERE category IS NULL), count(*) FILTER (WHERE cost_nanos IS NULL) "
                      "FROM requests").fetchone()
    if bad[0] or bad[1]:
        print(f"error: {bad[0]} requests of unknown kind, {bad[1]} without cost_usd and without a catalog price",
              file=sys.stderr)
        return 65

    # The month: given, else the month most tickets closed in (else most requests ran in), ties to the later.
    month = args.month
    if month is None:
        row = con.execute("SELECT strftime(closed_at, '%Y-%m') m, count(*) n FROM tickets WHERE closed_at IS NOT NULL "
                          "GROUP BY m ORDER BY n DESC, m DESC LIMIT 1").fetchone()
        if row is None:
            row = con.execute("SELECT strftime(ts, '%Y-%m') m, count(*) n FROM requests GROUP BY m "
                              "ORDER BY n DESC, m DESC LIMIT 1").fetchone()
        month = row[0]
    y, m = map(int, month.split("-"))
    start = f"{y:04d}-{m:02d}-01"
    end = f"{y + (m == 12):04d}-{m % 12 + 1:02d}-01"
    in_month = f"BETWEEN TIMESTAMP '{start}' AND TIMESTAMP '{end}' - INTERVAL 1 MICROSECOND"

    # This month's requests (by timestamp) and tickets (by closed_at, else their first request).
    con.execute(f"CREATE TEMP VIEW req AS SELECT * FROM requests WHERE ts {in_month}")
    con.execute(f"""
        CREATE TEMP TABLE tk AS
        SELECT t.*, resolved_flag,
               CAST({half_even_div(f"t.review_nano_minutes * {P}", f"{Q * NANO}")} AS BIGINT) AS review_nanos
        FROM (SELECT t.*, t.outcome IN ({", ".join(sql_str(o) for o in resolved)}) AS resolved_flag,
                     coalesce(t.closed_at, f.first_ts) AS stamp
              FROM tickets t
              LEFT JOIN (SELECT ticket_id, min(ts) AS first_ts FROM requests
                         WHERE ticket_id IN (SELECT ticket_id FROM tickets WHERE closed_at IS NULL)
                         GROUP BY ticket_id) f USING (ticket_id)) t
        WHERE stamp {in_month}
    """)

    # Fixed costs of the month.
    fixed = con.execute(f"""
        SELECT category, CAST(sum(CAST(amount_usd AS DECIMAL(38,9)) * {NANO}) AS BIGINT)
        FROM read_csv({sql_str(fix_csv)}, header = true, all_varchar = true)
        WHERE month = {sql_str(month)} GROUP BY category
    """).fetchall() if os.path.exists(fix_csv) else []
    fixed_total = sum(v for _, v in fixed)

    by_cat = {c: 0 for c in CATEGORIES}
    for c, v in con.execute("SELECT category, sum(cost_nanos)::BIGINT FROM req GROUP BY category").fetchall():
        by_cat[c] += v
    review_total, tickets, resolved_tickets = con.execute(
        "SELECT coalesce(sum(review_nanos), 0)::BIGINT, count(*), count(*) FILTER (WHERE resolved_flag) FROM tk").fetchone()
    by_cat["human_review"] += review_total
    for c, v in fixed:
        by_cat[c] += v
    total = sum(by_cat.values())
    requests = con.execute("SELECT count(*) FROM req").fetchone()[0]
    priced = con.execute("SELECT count(*) FILTER (WHERE priced) FROM req").fetchone()[0]

    # Per-ticket totals: requests joined to tickets, review and the ticket's share of fixed costs.
    base, rem = (fixed_total // tickets, fixed_total % tickets) if tickets else (0, 0)
    con.execute(f"""
        CREATE TEMP TABLE per_ticket AS
        WITH r AS (SELECT ticket_id, count(*) AS requests, sum(cost_nanos) AS cost,
                          sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                          any_value(tenant) AS request_tenant
                   FROM req GROUP BY ticket_id)
        SELECT tk.ticket_id, coalesce(tk.tenant, r.request_tenant) AS tenant, tk.segment, tk.service_type,
               tk.outcome, tk.resolved_flag,
               coalesce(r.requests, 0) AS requests, coalesce(r.input_tokens, 0) AS input_tokens,
               coalesce(r.output_tokens, 0) AS output_tokens,
               coalesce(r.cost, 0) + tk.review_nanos AS variable_cost,
               coalesce(r.cost, 0) + tk.review_nanos + {base}
                   + CASE WHEN row_number() OVER (ORDER BY tk.idx) <= {rem} THEN 1 ELSE 0 END AS all_in
        FROM tk LEFT JOIN r USING (ticket_id)
    """)
    orphans = con.execute("SELECT count(*), coalesce(sum(cost_nanos), 0)::BIGINT FROM req "
                          "WHERE ticket_id NOT IN (SELECT ticket_id FROM tickets)").fetchone()
    p95, p99 = con.execute("SELECT quantile_disc(variable_cost, 0.95), quantile_disc(variable_cost, 0.99) "
                           "FROM per_ticket").fetchone() if tickets else (0, 0)

    breakdowns = {}
    for dim in ["tenant", "segment", "service_type", "outcome"]:
        breakdowns[dim] = con.execute(f"""
            SELECT {dim}, count(*), count(*) FILTER (WHERE resolved_flag), sum(requests), sum(all_in)::BIGINT,
                   sum(input_tokens), sum(output_tokens)
            FROM per_ticket GROUP BY {dim} ORDER BY 5 DESC, 1""").fetchall()
    for dim in ["model", "endpoint", "prompt_version"]:
        breakdowns[dim] = con.execute(f"""
            SELECT {dim}, count(*), sum(cost_nanos)::BIGINT, sum(input_tokens), sum(output_tokens)
            FROM req GROUP BY {dim} ORDER BY 3 DESC, 1""").fetchall()

    # Every ticket-level breakdown adds up to the total (less orphan requests, which have no ticket).
    for dim in ["tenant", "segment", "service_type", "outcome"]:
        s = sum(r[4] for r in breakdowns[dim]) + orphans[1]
        if s != total:
            print(f"warning: {dim} breakdown adds up to {s} nano-dollars, total is {total}", file=sys.stderr)

    print(f"month={month}")
    print(f"tickets_read={tickets_read}")
    print(f"requests_read={requests_read}")
    print(f"tickets={tickets}")
    print(f"resolved_tickets={resolved_tickets}")
    print(f"requests={requests}")
    print(f"priced_from_catalog={priced}")
    print(f"orphan_requests={orphans[0]}")
    print("outcomes=" + ",".join(f"{o}:{n}" for o, n, *_ in breakdowns["outcome"]))
    for c in CATEGORIES:
        print(f"category.{c}={usd6(Fraction(by_cat[c], NANO))}")
    print(f"per_ticket_p95_usd={usd6(Fraction(p95, NANO))}")
    print(f"per_ticket_p99_usd={usd6(Fraction(p99, NANO))}")
    print(f"total_cost_usd={usd6(Fraction(total, NANO))}")
    cpr = usd6(Fraction(total, NANO * resolved_tickets)) if resolved_tickets else "null"
    print(f"cost_per_resolved_ticket_usd={cpr}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
