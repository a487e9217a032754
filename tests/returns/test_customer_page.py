"""The customer's return page: a signed link, no login; the same return_request as the API."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ordino.returns.models import Return
from ordino.returns.services import return_link
from tests.shipping.labels.decode import pdf_barcodes

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(delivered) -> str:
    return return_link(order_id=delivered["id"])["path"]


def test_the_link_shows_the_returnable_lines_without_a_login(page, delivered):
    response = Client().get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Return items from order W-1" in html
    assert 'name="quantity_1"' in html and 'name="quantity_2"' in html
    assert "TEE · up to 2" in html
    assert "csrfmiddlewaretoken" in html


def test_the_customer_requests_a_return(page, delivered):
    client = Client(enforce_csrf_checks=True)
    client.get(page)
    token = client.cookies["csrftoken"].value
    response = client.post(
        page,
        {"quantity_1": "1", "quantity_2": "0", "reason": "size_or_fit", "note": "Too small",
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 200
    ret = Return.objects.get()
    assert (ret.created_via, ret.actor, ret.customer_note, ret.location.code, ret.state) == (
        "customer",
        "customer",
        "Too small",
        "WH-A",
        "requested",
    )
    html = response.content.decode()
    assert f"Return {ret.number} requested." in html
    assert "TEE · up to 1" in html


def test_a_post_without_the_csrf_token_is_refused(page):
    response = Client(enforce_csrf_checks=True).post(page, {"quantity_1": "1", "reason": "other"})
    assert response.status_code == 403
    assert not Return.objects.exists()


def test_a_refused_request_says_why_and_changes_nothing(page):
    response = Client().post(page, {"quantity_1": "0", "reason": "other"})
    assert response.status_code == 422
    assert "Name at least one line to return." in response.content.decode()
    bad = Client().post(page, {"quantity_1": "x", "reason": "other"})
    assert bad.status_code == 422
    assert not Return.objects.exists()


def test_a_tampered_or_expired_link_is_404(page, settings, monkeypatch):
    assert Client().get(page.replace("/start/", "/start/9")).status_code == 404
    assert Client().get(page[:-3] + "xx/").status_code == 404
    # Given a link valid for a day, two days later (the signer reads time.time)
    settings.ORDINO_RETURN_LINK_DAYS = 1
    later = time.time() + 2 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    assert Client().get(page).status_code == 404


def test_the_api_and_the_cli_give_the_link(api, delivered, settings):
    settings.ORDINO_PUBLIC_URL = "https://shop.example"
    body = api.get(f"/orders/{delivered['id']}/return-link").json()
    assert body["url"] == "https://shop.example" + body["path"]
    assert body["path"].startswith("/returns/start/")
    out = StringIO()
    call_command("returns", "link", str(delivered["id"]), stdout=out)
    assert out.getvalue().splitlines()[0].startswith("https://shop.example/returns/start/")
    with pytest.raises(CommandError):
        call_command("returns", "link", "999999")


def test_an_open_returns_label_is_linked_on_the_customers_page(page, api, delivered):
    # given a requested return, then approved
    rid = api.post(
        f"/orders/{delivered['id']}/returns",
        {"location": "WH-A", "reason": "size_or_fit", "lines": [{"line_no": 1, "quantity": 1}]},
    ).json()["id"]
    label = f"{page}label/{rid}/"
    assert label not in Client().get(page).content.decode()
    assert Client().get(label).status_code == 409
    api.post(f"/returns/{rid}/approve", {"carrier": "DHL"})
    # when the customer opens the page: the label is linked, a PDF with the return's barcode
    assert f'href="{label}"' in Client().get(page).content.decode()
    response = Client().get(label)
    assert response["Content-Type"] == "application/pdf"
    assert pdf_barcodes(response.content) == [[Return.objects.get(pk=rid).number]]


def test_another_orders_return_or_a_tampered_link_gives_no_label(page, api, delivered):
    rid = api.post(
        f"/orders/{delivered['id']}/returns",
        {"location": "WH-A", "reason": "size_or_fit", "lines": [{"line_no": 1, "quantity": 1}]},
    ).json()["id"]
    api.post(f"/returns/{rid}/approve", {})
    assert Client().get(f"{page}label/999999/").status_code == 404
    tampered = page.replace("/start/", "/start/x")
    assert Client().get(f"{tampered}label/{rid}/").status_code == 404
