"""Stripe's refund events beyond Ordino's own calls (docs/payments-stripe.md, "What each event
does"): a refund Stripe accepted and that failed later is reversed (owed again, a case, sent
again), a refund made in Stripe's dashboard is booked once, and both reach the journal. The
calls to Stripe replay recorded answers (tests/payments/providers/recorded); the events are
signed by the test: no network."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.cases.models import Case
from ordino.core.domain.clock import utcnow
from ordino.invoices.models import Invoice
from ordino.orders.models import OrderTimelineEntry
from ordino.payments.models import PaymentTransaction, Refund, StoreCreditAccount
from ordino.payments.providers import registry
from tests.payments.conftest import SHIP, work
from tests.payments.providers.replay import ReplayHTTPClient, provider, recorded
from tests.payments.providers.test_stripe_webhooks import SECRET
from tests.payments.test_stripe_webhook_route import (
    CH,
    PI,
    authorized,
    balance,
    book,
    charge,
    deliver,
    dispute,
    event,
    ok,
    payment_of,
    stripe_order,
    txns,
)

pytestmark = pytest.mark.django_db
RE = "re_3QxRsT2eZvKYlo2C0Jp6vN2r"  # the refund in recorded/refund_pending.json


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.ORDINO_STRIPE_WEBHOOK_SECRET = SECRET


@pytest.fixture
def order(api, shop):
    return stripe_order(api, shop)


@pytest.fixture
def stripe_answers(monkeypatch):
    """Stripe's answers to the worker's calls, in order (recorded), through the provider."""
    client = ReplayHTTPClient()
    monkeypatch.setitem(registry.PROVIDERS, "stripe", lambda: provider(client))
    return client


def refund_obj(status: str, amount: int, key: str = "", **fields) -> dict:
    """A Refund as Stripe's events carry it (API reference: the Refund object)."""
    return {
        "id": RE, "object": "refund", "amount": amount, "charge": CH, "currency": "eur",
        "metadata": {"ordino_idempotency_key": key} if key else {}, "payment_intent": PI,
        "reason": None, "status": status, "failure_reason": None,
        "failure_balance_transaction": None, **fields,
    }  # fmt: skip


def shipped_and_refunded(api, order_id: int, answers: ReplayHTTPClient) -> Refund:
    """The order shipped whole and captured (Stripe answered), invoiced, then a tee refunded:
    Stripe accepted the refund as `pending` (booked succeeded), its credit note issued."""
    authorized(order_id)
    answers.answers += [recorded("capture_full"), recorded("refund_pending")]
    fo = api.get(f"/orders/{order_id}").json()["fulfillment_orders"][0]["id"]
    assert api.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    work()
    body = {"lines": [{"line_no": 1, "quantity": 1}], "reason": "too small"}
    created = api.post(f"/orders/{order_id}/refunds", body)
    assert created.status_code == 201, created.content
    work()
    refund = Refund.objects.get(pk=created.json()["id"])
    assert refund.status == "succeeded"
    return refund


def credit_notes(order_id: int) -> int:
    return Invoice.objects.filter(order_id=order_id, kind="credit_note").count()


def journal(api) -> dict:
    day = utcnow().date().isoformat()
    r = api.get("/accounting/journal", **{"from": day, "to": day})
    assert r.status_code == 200, r.content
    body = r.json()
    assert [(t["currency"], t["balanced"]) for t in body["trial_balance"]] == [("EUR", True)]
    return body


def entries(body: dict, reference: str) -> list[tuple[str, str, str]]:
    return sorted(
        (e["account"], e["debit"], e["credit"])
        for e in body["entries"]
        if e["reference"] == reference
    )


# ----------------------------------------------------------------------------- failed later


