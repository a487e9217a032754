"""Loading a synthetic data set through the services, once and again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ordino.catalog.models import KitComponent, Product, Sku
from ordino.channels.models import Channel
from ordino.customers.models import Customer
from ordino.demo.load import demo_load, demo_present
from ordino.demo.synthetic import demo_generate
from ordino.inventory.models import StockMovement
from ordino.locations.models import Location, LocationGroup
from ordino.orders.models import Order, OrderChange

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def small():
    return demo_generate(seed=3, orders=25, now=NOW, products=20, skus=30, customers=8)


def test_load_writes_everything_through_the_services(small):
    # Given an empty database
    assert demo_present(small) is False
    # When the small data set is loaded
    report = demo_load(small)
    # Then every object is there, exactly as many as described
    assert report.failures == []
    assert (Product.objects.count(), Sku.objects.count()) == (20, 30)
    assert KitComponent.objects.count() == sum(len(s.components) for s in small.skus)
    assert (Location.objects.count(), LocationGroup.objects.count()) == (12, 7)
    assert Channel.objects.get(code="marketplace").excluded_locations.count() == 2
    assert Customer.objects.count() == 8
    # and stock arrived as one ledger receipt per receipt line
    receipts = StockMovement.objects.filter(reason="receipt")
    assert receipts.count() == len(small.receipts)
    assert sum(receipts.values_list("quantity", flat=True)) == sum(
        r.quantity for r in small.receipts
    )
    # and every order was captured, and each cancel is a change on its order
    assert Order.objects.count() == 25
    assert OrderChange.objects.filter(kind="cancel").count() == len(small.cancels)
    full = {c.external_id for c in small.cancels if c.lines is None}
    assert set(Order.objects.filter(status="cancelled").values_list("external_id", flat=True)) == (
        full
    )
    assert demo_present(small) is True


def test_loading_again_adds_nothing(small):
    # Given the data set loaded once
    demo_load(small)
    movements = StockMovement.objects.count()
    # When it is loaded again
    report = demo_load(small)
    # Then nothing new is created, and the orders are answered as replays
    assert {k: v for k, v in report.created.items() if v} == {}
    assert report.replayed_orders == 25
    assert StockMovement.objects.count() == movements
    assert Order.objects.count() == 25
