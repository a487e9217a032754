"""Story 3: click & collect. An order to collect at a store is served from the store's own
shelves; the store puts it at the counter and hands it over — or the customer cancels, or never
comes and the worker cancels it after the deadline (docs/fulfillment.md, Pickups not collected)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ordino.fulfillment.models import FulfillmentOrder
from tests.flows.story import order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(story, staff):
    """Given tees at the store and at WH-A, an order for two tees to collect at STORE-1 that
    the store has accepted and put at the counter for three days: (order id, FO id, store)."""
    story.receive("STORE-1", "TEE", 3)
    story.receive("WH-A", "TEE", 5)
    story.worker_runs()
    body = order_body(
        "W-1", [("TEE", 2, "10.00")], delivery_method="pickup", pickup_location="STORE-1"
    )
    order = story.capture(body)
    (fo,) = order["fulfillment_orders"]
    # the store's own shelves serve it, though the warehouse comes first for shipping
    assert (fo["location"], fo["delivery_method"], fo["status"]) == ("STORE-1", "pickup", "open")
    assert story.balance("STORE-1", "TEE") == (3, 2, 0, 1)
    assert story.balance("WH-A", "TEE") == (5, 0, 0, 5)
    store = staff("STORE-1")
    assert store.work(fo["id"], "accept")["status"] == "accepted"
    at_counter = store.work(fo["id"], "ready-for-pickup", {"pickup_days": 3})
    assert at_counter["status"] == "ready_for_pickup"
    ready_at = datetime.fromisoformat(at_counter["ready_at"])
    assert datetime.fromisoformat(at_counter["pickup_deadline"]) - ready_at == timedelta(days=3)
    assert len(at_counter["pickup_code"]) == 6
    return order["id"], fo["id"], store, ready_at


def test_the_customer_collects_the_order_at_the_store(story, ready):
    order_id, fo_id, store, _ = ready
    # when the customer comes and the store hands the tees over
    code = {"pickup_code": FulfillmentOrder.objects.get(pk=fo_id).pickup_code}
    assert store.work(fo_id, "picked-up", code)["status"] == "picked_up"
    # then the order is delivered and the two tees left the store's stock, not the warehouse's
    assert story.status(order_id) == "delivered"
    assert story.buckets(order_id) == [(0, 0, 0, 2, 2)]
    assert story.fos(order_id) == [("STORE-1", "picked_up")]
    assert story.balance("STORE-1", "TEE") == (1, 0, 0, 1)
    assert story.balance("WH-A", "TEE") == (5, 0, 0, 5)
    assert story.timeline(order_id) == [
        "captured",
        "fulfillment_accepted",
        "ready_for_pickup",
        "picked_up",
    ]
    # and it cannot be handed over twice
    store.refused(store.step(fo_id, "picked-up", code), 409, "not_ready")
    assert story.balance("STORE-1", "TEE") == (1, 0, 0, 1)


def test_a_cancelled_pickup_gives_the_tees_back_to_the_store(story, ready):
    order_id, fo_id, store, _ = ready
    # when customer service cancels the order the customer will not collect (version 2: the
    # store's ready-for-pickup moved it once)
    assert story.order(order_id)["version"] == 2
    cancelled = story.ok(story.api.post(f"/orders/{order_id}/cancel", {"reason": "changed mind"}))
    # then the order and its fulfillment order are cancelled, the store's tees free again
    assert (cancelled["status"], cancelled["current_total"]) == ("cancelled", "0.00")
    assert story.buckets(order_id) == [(2, 0, 0, 0, 0)]
    assert story.fos(order_id) == [("STORE-1", "cancelled")]
    assert story.balance("STORE-1", "TEE") == (3, 0, 0, 3)
    assert story.changes(order_id) == [("cancel", 3, "-20.00")]
    # and the store can no longer hand it over
    store.refused(store.step(fo_id, "picked-up", {"pickup_code": "123456"}), 409, "not_ready")
    assert story.balance("STORE-1", "TEE") == (3, 0, 0, 3)


def test_a_pickup_not_collected_by_its_deadline_is_cancelled_by_the_worker(story, ready):
    order_id, _, _, ready_at = ready
    # when the worker runs two days later, the customer still has time
    story.worker_runs(now=ready_at + timedelta(days=2))
    assert story.fos(order_id) == [("STORE-1", "ready_for_pickup")]
    assert story.balance("STORE-1", "TEE") == (3, 2, 0, 1)
    # when it runs after the deadline
    story.worker_runs(now=ready_at + timedelta(days=3, minutes=1))
    # then the order is cancelled and the store's tees are free again
    assert story.status(order_id) == "cancelled"
    assert story.buckets(order_id) == [(2, 0, 0, 0, 0)]
    assert story.fos(order_id) == [("STORE-1", "cancelled")]
    assert story.balance("STORE-1", "TEE") == (3, 0, 0, 3)
    assert story.told(order_id)[-2:] == [
        ("cancelled", "system", "Cancelled 2 unit(s): not collected in time."),
        ("pickup_expired", "system", "Not collected at STORE-1 in time; cancelled and restocked."),
    ]
