"""`/api/v1/shipping`: services created and changed, tables and surcharges loaded, quotes asked —
with the scopes, the limits and problems that name the field or row."""

from __future__ import annotations

import json

import pytest

from ordino.audit.models import AuditEntry
from ordino.shipping.models import CarrierService, RateBracket, ServiceSurcharge, ServiceZone
from tests.conftest import ApiClient
from tests.factories import auth, make_location, make_token
from tests.shipping.test_loading import RATES, ZONES

pytestmark = pytest.mark.django_db
PAKET = "/shipping/services/dhl/paket"
SETTINGS = {
    "name": "DHL Paket",
    "currency": "EUR",
    "max_weight": "31.5",
    "max_longest": 120,
    "max_length_plus_girth": 300,
    "transit_days": 2,
}
BOX = {"length_cm": 30, "width_cm": 20, "height_cm": 10, "weight_kg": "1.2"}


def put(api: ApiClient, path: str, body=None, *, csv: bytes | None = None):
    if csv is not None:
        return api.client.put(f"/api/v1{path}", data=csv, content_type="text/csv", **api.headers)
    return api.client.put(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **api.headers
    )


@pytest.fixture
def paket(api):
    assert put(api, PAKET, SETTINGS).status_code == 201
    assert put(api, f"{PAKET}/zones", csv=ZONES).json() == {"rows": 3}
    assert put(api, f"{PAKET}/rates", csv=RATES).json() == {"rows": 4}


def test_a_service_is_created_then_changed_and_read_back(api):
    # when a service is created, then its transit changed
    created = put(api, PAKET, SETTINGS)
    changed = put(api, PAKET, {**SETTINGS, "transit_days": 3, "reason": "new hub"})
    # then 201 then 200, both audited with the token as actor
    assert (created.status_code, changed.status_code) == (201, 200)
    body = api.get(PAKET).json()
    assert (body["key"], body["transit_days"], body["max_weight"]) == ("dhl:paket", 3, "31.500")
    assert (body["zones"], body["brackets"], body["surcharges"]) == (0, 0, [])
    entries = AuditEntry.objects.filter(object_type="carrier_service").order_by("pk")
    assert [(e.action, e.actor, e.reason) for e in entries] == [
        ("created", "token:admin", ""),
        ("changed", "token:admin", "new hub"),
    ]


def test_tables_and_surcharges_are_loaded_and_listed(api, paket):
    # when a fuel surcharge is set
    fuel = put(api, f"{PAKET}/surcharges/fuel", {"percent": "12.5"})
    # then the service lists its table sizes and the surcharge
    assert fuel.status_code == 200, fuel.content
    page = api.get("/shipping/services").json()
    [row] = page["items"]
    assert (row["zones"], row["brackets"]) == (3, 4)
    assert [(s["kind"], s["percent"]) for s in row["surcharges"]] == [("fuel", "12.500")]
    # and removing it twice: 204, then 404 and nothing changed
    assert api.delete(f"{PAKET}/surcharges/fuel").status_code == 204
    again = api.delete(f"{PAKET}/surcharges/fuel")
    assert (again.status_code, again.json()["code"]) == (404, "surcharge_not_found")
    assert ServiceSurcharge.objects.count() == 0


def test_a_bad_rate_sheet_names_its_row_and_changes_nothing(api, paket):
    # given a sheet whose second zone-1 bracket starts after a gap
    bad = b"zone,above,up_to,price\n1,0,2,4.90\n1,3,10,7.90\n"
    # when it is loaded
    r = put(api, f"{PAKET}/rates", csv=bad)
    # then 422 naming row 3, and the sheet before stands
    assert (r.status_code, r.json()["code"]) == (422, "invalid_rate_sheet"), r.content
    assert r.json()["errors"] == [
        {"field": "row 3", "code": "bracket_gap",
         "message": "Row 3: zone 1: starts above 3, after 2 (row 2)."}
    ]  # fmt: skip
    assert RateBracket.objects.count() == 4


def test_a_table_must_be_csv(api, paket):
    r = put(api, f"{PAKET}/zones", {"zone": "1"})
    assert (r.status_code, r.json()["code"]) == (415, "unsupported_media_type")
    assert ServiceZone.objects.count() == 3


