"""The dashboard's KPIs, exact, on a small hand-made set of orders (both databases).

The rows are written directly: a report reads what the order and fulfillment use cases leave
behind, and the test needs capture and shipment times to the minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.orders.models import Order, OrderLine
from ordino.reports.domain.metrics import (
    money_average,
    money_from_scaled,
    percentile_from_histogram,
    rate,
    within,
)
from ordino.reports.selectors import kpis_get
from tests.conftest import ApiClient
from tests.factories import make_channel, make_location, make_sku, make_token

D = Decimal


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def order(channel, ext, created, status, total, current, currency="EUR"):
    money = {f: D(0) for f in ("subtotal", "discount_total", "tax_total", "shipping_price")}
    return Order.objects.create(
        channel=channel,
        external_id=ext,
        status=status,
        currency=currency,
        shipping_tax=D(0),
        grand_total=D(total),
        current_total=D(current),
        placed_at=created,
        created_at=created,
        updated_at=created,
        **money,
    )


def line(o, sku, ordered, *, allocated=0, shipped=0, backordered=0, cancelled=0, no=1):
    return OrderLine.objects.create(
        order=o,
        line_no=no,
        sku=sku,
        sku_code=sku.code,
        quantity_ordered=ordered,
        quantity_allocated=allocated,
        quantity_shipped=shipped,
        quantity_backordered=backordered,
        quantity_cancelled=cancelled,
        unit_price=D(10),
        line_discount=D(0),
        order_discount=D(0),
        tax=D(0),
        total=D(10) * ordered,
    )


def fo(
    order_line,
    location,
    qty,
    status,
    created,
    *,
    shipped=0,
    rejected=0,
    cancelled=0,
    ship_after_hours=None,
):
    f = FulfillmentOrder.objects.create(
        order=order_line.order,
        location=location,
        status=status,
        delivery_method="ship",
        created_at=created,
        updated_at=created,
    )
    FulfillmentLine.objects.create(
        fulfillment_order=f,
        order_line=order_line,
        components={},
        quantity=qty,
        quantity_shipped=shipped,
        quantity_rejected=rejected,
        quantity_cancelled=cancelled,
    )
    if ship_after_hours is not None:
        Shipment.objects.create(
            fulfillment_order=f,
            carrier="dhl",
            shipped_at=order_line.order.created_at + timedelta(hours=ship_after_hours),
        )
    return f


@pytest.fixture
def book(db):
    web, shop = make_channel("web"), make_channel("shop", currency="USD")
    wh_a, wh_b = make_location("WH-A", priority=1), make_location("WH-B", priority=2)
    store = make_location("STORE-1", kind="store", priority=3)
    tee, mug, cap = make_sku("TEE"), make_sku("MUG"), make_sku("CAP")
    # 1 March: a shipped order, and one split between a warehouse and a store
    o1 = order(web, "O1", at(1, 10), "shipped", 100, 100)
    fo(line(o1, tee, 2, shipped=2), wh_a, 2, "shipped", at(1, 10), shipped=2, ship_after_hours=20)
    o2 = order(web, "O2", at(1, 12), "shipped", 60, 60)
    l2 = line(o2, mug, 3, shipped=3)
    fo(l2, wh_a, 1, "shipped", at(1, 12), shipped=1, ship_after_hours=30)
    fo(l2, store, 2, "shipped", at(1, 12), shipped=2, ship_after_hours=10)
    # 2 March: short at capture (1 of 4; one more found a day later), a cancelled order,
    # and a USD order rejected by its first location and re-routed to the store
    o3 = order(web, "O3", at(2, 9), "backordered", 80, 80)
    l3 = line(o3, tee, 4, allocated=2, backordered=2)
    fo(l3, wh_b, 1, "open", at(2, 9))
    fo(l3, wh_a, 1, "open", at(3, 9))
    o4 = order(web, "O4", at(2, 23, 30), "cancelled", 20, 0)
    fo(line(o4, cap, 1, cancelled=1), wh_a, 1, "cancelled", at(2, 23, 30), cancelled=1)
    o5 = order(shop, "O5", at(2, 8), "allocated", 15, 15, currency="USD")
    l5 = line(o5, tee, 1, allocated=1)
    fo(l5, wh_a, 1, "rejected", at(2, 8), rejected=1)
    fo(l5, store, 1, "accepted", at(2, 9))
    # outside the period (28 February, 23:59 UTC): only its open work shows, in the queue
    o6 = order(web, "O6", datetime(2026, 2, 28, 23, 59, tzinfo=UTC), "allocated", 10, 10)
    fo(line(o6, mug, 5, allocated=5), wh_a, 5, "open", o6.created_at)
    return {"web": web, "shop": shop}


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


def test_the_console_index_shows_the_dashboard(client, book):
    client.force_login(User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough"))
    page = client.get("/admin/", {"from": "2026-03-01", "to": "2026-03-02"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fill rate" in html and "72.7 %" in html and "STORE-1" in html
    assert "Orders by status" in html
    odd = client.get("/admin/", {"to": "9999-12-31", "from": "0001-01-01"})
    assert odd.status_code == 200 and "must be between" in odd.content.decode()


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
