"""Live rates beside the rate sheets (docs/shipping.md, "Live rates"): an active EasyPost
account's rates join the rate shop, compared with the sheets in the same currency; a provider
that fails leaves its account out with why and the sheets rated all the same; a live choice is
shipped by buying its labels (buy-chosen, then ship-labels), never with typed numbers."""

from __future__ import annotations

from datetime import date

import pytest
import responses

from ordino.fulfillment.models import FulfillmentOrder
from ordino.shipping.domain.quote import Refusal
from ordino.shipping.domain.weights import parcel_parse
from ordino.shipping.live_rating import live_rates_of
from ordino.shipping.models import FulfillmentRating, LabelPurchase, ShipmentCost
from tests.shipping.carriers.recorded import EASYPOST, answer, recorded
from tests.shipping.carriers.test_purchase import SHP, TRACKING, easypost  # noqa: F401
from tests.shipping.test_api import BOX, paket, put  # noqa: F401 (fixtures)
from tests.shipping.test_rating import fo  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

MONDAY = "2026-12-07"


def rate(api, fo_id: int, **extra):
    body = {"parcels": [BOX], "ship_day": MONDAY, **extra}
    return api.post(f"/fulfillment/orders/{fo_id}/rates", body)


def shipment_in(currency: str) -> dict:
    """EasyPost's recorded shipment with its rates priced in `currency`."""
    data = recorded("easypost_shipment_created")
    data["rates"] = [{**r, "currency": currency} for r in data["rates"]]
    return data


def test_live_rates_alone_are_rated_and_the_cheapest_chosen(api, easypost, fo):  # noqa: F811
    # given only an EasyPost account (no rate sheet)
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        # when the fulfillment order is rated, cheapest
        r = rate(api, fo["id"])
    # then EasyPost's cheapest rate with an estimate is chosen, Priority runs up, and Express
    # (no delivery estimate) is left out with why
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["service"], body["total"], body["currency"], body["delivery"]) == (
        "ep-main:USPS/GroundAdvantage",
        "5.93",
        "USD",
        "2026-12-10",
    )
    chosen = body["chosen"]
    assert (chosen["account"], chosen["offered_as"]) == ("ep-main", "USPS:GroundAdvantage")
    assert chosen["parcels"][0]["zone"] is None
    assert chosen["parcels"][0]["why"] == [
        "a live rate from EasyPost: USPS GroundAdvantage 5.93 USD, 3 business day(s)"
    ]
    assert [o["service"] for o in body["runners_up"]] == ["ep-main:USPS/Priority"]
    assert [(o["service"], o["code"]) for o in body["left_out"]] == [
        ("ep-main:USPS/Express", "no_estimate")
    ]


def test_live_rates_in_the_sheets_currency_compete_with_them(api, easypost, paket, fo):  # noqa: F811
    # given DHL Paket's sheet (EUR, 4.90) and EasyPost pricing in EUR
    with responses.RequestsMock() as rsps:
        rsps.add("POST", f"{EASYPOST}/shipments", json=shipment_in("EUR"), status=201)
        r = rate(api, fo["id"], policy="fastest")
    # then sheets and live rates are one list: the fastest, ties to the cheaper
    body = r.json()
    ranked = [
        (o["service"], o["total"], o["delivery"]) for o in [body["chosen"], *body["runners_up"]]
    ]
    assert ranked == [
        ("dhl:paket", "4.90", "2026-12-09"),
        ("ep-main:USPS/Priority", "6.95", "2026-12-09"),
        ("ep-main:USPS/GroundAdvantage", "5.93", "2026-12-10"),
    ]
    cheapest = rate(api, fo["id"], live=False).json()
    assert cheapest["service"] == "dhl:paket"


