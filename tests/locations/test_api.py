"""Locations and location groups over HTTP."""

import pytest

from ordino.locations.models import Location, LocationGroup
from tests.factories import auth, make_location, make_token

pytestmark = pytest.mark.django_db


def assert_problem(resp, status, code, field=None):
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"] == "application/problem+json"
    body = resp.json()
    assert body["code"] == code
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


def test_create_group_and_location(api):
    # given a group of the northern warehouses
    assert api.post("/location-groups", {"code": "north", "name": "North"}).status_code == 201
    # when a warehouse is created in it
    resp = api.post(
        "/locations",
        {
            "code": "WH-HAM",
            "name": "Hamburg",
            "country": "de",
            "city": "Hamburg",
            "latitude": "53.551086",
            "longitude": 9.993682,
            "groups": ["north"],
            "priority": 10,
        },
    )
    # then it is stored with a normalised country and its group
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert (body["code"], body["kind"], body["country"], body["groups"], body["priority"]) == (
        "WH-HAM",
        "warehouse",
        "DE",
        ["north"],
        10,
    )
    assert body["latitude"] == "53.551086"
    assert list(Location.objects.get(code="WH-HAM").groups.values_list("code", flat=True)) == [
        "north"
    ]
    assert api.get("/location-groups").json() == {
        "items": [{"code": "north", "name": "North"}],
        "next_cursor": None,
    }


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"code": "WH-1", "name": "Dup"}, 409, "location_exists", "code"),
        ({"code": "NEW", "name": "x", "country": "XX"}, 422, "invalid_country", "country"),
        (
            {"code": "NEW", "name": "x", "groups": ["nope"]},
            422,
            "location_group_not_found",
            "groups",
        ),
        (
            {"code": "NEW", "name": "x", "latitude": "52.5"},
            422,
            "coordinates_incomplete",
            "longitude",
        ),
        ({"code": "NEW", "name": "x", "kind": "depot"}, 422, "validation_error", "kind"),
        (
            {"code": "NEW", "name": "x", "created_at": "2024-01-01T00:00:00Z"},
            422,
            "validation_error",
            "created_at",
        ),
        ({"code": "NEW", "name": "x", "dock_doors": 4}, 422, "validation_error", "dock_doors"),
    ],
)
def test_bad_location_is_refused(api, body, status, code, field):
    make_location("WH-1")
    assert_problem(api.post("/locations", body), status, code, field)
    assert list(Location.objects.values_list("code", flat=True)) == ["WH-1"]


def test_duplicate_group_is_a_conflict(api):
    api.post("/location-groups", {"code": "north", "name": "North"})
    assert_problem(
        api.post("/location-groups", {"code": "north", "name": "Again"}),
        409,
        "location_group_exists",
        "code",
    )
    assert list(LocationGroup.objects.values_list("name", flat=True)) == ["North"]


def test_missing_token_is_unauthorized(client):
    resp = client.post(
        "/api/v1/locations", {"code": "X", "name": "X"}, content_type="application/json"
    )
    assert_problem(resp, 401, "unauthenticated")
    assert Location.objects.count() == 0


def test_patch_location_replaces_groups(api):
    api.post("/location-groups", {"code": "north", "name": "North"})
    api.post("/location-groups", {"code": "stores", "name": "Stores"})
    api.post("/locations", {"code": "S-1", "name": "Store", "groups": ["north"]})
    resp = api.patch(
        "/locations/S-1",
        {"kind": "store", "pickup": True, "groups": ["stores"], "daily_capacity": 40},
    )
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert (body["kind"], body["pickup"], body["groups"], body["daily_capacity"]) == (
        "store",
        True,
        ["stores"],
        40,
    )
    assert api.get("/locations/S-1").json()["groups"] == ["stores"]


def test_patch_bad_country_changes_nothing(api):
    make_location("WH-1", country="DE")
    assert_problem(
        api.patch("/locations/WH-1", {"country": "ZZ", "name": "New"}),
        422,
        "invalid_country",
        "country",
    )
    loc = Location.objects.get()
    assert (loc.country, loc.name) == ("DE", "Location WH-1")


def test_patch_code_is_refused(api):
    make_location("WH-1")
    assert_problem(api.patch("/locations/WH-1", {"code": "WH-2"}), 422, "validation_error", "code")
    assert Location.objects.get().code == "WH-1"


def test_list_filters(api):
    api.post("/location-groups", {"code": "north", "name": "North"})
    make_location("WH-1", country="DE")
    make_location("S-1", kind=Location.STORE, country="FR", ships=False)
    api.patch("/locations/WH-1", {"groups": ["north"]})

    def codes(**params):
        resp = api.get("/locations", **params)
        assert resp.status_code == 200, resp.content
        return [loc["code"] for loc in resp.json()["items"]]

    assert codes() == ["WH-1", "S-1"]
    assert codes(kind="store") == ["S-1"]
    assert codes(group="north") == ["WH-1"]
    assert codes(ships="false") == ["S-1"]
    assert codes(pickup="true") == ["S-1"]
    assert codes(country="fr") == ["S-1"]


def test_location_restricted_token_sees_only_its_locations(client):
    # given a token limited to WH-1
    make_location("WH-1")
    make_location("WH-2")
    headers = auth(make_token("locations", location_codes=["WH-1"]))
    # then the list holds WH-1 only and WH-2 answers 404 to reads and writes
    listed = client.get("/api/v1/locations", **headers).json()["items"]
    assert [loc["code"] for loc in listed] == ["WH-1"]
    assert client.get("/api/v1/locations/WH-1", **headers).status_code == 200
    assert_problem(client.get("/api/v1/locations/WH-2", **headers), 404, "location_not_found")
    resp = client.patch(
        "/api/v1/locations/WH-2", {"name": "Mine"}, content_type="application/json", **headers
    )
    assert_problem(resp, 404, "location_not_found")
    assert Location.objects.get(code="WH-2").name == "Location WH-2"
    # and it cannot create locations
    resp = client.post(
        "/api/v1/locations",
        {"code": "WH-3", "name": "x"},
        content_type="application/json",
        **headers,
    )
    assert_problem(resp, 403, "token_restricted")
    assert Location.objects.count() == 2
    # nor change its own: a location's record steers sourcing for the whole network
    resp = client.patch(
        "/api/v1/locations/WH-1", {"name": "Mine"}, content_type="application/json", **headers
    )
    assert_problem(resp, 403, "token_restricted")
    assert Location.objects.get(code="WH-1").name == "Location WH-1"


def test_read_scope_cannot_write(client):
    make_location("WH-1")
    headers = auth(make_token("locations:read"))
    resp = client.patch(
        "/api/v1/locations/WH-1", {"name": "x"}, content_type="application/json", **headers
    )
    assert_problem(resp, 403, "insufficient_scope")
    assert Location.objects.get().name == "Location WH-1"
