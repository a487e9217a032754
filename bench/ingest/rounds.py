"""One database's share of a run: a fresh database, the shop, the statement captures, the two
servers, then rounds in which every side writes the same orders with the same number of
clients in flight, one side after the other (the order rotates from run to run)."""

from __future__ import annotations

import time
from pathlib import Path

from bench.ingest import floors, raw, report
from bench.ingest.clients import HttpPost, drive, json_bytes
from bench.ingest.olist import MixOrder, order_payload
from bench.ingest.statements import Capture, summary
from tests.concurrency.live import LiveDatabase, database_create, django_call, postgres_url, server

STOCK_UNITS = 1_000_000  # generous: every line reserves
SIDES = ("ordino_http", "http_floor", "use_case", "statement_floor", "raw")


def bench_database(kind: str, mix: list[MixOrder], args, workdir: Path) -> dict:
    pg = postgres_url() or "postgres://postgres@127.0.0.1:5432/postgres"
    db: LiveDatabase = database_create(kind, workdir / kind, pg_url=pg)
    try:
        return _bench_on(db, kind, mix, args, workdir)
    finally:
        db.drop()


def _shop(db: LiveDatabase, kind: str, mix: list[MixOrder]) -> dict:
    skus = sorted({line.sku for o in mix for line in o.lines})
    locations = sorted({line.location for o in mix for line in o.lines})
    stock = sorted({(line.location, line.sku) for o in mix for line in o.lines})
    print(f"[{kind}] loading {len(skus)} SKUs, {len(locations)} locations", flush=True)
    return django_call(
        db,
        "bench.ingest.ordino_side:shop_load",
        skus=skus,
        locations=locations,
        stock=[list(p) for p in stock],
        units=STOCK_UNITS,
    )


def statements_measure(db: LiveDatabase, token: str, mix: list[MixOrder]) -> dict:
    """Every order of the mix captured through the use case and through HTTP, statements
    recorded (ordino_side.mix_capture); the counts come from those lists, never a literal."""
    captured = django_call(
        db,
        "bench.ingest.ordino_side:mix_capture",
        token=token,
        orders=[order_payload(o, "capture") for o in mix],
    )
    use_case = [Capture.from_json(c) for c in captured["use_case"]]
    over_http = [Capture.from_json(c) for c in captured["http"]]
    two = next(i for i, o in enumerate(mix) if len(o.lines) == 2)
    return {
        "captures": use_case,
        "two_line": {
            "use_case": summary(use_case[two].statements),
            "http": summary(over_http[two].statements),
        },
        "mix_mean": {
            "use_case": _mean(summary(c.statements)["count"] for c in use_case),
            "http": _mean(summary(c.statements)["count"] for c in over_http),
        },
    }


def _mean(values) -> float:
    values = list(values)
    return round(sum(values) / len(values), 2)


def _jobs(side: str, mix: list[MixOrder], tag: str, token: str) -> tuple[list, dict]:
    bodies = [order_payload(o, f"{tag}-{i:06d}") for i, o in enumerate(mix)]
    if side == "ordino_http":
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        return [
            (json_bytes(b), {"Idempotency-Key": "bench-" + b["external_id"]}) for b in bodies
        ], auth
    lines_at = [[line.location for line in o.lines] for o in mix]
    if side == "http_floor":
        return [
            (json_bytes({"order": b, "lines_at": at}), {})
            for b, at in zip(bodies, lines_at, strict=True)
        ], {"Content-Type": "application/json"}
    if side == "raw":
        return list(zip(bodies, lines_at, strict=True)), {}
    if side == "statement_floor":
        return [(i, tag) for i in range(len(mix))], {}
    return bodies, {}  # use_case


def _servers_warm(urls: dict, mix: list[MixOrder], token: str, clients: int, processes: int):
    """Untimed orders through both servers until every worker thread has served some (their
    database connections open, caches filled), as a long-running server's are."""
    warm = mix[: max(4 * clients, 16)]
    for side, (url, path) in urls.items():
        jobs, headers = _jobs(side, warm, "WARMUP", token)
        drive(HttpPost(url, path, headers), jobs, clients, processes)


