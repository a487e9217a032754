"""Availability over HTTP, in-process: Ordino's WSGI application (every middleware, the bearer
token, django-ninja, the answer's JSON) next to a bare WSGI app doing the same read with the bare
driver (sqlite3 / psycopg) and answering the same shape of JSON. Both are called in the same
process with the same WSGI environ, so the comparison holds what the framework and Ordino's
request handling cost, without a server, sockets or clients (bench/ingest measures those).
The bare app checks no token, as the ingest bench's HTTP floor does not. Run inside Django by
bench/availability.py."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable

from bench.availability import BULK_SQL, SINGLE_SQL


def environ_make(method: str, path: str, *, token: str | None = None, body: bytes = b"") -> dict:
    """The WSGI environ a server hands over for one request."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return environ


def wsgi_call(app: Callable, environ: dict) -> bytes:
    """Call a WSGI app as a server would; the answer's body, or an error if it is not 200."""
    status: list[str] = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    if not status or not status[0].startswith("200"):
        raise RuntimeError(f"{environ['PATH_INFO']}: {status} {body[:300]!r}")
    return body


def bare_connect(settings_dict: dict):
    """A connection of the bare driver to Ordino's database, in autocommit (reads only)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        conn = sqlite3.connect(str(settings_dict["NAME"]), isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn, "?"
    import psycopg

    conn = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )
    return conn, "%s"


def bare_app(conn, placeholder: str) -> Callable:
    """The least a WSGI app can be that answers GET /<sku> with the SKU's availability per
    location (every named quantity) and the network total, and POST with a JSON body
    {"skus": [...]} with available per location for each."""
    single_sql = SINGLE_SQL.replace("%s", placeholder)

    def answer(start_response, body: dict) -> list[bytes]:
        data = json.dumps(body).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        )
        return [data]

    def single(code: str) -> dict:
        rows = conn.execute(single_sql, [code]).fetchall()
        locations = [
            {
                "location": loc,
                "available": max(0, on_hand - committed - safety - unavailable),
                "quantities": {
                    "on_hand": on_hand,
                    "committed": committed,
                    "safety_stock": safety,
                    "unavailable": unavailable,
                    "incoming": incoming,
                },
            }
            for loc, on_hand, committed, safety, unavailable, incoming in rows
        ]
        network = sum(line["available"] for line in locations)
        return {"sku": code, "network": network, "locations": locations}

    def bulk(codes: list[str]) -> dict:
        sql = BULK_SQL.format(", ".join([placeholder] * len(codes))).replace("%s", placeholder)
        per_sku: dict[str, dict[str, int]] = {code: {} for code in codes}
        for sku, loc, available in conn.execute(sql, codes).fetchall():
            per_sku[sku][loc] = available
        items = [
            {"sku": code, "network": sum(locs.values()), "locations": locs}
            for code, locs in per_sku.items()
        ]
        return {"items": items}

    def application(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            codes = json.loads(environ["wsgi.input"].read(length))["skus"]
            return answer(start_response, bulk(codes))
        return answer(start_response, single(environ["PATH_INFO"].rsplit("/", 1)[-1]))

    return application
