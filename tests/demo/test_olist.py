"""Replaying the Olist sample: read from a tiny CSV sample written here, never from ../shared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ordino.demo.load import demo_load
from ordino.demo.olist import OlistError, olist_read
from ordino.fulfillment.models import Shipment
from ordino.inventory.models import StockBalance, StockMovement
from ordino.orders.models import Order
from tests.demo.olist_sample import olist_sample_write


@pytest.fixture
def sample(tmp_path):
    return olist_sample_write(tmp_path / "olist")


def test_reads_orders_oldest_first_with_lines_in_brl(sample):
    # When the sample is read
    data = olist_read(sample, orders=100)
    # Then every order with items is there, oldest first, in BRL on the olist channel
    assert [o["external_id"] for o in data.orders] == ["order-1", "order-2", "order-3", "order-4"]
    assert {o["currency"] for o in data.orders} == {"BRL"}
    assert [(c.code, c.kind, c.currency) for c in data.channels] == [
        ("olist", "marketplace", "BRL")
    ]
    # and the two units of prod-b in order-2 are one line of quantity 2 at 19.99
    order2 = data.orders[1]
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in order2["lines"]] == [
        ("OL-prod-b", 2, Decimal("19.99")),
        ("OL-prod-c", 1, Decimal("120.00")),
    ]
    assert order2["shipping_price"] == Decimal("28.20")
    assert order2["customer"] == {"external_id": "person-2"}
    assert order2["shipping_address"]["postal_code"] == "09121-000"


def test_sellers_become_one_location_per_state(sample):
    data = olist_read(sample, orders=100)
    assert [(loc.code, loc.kind, loc.city) for loc in data.locations] == [
        ("BR-SP", "warehouse", "São Paulo"),
        ("BR-RJ", "dropship", "Rio de Janeiro"),
    ]
    assert data.locations[0].latitude == Decimal("-23.550500")


def test_products_keep_weight_length_and_english_category(sample):
    data = olist_read(sample, orders=100)
    skus = {sku.code: sku for sku in data.skus}
    assert (skus["OL-prod-a"].weight_grams, skus["OL-prod-a"].length_mm) == (225, 160)
    assert skus["OL-prod-a"].tags == ("health_beauty",)
    assert (skus["OL-prod-c"].weight_grams, skus["OL-prod-c"].length_mm) == (None, None)


def test_cancelled_and_unavailable_orders_are_cancelled(sample):
    data = olist_read(sample, orders=100)
    assert [(c.external_id, c.reason, c.lines) for c in data.cancels] == [
        ("order-3", "olist_canceled", None),
        ("order-4", "olist_unavailable", None),
    ]


def test_stock_covers_the_demand(sample):
    data = olist_read(sample, orders=100)
    received = {(r.location, r.sku): r.quantity for r in data.receipts}
    assert set(received) == {("BR-SP", "OL-prod-a"), ("BR-RJ", "OL-prod-b"), ("BR-SP", "OL-prod-c")}
    assert all(received[key] >= 2 for key in received)


def test_orders_limit_takes_the_first_rows_of_the_file(sample):
    data = olist_read(sample, orders=2)
    assert [o["external_id"] for o in data.orders] == ["order-1", "order-2"]


def test_a_directory_without_the_files_is_refused(tmp_path):
    with pytest.raises(OlistError, match="lacks the Olist file"):
        olist_read(tmp_path, orders=10)


@pytest.mark.django_db
def test_replay_captures_every_order_and_cancels_two(sample):
    # Given the sample read into a data set
    data = olist_read(sample, orders=100)
    # When it is loaded through the services
    report = demo_load(data)
    # Then four orders were captured and none refused
    assert report.failures == []
    assert report.created["orders"] == 4
    assert report.created["cancels"] == 2
    # and the cancelled ones released their stock; the delivered ones went through fulfillment
    # as far as they did at Olist, so their units left the stock
    statuses = dict(Order.objects.values_list("external_id", "status"))
    assert statuses == {
        "order-1": "delivered",
        "order-2": "delivered",
        "order-3": "cancelled",
        "order-4": "cancelled",
    }
    committed = sum(StockBalance.objects.values_list("committed", flat=True))
    assert committed == 0
    shipped = StockMovement.objects.filter(reason="ship").values_list("quantity", flat=True)
    assert sum(shipped) == 1 + 2 + 1
    # and person-1 ordered twice but is one customer
    order1, order3 = (
        Order.objects.get(external_id="order-1"),
        Order.objects.get(external_id="order-3"),
    )
    assert order1.customer_id == order3.customer_id is not None
    assert order1.grand_total == Decimal("51.10")


@pytest.mark.django_db
def test_replay_moves_olists_dates_into_the_last_weeks(sample):
    # Given the sample (2017-06 to 2018-04) loaded on 1 November 2026
    now = datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    report = demo_load(olist_read(sample, orders=100), now=now)
    assert report.failures == []
    placed = dict(Order.objects.values_list("external_id", "placed_at"))
    # Then the newest order was placed yesterday at its own time of day (10:30 in São Paulo)
    assert placed["order-4"] == datetime(2026, 10, 31, 13, 30, tzinfo=UTC)
    # and the oldest 41 days before it: ten months squeezed into the window, in the same order
    assert placed["order-4"] - placed["order-1"] == timedelta(days=41)
    assert placed["order-1"] < placed["order-2"] < placed["order-3"] < placed["order-4"]
    # and each was captured after it was placed, shipped after that, nothing after `now`
    for order in Order.objects.all():
        assert order.placed_at <= order.created_at <= now
    shipped = Shipment.objects.values_list("shipped_at", "fulfillment_order__order__created_at")
    assert len(shipped) == 3  # order-2 left from two sellers
    assert all(captured < at < now for at, captured in shipped)