def test_a_refund_that_fails_after_stripe_accepted_it_is_owed_again(
    client, api, order, stripe_answers
):
    # given a tee refunded (19.99), accepted by Stripe as pending, credited on a credit note
    refund = shipped_and_refunded(api, order, stripe_answers)
    payment = payment_of(order)
    sent = PaymentTransaction.objects.get(refund=refund, kind="refund")
    assert (sent.reference, sent.status) == (RE, "succeeded")
    assert credit_notes(order) == 1
    failed = refund_obj("failed", 1999, sent.idempotency_key,
                        failure_reason="expired_or_canceled_card")  # fmt: skip
    # when Stripe says it failed: charge.refund.updated (twice), then refund.failed
    body = event("charge.refund.updated", failed)
    first, again = ok(deliver(client, body)), ok(deliver(client, body))
    other = ok(deliver(client, event("refund.failed", failed)))
    # then it is reversed once: the money came back and is owed to the customer again
    assert (first["outcome"], again["duplicate"], other["outcome"]) == (
        "refund_reversed", True, "already_booked",
    )  # fmt: skip
    assert txns(payment, "refund_reversal") == [("19.990", "succeeded")]
    assert Refund.objects.get(pk=refund.pk).status == "reversed"
    money = balance(api, order)
    assert (money["captured"], money["refunded"]) == ("49.48", "0.00")
    assert money["payments"][0]["refundable"] == "49.48"
    assert money["payments"][0]["status"] == "captured"
    note = OrderTimelineEntry.objects.get(order_id=order, kind="refund_reversed")
    assert note.message == (
        "Refund of €19.99 on payment 1 (card) failed after Stripe accepted it "
        "(expired_or_canceled_card)."
    )
    # and one case in the inbox; the credit note stands (the tee came back, credited once)
    work()
    case = Case.objects.get(type__code="refund_failed")
    assert (case.order_id, case.status) == (order, "new")
    assert case.title == "Order W-1: refund of €19.99 failed, owed again (expired_or_canceled_card)"
    assert credit_notes(order) == 1
    # and the tee cannot be refunded a second time (it is still counted as refunded)
    twice = {"lines": [{"line_no": 1, "quantity": 2}], "reason": "again"}
    again_refund = api.post(f"/orders/{order}/refunds", twice)
    assert again_refund.status_code == 422, again_refund.content


def test_a_reversed_refund_is_sent_again_to_store_credit_and_the_journal_follows(
    client, api, order, stripe_answers
):
    # given a refund of a tee that failed after Stripe accepted it
    refund = shipped_and_refunded(api, order, stripe_answers)
    sent = PaymentTransaction.objects.get(refund=refund, kind="refund")
    failed = refund_obj("failed", 1999, sent.idempotency_key, failure_reason="lost_or_stolen_card")
    ok(deliver(client, event("charge.refund.updated", failed)))
    # when a person sends it again, to the customer's store credit
    r = api.post(f"/orders/{order}/refunds/{refund.pk}/resend", {"to": "store_credit"})
    # then it succeeded: 19.99 on the customer's credit, refunded again, one credit note
    assert r.status_code == 202, r.content
    assert (r.json()["status"], r.json()["amount"]) == ("succeeded", "19.99")
    work()
    account = StoreCreditAccount.objects.get(currency="EUR")
    assert account.balance == Decimal("19.990")
    money = balance(api, order)
    assert (money["captured"], money["refunded"]) == ("49.48", "19.99")
    assert credit_notes(order) == 1
    # and the journal: the card refund, its reversal, and the credit given
    book_ = journal(api)
    assert entries(book_, f"refund:{refund.pk}") == [
        ("Payment clearing:stripe", "0.00", "19.99"),  # refunded to the card
        ("Payment clearing:stripe", "19.99", "0.00"),  # the refund came back
        ("Receivables", "0.00", "19.99"),
        ("Receivables", "19.99", "0.00"),
        ("Receivables", "19.99", "0.00"),
        ("Store credit liability", "0.00", "19.99"),  # given as credit
    ]
    # and sending it again once more is refused: it is not reversed any more
    again = api.post(f"/orders/{order}/refunds/{refund.pk}/resend", {"to": "store_credit"})
    assert (again.status_code, again.json()["code"]) == (409, "refund_not_reversed")
    assert StoreCreditAccount.objects.get(pk=account.pk).balance == Decimal("19.990")


def test_a_resend_of_a_refund_that_did_not_fail_is_refused_and_changes_nothing(
    api, order, stripe_answers
):
    refund = shipped_and_refunded(api, order, stripe_answers)
    r = api.post(f"/orders/{order}/refunds/{refund.pk}/resend", {"to": "original"})
    assert (r.status_code, r.json()["code"]) == (409, "refund_not_reversed")
    assert r.json()["errors"][0]["field"] == "refund_id"
    missing = api.post(f"/orders/{order}/refunds/999999/resend", {"to": "original"})
    assert (missing.status_code, missing.json()["code"]) == (404, "refund_not_found")
    bad = api.post(f"/orders/{order}/refunds/{refund.pk}/resend", {"to": "cash"})
    assert bad.status_code == 422
    assert PaymentTransaction.objects.filter(refund=refund).count() == 1
    assert Refund.objects.get(pk=refund.pk).status == "succeeded"


