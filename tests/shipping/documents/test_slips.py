"""A fulfillment order's packing slip as PDF: what it says, its barcode decoded back, every line
once however many pages it takes, the parcels rated or proposed, the API (scope, paper) and
`ordino shipping slip` (docs/shipping.md, "Packing slips")."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ordino.shipping.domain.slips import fulfillment_reference, rows_paginate
from ordino.shipping.models import FulfillmentRating
from ordino.shipping.services import box_type_save
from tests.conftest import ApiClient
from tests.factories import make_sku, make_token, order_body, stock
from tests.shipping.labels.decode import pdf_barcodes, pdf_pages, pdf_text
from tests.shipping.test_packing import SMALL, measure

pytestmark = pytest.mark.django_db
A4 = (595.2755905511812, 841.8897637795277)
LETTER = (612.0, 792.0)


@pytest.fixture
def fo(api, shop):
    """W-1 (TEE ×2, MUG ×1) to Berlin, at WH-A ("Lager Ost", Hamburg)."""
    for sku in ("TEE", "MUG"):
        stock(shop["wh_a"], shop[sku], 20)
    shop["wh_a"].name, shop["wh_a"].city, shop["wh_a"].postal_code = "Lager Ost", "Hamburg", "20457"
    shop["wh_a"].save()
    order = api.post("/orders", order_body("W-1")).json()
    return order["fulfillment_orders"][0]["id"]


def words(pdf: bytes) -> str:
    return "\n".join(pdf_text(pdf))


def test_the_slip_says_the_order_addresses_and_each_line_with_its_barcode(api, fo):
    # given W-1's fulfillment order, nothing shipped yet
    # when its packing slip is asked for
    response = api.get(f"/fulfillment/orders/{fo}/packing-slip")
    # then one A4 page: the order, the location, the ship-to, each line, the reference's barcode
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="packing-slip-{fo}.pdf"'
    assert pdf_pages(response.content) == [pytest.approx(A4)]
    assert pdf_barcodes(response.content) == [[f"FO-{fo}"]]
    text = words(response.content)
    for expected in ("Packing slip", "Order W-1", "Lager Ost", "20457 Hamburg", "Ada Lovelace",
                     "Unter den Linden 1", "10117 Berlin", "TEE", "Item TEE", "MUG",
                     "2 line(s): 3 item(s) to pack, 0 shipped so far", "Page 1 of 1"):  # fmt: skip
        assert expected in text
    assert "PARCELS" not in text  # no rating, no box types: no parcels


def test_shipped_so_far_and_left_to_pack_per_line(api, fo):
    # given the TEEs shipped, the MUG not
    body = {"carrier": "DHL", "tracking_numbers": ["T1"], "lines": [{"line_no": 1, "quantity": 2}]}
    assert api.post(f"/fulfillment/orders/{fo}/ship", body).status_code == 200
    # when the slip is printed
    text = words(api.get(f"/fulfillment/orders/{fo}/packing-slip").content)
    # then the TEE line packs 0 and shipped 2, the MUG packs 1
    assert "2 line(s): 1 item(s) to pack, 2 shipped so far" in text


def test_a_hundred_and_twenty_lines_each_printed_once_over_pages(api, shop):
    # given an order of 120 lines
    skus = [make_sku(f"S{n:03d}") for n in range(120)]
    for n, sku in enumerate(skus):
        stock(shop["wh_a"], sku, 5)
        sku.name = f"Thing number {n}"  # the SKU alone on the slip starts with S
        sku.save()
    lines = [{"sku": s.code, "quantity": 1 + n % 3, "unit_price": "1"} for n, s in enumerate(skus)]
    order = api.post("/orders", order_body("BIG", lines=lines)).json()
    fo = order["fulfillment_orders"][0]["id"]
    # when its slip is printed on letter paper
    response = api.get(f"/fulfillment/orders/{fo}/packing-slip", paper="letter")
    # then several letter pages, each numbered, every SKU on exactly one of them, in order
    pages = pdf_text(response.content)
    assert len(pages) > 1
    assert pdf_pages(response.content) == [LETTER] * len(pages)
    found = [token for page in pages for token in page.split() if token.startswith("S") and
             token[1:].isdigit()]  # fmt: skip
    assert found == [s.code for s in skus]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "120 line(s): 240 item(s) to pack" in pages[-1]
    assert pdf_barcodes(response.content)[0] == [f"FO-{fo}"]


def test_rows_are_paginated_once_each():
    pages = rows_paginate(120, first=30, rest=45)
    assert [len(p) for p in pages] == [30, 45, 45]
    assert [i for p in pages for i in p] == list(range(120))
    assert rows_paginate(0, first=30, rest=45) == [range(0, 0)]
    assert fulfillment_reference(17) == "FO-17"


def test_the_latest_ratings_parcels_are_listed(api, fo):
    FulfillmentRating.objects.create(
        fulfillment_order_id=fo, policy="cheapest", service="dhl:paket",
        service_name="DHL Paket", ship_day=date(2026, 12, 2), why="cheapest",
        parcels=[{"length_cm": "40", "width_cm": "30", "height_cm": "30", "weight_kg": "2.5"},
                 {"length_cm": "20", "width_cm": "15", "height_cm": "10", "weight_kg": "1"}],
        actor="test",
    )  # fmt: skip
    text = words(api.get(f"/fulfillment/orders/{fo}/packing-slip").content)
    assert "PARCELS (rated: DHL Paket)" in text
    assert "1. 40 × 30 × 30 cm, 2.5 kg" in text
    assert "2. 20 × 15 × 10 cm, 1 kg" in text


def test_without_a_rating_the_packing_proposal_is_listed(api, fo):
    measure("TEE", (240, 200, 30), 250)
    measure("MUG", (120, 100, 100), 400)
    box_type_save(command=SMALL, actor="test")
    text = words(api.get(f"/fulfillment/orders/{fo}/packing-slip").content)
    assert "PARCELS (packing proposal)" in text
    assert "1. 26 × 21 × 11 cm, 1.05 kg: BOX-S: TEE ×2, MUG ×1" in text


def test_another_locations_fulfillment_order_is_404_and_the_read_scope_needed(client, api, fo):
    at_b = ApiClient(client, make_token("fulfillment:read", name="b", location_codes=["WH-B"]))
    at_a = ApiClient(client, make_token("fulfillment:read", name="a", location_codes=["WH-A"]))
    orders_only = ApiClient(client, make_token("orders:read", name="o"))
    response = at_b.get(f"/fulfillment/orders/{fo}/packing-slip")
    assert (response.status_code, response.json()["code"]) == (404, "fulfillment_order_not_found")
    assert at_b.get("/fulfillment/orders/999999/packing-slip").status_code == 404
    assert at_a.get(f"/fulfillment/orders/{fo}/packing-slip").status_code == 200
    assert orders_only.get(f"/fulfillment/orders/{fo}/packing-slip").status_code == 403


def test_an_unknown_paper_is_refused(api, fo):
    response = api.get(f"/fulfillment/orders/{fo}/packing-slip", paper="a3")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "paper"


def test_the_command_writes_the_slip(api, fo, tmp_path, capsys):
    out = tmp_path / "slip.pdf"
    call_command("shipping", "slip", str(fo), "--paper", "letter", "--out", str(out))
    assert pdf_barcodes(out.read_bytes()) == [[f"FO-{fo}"]]
    assert f"Wrote the packing slip of fulfillment order {fo} to {out}." in (
        capsys.readouterr().out
    )


def test_the_command_refuses_an_unknown_fulfillment_order_and_writes_nothing(shop, tmp_path):
    out = tmp_path / "slip.pdf"
    with pytest.raises(CommandError) as refused:
        call_command("shipping", "slip", "999999", "--out", str(out))
    assert str(refused.value).startswith("No fulfillment order 999999.")
    assert not out.exists()


def test_an_order_collected_at_a_store_says_where_and_for_whom(api, shop):
    # given a pickup order at STORE-1 ("Laden Mitte", Berlin)
    store = shop["store"]
    store.name, store.address_line1, store.city = "Laden Mitte", "Alexanderplatz 3", "Berlin"
    store.save()
    stock(store, shop["TEE"], 5)
    body = order_body("P-1", lines=[{"sku": "TEE", "quantity": 1, "unit_price": "19.99"}],
                      delivery_method="pickup", pickup_location="STORE-1")  # fmt: skip
    fo = api.post("/orders", body).json()["fulfillment_orders"][0]["id"]
    # when its slip is printed
    text = words(api.get(f"/fulfillment/orders/{fo}/packing-slip").content)
    # then it names the store to collect at, for the customer, not a ship-to address
    assert "COLLECT AT" in text and "SHIP TO" not in text
    for expected in ("Laden Mitte", "for Ada Lovelace", "Alexanderplatz 3"):
        assert expected in text
