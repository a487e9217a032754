"""N orders already stored, for the capture-with-history bench (bench/ingest_loaded.py): every row
a real capture writes — order, lines, customer, sourcing decision, fulfillment orders and lines,
reservation movements, timeline entry, outbox event, and for the orders of the last
ORDINO_IDEMPOTENCY_TTL_HOURS their Idempotency-Keys — plus what happened to the order since
(shipped or cancelled: their movements, entries and events), spread over the last year with ids
rising with time, as in a shop that has been capturing for a year. Loaded raw: COPY on PostgreSQL,
executemany in one transaction on SQLite (bench/loading.py). Runs inside Django (django_call).

The rows' shapes were read off a real capture of a 2-line order (bench/README.md, "Capture with
a million orders stored"); the loader names every NOT NULL column, so a new one without a
default makes it fail loudly (tests/bench/test_preload.py runs it)."""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench.loading import when

YEAR = timedelta(days=365)
CHUNK = 20_000  # orders generated and written per step (bounded memory)
OPEN_AGE = timedelta(days=2)  # younger orders are still allocated (not shipped)
CUSTOMERS_PER_ORDER = 0.6  # repeat buyers
ACTOR = "preload"

# table: columns, in the order the row tuples give them
COLUMNS = {
    "customers_customer": "id email phone first_name last_name tags created_at",
    "orders_order": "id channel_id external_id status version currency email phone "
    "shipping_address delivery_method subtotal discount_total tax_total shipping_price "
    "shipping_tax grand_total current_total tags raw_payload placed_at created_at updated_at "
    "customer_id capture_fingerprint",
    "orders_orderline": "id order_id line_no sku_id sku_code name external_id quantity_ordered "
    "quantity_cancelled quantity_backordered quantity_allocated quantity_shipped "
    "quantity_delivered quantity_returned unit_price line_discount order_discount tax total "
    "components",
    "sourcing_sourcingdecision": "id order_id profile_code version_number trigger outcome strategy "
    "summary explanation created_at",
    "fulfillment_fulfillmentorder": "id order_id location_id status delivery_method version "
    "created_at updated_at accepted_at shipped_at closed_at pickup_code",
    "fulfillment_fulfillmentline": "id fulfillment_order_id order_line_id components quantity "
    "quantity_shipped quantity_rejected quantity_cancelled",
    "inventory_stockmovement": "id location_id sku_id from_state to_state quantity reason "
    "reference actor note created_at",
    "orders_ordertimelineentry": "id order_id kind message actor data created_at",
    "events_outboxevent": "id name aggregate_type aggregate_id payload created_at delivered_at "
    "attempts last_error dead replayed_by replay_reason",
    "accounts_idempotencykey": "id caller key fingerprint state claimed_at response_status "
    "response_content_type response_body created_at",
}
COLUMNS = {table: names.split() for table, names in COLUMNS.items()}
ADDRESS = json.dumps(
    {"name": "", "company": "", "line1": "Rua Augusta 100", "line2": "", "city": "São Paulo",
     "region": "", "postal_code": "01305-000", "country": "BR", "phone": "", "latitude": None,
     "longitude": None}
)  # fmt: skip


@dataclass(frozen=True)
class Pair:
    location_id: int
    location_code: str
    sku_id: int
    sku_code: str


@dataclass
class Shop:
    """What the preloaded orders refer to: the shop's channel and stocked (location, SKU) pairs,
    the token whose Idempotency-Keys they carry, and each table's next id."""

    channel_id: int
    channel_code: str
    currency: str
    pairs: list[Pair]
    caller: str
    next_id: dict[str, int]
    # per (location id, SKU id): units shipped (gone from on-hand), units still committed
    shipped: Counter = field(default_factory=Counter)
    committed: Counter = field(default_factory=Counter)


