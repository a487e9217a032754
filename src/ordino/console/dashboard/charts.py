"""The dashboard's charts as unfold's chart components draw them (Chart.js): each chart is a
title, a kind, the data and options as JSON, and the list it opens. Money stays exact: a
revenue chart is of one currency, its values decimal strings (Chart.js reads them as numbers
only to draw)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder

from ordino.core.domain.display import status_word
from ordino.reports.series import DAY, Series

PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16"]


@dataclass(frozen=True)
class Chart:
    key: str  # for tests and the page's anchors
    title: str
    kind: str  # "bar" or "line"
    data: str  # JSON
    options: str  # JSON
    link: str = ""  # the list it opens
    link_label: str = ""
    links: str = "[]"  # JSON: per dataset, per bar or point, the list a click opens


def _json(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))


def _options(*, stacked: bool, suffix: str = "") -> str:
    y = {"stacked": stacked, "beginAtZero": True, "ticks": {}}
    if suffix:
        y["title"] = {"display": True, "text": suffix}
    return _json(
        {
            "responsive": True,
            "maintainAspectRatio": False,
            "interaction": {"mode": "index", "intersect": False},
            "plugins": {"legend": {"display": True, "position": "bottom"}},
            "scales": {"x": {"stacked": stacked}, "y": y},
        }
    )


def _dataset(label: str, values: list, n: int, *, line: bool = False) -> dict:
    color = PALETTE[n % len(PALETTE)]
    data = {"label": label, "data": values, "backgroundColor": color, "borderColor": color}
    if line:
        data.update({"fill": False, "spanGaps": True, "tension": 0.2})
    return data


def _percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else (value * 100).quantize(Decimal("0.01"))


def sales_charts(s: Series, link: str, bar_link) -> list[Chart]:
    """Orders per bucket by channel (stacked), and revenue by channel, one chart per currency.
    A click on a bar opens the orders of that bucket and channel (`bar_link(bucket, channel,
    currency)`)."""
    per = "day" if s.bucket == DAY else "week"
    names = {r.channel: r.channel_name for r in s.sales}
    orders: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    revenue: dict[str, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for r in s.sales:
        orders[r.channel][r.bucket] += r.orders
        revenue[r.currency][r.channel][r.bucket] = r.revenue
    channels = sorted(names)
    charts = [
        Chart(
            "orders",
            f"Orders per {per} by channel",
            "bar",
            _json(
                {
                    "labels": s.buckets,
                    "datasets": [
                        _dataset(names[c], [orders[c].get(b, 0) for b in s.buckets], i)
                        for i, c in enumerate(channels)
                    ],
                }
            ),
            _options(stacked=True),
            link,
            "Open these orders",
            _json([[bar_link(b, c, None) for b in s.buckets] for c in channels]),
        )
    ]
    for currency in sorted(revenue):
        shown = [(i, c) for i, c in enumerate(channels) if c in revenue[currency]]
        datasets = [
            _dataset(names[c], [revenue[currency][c].get(b, "0") for b in s.buckets], i)
            for i, c in shown
        ]
        bars = [[bar_link(b, c, currency) for b in s.buckets] for _, c in shown]
        charts.append(
            Chart(
                f"revenue-{currency}",
                f"Revenue per {per} by channel · {currency}",
                "bar",
                _json({"labels": s.buckets, "datasets": datasets}),
                _options(stacked=True, suffix=currency),
                link,
                "Open these orders",
                _json(bars),
            )
        )
    return charts


def rate_charts(s: Series, link: str, bar_link) -> list[Chart]:
    """Fill, backorder, cancellation and split rates; the share shipped from stores;
    capture → ship p50 / p90 hours; per bucket, of the orders captured in it. A click on a
    point opens the orders of that bucket."""
    points = [bar_link(b, None, None) for b in s.buckets]
    rates = [
        ("Fill rate", [_percent(r.fill_rate) for r in s.rates]),
        ("Backorder rate", [_percent(r.backorder_rate) for r in s.rates]),
        ("Cancellation rate", [_percent(r.cancellation_rate) for r in s.rates]),
        ("Split rate", [_percent(r.split_rate) for r in s.rates]),
    ]
    per = "day" if s.bucket == DAY else "week"
    return [
        Chart(
            "rates",
            f"Rates per {per} (%)",
            "line",
            _json(
                {
                    "labels": s.buckets,
                    "datasets": [_dataset(n, v, i, line=True) for i, (n, v) in enumerate(rates)],
                }
            ),
            _options(stacked=False, suffix="%"),
            link,
            "Open these orders",
            _json([points] * 4),
        ),
        Chart(
            "stores",
            f"Units shipped from stores per {per} (%)",
            "line",
            _json(
                {
                    "labels": s.buckets,
                    "datasets": [
                        _dataset(
                            "Shipped from stores",
                            [_percent(r.store_ship_share) for r in s.rates],
                            2,
                            line=True,
                        )
                    ],
                }
            ),
            _options(stacked=False, suffix="%"),
            link,
            "Open these orders",
            _json([points]),
        ),
        Chart(
            "ship-time",
            f"Capture → ship per {per} (hours)",
            "line",
            _json(
                {
                    "labels": s.buckets,
                    "datasets": [
                        _dataset("Median", [t.hours_p50 for t in s.ship_times], 0, line=True),
                        _dataset(
                            "90th percentile", [t.hours_p90 for t in s.ship_times], 3, line=True
                        ),
                    ],
                }
            ),
            _options(stacked=False, suffix="hours"),
            link,
            "Open these orders",
            _json([points] * 2),
        ),
    ]


def returns_chart(s: Series, link: str = "") -> Chart:
    """Returns requested and refunds recorded per bucket, by when they happened. Refunds are
    counted, not summed: their amounts are per currency in `GET /reports/series` and the
    Returns card (money is never added across currencies)."""
    per = "day" if s.bucket == DAY else "week"
    refunds: dict[str, int] = defaultdict(int)
    for r in s.refunds:
        refunds[r.bucket] += r.refunds
    data = {
        "labels": s.buckets,
        "datasets": [
            _dataset("Returns requested", [r.returns for r in s.returns], 3),
            _dataset("Refunds recorded", [refunds.get(b, 0) for b in s.buckets], 0),
        ],
    }
    return Chart(
        "returns",
        f"Returns and refunds per {per}",
        "bar",
        _json(data),
        _options(stacked=False),
        link,
        "Open the returns" if link else "",
    )


def queue_chart(s: Series, link_of) -> Chart:
    """Open fulfillment orders now per location (bars), stacked by status; a click on a bar
    opens that location's fulfillment orders in that status (`link_of(location_id, status)`)."""
    locations: dict[int, str] = {}
    for q in s.queue:
        locations.setdefault(q.location_id, q.location_name)
    statuses = sorted({q.status for q in s.queue})
    counts = {(q.location_id, q.status): q.fulfillment_orders for q in s.queue}
    ids = list(locations)
    links = [[link_of(loc, st) for loc in ids] for st in statuses]
    data = {
        "labels": [locations[i] for i in ids],
        "datasets": [
            _dataset(status_word(st), [counts.get((loc, st), 0) for loc in ids], n)
            for n, st in enumerate(statuses)
        ],
    }
    return Chart(
        "queue",
        "Open work per location now",
        "bar",
        _json(data),
        _options(stacked=True),
        links=_json(links),
    )
