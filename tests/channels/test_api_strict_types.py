"""Inputs take JSON types as documented: 0 is no boolean, "5" no integer (found by fuzzing)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("extra", "field"), [({"is_active": 0}, "is_active"), ({"stock_buffer": "2"}, "stock_buffer")]
)
def test_a_channel_with_a_coerced_type_is_refused(api, extra, field):
    body = {"code": "web", "name": "Web", "kind": "web", "currency": "EUR", **extra}
    resp = api.post("/channels", body)
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == [field]
    assert api.get("/channels/web").status_code == 404


def test_a_stock_buffer_beyond_a_database_integer_is_refused_not_a_server_error(api):
    body = {"code": "web", "name": "Web", "kind": "web", "currency": "EUR", "stock_buffer": 2**63}
    resp = api.post("/channels", body)
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["stock_buffer"]


# --- issue 7: a currency is an ISO 4217 code in any case, stored upper-case --------------------


def test_a_currency_in_lower_case_is_stored_upper_case(api):
    body = {"code": "web", "name": "Web", "kind": "web", "currency": "eur"}
    resp = api.post("/channels", body)
    assert resp.status_code == 201, resp.content
    assert resp.json()["currency"] == "EUR"


@pytest.mark.parametrize(
    ("currency", "code"), [("XYZ", "unknown_currency"), ("EURO", "validation_error")]
)
def test_an_unknown_currency_is_refused_naming_the_field(api, currency, code):
    body = {"code": "web", "name": "Web", "kind": "web", "currency": currency}
    resp = api.post("/channels", body)
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] == code
    assert [e["field"] for e in resp.json()["errors"]] == ["currency"]
    assert api.get("/channels/web").status_code == 404


def test_excluded_location_codes_are_bounded(api):
    body = {"code": "web", "name": "Web", "kind": "web", "currency": "EUR"}
    resp = api.post("/channels", {**body, "excluded_locations": ["x" * 65]})
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["excluded_locations.0"]
    assert api.get("/channels/web").status_code == 404
