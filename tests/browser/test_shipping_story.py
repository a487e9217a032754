"""Shipping in a real browser (issue 13): a store clerk packs an order in two boxes, rates them
and ships with the cheapest service that still meets the promised day, prints the labels (each
barcode decodes to its parcel's tracking number), the carrier's events carry both parcels to
delivered, the customer is e-mailed at shipping and at delivery, and the order page shows the
choice, its cost and the delivery."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from ordino.core.domain.clock import utcnow
from ordino.fulfillment.models import FulfillmentOrder, Shipment
from ordino.orders.models import Order
from ordino.shipping.domain.quote import Destination
from ordino.shipping.domain.weights import parcel_parse
from ordino.shipping.models import ShipmentCost, ShippingNotice, Tracker
from ordino.shipping.selectors import shipment_rates
from tests.console.store_setup import capture, store_staff
from tests.factories import stock
from tests.shipping.labels.decode import pdf_barcodes
from tests.shipping.test_loading import loaded
from tests.shipping.test_rates import express
from tests.shipping.test_tracking import record
from tests.shipping.tracked import event, worker_runs

pytestmark = pytest.mark.django_db(transaction=True)
BOXES = ("30x20x10@1.2", "40x30x20@3.5")


def tap(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def packed(page, fo):
    """The fulfillment order's screen, after Accept, Start picking and Packed."""
    page.goto(f"/admin/store/fo/{fo.pk}/")
    for step in ("Accept", "Start picking", "Packed"):
        tap(page, step)
    return page


@pytest.fixture
def ship_day(api, shop):
    """DHL Paket (2 days, cheaper) and DHL Express (1 day); an order of the store to ship to
    Berlin; a clerk of the store. The promise: the day Express delivers, so Paket is late."""
    loaded()
    express()
    stock(shop["store"], shop["TEE"], 10)
    stock(shop["store"], shop["MUG"], 10)
    fo = capture(api, "W-100")
    fastest = shipment_rates(
        parcels=[parcel_parse(b) for b in BOXES], policy="fastest", ship_day=utcnow().date(),
        destination=Destination("DE", postal_code="10117"),
    )  # fmt: skip
    assert fastest.chosen.service.key == "dhl:express"
    return store_staff("clerk", [shop["store"]]), fo, fastest.chosen.delivery


def test_two_boxes_ship_with_the_cheapest_on_time_service_and_are_tracked_to_the_door(
    console_as, ship_day
):
    clerk, fo, promised = ship_day
    # when the clerk accepts, picks and packs the order in two boxes
    page = packed(console_as(clerk, "desktop"), fo)
    # and rates them, cheapest on time for the promised day
    page.fill("#parcels", "\n".join(BOXES))
    page.select_option("#policy", "cheapest_on_time")
    page.fill("#promised", promised.isoformat())
    tap(page, "Rate")
    # then Express is chosen: Paket would be late
    rating = page.get_by_test_id("rating").inner_text()
    assert rating.startswith("DHL Express: ") and "EUR" in rating
    # when she ships with it, one tracking number per box
    page.fill("#rated-tracking", "JD0001 JD0002")
    tap(page, "Ship with DHL Express")
    assert "Shipped with DHL Express, 2 parcel(s)" in page.inner_text("body")
    shipment = Shipment.objects.get()
    assert (shipment.service, shipment.tracking_numbers) == ("express", ["JD0001", "JD0002"])
    assert ShipmentCost.objects.get().service == "dhl:express"
    # then the labels print, each barcode its parcel's number, "1 of 2" and "2 of 2"
    labels = page.request.get(f"/admin/store/shipments/{shipment.pk}/labels/?format=pdf")
    assert labels.headers["content-type"] == "application/pdf"
    assert pdf_barcodes(labels.body()) == [["JD0001"], ["JD0002"]]
    # when the carrier's events arrive (late, twice, out of order) and the worker runs
    worker_runs()  # trackers are made from the shipped event
    assert Tracker.objects.count() == 2
    for number in ("JD0002", "JD0001"):
        record(event("delivered", 90), event("in_transit", 10), number=number)
        record(event("in_transit", 10), event("delivered", 90), number=number)
    worker_runs()
    # then the fulfillment order and the order are delivered
    assert FulfillmentOrder.objects.get(pk=fo.pk).status == "delivered"
    assert Order.objects.get(pk=fo.order_id).status == "delivered"
    # and the customer was told: shipped (with a tracking link per parcel), then delivered
    notices = ShippingNotice.objects.order_by("id").values_list("kind", "status")
    assert list(notices) == [("shipped", "sent"), ("delivered", "sent")]
    assert "JD0001" in ShippingNotice.objects.get(kind="shipped").body
    # and an agent's order page shows the choice, what it cost and each parcel delivered
    agent = User.objects.create_superuser("agent", "agent@example.com", "pw-long-enough")
    desk = console_as(agent, "desktop")
    desk.goto(f"/admin/orders/order/{fo.order_id}/change/")
    body = desk.inner_text("body")
    cost = ShipmentCost.objects.get()
    assert f"Shipped with DHL Express: {cost.amount:.2f} EUR for 2 parcels" in body
    assert "Tracking: JD0001, JD0002" in body and ", delivered " in body
