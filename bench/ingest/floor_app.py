"""The HTTP floor: the raw order transaction (bench/ingest/raw.py) behind the least a WSGI app
can be, no framework. Served by gunicorn with `ordino serve`'s command line (floors.py), it
measures what HTTP and the server cost. POST any path: {"order": {...}, "lines_at": [...]} →
201; any GET answers 200 (the readiness check).

BENCH_FLOOR_DATABASE: "sqlite:<path>" or a PostgreSQL URL. One connection per server thread,
kept open, as Ordino keeps its own (CONN_MAX_AGE).
"""

from __future__ import annotations

import json
import os
import threading
import time

from bench.ingest import raw

_local = threading.local()


def _database():
    url = os.environ["BENCH_FLOOR_DATABASE"]
    if url.startswith("sqlite:"):
        return raw.RawSqlite(url.removeprefix("sqlite:"))
    return raw.RawPostgres(url)


DATABASE = _database()


def application(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST":
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
        return [b"{}"]
    body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = DATABASE.connect()
    sent = raw.order_write(
        DATABASE, conn, body["order"], body["lines_at"], time.strftime("%Y-%m-%dT%H:%M:%S")
    )
    answer = json.dumps({"external_id": body["order"]["external_id"], "statements": sent}).encode()
    start_response(
        "201 Created",
        [("Content-Type", "application/json"), ("Content-Length", str(len(answer)))],
    )
    return [answer]
