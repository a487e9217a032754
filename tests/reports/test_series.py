"""The dashboard's time series, exact, on the hand-made orders of `rows.book` spread over
1–3 March 2026 (both databases)."""

from __future__ import annotations

from datetime import date

import pytest

from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import Scope
from ordino.reports.series import (
    DAY,
    WEEK,
    LocationQueueRow,
    SalesRow,
    ShipTimeRow,
    bucket_default,
    buckets_of,
    series_get,
)
from tests.reports.rows import D

MARCH_1, MARCH_3 = date(2026, 3, 1), date(2026, 3, 3)


def test_each_series_per_day(book, django_assert_max_num_queries):
    # when the series of 1–3 March are asked for: seven queries
    with django_assert_max_num_queries(7):
        s = series_get(date_from=MARCH_1, date_to=MARCH_3)
    # then every day is a bucket, the empty 3 March too
    assert s.bucket == DAY
    assert s.buckets == ["2026-03-01", "2026-03-02", "2026-03-03"]
    # orders and revenue per channel and currency, never added across currencies
    assert s.sales == [
        SalesRow("2026-03-01", "web", "Channel web", "EUR", 2, 0, D("160.00")),
        SalesRow("2026-03-02", "shop", "Channel shop", "USD", 1, 0, D("15.00")),
        SalesRow("2026-03-02", "web", "Channel web", "EUR", 2, 1, D("80.00")),
    ]
    day1, day2, day3 = s.rates
    # 1 March: 5 units all allocated at capture, O2 split, 2 of 5 units shipped from the store
    assert (day1.orders, day1.units_ordered, day1.units_allocated) == (2, 5, 5)
    assert (day1.fill_rate, day1.backorder_rate, day1.split_rate) == (D(1), D(0), D("0.5"))
    assert (day1.cancellation_rate, day1.store_ship_share) == (D(0), D("0.4"))
    # 2 March: O3 short (1 of 4 at capture) and split, O4 cancelled, O5 re-routed (no split)
    assert (day2.orders, day2.units_ordered, day2.units_allocated, day2.short_orders) == (
        3,
        6,
        3,
        1,
    )
    assert (day2.fill_rate, day2.backorder_rate) == (D("0.5"), D("0.3333"))
    assert (day2.cancellation_rate, day2.split_rate) == (D("0.3333"), D("0.3333"))
    assert day2.store_ship_share is None  # nothing shipped yet
    # 3 March: nothing to divide by
    assert (day3.orders, day3.fill_rate, day3.cancellation_rate) == (0, None, None)
    # capture → ship: 10 h, 20 h, 30 h on 1 March
    assert s.ship_times == [
        ShipTimeRow("2026-03-01", 3, D("20.00"), D("30.00")),
        ShipTimeRow("2026-03-02", 0, None, None),
        ShipTimeRow("2026-03-03", 0, None, None),
    ]


def test_the_series_add_up_to_the_kpis(book):
    # given the KPIs of the same period
    from ordino.reports.selectors import kpis_get

    k = kpis_get(date_from=MARCH_1, date_to=MARCH_3)
    s = series_get(date_from=MARCH_1, date_to=MARCH_3)
    # then the buckets add up to the period's figures
    assert sum(r.orders for r in s.rates) == k.orders == 5
    assert sum(r.split_orders for r in s.rates) == 2
    assert sum(r.short_orders for r in s.rates) == 1
    assert sum(r.units_shipped for r in s.rates) == k.units_shipped == 5
    assert sum(r.shipments for r in s.ship_times) == k.shipments == 3


def test_weeks_start_on_monday(book):
    # 1 March 2026 is a Sunday: it belongs to the week of Monday 23 February
    s = series_get(date_from=MARCH_1, date_to=MARCH_3, bucket=WEEK)
    assert s.buckets == ["2026-02-23", "2026-03-02"]
    assert [(r.bucket, r.orders, r.split_orders) for r in s.rates] == [
        ("2026-02-23", 2, 1),
        ("2026-03-02", 3, 1),
    ]
    assert [(r.bucket, r.currency, r.revenue) for r in s.sales] == [
        ("2026-02-23", "EUR", D("160.00")),
        ("2026-03-02", "USD", D("15.00")),
        ("2026-03-02", "EUR", D("80.00")),
    ]


def test_the_queue_is_open_work_now_per_location(book):
    s = series_get(date_from=MARCH_1, date_to=MARCH_3)
    assert [(q.location, q.status, q.fulfillment_orders) for q in s.queue] == [
        ("STORE-1", "accepted", 1),
        ("WH-A", "open", 2),  # O3's backorder and O6, captured in February
        ("WH-B", "open", 1),
    ]
    assert isinstance(s.queue[0], LocationQueueRow)
    assert s.queue[0].location_name == "Location STORE-1"


def test_one_channel_and_a_channel_limited_scope(book):
    # one channel asked for
    web = series_get(date_from=MARCH_1, date_to=MARCH_3, channel_code="web")
    assert {r.channel for r in web.sales} == {"web"}
    assert [q.location for q in web.queue] == ["WH-A", "WH-B"]
    # a scope limited to the shop channel sees the shop only, and no other channel by name
    shop_only = Scope(channel_ids=frozenset({book["shop"].id}))
    s = series_get(date_from=MARCH_1, date_to=MARCH_3, scope=shop_only)
    assert [(r.channel, r.orders) for r in s.sales] == [("shop", 1)]
    assert [(q.location, q.status) for q in s.queue] == [("STORE-1", "accepted")]
    with pytest.raises(NotFound):
        series_get(date_from=MARCH_1, date_to=MARCH_3, channel_code="web", scope=shop_only)


def test_buckets_and_their_default():
    assert bucket_default(date(2026, 1, 1), date(2026, 3, 3)) == DAY  # 62 days
    assert bucket_default(date(2026, 1, 1), date(2026, 3, 4)) == WEEK
    assert buckets_of(date(2026, 3, 4), date(2026, 3, 17), WEEK) == [
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
    ]
    with pytest.raises(DomainError):
        series_get(date_from=MARCH_3, date_to=MARCH_1)