def _shop_read(token: str) -> Shop:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code, currency FROM channels_channel ORDER BY id LIMIT 1")
        channel_id, code, currency = cursor.fetchone()
        cursor.execute(
            "SELECT b.location_id, l.code, b.sku_id, s.code FROM inventory_stockbalance b "
            "JOIN locations_location l ON l.id = b.location_id "
            "JOIN catalog_sku s ON s.id = b.sku_id ORDER BY b.id"
        )
        pairs = [Pair(*row) for row in cursor.fetchall()]
        next_id = {}
        for table in COLUMNS:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')
            next_id[table] = cursor.fetchone()[0]
    if not pairs:
        raise RuntimeError("the shop holds no stock: load it before preloading orders")
    caller = hashlib.sha256(f"Bearer {token}".encode()).hexdigest()
    return Shop(channel_id, code, currency, pairs, caller, next_id)


def _take(shop: Shop, table: str) -> int:
    value = shop.next_id[table]
    shop.next_id[table] = value + 1
    return value


def _explanation(order_ref: str, placed: dict[int, list[tuple[int, int]]], pairs) -> str:
    """A stored sourcing explanation of the size and shape capture writes."""
    summary = f"Allocated by strategy 'fewest locations, then priority': {len(pairs)} shipments."
    candidates = [
        {"location_id": p.location_id, "code": p.location_code, "kept": True,
         "removed_by": None, "rank": rank, "score": None, "values": {"priority": 100},
         "reason": f"rank {rank} (priority 100); ships"}
        for rank, p in enumerate(pairs, start=1)
    ]  # fmt: skip
    strategy = {
        "name": "fewest locations, then priority", "matched": True,
        "condition": "no condition (always matches)", "candidates": candidates,
        "split": {"method": "exact", "shipments": len(pairs), "limit": None,
                  "location_ids": [p.location_id for p in pairs], "reason": summary},
        "result": "placed every item",
    }  # fmt: skip
    return json.dumps(
        {"order_id": order_ref, "outcome": "allocated",
         "strategy": "fewest locations, then priority",
         "assignments": {str(k): [{"location_id": loc, "quantity": q} for loc, q in v]
                         for k, v in placed.items()},
         "backordered": {}, "cancel_after": None,
         "explanation": {"profile": "built-in", "version": 1, "summary": summary,
                         "strategies": [strategy]}}
    )  # fmt: skip


def _status(created: datetime, end: datetime, rng: random.Random) -> str:
    if end - created < OPEN_AGE:
        return "allocated"
    return "cancelled" if rng.random() < 0.05 else "shipped"


def _lines(shop: Shop, rows, oid: int, status: str, pairs: list[Pair], rng) -> tuple[int, list]:
    """The order's lines; returns the subtotal in cents and (line id, pair, quantity) each."""
    subtotal, placed = 0, []
    for no, pair in enumerate(pairs, start=1):
        line_id = _take(shop, "orders_orderline")
        qty, cents = rng.randint(1, 3), rng.randint(990, 29_990)
        subtotal += qty * cents
        buckets = {"cancelled": 0, "allocated": 0, "shipped": 0}
        buckets[status] = qty
        rows["orders_orderline"].append(
            (line_id, oid, no, pair.sku_id, pair.sku_code, pair.sku_code, "", qty,
             buckets["cancelled"], 0, buckets["allocated"], buckets["shipped"], 0, 0,
             f"{cents / 100:.2f}", "0", "0", "0", f"{qty * cents / 100:.2f}",
             json.dumps({str(pair.sku_id): 1}))
        )  # fmt: skip
        placed.append((line_id, pair, qty))
    return subtotal, placed


