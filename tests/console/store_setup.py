"""Shared arrangements of the store screen's tests (tests/console/test_store_*.py): a store
(STORE-1) with its staff, and orders the store and a warehouse serve."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from ordino.accounts.models import StaffAccess
from ordino.fulfillment.models import FulfillmentOrder
from tests.factories import order_body, stock

PASSWORD = "a-long-enough-pass-9"


def store_staff(name: str, locations, *, can_change: bool = True) -> User:
    """A console user limited to `locations`, who may view (and change) fulfillment orders."""
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    codenames = ["view_fulfillmentorder"] + (["fulfil"] if can_change else [])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    access = StaffAccess.objects.create(user=user)
    access.locations.set(locations)
    return user


def capture(api, external_id: str, **body) -> FulfillmentOrder:
    response = api.post("/orders", order_body(external_id, **body))
    assert response.status_code == 201, response.content
    (fo,) = response.json()["fulfillment_orders"]
    return FulfillmentOrder.objects.get(pk=fo["id"])


@pytest.fixture
def store_shop(api, shop):
    """Tees and mugs on the store's shelves only; caps in warehouse A only."""
    stock(shop["store"], shop["TEE"], 10)
    stock(shop["store"], shop["MUG"], 10)
    stock(shop["wh_a"], shop["CAP"], 10)
    return shop


@pytest.fixture
def ship_fo(api, store_shop) -> FulfillmentOrder:
    """An order shipped to Ada from the store: 2 tees, 1 mug."""
    fo = capture(api, "W-100")
    assert fo.location.code == "STORE-1"
    return fo


@pytest.fixture
def pickup_fo(api, store_shop) -> FulfillmentOrder:
    fo = capture(
        api,
        "W-200",
        lines=[{"sku": "TEE", "quantity": 1, "unit_price": "19.99"}],
        delivery_method="pickup",
        pickup_location="STORE-1",
    )
    assert fo.location.code == "STORE-1"
    return fo


@pytest.fixture
def warehouse_fo(api, store_shop) -> FulfillmentOrder:
    """An order of another location: a cap from warehouse A."""
    fo = capture(api, "W-300", lines=[{"sku": "CAP", "quantity": 1, "unit_price": "12.00"}])
    assert fo.location.code == "WH-A"
    return fo


@pytest.fixture
def clerk(client, shop):
    """Store staff of STORE-1 who may work its orders, signed in."""
    user = store_staff("clerk", [shop["store"]])
    client.force_login(user)
    return client


@pytest.fixture
def watcher(client, shop):
    """Store staff of STORE-1 who may only look, signed in."""
    user = store_staff("watcher", [shop["store"]], can_change=False)
    client.force_login(user)
    return client
