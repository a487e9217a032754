"""Credit notes: from a refund (payments' RefundRecorded, once per refund) or by hand through
the API; numbered in their own series; never more back than a line or the shipping."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.core.domain.errors import DomainError
from ordino.events.models import OutboxEvent
from ordino.invoices.models import DocumentSeries, Invoice
from ordino.invoices.services import credit_note_issue
from ordino.invoices.subscribers import RefundRecordedIn, credit_note_on_refund
from ordino.orders.models import OrderTimelineEntry
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token
from tests.invoices.conftest import capture, documents, ship, worker_runs

pytestmark = pytest.mark.django_db


def refund(order_id: int, refund_id: int = 7, **extra) -> RefundRecordedIn:
    fields = {
        "lines": [{"line_no": 1, "quantity": 1, "amount": "11.90", "tax": "1.90"}],
        "shipping": "0",
        "amount": "11.90",
        "currency": "EUR",
        "reason": "returned",
        "source": "return",
        **extra,
    }
    return RefundRecordedIn(order_id=order_id, refund_id=refund_id, **fields)


def test_a_refund_becomes_a_credit_note_once(api, shop):
    # given a shipped and invoiced order
    order = capture(api, shop)
    ship(api, order["fulfillment_orders"][0]["id"])
    worker_runs()
    # when payments records a refund of one tee, and the event is delivered twice
    credit_note_on_refund(refund(order["id"]))
    credit_note_on_refund(refund(order["id"]))
    # then one credit note, in its own series, for the tee
    (note,) = documents(order["id"], kind="credit_note")
    assert note.number.startswith("CN-20") and note.number.endswith("-000001")
    assert (note.reference, note.reason, note.source) == ("refund:7", "returned", "return")
    assert [(x.line_no, x.quantity, x.net, x.tax, x.total) for x in note.lines.all()] == [
        (1, 1, Decimal("10.00"), Decimal("1.90"), Decimal("11.90"))
    ]
    assert note.total == Decimal("11.90")
    assert DocumentSeries.objects.get(code="INV").next_number == 2  # the invoice's series
    assert OutboxEvent.objects.filter(name="credit_note.issued").count() == 1
    assert OrderTimelineEntry.objects.filter(kind="credit_note_issued").count() == 1


@pytest.mark.parametrize(
    ("given", "code", "field"),
    [
        ({"lines": [{"line_no": 9, "amount": "1.00"}]}, "invalid_lines", "lines.0.line_no"),
        ({"lines": [{"line_no": 1, "amount": "35.71"}]}, "invalid_lines", "lines.0.amount"),
        ({"lines": [{"line_no": 1, "amount": "1.001"}]}, "invalid_lines", "lines.0.amount"),
        ({"lines": [{"line_no": 1, "amount": "1", "tax": "2"}]}, "invalid_lines", "lines.0.tax"),
        (
            {"lines": [{"line_no": 1, "quantity": 4, "amount": "1"}]},
            "invalid_lines",
            "lines.0.quantity",
        ),
        (
            {"lines": [{"line_no": 1, "amount": "1"}, {"line_no": 1, "amount": "1"}]},
            "invalid_lines",
            "lines.1.line_no",
        ),
        ({"shipping": "4.91"}, "exceeds_shipping", "shipping"),
        ({"shipping_tax": "0.94"}, "exceeds_shipping", "shipping_tax"),
        ({}, "nothing_to_credit", "lines"),
    ],
)
def test_a_credit_note_beyond_the_order_is_refused_and_changes_nothing(
    api, shop, given, code, field
):
    # given an order (tee line 35.70 with tax, shipping 4.90 + 0.93)
    order = capture(api, shop)
    before = OutboxEvent.objects.count()
    # when a credit note asks for more than there is
    response = api.post(f"/orders/{order['id']}/credit-notes", given)
    # then 422 naming the field, and nothing was written, no number taken
    assert response.status_code == 422, response.content
    body = response.json()
    assert (body["code"], body["errors"][0]["field"]) == (code, field)
    assert Invoice.objects.count() == 0
    assert not DocumentSeries.objects.filter(next_number__gt=1).exists()
    assert OutboxEvent.objects.count() == before


def test_manual_credit_notes_add_up_to_at_most_the_line(api, shop):
    order = capture(api, shop)
    # when 30.00 of the tee line is credited, then another 5.70
    first = api.post(
        f"/orders/{order['id']}/credit-notes",
        {"lines": [{"line_no": 1, "amount": "30.00", "tax": "4.79"}], "reason": "goodwill"},
    )
    assert first.status_code == 201, first.content
    assert first.json()["number"].endswith("-000001") and first.json()["total"] == "30.00"
    second = api.post(
        f"/orders/{order['id']}/credit-notes",
        {"lines": [{"line_no": 1, "amount": "5.70", "tax": "0.91"}]},
    )
    assert second.status_code == 201 and second.json()["number"].endswith("-000002")
    # then nothing is left of the line: one cent more is refused
    third = api.post(
        f"/orders/{order['id']}/credit-notes", {"lines": [{"line_no": 1, "amount": "0.01"}]}
    )
    assert (third.status_code, third.json()["errors"][0]["code"]) == (422, "exceeds_line")
    assert len(documents(order["id"], kind="credit_note")) == 2


def test_a_credit_note_needs_the_write_scope_and_the_orders_channel(client, api, shop):
    order = capture(api, shop)
    body = {"shipping": "1.00"}
    reader = ApiClient(client, make_token("orders:read", name="reader"))
    assert reader.post(f"/orders/{order['id']}/credit-notes", body).status_code == 403
    make_channel("pos")
    pos = ApiClient(client, make_token("orders:write", name="pos", channel_codes=["pos"]))
    response = pos.post(f"/orders/{order['id']}/credit-notes", body)
    assert (response.status_code, response.json()["code"]) == (404, "order_not_found")
    assert Invoice.objects.count() == 0


def test_the_use_case_takes_plain_tuples_in_kwd(api, shop):
    make_channel("kw", currency="KWD")
    order = capture(
        api,
        shop,
        external_id="K-1",
        channel="kw",
        currency="KWD",
        lines=[{"sku": "TEE", "quantity": 2, "unit_price": "1.250", "tax": "0.125"}],
        shipping_price="0.500",
        shipping_tax="0",
    )
    note = credit_note_issue(
        order_id=order["id"],
        lines=[(1, 1, Decimal("1.312"), Decimal("0.062"))],
        shipping=Decimal("0.500"),
        actor="test",
    )
    assert (note.net_total, note.tax_total, note.total) == (
        Decimal("1.750"),
        Decimal("0.062"),
        Decimal("1.812"),
    )
    with pytest.raises(DomainError) as refused:
        credit_note_issue(order_id=order["id"], lines=[], shipping=Decimal("0.001"), actor="t")
    assert refused.value.code == "exceeds_shipping"


def test_a_goodwill_refund_alone_makes_no_credit_note(api, shop):
    # given a shipped and invoiced order
    order = capture(api, shop)
    ship(api, order["fulfillment_orders"][0]["id"])
    worker_runs()
    # when payments records a refund of goodwill only
    credit_note_on_refund(refund(order["id"], lines=[], shipping="0", amount="5.00"))
    # then no credit note is issued, and no number taken
    assert documents(order["id"], kind="credit_note") == []
    assert not DocumentSeries.objects.filter(code="CN").exists()
