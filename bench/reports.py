"""Reports: time of the dashboard's KPI selectors (`reports.selectors.kpis_get`) over N orders
loaded raw (lines, fulfillment orders and lines, shipments), next to the same aggregates written
directly in SQL on the same connection. Run by bench.run; the functions run inside Django."""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

START = datetime(2026, 1, 1, tzinfo=UTC)
DAYS = 30
SKUS = 2000
LOCATIONS = 10


def setup(*, orders: int) -> dict:
    """`orders` orders over 30 days in two channels: 1–2 lines, one fulfillment order per line's
    location (a second line ships from elsewhere: a split), 60 % shipped, 25 % open, 10 %
    cancelled, 5 % backordered."""
    from bench.loading import bulk_load, catalog_load, when
    from ordino.channels.models import Channel
    from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
    from ordino.orders.models import Order, OrderLine

    ids = catalog_load(skus=SKUS, locations=LOCATIONS, store_every=3)
    first_sku, locs = ids["first_sku"], ids["location_ids"]
    channels = [
        Channel.objects.create(code=c, name=c, kind="web", currency="EUR").pk
        for c in ("web", "app")
    ]
    rng = random.Random(5)
    order_rows, line_rows, fo_rows, fl_rows, ship_rows = [], [], [], [], []
    line_id = fo_id = 0
    for oid in range(1, orders + 1):
        created = START + timedelta(seconds=rng.randrange(DAYS * 86400))
        roll = rng.random()
        status = (
            "shipped"
            if roll < 0.6
            else "allocated"
            if roll < 0.85
            else "cancelled"
            if roll < 0.95
            else "backordered"
        )
        n_lines = 2 if rng.random() < 0.3 else 1
        total = 0
        loc_first = rng.choice(locs)
        for no in range(1, n_lines + 1):
            line_id += 1
            qty = rng.randint(1, 3)
            sku = first_sku + rng.randrange(SKUS)
            total += qty * 10
            buckets = {"allocated": 0, "shipped": 0, "cancelled": 0, "backordered": 0}
            key = {"shipped": "shipped", "allocated": "allocated", "cancelled": "cancelled"}.get(
                status, "backordered"
            )
            buckets[key] = qty
            line_rows.append(
                (oid, no, sku, f"S{sku - first_sku + 1:07d}", qty, buckets["cancelled"],
                 buckets["backordered"], buckets["allocated"], buckets["shipped"], "10", "0",
                 "0", "0", str(qty * 10))
            )  # fmt: skip
            if status == "backordered":
                continue
            fo_id += 1
            loc = loc_first if no == 1 else rng.choice(locs)
            fo_status = {"shipped": "shipped", "allocated": "open"}.get(status, "cancelled")
            fo_rows.append((oid, loc, fo_status, "ship", when(created), when(created)))
            fl_rows.append((fo_id, line_id, qty, buckets["shipped"], buckets["cancelled"]))
            if status == "shipped":
                shipped = created + timedelta(minutes=rng.randint(30, 72 * 60))
                ship_rows.append((fo_id, "dhl", when(shipped)))
        current = 0 if status == "cancelled" else total
        order_rows.append(
            (rng.choice(channels), f"E{oid}", status, "EUR", str(total), "0", "0", "0", "0",
             str(total), str(current), when(created), when(created), when(created))
        )  # fmt: skip
    bulk_load(
        Order,
        ["channel_id", "external_id", "status", "currency", "subtotal", "discount_total",
         "tax_total", "shipping_price", "shipping_tax", "grand_total", "current_total",
         "placed_at", "created_at", "updated_at"],
        order_rows,
    )  # fmt: skip
    bulk_load(
        OrderLine,
        ["order_id", "line_no", "sku_id", "sku_code", "quantity_ordered", "quantity_cancelled",
         "quantity_backordered", "quantity_allocated", "quantity_shipped", "unit_price",
         "line_discount", "order_discount", "tax", "total"],
        line_rows,
        fixed={"components": {}},
    )  # fmt: skip
    bulk_load(
        FulfillmentOrder,
        ["order_id", "location_id", "status", "delivery_method", "created_at", "updated_at"],
        fo_rows,
    )
    bulk_load(
        FulfillmentLine,
        ["fulfillment_order_id", "order_line_id", "quantity", "quantity_shipped",
         "quantity_cancelled"],
        fl_rows,
        fixed={"components": {}},
    )  # fmt: skip
    bulk_load(Shipment, ["fulfillment_order_id", "carrier", "shipped_at"], ship_rows)
    assert Order.objects.order_by("-id").values_list("id", flat=True).first() == orders
    return {
        "orders": orders,
        "lines": len(line_rows),
        "fulfillment_orders": len(fo_rows),
        "shipments": len(ship_rows),
    }


