"""Availability reads: p50/p99 of `availability_for_sku` (one SKU, every location) and of
`availability_bulk` (1,000 SKUs) over SKUs × locations balances, next to the same reads written
directly in SQL on the same connection; and the same two reads over HTTP (GET one SKU, POST
1,000), Ordino's WSGI application next to a bare WSGI app on the bare driver
(availability_http.py). Run by bench.run; the functions run inside Django."""

from __future__ import annotations

import json
import random
import statistics
import time

from bench.ingest.clients import percentile


def setup(*, skus: int, locations: int) -> dict:
    from bench.loading import bulk_load, catalog_load
    from ordino.inventory.models import StockBalance

    ids = catalog_load(skus=skus, locations=locations)
    first = ids["first_sku"]
    rng = random.Random(3)
    bulk_load(
        StockBalance,
        ["location_id", "sku_id", "on_hand", "committed"],
        (
            (loc, first + i, on_hand, rng.randint(0, on_hand))
            for loc in ids["location_ids"]
            for i in range(skus)
            for on_hand in (rng.randint(0, 40),)
        ),
    )
    return {"balances": skus * locations}


SINGLE_SQL = (
    "SELECT l.code, b.on_hand, b.committed, b.safety_stock, b.unavailable, b.incoming "
    "FROM inventory_stockbalance b JOIN locations_location l ON l.id = b.location_id "
    "WHERE b.sku_id = (SELECT id FROM catalog_sku WHERE code = %s) AND l.is_active "
    "ORDER BY l.priority, l.id"
)
BULK_SQL = (
    "SELECT s.code, l.code, "
    "CASE WHEN b.on_hand - b.committed - b.safety_stock - b.unavailable > 0 "
    "THEN b.on_hand - b.committed - b.safety_stock - b.unavailable ELSE 0 END "
    "FROM inventory_stockbalance b JOIN catalog_sku s ON s.id = b.sku_id "
    "JOIN locations_location l ON l.id = b.location_id "
    "WHERE s.code IN ({}) AND l.is_active"
)


def measure(*, skus: int, rounds: int, samples: int, bulk_samples: int) -> dict:
    """Per round, one after the other on the same picks (read once untimed first): the selectors
    and their direct SQL on the same connection, then the HTTP answers and the bare WSGI app's
    (availability_http.py)."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from bench.availability_http import bare_app, bare_connect, environ_make, wsgi_call
    from ordino.accounts.services import token_create
    from ordino.inventory.selectors import availability_bulk, availability_for_sku

    rng = random.Random(11)
    codes = [f"S{i:07d}" for i in range(1, skus + 1)]
    bulk_n = min(1000, skus)
    token = token_create(name="bench-availability", scopes="inventory:read").secret
    ordino_app = get_wsgi_application()
    bare_conn, placeholder = bare_connect(connection.settings_dict)
    floor_app = bare_app(bare_conn, placeholder)

    def raw_single(code: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(SINGLE_SQL, [code])
            rows = cursor.fetchall()
        sum(max(0, r[1] - r[2] - r[3] - r[4]) for r in rows)

    def raw_bulk(chosen: list[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(BULK_SQL.format(", ".join(["%s"] * len(chosen))), chosen)
            cursor.fetchall()

    def get(app, code: str) -> None:
        wsgi_call(app, environ_make("GET", f"/api/v1/inventory/availability/{code}", token=token))

    def post(app, chosen: list[str]) -> None:
        body = json.dumps({"skus": chosen}).encode()
        path = "/api/v1/inventory/availability/bulk"
        wsgi_call(app, environ_make("POST", path, token=token, body=body))

    sides = {
        "single": (lambda c: availability_for_sku(sku_code=c), raw_single, "single"),
        "bulk": (lambda cs: availability_bulk(sku_codes=cs), raw_bulk, "bulk"),
        "http_single": (lambda c: get(ordino_app, c), lambda c: get(floor_app, c), "single"),
        "http_bulk": (lambda cs: post(ordino_app, cs), lambda cs: post(floor_app, cs), "bulk"),
    }
    for name in sides:  # untimed: caches, connections, the token's last use
        ordino, raw, kind = sides[name]
        for fn in (ordino, raw):
            fn(codes[0] if kind == "single" else codes[:bulk_n])
    series = {name: ([], []) for name in sides}
    ratios: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        picks = [(rng.choice(codes),) for _ in range(samples)]
        batches = [(rng.sample(codes, bulk_n),) for _ in range(bulk_samples)]
        # Untimed, the round's SKUs read once: both sides then read pages already in memory.
        # Otherwise whichever side goes first pays for bringing them in (at 5,000,000 balances
        # on PostgreSQL that alone halved the one-SKU ratio).
        _timed(raw_single, picks)
        _timed(raw_bulk, batches)
        line = []
        for name, (ordino, raw, kind) in sides.items():
            args_list = picks if kind == "single" else batches
            a, b = _timed(ordino, args_list), _timed(raw, args_list)
            series[name][0].extend(a)
            series[name][1].extend(b)
            ratios[name].append(statistics.median(b) / statistics.median(a))
            line.append(
                f"{name} p50 {statistics.median(a):.2f} ms (raw {statistics.median(b):.2f})"
            )
        print("  " + "  ".join(line), flush=True)
    bare_conn.close()
    result = {
        name: {
            "ordino": _figures(series[name][0]),
            "raw": _figures(series[name][1]),
            "ratio_median": round(statistics.median(ratios[name]), 3),
            "ratios": [round(r, 3) for r in ratios[name]],
        }
        for name in sides
    }
    result["bulk"]["skus_per_call"] = result["http_bulk"]["skus_per_call"] = bulk_n
    return result


def _timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        t0 = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _figures(values: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(values, 50), 3),
        "p99_ms": round(percentile(values, 99), 3),
        "n": len(values),
    }
