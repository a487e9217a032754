"""The dashboard's context: the picker, the KPI tiles (each opening the list it counts), the
charts and the open queue. Nine KPI queries and seven series queries whatever the data
(tests/console/test_dashboard.py holds the page to its query budget)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from ordino.accounts.staff import console_principal
from ordino.console.dashboard import charts, links
from ordino.console.dashboard.links import orders_list
from ordino.console.dashboard.picker import PERIODS, Choice, choice_resolve
from ordino.core.domain.clock import utcnow
from ordino.core.domain.display import money_display, status_word
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import Scope
from ordino.orders.domain import status as st
from ordino.reports import selectors, series
from ordino.reports.returns import returns_report_get
from ordino.reports.selectors import Kpis
from ordino.reports.shipping import shipping_report_get

# The network's KPIs: who may `see_reports` sees the dashboard (docs/console/dashboard.md), as a
# person's token reads GET /reports/kpis (accounts/api_read_permissions.py).
DASHBOARD_PERMISSION = "accounts.see_reports"
QUEUE_PERMISSION = "fulfillment.view_fulfillmentorder"


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    value: str
    hint: str
    link: str


@dataclass(frozen=True)
class QueueLine:
    location: str
    status: str
    count: int
    link: str


def dashboard_callback(request: HttpRequest, context: dict) -> dict:
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        return context  # the index shows the usual list of what the user may open
    scope = console_principal(request).scope
    if scope.location_ids is not None:
        context["dashboard_note"] = (
            "The dashboard covers the whole network; your access is limited to some "
            "locations, so it is not shown. The menu leads to your locations' work."
        )
        return context
    form, choice, problems = choice_resolve(request.GET, scope=scope, today=utcnow().date())
    for problem in problems:
        messages.warning(request, f"{problem} Showing {_describe(choice)} instead.")
    code = choice.channel.code if choice.channel else None
    try:
        kpis = selectors.kpis_get(
            date_from=choice.date_from, date_to=choice.date_to, channel_code=code, scope=scope
        )
        s = series.series_get(
            date_from=choice.date_from, date_to=choice.date_to, channel_code=code, scope=scope
        )
        # the Returns card: 11 queries (+1 channel look-up), docs/console/dashboard.md
        context["returns"] = returns_report_get(
            date_from=choice.date_from, date_to=choice.date_to, channel_code=code, top=5,
            scope=scope,
        )  # fmt: skip
        # the Shipping card: 1 query (+1 channel look-up), docs/console/dashboard.md
        context["shipping"] = shipping_report_get(
            date_from=choice.date_from, date_to=choice.date_to, channel_code=code, scope=scope
        )
    except DomainError as exc:  # a period or channel the picker let through: say it, no 500
        messages.error(request, exc.message)
        return context
    context.update(_page(request, form, choice, scope, kpis, s))
    return context


def _returns_link() -> str:
    try:
        return reverse("admin:returns_return_changelist")
    except NoReverseMatch:
        return ""


def _page(request, form, choice: Choice, scope: Scope, kpis: Kpis, s: series.Series) -> dict:
    period_link = links.orders_list(choice, scope)
    queue_link, bar_link = _chart_links(request, form, choice, scope, s)
    return {
        "dashboard": True,
        "kpis": kpis,
        "picker": form,
        "choice": choice,
        "choice_text": _describe(choice),
        "choice_query": urlencode(choice.query()),
        "tiles": _tiles(kpis, choice, scope),
        "status_tiles": _status_tiles(kpis, choice, scope),
        "charts": [
            *charts.sales_charts(s, period_link, bar_link),
            *charts.rate_charts(s, period_link, bar_link),
            charts.returns_chart(s, _returns_link()),
        ],
        "queue_chart": charts.queue_chart(s, queue_link) if s.queue else None,
        "queue_lines": [
            QueueLine(
                q.location_name,
                status_word(q.status),
                q.fulfillment_orders,
                queue_link(q.location_id, q.status),
            )
            for q in s.queue
        ],
        "top_skus": kpis.top_skus,
    }


def _chart_links(request, form, choice: Choice, scope: Scope, s: series.Series):
    """What a click opens: a queue bar (location, status), a sales or rate bar (bucket,
    channel, currency). No fulfillment links for users who may not view fulfillment orders."""
    may_see_queue = request.user.has_perm(QUEUE_PERMISSION)
    channel_ids = {code: c.id for code, c in form.channels.items()}

    def queue_link(location_id: int, status: str) -> str:
        if not may_see_queue:
            return ""
        return links.queue_list(choice, scope, location_id=location_id, status=status)

    def bar_link(bucket: str, channel: str | None, currency: str | None) -> str:
        first = date.fromisoformat(bucket)
        last = first + timedelta(days=0 if s.bucket == series.DAY else 6)
        filters = {}
        if channel is not None and channel in channel_ids:
            filters["channel__id__exact"] = str(channel_ids[channel])
        if currency is not None:
            filters["currency__exact"] = currency
        return links.orders_between(choice, scope, first, last, **filters)

    return queue_link, bar_link


def _status_tiles(k: Kpis, choice: Choice, scope: Scope) -> list[Tile]:
    """One chip per order status: the period's orders in that status."""
    return [
        Tile(code, status_word(code), str(n), "", orders_list(choice, scope, status__exact=code))
        for code, n in k.orders_by_status.items()
    ]


