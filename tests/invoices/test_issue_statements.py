"""What issuing an invoice per shipment costs the database (docs/invoices.md, "Cost"): a fixed
number of statements whatever the order's size, with the gapless number taken under the
series row's lock. A change that adds a statement per line, or a read, fails here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.invoices.services import invoice_issue
from ordino.invoices.services.numbering import series_lock
from tests.invoices.conftest import capture, documents

pytestmark = pytest.mark.django_db(transaction=False)

# order + its channel's setting; series lock; earlier invoices' lines; order lines; number;
# invoice; its lines (one bulk insert); timeline row; outbox event. (Issued by the worker, as
# shipments are: a person's or an integration's issue also writes an audit entry.)
ISSUE_STATEMENTS = 9


def _issue(order_id: int, reference: str, billing: dict[int, int]):
    with CaptureQueriesContext(connection) as captured:
        invoice = invoice_issue(
            order_id=order_id, reference=reference, billing=billing, actor="system:invoices"
        )
    sql = [q["sql"] for q in captured.captured_queries]
    return invoice, [s for s in sql if not s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]


@pytest.mark.parametrize("lines", [2, 12])
def test_an_invoice_costs_the_same_statements_whatever_the_order_size(api, shop, lines):
    # given an order of `lines` lines and its series already in use
    body = [{"sku": "TEE", "quantity": 1, "unit_price": "10.00", "tax": "1.90"}] * lines
    order = capture(api, shop, lines=body)
    from ordino.core.domain.clock import utcnow

    series_lock(code="INV", at=utcnow())
    # when its first and second shipments are invoiced
    _first, first_sql = _issue(order["id"], "shipment:1", {1: 1})
    second, second_sql = _issue(order["id"], "shipment:2", {n: 1 for n in range(2, lines + 1)})
    # then a fixed number of statements each, and gapless numbers in turn
    assert (len(first_sql), len(second_sql)) == (ISSUE_STATEMENTS, ISSUE_STATEMENTS), (
        first_sql,
        second_sql,
    )
    assert [d.sequence for d in documents(order["id"])] == [1, 2]
    assert second.lines.count() == lines - 1


def test_a_repeated_shipment_answers_its_invoice_and_takes_no_number(api, shop):
    order = capture(api, shop)
    first, _ = _issue(order["id"], "shipment:1", {1: 1})
    again, sql = _issue(order["id"], "shipment:1", {1: 1})
    assert again.pk == first.pk
    assert not any(s.startswith("UPDATE") or s.startswith("INSERT") for s in sql), sql
    assert [d.sequence for d in documents(order["id"])] == [1]


def test_an_e_mailed_invoice_reads_its_lines_once(api, shop, mail_on):
    # given an issued invoice
    from ordino.invoices.services import invoice_send

    order = capture(api, shop)
    invoice, _ = _issue(order["id"], "shipment:1", {1: 3, 2: 1})
    # when it is e-mailed (text, HTML and PDF each list the lines)
    with CaptureQueriesContext(connection) as captured:
        assert invoice_send(invoice_id=invoice.pk, actor="t", again=False) is True
    # then its lines were read once
    reads = [q["sql"] for q in captured.captured_queries if "invoices_invoiceline" in q["sql"]]
    assert len(reads) == 1, reads
