"""`python -m bench.run [--quick] [--db sqlite|postgres|both] [--only a,b]`: every workload of the
benchmark suite, one report (bench/results/latest.json and latest.md, kept in git, and a
timestamped copy suite-<time>.json and .md; format "ordino-bench-suite/2"). Each figure comes
with its raw baseline measured in the same run and the ratio, the median over alternating
rounds, and the machine it ran on. Never fails on a time. See bench/README.md."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from argparse import Namespace
from pathlib import Path

from bench.ingest.olist import DEFAULT_DIR
from bench.suite_report import git_state, ingest_rows, loaded_notes, write

FORMAT = "ordino-bench-suite/2"
OLIST = {"dir": DEFAULT_DIR}  # --olist changes it
WORKLOADS = (
    "ingest",
    "ingest_loaded",
    "hot_sku",
    "availability",
    "sourcing",
    "feed",
    "reports",
    "console_order_page",
    "console_lists",
    "money",
    "webhooks",
)

SIZES = {
    # figure: (full, quick)
    "ingest_orders": (300, 30),
    "ingest_clients": ([1, 4, 16], [1, 16]),
    "loaded_preload": (1_000_000, 50_000),
    "loaded_orders": (300, 60),
    "loaded_clients": ([1, 16], [16]),
    "hot_orders": (400, 64),
    "hot_sell_stock": (500, 60),
    "avail_skus": (100_000, 2_000),
    "avail_locations": (50, 50),
    "avail_samples": (300, 60),
    "avail_bulk_samples": (20, 6),
    "sourcing_budget": (2.0, 0.1),
    "feed_skus": (20_000, 1_000),
    "feed_locations": (50, 20),
    "report_orders": (1_000_000, 20_000),
    "console_orders": (1_000_000, 20_000),
    "money_orders": (40, 5),
    "webhook_orders": (300, 30),
}


def size(name: str, quick: bool):
    full, small = SIZES[name]
    return small if quick else full


def _fresh(kind: str, workdir: Path):
    from tests.concurrency.live import database_create, postgres_url

    pg = postgres_url() or "postgres://postgres@127.0.0.1:5432/postgres"
    return database_create(kind, workdir, pg_url=pg)


def w_ingest(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    from bench.ingest.__main__ import bench_database, mix_with_two_lines
    from bench.ingest.rounds import SIDES

    if not (OLIST["dir"] / "olist_order_items_dataset.csv").exists():
        return {"skipped": f"no Olist sample at {OLIST['dir']}"}
    mix = mix_with_two_lines(OLIST["dir"], size("ingest_orders", quick))
    args = Namespace(clients=size("ingest_clients", quick), rounds=rounds, workers=2, processes=2)
    result = bench_database(kind, mix, args, workdir)
    for row in result["rows"]:
        for side in SIDES:
            for figures in row[side]["rounds"]:
                figures.pop("latencies", None)
    return result


def w_ingest_loaded(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    """Capture with many orders stored next to an empty database (bench/ingest_loaded.py)."""
    from bench.ingest.__main__ import mix_with_two_lines
    from bench.ingest_loaded import bench_loaded

    if not (OLIST["dir"] / "olist_order_items_dataset.csv").exists():
        return {"skipped": f"no Olist sample at {OLIST['dir']}"}
    mix = mix_with_two_lines(OLIST["dir"], size("loaded_orders", quick))
    args = Namespace(
        preload=size("loaded_preload", quick),
        clients=size("loaded_clients", quick),
        rounds=rounds,
        workers=2,
        processes=2,
    )
    result = bench_loaded(kind, mix, args, workdir)
    for row in result["rows"]:
        for db in ("empty", "loaded"):
            for figures in row[db]["rounds"]:
                figures.pop("latencies", None)
    return result


def w_hot_sku(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    from bench import hot_sku

    db = _fresh(kind, workdir / "hot")
    try:
        return hot_sku.run(
            db,
            orders=size("hot_orders", quick),
            clients=16,
            rounds=rounds,
            sell_stock=size("hot_sell_stock", quick),
            workdir=workdir,
        )
    finally:
        db.drop()


def w_availability(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    from tests.concurrency.live import django_call

    skus, locations = size("avail_skus", quick), size("avail_locations", quick)
    db = _fresh(kind, workdir / "avail")
    try:
        t0 = time.perf_counter()
        django_call(db, "bench.availability:setup", skus=skus, locations=locations)
        load = time.perf_counter() - t0
        print(f"  loaded {skus:,} SKUs × {locations} locations in {load:.0f} s", flush=True)
        result = django_call(
            db,
            "bench.availability:measure",
            skus=skus,
            rounds=rounds,
            samples=size("avail_samples", quick),
            bulk_samples=size("avail_bulk_samples", quick),
        )
        return {"skus": skus, "locations": locations, "load_seconds": round(load, 1), **result}
    finally:
        db.drop()


def w_sourcing(quick: bool) -> dict:
    from bench.sourcing import decision_times

    rows = decision_times(size("sourcing_budget", quick))
    return {"cells": rows}


def w_feed(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    from tests.concurrency.live import django_call

    skus, locations = size("feed_skus", quick), size("feed_locations", quick)
    db = _fresh(kind, workdir / "feed")
    try:
        django_call(db, "bench.feed:setup", skus=skus, locations=locations)
        return django_call(
            db,
            "bench.feed:measure",
            workdir=str(workdir),
            skus=skus,
            locations=locations,
            rounds=rounds,
        )
    finally:
        db.drop()


def w_reports(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    from tests.concurrency.live import django_call

    db = _fresh(kind, workdir / "reports")
    try:
        t0 = time.perf_counter()
        loaded = django_call(db, "bench.reports:setup", orders=size("report_orders", quick))
        print(f"  loaded {loaded} in {time.perf_counter() - t0:.0f} s", flush=True)
        result = django_call(db, "bench.reports:measure", rounds=max(rounds, 3))
        return {"loaded": loaded, **result}
    finally:
        db.drop()


def w_console_order_page(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    from bench import console_order_page

    return console_order_page.run(kind, max(rounds, 5), workdir)


def w_console_lists(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    """The order list and the global search over a million orders (bench/console_lists.py)."""
    from bench.console_lists import print_figures
    from bench.console_lists import run as console_lists_run

    result = console_lists_run(kind, quick, workdir, orders=size("console_orders", quick))
    print_figures(result)
    return result


def w_money(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    """An order's money cycle on the test provider vs capture+ship without money
    (bench/money.py)."""
    from bench import money

    return money.run(kind, quick, rounds, workdir, orders=size("money_orders", quick))


def w_webhooks(kind: str, quick: bool, rounds: int, workdir: Path) -> dict:
    """Outbound webhook deliveries per second to a local receiver next to API capture, in one
    run (bench/webhooks.py; one round)."""
    from bench import webhooks

    return webhooks.run(kind, workdir, orders=size("webhook_orders", quick))


# --- the report ----------------------------------------------------------------------------


def summary(report: dict) -> list[dict]:
    """One row per headline figure: Ordino, its baseline, and the ratio (Ordino ÷ baseline in
    speed: above 1 is faster than the baseline)."""
    rows = []
    w = report["workloads"]

    def add(workload, db, figure, ordino, baseline, unit, ratio, note=""):
        rows.append(
            {
                "workload": workload,
                "db": db,
                "figure": figure,
                "ordino": ordino,
                "baseline": baseline,
                "unit": unit,
                "ratio": ratio,
                "note": note,
            }
        )

    for db, r in w.get("ingest", {}).items():
        for row in r.get("rows", []):
            add(
                "ingest",
                db,
                f"{row['clients']} clients",
                row["ordino_http"]["orders_per_s"],
                row["http_floor"]["orders_per_s"],
                "orders/s (HTTP floor)",
                row["http_vs_http_floor"]["median"],
                f"p50 {row['ordino_http']['p50_ms']} ms, p99 {row['ordino_http']['p99_ms']} ms",
            )
            add(
                "ingest, use case",
                db,
                f"{row['clients']} clients",
                row["use_case"]["orders_per_s"],
                row["statement_floor"]["orders_per_s"],
                "orders/s (statement floor)",
                row["use_case_vs_statement_floor"]["median"],
                f"p50 {row['use_case']['p50_ms']} ms, p99 {row['use_case']['p99_ms']} ms",
            )
    ingest_rows(w, add)
    for db, r in w.get("hot_sku", {}).items():
        if "ratio_median" in r:
            s = r["sellout"]
            add(
                "hot SKU",
                db,
                f"{r['clients']} clients, one SKU",
                r["contested_orders_per_s"],
                r["uncontested_orders_per_s"],
                "orders/s (uncontested)",
                r["ratio_median"],
                f"sell-out of {s['stock']}: sold {s['sold']}, left {s['left']}, oversold "
                f"{s['oversold']}, sold+left=stock {s['sold_plus_left_equals_stock']}",
            )
    for db, r in w.get("availability", {}).items():
        for key, label in (
            ("single", "one SKU"),
            ("bulk", "1,000 SKUs"),
            ("http_single", "GET one SKU over WSGI"),
            ("http_bulk", "POST 1,000 SKUs over WSGI"),
        ):
            if key in r:
                add(
                    "availability",
                    db,
                    f"{label}, p50 (p99) ms",
                    f"{r[key]['ordino']['p50_ms']} ({r[key]['ordino']['p99_ms']})",
                    f"{r[key]['raw']['p50_ms']} ({r[key]['raw']['p99_ms']})",
                    "ms (bare WSGI app)" if key.startswith("http") else "ms (direct SQL)",
                    r[key]["ratio_median"],
                    f"{r['skus']:,} SKUs × {r['locations']} locations",
                )
    for cell in w.get("sourcing", {}).get("cells", []):
        add(
            "sourcing",
            "-",
            f"{cell['lines']} lines × {cell['locations']} locations, p50 (p99) ms",
            f"{cell['p50_ms']} ({cell['p99_ms']})",
            "",
            "ms",
            None,
            f"{cell['us_per_line_location']} µs per line×location",
        )
    for db, r in w.get("feed", {}).items():
        if "ratio_median" in r:
            add(
                "stock feed",
                db,
                f"{r['rows']:,} rows",
                r["ordino_rows_per_s"],
                r["raw_rows_per_s"],
                "rows/s (bulk load)",
                r["ratio_median"],
                f"peak RSS {r['peak_rss_mb']} MB",
            )
    for db, r in w.get("reports", {}).items():
        if "ratio_median" in r:
            add(
                "reports",
                db,
                f"KPIs over {r['loaded']['orders']:,} orders",
                r["ordino_ms"],
                r["raw_ms"],
                "ms (direct SQL)",
                r["ratio_median"],
            )
    for db, r in w.get("console_order_page", {}).items():
        add(
            "console_order_page",
            db,
            f"order page, {r['timeline']} timeline entries, {r['fulfillment_orders']} FOs",
            r["median_ms"],
            300,
            "ms (the aim: < 300 ms)",
            round(300 / r["median_ms"], 2) if r["median_ms"] else None,
            f"{r['queries']} SQL statements (aim ≤ 25)",
        )
    for db, r in w.get("console_lists", {}).items():
        for figure in ("list", "list_filtered", "search_postal_code", "search_tracking"):
            p95 = r["figures"][figure]["p95_ms"]
            add(
                "console_lists",
                db,
                f"{figure.replace('_', ' ')} p95 over {r['orders']:,} orders",
                p95,
                200,
                "ms (goal)",
                round(200 / p95, 2) if p95 else None,
            )
    for db, r in w.get("money", {}).items():
        add(
            "money",
            db,
            "authorize, 2 captures + invoices, refund, return + refund per order",
            r["money_orders_per_s"],
            r["plain_orders_per_s"],
            "orders/s (capture + ship, no money)",
            r["ratio_median"],
            f"{r['money_statements']} statements per order (baseline {r['plain_statements']})",
        )
    for db, r in w.get("webhooks", {}).items():
        add(
            "webhooks",
            db,
            "signed deliveries to a local receiver (webhooks_due)",
            round(r["deliver_per_s"], 1),
            round(r["capture_per_s"], 1),
            "orders/s (API capture, same run)",
            round(r["deliver_per_s"] / r["capture_per_s"], 2) if r["capture_per_s"] else None,
            f"relay + deliver end to end {r['relay_deliver_per_s']:.1f}/s",
        )
    return rows


def markdown(report: dict) -> str:
    m = report["machine"]
    out = [
        "# Ordino benchmark suite",
        "",
        f"- when: {report['started_at']} → {report['finished_at']} · format `{report['format']}`"
        f"{' · **quick** (sizes shrunk 10–100×)' if report['quick'] else ''}",
        f"- machine: {m['cores']} cores, Python {m['python']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgres']}, load average at start {m['loadavg_start']} / end "
        f"{m.get('loadavg_end')}",
        f"- commit: `{(m.get('git') or {}).get('commit')}`"
        f"{' (with uncommitted changes)' if (m.get('git') or {}).get('dirty') else ''}",
        f"- rounds: {report['config']['rounds']} (Ordino and baseline alternating; ratios are "
        "medians). Ratio = Ordino's speed ÷ the baseline's (1.0: as fast as the baseline).",
        "",
        "| workload | db | figure | Ordino | baseline | unit (baseline) | ratio | note |",
        "| --- | --- | --- | ---: | ---: | --- | ---: | --- |",
    ]
    for r in report["summary"]:
        ratio = "" if r["ratio"] is None else r["ratio"]
        out.append(
            f"| {r['workload']} | {r['db']} | {r['figure']} | {r['ordino']} | {r['baseline']} "
            f"| {r['unit']} | {ratio} | {r['note']} |"
        )
    out += loaded_notes(report)
    if report["errors"]:
        out += ["", "## Errors", ""]
        out += [f"- {e['workload']} on {e['db']}: `{e['error']}`" for e in report["errors"]]
    out += ["", "Every figure and round is in the JSON report next to this file."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shrink every size 10–100×")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=None, help="default 3 (quick: 2)")
    parser.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated workloads")
    parser.add_argument("--olist", type=Path, default=DEFAULT_DIR, help="Olist CSV directory")
    args = parser.parse_args(argv)
    from bench.ingest.__main__ import machine

    rounds = args.rounds or (2 if args.quick else 3)
    only = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = set(only) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    OLIST["dir"] = args.olist
    info = {**machine(), "git": git_state()}
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in kinds and info["postgres"] is None:
        print(f"PostgreSQL not reachable ({info.get('postgres_error')}): skipping it.")
        kinds.remove("postgres")
    report: dict = {
        "format": FORMAT,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "quick": args.quick,
        "machine": info,
        "config": {
            "rounds": rounds,
            "databases": kinds,
            "workloads": only,
            "sizes": {k: size(k, args.quick) for k in SIZES},
        },
        "workloads": {},
        "errors": [],
    }
    runners = {
        "ingest": w_ingest,
        "ingest_loaded": w_ingest_loaded,
        "hot_sku": w_hot_sku,
        "availability": w_availability,
        "feed": w_feed,
        "reports": w_reports,
        "console_order_page": w_console_order_page,
        "console_lists": w_console_lists,
        "money": w_money,
        "webhooks": w_webhooks,
    }
    with tempfile.TemporaryDirectory(prefix="ordino-suite-") as tmp:
        for name in only:
            print(f"== {name}", flush=True)
            if name == "sourcing":
                report["workloads"]["sourcing"] = w_sourcing(args.quick)
                continue
            for kind in kinds:
                print(f"-- {name} on {kind}", flush=True)
                workdir = Path(tmp) / name / kind
                workdir.mkdir(parents=True, exist_ok=True)
                try:
                    result = runners[name](kind, args.quick, rounds, workdir)
                except Exception as exc:  # a broken workload must not lose the others
                    traceback.print_exc()
                    report["errors"].append(
                        {"workload": name, "db": kind, "error": repr(exc)[-2000:]}
                    )
                    continue
                report["workloads"].setdefault(name, {})[kind] = result
    info["loadavg_end"] = os.getloadavg()
    report["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    report["summary"] = summary(report)
    write(report, markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
