"""Bulk stock feed: rows/s applying a stock file through `stock_feed_apply`, next to the
database's own bulk load of the same file (COPY on PostgreSQL; executemany inserts in one
transaction on SQLite). Run by bench.run; the functions below run inside Django."""

from __future__ import annotations

import csv
import random
import resource
import statistics
import time
from pathlib import Path


def setup(*, skus: int, locations: int) -> dict:
    """SKUs × locations balances with stock (every pair), loaded raw."""
    from bench.loading import bulk_load, catalog_load
    from ordino.inventory.models import StockBalance

    ids = catalog_load(skus=skus, locations=locations)
    first = ids["first_sku"]
    rng = random.Random(7)
    bulk_load(
        StockBalance,
        ["location_id", "sku_id", "on_hand"],
        ((loc, first + i, rng.randint(0, 50)) for loc in ids["location_ids"] for i in range(skus)),
    )
    return {"balances": skus * locations}


def file_write(path: str, *, skus: int, locations: int, seed: int) -> int:
    """A feed of every (location, SKU) pair with fresh counts (most rows change)."""
    rng = random.Random(seed)
    rows = 0
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["location", "sku", "quantity"])
        for n in range(1, locations + 1):
            for i in range(1, skus + 1):
                out.writerow([f"L{n:03d}", f"S{i:07d}", rng.randint(0, 60)])
                rows += 1
    return rows


def raw_load(path: str) -> float:
    """The database's own bulk load of the file into a scratch table; seconds."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_feed_raw")
        cursor.execute(
            "CREATE TABLE bench_feed_raw (location varchar(64), sku varchar(64), quantity integer)"
        )
        if connection.vendor == "postgresql":
            with (
                open(path, "rb") as handle,
                cursor.cursor.copy(
                    "COPY bench_feed_raw FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
            ):
                while data := handle.read(1 << 20):
                    copy.write(data)
        else:
            with open(path, newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                cursor.cursor.executemany("INSERT INTO bench_feed_raw VALUES (?, ?, ?)", reader)
    return time.perf_counter() - started


def measure(*, workdir: str, skus: int, locations: int, rounds: int) -> dict:
    from ordino.inventory.feed import stock_feed_apply

    rows_per_file = skus * locations
    ordino, raw, ratios, feeds = [], [], [], []
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for rnd in range(rounds):
        path = str(Path(workdir) / f"feed-{rnd}.csv")
        file_write(path, skus=skus, locations=locations, seed=100 + rnd)
        started = time.perf_counter()
        feed = stock_feed_apply(rows_or_file=path, actor="bench")
        seconds = time.perf_counter() - started
        if rnd == 0:  # before any raw load: SQLite's big executemany transaction takes more
            feed_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        raw_seconds = raw_load(path)
        ordino.append(rows_per_file / seconds)
        raw.append(rows_per_file / raw_seconds)
        ratios.append(ordino[-1] / raw[-1])
        feeds.append(
            {"applied": feed.applied, "unchanged": feed.unchanged, "refused": feed.refused}
        )
        print(
            f"  round {rnd + 1}: feed {ordino[-1]:,.0f} rows/s, raw load {raw[-1]:,.0f} rows/s",
            flush=True,
        )
        Path(path).unlink()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": rows_per_file,
        "ordino_rows_per_s": round(statistics.median(ordino)),
        "raw_rows_per_s": round(statistics.median(raw)),
        "ratio_median": round(statistics.median(ratios), 4),
        "ratios": [round(r, 4) for r in ratios],
        "rounds": [
            {"ordino_rows_per_s": round(o), "raw_rows_per_s": round(r), **f}
            for o, r, f in zip(ordino, raw, feeds, strict=True)
        ],
        "peak_rss_mb": round(feed_rss / 1024, 1),  # the process, through the first feed
        "rss_before_mb": round(rss_before / 1024, 1),
        "peak_rss_with_raw_mb": round(rss_after / 1024, 1),
    }