def test_a_table_for_an_unknown_service_is_404(api):
    r = put(api, "/shipping/services/dhl/nope/zones", csv=ZONES)
    assert (r.status_code, r.json()["code"]) == (404, "carrier_service_not_found")
    assert ServiceZone.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"max_weight": "1000.001"}, "max_weight", "amount_too_large"),
        ({"max_weight": 0}, "max_weight", "invalid_service"),
        ({"transit_days": 61}, "transit_days", "less_than_equal"),
        ({"currency": "EURO"}, "currency", "string_pattern_mismatch"),
        ({"name": "x" * 101}, "name", "string_too_long"),
        ({"unit": "g"}, "unit", "literal_error"),
        ({"divisor": 0}, "divisor", "invalid_dim_rule"),
        ({"colour": "red"}, "colour", "extra_forbidden"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(api, change, field, code):
    r = put(api, PAKET, {**SETTINGS, **change})
    assert r.status_code == 422, r.content
    problem = r.json()
    assert (problem["errors"][0]["field"], problem["errors"][0]["code"]) == (field, code)
    assert CarrierService.objects.count() == 0


def test_a_quote_explains_its_choice(api, paket):
    # when a parcel to Berlin is quoted
    r = api.post(
        "/shipping/quote",
        {"parcels": [BOX], "destination": {"country": "DE", "postal_code": "10115"},
         "ship_day": "2026-12-04"},
    )  # fmt: skip
    # then DHL Paket, zone 1, 4.90 EUR, delivered Tuesday
    assert r.status_code == 200, r.content
    chosen = r.json()["chosen"]
    assert (chosen["service"], chosen["total"], chosen["delivery"]) == (
        "dhl:paket",
        "4.90",
        "2026-12-08",
    )
    assert chosen["parcels"][0]["zone"] == "1"


def test_a_quote_names_the_bad_parcel(api, paket):
    body = {"parcels": [BOX, {**BOX, "weight_kg": 0}], "destination": {"country": "DE"}}
    r = api.post("/shipping/quote", body)
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "parcels.1.weight_kg")


def test_an_address_no_zone_covers_leaves_every_service_out(api, paket):
    r = api.post("/shipping/quote", {"parcels": [BOX], "destination": {"country": "FR"}})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["chosen"] is None
    assert [(o["service"], o["code"]) for o in body["left_out"]] == [
        ("dhl:paket", "address_not_covered")
    ]


def test_scopes_and_limits(client, paket):
    # given a read-only token and a location-limited writer
    reader = make_token("shipping:read", name="reader")
    limited = make_token("shipping:write", name="limited", location_codes=[make_location("S").code])
    # then the reader reads and quotes but cannot write; the limited token cannot write either
    assert client.get(f"/api/v1{PAKET}", **auth(reader)).status_code == 200
    r = client.put(
        f"/api/v1{PAKET}", json.dumps(SETTINGS), content_type="application/json", **auth(reader)
    )
    assert (r.status_code, r.json()["code"]) == (403, "insufficient_scope")
    r = client.put(
        f"/api/v1{PAKET}", json.dumps(SETTINGS), content_type="application/json", **auth(limited)
    )
    assert (r.status_code, r.json()["code"]) == (403, "token_restricted")
    # and a token without shipping scopes reads nothing
    other = make_token("orders:read", name="other")
    assert client.get("/api/v1/shipping/services", **auth(other)).status_code == 403
    assert AuditEntry.objects.filter(action="changed").count() == 0


def test_a_deactivated_service_is_not_quoted_until_it_is_activated_again(api, paket):
    quote = {"parcels": [BOX], "destination": {"country": "DE", "postal_code": "10115"}}
    # when the service is deactivated, with a reason
    off = api.post(f"{PAKET}/deactivate", {"reason": "strike"})
    # then it reads inactive, keeps its tables, and no quote offers it
    assert off.status_code == 200, off.content
    assert (off.json()["is_active"], off.json()["zones"], off.json()["brackets"]) == (False, 3, 4)
    body = api.post("/shipping/quote", quote).json()
    assert (body["chosen"], body["runners_up"], body["left_out"]) == (None, [], [])
    # and asking again changes nothing: one audit entry
    assert api.post(f"{PAKET}/deactivate", {"reason": "again"}).status_code == 200
    # when it is activated again, it is quoted again
    assert api.post(f"{PAKET}/activate", {}).json()["is_active"] is True
    assert api.post("/shipping/quote", quote).json()["chosen"]["service"] == "dhl:paket"
    entries = AuditEntry.objects.filter(action__in=("activated", "deactivated")).order_by("pk")
    assert [(e.action, e.reason, e.before["is_active"]) for e in entries] == [
        ("deactivated", "strike", True),
        ("activated", "", False),
    ]


def test_switching_an_unknown_or_shared_service_is_refused_and_changes_nothing(client, api, paket):
    # an unknown service: 404
    r = api.post("/shipping/services/dhl/nope/deactivate", {})
    assert (r.status_code, r.json()["code"]) == (404, "carrier_service_not_found")
    # a location-limited writer: 403 (services rate every location's parcels)
    limited = make_token("shipping:write", name="limited", location_codes=[make_location("S").code])
    r = client.post(
        f"/api/v1{PAKET}/deactivate", "{}", content_type="application/json", **auth(limited)
    )
    assert (r.status_code, r.json()["code"]) == (403, "token_restricted")
    # a reason past 500 characters: 422 naming it
    r = api.post(f"{PAKET}/deactivate", {"reason": "x" * 501})
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "reason")
    assert CarrierService.objects.get(code="paket").is_active is True
    assert not AuditEntry.objects.filter(action="deactivated").exists()
