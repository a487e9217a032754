"""The console's dashboard: the KPIs as cards and tables on the admin index page.

django-unfold calls `dashboard_callback` (settings UNFOLD["DASHBOARD_CALLBACK"]) to fill the
index page's context; the page itself is `reports/admin_index.html`, which extends unfold's
index. (Unfold's own `admin/index.html` comes first among the apps' templates, so the site's
`index_template` points at ours.) `?from=YYYY-MM-DD&to=YYYY-MM-DD&channel=CODE` on the index
page changes the period and channel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import admin
from django.http import HttpRequest

from ordino.core.domain.errors import DomainError
from ordino.reports import selectors
from ordino.reports.selectors import Kpis

admin.site.index_template = "reports/admin_index.html"
DASHBOARD_PERMISSION = "orders.view_order"


def _percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def _plain(value: object) -> str:
    return "–" if value is None else str(value)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def dashboard_callback(request: HttpRequest, context: dict) -> dict:
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        return context  # the KPIs are order data: only users who may view orders see them
    date_from, date_to = selectors.period_default(_date(request.GET.get("to")))
    date_from = _date(request.GET.get("from")) or date_from
    channel = request.GET.get("channel") or None
    try:
        k = selectors.kpis_get(date_from=date_from, date_to=date_to, channel_code=channel)
    except DomainError as exc:
        context["kpi_error"] = exc.message
        return context
    context["kpis"] = k
    context["kpi_cards"] = _cards(k)
    context["kpi_tables"] = _tables(k)
    return context


def _cards(k: Kpis) -> list[tuple[str, str, str]]:
    """The KPI cards: (title, figure, what it counts)."""
    return [
        ("Orders", _plain(k.orders), f"{k.units_ordered} units"),
        ("Units per order", _plain(k.units_per_order), ""),
        ("Fill rate", _percent(k.fill_rate), "units allocated at capture"),
        ("Backorder rate", _percent(k.backorder_rate), "orders short at capture"),
        ("Cancellation rate", _percent(k.cancellation_rate), ""),
        ("Split rate", _percent(k.split_rate), "orders with > 1 fulfillment order"),
        ("Shipped from stores", _percent(k.store_ship_share), f"of {k.units_shipped} units"),
        (
            "Capture → ship",
            f"{_plain(k.ship_hours_p50)} h / {_plain(k.ship_hours_p90)} h",
            f"p50 / p90 over {k.shipments} shipments",
        ),
        (
            "Shipped on time",
            _percent(k.on_time_rate),
            f"within {k.ship_target_hours} h of capture",
        ),
    ]


def _tables(k: Kpis) -> list[tuple[str, dict]]:
    """The KPI tables: (title, {headers, rows})."""
    return [
        (
            "Revenue per currency",
            {
                "headers": ["currency", "orders", "cancelled", "revenue", "average order"],
                "rows": [
                    [c.currency, c.orders, c.cancelled, c.revenue, _plain(c.average_order_value)]
                    for c in k.per_currency
                ],
            },
        ),
        (
            "Orders by status",
            {
                "headers": ["status", "orders"],
                "rows": [[s.replace("_", " "), n] for s, n in k.orders_by_status.items()],
            },
        ),
        (
            "Fulfillment queue (open now)",
            {
                "headers": ["location", "status", "fulfillment orders"],
                "rows": [
                    [q.location, q.status.replace("_", " "), q.fulfillment_orders] for q in k.queue
                ],
            },
        ),
        (
            "Top SKUs",
            {"headers": ["SKU", "units"], "rows": [[sku, units] for sku, units in k.top_skus]},
        ),
        (
            "Orders per day",
            {
                "headers": ["day", "currency", "orders", "cancelled", "revenue"],
                "rows": [
                    [d.day, d.currency, d.orders, d.cancelled, d.revenue]
                    for d in reversed(k.per_day)
                ],
            },
        ),
    ]
