"""Return analytics: exact figures from returns made through the API, refunds via the worker."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.core.domain.clock import clock_pinned
from ordino.reports.returns import returns_report_get
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token, order_body, stock
from tests.payments.conftest import card, work
from tests.returns.conftest import return_body, ship_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    """Each test's clock stands still at noon, so a run that crosses midnight counts on one day."""
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    with clock_pinned(noon):
        yield noon.date()


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


def test_a_received_return_is_counted_and_its_refund_recorded(api, paid, today):
    # given a tee back in stock, a tee missing and the mug damaged, refunded by the worker
    body = return_body((1, 2), (2, 1))
    rid = api.post(f"/orders/{paid['id']}/returns", body).json()["id"]
    assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    receipt = [{"line_no": 1, "restock": 1, "missing": 1}, {"line_no": 2, "damaged": 1}]
    assert api.post(f"/returns/{rid}/receive", {"lines": receipt}).status_code == 200
    work()
    # when the report is asked for
    with CaptureQueriesContext(connection) as queries:
        report = returns_report_get(date_from=today, date_to=today)
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


def _returned_in(api, shop, currency: str, price: str) -> dict:
    """A paid order of 2 tees in `currency` in its own channel, shipped, one tee back in stock."""
    code = f"shop-{currency.lower()}"
    make_channel(code, currency=currency)
    stock(shop["wh_a"], shop["TEE"], 5)
    lines = [{"sku": "TEE", "quantity": 2, "unit_price": price}]
    body = order_body(f"X-{currency}", lines=lines, channel=code, currency=currency)
    order = api.post("/orders", {**body, "payments": [card()]}).json()
    work()
    ship_all(api, order)
    work()
    rid = api.post(f"/orders/{order['id']}/returns", return_body((1, 1))).json()["id"]
    assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    receipt = {"lines": [{"line_no": 1, "restock": 1}]}
    assert api.post(f"/returns/{rid}/receive", receipt).status_code == 200
    work()
    return order


def test_refunds_are_per_currency_in_its_decimals_and_never_summed(api, shop):
    # given one tee back in JPY, one in KWD and one in EUR, each refunded
    for currency, price in (("JPY", "1999"), ("KWD", "1.999"), ("EUR", "19.99")):
        _returned_in(api, shop, currency, price)
    # when the report is asked for
    body = api.get("/reports/returns").json()
    # then one row per currency, in its minor unit
    assert [(m["currency"], m["refunds"], m["amount"]) for m in body["refunds"]] == [
        ("EUR", 1, "19.99"),
        ("JPY", 1, "1999"),
        ("KWD", 1, "1.999"),
    ]
    assert [m["amount"] for m in body["refund_decisions"]] == ["19.99", "1999", "1.999"]
    # and the rate is over the 6 tees shipped
    assert (body["units_shipped"], body["units_returned"], body["return_rate"]) == (6, 3, "0.5000")
    assert [(c["key"], c["return_rate"]) for c in body["per_channel"]] == [
        ("shop-eur", "0.5000"),
        ("shop-jpy", "0.5000"),
        ("shop-kwd", "0.5000"),
    ]


def test_one_channel_and_a_period_without_returns(api, shop):
    # given returns in two channels
    _returned_in(api, shop, "JPY", "1999")
    _returned_in(api, shop, "KWD", "1.999")
    # when one channel is asked for, then only its return
    body = api.get("/reports/returns?channel=shop-jpy").json()
    assert (body["channel"], body["returns"], body["units_shipped"]) == ("shop-jpy", 1, 2)
    assert [m["currency"] for m in body["refunds"]] == ["JPY"]
    # when a past period is asked for, then nothing
    body = api.get("/reports/returns?from=2020-01-01&to=2020-01-31").json()
    assert (body["returns"], body["units_shipped"], body["refunds"]) == (0, 0, [])


def test_a_channel_limited_token_sees_its_channels_only(api, shop):
    # given returns in two channels and a token limited to the JPY one
    _returned_in(api, shop, "JPY", "1999")
    _returned_in(api, shop, "KWD", "1.999")
    limited = ApiClient(api.client, make_token("reports:read", channel_codes=["shop-jpy"]))
    # when it asks for the report, then the JPY return only
    body = limited.get("/reports/returns").json()
    assert (body["returns"], [c["key"] for c in body["per_channel"]]) == (1, ["shop-jpy"])
    # and another channel is not found
    r = limited.get("/reports/returns?channel=shop-kwd")
    assert (r.status_code, r.json()["code"]) == (404, "channel_not_found")


def test_a_location_limited_token_is_refused(api, shop):
    limited = ApiClient(api.client, make_token("reports:read", location_codes=["WH-A"]))
    r = limited.get("/reports/returns")
    assert (r.status_code, r.json()["code"]) == (403, "token_restricted")


def test_time_to_refund_per_channel_and_returns_and_refunds_per_day(api, shop, today):
    # given W-1 paid, shipped; a return requested at 09:00 and received and refunded at 14:30
    from datetime import timedelta

    from ordino.reports.series import RefundsDayRow, ReturnsDayRow, series_get
    from tests.reports.rows import D

    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    t0 = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    with clock_pinned(t0 - timedelta(hours=2)):
        order = api.post("/orders", {**order_body(), "payments": [card()]}).json()
        work()
        ship_all(api, order)
        work()
    with clock_pinned(t0):
        rid = api.post(f"/orders/{order['id']}/returns", return_body((1, 1))).json()["id"]
        assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    with clock_pinned(t0 + timedelta(hours=5, minutes=30)):
        receipt = {"lines": [{"line_no": 1, "restock": 1}]}
        assert api.post(f"/returns/{rid}/receive", receipt).status_code == 200
        work()
    # when the returns report is read: request → refund 5.5 h, for the web channel
    with CaptureQueriesContext(connection) as queries:
        report = returns_report_get(date_from=today, date_to=today)
    assert len(queries) == 11
    assert [(r.channel, r.returns_refunded, str(r.hours_p50), str(r.hours_p90))
            for r in report.refund_time_per_channel] == [("web", 1, "5.50", "5.50")]  # fmt: skip
    assert str(report.hours_to_refund_p50) == "5.50"
    body = api.get("/reports/returns").json()
    assert body["refund_time_per_channel"] == [
        {"channel": "web", "returns_refunded": 1, "hours_p50": "5.50", "hours_p90": "5.50"}
    ]
    # and the series has the return and its refund on today's bucket, in seven queries
    with CaptureQueriesContext(connection) as queries:
        s = series_get(date_from=today - timedelta(days=1), date_to=today)
    assert len(queries) == 7
    yesterday = (today - timedelta(days=1)).isoformat()
    assert s.returns == [ReturnsDayRow(yesterday, 0, 0), ReturnsDayRow(today.isoformat(), 1, 1)]
    assert s.refunds == [RefundsDayRow(today.isoformat(), "EUR", 1, D("19.99"))]
    got = api.get("/reports/series", **{"from": today.isoformat(), "to": today.isoformat()})
    assert got.json()["refunds"] == [
        {"bucket": today.isoformat(), "currency": "EUR", "refunds": 1, "amount": "19.99"}
    ]
    assert got.json()["returns"] == [
        {"bucket": today.isoformat(), "returns": 1, "units_requested": 1}
    ]
