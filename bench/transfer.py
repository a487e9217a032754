"""Imports: rows/s of an orders file through `ordino transfer import` (dry run, then import,
then the same file again: all replays), after the products and stock files that make its SKUs.
Prints figures; never fails on a time (bench/README.md).

    .venv/bin/python -m bench.transfer [--orders 500] [--lines 2]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ordino_bench .venv/bin/python -m bench.transfer

Without DATABASE_URL it runs on a throwaway SQLite file; with one it migrates that database
(use an empty scratch database: the bench creates a channel, a location and SKUs in it).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from decimal import Decimal


def _files(orders: int, lines: int, skus: int) -> dict[str, bytes]:
    rng = random.Random(7)
    products = ["product_code,product_name,sku,sku_name"]
    products += [f"P{i},Product {i},S{i},Item {i}" for i in range(skus)]
    stock = ["location,sku,on_hand"] + [f"WH,S{i},1000000" for i in range(skus)]
    rows = ["channel,external_id,currency,placed_at,email,ship_line1,ship_city,ship_country,"
            "sku,quantity,unit_price"]  # fmt: skip
    for n in range(orders):
        for line in rng.sample(range(skus), lines):
            price = Decimal(rng.randint(100, 9999)).scaleb(-2)
            rows.append(f"bench,B-{n},EUR,2026-03-01T10:00:00Z,b{n}@example.com,1 Main St,Berlin,"
                        f"DE,S{line},{rng.randint(1, 3)},{price}")  # fmt: skip
    return {k: ("\n".join(v) + "\n").encode() for k, v in
            (("products", products), ("stock", stock), ("orders", rows))}  # fmt: skip


def _timed(kind: str, data: bytes, *, dry_run: bool = False) -> tuple[float, object]:
    from ordino.transfer.services import import_run

    started = time.perf_counter()
    job = import_run(kind=kind, handle=io.BytesIO(data), file_name=f"{kind}.csv",
                     actor="bench", dry_run=dry_run)  # fmt: skip
    return time.perf_counter() - started, job


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--lines", type=int, default=2)
    parser.add_argument("--skus", type=int, default=200)
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="ordino-bench-transfer-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordino.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    from ordino.channels.services import channel_create
    from ordino.locations.services import location_create

    channel_create(code="bench", name="Bench", kind="web", currency="EUR")
    location_create(code="WH", name="Warehouse", country="DE")
    files = _files(args.orders, args.lines, args.skus)
    rows = args.orders * args.lines
    print(f"{connection.vendor}: {args.orders} orders × {args.lines} lines = {rows} rows")
    for kind in ("products", "stock"):
        seconds, job = _timed(kind, files[kind])
        print(f"  {kind:<22} {job.status:<8} {job.rows_total / seconds:8.0f} rows/s")
    for label, dry in (("orders (dry run)", True), ("orders (import)", False),
                       ("orders (again: replays)", False)):  # fmt: skip
        seconds, job = _timed("orders", files["orders"], dry_run=dry)
        print(f"  {label:<22} {job.status:<8} {rows / seconds:8.0f} rows/s "
              f"{args.orders / seconds:7.0f} orders/s  created {job.created}, "
              f"existing {job.existing}")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
