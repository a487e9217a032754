"""The order page's money panel: the balance's figures, and its actions (refund with a preview,
retry, capture now), each through the same use case as the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ordino.payments.models import Payment, PaymentTransaction, Refund
from tests.console.test_order_page import user_with
from tests.factories import order_body, stock
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    return shop


@pytest.fixture
def paid_shipped(api, stocked):
    body = api.post("/orders", order_body(payments=[card()])).json()
    work()
    api.post(f"/fulfillment/orders/{body['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    return body["id"]


def test_the_panel_shows_the_balance_s_figures(client, api, paid_shipped):
    client.force_login(user_with("boss", superuser=True))
    page = client.get(reverse("console:order", args=[paid_shipped])).content.decode()
    assert 'aria-label="Payments"' in page
    assert "visa ···· 4242" in page
    assert api.get(f"/orders/{paid_shipped}/balance").json()["captured"] == "49.48"
    assert "Captured" in page and "49.48" in page


def test_the_panel_is_shown_only_to_who_may_view_payments(client, paid_shipped):
    # given staff who see orders; the same permission as GET /orders/{id}/balance asks of a
    # person's token (accounts/api_read_permissions.py)
    url = reverse("console:order", args=[paid_shipped])
    client.force_login(user_with("clerk", "view_order"))
    assert 'aria-label="Payments"' not in client.get(url).content.decode()
    client.force_login(user_with("agent", "view_order", "view_payment"))
    assert 'aria-label="Payments"' in client.get(url).content.decode()


def test_refund_is_previewed_then_recorded(client, paid_shipped):
    client.force_login(user_with("boss", superuser=True))
    url = reverse("console:order_refund", args=[paid_shipped])
    form = {"refund_1": "1", "shipping": "0", "goodwill": "0.50", "reason": "late"}
    # when the agent previews: then the amount is shown and nothing is recorded
    preview = client.post(url, form)
    assert preview.status_code == 200
    assert "20.49" in preview.content.decode()
    assert Refund.objects.count() == 0
    # when they confirm: then it is recorded, pending for the worker
    done = client.post(url, {**form, "confirmed": "1"})
    assert done.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount, refund.status) == (Decimal("20.49"), "pending")


def test_a_refund_beyond_what_was_captured_is_refused_in_the_preview(client, paid_shipped):
    client.force_login(user_with("boss", superuser=True))
    url = reverse("console:order_refund", args=[paid_shipped])
    page = client.post(url, {"goodwill": "100", "reason": "r", "confirmed": "1"})
    assert page.status_code == 302
    assert Refund.objects.count() == 0


def test_a_viewer_may_not_refund(client, paid_shipped):
    client.force_login(user_with("viewer", "view_order"))
    url = reverse("console:order_refund", args=[paid_shipped])
    assert client.post(url, {"goodwill": "1", "reason": "r"}).status_code == 403
    assert Refund.objects.count() == 0


def test_capture_now_takes_what_a_payment_holds(client, api, stocked):
    body = api.post("/orders", order_body(payments=[card()])).json()
    work()
    client.force_login(user_with("boss", superuser=True))
    payment = Payment.objects.get()
    url = reverse("console:payment_capture", args=[body["id"], payment.pk])
    assert client.post(url).status_code == 302
    capture = PaymentTransaction.objects.get(kind="capture")
    assert (capture.amount, capture.status) == (Decimal("49.48"), "succeeded")


def test_retry_of_a_declined_payment_asks_the_worker(client, api, stocked):
    body = api.post("/orders", order_body(payments=[card("tok_decline")])).json()
    work()
    client.force_login(user_with("boss", superuser=True))
    payment = Payment.objects.get()
    url = reverse("console:payment_retry", args=[body["id"], payment.pk])
    assert client.post(url).status_code == 302
    work()
    assert PaymentTransaction.objects.filter(kind="authorize").count() == 2
    assert Payment.objects.get().status == "declined"


def test_after_a_return_the_panel_agrees_with_the_balance_per_payment_and_line(
    client, api, stocked
):
    # given the tees shipped and captured, one tee returned and refunded, the mug not shipped
    import re

    from tests.returns.conftest import return_body

    body = api.post("/orders", order_body(payments=[card()])).json()
    work()
    fo = body["fulfillment_orders"][0]["id"]
    tees = {**SHIP, "lines": [{"line_no": 1, "quantity": 2}]}
    assert api.post(f"/fulfillment/orders/{fo}/ship", tees).status_code == 200
    work()
    rid = api.post(f"/orders/{body['id']}/returns", return_body((1, 1))).json()["id"]
    assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    receipt = {"lines": [{"line_no": 1, "restock": 1}]}
    assert api.post(f"/returns/{rid}/receive", receipt).status_code == 200
    work()
    # when the order page is shown
    client.force_login(user_with("boss", superuser=True))
    page = client.get(reverse("console:order", args=[body["id"]])).content.decode()
    b = api.get(f"/orders/{body['id']}/balance").json()
    # then the outstanding, the refunds of returns and each line's figures are the balance's
    assert b["outstanding"] == "9.50"
    assert re.search(r'data-testid="money-outstanding">€9\.50<', page)
    assert "Refunds of returns</dt><dd>€19.99<" in page
    for line in b["lines"]:
        row = page[page.index(f'data-testid="money-line-{line["line_no"]}"') :]
        row = row[: row.index("</tr>")]
        cells = re.findall(r'class="op-num">€([\d.,]+)<', row)
        assert cells == [
            line[k] for k in ("ordered", "returned", "captured", "refunded", "outstanding")
        ]