def test_a_refund_still_in_flight_that_fails_is_declined_not_reversed(client, api, order):
    # given a captured payment and a refund whose call got no answer
    payment = authorized(order)
    book(payment, "capture", "49.48")
    refund = Refund.objects.create(
        order_id=order, amount=Decimal("10.00"), currency="EUR", lines=[],
        shipping=Decimal(0), goodwill=Decimal("10.00"), reason="late", status="pending",
        created_at=utcnow(),
    )  # fmt: skip
    txn = book(payment, "refund", "10.00", "unknown", refund=refund)
    # when Stripe says that refund failed
    body = event("refund.failed", refund_obj("failed", 1000, txn.idempotency_key))
    # then the call is declined (it never gave anything): the refund failed, nothing reversed
    assert ok(deliver(client, body))["outcome"] == "refund_failed"
    assert txns(payment, "refund") == [("10.000", "failed")]
    assert txns(payment, "refund_reversal") == []
    assert Refund.objects.get(pk=refund.pk).status == "failed"
    assert balance(api, order)["refunded"] == "0.00"


def test_a_failed_refund_ordino_does_not_know_is_unmatched(client, order):
    payment = authorized(order)
    book(payment, "capture", "49.48", reference=PI)
    body = event("refund.failed", refund_obj("failed", 1000, id="re_someone_elses"))
    assert ok(deliver(client, body))["outcome"] == "unmatched"
    assert txns(payment, "refund_reversal") == []


# ----------------------------------------------------------------------------- dashboard


def test_a_refund_made_in_stripes_dashboard_is_booked_once(client, api, order, stripe_answers):
    # given a captured payment; someone refunded 5.00 in Stripe's dashboard
    payment = authorized(order)
    book(payment, "capture", "49.48")
    body = event("charge.refunded", charge(amount_refunded=500, refunded=False))
    # when told twice (the same event redelivered, and another event with the same total)
    first, again = ok(deliver(client, body)), ok(deliver(client, body))
    other = ok(deliver(client, event("charge.refunded", charge(amount_refunded=500))))
    # then 5.00 is booked once, as a refund of the order with its origin as reason
    assert (first["outcome"], again["duplicate"], other["outcome"]) == (
        "refunded_outside", True, "already_booked",
    )  # fmt: skip
    assert txns(payment, "refund") == [("5.000", "succeeded")]
    refund = Refund.objects.get(order_id=order)
    assert (refund.status, refund.amount, refund.goodwill, refund.lines) == (
        "succeeded", Decimal("5.000"), Decimal("5.000"), [],
    )  # fmt: skip
    assert refund.reason == "Refunded in Stripe's dashboard"
    money = balance(api, order)
    assert (money["refunded"], money["payments"][0]["refundable"]) == ("5.00", "44.48")
    assert [(r["amount"], r["status"]) for r in money["refunds"]] == [("5.00", "succeeded")]
    note = OrderTimelineEntry.objects.get(order_id=order, kind="payment_refunded_outside")
    assert note.message == (
        "Stripe refunded €5.00 of payment 1 (card) that Ordino did not ask for: "
        "€5.00 booked as a refund."
    )
    # and no case (it is booked), no credit note (no lines); the journal books it as goodwill
    work()
    assert not Case.objects.filter(type__code="refund_unmatched").exists()
    assert credit_notes(order) == 0
    assert entries(journal(api), f"refund:{refund.pk}") == [
        ("Goodwill expense", "5.00", "0.00"),
        ("Payment clearing:stripe", "0.00", "5.00"),
        ("Receivables", "0.00", "5.00"),
        ("Receivables", "5.00", "0.00"),
    ]
    # and Ordino's own refund later, with Stripe's total covering both, books nothing more
    stripe_answers.answers.append(recorded("refund"))
    mine = api.post(f"/orders/{order}/refunds", {"goodwill": "10.00", "reason": "sorry"})
    assert mine.status_code == 201, mine.content
    work()
    later = ok(deliver(client, event("charge.refunded", charge(amount_refunded=1500))))
    assert later["outcome"] == "already_booked"
    assert txns(payment, "refund") == [("5.000", "succeeded"), ("10.000", "succeeded")]
    assert balance(api, order)["refunded"] == "15.00"


