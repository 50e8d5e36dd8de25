#!/usr/bin/env python3
"""The aggregation alone in Polars: the same work as duckdb_aggregation.py, money as Decimal.

Reads requests.csv and tickets.csv of an input folder (only the columns the aggregation uses;
cost_usd as Decimal(38, 9), exact), joins requests to tickets by ticket_id, and computes cost by
category, totals, by tenant, by outcome, by model, by service type and the per-ticket p50/p95/p99
(nearest rank, as DuckDB's quantile_disc). Lazy frames, streaming where Polars can. Prints
`key=value` lines like duckdb_aggregation.py.

Usage: polars_aggregation.py --input DIR [--threads 2]
"""

import argparse
import os


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    os.environ["POLARS_MAX_THREADS"] = str(args.threads)   # read by Polars at import
    import polars as pl

    req = os.path.join(args.input, "requests.csv")
    tik = os.path.join(args.input, "tickets.csv")
    money = pl.Decimal(38, 9)
    r = pl.scan_csv(req, schema_overrides={"ticket_id": pl.String, "tenant": pl.String, "model": pl.String,
                                           "kind": pl.String, "status": pl.String, "attempt": pl.Int64,
                                           "cost_usd": money}, infer_schema=False) \
        .select("ticket_id", "tenant", "model", "kind", "status", "attempt", "cost_usd") \
        .with_columns(
            pl.col("attempt").cast(pl.Int64),
            pl.col("cost_usd").cast(money).fill_null(pl.lit(0).cast(money)).alias("cost"),
        ) \
        .with_columns(
            pl.when(pl.col("kind") == "llm")
              .then(pl.when((pl.col("attempt").fill_null(1) > 1) | (pl.col("status").fill_null("ok") == "error"))
                      .then(pl.lit("retries")).otherwise(pl.lit("model")))
              .when(pl.col("kind") == "embedding").then(pl.lit("embeddings"))
              .when(pl.col("kind") == "vector_db").then(pl.lit("vector_db"))
              .when(pl.col("kind") == "integration").then(pl.lit("integrations"))
              .otherwise(pl.lit("observability")).alias("category")
        ) \
        .select("ticket_id", "tenant", "model", "category", "cost")
    r = r.collect()
    t = pl.scan_csv(tik, infer_schema=False).select("ticket_id", "outcome", "tenant", "service_type").collect()
    per_ticket = r.group_by("ticket_id").agg(pl.col("cost").sum().alias("cost"), pl.len().alias("requests"))
    out = {}
    out["requests"] = r.height
    out["total_cost_usd"] = r.select(pl.col("cost").sum()).item()
    for c, v in r.group_by("category").agg(pl.col("cost").sum()).sort("category").iter_rows():
        out[f"category.{c}"] = v
    joined = r.join(t.select("ticket_id", pl.col("tenant").alias("ticket_tenant")), on="ticket_id", how="left")
    out["tenants"] = joined.group_by(pl.coalesce("ticket_tenant", "tenant")).agg(pl.col("cost").sum()).height
    tp = t.join(per_ticket, on="ticket_id", how="left")
    out["outcomes"] = tp.group_by("outcome").agg(pl.col("ticket_id").n_unique(), pl.col("cost").sum()).height
    out["service_types"] = tp.group_by("service_type").agg(pl.col("cost").sum()).height
    out["models"] = r.group_by("model").agg(pl.col("cost").sum(), pl.len()).height
    costs = per_ticket.get_column("cost").sort()
    n = costs.len()
    def nearest_rank(q):   # quantile_disc: the value at index ceil(q * n) - 1 (at least 0)
        k = max(0, -(-int(q * 100) * n // 100) - 1)
        return costs[k]
    out["per_ticket_p50_usd"], out["per_ticket_p95_usd"], out["per_ticket_p99_usd"] = nearest_rank(0.5), nearest_rank(0.95), nearest_rank(0.99)
    for k, v in out.items():
        print(f"{k}={v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
