"""Buy labels on the store screen (docs/console/store.md, "Buy labels"): when the rating chose
a live rate, the clerk buys each parcel's label with one button, prints it from the carrier's
link and ships with the bought labels; a refusal is shown with nothing bought; a retry buys
only what is missing."""

from __future__ import annotations

import pytest
import responses

from ordino.fulfillment.models import Shipment
from ordino.shipping.models import LabelPurchase, ShipmentCost
from tests.console.test_store_steps import page, post
from tests.shipping.carriers.recorded import EASYPOST, answer
from tests.shipping.carriers.test_purchase import SHP, TRACKING, easypost  # noqa: F401

pytestmark = pytest.mark.django_db
ONE = {"parcels": "30x20x10@1.2", "policy": "cheapest"}


def rated(clerk, ship_fo) -> None:
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        post(clerk, ship_fo, "rate", ONE)


def test_a_clerk_buys_prints_and_ships_the_live_choice(clerk, easypost, ship_fo):  # noqa: F811
    # given the rating chose EasyPost's Ground Advantage
    rated(clerk, ship_fo)
    html = clerk.get(page(ship_fo)).content.decode()
    name = "USPS GroundAdvantage (live, EasyPost)"
    assert f"Buy 1 label with {name}</button>" in html
    assert "Tracking numbers, one per parcel" not in html  # a live rate is not typed
    # when the clerk buys the labels
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        _response, said = post(clerk, ship_fo, "buy-labels", {})
    # then the label is bought, shown with its print link, and the screen offers to ship
    assert said == ["1 label(s) bought: print them, then ship."]
    purchase = LabelPurchase.objects.get()
    assert (purchase.status, purchase.actor) == ("bought", "user:clerk")
    html = clerk.get(page(ship_fo)).content.decode()
    assert f"tracking {TRACKING}" in html
    assert f'href="{purchase.label_url}"' in html
    assert "Ship with the bought labels</button>" in html
    # when it ships
    _response, said = post(clerk, ship_fo, "ship-labels", {})
    assert said == ["Shipped with USPS GroundAdvantage, 1 parcel(s), 5.93 USD."]
    shipment = Shipment.objects.get()
    assert (shipment.tracking_numbers, shipment.actor) == ([TRACKING], "user:clerk")
    assert ShipmentCost.objects.get().rating is not None


def test_a_refused_purchase_is_shown_and_the_retry_buys_once(clerk, easypost, ship_fo):  # noqa: F811
    rated(clerk, ship_fo)
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_error_422", status=422)
        _response, said = post(clerk, ship_fo, "buy-labels", {})
    assert said[0].startswith(f"Purchase {LabelPurchase.objects.get().pk}: EasyPost: ")
    assert LabelPurchase.objects.get().status == "failed"  # kept: the clerk sees why
    html = clerk.get(page(ship_fo)).content.decode()
    assert "Parcel 1: <b>failed</b>" in html
    assert "Buy 1 label with" in html
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        post(clerk, ship_fo, "buy-labels", {})
    assert list(LabelPurchase.objects.values_list("status", flat=True)) == ["bought"]
    assert Shipment.objects.count() == 0


def test_another_locations_order_buys_nothing(clerk, easypost, warehouse_fo):  # noqa: F811
    with responses.RequestsMock():
        response, _ = post(clerk, warehouse_fo, "buy-labels", {})
    assert response.status_code == 404
    assert LabelPurchase.objects.count() == 0


def test_a_watcher_may_not_buy(watcher, easypost, ship_fo):  # noqa: F811
    with responses.RequestsMock():
        response, _ = post(watcher, ship_fo, "buy-labels", {})
    assert response.status_code == 403
    assert LabelPurchase.objects.count() == 0
