"""A loaded demo lives its weeks: every order, step, stock movement and event at its own time."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest

from ordino.catalog.models import Product
from ordino.customers.models import Customer
from ordino.demo.load import demo_load
from ordino.demo.synthetic import demo_generate
from ordino.demo.timeline import DAYS_OF_ORDERS, SETUP_BEFORE, STOCK_BEFORE
from ordino.events.models import OutboxEvent
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentOrder, Shipment
from ordino.inventory.models import StockMovement
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.orders.services import backorders_cancel_overdue, order_pickups_expire
from tests.conftest import ApiClient
from tests.factories import make_token

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 1, 15, 30, tzinfo=UTC)


@pytest.fixture
def loaded():
    data = demo_generate(seed=5, orders=100, now=NOW, products=20, skus=30, customers=20)
    report = demo_load(data, now=NOW)
    assert report.failures == []
    return data


def test_orders_are_captured_over_the_weeks_and_none_in_the_future(loaded):
    created = list(Order.objects.values_list("created_at", flat=True))
    # Then the orders span most days of the six weeks, the first no older than the window
    days = {at.astimezone(UTC).date() for at in created}
    assert len(days) >= 28
    assert min(created) >= NOW - timedelta(days=DAYS_OF_ORDERS)
    # and no stamp anywhere is after the load's "now"
    for model, column in [
        (Order, "created_at"),
        (Order, "updated_at"),
        (OrderTimelineEntry, "created_at"),
        (FulfillmentOrder, "updated_at"),
        (Shipment, "shipped_at"),
        (StockMovement, "created_at"),
        (OutboxEvent, "created_at"),
    ]:
        assert not model.objects.filter(**{f"{column}__gt": NOW}).exists(), model
    # and the shop was set up a week, its stock received two days, before the first order
    first = min(created)
    assert set(Product.objects.values_list("created_at", flat=True)) == {first - SETUP_BEFORE}
    assert set(Customer.objects.values_list("created_at", flat=True)) == {first - SETUP_BEFORE}
    receipts = StockMovement.objects.filter(reason="receipt")
    assert set(receipts.values_list("created_at", flat=True)) == {first - STOCK_BEFORE}


def test_each_step_carries_its_own_time(loaded):
    shipments = list(
        Shipment.objects.values_list(
            "shipped_at", "fulfillment_order__order__created_at", "fulfillment_order__accepted_at"
        )
    )
    assert len(shipments) > 40
    # Then each shipment left after its order was captured and accepted: hours, not 0.00 h
    assert all(captured < accepted < shipped for shipped, captured, accepted in shipments)
    hours = [(shipped - captured) / timedelta(hours=1) for shipped, captured, _ in shipments]
    assert 3 < statistics.median(hours) < 72
    # and the stock left the shelf when the parcel left
    ship_moves = StockMovement.objects.filter(reason="ship")
    assert set(ship_moves.values_list("created_at", flat=True)) <= {s[0] for s in shipments}
    # and the order's timeline tells the steps at their times, in order
    order = Order.objects.filter(status="delivered").order_by("id").first()
    stamps = list(order.timeline.order_by("id").values_list("kind", "created_at"))
    assert stamps[0][1] == order.created_at
    assert [at for _, at in stamps] == sorted(at for _, at in stamps)
    assert stamps[-1][1] > stamps[0][1] + timedelta(days=1)  # delivered days later


def test_recent_orders_are_still_work_and_the_worker_finds_nothing_overdue(loaded):
    # Then the queues hold today's work, not weeks-old leftovers
    active = FulfillmentOrder.objects.filter(status__in=fs.ACTIVE)
    assert active.exists()
    assert min(active.values_list("created_at", flat=True)) > NOW - timedelta(days=5)
    assert not FulfillmentOrder.objects.filter(
        status="delivered", created_at__gt=NOW - timedelta(hours=12)
    ).exists()
    # and the worker's first run (expire pickups, cancel overdue backorders) touches nothing
    before = dict(Order.objects.values_list("id", "status"))
    assert order_pickups_expire(now=NOW) == 0
    assert backorders_cancel_overdue(now=NOW) == 0
    assert dict(Order.objects.values_list("id", "status")) == before


def test_the_kpis_show_every_day_and_a_real_capture_to_ship_time(client, loaded):
    reader = ApiClient(client, make_token("reports:read", name="ops"))
    start = (NOW - timedelta(days=DAYS_OF_ORDERS)).date().isoformat()
    response = reader.get("/reports/kpis", **{"from": start, "to": NOW.date().isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["orders"] == 100
    assert len({row["day"] for row in body["per_day"]}) >= 28
    assert float(body["ship_hours_p50"]) > 3
    assert float(body["ship_hours_p90"]) > float(body["ship_hours_p50"])
    assert 0 < float(body["on_time_rate"]) < 1
