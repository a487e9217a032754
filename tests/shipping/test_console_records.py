"""The console's shipping records (docs/shipping.md, "In the console"): parcel tracking, the
rates chosen and shipment costs are read-only, and a console user limited to some locations
sees only those of the fulfillment orders they reach (404 for another's page)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.fulfillment.models import Shipment
from ordino.shipping.models import FulfillmentRating, ShipmentCost, Tracker
from ordino.shipping.tracking import trackers_create
from tests.factories import order_body, stock
from tests.shipping.test_api import BOX, paket  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
MODELS = ("tracker", "fulfillmentrating", "shipmentcost")


@pytest.fixture
def shipped(api, shop, paket):  # noqa: F811
    """An order from WH-A, rated with DHL Paket, shipped with its choice, its parcel tracked."""
    stock(shop["wh_a"], shop["TEE"], 5)
    order = api.post("/orders", order_body("W-TRACK")).json()
    fo = order["fulfillment_orders"][0]["id"]
    assert api.post(f"/fulfillment/orders/{fo}/rates", {"parcels": [BOX]}).status_code == 201
    body = api.post(f"/fulfillment/orders/{fo}/ship-rated", {"tracking_numbers": ["T-1"]}).json()
    trackers_create(shipment_id=body["shipment_id"], fulfillment_order_id=fo, carrier="dhl",
                    tracking_numbers=["T-1"])  # fmt: skip
    return Shipment.objects.get(pk=body["shipment_id"])


def clerk_at(client, location) -> User:
    user = User.objects.create_user("clerk", password="pw-long-enough", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=[f"view_{m}" for m in MODELS]))
    StaffAccess.objects.create(user=user).locations.add(location)
    client.force_login(user)
    return user


def pages() -> list[tuple[str, str]]:
    objects = {
        "tracker": Tracker.objects.get(),
        "fulfillmentrating": FulfillmentRating.objects.get(),
        "shipmentcost": ShipmentCost.objects.get(),
    }
    return [
        (reverse(f"admin:shipping_{m}_changelist"), reverse(f"admin:shipping_{m}_change",
                                                            args=[objects[m].pk]))
        for m in MODELS
    ]  # fmt: skip


def test_a_clerk_of_the_shipping_location_sees_its_records_read_only(client, shop, shipped):
    # given a clerk of WH-A, where the order shipped from
    clerk_at(client, shop["wh_a"])
    for changelist, change in pages():
        # when they open each list and each record, then they see it, with nothing to save
        listed = client.get(changelist)
        assert listed.status_code == 200
        assert listed.context["cl"].result_count == 1
        page = client.get(change)
        assert page.status_code == 200
        assert b'name="_save"' not in page.content
    # and the parcel's page shows its tracking number
    assert b"T-1" in client.get(pages()[0][1]).content


def test_a_clerk_of_another_location_sees_none_of_them(client, shop, shipped):
    # given a clerk of the store, which shipped nothing
    clerk_at(client, shop["store"])
    for changelist, change in pages():
        # then each list is empty and each record's page answers 404
        assert client.get(changelist).context["cl"].result_count == 0
        assert client.get(change).status_code == 404
    # and nothing was written by looking
    assert (Tracker.objects.count(), ShipmentCost.objects.count()) == (1, 1)
