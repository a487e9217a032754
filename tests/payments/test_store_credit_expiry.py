"""Store credit expiry: credit given with an expiry leaves the balance through one append-only
`expired` entry written by the periodic job once the (moved) clock passes it; spent credit comes
out of the soonest-expiring credit first; the journal books it as breakage income
(docs/payments.md, "Store credit expiry")."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from ordino.core.domain.clock import clock_pinned, utcnow
from ordino.events.models import OutboxEvent
from ordino.payments.models import StoreCreditEntry
from ordino.payments.services import credit_expire_due
from ordino.wiring import PERIODIC
from tests.factories import order_body
from tests.payments.conftest import SHIP, work
from tests.payments.test_store_credit import CREDIT, counts, credit, proven

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def bea(api, stocked) -> int:
    r = api.post("/customers", {"email": "ada@example.com", "first_name": "Ada"})
    assert r.status_code == 201, r.content
    return r.json()["id"]


def give(api, customer_id, amount, expires_at=None, currency="EUR"):
    body = {"amount": amount, "currency": currency, "reason": "late parcel"}
    if expires_at is not None:
        body["expires_at"] = expires_at.isoformat()
    r = api.post(f"/customers/{customer_id}/store-credit", body)
    assert r.status_code == 201, r.content
    return r.json()


def test_expired_credit_leaves_the_balance_through_one_expired_entry(api, bea):
    # given 30.00 that expires in 10 days and 5.00 that never does
    now = utcnow()
    expires = now + timedelta(days=10)
    entry = give(api, bea, "30.00", expires)
    give(api, bea, "5.00")
    assert entry["expires_at"] is not None
    body = api.get(f"/customers/{bea}/store-credit").json()
    assert body["accounts"][0]["expiring"] == [
        {"entry_id": entry["id"], "amount": "30.00", "expires_at": body["entries"][0]["expires_at"]}
    ]
    # when the job runs before the expiry: nothing happens
    assert credit_expire_due() == 0
    # when the clock passes the expiry and the worker's job runs (twice)
    (job,) = [job for _, what, job in PERIODIC if "store credit" in what]
    with clock_pinned(expires + timedelta(seconds=1)):
        assert job() == 1
        assert job() == 0
    # then one expired entry took the 30.00: 5.00 is left, proven from the entries
    assert credit(api, bea) == {"EUR": ("5.00", "0.00")}
    expired = StoreCreditEntry.objects.get(kind="expired")
    assert (expired.amount, expired.balance_after, expired.actor) == (
        D("30.000"), D("5.000"), "system:credit-expiry",
    )  # fmt: skip
    assert OutboxEvent.objects.filter(name="store_credit.expired").count() == 1
    assert api.get(f"/customers/{bea}/store-credit").json()["accounts"][0]["expiring"] == []
    proven()


def test_spent_credit_comes_out_of_the_soonest_expiring_first(api, bea):
    # given 20.00 expiring in 30 days, 20.00 in 10 days
    now = utcnow()
    give(api, bea, "20.00", now + timedelta(days=30))
    give(api, bea, "20.00", now + timedelta(days=10))
    # when an order of 49.48 is paid with 25.00 of credit and a card, and ships
    payments = [{**CREDIT, "amount": "25.00"}, {"method": "card", "provider": "test",
                                                "token": "tok_approve"}]  # fmt: skip
    order = api.post("/orders", order_body(payments=payments)).json()
    work()
    assert api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship",
                    SHIP).status_code == 200  # fmt: skip
    work()
    assert credit(api, bea) == {"EUR": ("15.00", "0.00")}
    # then the 10-day credit was spent whole and 5.00 of the 30-day one
    with clock_pinned(now + timedelta(days=11)):
        assert credit_expire_due() == 0
    with clock_pinned(now + timedelta(days=31)):
        assert credit_expire_due() == 1
    assert StoreCreditEntry.objects.get(kind="expired").amount == D("15.000")
    assert credit(api, bea) == {"EUR": ("0.00", "0.00")}
    proven()


def test_released_credit_goes_back_to_its_credit_and_expires_with_it(api, bea):
    # given 30.00 expiring in 10 days held by an order that is then cancelled
    now = utcnow()
    give(api, bea, "30.00", now + timedelta(days=10))
    payments = [{**CREDIT, "amount": "20.00"}, {"method": "card", "provider": "test",
                                                "token": "tok_approve"}]  # fmt: skip
    order = api.post("/orders", order_body(payments=payments)).json()
    work()
    assert api.post(f"/orders/{order['id']}/cancel", {"reason": "customer"}).status_code == 200
    work()
    assert credit(api, bea) == {"EUR": ("30.00", "0.00")}
    # when the expiry passes: all 30.00 expire
    with clock_pinned(now + timedelta(days=10, seconds=1)):
        assert credit_expire_due() == 1
    assert StoreCreditEntry.objects.get(kind="expired").amount == D("30.000")
    proven()


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"expires_at": "2020-01-01T00:00:00Z"}, "invalid_expiry"),  # in the past
        ({"expires_at": "2999-01-01T00:00:00Z"}, "invalid_expiry"),  # beyond ten years
        ({"expires_at": "2027-01-01T00:00:00"}, "validation_error"),  # no time zone
        ({"expires_at": "soon"}, "validation_error"),
        ({"kind": "adjustment", "expires_at": "2027-01-01T00:00:00Z"}, "expiry_not_allowed"),
    ],
)
def test_a_bad_expiry_is_refused_and_changes_nothing(api, bea, extra, code):
    give(api, bea, "30.00")
    before = counts()
    body = {"amount": "1.00", "currency": "EUR", "reason": "x", **extra}
    r = api.post(f"/customers/{bea}/store-credit", body)
    assert (r.status_code, r.json()["code"]) == (422, code)
    assert counts() == before


def test_the_journal_books_expired_credit_as_breakage_income(api, bea):
    now = utcnow()
    give(api, bea, "12.00", now + timedelta(hours=1))
    later = now + timedelta(hours=2)
    with clock_pinned(later):
        assert credit_expire_due() == 1
    day = later.astimezone(UTC).date().isoformat()
    body = api.get("/accounting/journal", **{"from": now.date().isoformat(), "to": day}).json()
    totals = {t["account"]: D(str(t["balance"])) for t in body["totals"]}
    assert totals["Breakage income"] == D("-12.00")
    assert totals["Store credit liability"] == D("0.00")
    assert [(t["currency"], t["balanced"]) for t in body["trial_balance"]] == [("EUR", True)]


def test_the_command_line_gives_expiring_credit_shows_it_and_expires_it(bea, capsys):
    at = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    call_command("credit", "issue", str(bea), "--amount", "7.50", "--currency", "EUR",
                 "--reason", "sorry", "--expires-at", at.isoformat())  # fmt: skip
    call_command("credit", "balance", str(bea))
    out = capsys.readouterr().out
    assert f"  7.50 expires {at.astimezone(UTC).isoformat()}" in out
    with clock_pinned(at + timedelta(seconds=1)):
        call_command("credit", "expire")
    assert "1 expired credit(s) written off." in capsys.readouterr().out
    assert StoreCreditEntry.objects.filter(kind="expired").count() == 1
