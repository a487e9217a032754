"""Plain functions that make test data. Each returns saved objects with sensible defaults."""

from __future__ import annotations

import itertools

from ordino.accounts.services import token_create
from ordino.catalog.models import KitComponent, Product, Sku
from ordino.channels.models import Channel
from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from ordino.locations.models import Location

_seq = itertools.count(1)


def make_sku(code: str | None = None, *, weight_grams: int = 500, tags=None) -> Sku:
    n = next(_seq)
    code = code or f"SKU-{n}"
    product = Product.objects.create(code=f"P-{code}", name=f"Product {code}")
    return Sku.objects.create(
        product=product, code=code, name=f"Item {code}", weight_grams=weight_grams, tags=tags or []
    )


def make_kit(code: str, components: list[tuple[Sku, int]]) -> Sku:
    product = Product.objects.create(code=f"P-{code}", name=f"Kit {code}")
    kit = Sku.objects.create(product=product, code=code, kind=Sku.KIT)
    for component, qty in components:
        KitComponent.objects.create(kit=kit, component=component, quantity=qty)
    return kit


def make_location(
    code: str | None = None, *, kind: str = Location.WAREHOUSE, priority: int = 100, **extra
) -> Location:
    n = next(_seq)
    code = code or f"LOC-{n}"
    defaults = {"name": f"Location {code}", "country": "DE", "ships": True}
    if kind == Location.STORE:
        defaults["pickup"] = True
    defaults.update(extra)
    return Location.objects.create(code=code, kind=kind, priority=priority, **defaults)


def make_channel(
    code: str = "web", *, currency: str = "EUR", kind: str = "web", **extra
) -> Channel:
    return Channel.objects.create(
        code=code, name=f"Channel {code}", kind=kind, currency=currency, **extra
    )


def make_token(scopes: str = "*", name: str = "test", **restrictions) -> str:
    return token_create(name=name, scopes=scopes, **restrictions).secret


def auth(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def stock(location, sku, quantity: int) -> None:
    """Receive `quantity` units through the ledger, as a real receipt would."""
    movements_apply(
        [Movement(location.pk, sku.pk, EXTERNAL, AVAILABLE, quantity)],
        context=LedgerContext(reason="receive", actor="test"),
    )


def order_body(external_id: str = "W-1", lines=None, **extra) -> dict:
    body = {
        "channel": "web",
        "external_id": external_id,
        "currency": "EUR",
        "customer": {"email": "Ada@Example.com", "first_name": "Ada", "last_name": "Lovelace"},
        "shipping_address": {
            "name": "Ada Lovelace",
            "line1": "Unter den Linden 1",
            "city": "Berlin",
            "postal_code": "10117",
            "country": "DE",
        },
        "lines": lines
        or [
            {"sku": "TEE", "quantity": 2, "unit_price": "19.99"},
            {"sku": "MUG", "quantity": 1, "unit_price": "9.50"},
        ],
    }
    body.update(extra)
    return body
