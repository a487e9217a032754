"""A refund to store credit may carry an expiry (`expires_at`): its credit is a lot like staff's
expiring goodwill — spent soonest-expiring first, written off by the periodic job once the
expiry passed — through the API, the console's money panel and `ordino payments refund`
(docs/payments.md, "Store credit expiry")."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ordino.core.domain.clock import clock_pinned, utcnow
from ordino.payments.models import Refund, StoreCreditEntry
from ordino.payments.services import credit_expire_due
from tests.console.test_order_page import user_with
from tests.factories import order_body
from tests.payments.conftest import SHIP, card, work
from tests.payments.test_store_credit import CREDIT, ada, counts, credit, proven

__all__ = ["ada"]  # the fixture: Ada, with 30.00 EUR of credit that never expires
pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shipped(api, ada) -> int:
    """Ada's order of 49.48 EUR (two tees, a mug), paid by card, shipped and captured."""
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    return order["id"]


def refund(api, order_id, **extra):
    body = {"lines": [{"line_no": 1, "quantity": 1}], "reason": "too small",
            "to": "store_credit", **extra}  # fmt: skip
    return api.post(f"/orders/{order_id}/refunds", body)


def test_a_refund_to_credit_expires_and_is_spent_first(api, ada, shipped):
    # given a tee (19.99) refunded to store credit, expiring in 5 days
    now = utcnow()
    expires = (now + timedelta(days=5)).replace(microsecond=0)
    r = refund(api, shipped, expires_at=expires.isoformat())
    assert (r.status_code, r.json()["status"]) == (201, "succeeded")
    issued = StoreCreditEntry.objects.get(kind="issued")
    assert (issued.amount, issued.expires_at) == (D("19.990"), expires)
    body = api.get(f"/customers/{ada}/store-credit").json()
    assert body["accounts"][0]["balance"] == "49.99"
    assert [(x["entry_id"], x["amount"]) for x in body["accounts"][0]["expiring"]] == [
        (issued.pk, "19.99")
    ]
    # when a new order pays 10.00 with credit and ships: the soonest-expiring credit pays
    payments = [{**CREDIT, "amount": "10.00"}, card()]
    order = api.post("/orders", order_body("W-2", payments=payments)).json()
    work()
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    assert credit(api, ada) == {"EUR": ("39.99", "0.00")}
    # then, once the expiry passed, what is left of the refund's credit (9.99) expires; the
    # staff's 30.00 never does
    with clock_pinned(expires - timedelta(seconds=1)):
        assert credit_expire_due() == 0
    with clock_pinned(expires + timedelta(seconds=1)):
        assert credit_expire_due() == 1
        assert credit_expire_due() == 0
    assert StoreCreditEntry.objects.get(kind="expired").amount == D("9.990")
    assert credit(api, ada) == {"EUR": ("30.00", "0.00")}
    proven()


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"to": "original", "expires_at": "2031-01-01T00:00:00Z"}, "expiry_not_allowed"),
        ({"expires_at": "2020-01-01T00:00:00Z"}, "invalid_expiry"),  # in the past
        ({"expires_at": "2999-01-01T00:00:00Z"}, "invalid_expiry"),  # beyond ten years
        ({"expires_at": "2031-01-01T00:00:00"}, "validation_error"),  # no time zone
        ({"expires_at": "soon"}, "validation_error"),
    ],
)
def test_a_bad_expiry_refuses_the_refund_and_changes_nothing(api, shipped, extra, code):
    before = counts()
    r = refund(api, shipped, **extra)
    assert (r.status_code, r.json()["code"]) == (422, code)
    if code != "validation_error":
        assert r.json()["errors"][0]["field"] == "expires_at"
    assert counts() == before


def test_the_command_line_refunds_to_expiring_credit(shipped, capsys):
    at = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    call_command("payments", "refund", str(shipped), "--line", "2:1", "--reason", "chipped",
                 "--to", "store_credit", "--expires-at", at.isoformat())  # fmt: skip
    out = capsys.readouterr().out
    refund_row = Refund.objects.get()
    assert out.strip() == (
        f"Refund {refund_row.pk} of €9.50 to store credit, expiring {at.isoformat()}: succeeded."
    )
    issued = StoreCreditEntry.objects.get(kind="issued")
    assert (issued.amount, issued.expires_at) == (D("9.500"), at.astimezone(UTC))
    # an expiry with a refund to the card is refused, nothing written
    before = counts()
    with pytest.raises(CommandError, match="expiry_not_allowed"):
        call_command("payments", "refund", str(shipped), "--line", "1:1", "--reason", "r",
                     "--expires-at", at.isoformat())  # fmt: skip
    assert counts() == before


def test_the_money_panel_refunds_to_credit_expiring_at_the_end_of_a_day(client, shipped):
    client.force_login(user_with("boss", superuser=True))
    page = client.get(reverse("console:order", args=[shipped])).content.decode()
    assert 'name="expires_on"' in page
    day = (utcnow() + timedelta(days=10)).date()
    url = reverse("console:order_refund", args=[shipped])
    form = {"refund_1": "1", "reason": "too small", "to": "store_credit",
            "expires_on": day.isoformat()}  # fmt: skip
    preview = client.post(url, form).content.decode()
    assert f"{day.isoformat()} 23:59 UTC" in preview
    assert Refund.objects.count() == 0
    assert client.post(url, {**form, "confirmed": "1"}).status_code == 302
    issued = StoreCreditEntry.objects.get(kind="issued")
    assert (issued.amount, issued.expires_at.isoformat()) == (
        D("19.990"), f"{day.isoformat()}T23:59:59+00:00",
    )  # fmt: skip
