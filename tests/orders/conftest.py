from __future__ import annotations

import pytest

from ordino.inventory.domain.ledger import AVAILABLE, EXTERNAL, Movement
from ordino.inventory.ledger import LedgerContext, movements_apply
from tests.factories import make_channel, make_location, make_sku


def stock(location, sku, quantity: int) -> None:
    """Receive `quantity` units through the ledger, as a real receipt would."""
    movements_apply(
        [Movement(location.pk, sku.pk, EXTERNAL, AVAILABLE, quantity)],
        context=LedgerContext(reason="receive", actor="test"),
    )


@pytest.fixture
def shop(db):
    """A web channel in EUR, two warehouses (WH-A first by priority) and a store, three SKUs."""
    channel = make_channel("web", currency="EUR")
    wh_a = make_location("WH-A", priority=10)
    wh_b = make_location("WH-B", priority=20)
    store = make_location("STORE-1", kind="store", priority=30)
    skus = {code: make_sku(code) for code in ("TEE", "MUG", "CAP")}
    return {"channel": channel, "wh_a": wh_a, "wh_b": wh_b, "store": store, **skus}


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
