"""Console lists: server time of the order list and of the global search (Ctrl+K) over N orders
loaded raw (bench.reports' loader, then e-mails, phones, postal codes and tracking numbers set
in SQL). Goal (issue 14): p95 < 200 ms on PostgreSQL over 1,000,000 orders.

`python -m bench.console_lists [--quick] [--db sqlite|postgres]`; also `bench.run --only
console_lists`. The functions `setup` and `measure` run inside Django (tests.concurrency.live)."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1_000_000, 20_000)  # full, quick
SAMPLES = 40


def setup(*, orders: int) -> dict:
    """bench.reports' orders, shipments and catalog, plus what a person searches by."""
    from django.db import connection

    from bench.reports import setup as reports_setup

    loaded = reports_setup(orders=orders)
    pg = connection.vendor == "postgresql"
    address = (
        "jsonb_build_object('line1', 'Rua 1', 'city', 'Lisboa', 'country', 'PT', "
        "'postal_code', lpad((id % 90000 + 10000)::text, 5, '0'))"
        if pg
        else "json_object('line1', 'Rua 1', 'city', 'Lisboa', 'country', 'PT', "
        "'postal_code', printf('%05d', id % 90000 + 10000))"
    )
    tracking = "jsonb_build_array('TR' || id::text)" if pg else "json_array('TR' || id)"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_order SET email = 'c' || id || '@example.com', "
            f"phone = '+3519' || (10000000 + id), shipping_address = {address}"
        )
        cursor.execute(f"UPDATE fulfillment_shipment SET tracking_numbers = {tracking}")
        if pg:
            cursor.execute("ANALYZE")
    return loaded


def _client():
    from django.contrib.auth.models import User
    from django.test import Client

    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.com", "bench-password-long"
    )
    client = Client()
    client.force_login(user)
    return client


def _timed(client, url: str, params: dict) -> float:
    from django.core.cache import cache

    cache.clear()  # unfold caches a search's answer: measure the search, not the cache
    t0 = time.perf_counter()
    response = client.get(url, params)
    elapsed = (time.perf_counter() - t0) * 1000
    assert response.status_code == 200, (url, params, response.status_code)
    return elapsed


def _figures(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
        "samples": len(ordered),
    }


def measure(*, samples: int = SAMPLES) -> dict:
    """p50/p95 of the order list (plain, filtered, searched) and of Ctrl+K's search."""
    from django.db import connection

    from ordino.fulfillment.models import Shipment
    from ordino.orders.models import Order

    client = _client()
    rng = random.Random(7)
    top = Order.objects.order_by("-id").values_list("id", flat=True).first()
    tracked = list(Shipment.objects.values_list("fulfillment_order__order_id", flat=True)[:5000])
    lists = "/admin/orders/order/"
    terms = {
        "order_number": lambda: str(rng.randint(1, top)),
        "email": lambda: f"c{rng.randint(1, top)}@example.com",
        "postal_code": lambda: f"{rng.randint(1, top) % 90000 + 10000:05d}",
        "tracking": lambda: f"tr{rng.choice(tracked)}",
        "customer_name": lambda: "ada",
    }
    cases = {
        "list": lambda: (lists, {}),
        "list_filtered": lambda: (lists, {"status": rng.choice(["shipped", "cancelled"])}),
        "list_searched": lambda: (lists, {"q": terms["postal_code"]()}),
    }
    for name, term in terms.items():
        cases[f"search_{name}"] = lambda term=term: ("/admin/search/", {"s": term(), "extended": 1})
    results = {}
    for name, case in cases.items():
        _timed(client, *case())  # warm
        results[name] = _figures([_timed(client, *case()) for _ in range(samples)])
    return {"vendor": connection.vendor, "orders": top, "figures": results}


def run(kind: str, quick: bool, workdir: Path, orders: int | None = None) -> dict:
    from bench.run import _fresh
    from tests.concurrency.live import django_call

    db = _fresh(kind, workdir / "console_lists")
    try:
        t0 = time.perf_counter()
        loaded = django_call(
            db, "bench.console_lists:setup", orders=orders or SIZES[1 if quick else 0]
        )
        print(f"  loaded {loaded} in {time.perf_counter() - t0:.0f} s", flush=True)
        result = django_call(db, "bench.console_lists:measure", samples=SAMPLES)
        return {"loaded": loaded, **result}
    finally:
        db.drop()


def print_figures(result: dict) -> None:
    print(f"  {result['orders']:,} orders on {result['vendor']}:")
    for name, f in result["figures"].items():
        goal = "ok" if f["p95_ms"] < 200 else "over 200 ms"
        print(f"    {name:<24} p50 {f['p50_ms']:>7} ms  p95 {f['p95_ms']:>7} ms  ({goal})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.console_lists", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{SIZES[1]:,} orders")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ordino-console-lists-") as tmp:
        print_figures(run(args.db, args.quick, Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
