"""A carrier's manifest of a location's day, as PDF and CSV: every parcel handed over once,
none missing (many shipments), the totals, other carriers, days and locations left out, the
scope (404 outside the location, 403 for a channel-limited token) and `ordino shipping
manifest` (docs/shipping.md, "A day's manifest")."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ordino.shipping.documents.manifest_formats import manifest_csv
from ordino.shipping.documents.selectors import location_day_manifest
from ordino.shipping.domain.labels import PackageFacts, ShipmentFacts
from ordino.shipping.domain.manifests import manifest_make
from tests.conftest import ApiClient
from tests.factories import make_token, stock
from tests.shipping.labels.decode import pdf_text
from tests.shipping.labels.test_reads import shipped as ship

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 2)
NOON = datetime(2026, 12, 2, 12, tzinfo=UTC)
PATH = "/shipping/manifests/WH-A/dhl/2026-12-02"


@pytest.fixture
def stocked(shop):
    for location in ("wh_a", "wh_b"):
        for sku in ("TEE", "MUG"):
            stock(shop[location], shop[sku], 500)
    return shop


def two_parcels(prefix: str, carrier: str = "DHL") -> dict:
    return {
        "carrier": carrier,
        "service": "Paket",
        "tracking_numbers": [f"{prefix}-1", f"{prefix}-2"],
        "packages": [
            {"weight_grams": 1250, "tracking_number": f"{prefix}-1"},
            {"weight_grams": 800, "tracking_number": f"{prefix}-2"},
        ],
    }


def rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"))))


def test_the_days_manifest_as_csv_each_parcel_once_with_the_totals(api, stocked):
    # given two DHL shipments from WH-A that day (3 parcels), a UPS one, one the day before
    first = ship(api, "W-1", two_parcels("JD1"))
    second = ship(api, "W-2", {"carrier": "dhl", "tracking_numbers": ["JD2"]})
    ship(api, "W-3", {"carrier": "UPS", "tracking_numbers": ["1Z1"]})
    ship(api, "W-0", two_parcels("OLD"), at=datetime(2026, 12, 1, 23, 59, tzinfo=UTC))
    # when DHL's manifest of WH-A's day is asked for as CSV
    response = api.get(PATH, format="csv")
    # then a row per DHL parcel of the day, by shipment then parcel, and the total
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'inline; filename="manifest-WH-A-dhl-2026-12-02.csv"'
    )
    assert rows(response.content) == [
        ["shipment", "order", "tracking_number", "parcel", "weight_kg", "service", "city",
         "country"],
        [str(first), "Order W-1", "JD1-1", "1 of 2", "1.25", "Paket", "Berlin", "DE"],
        [str(first), "Order W-1", "JD1-2", "2 of 2", "0.8", "Paket", "Berlin", "DE"],
        [str(second), "Order W-2", "JD2", "1 of 1", "", "", "Berlin", "DE"],
        ["total", "", "", "3", "2.05", "", "", ""],
    ]  # fmt: skip


def test_the_manifest_as_pdf_with_totals_and_a_signature_line(api, stocked):
    ship(api, "W-1", two_parcels("JD1"))
    ship(api, "W-2", {"carrier": "DHL", "tracking_numbers": ["JD2"]})
    response = api.get(PATH)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    (page,) = pdf_text(response.content)
    for expected in ("Manifest DHL · WH-A · 2026-12-02", "JD1-1", "JD1-2", "JD2", "1.25 kg",
                     "Berlin, DE", "Total: 2 shipment(s), 3 parcel(s), 2.05 kg "
                     "(1 parcel(s) without a weight)", "Driver's name", "Signature",
                     "Page 1 of 1"):  # fmt: skip
        assert expected in page


def test_many_shipments_every_parcel_once_none_missing(api, stocked):
    # given 60 DHL shipments of 1 to 3 parcels that day
    expected = []
    for n in range(60):
        count = 1 + n % 3
        numbers = [f"M{n:02d}-{i}" for i in range(count)]
        body = {"carrier": "DHL", "tracking_numbers": numbers,
                "packages": [{"weight_grams": 100 * (i + 1), "tracking_number": t}
                             for i, t in enumerate(numbers)]}  # fmt: skip
        ship(api, f"W-{n}", body, lines=[{"sku": "TEE", "quantity": 1, "unit_price": "1"}])
        expected += numbers
    # when the manifest is read as CSV and as PDF
    csv_rows = rows(api.get(PATH, format="csv").content)
    pages = pdf_text(api.get(PATH).content)
    # then each tracking number once in each, in shipment order; the totals add up
    assert [r[2] for r in csv_rows[1:-1]] == expected
    assert csv_rows[-1] == ["total", "", "", "120", "20", "", "", ""]
    printed = [t for page in pages for t in page.split() if t.startswith("M") and "-" in t]
    assert printed == expected
    assert len(pages) > 1 and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Total: 60 shipment(s), 120 parcel(s), 20 kg" in pages[-1]


def test_an_empty_day_is_an_empty_manifest(api, stocked):
    assert rows(api.get(PATH, format="csv").content) == [
        ["shipment", "order", "tracking_number", "parcel", "weight_kg", "service", "city",
         "country"],
        ["total", "", "", "0", "0", "", "", ""],
    ]  # fmt: skip


def test_two_parcels_with_one_tracking_number_are_refused_naming_both(api, stocked):
    first = ship(api, "W-1", {"carrier": "DHL", "tracking_numbers": ["SAME"]})
    second = ship(api, "W-2", {"carrier": "DHL", "tracking_numbers": ["SAME"]})
    response = api.get(PATH, format="csv")
    assert (response.status_code, response.json()["code"]) == (409, "duplicate_tracking_number")
    assert response.json()["detail"] == (
        f"Tracking number 'SAME' is on parcel 1 of 1 of shipment {first} and parcel 1 of 1 of "
        f"shipment {second}: a parcel is on the manifest once."
    )


def test_a_cell_a_spreadsheet_would_run_is_quoted():
    facts = ShipmentFacts(
        shipment_id=1, order_reference="Order =1+1", carrier="DHL", service="-x",
        sender={}, recipient={"city": "=HYPERLINK(1)", "country": "de"}, day=DAY,
        tracking_numbers=("T1",), packages=(PackageFacts(None, "T1"),),
    )  # fmt: skip
    m = manifest_make(location="WH-A", location_name="A", carrier="dhl", day=DAY,
                      shipments=[facts])  # fmt: skip
    assert rows(manifest_csv(m))[1] == ["1", "Order =1+1", "T1", "1 of 1", "", "'-x",
                                        "'=HYPERLINK(1)", "DE"]  # fmt: skip


def test_scope_another_location_is_404_a_channel_limited_token_403(client, api, stocked):
    ship(api, "W-1", two_parcels("JD1"))
    at_a = ApiClient(client, make_token("fulfillment:read", name="a", location_codes=["WH-A"]))
    at_b = ApiClient(client, make_token("fulfillment:read", name="b", location_codes=["WH-B"]))
    web = ApiClient(client, make_token("fulfillment:read", name="w", channel_codes=["web"]))
    orders_only = ApiClient(client, make_token("orders:read", name="o"))
    assert at_a.get(PATH, format="csv").status_code == 200
    response = at_b.get(PATH)
    assert (response.status_code, response.json()["code"]) == (404, "location_not_found")
    response = web.get(PATH)
    assert (response.status_code, response.json()["code"]) == (403, "token_restricted")
    assert orders_only.get(PATH).status_code == 403
    response = api.get("/shipping/manifests/NOPE/dhl/2026-12-02")
    assert (response.status_code, response.json()["code"]) == (404, "location_not_found")


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/shipping/manifests/WH-A/dhl/2026-13-02", {}, "date"),
        ("/shipping/manifests/WH-A/---/2026-12-02", {}, "carrier"),
        (PATH, {"format": "xls"}, "format"),
        (PATH, {"paper": "a5"}, "paper"),
    ],
)
def test_bad_inputs_are_refused_naming_the_field(api, stocked, path, query, field):
    response = api.get(path, **query)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_the_selector_matches_the_carrier_as_tracking_does(api, stocked):
    ship(api, "W-1", {"carrier": "DHL Express", "tracking_numbers": ["E1"]})
    ship(api, "W-2", {"carrier": "dhl_express", "tracking_numbers": ["E2"]})
    m = location_day_manifest(location="WH-A", carrier="DHLExpress", day=DAY)
    assert [r.tracking_number for r in m.rows] == ["E1", "E2"]
    assert (m.carrier, m.shipments, m.parcels) == ("DHL Express", 2, 2)


def test_the_command_writes_the_manifest(api, stocked, tmp_path, capsys):
    ship(api, "W-1", two_parcels("JD1"))
    out = tmp_path / "m.csv"
    call_command("shipping", "manifest", "WH-A", "DHL", "2026-12-02", "--format", "csv",
                 "--out", str(out))  # fmt: skip
    assert [r[2] for r in rows(out.read_bytes())[1:-1]] == ["JD1-1", "JD1-2"]
    assert (
        f"Wrote the DHL manifest of WH-A on 2026-12-02: 1 shipment(s), 2 parcel(s), to {out}."
        in capsys.readouterr().out
    )


def test_the_command_refuses_an_unknown_location_and_writes_nothing(stocked, tmp_path):
    out = tmp_path / "m.pdf"
    with pytest.raises(CommandError) as refused:
        call_command("shipping", "manifest", "NOPE", "DHL", "2026-12-02", "--out", str(out))
    assert str(refused.value).startswith("No location 'NOPE'.")
    assert not out.exists()
