"""The console's order page under a large order: 500 timeline entries, 20 fulfillment orders
(each with a line and a shipment), 20 change records and a sourcing decision. Prints the server
time of one page (the view, rendered, through Django's test client as a superuser) and the
number of SQL statements it issued. The aim (issue 14): < 300 ms with ≤ 25 statements; the
statement count is held by tests/perf/test_order_page_queries.py, the time only printed here.

Run alone: `python -m bench.console_order_page [--db sqlite|postgres|both] [--rounds N]`, or in
the suite: `python -m bench.run --only console_order_page`. The functions `setup` and `measure`
run inside Django (tests.concurrency.live.django_call)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

TIMELINE = 500
FULFILLMENT_ORDERS = 20
CHANGES = 20
AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def big_order_make(
    *, timeline: int = TIMELINE, fulfillment_orders: int = FULFILLMENT_ORDERS
) -> int:
    """An order with `fulfillment_orders` lines, each placed at its own location and shipped
    with DHL, `timeline` timeline rows (every tenth a comment), change records and one sourcing
    decision. Written straight into the tables (the page only reads them). Returns its id."""
    from ordino.catalog.models import Product, Sku
    from ordino.channels.models import Channel
    from ordino.customers.models import Customer
    from ordino.locations.models import Location
    from ordino.orders.models import Order, OrderLine

    channel = Channel.objects.get_or_create(
        code="bench-web", defaults={"name": "Web shop", "kind": "web", "currency": "EUR"}
    )[0]
    customer = Customer.objects.create(email="big@example.com", first_name="Big", last_name="Order")
    n = fulfillment_orders
    locations = Location.objects.bulk_create(
        Location(code=f"BENCH-{i:02d}", name=f"Store {i}", kind="store", country="FR")
        for i in range(n)
    )
    product = Product.objects.create(code="BENCH-P", name="Bench product")
    skus = Sku.objects.bulk_create(
        Sku(product=product, code=f"BENCH-{i:02d}", name=f"Item {i}") for i in range(n)
    )
    price = Decimal("10.000")
    order = Order.objects.create(
        channel=channel, external_id=f"BIG-{Order.objects.count() + 1}", status="shipped",
        currency="EUR", customer=customer, email=customer.email,
        shipping_address={"name": "Big Order", "line1": "Rue de la République 5",
                          "city": "Lyon", "postal_code": "69002", "country": "FR"},
        subtotal=price * n, discount_total=0, tax_total=0, shipping_price=0, shipping_tax=0,
        grand_total=price * n, current_total=price * n,
        placed_at=AT, created_at=AT, updated_at=AT,
    )  # fmt: skip
    lines = OrderLine.objects.bulk_create(
        OrderLine(order=order, line_no=i + 1, sku=sku, sku_code=sku.code, name=sku.name,
                  quantity_ordered=1, quantity_shipped=1, unit_price=price, line_discount=0,
                  order_discount=0, tax=0, total=price)
        for i, sku in enumerate(skus)
    )  # fmt: skip
    _fulfillment_make(order, lines, locations)
    _history_make(order, locations, timeline)
    return order.pk


def _fulfillment_make(order, lines, locations) -> None:
    from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment

    fos = FulfillmentOrder.objects.bulk_create(
        FulfillmentOrder(order=order, location=loc, status="shipped", delivery_method="ship",
                         created_at=AT, updated_at=AT, shipped_at=AT)
        for loc in locations
    )  # fmt: skip
    FulfillmentLine.objects.bulk_create(
        FulfillmentLine(fulfillment_order=fo, order_line=line, components={str(line.sku_id): 1},
                        quantity=1, quantity_shipped=1)
        for fo, line in zip(fos, lines, strict=True)
    )  # fmt: skip
    Shipment.objects.bulk_create(
        Shipment(fulfillment_order=fo, carrier="DHL", tracking_numbers=[f"JD{fo.pk:012d}"],
                 lines=[{"line_no": line.line_no, "quantity": 1}], shipped_at=AT)
        for fo, line in zip(fos, lines, strict=True)
    )  # fmt: skip


def _history_make(order, locations, timeline: int) -> None:
    from ordino.orders.models import OrderChange, OrderTimelineEntry
    from ordino.sourcing.models import SourcingDecision

    OrderTimelineEntry.objects.bulk_create(
        OrderTimelineEntry(
            order=order, kind="comment" if i % 10 == 0 else "shipped",
            message=f"Entry {i}: shipped 1 item from {locations[i % len(locations)].code}.",
            actor="user:bench", created_at=AT + timedelta(minutes=i),
        )
        for i in range(timeline)
    )  # fmt: skip
    OrderChange.objects.bulk_create(
        OrderChange(order=order, kind="edit", version=i + 2, amount_delta=0, reason="bench",
                    actor="user:bench", created_at=AT)
        for i in range(CHANGES)
    )  # fmt: skip
    assignments = {str(i): [{"location_id": loc.pk, "quantity": 1}] for i, loc in
                   enumerate(locations)}  # fmt: skip
    candidates = [{"code": loc.code, "kept": True, "reason": f"{loc.code} has the item"}
                  for loc in locations]  # fmt: skip
    SourcingDecision.objects.create(
        order=order, profile_code="default", version_number=0, outcome="allocated",
        strategy="nearest", summary=f"{len(locations)} shipments from {locations[0].code} on.",
        explanation={"assignments": assignments, "explanation": {"strategies": [
            {"name": "nearest", "matched": True, "candidates": candidates}]}},
        created_at=AT,
    )  # fmt: skip


def setup() -> dict:
    return {"order_id": big_order_make()}


def measure(*, order_id: int, rounds: int) -> dict:
    """Render the page `rounds` times (after one warm-up) as a signed-in superuser."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User.objects.filter(username="bench-boss").delete()
    boss = User.objects.create_superuser("bench-boss", "boss@example.com", "bench-pw-long-1")
    client = Client()
    client.force_login(boss)
    url = f"/admin/orders/{order_id}/"
    assert client.get(url).status_code == 200  # warm-up: templates, permissions cache
    times, counts = [], []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t0)
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    return {
        "timeline": TIMELINE,
        "fulfillment_orders": FULFILLMENT_ORDERS,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "queries": max(counts),
        "bytes": len(response.content),
    }


def run(kind: str, rounds: int, workdir: Path) -> dict:
    """Both steps on a fresh database of `kind` (bench.run's workload `console_order_page`)."""
    from bench.run import _fresh
    from tests.concurrency.live import django_call

    db = _fresh(kind, workdir)
    try:
        loaded = django_call(db, "bench.console_order_page:setup")
        result = django_call(db, "bench.console_order_page:measure", rounds=rounds, **loaded)
        print(
            f"  {kind}: order page with {TIMELINE} timeline entries and {FULFILLMENT_ORDERS} "
            f"fulfillment orders: median {result['median_ms']} ms, max {result['max_ms']} ms, "
            f"{result['queries']} SQL statements",
            flush=True,
        )
        return result
    finally:
        db.drop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.console_order_page")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="ordino-orderpage-") as tmp:
        for kind in kinds:
            run(kind, args.rounds, Path(tmp) / kind)
    return 0


if __name__ == "__main__":
    sys.exit(main())
