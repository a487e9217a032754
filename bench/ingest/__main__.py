"""`python -m bench.ingest`: order capture throughput over HTTP against a live Ordino, next to
the same order transaction written with the bare database driver. See bench/README.md.

It prints figures and writes bench/results/ingest-<time>.json and .md; it never fails on a time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from bench.ingest import raw
from bench.ingest.olist import DEFAULT_DIR, MixOrder, mix_load, order_payload
from tests.concurrency.live import (
    LiveDatabase,
    database_create,
    django_call,
    postgres_url,
    server,
)

FORMAT = "ordino-bench-ingest/1"
RESULTS = Path(__file__).resolve().parents[1] / "results"
STOCK_UNITS = 1_000_000  # generous: every line reserves


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- Ordino over HTTP ----------------------------------------------------------------------


def http_run(url: str, token: str, bodies: list[dict], clients: int) -> dict:
    parts = urlsplit(url)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    cursor = iter(bodies)

    def post(body: dict) -> int:
        data = json.dumps(body).encode()
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": "bench-" + body["external_id"],
        }
        for attempt in range(30):
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            try:
                conn.request("POST", "/api/v1/orders", body=data, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 409 and response.status < 500:
                    return response.status
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.01 * 2 ** min(attempt, 6))
        return -1

    def run() -> None:
        while True:
            with lock:
                body = next(cursor, None)
            if body is None:
                return
            started = time.perf_counter()
            status = post(body)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _figures(len(bodies), time.perf_counter() - started, latencies, dict(statuses))


def _figures(count: int, wall: float, latencies: list[float], statuses: dict) -> dict:
    return {
        "orders": count,
        "seconds": round(wall, 3),
        "orders_per_s": round(count / wall, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "statuses": {str(k): v for k, v in statuses.items()},
        "latencies": latencies,
    }


# --- the raw driver ------------------------------------------------------------------------


def _raw_process(args) -> list[float]:
    db, jobs, threads = args
    return raw.raw_worker(db, jobs, threads)


def raw_run(db, jobs: list[tuple[dict, list[str]]], clients: int, processes: int) -> dict:
    """`clients` connections spread over up to `processes` processes (the server side of
    Ordino also gets that many worker processes)."""
    procs = max(1, min(processes, clients))
    share = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    slices = [jobs[i::procs] for i in range(procs)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        parts = pool.map(_raw_process, [(db, s, n) for s, n in zip(slices, share, strict=True)])
    wall = time.perf_counter() - started
    latencies = [x for part in parts for x in part]
    return _figures(len(jobs), wall, latencies, {"ok": len(latencies)})


# --- one database --------------------------------------------------------------------------


def machine() -> dict:
    info = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "postgres": None,
        "loadavg_start": os.getloadavg(),
    }
    url = postgres_url() or "postgres://postgres@127.0.0.1:5432/postgres"
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as conn:
            info["postgres"] = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:
        info["postgres_error"] = str(exc)
    return info


def bench_database(kind: str, mix: list[MixOrder], args, workdir: Path) -> dict:
    pg = postgres_url() or "postgres://postgres@127.0.0.1:5432/postgres"
    db: LiveDatabase = database_create(kind, workdir / kind, pg_url=pg)
    try:
        return _bench_on(db, kind, mix, args, workdir)
    finally:
        db.drop()


def _bench_on(db: LiveDatabase, kind: str, mix: list[MixOrder], args, workdir: Path) -> dict:
    skus = sorted({line.sku for o in mix for line in o.lines})
    locations = sorted({line.location for o in mix for line in o.lines})
    stock = sorted({(line.location, line.sku) for o in mix for line in o.lines})
    print(f"[{kind}] loading {len(skus)} SKUs, {len(locations)} locations", flush=True)
    shop = django_call(
        db,
        "bench.ingest.django_side:shop_load",
        skus=skus,
        locations=locations,
        stock=[list(p) for p in stock],
        units=STOCK_UNITS,
    )
    two_line = next(o for o in mix if len(o.lines) == 2)
    statements = django_call(
        db,
        "bench.ingest.django_side:statements_count",
        token=shop["token"],
        warmup_order=order_payload(two_line, "STMT-warmup"),
        service_order=order_payload(two_line, "STMT-service"),
        http_order=order_payload(two_line, "STMT-http"),
    )
    print(
        f"[{kind}] SQL statements per 2-line order: service {statements['service']['count']}, "
        f"HTTP request {statements['http']['count']}",
        flush=True,
    )
    if kind == "sqlite":
        raw_db = raw.RawSqlite(str(workdir / "raw.sqlite3"))
    else:
        raw_db = raw.RawPostgres(db.env["DATABASE_URL"])
    raw_db.schema(stock, STOCK_UNITS)

    runs: dict[int, dict[str, list[dict]]] = {c: {"ordino": [], "raw": []} for c in args.clients}
    with server(db, workers=args.workers, log=workdir / f"{kind}-server.log") as url:
        for rnd in range(args.rounds):
            for clients in args.clients:
                tag = f"R{rnd}C{clients}"
                bodies = [order_payload(o, f"{tag}-{i:06d}") for i, o in enumerate(mix)]
                jobs = [
                    (b, [line.location for line in o.lines])
                    for b, o in zip(bodies, mix, strict=True)
                ]
                ordino = http_run(url, shop["token"], bodies, clients)
                rawfig = raw_run(raw_db, jobs, clients, args.workers)
                runs[clients]["ordino"].append(ordino)
                runs[clients]["raw"].append(rawfig)
                print(
                    f"[{kind}] round {rnd + 1}/{args.rounds} clients {clients:>2}: "
                    f"Ordino {ordino['orders_per_s']:>7.1f}/s  raw {rawfig['orders_per_s']:>7.1f}/s"
                    f"  ratio {ordino['orders_per_s'] / rawfig['orders_per_s']:.3f}"
                    f"  statuses {ordino['statuses']}",
                    flush=True,
                )
    rows = []
    for clients, sides in runs.items():
        row = {"db": kind, "clients": clients}
        for side, figures in sides.items():
            latencies = [x for f in figures for x in f.pop("latencies")]
            row[side] = {
                "orders_per_s": round(statistics.median(f["orders_per_s"] for f in figures), 1),
                "p50_ms": round(percentile(latencies, 50) * 1000, 1),
                "p95_ms": round(percentile(latencies, 95) * 1000, 1),
                "p99_ms": round(percentile(latencies, 99) * 1000, 1),
                "rounds": figures,
            }
        ratios = [
            o["orders_per_s"] / r["orders_per_s"]
            for o, r in zip(sides["ordino"], sides["raw"], strict=True)
        ]
        row["ratio_median"] = round(statistics.median(ratios), 3)
        row["ratios"] = [round(x, 3) for x in ratios]
        rows.append(row)
    return {"rows": rows, "statements": statements}


# --- output --------------------------------------------------------------------------------


def markdown(report: dict) -> str:
    m = report["machine"]
    c = report["config"]
    out = [
        "# Ordino ingest benchmark",
        "",
        f"- when: {report['started_at']} · format `{report['format']}`",
        f"- machine: {m['cores']} cores, Python {m['python']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgres']}, load average at start {m['loadavg_start']} / end "
        f"{m.get('loadavg_end')}",
        f"- server: gunicorn, {c['workers']} sync worker processes, on the same machine as the "
        "clients; the raw driver uses the same number of processes",
        f"- order mix: the first {c['orders']} orders of the Olist sample "
        f"({c['lines_per_order']:.2f} lines per order on average), BRL; "
        f"{c['rounds']} rounds, Ordino and raw alternating",
        "",
        "| db | clients | Ordino orders/s | p50 ms | p95 ms | p99 ms | raw orders/s | raw p50 ms "
        "| raw p99 ms | Ordino ÷ raw (median) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in report["databases"]:
        for row in report["databases"][kind]["rows"]:
            o, r = row["ordino"], row["raw"]
            out.append(
                f"| {kind} | {row['clients']} | {o['orders_per_s']} | {o['p50_ms']} | "
                f"{o['p95_ms']} | {o['p99_ms']} | {r['orders_per_s']} | {r['p50_ms']} | "
                f"{r['p99_ms']} | {row['ratio_median']} |"
            )
    out += ["", "## SQL statements per 2-line order", ""]
    out += ["Counted with CaptureQueriesContext; in brackets: without BEGIN/COMMIT.", ""]
    out += ["| db | order_capture (service) | HTTP POST with Idempotency-Key | raw driver |"]
    out += ["| --- | ---: | ---: | ---: |"]
    for kind, result in report["databases"].items():
        s, h = result["statements"]["service"], result["statements"]["http"]
        out.append(
            f"| {kind} | {s['count']} ({s['without_begin_commit']}) | "
            f"{h['count']} ({h['without_begin_commit']}) | 8 (6) |"
        )
    for kind, result in report["databases"].items():
        out += ["", f"### Statements of the HTTP request on {kind}", "", "```"]
        out += result["statements"]["http"]["statements"]
        out += ["```"]
        out += ["", f"### Statements of order_capture alone on {kind}", "", "```"]
        out += result["statements"]["service"]["statements"]
        out += ["```"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--orders", type=int, default=300, help="orders per run (default 300)")
    parser.add_argument("--clients", default="1,4,16", help="client counts (default 1,4,16)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    parser.add_argument("--olist", type=Path, default=DEFAULT_DIR, help="Olist CSV directory")
    args = parser.parse_args(argv)
    args.clients = [int(x) for x in args.clients.split(",")]
    if not (args.olist / "olist_order_items_dataset.csv").exists():
        sys.exit(f"No Olist sample at {args.olist}; pass --olist DIR.")
    mix = mix_load(args.olist, args.orders)
    info = machine()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in kinds and info["postgres"] is None:
        print(f"PostgreSQL not reachable ({info.get('postgres_error')}): skipping it.")
        kinds.remove("postgres")
    report = {
        "format": FORMAT,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": info,
        "config": {
            "orders": len(mix),
            "lines_per_order": sum(len(o.lines) for o in mix) / len(mix),
            "clients": args.clients,
            "rounds": args.rounds,
            "workers": args.workers,
        },
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="ordino-bench-") as tmp:
        for kind in kinds:
            report["databases"][kind] = bench_database(kind, mix, args, Path(tmp))
    info["loadavg_end"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"ingest-{report['started_at'].replace(':', '')}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    stem.with_suffix(".md").write_text(text)
    (RESULTS / "ingest-latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "ingest-latest.md").write_text(text)
    print()
    print(text)
    print(f"written: {stem}.json and .md")


if __name__ == "__main__":
    main()
