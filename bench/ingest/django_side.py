"""Steps run inside Ordino (Django set up against the bench database, in a child process via
tests.concurrency.live.django_call): load the shop, and count the SQL statements of a capture."""

from __future__ import annotations

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ordino.accounts.services import token_create
from ordino.catalog.models import Product, Sku
from ordino.channels.models import Channel
from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.locations.models import Location
from ordino.orders.schemas import OrderCreateIn
from ordino.orders.services import order_capture


def shop_load(*, skus: list[str], locations: list[str], stock: list[list], units: int) -> dict:
    """A BRL marketplace channel, sellers as locations, products as SKUs, `units` of stock of
    every (location, SKU) pair the mix sells."""
    Channel.objects.create(
        code="olist", name="Olist marketplace", kind="marketplace", currency="BRL"
    )
    loc_ids = {
        code: Location.objects.create(
            code=code, name=code, kind=Location.WAREHOUSE, country="BR", ships=True
        ).pk
        for code in locations
    }
    Product.objects.bulk_create([Product(code=f"P-{c}", name=c) for c in skus])
    products = dict(Product.objects.values_list("code", "id"))
    Sku.objects.bulk_create(
        [Sku(product_id=products[f"P-{c}"], code=c, name=c, weight_grams=500) for c in skus]
    )
    sku_ids = dict(Sku.objects.values_list("code", "id"))
    movements_apply(
        [Movement(loc_ids[loc], sku_ids[sku], EXTERNAL, AVAILABLE, units) for loc, sku in stock],
        context=LedgerContext(reason="receive", actor="bench", reference="bench-seed"),
    )
    return {"token": token_create(name="bench", scopes="*").secret}


def _summary(queries: list[dict]) -> dict:
    kinds: dict[str, int] = {}
    for q in queries:
        word = q["sql"].split(None, 1)[0].upper() if q["sql"].strip() else "?"
        kinds[word] = kinds.get(word, 0) + 1
    control = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}
    return {
        "count": len(queries),
        "without_begin_commit": sum(n for k, n in kinds.items() if k not in control),
        "by_kind": kinds,
        "statements": [q["sql"][:160] for q in queries],
    }


def statements_count(
    *, token: str, warmup_order: dict, service_order: dict, http_order: dict
) -> dict:
    """SQL statements of one capture: the service alone, and the whole HTTP request (token
    auth, Idempotency-Key claim and completion, transaction, serialisation)."""
    warmup = OrderCreateIn(**warmup_order).command()
    order_capture(command=warmup, actor="bench")  # caches, connection
    command = OrderCreateIn(**service_order).command()
    with CaptureQueriesContext(connection) as service:
        result = order_capture(command=command, actor="bench")
    assert not result.replayed
    client = Client()
    with CaptureQueriesContext(connection) as http:
        response = client.post(
            "/api/v1/orders",
            data=json.dumps(http_order),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY="bench-statements-" + http_order["external_id"],
        )
    assert response.status_code == 201, response.content
    return {
        "service": _summary(service.captured_queries),
        "http": _summary(http.captured_queries),
        "lines": len(command.lines),
    }
