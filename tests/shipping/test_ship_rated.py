"""Shipping the rated choice: the service chosen carries the shipment, one package per rated
parcel, and its cost is kept; refusals change nothing."""

from __future__ import annotations

import pytest

from ordino.fulfillment.models import Shipment
from ordino.shipping.models import ShipmentCost
from tests.factories import auth, make_token
from tests.shipping.test_api import BOX, paket  # noqa: F401 (a fixture)
from tests.shipping.test_rating import fo  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def rate(api, fo_id: int, *parcels) -> dict:
    r = api.post(f"/fulfillment/orders/{fo_id}/rates", {"parcels": list(parcels)})
    assert r.status_code == 201, r.content
    return r.json()


def test_the_choice_ships_with_one_package_per_parcel_and_its_cost(api, paket, fo):  # noqa: F811
    # given the fulfillment order rated: two parcels with DHL Paket, 4.90 + 7.90 EUR
    rating = rate(api, fo["id"], BOX, {**BOX, "weight_kg": "8.0004"})
    # when it ships with two tracking numbers
    r = api.post(
        f"/fulfillment/orders/{fo['id']}/ship-rated", {"tracking_numbers": ["T-1", " T-2 "]}
    )
    # then the shipment is DHL's paket service with both packages, and its cost is kept
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["service"], body["amount"], body["currency"], body["parcels"]) == (
        "dhl:paket",
        "12.80",
        "EUR",
        2,
    )
    assert body["rating_id"] == rating["id"]
    shipment = Shipment.objects.get(pk=body["shipment_id"])
    assert (shipment.carrier, shipment.service, shipment.tracking_numbers) == (
        "dhl",
        "paket",
        ["T-1", "T-2"],
    )
    assert shipment.packages == [
        {"weight_grams": 1200, "tracking_number": "T-1"},
        {"weight_grams": 8001, "tracking_number": "T-2"},
    ]
    fo_after = api.get(f"/fulfillment/orders/{fo['id']}").json()
    assert fo_after["status"] == "shipped"


def test_without_a_rating_nothing_ships(api, paket, fo):  # noqa: F811
    r = api.post(f"/fulfillment/orders/{fo['id']}/ship-rated", {"tracking_numbers": ["T-1"]})
    assert (r.status_code, r.json()["code"]) == (409, "no_service_chosen")
    assert (Shipment.objects.count(), ShipmentCost.objects.count()) == (0, 0)


def test_a_rating_that_chose_nothing_ships_nothing(api, paket, fo):  # noqa: F811
    rate(api, fo["id"], {**BOX, "weight_kg": 40})
    r = api.post(f"/fulfillment/orders/{fo['id']}/ship-rated", {"tracking_numbers": ["T-1"]})
    assert (r.status_code, r.json()["code"]) == (409, "no_service_chosen")
    assert (Shipment.objects.count(), ShipmentCost.objects.count()) == (0, 0)


def test_tracking_numbers_pair_with_the_parcels(api, paket, fo):  # noqa: F811
    rate(api, fo["id"], BOX, BOX)
    r = api.post(f"/fulfillment/orders/{fo['id']}/ship-rated", {"tracking_numbers": ["T-1"]})
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "tracking_numbers")
    assert r.json()["code"] == "tracking_numbers_mismatch"
    assert (Shipment.objects.count(), ShipmentCost.objects.count()) == (0, 0)


def test_another_location_gets_404_and_nothing_ships(client, api, paket, fo):  # noqa: F811
    rate(api, fo["id"], BOX)
    token = make_token("fulfillment:write", name="wh-b", location_codes=["WH-B"])
    r = client.post(
        f"/api/v1/fulfillment/orders/{fo['id']}/ship-rated", {"tracking_numbers": ["T-1"]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (404, "fulfillment_order_not_found")
    assert (Shipment.objects.count(), ShipmentCost.objects.count()) == (0, 0)


def test_shipping_twice_is_refused_and_the_first_cost_stands(api, paket, fo):  # noqa: F811
    rate(api, fo["id"], BOX)
    body = {"tracking_numbers": ["T-1"]}
    assert api.post(f"/fulfillment/orders/{fo['id']}/ship-rated", body).status_code == 201
    again = api.post(f"/fulfillment/orders/{fo['id']}/ship-rated", body)
    assert (again.status_code, again.json()["code"]) == (409, "not_shippable")
    assert (Shipment.objects.count(), ShipmentCost.objects.count()) == (1, 1)


def test_the_command_line_ships_the_choice(api, paket, fo):  # noqa: F811
    from io import StringIO

    from django.core.management import call_command

    rate(api, fo["id"], BOX)
    out = StringIO()
    call_command("shipping", "ship-rated", str(fo["id"]), "--tracking", "T-9", stdout=out)
    cost = ShipmentCost.objects.get()
    assert out.getvalue() == (
        f"Shipment {cost.shipment_id}: DHL Paket (dhl:paket), 1 parcel(s), 4.90 EUR.\n"
    )
