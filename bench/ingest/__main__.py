"""`python -m bench.ingest`: order capture throughput, Ordino next to its floors, in one run.

Five sides write the same orders with the same number of clients in flight, in rotating order
within every round: Ordino over HTTP (`ordino serve`), the HTTP floor (a bare WSGI app under the
same server doing the raw transaction), Ordino's use case in-process, the statement floor
(Ordino's own statements, captured, replayed with the bare driver) and the raw transaction.
See bench/README.md. It prints figures and writes bench/results/ingest-<time>.json and .md; it
never fails on a time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.ingest.markdown import markdown
from bench.ingest.olist import DEFAULT_DIR, mix_load
from bench.ingest.rounds import bench_database
from tests.concurrency.live import postgres_url

__all__ = ["bench_database", "machine", "main"]

FORMAT = "ordino-bench-ingest/2"
RESULTS = Path(__file__).resolve().parents[1] / "results"
QUICK = {"orders": 60, "rounds": 2}


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


def mix_with_two_lines(directory: Path, count: int) -> list:
    """The first `count` orders, plus the first 2-line order if none is among them (the
    statement count per 2-line order is the issue's yardstick)."""
    mix = mix_load(directory, count)
    if not any(len(o.lines) == 2 for o in mix):
        mix.append(next(o for o in mix_load(directory, 5000) if len(o.lines) == 2))
    return mix


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="60 orders, 2 rounds (a smoke run)")
    parser.add_argument("--orders", type=int, help="orders per run (default 300; quick 60)")
    parser.add_argument("--clients", default="1,4,16", help="client counts (default 1,4,16)")
    parser.add_argument("--rounds", type=int, help="rounds (default 3; quick 2)")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    parser.add_argument(
        "--processes", type=int, default=2, help="client processes per side (default 2)"
    )
    parser.add_argument("--olist", type=Path, default=DEFAULT_DIR, help="Olist CSV directory")
    args = parser.parse_args(argv)
    args.clients = [int(x) for x in args.clients.split(",")]
    args.orders = args.orders or (QUICK["orders"] if args.quick else 300)
    args.rounds = args.rounds or (QUICK["rounds"] if args.quick else 3)
    return args


def run_inputs(args) -> tuple[list, dict, list[str]]:
    """The order mix, the machine, and the databases to run on (PostgreSQL left out, saying
    so, when it does not answer); exits when the Olist sample is missing."""
    if not (args.olist / "olist_order_items_dataset.csv").exists():
        sys.exit(f"No Olist sample at {args.olist}; pass --olist DIR.")
    mix = mix_with_two_lines(args.olist, args.orders)
    info = machine()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in kinds and info["postgres"] is None:
        print(f"PostgreSQL not reachable ({info.get('postgres_error')}): skipping it.")
        kinds.remove("postgres")
    return mix, info, kinds


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    mix, info, kinds = run_inputs(args)
    report = {
        "format": FORMAT,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "python -m bench.ingest " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": info,
        "config": {
            "orders": len(mix),
            "lines_per_order": sum(len(o.lines) for o in mix) / len(mix),
            "clients": args.clients,
            "rounds": args.rounds,
            "workers": args.workers,
            "processes": args.processes,
            "quick": args.quick,
        },
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="ordino-bench-") as tmp:
        for kind in kinds:
            report["databases"][kind] = bench_database(kind, mix, args, Path(tmp))
    info["loadavg_end"] = os.getloadavg()
    _server_config(report)
    write(report)


def _server_config(report: dict) -> None:
    argv = next(iter(report["databases"].values()), {}).get("server_argv", [])
    option = {a: b for a, b in itertools.pairwise(argv) if a.startswith("--")}
    report["config"]["worker_class"] = option.get("--worker-class")
    report["config"]["threads"] = option.get("--threads")


def write(report: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"ingest-{report['started_at'].replace(':', '')}"
    text = markdown(report)
    for path in (stem, RESULTS / "ingest-latest"):
        path.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
        path.with_suffix(".md").write_text(text)
    print()
    print(text)
    print(f"written: {stem}.json and .md")


if __name__ == "__main__":
    main()
