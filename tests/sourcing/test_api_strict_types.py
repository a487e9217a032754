"""Sourcing inputs are bounded to what is stored (issue 7): a BC `effective_from` once made every
profile endpoint answer 500; a huge `cost_per_shipment` was a 500; countries are ISO codes."""

from __future__ import annotations

import json

import pytest

from ordino.sourcing.models import (
    DistanceZone,
    LocationSchedule,
    ProfileAudit,
    SourcingProfile,
    SourcingProfileVersion,
)

from .helpers import SEPTEMBER, network

pytestmark = pytest.mark.django_db


def put(api, path: str, body):
    return api.client.put(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **api.headers
    )


def database() -> tuple:
    return (
        sorted(SourcingProfile.objects.values_list("code", "is_default")),
        sorted(SourcingProfileVersion.objects.values_list("id", "status", "effective_from")),
        ProfileAudit.objects.count(),
        sorted(DistanceZone.objects.values_list("country", "postal_prefix", "zone")),
        sorted(LocationSchedule.objects.values_list("location_id", "cost_per_shipment")),
    )


@pytest.fixture
def net(db):
    return network()


def assert_refused(response, code: str, field: str) -> None:
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
    assert [e["field"] for e in response.json()["errors"]] == [field]


BC = "0001-01-01T00:00:00+14:00"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (BC, "date_out_of_range"),
        ("1969-12-31T00:00:00Z", "date_out_of_range"),
        ("9999-12-31T23:59:59-14:00", "date_out_of_range"),
        ("2999-01-01T00:00:00Z", "date_too_far"),
    ],
)
def test_an_effective_from_out_of_range_is_refused_everywhere(api, net, value, code):
    # given a profile with a draft
    body = {"code": "p", "name": "P", "definition": SEPTEMBER}
    assert api.post("/sourcing/profiles", body).status_code == 201
    before = database()
    # when effective_from is out of range in creation, draft, activation or the definition
    refusals = [
        (
            api.post("/sourcing/profiles", {**body, "code": "q", "effective_from": value}),
            "effective_from",
        ),
        (
            put(
                api,
                "/sourcing/profiles/p/draft",
                {"definition": SEPTEMBER, "effective_from": value},
            ),
            "effective_from",
        ),
        (
            api.post("/sourcing/profiles/p/versions/1/activate", {"effective_from": value}),
            "effective_from",
        ),
    ]
    inside = put(
        api, "/sourcing/profiles/p/draft", {"definition": {**SEPTEMBER, "effective_from": value}}
    )
    # then each is a 422 naming the field, nothing changed, and the profiles still read
    for response, field in refusals:
        assert_refused(response, code, field)
    assert_refused(inside, "date_out_of_range", "definition.effective_from")
    assert database() == before
    assert api.get("/sourcing/profiles").status_code == 200
    assert api.get("/sourcing/profiles/p/versions").status_code == 200


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1e400", "validation_error"),
        ("1E+999999999", "validation_error"),
        (True, "validation_error"),
        ("10000000000.00", "amount_too_large"),
        (1e30, "amount_too_large"),
    ],
)
def test_a_cost_per_shipment_past_its_column_is_refused(api, net, value, code):
    before = database()
    response = put(api, "/sourcing/schedules/CENTRAL", {"cost_per_shipment": value})
    assert_refused(response, code, "cost_per_shipment")
    assert database() == before


def test_the_largest_cost_per_shipment_round_trips(api, net):
    response = put(api, "/sourcing/schedules/CENTRAL", {"cost_per_shipment": "9999999999.99"})
    assert response.status_code == 200, response.content
    assert api.get("/sourcing/schedules/CENTRAL").json()["cost_per_shipment"] == "9999999999.99"


def test_zone_countries_are_iso_codes_stored_upper_case(api, net):
    before = database()
    bad = put(api, "/sourcing/zones", {"zones": [{"country": "XX", "zone": "z"}]})
    assert_refused(bad, "invalid_country", "zones.0.country")
    assert database() == before
    good = put(api, "/sourcing/zones", {"zones": [{"country": "de", "zone": "z"}]})
    assert good.status_code == 200, good.content
    assert list(DistanceZone.objects.values_list("country", flat=True)) == ["DE"]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"destination": {"country": "XX"}}, "invalid_country", "destination.country"),
        ({"currency": "XYZ"}, "unknown_currency", "currency"),
        ({"value": "1e400"}, "validation_error", "value"),
        ({"lines": [{"sku": "TEE", "quantity": "1"}]}, "validation_error", "lines.0.quantity"),
        ({"at": BC}, "date_out_of_range", "at"),
    ],
)
def test_a_promise_cart_with_a_bad_value_names_the_field(api, net, change, code, field):
    cart = {"lines": [{"sku": "TEE", "quantity": 1}], "destination": {"country": "de"}}
    assert api.post("/promise", cart).status_code == 200
    assert_refused(api.post("/promise", {**cart, **change}), code, field)


def test_an_unknown_sku_in_a_cart_names_its_line(api, net):
    cart = {
        "lines": [{"sku": "TEE", "quantity": 1}, {"sku": "NOPE", "quantity": 1}],
        "destination": {"country": "DE"},
    }
    response = api.post("/promise", cart)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "sku_not_found"
    assert [e["field"] for e in response.json()["errors"]] == ["lines.1.sku"]
