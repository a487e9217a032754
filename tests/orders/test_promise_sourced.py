"""Ordino's promise for an order the channel promised nothing for (docs/orders.md, "The
promised day"): when the channel names a promise service, the worker keeps sourcing's promise
by it on the order, once, with why on the timeline; a channel's own promise stands; a channel
without a promise service, a backorder or an order of the past is promised nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ordino.core.domain.clock import clock_pinned
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.shipping.channel_policies import channel_policy_set
from tests.factories import order_body, stock
from tests.invoices.conftest import worker_runs
from tests.shipping.test_loading import paket

pytestmark = pytest.mark.django_db
THURSDAY = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # no calendar: ships the same day


@pytest.fixture
def promising(shop):
    """DHL Paket (2 transit days), web promising by it, tees and mugs at WH-A."""
    paket(transit_days=2)
    channel_policy_set(channel="web", policy="cheapest", promise_service="dhl:paket", actor="ops")
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    return shop


def test_sourcings_promise_is_kept_once_with_why(api, promising):
    # given an order captured on Thursday without the channel's promise
    with clock_pinned(THURSDAY):
        order = api.post("/orders", order_body()).json()
        assert order["promised_delivery"] is None
        # when the worker runs (twice: an event delivered again keeps nothing twice)
        worker_runs()
        worker_runs()
    # then it is promised for Monday: shipped Thursday, 2 working days by DHL Paket
    assert Order.objects.get(pk=order["id"]).promised_delivery == date(2026, 12, 7)
    (entry,) = OrderTimelineEntry.objects.filter(order_id=order["id"], kind="promised")
    assert entry.message.startswith("Promised by Mon 2026-12-07: WH-A ")
    assert "2 transit days by dhl:paket" in entry.message
    assert entry.actor == "sourcing"


def test_the_channels_own_promise_stands(api, promising):
    with clock_pinned(THURSDAY):
        order = api.post("/orders", order_body(promised_delivery="2026-12-05")).json()
        worker_runs()
    assert Order.objects.get(pk=order["id"]).promised_delivery == date(2026, 12, 5)
    assert not OrderTimelineEntry.objects.filter(kind="promised").exists()


def test_a_channel_without_a_promise_service_promises_nothing(api, promising):
    channel_policy_set(channel="web", policy="cheapest", actor="ops")
    with clock_pinned(THURSDAY):
        order = api.post("/orders", order_body()).json()
        worker_runs()
    assert Order.objects.get(pk=order["id"]).promised_delivery is None


def test_a_backordered_order_is_promised_nothing(api, promising):
    lines = [{"sku": "TEE", "quantity": 50, "unit_price": "19.99"}]
    with clock_pinned(THURSDAY):
        order = api.post("/orders", order_body(lines=lines)).json()
        worker_runs()
    assert order["status"] == "backordered"
    assert Order.objects.get(pk=order["id"]).promised_delivery is None


def test_an_order_of_the_past_is_promised_nothing(api, promising):
    with clock_pinned(THURSDAY):
        order = api.post("/orders", order_body(placed_at="2026-11-01T10:00:00Z")).json()
        worker_runs()
    assert Order.objects.get(pk=order["id"]).promised_delivery is None
