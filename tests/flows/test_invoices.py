"""Story: money on paper. An order served by two warehouses is invoiced once per shipment, the
invoices add up to the order to the cent and reach the customer by e-mail with their PDF; a
damaged mug is credited by hand (docs/invoices.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from tests.flows.story import order_body

pytestmark = pytest.mark.django_db


def test_each_shipment_is_invoiced_and_a_credit_note_gives_money_back(story, settings):
    settings.ORDINO_SHIPPING_EMAIL = False  # the customer's shipping e-mails: tests/shipping
    # given tees only at WH-A and mugs only at WH-B, and an order of 3 tees and a mug with tax
    story.receive("WH-A", "TEE", 5)
    story.receive("WH-B", "MUG", 5)
    story.worker_runs()
    body = order_body(
        "W-9", [("TEE", 3, "10.00"), ("MUG", 1, "9.50")], shipping_price="4.90", shipping_tax="0.93"
    )
    body["lines"][0]["tax"], body["lines"][1]["tax"] = "5.70", "1.81"
    order = story.capture(body)
    assert order["grand_total"] == "52.84"
    # when each warehouse ships its part, and the worker runs
    for location in ("WH-A", "WH-B"):
        fo = story.open_fo(order["id"], location)
        story.work(fo, "ship", {"carrier": "DHL", "tracking_numbers": [f"JD-{location}"]})
    story.worker_runs()
    # then one invoice per shipment, the first with the shipping, together the order's total
    documents = story.ok(story.api.get(f"/orders/{order['id']}/invoices"))
    assert [(d["kind"], d["total"], d["status"]) for d in documents] == [
        ("invoice", "41.53", "sent"),
        ("invoice", "11.31", "sent"),
    ]
    assert sum(Decimal(d["total"]) for d in documents) == Decimal(order["grand_total"])
    # and each went to the customer with its PDF
    assert [m.subject for m in mail.outbox] == [f"Invoice {d['number']}" for d in documents]
    assert all(m.attachments[0][1].startswith(b"%PDF-") for m in mail.outbox)
    # when the mug arrived broken and customer service gives its price back
    note = story.ok(
        story.api.post(
            f"/orders/{order['id']}/credit-notes",
            {
                "lines": [{"line_no": 2, "quantity": 1, "amount": "11.31", "tax": "1.81"}],
                "reason": "arrived broken",
            },
        ),
        201,
    )
    story.worker_runs()
    # then a credit note in its own series, e-mailed too, and all of it on the timeline
    assert note["kind"] == "credit_note" and note["number"].endswith("-000001")
    assert note["number"].startswith("CN-") and note["total"] == "11.31"
    assert mail.outbox[-1].subject == f"Credit note {note['number']}"
    assert [k for k in story.timeline(order["id"]) if "invoice" in k or "credit" in k] == [
        "invoice_issued",
        "invoice_issued",
        "invoice_sent",
        "invoice_sent",
        "credit_note_issued",
        "invoice_sent",
    ]