def _raw_queries(vendor: str) -> list[str]:
    if vendor == "postgresql":
        day = "to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
        minutes = "CAST(floor(extract(epoch FROM (s.shipped_at - o.created_at)) / 60) AS INTEGER)"
    else:
        day = "substr(o.created_at, 1, 10)"
        minutes = (
            "(CAST(round((julianday(s.shipped_at) - julianday(o.created_at)) * 86400.0) "
            "AS INTEGER) / 60)"
        )
    rng = "o.created_at >= %s AND o.created_at < %s"
    return [
        f"SELECT {day}, o.currency, count(*), "
        "sum(CASE WHEN o.status = 'cancelled' THEN 1 ELSE 0 END), sum(o.current_total) "
        f"FROM orders_order o WHERE {rng} GROUP BY 1, 2 ORDER BY 1, 2",
        f"SELECT o.status, count(*) FROM orders_order o WHERE {rng} GROUP BY o.status",
        "SELECT sum(l.quantity_ordered), sum(c.units), count(DISTINCT CASE WHEN "
        "l.quantity_ordered > coalesce(c.units, 0) THEN l.order_id END) "
        "FROM orders_orderline l JOIN orders_order o ON o.id = l.order_id "
        "LEFT JOIN (SELECT fl.order_line_id, sum(fl.quantity) AS units "
        "FROM fulfillment_fulfillmentline fl "
        "JOIN fulfillment_fulfillmentorder f ON f.id = fl.fulfillment_order_id "
        "JOIN orders_order o ON o.id = f.order_id "
        f"WHERE f.created_at = o.created_at AND {rng} GROUP BY fl.order_line_id) c "
        f"ON c.order_line_id = l.id WHERE {rng}",
        "SELECT l.sku_code, sum(l.quantity_ordered) AS u FROM orders_orderline l "
        f"JOIN orders_order o ON o.id = l.order_id WHERE {rng} "
        "GROUP BY l.sku_code ORDER BY u DESC, l.sku_code LIMIT 10",
        "SELECT count(*) FROM (SELECT f.order_id FROM fulfillment_fulfillmentorder f "
        f"JOIN orders_order o ON o.id = f.order_id WHERE {rng} AND f.status <> 'rejected' "
        "GROUP BY f.order_id HAVING count(*) > 1) s",
        "SELECT loc.kind, sum(fl.quantity_shipped) FROM fulfillment_fulfillmentline fl "
        "JOIN fulfillment_fulfillmentorder f ON f.id = fl.fulfillment_order_id "
        "JOIN orders_order o ON o.id = f.order_id "
        f"JOIN locations_location loc ON loc.id = f.location_id WHERE {rng} GROUP BY loc.kind",
        f"SELECT {minutes}, count(*) FROM fulfillment_shipment s "
        "JOIN fulfillment_fulfillmentorder f ON f.id = s.fulfillment_order_id "
        f"JOIN orders_order o ON o.id = f.order_id WHERE {rng} GROUP BY 1",
        "SELECT loc.code, f.status, count(*) FROM fulfillment_fulfillmentorder f "
        "JOIN locations_location loc ON loc.id = f.location_id WHERE f.status IN "
        "('open', 'accepted', 'picking', 'packed', 'on_hold', 'ready_for_pickup') "
        "GROUP BY 1, 2 ORDER BY 1, 2",
    ]


def measure(*, rounds: int) -> dict:
    from django.db import connection

    from bench.loading import when
    from ordino.reports.selectors import kpis_get

    date_from, date_to = date(2026, 1, 1), date(2026, 1, DAYS)
    start = when(START)
    end = when(START + timedelta(days=DAYS))
    queries = _raw_queries(connection.vendor)
    ordino, raw, ratios = [], [], []
    kpis = None
    for rnd in range(rounds):
        t0 = time.perf_counter()
        kpis = kpis_get(date_from=date_from, date_to=date_to)
        ordino.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in queries:
                cursor.execute(sql, [start, end] * (sql.count("%s") // 2))
                cursor.fetchall()
        raw.append(time.perf_counter() - t0)
        ratios.append(raw[-1] / ordino[-1])
        print(
            f"  round {rnd + 1}: KPIs {ordino[-1] * 1000:,.0f} ms, direct SQL "
            f"{raw[-1] * 1000:,.0f} ms",
            flush=True,
        )
    return {
        "ordino_ms": round(statistics.median(ordino) * 1000, 1),
        "raw_ms": round(statistics.median(raw) * 1000, 1),
        "ratio_median": round(statistics.median(ratios), 3),
        "ratios": [round(r, 3) for r in ratios],
        "rounds_ms": [
            {"ordino": round(o * 1000, 1), "raw": round(r * 1000, 1)}
            for o, r in zip(ordino, raw, strict=True)
        ],
        "check": {
            "orders": kpis.orders,
            "fill_rate": str(kpis.fill_rate),
            "split_rate": str(kpis.split_rate),
            "on_time_rate": str(kpis.on_time_rate),
        },
    }