def _fulfillment(shop: Shop, rows, oid: int, status: str, placed: list, at: dict) -> list:
    """One fulfillment order per location, a line per order line; the ledger's movements:
    reserved at capture, then shipped (committed → external) or released."""
    fo_status = {"allocated": "open", "shipped": "shipped", "cancelled": "cancelled"}[status]
    done = at["done"]
    fo_ids = {}
    for line_id, pair, qty in placed:
        if pair.location_id not in fo_ids:
            fo_ids[pair.location_id] = _take(shop, "fulfillment_fulfillmentorder")
            rows["fulfillment_fulfillmentorder"].append(
                (fo_ids[pair.location_id], oid, pair.location_id, fo_status, "ship", 1,
                 at["created"], done or at["created"], done if status == "shipped" else None,
                 done if status == "shipped" else None, done, "")
            )  # fmt: skip
        rows["fulfillment_fulfillmentline"].append(
            (_take(shop, "fulfillment_fulfillmentline"), fo_ids[pair.location_id], line_id,
             json.dumps({str(pair.sku_id): 1}), qty, qty if status == "shipped" else 0, 0,
             qty if status == "cancelled" else 0)
        )  # fmt: skip
        moves = [("available", "committed", "reserve", at["created"])]
        if status == "shipped":
            moves.append(("committed", "external", "ship", done))
            shop.shipped[(pair.location_id, pair.sku_id)] += qty
        elif status == "cancelled":
            moves.append(("committed", "available", "release", done))
        else:
            shop.committed[(pair.location_id, pair.sku_id)] += qty
        for from_state, to_state, reason, moved_at in moves:
            rows["inventory_stockmovement"].append(
                (_take(shop, "inventory_stockmovement"), pair.location_id, pair.sku_id,
                 from_state, to_state, qty, reason, f"order:{oid}", ACTOR, "", moved_at)
            )  # fmt: skip
    return [{"id": fo, "location": code} for code, fo in fo_ids.items()]


def _history(shop: Shop, rows, oid: int, ext: str, status: str, summary: dict, at: dict):
    """The capture's timeline entry and outbox event, and the later ones of a shipped or
    cancelled order (delivered events: the relay has caught up)."""
    later = {"shipped": "fulfillment.shipped", "cancelled": "order.cancelled"}.get(status)
    entries = [("captured", f"Captured from {shop.channel_code} as {ext}; allocated.", "order")]
    if later:
        entries.append((status, f"Order {status}.", later))
    for kind, message, event in entries:
        moment = at["created"] if kind == "captured" else at["done"]
        payload = json.dumps({"order_id": oid, "status": status, **summary})
        rows["orders_ordertimelineentry"].append(
            (_take(shop, "orders_ordertimelineentry"), oid, kind, message, ACTOR, payload, moment)
        )
        name = "order.captured" if kind == "captured" else event
        rows["events_outboxevent"].append(
            (_take(shop, "events_outboxevent"), name, "order", oid, payload, moment,
             moment, 1, "", False, "", "")
        )  # fmt: skip


def _order(shop: Shop, rows, index: int, created: datetime, context: dict, rng) -> None:
    oid, ext = _take(shop, "orders_order"), f"PRE-{index:08d}"
    status = _status(created, context["end"], rng)
    count = 2 if rng.random() < 0.3 and len(shop.pairs) > 1 else 1
    pairs = rng.sample(shop.pairs, count)
    done = created + timedelta(hours=rng.randint(2, 72)) if status != "allocated" else None
    at = {"created": when(created), "done": when(min(done, context["end"])) if done else None}
    subtotal, placed = _lines(shop, rows, oid, status, pairs, rng)
    shipping = rng.randint(0, 4_000)
    grand = f"{(subtotal + shipping) / 100:.2f}"
    customer = context["first_customer"] + rng.randrange(context["customers"])
    rows["orders_order"].append(
        (oid, shop.channel_id, ext, status, 1, shop.currency,
         f"buyer{customer:08d}@example.com.br", "", ADDRESS, "ship", f"{subtotal / 100:.2f}",
         "0", "0", f"{shipping / 100:.2f}", "0", grand, "0" if status == "cancelled" else grand,
         "[]", json.dumps({"preloaded": index}), at["created"], at["created"],
         at["done"] or at["created"], customer,
         hashlib.sha256(ext.encode()).hexdigest())
    )  # fmt: skip
    by_location = {p.location_id: p for p in pairs}
    decision = _take(shop, "sourcing_sourcingdecision")
    assigned = {n: [(p.location_id, q)] for n, (_, p, q) in enumerate(placed)}
    rows["sourcing_sourcingdecision"].append(
        (decision, oid, "built-in", 1, "capture", "allocated", "fewest locations, then priority",
         f"Allocated: {len(by_location)} shipments.",
         _explanation(f"{shop.channel_code}:{ext}", assigned, list(by_location.values())),
         at["created"])
    )  # fmt: skip
    fulfillment = _fulfillment(shop, rows, oid, status, placed, at)
    summary = {"external_id": ext, "grand_total": grand, "fulfillment_orders": fulfillment}
    _history(shop, rows, oid, ext, status, summary, at)
    if created >= context["keys_from"]:
        rows["accounts_idempotencykey"].append(
            (_take(shop, "accounts_idempotencykey"), shop.caller, f"preload-{ext}",
             hashlib.sha256(ext.encode()).hexdigest(), "done", at["created"], 201,
             "application/json", json.dumps({"id": oid}).encode(), at["created"])
        )  # fmt: skip


