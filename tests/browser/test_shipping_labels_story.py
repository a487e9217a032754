"""Buying labels in a real browser (issue 13): the channel's policy is cheapest on time and the
order carries the day the channel promised; a store clerk packs two boxes and presses Rate, and
EasyPost's live rates stand beside the rate sheets: its cheapest rate would be late, so its
cheapest on-time one is chosen over DHL's dearer sheet. She buys both labels with one button,
ships with them, prints our labels (each barcode decodes to the carrier's tracking number), the
carrier's events carry both parcels to delivered, and the order page shows all of it. EasyPost
answers from recorded shapes (`responses`: the live server runs in this process)."""

from __future__ import annotations

import pytest
import responses
from django.contrib.auth.models import User

from ordino.core.domain.clock import utcnow
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import Order
from ordino.shipping.carrier_accounts import AccountSettings, carrier_account_save
from ordino.shipping.channel_policies import channel_policy_set
from ordino.shipping.domain.policy import business_days_after
from ordino.shipping.models import LabelPurchase, ShipmentCost
from tests.browser.test_shipping_story import BOXES, packed, tap
from tests.console.store_setup import capture, store_staff
from tests.factories import stock
from tests.shipping.carriers.recorded import EASYPOST, recorded
from tests.shipping.labels.decode import pdf_barcodes
from tests.shipping.test_loading import loaded
from tests.shipping.test_rates import express
from tests.shipping.test_tracking import record
from tests.shipping.tracked import event, worker_runs

pytestmark = pytest.mark.django_db(transaction=True)
SHP = "shp_5c1f0a9e2b7d4e0c9a1b3d5f7e9a2c4b"
NUMBERS = ("9400100105442285876351", "9400100105442285876352")
PRICES = {"Express": None, "Priority": "2.10", "GroundAdvantage": "1.50"}


def shipment_created() -> dict:
    """EasyPost's shipment priced in EUR: Ground Advantage (3 days) the cheapest, Priority
    (2 days) next, Express without an estimate."""
    data = recorded("easypost_shipment_created")
    rates = []
    for r in data["rates"]:
        if PRICES[r["service"]] is not None:
            rates.append({**r, "currency": "EUR", "rate": PRICES[r["service"]]})
        else:
            rates.append({**r, "currency": "EUR"})
    return {**data, "rates": rates}


def shipment_bought(number: str) -> dict:
    data = recorded("easypost_shipment_bought")
    priority = next(r for r in shipment_created()["rates"] if r["service"] == "Priority")
    return {**data, "tracking_code": number, "selected_rate": priority}


@pytest.fixture
def shop_with_easypost(api, shop):
    """DHL's sheets (Paket 2 days, Express 1 day), an EasyPost account, web's policy cheapest on
    time, and the store's order to Berlin promised in two working days."""
    loaded()
    express()
    carrier_account_save(
        values=AccountSettings(code="ep", name="EasyPost", adapter="easypost", api_key="EZTK"),
        actor="ops",
    )
    channel_policy_set(channel="web", policy="cheapest_on_time", actor="ops")
    stock(shop["store"], shop["TEE"], 10)
    stock(shop["store"], shop["MUG"], 10)
    promised = business_days_after(utcnow().date(), 2)
    fo = capture(api, "W-200", promised_delivery=promised.isoformat())
    return store_staff("clerk", [shop["store"]]), fo


def test_a_clerk_buys_the_cheapest_on_time_labels_and_ships_them_to_the_door(
    console_as, shop_with_easypost
):
    clerk, fo = shop_with_easypost
    page = packed(console_as(clerk, "desktop"), fo)
    # when she rates her two boxes with the channel's policy and the order's promise
    page.fill("#parcels", "\n".join(BOXES))
    assert page.input_value("#promised") == str(Order.objects.get(pk=fo.order_id).promised_delivery)
    with responses.RequestsMock() as rsps:
        rsps.add("POST", f"{EASYPOST}/shipments", json=shipment_created(), status=201)
        tap(page, "Rate")
    # then EasyPost's Priority is chosen: Ground Advantage is cheaper but late, DHL dearer
    rating = page.get_by_test_id("rating").inner_text()
    assert rating.startswith("USPS Priority (live, EasyPost): 4.20 EUR"), rating
    assert "Web's policy: the cheapest delivering by the promised" in rating
    # when she buys the labels with one button
    with responses.RequestsMock() as rsps:
        rsps.add("POST", f"{EASYPOST}/shipments", json=shipment_created(), status=201)
        for number in NUMBERS:
            rsps.add("POST", f"{EASYPOST}/shipments/{SHP}/buy", json=shipment_bought(number))
        tap(page, "Buy 2 labels with USPS Priority (live, EasyPost)")
    assert "2 label(s) bought: print them, then ship." in page.inner_text("body")
    labels = page.get_by_test_id("labels").inner_text()
    assert f"tracking {NUMBERS[0]}" in labels and f"tracking {NUMBERS[1]}" in labels
    assert page.get_by_role("link", name="Print the label").count() == 2
    # when she ships with them (no carrier is called: the labels are bought)
    with responses.RequestsMock():
        tap(page, "Ship with the bought labels")
    assert "Shipped with USPS Priority, 2 parcel(s), 4.20 EUR." in page.inner_text("body")
    assert LabelPurchase.objects.filter(status="bought").count() == 2
    cost = ShipmentCost.objects.get()
    assert (cost.rating.policy, cost.rating.promised) == (
        "cheapest_on_time",
        Order.objects.get(pk=fo.order_id).promised_delivery,
    )
    # then our labels print with the carrier's numbers
    pdf = page.request.get(f"/admin/store/shipments/{cost.shipment_id}/labels/?format=pdf")
    assert pdf_barcodes(pdf.body()) == [[NUMBERS[0]], [NUMBERS[1]]]
    # when the carrier's events arrive and the worker runs, both parcels are delivered
    worker_runs()
    for number in NUMBERS:
        record(event("delivered", 90), event("in_transit", 10), number=number, carrier="USPS")
    worker_runs()
    assert FulfillmentOrder.objects.get(pk=fo.pk).status == "delivered"
    # and the order page shows the choice, its cost and each parcel delivered
    agent = User.objects.create_superuser("agent", "agent@example.com", "pw-long-enough")
    desk = console_as(agent, "desktop")
    desk.goto(f"/admin/orders/order/{fo.order_id}/change/")
    body = desk.inner_text("body")
    assert "Shipped with USPS Priority: 4.20 EUR for 2 parcels" in body
    assert f"Tracking: {NUMBERS[0]}, {NUMBERS[1]}" in body and ", delivered " in body
