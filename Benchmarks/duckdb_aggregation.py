#!/usr/bin/env python3
"""The aggregation alone in DuckDB: the lean reference `make bench` judges costper's speed against.

Reads requests.csv and tickets.csv of an input folder (costs as DECIMAL(38,9)), joins requests to
tickets by ticket_id, and computes what a cost-per-ticket report needs and nothing more: cost by
category, totals, by tenant, by outcome, by model, by service type, and the per-ticket p50/p95/p99.
No catalog pricing, no month filter, no fixed costs, no cross-check: `duckdb_month.py` does the full
accounts (and the cross-check). Prints `key=value` lines.

`--lean`: DuckDB's leanest form of the same work: costs as DOUBLE (binary floating point: fast,
not exact; its totals are not cross-checked). Both forms read only the columns the queries use
(read_csv's projection pushdown: the temp table selects them).

Usage: duckdb_aggregation.py --input DIR [--threads 2] [--lean]
"""

import argparse
import os

import duckdb


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lean", action="store_true")
    args = ap.parse_args()
    money = "DOUBLE" if args.lean else "DECIMAL(38,9)"
    req = os.path.join(args.input, "requests.csv")
    tik = os.path.join(args.input, "tickets.csv")
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.execute(f"""
        CREATE TEMP TABLE r AS
        SELECT ticket_id, tenant, model,
               CASE kind WHEN 'llm' THEN CASE WHEN coalesce(attempt, 1) > 1 OR coalesce(status, 'ok') = 'error'
                                              THEN 'retries' ELSE 'model' END
                         WHEN 'embedding' THEN 'embeddings' WHEN 'vector_db' THEN 'vector_db'
                         WHEN 'integration' THEN 'integrations' ELSE 'observability' END AS category,
               coalesce(cost_usd, 0) AS cost
        FROM read_csv('{req}', header = true, types = {{'cost_usd': '{money}', 'ticket_id': 'VARCHAR',
                      'tenant': 'VARCHAR', 'attempt': 'INTEGER', 'status': 'VARCHAR', 'kind': 'VARCHAR', 'model': 'VARCHAR'}})
    """)
    con.execute(f"""
        CREATE TEMP TABLE t AS
        SELECT ticket_id, outcome, tenant, service_type
        FROM read_csv('{tik}', header = true, types = {{'ticket_id': 'VARCHAR', 'tenant': 'VARCHAR'}})
    """)
    con.execute("CREATE TEMP TABLE per_ticket AS SELECT ticket_id, sum(cost) AS cost, count(*) AS requests FROM r GROUP BY ticket_id")
    out = {}
    out["requests"] = con.execute("SELECT count(*) FROM r").fetchone()[0]
    out["total_cost_usd"] = con.execute("SELECT sum(cost) FROM r").fetchone()[0]
    for c, v in con.execute("SELECT category, sum(cost) FROM r GROUP BY category ORDER BY category").fetchall():
        out[f"category.{c}"] = v
    out["tenants"] = len(con.execute(
        "SELECT coalesce(t.tenant, r.tenant), sum(r.cost) FROM r LEFT JOIN t USING (ticket_id) GROUP BY 1").fetchall())
    out["outcomes"] = len(con.execute(
        "SELECT t.outcome, count(DISTINCT t.ticket_id), sum(p.cost) FROM t LEFT JOIN per_ticket p USING (ticket_id) GROUP BY 1").fetchall())
    out["service_types"] = len(con.execute(
        "SELECT t.service_type, sum(p.cost) FROM t LEFT JOIN per_ticket p USING (ticket_id) GROUP BY 1").fetchall())
    out["models"] = len(con.execute("SELECT model, sum(cost), count(*) FROM r GROUP BY model").fetchall())
    p50, p95, p99 = con.execute(
        "SELECT quantile_disc(cost, 0.5), quantile_disc(cost, 0.95), quantile_disc(cost, 0.99) FROM per_ticket").fetchone()
    out["per_ticket_p50_usd"], out["per_ticket_p95_usd"], out["per_ticket_p99_usd"] = p50, p95, p99
    for k, v in out.items():
        print(f"{k}={v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
