"""An open return's 4×6 in label: from the customer's address to the receiving location,
RETURN printed large, the return's number as a Code 128 barcode decoded back from the PDF and
the ZPL; refused before approval and after; the returns' read scope; `ordino returns label`
(docs/returns.md, "The return label")."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ordino.returns.models import Return
from tests.conftest import ApiClient
from tests.factories import make_token
from tests.returns.conftest import return_body
from tests.shipping.labels.decode import pdf_barcodes, pdf_pages, pdf_text, zpl_barcodes, zpl_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(api, delivered, shop):
    """W-1's return of one tee to WH-A ("Retouren Nord", Bremen), approved with DHL."""
    wh_a = shop["wh_a"]
    wh_a.name, wh_a.address_line1, wh_a.postal_code, wh_a.city = (
        "Retouren Nord", "Hafenweg 5", "28195", "Bremen")  # fmt: skip
    wh_a.save()
    rid = api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1))).json()["id"]
    approved = api.post(f"/returns/{rid}/approve", {"carrier": "DHL", "tracking_number": "RT-1"})
    assert approved.status_code == 200, approved.content
    return rid


def test_an_open_returns_label_as_pdf_from_the_customer_to_the_location(api, opened):
    number = Return.objects.get(pk=opened).number
    response = api.get(f"/returns/{opened}/label")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="return-{opened}-label.pdf"'
    assert pdf_pages(response.content) == [(288.0, 432.0)]
    assert pdf_barcodes(response.content) == [[number]]
    (page,) = pdf_text(response.content)
    for text in ("RETURN", "Ada Lovelace", "Unter den Linden 1", "10117 Berlin",
                 "Retouren Nord", "Hafenweg 5", "28195 Bremen", "DHL", "Parcel 1 of 1",
                 f"Return {number} / order W-1", "Issued "):  # fmt: skip
        assert text in page
    # the customer sends it: their address is the sender's, the location the recipient's
    assert page.index("Ada Lovelace") < page.index("SHIP TO") < page.index("Retouren Nord")


def test_the_label_as_zpl(api, opened):
    number = Return.objects.get(pk=opened).number
    response = api.get(f"/returns/{opened}/label", format="zpl")
    assert (response.status_code, response["Content-Type"]) == (200, "application/x-zpl")
    assert zpl_barcodes(response.content) == [[number]]
    assert "RETURN" in zpl_fields(response.content)[0]


@pytest.mark.parametrize("step", ["requested", "declined", "cancelled"])
def test_a_return_that_is_not_open_has_no_label(api, delivered, step):
    rid = api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1))).json()["id"]
    if step == "declined":
        api.post(f"/returns/{rid}/decline", {"reason": "worn"})
    elif step == "cancelled":
        api.post(f"/returns/{rid}/cancel", {"reason": "kept it"})
    response = api.get(f"/returns/{rid}/label")
    assert (response.status_code, response.json()["code"]) == (409, "return_not_open")
    assert response.json()["detail"] == (
        f"A return that is {step} has no label: only an open (approved) return is sent back."
    )


def test_another_locations_return_is_404_and_the_returns_read_scope_is_needed(client, opened):
    at_b = ApiClient(client, make_token("returns:read", name="b", location_codes=["WH-B"]))
    at_a = ApiClient(client, make_token("returns:read", name="a", location_codes=["WH-A"]))
    orders_only = ApiClient(client, make_token("orders:read", name="o"))
    response = at_b.get(f"/returns/{opened}/label")
    assert (response.status_code, response.json()["code"]) == (404, "return_not_found")
    assert at_a.get(f"/returns/{opened}/label").status_code == 200
    assert orders_only.get(f"/returns/{opened}/label").status_code == 403


def test_the_command_writes_the_label(opened, tmp_path, capsys):
    out = tmp_path / "r.zpl"
    call_command("returns", "label", str(opened), "--format", "zpl", "--out", str(out))
    assert zpl_barcodes(out.read_bytes()) == [[Return.objects.get(pk=opened).number]]
    assert f"Wrote the label of return {opened} to {out}." in capsys.readouterr().out


def test_the_command_refuses_an_unknown_return_and_writes_nothing(shop, tmp_path):
    out = tmp_path / "r.pdf"
    with pytest.raises(CommandError) as refused:
        call_command("returns", "label", "999999", "--out", str(out))
    assert str(refused.value) == "No return 999999."
    assert not out.exists()
