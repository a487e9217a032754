"""The order page's Shipping panel: each fulfillment order's latest rate shop, explained."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.shipping.test_api import BOX, paket  # noqa: F401 (a fixture)
from tests.shipping.test_rates import express
from tests.shipping.test_rating import fo  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    client.force_login(User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough"))
    return client


def test_no_panel_before_a_rating(api, manager, fo):  # noqa: F811
    html = manager.get(reverse("console:order", args=[fo["order_id"]])).content.decode()
    assert 'id="shipping"' not in html


def test_the_panel_shows_the_choice_why_and_the_runners_up(api, paket, fo, manager):  # noqa: F811
    # given DHL Paket and Express, and the fulfillment order rated cheapest on time for Monday
    express()
    body = {"parcels": [BOX, {**BOX, "weight_kg": 8}], "policy": "cheapest_on_time",
            "ship_day": "2026-12-04", "promised": "2026-12-07"}  # fmt: skip
    assert api.post(f"/fulfillment/orders/{fo['id']}/rates", body).status_code == 201
    # when the order page is read
    html = manager.get(reverse("console:order", args=[fo["order_id"]])).content.decode()
    # then Paket is chosen (Express cannot carry the 8 kg parcel), late against the promise
    assert "<b data-chosen>DHL Paket</b> (dhl:paket): <b>12.80 EUR</b>, delivery 2026-12-08" in html
    assert "promised 2026-12-07 · <b>late</b>" in html
    assert "· cheapest on time ·" in html
    assert (
        "<li data-parcel>7.90 EUR: zone 1: DE (row 2); actual 8 kg, dimensional 1.2 kg: billed on "
        "the actual weight, rounded up to 8 kg; bracket above 2 up to 10 kg (row 3): 7.90 EUR</li>"
    ) in html
    assert (
        '<span data-left-out="dhl:express">dhl:express — billable 8 kg is over the '
        "service&#x27;s 5 kg</span>"
    ) in html


def test_the_panel_says_what_the_shipment_cost(api, paket, fo, manager):  # noqa: F811
    # given the fulfillment order rated and shipped with the choice
    assert api.post(f"/fulfillment/orders/{fo['id']}/rates", {"parcels": [BOX]}).status_code == 201
    shipped = api.post(f"/fulfillment/orders/{fo['id']}/ship-rated", {"tracking_numbers": ["T"]})
    # when the order page is read: then the cost of the shipment
    html = manager.get(reverse("console:order", args=[fo["order_id"]])).content.decode()
    sid = shipped.json()["shipment_id"]
    assert (
        f'<p data-shipped="{sid}">Shipped with DHL Paket: <b>4.90 EUR</b> for 1 parcel '
        f"(shipment {sid}).</p>"
    ) in html
