"""A shipment's labels from what fulfillment recorded: through the API (PDF, ZPL, the
fulfillment read scope, 404 outside the token's reach), the selectors and `ordino shipping
labels` (one shipment, or a location's day), every barcode decoded (docs/shipping.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ordino.core.domain.clock import clock_pinned
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import Scope
from ordino.fulfillment.models import Shipment
from ordino.shipping.labels.selectors import location_day_labels, shipment_labels
from tests.conftest import ApiClient
from tests.factories import make_token, order_body, stock
from tests.shipping.labels.decode import pdf_barcodes, pdf_text, zpl_barcodes, zpl_fields

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 2)
NOON = datetime(2026, 12, 2, 12, tzinfo=UTC)
TWO_PACKAGES = {
    "carrier": "DHL",
    "service": "Paket",
    "tracking_numbers": ["JD0001", "JD0002"],
    "packages": [
        {"weight_grams": 1250, "tracking_number": "JD0001"},
        {"weight_grams": 800, "tracking_number": "JD0002"},
    ],
}


@pytest.fixture
def stocked(shop):
    for location in ("wh_a", "wh_b"):
        stock(shop[location], shop["TEE"], 20)
        stock(shop[location], shop["MUG"], 20)
    shop["wh_a"].name, shop["wh_a"].city, shop["wh_a"].postal_code = "Lager Ost", "Hamburg", "20457"
    shop["wh_a"].save()
    return shop


def shipped(api, external_id: str, body: dict, *, at: datetime = NOON, **order) -> int:
    """An order shipped with `body` at `at`: the shipment's id."""
    with clock_pinned(at):
        created = api.post("/orders", order_body(external_id, **order)).json()
        fo = created["fulfillment_orders"][0]["id"]
        answer = api.post(f"/fulfillment/orders/{fo}/ship", body)
    assert answer.status_code == 200, answer.content
    return answer.json()["shipments"][-1]["id"]


def test_a_shipments_labels_as_pdf_one_page_per_package_each_barcode_decoding(api, stocked):
    # given a shipment of two packages from WH-A
    sid = shipped(api, "W-1", TWO_PACKAGES)
    # when its labels are asked for
    response = api.get(f"/shipments/{sid}/labels")
    # then a PDF, a page per package, each barcode its package's tracking number
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="shipment-{sid}-labels.pdf"'
    assert pdf_barcodes(response.content) == [["JD0001"], ["JD0002"]]
    page = pdf_text(response.content)[1]
    for text in ("Lager Ost", "20457 Hamburg", "Ada Lovelace", "Unter den Linden 1",
                 "10117 Berlin", "DHL", "Paket", "Parcel 2 of 2", "0.8 kg",
                 "Order W-1 / shipment", "Shipped 2026-12-02"):  # fmt: skip
        assert text in page


