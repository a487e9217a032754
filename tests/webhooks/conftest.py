from __future__ import annotations

import random

import pytest
from django.test import TestCase

from ordino.events.relay import outbox_dispatch
from ordino.events.services import event_emit
from ordino.orders.events import FulfillmentAccepted, FulfillmentPacked, OrderDelivered
from ordino.webhooks.services import delivery, endpoint_create, webhook_messages_create

URL = "https://hooks.example.com/ordino"
# The relay as the worker runs it, with only the webhooks' subscriber (the other subscribers of
# these events would need a real order).
ONLY_WEBHOOKS = {
    cls: [webhook_messages_create]
    for cls in (FulfillmentAccepted, FulfillmentPacked, OrderDelivered)
}


class NoJitter(random.Random):
    def uniform(self, a, b):
        return 0.0


@pytest.fixture(autouse=True)
def _no_jitter(monkeypatch):
    monkeypatch.setattr(delivery, "_rng", NoJitter())


@pytest.fixture
def endpoint(db):
    made = endpoint_create(
        url=URL, event_types_chosen=["fulfillment.accepted", "fulfillment.packed",
                                     "order.delivered"], description="ERP",
    )  # fmt: skip
    return made.endpoint


def emit(order_id: int, cls=FulfillmentAccepted) -> int:
    """An order event in the outbox (what a use case writes), relayed as the worker does."""
    row = event_emit(
        event=cls(order_id=order_id, status="accepted", details={"fulfillment_order_id": 1}),
        aggregate_id=order_id,
    )
    relay()
    return row.pk


def relay() -> None:
    """The relay's pass; its commit's callbacks (the delivery tasks) run as after a commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        outbox_dispatch(subscribers=ONLY_WEBHOOKS)
