"""Inputs take JSON types as documented: 0 is no boolean, "5" no integer (found by fuzzing).
Coordinates stay decimals given as numbers or strings, as the document says."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"ships": 0}, "ships"), ({"priority": "10"}, "priority"), ({"is_active": 1}, "is_active")],
)
def test_a_location_with_a_coerced_type_is_refused(api, extra, field):
    resp = api.post("/locations", {"code": "WH1", "name": "Main", **extra})
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == [field]
    assert api.get("/locations/WH1").status_code == 404


def test_coordinates_may_be_numbers_or_strings(api):
    body = {"code": "WH1", "name": "Main", "latitude": 52, "longitude": "13.4"}
    resp = api.post("/locations", body)
    assert resp.status_code == 201, resp.content
    assert (resp.json()["latitude"], resp.json()["longitude"]) == ("52.000000", "13.400000")


def test_a_priority_beyond_a_database_integer_is_refused_not_a_server_error(api):
    resp = api.post("/locations", {"code": "WH1", "name": "Main", "priority": 2**63})
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["priority"]


# --- issue 7: countries are ISO codes in any case, stored upper-case -----------------------------


def test_a_country_in_lower_case_is_stored_upper_case_and_found_by_the_filter(api):
    resp = api.post("/locations", {"code": "WH1", "name": "Main", "country": "de"})
    assert resp.status_code == 201, resp.content
    assert resp.json()["country"] == "DE"
    found = api.get("/locations", country="de").json()["items"]
    assert [loc["code"] for loc in found] == ["WH1"]


@pytest.mark.parametrize(("name", "value"), [("country", "XX"), ("group", "x" * 65)])
def test_an_unknown_or_overlong_filter_is_a_422(api, name, value):
    resp = api.get("/locations", **{name: value})
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == [name]


def test_an_unknown_country_is_refused_and_changes_nothing(api):
    resp = api.post("/locations", {"code": "WH1", "name": "Main", "country": "XX"})
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] == "invalid_country"
    assert [e["field"] for e in resp.json()["errors"]] == ["country"]
    assert api.get("/locations/WH1").status_code == 404
