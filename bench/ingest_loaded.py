"""`python -m bench.ingest_loaded`: order capture with many orders already stored, next to the same
capture on an empty database, in one run.

Two databases with the same shop: one empty, one preloaded with N orders over the last year
(bench/preload.py: every row a capture writes, and what happened to the orders since). Each
round, the same orders are captured on both, with the same clients, through the use case
in-process and over HTTP (`ordino serve`, keep-alive clients: bench/ingest's machinery), the
four runs one after the other, their order rotating. Prints orders/s, p50/p99 and the ratio
loaded ÷ empty (issue's goal ≥ 0.9), and the query plans of capture's statements on the loaded
database (bench/capture_plans.py). Writes bench/results/ingest-loaded-<time>.json and .md; never
fails on a time. See bench/README.md."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.ingest.olist import DEFAULT_DIR, MixOrder, order_payload
from bench.ingest.report import _side
from bench.ingest.rounds import Sides, _servers_warm, _shop
from tests.concurrency.live import LiveDatabase, database_create, django_call, postgres_url, server

FORMAT = "ordino-bench-ingest-loaded/1"
RESULTS = Path(__file__).resolve().parent / "results"
PATHS = {"use_case": "use case", "ordino_http": "HTTP"}
DATABASES = ("empty", "loaded")
RATIO_GOAL = 0.9  # loaded ÷ empty
FULL = {"preload": 1_000_000, "orders": 300, "clients": [1, 16], "rounds": 3}
CONFIG = ("preload", "clients", "rounds", "workers", "processes", "quick")
QUICK = {"preload": 50_000, "orders": 60, "clients": [16], "rounds": 2}


def _two_line(mix: list[MixOrder]) -> dict:
    order = next((o for o in mix if len(o.lines) == 2), mix[0])
    return order_payload(order, "PLAN")


def _prepare(kind: str, mix: list[MixOrder], preload: int, workdir: Path) -> dict:
    """Both databases with the shop; the loaded one preloaded; the plans on the loaded one."""
    pg = postgres_url() or "postgres://postgres@127.0.0.1:5432/postgres"
    dbs: dict[str, LiveDatabase] = {}
    try:
        for name in DATABASES:
            dbs[name] = database_create(kind, workdir / kind / name, pg_url=pg)
        tokens = {name: _shop(db, kind, mix)["token"] for name, db in dbs.items()}
        print(f"[{kind}] preloading {preload:,} orders", flush=True)
        loaded = django_call(
            dbs["loaded"], "bench.preload:preload", token=tokens["loaded"], orders=preload
        )
        print(f"[{kind}] preloaded in {loaded['seconds']} s: {loaded['rows']}", flush=True)
        plans = django_call(
            dbs["loaded"],
            "bench.capture_plans:plans",
            token=tokens["loaded"],
            order=_two_line(mix),
        )
    except BaseException:
        for db in dbs.values():
            db.drop()
        raise
    return {"dbs": dbs, "tokens": tokens, "preload": loaded, "plans": plans}


def _rounds(kind: str, sides: dict[str, Sides], args) -> dict:
    """Every round and client count: both databases, both paths, one after the other, the
    order rotating so that neither database always runs first."""
    runs = {c: {(d, p): [] for d in DATABASES for p in PATHS} for c in args.clients}
    turn = 0
    for rnd in range(args.rounds):
        for clients in args.clients:
            order = list(runs[clients])
            order = order[turn % len(order) :] + order[: turn % len(order)]
            turn += 1
            for db, path in order:
                tag = f"R{rnd}C{clients}{'UC' if path == 'use_case' else 'HT'}"
                runs[clients][(db, path)].append(sides[db].run(path, tag, clients, args.processes))
            last = {k: v[-1] for k, v in runs[clients].items()}
            print(
                f"[{kind}] round {rnd + 1}/{args.rounds} clients {clients:>2}: "
                + "  ".join(
                    f"{d} {PATHS[p]} {f['orders_per_s']:.1f}/s p99 {f['p99_ms']:.0f} ms"
                    for (d, p), f in last.items()
                ),
                flush=True,
            )
    return runs


def _rows(kind: str, runs: dict) -> list[dict]:
    out = []
    for clients, by_side in runs.items():
        for path in PATHS:
            empty, loaded = by_side[("empty", path)], by_side[("loaded", path)]
            per_round = [
                b["orders_per_s"] / a["orders_per_s"] for a, b in zip(empty, loaded, strict=True)
            ]
            out.append(
                {
                    "db": kind,
                    "clients": clients,
                    "path": path,
                    "empty": _side(empty),
                    "loaded": _side(loaded),
                    "loaded_vs_empty": {
                        "median": round(statistics.median(per_round), 3),
                        "rounds": [round(x, 3) for x in per_round],
                    },
                }
            )
    return out


def bench_loaded(kind: str, mix: list[MixOrder], args, workdir: Path) -> dict:
    """One database kind: prepare both databases, serve both, run the rounds, drop both."""
    ready = _prepare(kind, mix, args.preload, workdir)
    dbs, tokens = ready["dbs"], ready["tokens"]
    try:
        with (
            server(dbs["empty"], workers=args.workers, log=workdir / f"{kind}-empty.log") as e_url,
            server(
                dbs["loaded"], workers=args.workers, log=workdir / f"{kind}-loaded.log"
            ) as l_url,
        ):
            sides = {}
            for name, url in (("empty", e_url), ("loaded", l_url)):
                urls = {"ordino_http": (url, "/api/v1/orders")}
                _servers_warm(urls, mix, tokens[name], max(args.clients), args.processes)
                sides[name] = Sides(dbs[name], mix, tokens[name], urls, {})
            runs = _rounds(kind, sides, args)
    finally:
        for db in dbs.values():
            db.drop()
    return {
        "preload": ready["preload"],
        "rows": _rows(kind, runs),
        "plans": ready["plans"],
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def markdown(databases: dict) -> list[str]:
    """The run's figures as Markdown lines (bench.run's report and this bench's own)."""
    out = [
        "| db | clients | path | empty: orders/s · p50 / p99 ms | loaded: orders/s · p50 / p99 ms "
        f"| loaded ÷ empty (goal ≥ {RATIO_GOAL}) |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for kind, result in databases.items():
        for row in result["rows"]:
            e, lo = row["empty"], row["loaded"]
            out.append(
                f"| {kind} | {row['clients']} | {PATHS[row['path']]} | {e['orders_per_s']} · "
                f"{e['p50_ms']} / {e['p99_ms']} | {lo['orders_per_s']} · {lo['p50_ms']} / "
                f"{lo['p99_ms']} | {row['loaded_vs_empty']['median']} |"
            )
    for kind, result in databases.items():
        pre, plans = result["preload"], result["plans"]
        rows = ", ".join(f"{table} {n:,}" for table, n in pre["rows"].items())
        out += ["", f"{kind}: {pre['orders']:,} orders preloaded in {pre['seconds']} s ({rows})."]
        scans = plans["full_scans"]
        out.append(
            f"{kind}: {len(plans['explained'])} distinct statements of a 2-line capture explained "
            f"on the loaded database; {len(scans)} scan a table of over 1,000 rows in full"
            + (":" if scans else ".")
        )
        for entry in scans:
            tables = ", ".join(f"{n['table']} ({n['rows']:,} rows)" for n in entry["full_scans"])
            out.append(f"- {tables}: `{entry['sql'][:160]}`")
    return out


def _text(report: dict) -> str:
    m, c = report["machine"], report["config"]
    head = [
        "# Ordino capture with many orders stored",
        "",
        f"- when: {report['started_at']} · command: `{report['command']}`",
        f"- machine: {m['cores']} cores, load average at start {m['loadavg_start']} / end "
        f"{m['loadavg_end']}; PostgreSQL {m['postgres']}, SQLite {m['sqlite']}",
        f"- {c['orders']} orders per run, {c['rounds']} rounds; both databases and both paths one "
        "after the other, their order rotating",
        "",
    ]
    return "\n".join(head + markdown(report["databases"])) + "\n"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_loaded", description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="50,000 stored, 60 orders, 16 clients")
    parser.add_argument("--preload", type=int, help="orders stored (default 1,000,000)")
    parser.add_argument("--orders", type=int, help="orders captured per run (default 300)")
    parser.add_argument("--clients", help="client counts (default 1,16; quick 16)")
    parser.add_argument("--rounds", type=int, help="rounds (default 3; quick 2)")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    parser.add_argument("--processes", type=int, default=2, help="client processes (default 2)")
    parser.add_argument("--olist", type=Path, default=DEFAULT_DIR, help="Olist CSV directory")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    args.preload = sizes["preload"] if args.preload is None else args.preload
    args.orders = args.orders or sizes["orders"]
    args.rounds = args.rounds or sizes["rounds"]
    args.clients = [int(c) for c in args.clients.split(",")] if args.clients else sizes["clients"]
    return args


def main(argv: list[str] | None = None) -> None:
    from bench.ingest.__main__ import run_inputs

    args = parse(argv)
    mix, info, kinds = run_inputs(args)
    report = {
        "format": FORMAT,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "command": "python -m bench.ingest_loaded "
        + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": info,
        "config": {**{k: getattr(args, k) for k in CONFIG}, "orders": len(mix)},
        "databases": {},
    }
    with tempfile.TemporaryDirectory(prefix="ordino-loaded-") as tmp:
        for kind in kinds:
            report["databases"][kind] = bench_loaded(kind, mix, args, Path(tmp))
    info["loadavg_end"] = os.getloadavg()
    write(report)


def write(report: dict) -> None:
    text = _text(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"ingest-loaded-{report['started_at'].replace(':', '')}"
    for path in (stem, RESULTS / "ingest-loaded-latest"):
        path.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
        path.with_suffix(".md").write_text(text)
    print()
    print(text)
    print(f"written: {stem}.json and .md")


if __name__ == "__main__":
    main()
