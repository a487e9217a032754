"""The same order-shaped transaction written directly with the database driver: the floor that
Ordino's figures are compared with.

Per order, in one transaction: insert the order, insert its lines (one statement), one
conditional stock decrement per line (`UPDATE ... WHERE on_hand - committed >= qty`), insert the
ledger rows (one statement), insert an outbox row, commit. For a 2-line order: 6 statements.
"""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal

SCHEMA = [
    "CREATE TABLE raw_stock (id {pk}, location TEXT NOT NULL, sku TEXT NOT NULL, "
    "on_hand INTEGER NOT NULL, committed INTEGER NOT NULL DEFAULT 0, UNIQUE (location, sku))",
    "CREATE TABLE raw_order (id {pk}, channel TEXT NOT NULL, external_id TEXT NOT NULL, "
    "currency TEXT NOT NULL, status TEXT NOT NULL, grand_total NUMERIC(18,3) NOT NULL, "
    "raw_payload TEXT, created_at TIMESTAMP NOT NULL, UNIQUE (channel, external_id))",
    "CREATE TABLE raw_order_line (id {pk}, order_id BIGINT NOT NULL REFERENCES raw_order(id), "
    "line_no INTEGER NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL, "
    "allocated INTEGER NOT NULL, unit_price NUMERIC(18,3) NOT NULL, total NUMERIC(18,3) NOT NULL)",
    "CREATE TABLE raw_movement (id {pk}, location TEXT NOT NULL, sku TEXT NOT NULL, "
    "quantity INTEGER NOT NULL, reason TEXT NOT NULL, reference TEXT NOT NULL, "
    "created_at TIMESTAMP NOT NULL)",
    "CREATE TABLE raw_outbox (id {pk}, name TEXT NOT NULL, aggregate_id BIGINT NOT NULL, "
    "payload TEXT NOT NULL, created_at TIMESTAMP NOT NULL)",
]


class RawSqlite:
    """sqlite3 with the settings Ordino uses: WAL, synchronous NORMAL, IMMEDIATE, busy timeout."""

    kind = "sqlite"
    mark = "?"

    def __init__(self, path: str) -> None:
        self.path = path

    def connect(self):
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def schema(self, stock: list[tuple[str, str]], units: int) -> None:
        conn = self.connect()
        for statement in SCHEMA:
            conn.execute(statement.format(pk="INTEGER PRIMARY KEY AUTOINCREMENT"))
        conn.executemany(
            "INSERT INTO raw_stock (location, sku, on_hand) VALUES (?, ?, ?)",
            [(loc, sku, units) for loc, sku in stock],
        )
        conn.close()

    def begin(self, conn) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def commit(self, conn) -> None:
        conn.execute("COMMIT")

    def rollback(self, conn) -> None:
        conn.execute("ROLLBACK")


class RawPostgres:
    kind = "postgres"
    mark = "%s"

    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self):
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def schema(self, stock: list[tuple[str, str]], units: int) -> None:
        with self.connect() as conn:
            for statement in SCHEMA:
                conn.execute(statement.format(pk="BIGSERIAL PRIMARY KEY"))
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO raw_stock (location, sku, on_hand) VALUES (%s, %s, %s)",
                    [(loc, sku, units) for loc, sku in stock],
                )

    def begin(self, conn) -> None:
        conn.execute("BEGIN")

    def commit(self, conn) -> None:
        conn.execute("COMMIT")

    def rollback(self, conn) -> None:
        conn.execute("ROLLBACK")


def order_write(db, conn, order: dict, lines_at: list[str], now: str) -> int:
    """One order transaction; returns the number of statements sent (BEGIN/COMMIT excluded)."""
    m = db.mark
    total = Decimal(order["shipping_price"])
    rows = []
    for no, (line, location) in enumerate(zip(order["lines"], lines_at, strict=True), start=1):
        line_total = Decimal(line["unit_price"]) * line["quantity"]
        total += line_total
        rows.append((no, line, location, line_total))
    statements = 0
    db.begin(conn)
    try:
        order_id = conn.execute(
            "INSERT INTO raw_order (channel, external_id, currency, status, grand_total, "
            f"raw_payload, created_at) VALUES ({m}, {m}, {m}, {m}, {m}, {m}, {m}) RETURNING id",
            (
                order["channel"],
                order["external_id"],
                order["currency"],
                "allocated",
                str(total),
                json.dumps(order["raw_payload"]),
                now,
            ),
        ).fetchone()[0]
        statements += 1
        allocated = []
        for _no, line, location, _total in rows:
            qty = line["quantity"]
            cur = conn.execute(
                f"UPDATE raw_stock SET committed = committed + {m} "
                f"WHERE location = {m} AND sku = {m} AND on_hand - committed >= {m}",
                (qty, location, line["sku"], qty),
            )
            statements += 1
            allocated.append(qty if cur.rowcount == 1 else 0)
        values = ", ".join([f"({m}, {m}, {m}, {m}, {m}, {m}, {m})"] * len(rows))
        params: list = []
        for (no, line, _loc, line_total), alloc in zip(rows, allocated, strict=True):
            params += [order_id, no, line["sku"], line["quantity"], alloc, line["unit_price"]]
            params.append(str(line_total))
        conn.execute(
            "INSERT INTO raw_order_line (order_id, line_no, sku, quantity, allocated, "
            f"unit_price, total) VALUES {values}",
            params,
        )
        statements += 1
        moved = [(r, a) for r, a in zip(rows, allocated, strict=True) if a]
        if moved:
            values = ", ".join([f"({m}, {m}, {m}, {m}, {m}, {m})"] * len(moved))
            params = []
            for (_no, line, location, _t), alloc in moved:
                params += [location, line["sku"], alloc, "reserve", f"order:{order_id}", now]
            conn.execute(
                "INSERT INTO raw_movement (location, sku, quantity, reason, reference, "
                f"created_at) VALUES {values}",
                params,
            )
            statements += 1
        conn.execute(
            f"INSERT INTO raw_outbox (name, aggregate_id, payload, created_at) "
            f"VALUES ({m}, {m}, {m}, {m})",
            (
                "order.captured",
                order_id,
                json.dumps({"order_id": order_id, "grand_total": str(total)}),
                now,
            ),
        )
        statements += 1
        db.commit(conn)
    except BaseException:
        db.rollback(conn)
        raise
    return statements
