"""A fulfillment order rated to its order's address: the choice, runners-up and services left out
stored and read back, a line on the order's timeline; scope, state and bad parcels refused with
nothing stored."""

from __future__ import annotations

import pytest

from ordino.shipping.models import FulfillmentRating
from tests.factories import auth, make_token, order_body, stock
from tests.shipping.test_api import BOX, paket  # noqa: F401 (a fixture)
from tests.shipping.test_rates import express

pytestmark = pytest.mark.django_db


@pytest.fixture
def fo(api, shop):
    """W-1 to Berlin (10117, a home), fulfilled at WH-A."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body()).json()
    return api.get("/fulfillment/orders", order=order["id"]).json()["items"][0]


def test_a_fulfillment_order_is_rated_and_its_choice_kept(api, paket, fo):  # noqa: F811
    # given DHL Paket and DHL Express both carry to Germany
    express()
    # when the fulfillment order is rated, cheapest on time for Monday
    r = api.post(
        f"/fulfillment/orders/{fo['id']}/rates",
        {"parcels": [BOX], "policy": "cheapest_on_time", "ship_day": "2026-12-04",
         "promised": "2026-12-07"},
    )  # fmt: skip
    # then Express is chosen (Paket arrives Tuesday), Paket is the runner-up, and both are kept
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["service"], body["total"], body["delivery"]) == (
        "dhl:express",
        "9.90",
        "2026-12-07",
    )
    assert [o["service"] for o in body["runners_up"]] == ["dhl:paket"]
    assert body["destination"] == {
        "country": "DE",
        "region": "",
        "postal_code": "10117",
        "residential": True,
    }
    assert api.get(f"/fulfillment/orders/{fo['id']}/rates").json() == body
    # and the order's timeline says so
    timeline = api.get(f"/orders/{fo['order_id']}/timeline").json()
    assert timeline[-1]["kind"] == "shipment_rated"
    assert timeline[-1]["message"] == (
        "Rated (cheapest_on_time): DHL Express 9.90 EUR, delivery 2026-12-07."
    )


def test_no_rating_yet_is_404(api, fo):
    r = api.get(f"/fulfillment/orders/{fo['id']}/rates")
    assert (r.status_code, r.json()["code"]) == (404, "rating_not_found")


def test_a_parcel_no_service_carries_is_kept_with_why(api, paket, fo):  # noqa: F811
    heavy = {**BOX, "weight_kg": 40}
    r = api.post(f"/fulfillment/orders/{fo['id']}/rates", {"parcels": [heavy]})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["service"], body["total"], body["chosen"]) == ("", None, None)
    assert [(o["service"], o["code"]) for o in body["left_out"]] == [
        ("dhl:paket", "parcel_too_heavy")
    ]


def test_cheapest_on_time_needs_the_promise_and_stores_nothing(api, paket, fo):  # noqa: F811
    r = api.post(
        f"/fulfillment/orders/{fo['id']}/rates", {"parcels": [BOX], "policy": "cheapest_on_time"}
    )
    assert (r.status_code, r.json()["code"]) == (422, "promise_required")
    assert FulfillmentRating.objects.count() == 0


def test_a_shipped_fulfillment_order_is_not_rated(api, paket, fo):  # noqa: F811
    ship = api.post(
        f"/fulfillment/orders/{fo['id']}/ship", {"carrier": "DHL", "tracking_numbers": ["T1"]}
    )
    assert ship.status_code == 200, ship.content
    r = api.post(f"/fulfillment/orders/{fo['id']}/rates", {"parcels": [BOX]})
    assert (r.status_code, r.json()["code"]) == (409, "not_rateable")
    assert FulfillmentRating.objects.count() == 0


def test_another_locations_token_gets_404_and_nothing_is_stored(client, paket, fo, shop):  # noqa: F811
    # given a token limited to WH-B
    token = make_token("fulfillment:write", name="wh-b", location_codes=["WH-B"])
    # when it rates WH-A's fulfillment order
    r = client.post(
        f"/api/v1/fulfillment/orders/{fo['id']}/rates", {"parcels": [BOX]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    # then 404 as if it did not exist, and nothing stored
    assert (r.status_code, r.json()["code"]) == (404, "fulfillment_order_not_found")
    assert FulfillmentRating.objects.count() == 0


def test_the_command_line_rates_and_keeps_it(paket, fo):  # noqa: F811
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("shipping", "rate", str(fo["id"]), "--parcel", "30x20x10@1.2", stdout=out)
    rating = FulfillmentRating.objects.get()
    assert out.getvalue().splitlines()[:2] == [
        f"Kept as rating {rating.pk} of fulfillment order {fo['id']}.",
        "Policy cheapest: the lowest total.",
    ]
    assert (rating.service, rating.actor.startswith("cli:")) == ("dhl:paket", True)


def test_the_command_line_keeps_what_each_parcel_holds(paket, fo):  # noqa: F811
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    # when two parcels are rated, each saying what it holds
    parcels = ["--parcel", "30x20x10@1.2: TEE*2", "--parcel", "20x20x20@1: MUG"]
    call_command("shipping", "rate", str(fo["id"]), *parcels, stdout=StringIO())
    # then the rating keeps it per parcel
    kept = FulfillmentRating.objects.get().parcels
    assert [p["contents"] for p in kept] == [
        [{"sku": "TEE", "quantity": 2}],
        [{"sku": "MUG", "quantity": 1}],
    ]
    # and a parcel holding more than is open is refused, nothing more kept
    with pytest.raises(CommandError, match=r"The parcels hold 3 of TEE; 2 are open\."):
        call_command(
            "shipping", "rate", str(fo["id"]), "--parcel", "30x20x10@1.2: TEE*3, MUG",
            stdout=StringIO(),
        )  # fmt: skip
    assert FulfillmentRating.objects.count() == 1