def test_live_rates_in_another_currency_are_left_out(api, easypost, paket, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        body = rate(api, fo["id"]).json()
    assert (body["service"], body["currency"]) == ("dhl:paket", "EUR")
    assert (
        "ep-main:USPS/Priority",
        "other_currency",
        "priced in USD, the other services in EUR",
    ) in [(o["service"], o["code"], o["why"]) for o in body["left_out"]]


def test_a_failing_provider_is_left_out_and_the_sheets_still_rate(api, easypost, paket, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_error_422", status=422)
        r = rate(api, fo["id"])
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["service"] == "dhl:paket"
    assert [(o["service"], o["code"]) for o in body["left_out"]] == [
        ("ep-main:*/*", "live_rates_failed")
    ]


def test_without_live_no_provider_is_called(api, easypost, paket, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:  # any call would fail the test
        body = rate(api, fo["id"], live=False).json()
        assert len(rsps.calls) == 0
    assert (body["service"], body["left_out"]) == ("dhl:paket", [])


def test_a_live_choice_is_bought_then_shipped_with_its_rating(api, easypost, fo):  # noqa: F811
    # given a rating that chose EasyPost's Ground Advantage, promised for Friday
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        rated = rate(api, fo["id"], policy="cheapest_on_time", promised="2026-12-11").json()
    assert rated["service"] == "ep-main:USPS/GroundAdvantage"
    # when its tracking numbers are typed: refused, nothing shipped
    typed = api.post(f"/fulfillment/orders/{fo['id']}/ship-rated", {"tracking_numbers": ["X1"]})
    assert (typed.status_code, typed.json()["code"]) == (409, "labels_required")
    assert ShipmentCost.objects.count() == 0
    # when the choice's labels are bought
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        bought = api.post(f"/fulfillment/orders/{fo['id']}/labels/buy-chosen")
        ground = next(
            r["id"] for r in shipment_in("USD")["rates"] if r["service"] == "GroundAdvantage"
        )
        assert ground.encode() in rsps.calls[1].request.body
    assert bought.status_code == 200, bought.content
    assert [(p["parcel"], p["status"], p["tracking_number"]) for p in bought.json()] == [
        (1, "bought", TRACKING)
    ]
    # then again buys nothing (no call), and shipping them keeps the rating's promise
    with responses.RequestsMock():
        again = api.post(f"/fulfillment/orders/{fo['id']}/labels/buy-chosen")
    assert [p["id"] for p in again.json()] == [p["id"] for p in bought.json()]
    shipped = api.post(f"/fulfillment/orders/{fo['id']}/ship-labels")
    assert shipped.status_code == 201, shipped.content
    cost = ShipmentCost.objects.get()
    assert (cost.rating_id, cost.rating.promised) == (rated["id"], date(2026, 12, 11))
    assert LabelPurchase.objects.count() == 1


def test_buying_without_a_live_choice_is_409_and_buys_nothing(api, easypost, paket, fo):  # noqa: F811
    rate(api, fo["id"], live=False)
    with responses.RequestsMock():
        r = api.post(f"/fulfillment/orders/{fo['id']}/labels/buy-chosen")
    assert (r.status_code, r.json()["code"]) == (409, "no_live_choice")
    assert LabelPurchase.objects.count() == 0
    assert FulfillmentRating.objects.count() == 1


def test_past_the_budget_the_accounts_left_are_not_asked(api, easypost, paket, fo):  # noqa: F811
    # given a second account, and a clock that runs past the budget after the first call
    put(api, "/shipping/accounts/ep-two", {"name": "Two", "adapter": "easypost", "api_key": "k"})
    ticks = iter([0.0, 0.0, 31.0, 31.0])
    fulfillment = FulfillmentOrder.objects.get(pk=fo["id"])
    with responses.RequestsMock() as rsps:
        rsps.add("POST", f"{EASYPOST}/shipments", json=shipment_in("EUR"), status=201)
        answers = live_rates_of(
            fulfillment, [parcel_parse("30x20x10@1.2")], clock=lambda: next(ticks)
        )
        assert len(rsps.calls) == 1  # the second account was not asked
    refused = [(a.service.key, a.code, a.why) for a in answers[0] if isinstance(a, Refusal)]
    assert ("ep-two:*/*", "live_rates_failed", "Two: not asked: the live rates took over 30 s") in (
        refused
    )


def test_an_account_that_fails_is_asked_no_more(api, easypost, fo):  # noqa: F811
    fulfillment = FulfillmentOrder.objects.get(pk=fo["id"])
    two = [parcel_parse("30x20x10@1.2"), parcel_parse("40x30x20@3")]
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_error_422", status=422)
        answers = live_rates_of(fulfillment, two)
        assert len(rsps.calls) == 1
    assert [a.code for per in answers for a in per] == ["live_rates_failed"]
