"""The sourcing API: profiles as configuration (the merchant example end to end), refusals,
simulate, back-test, the stored explanation, and promised dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from ordino.shipping.models import CarrierService
from ordino.sourcing.models import SourcingDecision, SourcingProfileVersion
from tests.factories import make_token, order_body
from tests.shipping.test_loading import paket

from .helpers import BERLIN, FIRST_OCTOBER, OCTOBER, SEPTEMBER, at, network

pytestmark = pytest.mark.django_db


def put(api, path: str, body):
    return api.client.put(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **api.headers
    )


def capture(api, external_id: str, **extra):
    body = order_body(external_id, shipping_address=BERLIN, **extra)
    response = api.post("/orders", body)
    assert response.status_code == 201, response.content
    return response.json()


def locations_of(order: dict) -> set[str]:
    return {fo["location"] for fo in order["fulfillment_orders"]}


@pytest.fixture
def net(db):
    return network()


def test_from_1_october_stores_ship_before_the_central_warehouse(api, net, monkeypatch):
    at(datetime(2025, 9, 1, 9, 0, tzinfo=UTC), monkeypatch)
    created = api.post(
        "/sourcing/profiles", {"code": "default", "name": "Default", "definition": SEPTEMBER}
    )
    assert created.status_code == 201, created.content
    assert created.json()["is_default"] is True
    assert created.json()["draft"]["number"] == 1
    activated = api.post("/sourcing/profiles/default/versions/1/activate", {})
    assert activated.status_code == 200, activated.content
    assert activated.json()["in_effect"] == 1

    # The change, in mid-September: a new draft, activated from 1 October.
    at(datetime(2025, 9, 15, 9, 0, tzinfo=UTC), monkeypatch)
    draft = put(api, "/sourcing/profiles/default/draft", {"definition": OCTOBER})
    assert draft.status_code == 200, draft.content
    assert draft.json()["number"] == 2
    october = api.post(
        "/sourcing/profiles/default/versions/2/activate",
        {"effective_from": "2025-10-01T00:00:00+02:00"},
    )
    assert october.status_code == 200, october.content

    at(FIRST_OCTOBER - timedelta(hours=3), monkeypatch)  # 30 Sept, 23:00 in Berlin
    september_order = capture(api, "W-SEPT")
    at(FIRST_OCTOBER, monkeypatch)  # 02:00 on 1 October in Berlin
    october_order = capture(api, "W-OCT")
    assert locations_of(september_order) == {"CENTRAL"}
    assert locations_of(october_order) == {"STORE-POTSDAM"}

    versions = api.get("/sourcing/profiles/default/versions").json()
    assert [(v["number"], v["status"]) for v in versions] == [(2, "active"), (1, "active")]
    audit = api.get("/sourcing/profiles/default/audit").json()
    assert [a["action"] for a in audit][:2] == ["activated", "draft_created"]
    assert audit[0]["actor"] == "token:admin"

    explained = api.get(f"/orders/{october_order['id']}/sourcing")
    assert explained.status_code == 200
    [decision] = explained.json()
    assert (decision["profile"], decision["version"], decision["outcome"]) == (
        "default",
        2,
        "allocated",
    )
    assert decision["shipments"] == {"STORE-POTSDAM": {"0": 2, "1": 1}}
    assert decision["sentences"][0].startswith("Allocated by strategy 'everywhere'")
    assert any(
        "STORE-POTSDAM: (store) has all 3 items and is 26 km away; ranked 1st of 2" in s
        for s in decision["sentences"]
    )


def test_the_timeline_carries_the_decision(api, net):
    order = capture(api, "W-1")
    timeline = api.get(f"/orders/{order['id']}/timeline").json()
    sourcing = timeline[0]["data"]["sourcing"]
    decision = SourcingDecision.objects.get(order_id=order["id"])
    assert sourcing["decision_id"] == decision.pk
    assert sourcing["profile"] == "built-in"


@pytest.mark.parametrize(
    ("definition", "code"),
    [
        (
            {"strategies": [{"name": "s", "filters": [{"type": "in_groups", "groups": ["x"]}]}]},
            "unknown_group",
        ),
        (
            {
                "strategies": [
                    {"name": "a", "fallback": {"kind": "strategy", "strategy": "b"}},
                    {"name": "b", "fallback": {"kind": "strategy", "strategy": "a"}},
                ]
            },
            "fallback_cycle",
        ),
        (
            {
                "strategies": [
                    {
                        "name": "nowhere",
                        "condition": {"fact": "order.value", "op": "in", "value": []},
                    }
                ]
            },
            "never_matches",
        ),
    ],
)
def test_bad_configuration_is_refused_with_a_clear_problem(api, net, definition, code):
    api.post("/sourcing/profiles", {"code": "default", "name": "Default"})
    response = put(api, "/sourcing/profiles/default/draft", {"definition": definition})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "invalid_profile"
    codes = {e["code"] for e in problem["errors"]}
    assert code in codes or any(code.split("_")[0] in c for c in codes), problem
    assert all(e["field"].startswith("definition.") for e in problem["errors"])
    assert not SourcingProfileVersion.objects.exists()
    checked = api.post("/sourcing/profiles/default/draft/validate", {"definition": definition})
    assert checked.status_code == 200
    assert checked.json()["valid"] is False


def test_inputs_forbid_unknown_fields(api, net):
    response = api.post("/sourcing/profiles", {"code": "d", "name": "D", "colour": "red"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_only_drafts_are_activated_and_scopes_are_checked(api, net, client):
    api.post("/sourcing/profiles", {"code": "default", "name": "D", "definition": SEPTEMBER})
    assert api.post("/sourcing/profiles/default/versions/1/activate").status_code == 200
    again = api.post("/sourcing/profiles/default/versions/1/activate")
    assert again.status_code == 409
    assert again.json()["code"] == "version_not_draft"
    assert api.post("/sourcing/profiles/default/versions/9/activate").status_code == 404
    reader = make_token("sourcing:read", name="reader")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {reader}"}
    assert client.get("/api/v1/sourcing/profiles", **headers).status_code == 200
    refused = client.post(
        "/api/v1/sourcing/profiles",
        data=json.dumps({"code": "x", "name": "X"}),
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 403


def test_simulate_a_draft_on_an_order_and_on_a_cart_reserves_nothing(api, net):
    order = capture(api, "W-1")
    api.post("/sourcing/profiles", {"code": "default", "name": "D", "definition": OCTOBER})
    before = SourcingDecision.objects.count()
    on_order = api.post(
        "/sourcing/simulate", {"profile": "default", "version": "draft", "order_id": order["id"]}
    )
    assert on_order.status_code == 200, on_order.content
    body = on_order.json()
    assert body["profile"] == "default v1 (draft)"
    assert body["shipments"] == [{"location": "STORE-POTSDAM", "lines": {"1": 2, "2": 1}}]
    assert body["sentences"][0].startswith("Allocated")
    on_cart = api.post(
        "/sourcing/simulate",
        {
            "definition": SEPTEMBER,
            "cart": {
                "lines": [{"sku": "TEE", "quantity": 3}],
                "destination": {"country": "DE", "latitude": "52.52", "longitude": "13.40"},
                "channel": "web",
            },
        },
    )
    assert on_cart.status_code == 200, on_cart.content
    assert on_cart.json()["shipments"] == [{"location": "CENTRAL", "lines": {"1": 3}}]
    assert SourcingDecision.objects.count() == before
    stock = api.get("/inventory/balances", sku="TEE").json()
    assert sum(b["committed"] for b in stock["items"]) == 2  # only the captured order's
    both = api.post("/sourcing/simulate", {"order_id": order["id"], "cart": on_cart.json()})
    assert both.status_code == 422


def test_backtest_compares_the_draft_with_the_version_in_effect(api, net):
    api.post("/sourcing/profiles", {"code": "default", "name": "D", "definition": SEPTEMBER})
    api.post("/sourcing/profiles/default/versions/1/activate")
    for i in range(3):
        capture(api, f"W-{i}", lines=[{"sku": "MUG", "quantity": 1, "unit_price": "9.50"}])
    put(api, "/sourcing/profiles/default/draft", {"definition": OCTOBER})
    response = api.post("/sourcing/backtest", {"profile": "default", "orders": 10})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["orders"] == 3
    assert body["baseline_profile"] == "default v1 (active)"
    assert body["candidate_profile"] == "default v2 (draft)"
    assert body["baseline"]["store_share"] == 0.0
    assert body["candidate"]["store_share"] == 1.0
    assert body["candidate"]["average_km"] < body["baseline"]["average_km"]
    assert body["changed_orders"] == 3
    for side in ("baseline", "candidate"):
        assert {"split_rate", "unfillable_lines", "over_capacity"} <= body[side].keys()


def test_promise_gives_ship_and_delivery_dates_from_calendars_and_transit_times(api, net):
    schedule = {
        "calendar": {
            "timezone": "Europe/Berlin",
            "hours": {d: [["08:00", "18:00"]] for d in ("Mon", "Tue", "Wed", "Thu", "Fri")},
            "cutoff": "15:00",
        }
    }
    assert put(api, "/sourcing/schedules/CENTRAL", schedule).status_code == 200
    zones = {
        "zones": [
            {"country": "DE", "postal_prefix": "1", "zone": "east"},
            {"country": "DE", "postal_prefix": "2", "zone": "north"},
        ],
        "distances": [{"zone_a": "east", "zone_b": "north", "km": "280"}],
    }
    assert put(api, "/sourcing/zones", zones).status_code == 200
    transit = {
        "transit_times": [
            {"service": "standard", "from_zone": "*", "to_zone": "east", "days": 2},
            {"service": "standard", "days": 3},
        ]
    }
    assert put(api, "/sourcing/transit-times", transit).status_code == 200
    net["central"].postal_code = "20095"
    net["central"].save()
    cart = {
        "lines": [{"sku": "TEE", "quantity": 10}],
        "destination": {"country": "DE", "postal_code": "10117"},
        "channel": "web",
        "service": "standard",
    }
    # Thursday 2 October 2025, 14:00 in Berlin: before the cut-off
    thursday = datetime(2025, 10, 2, 12, 0, tzinfo=UTC).isoformat()
    answer = api.post("/promise", {**cart, "at": thursday})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["can_ship"] is True
    assert body["ship_date"] == "2025-10-02"
    assert body["delivery_date"] == "2025-10-06"  # Fri + Mon (weekdays only)
    assert body["shipments"][0]["location"] == "CENTRAL"
    # After the cut-off it leaves the next working day
    late = datetime(2025, 10, 3, 14, 0, tzinfo=UTC).isoformat()  # Friday 16:00
    body = api.post("/promise", {**cart, "at": late}).json()
    assert (body["ship_date"], body["delivery_date"]) == ("2025-10-06", "2025-10-08")
    too_much = api.post("/promise", {**cart, "lines": [{"sku": "TEE", "quantity": 999}]})
    assert too_much.json()["can_ship"] is False


def test_a_promise_by_a_carrier_service_counts_its_transit_days_as_the_rate_shop(api, net):
    # given DHL Paket (2 transit days) and no transit table row for it
    paket(transit_days=2)
    cart = {
        "lines": [{"sku": "TEE", "quantity": 1}],
        "destination": {"country": "DE", "postal_code": "10117"},
        "channel": "web",
        "service": "dhl:paket",
    }
    # when a promise by it is asked on Thursday (no calendar: ships today)
    thursday = datetime(2025, 10, 2, 12, 0, tzinfo=UTC).isoformat()
    body = api.post("/promise", {**cart, "at": thursday}).json()
    # then it arrives 2 working days later, as the rate shop would deliver it
    assert (body["ship_date"], body["delivery_date"]) == ("2025-10-02", "2025-10-06")
    assert body["shipments"][0]["transit_days"] == 2
    assert "2 transit days by dhl:paket" in body["shipments"][0]["reason"]
    # and a row of the merchant's own table for it wins
    rows = {"transit_times": [{"service": "dhl:paket", "days": 1}]}
    assert put(api, "/sourcing/transit-times", rows).status_code == 200
    body = api.post("/promise", {**cart, "at": thursday}).json()
    assert body["delivery_date"] == "2025-10-03"
    # and a service switched off is no longer known: no date
    paket(transit_days=2)
    CarrierService.objects.update(is_active=False)
    put(api, "/sourcing/transit-times", {"transit_times": []})
    assert api.post("/promise", {**cart, "at": thursday}).json()["delivery_date"] is None


def test_a_bad_calendar_is_refused(api, net):
    bad = {"calendar": {"timezone": "Mars/Olympus", "hours": {"Mon": [["18:00", "08:00"]]}}}
    response = put(api, "/sourcing/schedules/CENTRAL", bad)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"calendar.timezone", "calendar.hours.Mon[0]"} <= fields


def test_an_order_outside_the_token_channels_has_no_sourcing(api, net, client):
    order = capture(api, "W-1")
    from tests.factories import make_channel

    other = make_channel("shop", currency="EUR")
    token = make_token("orders:read", name="other", channel_codes=[other.code])
    response = client.get(
        f"/api/v1/orders/{order['id']}/sourcing", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 404


def test_a_zone_prefix_that_upper_casing_lengthens_is_refused_not_a_server_error(api):
    # 'ß' upper-cases to 'SS': 9 of them become 18 characters, over the column's 16
    zones = {"zones": [{"country": "DE", "postal_prefix": "ß" * 9, "zone": "Z1"}]}
    response = put(api, "/sourcing/zones", zones)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "zones.0.postal_prefix"


def test_a_zone_country_must_be_an_iso_code(api):
    response = put(api, "/sourcing/zones", {"zones": [{"country": "ÃX", "zone": "Z1"}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "zones.0.country"
