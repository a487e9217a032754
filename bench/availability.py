"""Availability reads: p50/p99 of `availability_for_sku` (one SKU, every location) and of
`availability_bulk` (1,000 SKUs) over SKUs × locations balances, next to the same reads written
directly in SQL on the same connection. Run by bench.run; the functions run inside Django."""

from __future__ import annotations

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
    from django.db import connection

    from ordino.inventory.selectors import availability_bulk, availability_for_sku

    rng = random.Random(11)
    codes = [f"S{i:07d}" for i in range(1, skus + 1)]
    bulk_n = min(1000, skus)

    def raw_single(code: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(SINGLE_SQL, [code])
            rows = cursor.fetchall()
        sum(max(0, r[1] - r[2] - r[3] - r[4]) for r in rows)

    def raw_bulk(chosen: list[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(BULK_SQL.format(", ".join(["%s"] * len(chosen))), chosen)
            cursor.fetchall()

    def timed(fn, args_list) -> list[float]:
        out = []
        for args in args_list:
            t0 = time.perf_counter()
            fn(*args)
            out.append((time.perf_counter() - t0) * 1000)
        return out

    series: dict[str, list[float]] = {"single": [], "single_raw": [], "bulk": [], "bulk_raw": []}
    ratios: dict[str, list[float]] = {"single": [], "bulk": []}
    for _ in range(rounds):
        picks = [(rng.choice(codes),) for _ in range(samples)]
        a = timed(lambda c: availability_for_sku(sku_code=c), picks)
        b = timed(raw_single, picks)
        batches = [(rng.sample(codes, bulk_n),) for _ in range(bulk_samples)]
        c = timed(lambda cs: availability_bulk(sku_codes=cs), batches)
        d = timed(raw_bulk, batches)
        series["single"] += a
        series["single_raw"] += b
        series["bulk"] += c
        series["bulk_raw"] += d
        ratios["single"].append(statistics.median(b) / statistics.median(a))
        ratios["bulk"].append(statistics.median(d) / statistics.median(c))
        print(
            f"  single p50 {statistics.median(a):.2f} ms (raw {statistics.median(b):.2f})"
            f"  bulk p50 {statistics.median(c):.1f} ms (raw {statistics.median(d):.1f})",
            flush=True,
        )

    def fig(values: list[float]) -> dict:
        return {
            "p50_ms": round(percentile(values, 50), 3),
            "p99_ms": round(percentile(values, 99), 3),
            "n": len(values),
        }

    return {
        "single": {
            "ordino": fig(series["single"]),
            "raw": fig(series["single_raw"]),
            "ratio_median": round(statistics.median(ratios["single"]), 3),
            "ratios": [round(r, 3) for r in ratios["single"]],
        },
        "bulk": {
            "skus_per_call": bulk_n,
            "ordino": fig(series["bulk"]),
            "raw": fig(series["bulk_raw"]),
            "ratio_median": round(statistics.median(ratios["bulk"]), 3),
            "ratios": [round(r, 3) for r in ratios["bulk"]],
        },
    }
