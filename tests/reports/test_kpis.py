"""The dashboard's KPIs, exact, on a small hand-made set of orders (both databases).

The rows are written directly: a report reads what the order and fulfillment use cases leave
behind, and the test needs capture and shipment times to the minute."""

from __future__ import annotations

from datetime import date

import pytest

from ordino.reports.domain.metrics import (
    money_average,
    money_from_scaled,
    percentile_from_histogram,
    rate,
    within,
)
from ordino.reports.selectors import kpis_get
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token
from tests.reports.rows import D, at, order


def test_every_kpi_over_the_period(book, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        k = kpis_get(date_from=date(2026, 3, 1), date_to=date(2026, 3, 2))
    assert k.orders == 5
    assert [(r.day, r.currency, r.orders, r.cancelled, r.revenue) for r in k.per_day] == [
        ("2026-03-01", "EUR", 2, 0, D(160)),
        ("2026-03-02", "EUR", 2, 1, D(80)),
        ("2026-03-02", "USD", 1, 0, D(15)),
    ]
    assert [(c.currency, c.orders, c.revenue, c.average_order_value) for c in k.per_currency] == [
        ("EUR", 4, D(240), D("80.00")),
        ("USD", 1, D(15), D("15.00")),
    ]
    assert (k.units_ordered, k.units_per_order) == (11, D("2.20"))
    assert k.fill_rate == D("0.7273")  # 8 of 11 units allocated at capture
    assert k.backorder_rate == D("0.2000")  # O3
    assert k.cancellation_rate == D("0.2000")  # O4
    assert k.split_rate == D("0.4000")  # O2, and O3 (its backorder filled elsewhere)
    assert (k.store_ship_share, k.units_shipped) == (D("0.4000"), 5)
    assert k.orders_by_status == {"backordered": 1, "allocated": 1, "shipped": 2, "cancelled": 1}
    assert [(q.location, q.status, q.fulfillment_orders) for q in k.queue] == [
        ("STORE-1", "accepted", 1),
        ("WH-A", "open", 2),
        ("WH-B", "open", 1),
    ]
    assert (k.shipments, k.ship_hours_p50, k.ship_hours_p90) == (3, D("20.00"), D("30.00"))
    assert (k.ship_target_hours, k.on_time_rate) == (24, D("0.6667"))
    assert k.top_skus == [("TEE", 7), ("MUG", 3), ("CAP", 1)]


def test_one_channel_and_an_empty_period(book):
    k = kpis_get(date_from=date(2026, 3, 1), date_to=date(2026, 3, 2), channel_code="shop")
    assert (k.orders, k.fill_rate, k.split_rate, k.store_ship_share) == (1, D(1), D(0), None)
    assert [(q.location, q.status) for q in k.queue] == [("STORE-1", "accepted")]
    empty = kpis_get(date_from=date(2026, 4, 1), date_to=date(2026, 4, 30), target_hours=12)
    assert (empty.orders, empty.fill_rate, empty.ship_hours_p50, empty.top_skus) == (
        0,
        None,
        None,
        [],
    )


def test_the_metrics_arithmetic():
    assert percentile_from_histogram({}, 0.5) is None
    assert percentile_from_histogram({5: 9, 7: 1}, 0.9) == 5
    assert percentile_from_histogram({5: 9, 7: 1}, 0.91) == 7
    assert within({60: 2, 61: 1}, 60) == 2
    assert rate(1, 3) == D("0.3333") and rate(1, 0) is None


# --- API and console ----------------------------------------------------------------------


def test_the_api_answers_the_kpis(client, book):
    reader = ApiClient(client, make_token("reports:read", name="ops"))
    response = reader.get("/reports/kpis", **{"from": "2026-03-01", "to": "2026-03-02"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["orders"], body["fill_rate"], body["on_time_rate"]) == (5, "0.7273", "0.6667")
    assert body["top_skus"][0] == {"sku": "TEE", "units": 7}
    assert body["per_currency"][0]["average_order_value"] == "80.00"
    shop_only = ApiClient(
        client, make_token("reports:read", name="shop", channel_codes=["shop"])
    ).get("/reports/kpis", **{"from": "2026-03-01", "to": "2026-03-02"})
    assert shop_only.json()["orders"] == 1


@pytest.mark.parametrize(
    ("scopes", "restriction", "params", "status"),
    [
        ("orders:read", {}, {}, 403),
        ("reports:read", {"location_codes": ["WH-A"]}, {}, 403),
        ("reports:read", {}, {"channel": "nope"}, 404),
        ("reports:read", {}, {"from": "2026-03-02", "to": "2026-03-01"}, 422),
        ("reports:read", {}, {"from": "2024-01-01", "to": "2026-03-01"}, 422),
        ("reports:read", {}, {"from": "yesterday"}, 422),
        ("reports:read", {}, {"to": "0001-01-01"}, 422),
        ("reports:read", {}, {"to": "0"}, 422),
        ("reports:read", {}, {"to": "2026-02-30"}, 422),
        ("reports:read", {}, {"from": "9999-12-31", "to": "9999-12-31"}, 422),
    ],
)
def test_the_api_refuses(client, book, scopes, restriction, params, status):
    caller = ApiClient(client, make_token(scopes, name="x", **restriction))
    response = caller.get("/reports/kpis", **params)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"


# --- money: exact, in each currency's minor unit, on both databases -------------------------


@pytest.mark.parametrize(
    ("currency", "totals", "revenue", "average"),
    [
        ("KWD", ["2.899", "2.899", "2.899"], "8.697", "2.899"),
        ("JPY", ["2900", "2900"], "5800", "2900"),
        ("EUR", ["0.10"] * 30 + ["88411.46"], "88414.46", "2852.08"),
        ("EUR", ["999999999999.99", "0.01"], "1000000000000.00", "500000000000.00"),
    ],
)
def test_revenue_and_average_are_exact_in_the_currency_minor_unit(
    client, db, currency, totals, revenue, average
):
    # given orders whose sum a float would blur (0.1 × 30, 88411.46, 15 significant digits)
    channel = make_channel("web", currency=currency)
    for n, total in enumerate(totals):
        order(channel, f"M{n}", at(5, 10), "allocated", total, total, currency=currency)
    # when the KPIs are read, by the selector and over the API
    k = kpis_get(date_from=date(2026, 3, 5), date_to=date(2026, 3, 5))
    body = (
        ApiClient(client, make_token("reports:read", name="m"))
        .get("/reports/kpis", **{"from": "2026-03-05", "to": "2026-03-05"})
        .json()
    )
    # then revenue and average carry exactly the currency's decimals
    assert [(c.currency, str(c.revenue), str(c.average_order_value)) for c in k.per_currency] == [
        (currency, revenue, average)
    ]
    assert [str(d.revenue) for d in k.per_day] == [revenue]
    assert (body["per_currency"][0]["revenue"], body["per_day"][0]["revenue"]) == (revenue, revenue)
    assert body["per_currency"][0]["average_order_value"] == average


def test_money_arithmetic_keeps_the_minor_unit():
    assert str(money_from_scaled(2899, 1000, "KWD")) == "2.899"
    assert str(money_from_scaled(2900000, 1000, "JPY")) == "2900"
    assert str(money_average(D("10.00"), 3, "EUR")) == "3.33"
    assert str(money_average(D("5"), 2, "JPY")) == "2"  # half-even
    assert money_average(D("1.00"), 0, "EUR") is None
