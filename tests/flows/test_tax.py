"""Story 8: the merchant keeps tax rates, a web shop sends orders without tax, Ordino computes
it per rate and stores the rate on each line; a partial cancel and a refund's tax follow
exactly from what the lines store (docs/tax.md).

The order: three tees at 19.99 (standard, 19 %) and a mug at 9.50 (reduced, 7 %), an order
discount of 3.00 and shipping of 4.90. The discount is shared 2.59 / 0.41, so the tees' net is
57.38 and the mug's 9.09. Standard taxes 57.38 + 4.90 = 62.28: 11.8332 → 11.83, allocated 10.90
to the tees and 0.93 to shipping; reduced taxes 9.09: 0.6363 → 0.64. The order is
57.38 + 10.90 + 9.09 + 0.64 + 4.90 + 0.93 = 83.84.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest

from ordino.orders.domain.pricing import units_amount
from tests.flows.story import order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def taxed(story):
    # given the merchant's rates and the mug's reduced class, set over the API
    for tax_class, rate in (("standard", "19"), ("reduced", "7")):
        body = {"country": "DE", "tax_class": tax_class, "rate": rate, "valid_from": "2020-01-01"}
        story.ok(story.api.post("/tax/rates", {**body, "name": f"DE VAT {tax_class}"}), 201)
    story.ok(story.api.patch("/catalog/skus/MUG", {"tax_class": "reduced"}))
    for sku in ("TEE", "MUG"):
        story.receive("WH-A", sku, 5)
    story.worker_runs()
    # when the web shop sends an order without tax, with its total
    body = order_body("W-1", [("TEE", 3, "19.99"), ("MUG", 1, "9.50")])
    order = story.capture({**body, "discount": "3.00", "shipping_price": "4.90", "total": "83.84"})
    # then Ordino computed it per rate and each line says at which
    assert [
        (line["tax"], line["tax_rate"], line["tax_rate_name"], line["total"])
        for line in order["lines"]
    ] == [
        ("10.90", "19.000", "DE VAT standard", "68.28"),
        ("0.64", "7.000", "DE VAT reduced", "9.73"),
    ]
    assert (order["tax_total"], order["shipping_tax"], order["grand_total"]) == (
        "12.47",
        "0.93",
        "83.84",
    )
    return order


def test_a_partial_cancel_and_a_refund_s_tax_come_from_the_stored_lines(story, taxed):
    # when one tee is cancelled
    after = story.ok(
        story.api.post(f"/orders/{taxed['id']}/cancel", {"lines": [{"line_no": 1, "quantity": 1}]})
    )
    # then it gives back its third of the tees' 68.28 (22.76), tax included
    assert after["current_total"] == "61.08"
    # and the tax a credit note states for it is its share of the line's stored tax, asked
    # cumulatively so that the three tees' shares add up to 10.90 exactly
    shares = [units_amount(Decimal("10.90"), 3, n, "EUR") for n in range(4)]
    assert [b - a for a, b in pairwise(shares)] == [
        Decimal("3.63"),
        Decimal("3.64"),
        Decimal("3.63"),
    ]


def test_a_rate_changed_later_changes_no_captured_order(story, taxed):
    # when the standard rate is changed after the capture
    rates = story.ok(story.api.get("/tax/rates", tax_class="standard"))["items"]
    story.ok(story.api.patch(f"/tax/rates/{rates[0]['id']}", {"rate": "16"}))
    # then the order keeps the tax and the rate it was captured with
    order = story.order(taxed["id"])
    assert (order["lines"][0]["tax"], order["lines"][0]["tax_rate"]) == ("10.90", "19.000")
    assert story.timeline(taxed["id"])[0] == "captured"