def _write(cursor, table: str, rows: list) -> None:
    from django.db import connection

    if not rows:
        return
    names = ", ".join(f'"{name}"' for name in COLUMNS[table])
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in COLUMNS[table])
        cursor.cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def _customers(shop: Shop, cursor, count: int, created: datetime) -> int:
    first = shop.next_id["customers_customer"]
    stamp = when(created)
    for start in range(0, count, CHUNK):
        rows = [
            (first + n, f"buyer{first + n:08d}@example.com.br", "", "", "", "[]", stamp)
            for n in range(start, min(count, start + CHUNK))
        ]
        _write(cursor, "customers_customer", rows)
    shop.next_id["customers_customer"] = first + count
    return first


def _balances(shop: Shop, cursor, now: datetime) -> None:
    """The stock balances as the ledger rows just written leave them (shipped units left
    on-hand; open orders' units are committed)."""
    params = [
        (shop.shipped[key], shop.committed[key], when(now), key[0], key[1])
        for key in set(shop.shipped) | set(shop.committed)
    ]
    cursor.executemany(
        "UPDATE inventory_stockbalance SET on_hand = on_hand - %s, committed = committed + %s, "
        "updated_at = %s WHERE location_id = %s AND sku_id = %s",
        params,
    )


def _finish(cursor) -> None:
    """PostgreSQL: the id sequences past the loaded rows, and fresh statistics (as autovacuum
    leaves a database that has grown for a year)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    for table in COLUMNS:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )
    for table in [*COLUMNS, "inventory_stockbalance"]:
        cursor.execute(f'ANALYZE "{table}"')


def preload(*, token: str, orders: int, seed: int = 9, end: str | None = None) -> dict:
    """`orders` orders over the year before `end` (default now) in the shop's first channel,
    on its stocked pairs; their customers, decisions, fulfillment, ledger, timeline, outbox
    and recent Idempotency-Keys. Returns the rows written per table and the seconds taken."""
    from django.conf import settings
    from django.db import connection

    from ordino.core.transactions import use_case_atomic

    started = time.perf_counter()
    finish = datetime.fromisoformat(end) if end else datetime.now(UTC)
    shop, rng = _shop_read(token), random.Random(seed)
    context = {
        "end": finish,
        "customers": max(1, round(orders * CUSTOMERS_PER_ORDER)),
        "keys_from": finish - timedelta(hours=settings.ORDINO_IDEMPOTENCY_TTL_HOURS),
    }
    step = YEAR / max(1, orders)
    written: Counter = Counter()
    with use_case_atomic(), connection.cursor() as cursor:
        context["first_customer"] = _customers(shop, cursor, context["customers"], finish - YEAR)
        written["customers_customer"] = context["customers"]
        for start in range(0, orders, CHUNK):
            rows: dict[str, list] = defaultdict(list)
            for index in range(start, min(orders, start + CHUNK)):
                created = finish - YEAR + step * index + timedelta(seconds=rng.random())
                _order(shop, rows, index, created, context, rng)
            for table, table_rows in rows.items():
                _write(cursor, table, table_rows)
                written[table] += len(table_rows)
        _balances(shop, cursor, finish)
    with connection.cursor() as cursor:
        _finish(cursor)
    return {
        "orders": orders,
        "rows": dict(sorted(written.items())),
        "seconds": round(time.perf_counter() - started, 1),
    }


__all__ = ["COLUMNS", "preload"]
