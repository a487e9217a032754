"""`GET /accounting/journal`: the period's entries as JSON or CSV, balanced, tied out to the
orders' balances and invoices (docs/accounting.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.core.domain.clock import utcnow
from tests.conftest import ApiClient
from tests.factories import make_token, order_body
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def book(api, stocked):
    """Three orders paid by card: one shipped whole and refunded a tee, one shipped whole with
    a goodwill refund, one shipped in part."""
    orders = []
    for n in range(3):
        body = api.post("/orders", order_body(f"W-{n}", payments=[card()])).json()
        work()
        orders.append((body["id"], body["fulfillment_orders"][0]["id"]))
    (a, fa), (b, fb), (c, fc) = orders
    api.post(f"/fulfillment/orders/{fa}/ship", SHIP)
    api.post(f"/fulfillment/orders/{fb}/ship", SHIP)
    api.post(f"/fulfillment/orders/{fc}/ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]})
    work()
    r = api.post(f"/orders/{a}/refunds", {"lines": [{"line_no": 1, "quantity": 1}], "reason": "x"})
    assert r.status_code == 201, r.content
    # a goodwill-only refund makes invoices' credit-note subscriber fail (nothing to credit):
    # the goodwill rides along with a line here
    goodwill = {"lines": [{"line_no": 2, "quantity": 1}], "goodwill": "5.00", "reason": "sorry"}
    r = api.post(f"/orders/{b}/refunds", goodwill)
    assert r.status_code == 201, r.content
    work()
    return [a, b, c]


def today():
    day = utcnow().date().isoformat()
    return {"from": day, "to": day}


def test_the_journal_balances_and_ties_out_to_the_orders_balances(api, book):
    # given orders invoiced, captured, credited and refunded today
    # when the journal of today is read
    r = api.get("/accounting/journal", **today())
    assert r.status_code == 200, r.content
    body = r.json()
    # then every currency balances
    assert [(t["currency"], t["balanced"]) for t in body["trial_balance"]] == [("EUR", True)]
    # and Receivables = invoiced − credited − captured + refunded − goodwill, from the orders
    expected = D(0)
    for order_id in book:
        bal = api.get(f"/orders/{order_id}/balance").json()
        docs = api.get(f"/orders/{order_id}/invoices").json()
        docs = docs["items"] if isinstance(docs, dict) else docs
        invoiced = sum(D(str(d["total"])) for d in docs if d["kind"] == "invoice")
        credited = sum(D(str(d["total"])) for d in docs if d["kind"] == "credit_note")
        expected += invoiced - credited - D(bal["captured"]) + D(bal["refunded"])
        expected -= D(bal["goodwill_refunded"])
    totals = {t["account"]: D(str(t["balance"])) for t in body["totals"]}
    assert totals["Receivables"] == expected
    assert totals["Goodwill expense"] == D("5.00")
    # the tee and the mug came back on credit notes (no tax in this shop)
    assert totals["Sales returns"] == D("29.49")
    assert set(totals) >= {"Sales", "Payment clearing:test", "Receivables"}
    # and re-running the export gives the same entries
    assert api.get("/accounting/journal", **today()).json() == body


def test_the_csv_has_one_row_per_entry(api, book):
    json_body = api.get("/accounting/journal", **today()).json()
    r = api.get("/accounting/journal", **today(), format="csv")
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"].startswith('attachment; filename="journal-')
    rows = r.content.decode().splitlines()
    assert rows[0] == "date,account,debit,credit,currency,reference,order"
    assert len(rows) == 1 + len(json_body["entries"])


def test_another_period_is_empty(api, book):
    body = api.get("/accounting/journal", **{"from": "2020-01-01", "to": "2020-01-31"}).json()
    assert (body["entries"], body["trial_balance"]) == ([], [])


@pytest.mark.parametrize(
    ("scopes", "restriction", "params", "status", "code"),
    [
        ("orders:read", {}, {}, 403, None),
        ("reports:read", {"channel_codes": ["web"]}, {}, 403, "token_restricted"),
        ("reports:read", {}, {"from": "2026-03-02", "to": "2026-03-01"}, 422, "period_invalid"),
        ("reports:read", {}, {"from": "2024-01-01", "to": "2026-03-01"}, 422, "period_too_long"),
        ("reports:read", {}, {"from": "2026-02-30"}, 422, "date_invalid"),
        ("reports:read", {}, {"format": "xml"}, 422, None),
    ],
)
def test_the_api_refuses(client, book, scopes, restriction, params, status, code):
    caller = ApiClient(client, make_token(scopes, name="x", **restriction))
    response = caller.get("/accounting/journal", **{**today(), **params})
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    if code:
        assert response.json()["code"] == code


def test_the_command_line_writes_the_same_csv(api, book):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    day = today()["from"]
    call_command("accounting", "journal", "--from", day, "--to", day, stdout=out)
    assert (
        out.getvalue() == api.get("/accounting/journal", **today(), format="csv").content.decode()
    )


def test_store_credit_posts_to_its_liability_and_ties_out_to_the_accounts(api, stocked):
    # given 30.00 of goodwill credit, an order paid 30.00 by it and the rest by card, shipped,
    # and a tee refunded to store credit
    customer = api.post("/customers", {"email": "ada@example.com", "first_name": "Ada"}).json()
    give = {"amount": "30.00", "currency": "EUR", "reason": "late parcel"}
    assert api.post(f"/customers/{customer['id']}/store-credit", give).status_code == 201
    credit = {"method": "store_credit", "provider": "store_credit", "amount": "30.00"}
    order = api.post("/orders", order_body(payments=[credit, card()])).json()
    work()
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    refund = {"lines": [{"line_no": 1, "quantity": 1}], "reason": "x", "to": "store_credit"}
    assert api.post(f"/orders/{order['id']}/refunds", refund).status_code == 201
    take = {"kind": "adjustment", "amount": "2.00", "currency": "EUR", "reason": "typo"}
    assert api.post(f"/customers/{customer['id']}/store-credit", take).status_code == 201
    work()
    # when the journal of today is read
    body = api.get("/accounting/journal", **today()).json()
    # then it balances, and the liability is what the customer holds: 30 − 30 + 19.99 − 2
    assert [(t["currency"], t["balanced"]) for t in body["trial_balance"]] == [("EUR", True)]
    totals = {t["account"]: D(str(t["balance"])) for t in body["totals"]}
    held = api.get(f"/customers/{customer['id']}/store-credit").json()["accounts"][0]
    assert D(held["balance"]) + D(held["held"]) == D("17.99")
    assert totals["Store credit liability"] == -D("17.99")  # a credit balance
    assert totals["Goodwill expense"] == D("28.00")
    # the card's 19.48 waits in its clearing account; the tee went to credit, not to the card
    assert totals["Payment clearing:test"] == D("19.48")
    # and Receivables ties out as before: invoiced − credited − captured + refunded
    bal = api.get(f"/orders/{order['id']}/balance").json()
    docs = api.get(f"/orders/{order['id']}/invoices").json()
    docs = docs["items"] if isinstance(docs, dict) else docs
    invoiced = sum(D(str(d["total"])) for d in docs if d["kind"] == "invoice")
    credited = sum(D(str(d["total"])) for d in docs if d["kind"] == "credit_note")
    expected = invoiced - credited - D(bal["captured"]) + D(bal["refunded"])
    assert totals["Receivables"] == expected


def test_discounts_are_kept_on_invoice_lines_and_booked_apart(api, stocked):
    # given DE VAT at 19 % and an order with a 4.00 discount on the tees and 1.50 on the order
    from datetime import date

    from ordino.tax.models import TaxRate

    TaxRate.objects.create(country="DE", region="", tax_class="standard", rate=D("19"),
                           name="DE VAT", valid_from=date(2020, 1, 1))  # fmt: skip
    lines = [
        {"sku": "TEE", "quantity": 2, "unit_price": "19.99", "discount": "4.00"},
        {"sku": "MUG", "quantity": 1, "unit_price": "9.50"},
    ]
    body = order_body("D-1", lines=lines, discount="1.50", payments=[card()])
    order = api.post("/orders", body)
    assert order.status_code == 201, order.content
    order = order.json()
    work()
    # when one tee ships, then the rest, and one tee is refunded
    fo = order["fulfillment_orders"][0]["id"]
    one = {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]}
    assert api.post(f"/fulfillment/orders/{fo}/ship", one).status_code == 200
    assert api.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    work()
    tee = {"lines": [{"line_no": 1, "quantity": 1}], "reason": "x"}
    r = api.post(f"/orders/{order['id']}/refunds", tee)
    assert r.status_code == 201, r.content
    work()
    # then each invoice line keeps its units' share of the discounts and its tax rate
    docs = api.get(f"/orders/{order['id']}/invoices").json()
    docs = docs["items"] if isinstance(docs, dict) else docs
    billed = [(d["kind"], x["line_no"], x["quantity"], x["discount"], x["tax_rate"])
              for d in docs for x in d["lines"]]  # fmt: skip
    line = {x["line_no"]: x for x in order["lines"]}
    tee_discount = D(line[1]["line_discount"]) + D(line[1]["order_discount"])
    mug_discount = D(line[2]["line_discount"]) + D(line[2]["order_discount"])
    half = (tee_discount / 2).quantize(D("0.01"))
    assert billed == [
        ("invoice", 1, 1, str(half), "19.0000"),
        ("invoice", 1, 1, str(tee_discount - half), "19.0000"),
        ("invoice", 2, 1, str(mug_discount.quantize(D("0.01"))), "19.0000"),
        ("credit_note", 1, 1, str(half), "19.0000"),
    ]
    # and the journal books gross sales and the discounts apart, balanced and tied out
    body = api.get("/accounting/journal", **today()).json()
    assert [(t["currency"], t["balanced"]) for t in body["trial_balance"]] == [("EUR", True)]
    totals = {t["account"]: D(str(t["balance"])) for t in body["totals"]}
    invoiced_net = sum(D(x["net"]) for d in docs if d["kind"] == "invoice" for x in d["lines"])
    credited_net = sum(D(x["net"]) for d in docs if d["kind"] == "credit_note" for x in d["lines"])
    discounts = tee_discount + mug_discount
    assert totals["Discounts"] == discounts - half
    assert totals["Sales"] == -(invoiced_net + discounts)
    assert totals["Sales returns"] == credited_net + half
    bal = api.get(f"/orders/{order['id']}/balance").json()
    invoiced = sum(D(str(d["total"])) for d in docs if d["kind"] == "invoice")
    credited = sum(D(str(d["total"])) for d in docs if d["kind"] == "credit_note")
    assert totals["Receivables"] == invoiced - credited - D(bal["captured"]) + D(bal["refunded"])