def _describe(choice: Choice) -> str:
    names = dict(PERIODS)
    period = (
        f"{choice.date_from:%-d %b %Y} – {choice.date_to:%-d %b %Y}"
        if choice.period == "custom"
        else names[choice.period].lower()
    )
    channel = choice.channel.name if choice.channel else "all channels"
    return f"{period}, {channel}"


def _percent(value: Decimal | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def _tiles(k: Kpis, choice: Choice, scope: Scope) -> list[Tile]:
    """The KPI tiles; each opens the orders it counts (a rate: the orders it is a rate of)."""
    every = links.orders_list(choice, scope)
    of_orders = f"of {k.orders} orders"
    tiles = [Tile("orders", "Orders", str(k.orders), f"{k.units_ordered} units", every)]
    for c in k.per_currency:
        tiles.append(
            Tile(
                f"revenue-{c.currency}",
                f"Revenue · {c.currency}",
                money_display(c.revenue, c.currency),
                f"{c.orders} orders, average {money_display(c.average_order_value, c.currency)}",
                links.orders_list(choice, scope, currency__exact=c.currency),
            )
        )
    backordered = k.orders_by_status.get(st.BACKORDERED, 0)
    cancelled = k.orders_by_status.get(st.CANCELLED, 0)
    shipping = f"{_plain(k.ship_hours_p50)} h / {_plain(k.ship_hours_p90)} h"
    return [
        *tiles,
        Tile(
            "backordered",
            "Backordered orders",
            str(backordered),
            f"on backorder now; {_percent(k.backorder_rate)} were short at capture",
            links.orders_list(choice, scope, status__exact=st.BACKORDERED),
        ),
        Tile(
            "cancelled",
            "Cancelled orders",
            str(cancelled),
            f"{_percent(k.cancellation_rate)} {of_orders}",
            links.orders_list(choice, scope, status__exact=st.CANCELLED),
        ),
        Tile("fill", "Fill rate", _percent(k.fill_rate), "units allocated at capture", every),
        Tile("split", "Split rate", _percent(k.split_rate), f"{of_orders} in > 1 parcel", every),
        Tile(
            "stores",
            "Shipped from stores",
            _percent(k.store_ship_share),
            f"of {k.units_shipped} units shipped",
            every,
        ),
        Tile("ship-time", "Capture → ship", shipping, f"median / p90 of {k.shipments}", every),
        Tile(
            "on-time",
            "Shipped on time",
            _percent(k.on_time_rate),
            f"within {k.ship_target_hours} h of capture",
            every,
        ),
    ]


def _plain(value: object) -> str:
    return "–" if value is None else str(value)
