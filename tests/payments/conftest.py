from __future__ import annotations

import pytest

from ordino.events.relay import outbox_dispatch
from ordino.wiring import SUBSCRIBERS
from tests.factories import order_body, stock

SHIP = {"carrier": "DHL", "service": "parcel", "tracking_numbers": ["JD0001"]}


def work() -> None:
    """The worker: deliver the outbox until it is empty, no subscriber failing."""
    for _ in range(10):
        delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
        assert failed == 0
        if not delivered:
            return


def card(token: str = "tok_approve", **extra) -> dict:
    return {"method": "card", "provider": "test", "token": token, **extra}


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    return shop


@pytest.fixture
def paid(api, stocked):
    """Two tees at 19.99 and a mug at 9.50 (49.48 EUR), paid by a test card, authorized."""
    body = api.post("/orders", order_body(payments=[card()])).json()
    work()
    return body["id"], body["fulfillment_orders"][0]["id"]