def test_a_dashboard_refund_beyond_what_was_captured_opens_a_case(client, api, order):
    # given 20.00 captured; Stripe says 30.00 refunded (more than Ordino knows captured)
    payment = authorized(order)
    book(payment, "capture", "20.00")
    body = event("charge.refunded", charge(amount_refunded=3000, amount_captured=3000))
    # when delivered
    answer = ok(deliver(client, body))
    # then what could be booked is (20.00), the rest opens one case for a person
    assert answer["outcome"] == "refunded_outside"
    assert txns(payment, "refund") == [("20.000", "succeeded")]
    work()
    case = Case.objects.get(type__code="refund_unmatched")
    assert (case.order_id, case.payment_id) == (order, payment.pk)
    assert "€10.00 refunded at the provider beyond what was captured" in case.title
    # and a second event with the same total books nothing and opens no second case
    ok(deliver(client, event("charge.refunded", charge(amount_refunded=3000))))
    work()
    assert txns(payment, "refund") == [("20.000", "succeeded")]
    assert Case.objects.filter(type__code="refund_unmatched").count() == 1


def test_the_money_panel_shows_the_dashboard_refund(client, api, order):
    from django.contrib.auth.models import User
    from django.test import Client

    payment = authorized(order)
    book(payment, "capture", "49.48")
    ok(deliver(client, event("charge.refunded", charge(amount_refunded=500))))
    staff = Client()
    staff.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw-long-1"))
    page = staff.get(f"/admin/orders/{order}/").content.decode()
    assert "€5.00 — Refunded in Stripe&#x27;s dashboard" in page


# ----------------------------------------------------------------------------- disputes


def test_a_lost_dispute_reaches_the_journal_and_a_won_one_posts_nothing(client, api, order):
    payment = authorized(order)
    book(payment, "capture", "49.48")
    ok(deliver(client, event("charge.dispute.closed", dispute("lost", 3000))))
    body = journal(api)
    assert entries(body, f"payment:{payment.pk}") == [
        ("Chargeback losses", "30.00", "0.00"),
        ("Payment clearing:stripe", "0.00", "30.00"),
        ("Payment clearing:stripe", "49.48", "0.00"),  # the capture
        ("Receivables", "0.00", "49.48"),
    ]
    totals = {t["account"]: t["balance"] for t in body["totals"]}
    assert totals["Chargeback losses"] == "30.00"


def test_the_money_panel_sends_a_reversed_refund_again(client, api, order, stripe_answers):
    from django.contrib.auth.models import User
    from django.test import Client

    # given a refund that failed after Stripe accepted it
    refund = shipped_and_refunded(api, order, stripe_answers)
    sent = PaymentTransaction.objects.get(refund=refund, kind="refund")
    ok(deliver(client, event("refund.failed", refund_obj("failed", 1999, sent.idempotency_key))))
    staff = Client()
    staff.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw-long-1"))
    page = staff.get(f"/admin/orders/{order}/").content.decode()
    assert f'action="/admin/orders/{order}/refunds/{refund.pk}/resend/"' in page
    assert '<span class="op-badge">Reversed</span>' in page
    # when finance sends it again to the card (Stripe takes it this time)
    stripe_answers.answers.append(recorded("refund"))
    done = staff.post(f"/admin/orders/{order}/refunds/{refund.pk}/resend/", {"to": "original"})
    assert done.status_code == 302
    work()
    # then it succeeded: refunded again, the button gone
    assert Refund.objects.get(pk=refund.pk).status == "succeeded"
    assert txns(payment_of(order), "refund") == [("19.990", "succeeded"), ("19.990", "succeeded")]
    assert balance(api, order)["refunded"] == "19.99"
    assert (
        f"/refunds/{refund.pk}/resend/" not in staff.get(f"/admin/orders/{order}/").content.decode()
    )


def test_the_command_line_sends_a_reversed_refund_again(client, api, order, stripe_answers):
    from io import StringIO

    from django.core.management import CommandError, call_command

    refund = shipped_and_refunded(api, order, stripe_answers)
    sent = PaymentTransaction.objects.get(refund=refund, kind="refund")
    ok(deliver(client, event("refund.failed", refund_obj("failed", 1999, sent.idempotency_key))))
    out = StringIO()
    call_command("payments", "resend", str(order), str(refund.pk), "--to", "store_credit",
                 stdout=out)  # fmt: skip
    assert out.getvalue().strip() == f"Refund {refund.pk} sent again: succeeded."
    with pytest.raises(CommandError, match="refund_not_reversed"):
        call_command("payments", "resend", str(order), str(refund.pk), stdout=StringIO())
