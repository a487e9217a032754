"""The floors Ordino is measured against, all on the same machine and in the same run:

- the statement floor: the statements Ordino sent for each order (captured), replayed with the
  bare driver in one transaction per order (bench/ingest/statements.py);
- the raw order transaction: the same order written by hand-made SQL (bench/ingest/raw.py);
- the HTTP floor: that raw transaction behind a minimal WSGI app (bench/ingest/floor_app.py)
  served by the same gunicorn command line, worker class and worker count as `ordino serve`.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from bench.ingest import raw
from bench.ingest.statements import Capture, plan, replay
from tests.concurrency.live import REPO, _stop, _wait_ready, free_port

ORDINO_APP = "ordino.wsgi:application"
FLOOR_APP = "bench.ingest.floor_app:application"


class ReplayPostgres(raw.RawPostgres):
    """psycopg with client-side parameter binding, as Django sends Ordino's statements."""

    def connect(self):
        import psycopg

        return psycopg.connect(self.url, autocommit=True, cursor_factory=psycopg.ClientCursor)


def replay_database(kind: str, ordino_db) -> raw.RawSqlite | raw.RawPostgres:
    """The bare driver on Ordino's own database (the replayed statements name its tables)."""
    if kind == "sqlite":
        return raw.RawSqlite(str(ordino_db.data_dir / "ordino.sqlite3"))
    return ReplayPostgres(ordino_db.env["DATABASE_URL"])


class StatementFloor:
    """Jobs: (index of the order's capture, a suffix that makes its unique values fresh).
    A job's status is the number of statements it sent (BEGIN/COMMIT aside): measured."""

    def __init__(self, db, captures: list[Capture]) -> None:
        self.db, self.captures = db, captures
        for capture in captures:  # worked out here, before the clients fork and the clock runs
            plan(capture, db.kind)

    def connect(self):
        return self.db.connect()

    def run(self, conn, job: tuple[int, str]):
        index, suffix = job
        return f"{replay(self.db, conn, self.captures[index], suffix)} statements", conn

    def close(self, conn) -> None:
        conn.close()


class RawOrder:
    """Jobs: (order body, the location of each line); status: statements sent."""

    def __init__(self, db) -> None:
        self.db = db

    def connect(self):
        return self.db.connect()

    def run(self, conn, job: tuple[dict, list[str]]):
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        return f"{raw.order_write(self.db, conn, job[0], job[1], now)} statements", conn

    def close(self, conn) -> None:
        conn.close()


def floor_argv(ordino_argv: list[str]) -> list[str]:
    """`ordino serve`'s gunicorn command line with the floor app in place of Ordino."""
    if ORDINO_APP not in ordino_argv:
        raise RuntimeError(f"{ORDINO_APP} not in the server's command line: {ordino_argv}")
    return [FLOOR_APP if part == ORDINO_APP else part for part in ordino_argv]


@contextlib.contextmanager
def http_floor(argv: list[str], env: dict, database: str, log: Path) -> Iterator[str]:
    """Serve the floor app with `argv` (its --bind is replaced by a free port); yields the
    base URL. `database`: "sqlite:<path>" or a PostgreSQL URL (floor_app.py)."""
    port = free_port()
    argv = list(argv)
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    env = {**env, "BENCH_FLOOR_DATABASE": database}
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            argv, env=env, cwd=REPO, stdout=out, stderr=out, start_new_session=True
        )
    try:
        if not _wait_ready(proc, port):
            raise RuntimeError(f"the HTTP floor did not start; see {log}")
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def floor_database_url(raw_db) -> str:
    if isinstance(raw_db, raw.RawSqlite):
        return "sqlite:" + os.path.abspath(raw_db.path)
    return raw_db.url
