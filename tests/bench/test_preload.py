"""The capture-with-history bench's loader (bench/preload.py) at tiny scale on SQLite: it writes
every table a capture writes, in the counts its orders imply, and leaves the ledger and the
balances agreeing — so that it cannot silently rot when capture's tables change."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from bench.ingest.olist import Line, MixOrder
from bench.ingest.rounds import _shop
from tests.concurrency.live import database_create, django_call, manage

MIX = [
    MixOrder(
        "two-lines-0001",
        (Line("SKU-A", "LOC-1", 2, Decimal("10.00")), Line("SKU-B", "LOC-2", 1, Decimal("5.50"))),
        Decimal("3.00"),
    ),
    MixOrder("one-line-0002", (Line("SKU-C", "LOC-1", 1, Decimal("7.00")),), Decimal("0.00")),
]
END = "2026-06-30T12:00:00+00:00"


def _counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        tables = [
            "orders_order", "orders_orderline", "customers_customer",
            "sourcing_sourcingdecision", "fulfillment_fulfillmentorder",
            "fulfillment_fulfillmentline", "inventory_stockmovement",
            "orders_ordertimelineentry", "events_outboxevent", "accounts_idempotencykey",
        ]  # fmt: skip
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        counts["inventory_stockmovement"] -= conn.execute(  # the shop's own receipts
            "SELECT COUNT(*) FROM inventory_stockmovement WHERE reference = 'bench-seed'"
        ).fetchone()[0]
        return counts


def _facts(path) -> dict[str, int]:
    """What the preloaded orders imply the other tables must hold."""
    with sqlite3.connect(path) as conn:

        def one(sql: str) -> int:
            return conn.execute(sql).fetchone()[0]

        return {
            "lines": one("SELECT COUNT(*) FROM orders_orderline"),
            "open": one("SELECT COUNT(*) FROM orders_order WHERE status = 'allocated'"),
            "later": one("SELECT COUNT(*) FROM orders_order WHERE status <> 'allocated'"),
            "lines_later": one(
                "SELECT COUNT(*) FROM orders_orderline l JOIN orders_order o ON o.id = l.order_id "
                "WHERE o.status <> 'allocated'"
            ),
            "fo_per_location": one(
                "SELECT COUNT(*) FROM (SELECT DISTINCT l.order_id, b.location_id "
                "FROM orders_orderline l JOIN inventory_stockmovement b "
                "ON b.reference = 'order:' || l.order_id AND b.sku_id = l.sku_id "
                "AND b.reason = 'reserve')"
            ),
            "span_days": one(
                "SELECT CAST(ROUND(julianday('2026-06-30 12:00:00') - julianday(MIN(created_at))) "
                "AS INTEGER) FROM orders_order"
            ),
            "later_than_end": one(
                "SELECT COUNT(*) FROM orders_order WHERE created_at > '2026-06-30 12:00:00'"
            ),
            "orphan_lines": one(
                "SELECT COUNT(*) FROM orders_orderline l LEFT JOIN orders_order o "
                "ON o.id = l.order_id WHERE o.id IS NULL"
            ),
        }


def test_the_preload_writes_every_table_a_capture_writes_in_the_counts_its_orders_imply(
    tmp_path,
):
    # given: the ingest bench's shop, nothing captured yet
    db = database_create("sqlite", tmp_path / "data")
    token = _shop(db, "sqlite", MIX)["token"]
    # when: 300 orders are preloaded over the year before END
    result = django_call(db, "bench.preload:preload", token=token, orders=300, end=END)
    # then: each order has its lines, decision, fulfillment, ledger rows, timeline and events
    path = db.data_dir / "ordino.sqlite3"
    counts, facts = _counts(path), _facts(path)
    assert result["rows"] == {t: n for t, n in counts.items() if n}
    assert counts["orders_order"] == 300
    assert counts["customers_customer"] == 180  # 0.6 per order: repeat buyers
    assert counts["sourcing_sourcingdecision"] == 300
    assert facts["lines"] == counts["orders_orderline"] == counts["fulfillment_fulfillmentline"]
    assert counts["fulfillment_fulfillmentorder"] == facts["fo_per_location"]
    # a reservation per line, and a shipment or release per line of a finished order
    assert counts["inventory_stockmovement"] == facts["lines"] + facts["lines_later"]
    assert counts["orders_ordertimelineentry"] == 300 + facts["later"]
    assert counts["events_outboxevent"] == 300 + facts["later"]
    assert 0 < facts["open"] < 300  # the last two days' orders are not shipped yet
    assert counts["accounts_idempotencykey"] == 1  # only the last 48 hours keep their key
    assert facts["span_days"] == 365  # spread over the year before END
    assert facts["later_than_end"] == 0
    assert facts["orphan_lines"] == 0


def test_the_preloaded_ledger_agrees_with_the_balances_and_capture_still_works(tmp_path):
    # given: a preloaded shop
    db = database_create("sqlite", tmp_path / "data")
    token = _shop(db, "sqlite", MIX)["token"]
    django_call(db, "bench.preload:preload", token=token, orders=50, end=END)
    # when: the ledger is checked against the balances, and capture's statements explained
    check = manage(db, "inventory", "check")
    plans = django_call(
        db,
        "bench.capture_plans:plans",
        token=token,
        order={
            "channel": "olist",
            "external_id": "unused",
            "currency": "BRL",
            "customer": {"email": "buyer00000001@example.com.br"},
            "shipping_address": {"line1": "Rua Augusta 100", "city": "São Paulo", "country": "BR"},
            "lines": [{"sku": "SKU-A", "quantity": 1, "unit_price": "10.00"}],
            "shipping_price": "0.00",
        },
    )
    # then: they agree, and both captures (use case, HTTP) ran on the loaded database
    assert "ledger and balances agree: 3 balances checked" in check.stdout
    assert plans["statements"]["use_case"] > 0
    assert plans["statements"]["http"] > plans["statements"]["use_case"]
    assert plans["explained"]