def test_a_shipments_labels_as_zpl(api, stocked):
    sid = shipped(api, "W-1", TWO_PACKAGES)
    response = api.get(f"/shipments/{sid}/labels", format="zpl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-zpl"
    assert zpl_barcodes(response.content) == [["JD0001"], ["JD0002"]]
    assert "1.25 kg" in zpl_fields(response.content)[0]


def test_a_shipment_recorded_without_packages_has_a_label_per_tracking_number(api, stocked):
    sid = shipped(api, "W-1", {"carrier": "UPS", "tracking_numbers": ["1Z999AA10123456784"]})
    labels = shipment_labels(shipment_id=sid)
    assert [(label.tracking_number, label.parcel_text, label.weight) for label in labels] == [
        ("1Z999AA10123456784", "1 of 1", "")
    ]


def test_a_package_without_a_tracking_number_is_refused_naming_it(api, stocked):
    body = {**TWO_PACKAGES, "packages": [{"weight_grams": 500, "tracking_number": "JD0001"},
                                         {"weight_grams": 600}]}  # fmt: skip
    sid = shipped(api, "W-1", body)
    response = api.get(f"/shipments/{sid}/labels")
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "package_without_tracking"
    assert problem["errors"][0]["field"] == "packages.1.tracking_number"
    assert problem["detail"].startswith(f"Package 2 of shipment {sid} has no tracking number")


def test_a_tracking_number_too_long_for_a_barcode_is_refused(api, stocked):
    sid = shipped(api, "W-1", {"carrier": "DHL", "tracking_numbers": ["T" * 41]})
    response = api.get(f"/shipments/{sid}/labels")
    assert (response.status_code, response.json()["code"]) == (422, "tracking_not_printable")
    assert response.json()["errors"][0]["field"] == "tracking_numbers.0"


def test_another_locations_shipment_is_404_and_the_read_scope_is_needed(client, api, stocked):
    # given a shipment from WH-A
    sid = shipped(api, "W-1", TWO_PACKAGES)
    at_b = ApiClient(client, make_token("fulfillment:read", name="b", location_codes=["WH-B"]))
    at_a = ApiClient(client, make_token("fulfillment:read", name="a", location_codes=["WH-A"]))
    orders_only = ApiClient(client, make_token("orders:read", name="o"))
    # then WH-B's token finds nothing, WH-A's prints it, a token without the scope is refused
    response = at_b.get(f"/shipments/{sid}/labels")
    assert (response.status_code, response.json()["code"]) == (404, "shipment_not_found")
    assert at_b.get("/shipments/999999/labels").json()["code"] == "shipment_not_found"
    assert at_a.get(f"/shipments/{sid}/labels").status_code == 200
    assert orders_only.get(f"/shipments/{sid}/labels").status_code == 403
    with pytest.raises(DomainError) as refused:
        shipment_labels(shipment_id=sid, scope=Scope(location_ids=frozenset({stocked["wh_b"].pk})))
    assert refused.value.status == 404


def test_an_unknown_format_is_refused(api, stocked):
    sid = shipped(api, "W-1", TWO_PACKAGES)
    response = api.get(f"/shipments/{sid}/labels", format="png")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"


def test_a_locations_day_is_every_shipment_shipped_there_that_day_each_parcel_once(api, stocked):
    # given two shipments from WH-A that day, one the day before, one from WH-B that day
    first = shipped(api, "W-1", TWO_PACKAGES)
    second = shipped(api, "W-2", {"carrier": "DHL", "tracking_numbers": ["JD0003"]})
    shipped(api, "W-0", {"carrier": "DHL", "tracking_numbers": ["OLD1"]},
            at=datetime(2026, 12, 1, 23, 59, tzinfo=UTC))  # fmt: skip
    Shipment.objects.filter(pk=second).update(shipped_at=datetime(2026, 12, 2, 0, 0, tzinfo=UTC))
    # when WH-A's labels of the day are read
    labels = location_day_labels(location="WH-A", day=DAY)
    # then the day's parcels at WH-A, by shipment then parcel
    assert [(label.shipment_id, label.tracking_number) for label in labels] == [
        (first, "JD0001"),
        (first, "JD0002"),
        (second, "JD0003"),
    ]
    assert location_day_labels(location="WH-B", day=DAY) == []
    with pytest.raises(DomainError) as unknown:
        location_day_labels(location="NOPE", day=DAY)
    assert unknown.value.code == "location_not_found"


def test_the_command_writes_one_shipments_labels(api, stocked, tmp_path):
    sid = shipped(api, "W-1", TWO_PACKAGES)
    out = tmp_path / "labels.zpl"
    call_command("shipping", "labels", str(sid), "--format", "zpl", "--out", str(out))
    assert zpl_barcodes(out.read_bytes()) == [["JD0001"], ["JD0002"]]


def test_the_command_writes_a_locations_day_in_one_pdf(api, stocked, tmp_path, capsys):
    shipped(api, "W-1", TWO_PACKAGES)
    shipped(api, "W-2", {"carrier": "DHL", "tracking_numbers": ["JD0003"]})
    out = tmp_path / "day.pdf"
    call_command("shipping", "labels", "--location", "WH-A", "--date", "2026-12-02",
                 "--out", str(out))  # fmt: skip
    assert pdf_barcodes(out.read_bytes()) == [["JD0001"], ["JD0002"], ["JD0003"]]
    assert f"Wrote 3 label(s) of 2 shipment(s) to {out}." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Give a shipment id, or --location and --date."),
        (["1", "--location", "WH-A", "--date", "2026-12-02"], "Give a shipment id, or"),
        (["--location", "WH-A"], "Give a shipment id, or"),
        (["--location", "WH-A", "--date", "2026-12-03"], "Nothing shipped from WH-A on 2026"),
        (["999999"], "No shipment 999999."),
    ],
)
def test_the_command_refuses_what_it_cannot_print_and_writes_nothing(stocked, tmp_path, args,
                                                                       message):  # fmt: skip
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError) as refused:
        call_command("shipping", "labels", *args, "--out", str(out))
    assert str(refused.value).startswith(message)
    assert not out.exists()
