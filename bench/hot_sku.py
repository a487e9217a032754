"""Hot SKU: 16 clients contesting one SKU over HTTP (orders/s against the same clients each
ordering their own SKU: the uncontested run), then a sell-out of a fixed stock: oversold units
(must be 0) and sold + left = stock. Run by bench.run; `setup` and `sellout_check` run inside
Django."""

from __future__ import annotations

import statistics

HOT = "HOT"
SELL = "SELL"
PLENTY = 1_000_000


def setup(*, own_skus: int, sell_stock: int) -> dict:
    from ordino.accounts.services import token_create
    from ordino.catalog.models import Product, Sku
    from ordino.channels.models import Channel
    from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Movement
    from ordino.inventory.ledger import LedgerContext, movements_apply
    from ordino.locations.models import Location

    Channel.objects.create(code="web", name="web", kind="web", currency="EUR")
    wh = Location.objects.create(code="WH1", name="WH1", country="DE", ships=True, priority=1)
    codes = [HOT, SELL, *(f"OWN{i:02d}" for i in range(own_skus))]
    movements = []
    for code in codes:
        product = Product.objects.create(code=f"P-{code}", name=code)
        sku = Sku.objects.create(product=product, code=code, name=code, weight_grams=500)
        units = sell_stock if code == SELL else PLENTY
        movements.append(Movement(wh.pk, sku.pk, EXTERNAL, AVAILABLE, units))
    movements_apply(movements, context=LedgerContext(reason="receive", actor="bench"))
    return {"token": token_create(name="bench", scopes="*").secret}


def body(external_id: str, sku: str) -> dict:
    return {
        "channel": "web",
        "external_id": external_id,
        "currency": "EUR",
        "customer": {"email": "hot@example.com", "first_name": "Hot", "last_name": "Sku"},
        "shipping_address": {
            "name": "Hot Sku",
            "line1": "Unter den Linden 1",
            "city": "Berlin",
            "postal_code": "10117",
            "country": "DE",
        },
        "lines": [{"sku": sku, "quantity": 1, "unit_price": "10.00"}],
    }


def sellout_check(*, stock: int) -> dict:
    from django.db.models import Sum

    from ordino.inventory.models import StockBalance
    from ordino.orders.models import OrderLine

    b = StockBalance.objects.get(sku__code=SELL)
    lines = OrderLine.objects.filter(sku_code=SELL).aggregate(
        allocated=Sum("quantity_allocated"),
        shipped=Sum("quantity_shipped"),
        backordered=Sum("quantity_backordered"),
        ordered=Sum("quantity_ordered"),
    )
    sold = (lines["allocated"] or 0) + (lines["shipped"] or 0)
    left = b.on_hand - b.committed - b.safety_stock - b.unavailable
    return {
        "stock": stock,
        "ordered": lines["ordered"] or 0,
        "sold": sold,
        "backordered": lines["backordered"] or 0,
        "left": left,
        "committed": b.committed,
        "oversold": max(0, b.committed + b.unavailable - b.on_hand) + max(0, sold - stock),
        "sold_plus_left_equals_stock": sold + left == stock,
        "committed_equals_sold": b.committed == sold,
    }


def run(db, *, orders: int, clients: int, rounds: int, sell_stock: int, workdir) -> dict:
    """Against a LiveDatabase: start the server, alternate contested / uncontested runs, then
    sell out."""
    from bench.ingest.clients import http_run
    from tests.concurrency.live import django_call, server

    shop = django_call(db, "bench.hot_sku:setup", own_skus=clients, sell_stock=sell_stock)
    token = shop["token"]
    contested, uncontested, ratios = [], [], []
    with server(db, workers=2, log=workdir / f"{db.kind}-hot-server.log") as url:
        for rnd in range(rounds):
            hot = [body(f"H{rnd}-{i}", HOT) for i in range(orders)]
            own = [body(f"U{rnd}-{i}", f"OWN{i % clients:02d}") for i in range(orders)]
            a = http_run(url, token, hot, clients)
            b = http_run(url, token, own, clients)
            for f in (a, b):
                f.pop("latencies")
            contested.append(a)
            uncontested.append(b)
            ratios.append(a["orders_per_s"] / b["orders_per_s"])
            print(
                f"  round {rnd + 1}: one SKU {a['orders_per_s']:.1f} orders/s, own SKUs "
                f"{b['orders_per_s']:.1f} orders/s, ratio {ratios[-1]:.3f} "
                f"statuses {a['statuses']} / {b['statuses']}",
                flush=True,
            )
        sell = [body(f"S-{i}", SELL) for i in range(sell_stock + sell_stock // 2)]
        sellout = http_run(url, token, sell, clients)
        sellout.pop("latencies")
    check = django_call(db, "bench.hot_sku:sellout_check", stock=sell_stock)
    print(f"  sell-out: {check}", flush=True)
    return {
        "clients": clients,
        "orders_per_run": orders,
        "contested_orders_per_s": round(statistics.median(x["orders_per_s"] for x in contested), 1),
        "uncontested_orders_per_s": round(
            statistics.median(x["orders_per_s"] for x in uncontested), 1
        ),
        "ratio_median": round(statistics.median(ratios), 3),
        "ratios": [round(r, 3) for r in ratios],
        "contested_p99_ms": statistics.median(x["p99_ms"] for x in contested),
        "uncontested_p99_ms": statistics.median(x["p99_ms"] for x in uncontested),
        "sellout": {**check, "orders_per_s": sellout["orders_per_s"],
                    "statuses": sellout["statuses"]},
    }  # fmt: skip
