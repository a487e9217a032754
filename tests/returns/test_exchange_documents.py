"""An exchange's documents and per-line money: the returned units are credited on a credit
note when they come back and the new lines invoiced when they ship, so invoices − credit notes
is what the customer was charged net; per line, what is outstanding adds up to the order's
(docs/invoices.md and docs/returns.md, "Exchanges"; docs/payments.md, "The balance")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ordino.core.domain.clock import utcnow
from ordino.events.models import OutboxEvent
from ordino.invoices.models import Invoice
from ordino.invoices.subscribers import credit_note_on_exchange_receipt
from ordino.orders.services import order_cancel
from ordino.payments.models import Payment, Refund
from ordino.payments.services import payment_capture_now
from ordino.returns.events import ReturnReceived
from tests.console.test_order_page import user_with
from tests.factories import order_body, stock
from tests.payments.conftest import card, work
from tests.returns.conftest import ship_all
from tests.returns.test_exchanges import exchange, exchange_body, paid, receive, ship_new

__all__ = ["paid"]  # the fixture: W-1, two tees at 19.99 and a mug at 9.50, paid and delivered
pytestmark = pytest.mark.django_db
D = Decimal


def documents(order_id: int) -> list[tuple[str, str, list[tuple[int, int, Decimal]]]]:
    return [
        (doc.kind, doc.reference, [(x.line_no, x.quantity, x.total) for x in doc.lines.all()])
        for doc in Invoice.objects.filter(order_id=order_id).order_by("id")
    ]


def net_invoiced(order_id: int) -> Decimal:
    return sum(
        (d.total if d.kind == "invoice" else -d.total
         for d in Invoice.objects.filter(order_id=order_id)),
        D(0),
    )  # fmt: skip


def balance(api, order_id: int) -> dict:
    return api.get(f"/orders/{order_id}/balance").json()


def lines_out(b: dict) -> list[tuple[int, str, str, str, str]]:
    return [
        (x["line_no"], x["ordered"], x["exchanged"], x["captured"], x["outstanding"])
        for x in b["lines"]
    ]


def receivables(api, external_id: str) -> Decimal:
    day = utcnow().date().isoformat()
    journal = api.get("/accounting/journal", **{"from": day, "to": day}).json()
    assert [(t["currency"], t["balanced"]) for t in journal["trial_balance"]] == [("EUR", True)]
    return sum(
        (D(e["debit"]) - D(e["credit"]) for e in journal["entries"]
         if e["account"] == "Receivables" and e["order"] == external_id),
        D(0),
    )  # fmt: skip


def settled(api, order: dict) -> dict:
    """Invoices − credit notes = captured − refunded; nothing outstanding, per line either;
    Receivables empty in the journal, no goodwill expense."""
    b = balance(api, order["id"])
    assert (b["outstanding"], b["overpaid"]) == ("0.00", "0.00")
    assert all(x["outstanding"] == "0.00" for x in b["lines"]), lines_out(b)
    assert net_invoiced(order["id"]) == D(b["captured"]) - D(b["refunded"])
    assert receivables(api, order["external_id"]) == D("0.00")
    return b


def test_an_even_exchange_credits_the_tee_and_invoices_the_cap(api, paid):
    # given a tee exchanged for a cap at the same price
    x = exchange(api, paid, exchange_body([(1, 1)], [("CAP", 1, "19.99")])).json()
    work()
    # when the tee comes back before the cap ships
    receive(api, x["id"], {"line_no": 1, "restock": 1})
    work()
    # then the tee is credited, with its unit, on a credit note of its own receipt
    docs = documents(paid["id"])
    assert docs[-1][0:1] == ("credit_note",)
    assert docs[-1][1].startswith(f"return:{x['id']}:")
    assert docs[-1][2] == [(1, 1, D("19.990"))]
    # and per line the tee's money paid for the cap: nothing outstanding anywhere
    b = balance(api, paid["id"])
    assert b["outstanding"] == "0.00"
    assert lines_out(b) == [
        (1, "39.98", "19.99", "19.99", "0.00"),
        (2, "9.50", "0.00", "9.50", "0.00"),
        (3, "19.99", "0.00", "19.99", "0.00"),
        (0, "0.00", "0.00", "0.00", "0.00"),
    ]
    # when the cap ships: it is invoiced, and the documents say what was charged
    ship_new(api, paid["id"])
    work()
    assert documents(paid["id"])[-1] == (
        "invoice", documents(paid["id"])[-1][1], [(3, 1, D("19.990"))]
    )  # fmt: skip
    b = settled(api, paid)
    assert (b["captured"], b["refunded"], net_invoiced(paid["id"])) == (
        "49.48", "0.00", D("49.480"),
    )  # fmt: skip
    # a redelivered receipt credits nothing more
    for row in OutboxEvent.objects.filter(name="return.received"):
        credit_note_on_exchange_receipt(ReturnReceived.from_payload(row.payload))
    assert Invoice.objects.filter(order_id=paid["id"], kind="credit_note").count() == 1


def test_the_customer_owes_invoices_less_credits_are_what_was_charged(api, paid):
    # given the mug (9.50) exchanged for a cap at 19.99: 10.49 charged
    x = exchange(api, paid, exchange_body([(2, 1)], [("CAP", 1, "19.99")])).json()
    work()
    ship_new(api, paid["id"])
    work()
    receive(api, x["id"], {"line_no": 2, "damaged": 1})
    work()
    b = settled(api, paid)
    assert (b["captured"], net_invoiced(paid["id"])) == ("59.97", D("59.970"))
    assert documents(paid["id"])[-1][2] == [(2, 1, D("9.500"))]


@pytest.mark.parametrize("refund_now", [False, True])
def test_the_merchant_owes_the_units_are_credited_and_the_difference_refunded(
    api, paid, refund_now
):
    # given two tees (39.98) exchanged for a cap at 9.99: 29.99 back, at once or on receipt
    body = exchange_body([(1, 2)], [("CAP", 1, "9.99")], refund_now=refund_now)
    x = exchange(api, paid, body).json()
    work()
    # then a difference refunded at once credits nothing yet: the goods are not back
    assert Invoice.objects.filter(order_id=paid["id"], kind="credit_note").count() == 0
    # when the cap ships and the tees come back
    ship_new(api, paid["id"])
    receive(api, x["id"], {"line_no": 1, "restock": 2})
    work()
    # then one refund of the difference, one credit note of the two tees (their units and money)
    (refund,) = Refund.objects.all()
    assert (refund.amount, refund.status) == (D("29.990"), "succeeded")
    (note,) = Invoice.objects.filter(order_id=paid["id"], kind="credit_note")
    assert [(x.line_no, x.quantity, x.total) for x in note.lines.all()] == [(1, 2, D("39.980"))]
    # and invoices − credit notes = 49.48 + 9.99 − 39.98 = captured − refunded
    b = settled(api, paid)
    assert (b["captured"], b["refunded"], net_invoiced(paid["id"])) == (
        "49.48", "29.99", D("19.490"),
    )  # fmt: skip
    # the journal books no goodwill expense for the difference: the credit note covers it
    day = utcnow().date().isoformat()
    journal = api.get("/accounting/journal", **{"from": day, "to": day}).json()
    accounts = {t["account"] for t in journal["totals"]}
    assert "Goodwill expense" not in accounts


def test_missing_units_are_not_credited(api, paid):
    # given an even exchange whose tee is reported missing
    x = exchange(api, paid, exchange_body([(1, 1)], [("CAP", 1, "19.99")])).json()
    work()
    receive(api, x["id"], {"line_no": 1, "missing": 1})
    work()
    # then nothing is credited: the tee did not come back (a person settles it)
    assert Invoice.objects.filter(order_id=paid["id"], kind="credit_note").count() == 0


def test_the_money_panel_shows_what_an_exchange_took_back_per_line(client, api, paid):
    x = exchange(api, paid, exchange_body([(1, 1)], [("CAP", 1, "19.99")])).json()
    work()
    receive(api, x["id"], {"line_no": 1, "restock": 1})
    work()
    client.force_login(user_with("boss", superuser=True))
    page = client.get(reverse("console:order", args=[paid["id"]])).content.decode()
    row = page[page.index('data-testid="money-line-1"') :].split("</tr>")[0]
    assert "exchanged €19.99" in row


def test_a_cancelled_units_money_goes_back_before_an_exchange_charges_the_difference(api, shop):
    # given W-1 (49.48) captured whole at once, then a tee (19.99) cancelled: the 19.99 the
    # card held beyond the order's 29.49 went back by itself (docs/payments.md)
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    stock(shop["wh_a"], shop["CAP"], 5)
    order = api.post("/orders", {**order_body(), "payments": [card()]}).json()
    work()
    (payment,) = Payment.objects.filter(order_id=order["id"])
    payment_capture_now(order_id=order["id"], payment_id=payment.pk, actor="test")
    work()
    order_cancel(order_id=order["id"], lines=[(1, 1)], reason="one is enough", actor="test")
    work()
    assert [(r.goodwill, r.source, r.status) for r in Refund.objects.filter(
        order_id=order["id"])] == [(Decimal("19.99"), "overpaid:1", "succeeded")]  # fmt: skip
    ship_all(api, order)
    work()
    # when the mug (9.50) is exchanged for a cap at 19.99: the customer owes 10.49
    made = exchange(api, order, exchange_body([(2, 1)], [("CAP", 1, "19.99")]))
    # then the order holds nothing more: a new payment charges the whole difference
    assert made.status_code == 201, made.content
    x = made.json()
    new_payment = Payment.objects.filter(order_id=order["id"]).order_by("id").last()
    assert (x["direction"], x["difference"], x["charge"], x["payment_id"]) == (
        "customer_owes", "10.49", "10.49", new_payment.pk,
    )  # fmt: skip
    # and once the cap shipped and the mug came back, nothing is owed either way
    work()
    ship_new(api, order["id"])
    receive(api, x["id"], {"line_no": 2, "restock": 1})
    work()
    b = balance(api, order["id"])
    assert (b["ordered"], b["captured"], b["outstanding"], b["overpaid"]) == (
        "39.98", "59.97", "0.00", "0.00",
    )  # fmt: skip


def test_a_unit_an_exchange_took_back_is_not_refunded_by_hand_as_well(api, paid):
    # given one of the two tees exchanged for a cap (its money paid for the cap), received
    x = exchange(api, paid, exchange_body([(1, 1)], [("CAP", 1, "19.99")])).json()
    work()
    receive(api, x["id"], {"line_no": 1, "restock": 1})
    work()
    refunds_before = Refund.objects.filter(order_id=paid["id"]).count()
    # when customer service refunds both tees by hand
    body = {"lines": [{"line_no": 1, "quantity": 2}], "reason": "r"}
    refused = api.post(f"/orders/{paid['id']}/refunds", body)
    # then it is refused: one tee is left to refund, and nothing is recorded
    assert (refused.status_code, refused.json()["code"]) == (422, "refund_exceeds_units")
    assert "1 shipped unit(s) left" in refused.json()["detail"]
    assert Refund.objects.filter(order_id=paid["id"]).count() == refunds_before
    # and the other tee is refunded
    body["lines"][0]["quantity"] = 1
    assert api.post(f"/orders/{paid['id']}/refunds", body).status_code == 201


def test_a_unit_an_open_exchange_takes_back_is_not_refunded_by_hand_before_it_comes_back(api, paid):
    # given one of the two tees exchanged for a cap, on its way back (not received yet)
    x = exchange(api, paid, exchange_body([(1, 1)], [("CAP", 1, "19.99")])).json()
    work()
    refunds_before = Refund.objects.filter(order_id=paid["id"]).count()
    # when customer service refunds both tees by hand
    body = {"lines": [{"line_no": 1, "quantity": 2}], "reason": "r"}
    refused = api.post(f"/orders/{paid['id']}/refunds", body)
    # then it is refused: the cap was given for one of them, one tee is left to refund
    assert (refused.status_code, refused.json()["code"]) == (422, "refund_exceeds_units")
    assert "1 shipped unit(s) left" in refused.json()["detail"]
    assert Refund.objects.filter(order_id=paid["id"]).count() == refunds_before
    # and once the exchange's return is cancelled (the customer keeps the tee), both are
    # refundable again: a person settles what the exchange decided (docs/returns.md)
    cancelled = api.post(f"/returns/{x['id']}/cancel", {"reason": "kept it"})
    assert cancelled.status_code == 200, cancelled.content
    assert api.post(f"/orders/{paid['id']}/refunds", body).status_code == 201
