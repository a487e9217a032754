"""Return analytics: exact figures from returns made through the API, refunds via the worker."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.reports.returns import returns_report_get
from tests.factories import order_body, stock
from tests.payments.conftest import card, work
from tests.returns.conftest import return_body, ship_all

pytestmark = pytest.mark.django_db
TODAY = datetime.now(UTC).date()


@pytest.fixture
def paid(api, shop):
    """W-1 (two tees at 19.99, a mug at 9.50, EUR) paid by card, shipped, delivered, captured."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", {**order_body(), "payments": [card()]}).json()
    work()
    ship_all(api, order)
    work()
    return order


def test_an_empty_period_has_no_rates(api, shop):
    # given nothing shipped or returned
    # when the report is asked for
    r = api.get("/reports/returns")
    # then zeros, and no rate where there is no whole
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["returns"], body["units_shipped"], body["units_returned"]) == (0, 0, 0)
    assert body["return_rate"] is None
    assert body["refunds"] == [] and body["hours_to_refund_p50"] is None


def test_a_received_return_is_counted_and_its_refund_recorded(api, paid):
    # given a tee back in stock, a tee missing and the mug damaged, refunded by the worker
    body = return_body((1, 2), (2, 1))
    rid = api.post(f"/orders/{paid['id']}/returns", body).json()["id"]
    assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    receipt = [{"line_no": 1, "restock": 1, "missing": 1}, {"line_no": 2, "damaged": 1}]
    assert api.post(f"/returns/{rid}/receive", {"lines": receipt}).status_code == 200
    work()
    # when the report is asked for
    with CaptureQueriesContext(connection) as queries:
        report = returns_report_get(date_from=TODAY, date_to=TODAY)
    # then a fixed number of queries, and the exact figures
    assert len(queries) == 11
    assert (report.returns, report.units_shipped) == (1, 3)
    assert (report.units_requested, report.units_returned) == (3, 2)
    assert str(report.return_rate) == "0.6667"
    assert report.dispositions == {"restock": 1, "damaged": 1, "needs_processing": 0, "missing": 1}
    assert [
        (r.key, r.units_returned, r.units_shipped, str(r.return_rate)) for r in report.per_sku
    ] == [
        ("TEE", 1, 2, "0.5000"),  # most returned first, then most requested
        ("MUG", 1, 1, "1.0000"),
    ]
    assert [(r.key, r.units_requested, r.units_returned) for r in report.per_reason] == [
        ("size_or_fit", 3, 2)
    ]
    assert [(r.key, r.units_returned) for r in report.per_location] == [("WH-A", 2)]
    assert [(m.currency, m.status, str(m.amount)) for m in report.refund_decisions] == [
        ("EUR", "decided", "29.49")
    ]
    assert [(m.currency, m.refunds, str(m.amount)) for m in report.refunds] == [("EUR", 1, "29.49")]
    assert report.hours_to_receipt_p50 is not None and report.hours_to_refund_p50 is not None


def test_bounds_are_refused(api, shop):
    assert api.get("/reports/returns?top=0").status_code == 422
    assert api.get("/reports/returns?top=101").status_code == 422
    r = api.get("/reports/returns?from=2026-01-02&to=2026-01-01")
    assert (r.status_code, r.json()["code"]) == (422, "period_invalid")
    r = api.get("/reports/returns?channel=nope")
    assert (r.status_code, r.json()["code"]) == (404, "channel_not_found")