class Sides:
    """How each side runs one batch of orders with C clients (clients.drive, or the use case
    in a Django child process)."""

    def __init__(self, db: LiveDatabase, mix: list[MixOrder], token: str, urls: dict, tasks: dict):
        self.db, self.mix, self.token, self.urls, self.tasks = db, mix, token, urls, tasks

    def run(self, side: str, tag: str, clients: int, processes: int) -> dict:
        jobs, headers = _jobs(side, self.mix, tag, self.token)
        if side in self.urls:
            url, path = self.urls[side]
            return drive(HttpPost(url, path, headers), jobs, clients, processes)
        if side == "use_case":
            return django_call(
                self.db,
                "bench.ingest.ordino_side:use_case_run",
                orders=jobs,
                clients_count=clients,
                processes=processes,
            )
        return drive(self.tasks[side], jobs, clients, processes)


def _rounds(kind: str, sides: Sides, args) -> dict[int, dict[str, list[dict]]]:
    """Every round, every client count, the five sides one after the other; the order of the
    sides rotates from one batch to the next, so none always runs first or after another."""
    runs: dict[int, dict[str, list[dict]]] = {c: {s: [] for s in SIDES} for c in args.clients}
    turn = 0
    for rnd in range(args.rounds):
        for clients in args.clients:
            order = SIDES[turn % len(SIDES) :] + SIDES[: turn % len(SIDES)]
            turn += 1
            for side in order:
                tag = f"R{rnd}C{clients}{side[:2].upper()}"
                runs[clients][side].append(sides.run(side, tag, clients, args.processes))
            print(report.round_line(kind, rnd, args.rounds, clients, runs[clients]), flush=True)
    return runs


def _raw_database(kind: str, db: LiveDatabase, mix: list[MixOrder], workdir: Path):
    if kind == "sqlite":
        raw_db = raw.RawSqlite(str(workdir / f"{kind}-raw.sqlite3"))
    else:
        raw_db = raw.RawPostgres(db.env["DATABASE_URL"])
    raw_db.schema(sorted({(line.location, line.sku) for o in mix for line in o.lines}), STOCK_UNITS)
    return raw_db


def _bench_on(db: LiveDatabase, kind: str, mix: list[MixOrder], args, workdir: Path) -> dict:
    token = _shop(db, kind, mix)["token"]
    statements = statements_measure(db, token, mix)
    two = statements["two_line"]
    print(
        f"[{kind}] statements per 2-line order (measured): use case {two['use_case']['count']}, "
        f"HTTP {two['http']['count']}",
        flush=True,
    )
    raw_db = _raw_database(kind, db, mix, workdir)
    tasks = {
        "statement_floor": floors.StatementFloor(
            floors.replay_database(kind, db), statements["captures"]
        ),
        "raw": floors.RawOrder(raw_db),
    }
    ordino_argv = django_call(
        db, "bench.ingest.ordino_side:server_argv", bind="127.0.0.1:0", workers=args.workers
    )
    with (
        server(db, workers=args.workers, log=workdir / f"{kind}-server.log") as ordino_url,
        floors.http_floor(
            floors.floor_argv(ordino_argv),
            db.env,
            floors.floor_database_url(raw_db),
            workdir / f"{kind}-floor.log",
        ) as floor_url,
    ):
        urls = {"ordino_http": (ordino_url, "/api/v1/orders"), "http_floor": (floor_url, "/orders")}
        _servers_warm(urls, mix, token, max(args.clients), args.processes)
        runs = _rounds(kind, Sides(db, mix, token, urls, tasks), args)
    return {
        "rows": report.rows(kind, runs),
        "statements": {k: v for k, v in statements.items() if k != "captures"},
        "server_argv": ordino_argv,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
