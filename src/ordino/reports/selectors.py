"""The operations dashboard's KPIs over a date range and, optionally, one channel.

A handful of aggregate queries whatever the number of orders (8, plus one to look up the
channel): each KPI is computed by the database, never by loading orders. Days are UTC calendar
days; `date_to` is inclusive. The period selects orders by their capture time (`created_at`);
everything else (lines, fulfillment orders, shipments) is that of those orders, except the
fulfillment queue, which is the work open now (of the channel, if one is asked for).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from ordino.channels.models import Channel
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.locations.models import Location
from ordino.orders.domain import status as st
from ordino.orders.models import Order, OrderLine
from ordino.reports.domain.metrics import (
    money_average,
    money_from_scaled,
    percentile_from_histogram,
    rate,
    top,
    within,
)
from ordino.reports.sql import MONEY_SCALE, MinutesBetween, MoneySumMilli, UtcDay

DEFAULT_DAYS = 30
DEFAULT_SHIP_TARGET_HOURS = 24
TOP_SKUS = 10
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9998, 12, 31)


def ship_target_hours() -> int:
    """The on-time target: settings.ORDINO_SHIP_TARGET_HOURS (default 24 hours)."""
    return int(getattr(settings, "ORDINO_SHIP_TARGET_HOURS", DEFAULT_SHIP_TARGET_HOURS))


@dataclass(frozen=True)
class DayRow:
    day: str  # YYYY-MM-DD, UTC
    currency: str
    orders: int
    cancelled: int
    revenue: Decimal  # current totals: after cancellations and edits


@dataclass(frozen=True)
class CurrencyRow:
    currency: str
    orders: int
    cancelled: int
    revenue: Decimal
    average_order_value: Decimal | None  # revenue ÷ orders not cancelled


@dataclass(frozen=True)
class QueueRow:
    location: str
    status: str
    fulfillment_orders: int


@dataclass(frozen=True)
class Kpis:
    date_from: date
    date_to: date
    channel: str | None
    ship_target_hours: int
    orders: int
    per_day: list[DayRow]
    per_currency: list[CurrencyRow]
    units_ordered: int
    units_per_order: Decimal | None
    backorder_rate: Decimal | None  # orders with a unit not allocated at capture ÷ orders
    cancellation_rate: Decimal | None  # orders cancelled ÷ orders
    fill_rate: Decimal | None  # units allocated at capture ÷ units ordered
    split_rate: Decimal | None  # orders with > 1 fulfillment order (rejected ones aside)
    store_ship_share: Decimal | None  # units shipped from stores ÷ units shipped
    units_shipped: int
    orders_by_status: dict[str, int]
    queue: list[QueueRow]
    shipments: int
    ship_hours_p50: Decimal | None
    ship_hours_p90: Decimal | None
    on_time_rate: Decimal | None  # shipments within the target ÷ shipments
    top_skus: list[tuple[str, int]] = field(default_factory=list)


def period_default(today: date | None = None) -> tuple[date, date]:
    """The 30 UTC days ending `today` (default: now), today included."""
    today = today or datetime.now(UTC).date()
    span = timedelta(days=DEFAULT_DAYS - 1)
    return (today - span if today >= FIRST_DAY + span else FIRST_DAY), today


def kpis_get(
    *,
    date_from: date,
    date_to: date,
    channel_code: str | None = None,
    target_hours: int | None = None,
    scope: Scope = UNRESTRICTED,
) -> Kpis:
    """The dashboard's KPIs for the orders captured from `date_from` to `date_to` (UTC days,
    inclusive), of one channel if `channel_code` is given, of the channels `scope` sees."""
    period_check(date_from, date_to)
    target = ship_target_hours() if target_hours is None else target_hours
    start = datetime.combine(date_from, time.min, tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)
    orders, queue = of_channels(
        Order.objects.filter(created_at__gte=start, created_at__lt=end),
        FulfillmentOrder.objects.filter(status__in=fs.ACTIVE),
        channel_code=channel_code,
        scope=scope,
    )
    order_ids = orders.values("id")
    per_day = _per_day(orders)
    total = sum(r.orders for r in per_day)
    cancelled = sum(r.cancelled for r in per_day)
    by_status = _orders_by_status(orders)
    lines = _capture_figures(orders)
    split = _split_orders(order_ids)
    shipped_by_kind = _units_shipped_by_location_kind(order_ids)
    shipped = sum(v or 0 for v in shipped_by_kind.values())
    histogram = _ship_minutes_histogram(order_ids)
    shipments = sum(histogram.values())
    return Kpis(
        date_from=date_from,
        date_to=date_to,
        channel=channel_code or None,
        ship_target_hours=target,
        orders=total,
        per_day=per_day,
        per_currency=_per_currency(per_day),
        units_ordered=lines["ordered"],
        units_per_order=rate(lines["ordered"], total, places=2),
        backorder_rate=rate(lines["short_orders"], total),
        cancellation_rate=rate(cancelled, total),
        fill_rate=rate(lines["allocated"], lines["ordered"]),
        split_rate=rate(split, total),
        store_ship_share=rate(shipped_by_kind.get(Location.STORE) or 0, shipped),
        units_shipped=shipped,
        orders_by_status=by_status,
        queue=_queue_rows(queue),
        shipments=shipments,
        ship_hours_p50=_hours(percentile_from_histogram(histogram, 0.5)),
        ship_hours_p90=_hours(percentile_from_histogram(histogram, 0.9)),
        on_time_rate=rate(within(histogram, target * 60), shipments),
        top_skus=top(_top_skus(order_ids), TOP_SKUS),
    )


def period_check(date_from: date, date_to: date) -> None:
    for name, day in (("from", date_from), ("to", date_to)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise DomainError(
                "period_invalid",
                f"`{name}` must be between {FIRST_DAY} and {LAST_DAY}.",
                field=name,
            )
    if date_to < date_from:
        raise DomainError(
            "period_invalid", "`to` must be on or after `from`.", field="to", status=422
        )


def of_channels(
    orders: QuerySet[Order],
    queue: QuerySet[FulfillmentOrder],
    *,
    channel_code: str | None,
    scope: Scope,
) -> tuple[QuerySet[Order], QuerySet[FulfillmentOrder]]:
    """The orders and the open queue of the channel asked for (one the caller does not see is
    not found), else of every channel the caller sees."""
    if channel_code:
        channel = Channel.objects.filter(code=channel_code).first()
        if channel is None or not scope.sees_channel(channel.id):
            raise NotFound("channel", channel_code, field="channel")
        return orders.filter(channel_id=channel.id), queue.filter(order__channel_id=channel.id)
    if scope.channel_ids is not None:
        return (
            orders.filter(channel_id__in=scope.channel_ids),
            queue.filter(order__channel_id__in=scope.channel_ids),
        )
    return orders, queue


def _per_day(orders: QuerySet[Order]) -> list[DayRow]:
    """1. Orders and revenue per day and currency (the per-currency totals add these up)."""
    return [
        DayRow(
            r["day"],
            r["currency"],
            r["orders"],
            r["cancelled"],
            money_from_scaled(r["revenue"] or 0, MONEY_SCALE, r["currency"]),
        )
        for r in orders.annotate(day=UtcDay("created_at"))
        .values("day", "currency")
        .annotate(
            orders=Count("id"),
            cancelled=Count("id", filter=Q(status=st.CANCELLED)),
            revenue=MoneySumMilli("current_total"),
        )
        .order_by("day", "currency")
    ]


def _orders_by_status(orders: QuerySet[Order]) -> dict[str, int]:
    """2. Orders by status, in the order of the status table."""
    by_status = dict(
        orders.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {s: by_status[s] for s in st.STATUSES if s in by_status}


def _top_skus(order_ids: QuerySet) -> list[tuple[str, int]]:
    """4. The top SKUs by units ordered."""
    return [
        (code, units)
        for code, units in OrderLine.objects.filter(order_id__in=order_ids)
        .values("sku_code")
        .annotate(units=Sum("quantity_ordered"))
        .order_by("-units", "sku_code")
        .values_list("sku_code", "units")[:TOP_SKUS]
    ]


def _split_orders(order_ids: QuerySet) -> int:
    """5. Split orders: more than one fulfillment order (a rejected one re-routed is no split)."""
    return (
        FulfillmentOrder.objects.filter(order_id__in=order_ids)
        .exclude(status=fs.REJECTED)
        .values("order_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )


def _units_shipped_by_location_kind(order_ids: QuerySet) -> dict[str, int | None]:
    """6. Units shipped, by the kind of location they left from."""
    return dict(
        FulfillmentLine.objects.filter(fulfillment_order__order_id__in=order_ids)
        .values("fulfillment_order__location__kind")
        .annotate(units=Sum("quantity_shipped"))
        .values_list("fulfillment_order__location__kind", "units")
    )


def _ship_minutes_histogram(order_ids: QuerySet) -> dict[int, int]:
    """7. Capture → shipment in whole minutes, as a histogram: percentiles without the rows."""
    return dict(
        Shipment.objects.filter(fulfillment_order__order_id__in=order_ids)
        .annotate(minutes=MinutesBetween("shipped_at", "fulfillment_order__order__created_at"))
        .values("minutes")
        .annotate(n=Count("id"))
        .values_list("minutes", "n")
    )


def _queue_rows(queue: QuerySet[FulfillmentOrder]) -> list[QueueRow]:
    """8. The fulfillment queue: open work per location and status, now."""
    return [
        QueueRow(code, status, n)
        for code, status, n in queue.values("location__code", "status")
        .annotate(n=Count("id"))
        .order_by("location__code", "status")
        .values_list("location__code", "status", "n")
    ]


def _per_currency(rows: list[DayRow]) -> list[CurrencyRow]:
    sums: dict[str, list] = defaultdict(lambda: [0, 0, Decimal(0)])
    for r in rows:
        acc = sums[r.currency]
        acc[0] += r.orders
        acc[1] += r.cancelled
        acc[2] += r.revenue
    return [
        CurrencyRow(
            currency,
            orders,
            cancelled,
            revenue,
            money_average(revenue, orders - cancelled, currency),
        )
        for currency, (orders, cancelled, revenue) in sorted(sums.items())
    ]


def _hours(minutes: int | None) -> Decimal | None:
    return None if minutes is None else rate(minutes, 60, places=2)


def _capture_figures(orders: QuerySet[Order]) -> dict[str, int]:
    """3. Units ordered, units allocated at capture, and orders with a unit not allocated at
    capture, for the orders of `orders`: one query over the lines, joined to the fulfillment
    lines created with their order (same timestamp): backorders filled later and re-routes come
    after. Written in SQL: the ORM's correlated subquery per line costs several times more on
    PostgreSQL."""
    ids_sql, ids_params = orders.values("id").query.sql_with_params()
    t = {m: connection.ops.quote_name(m._meta.db_table) for m in (Order, OrderLine)}
    fl = connection.ops.quote_name(FulfillmentLine._meta.db_table)
    fo = connection.ops.quote_name(FulfillmentOrder._meta.db_table)
    sql = (
        "SELECT COALESCE(SUM(l.quantity_ordered), 0), COALESCE(SUM(c.units), 0), "
        "COUNT(DISTINCT CASE WHEN l.quantity_ordered > COALESCE(c.units, 0) "
        "THEN l.order_id END) "
        f"FROM {t[OrderLine]} l LEFT JOIN ("
        f"SELECT fl.order_line_id, SUM(fl.quantity) AS units FROM {fl} fl "
        f"JOIN {fo} f ON f.id = fl.fulfillment_order_id "
        f"JOIN {t[Order]} o ON o.id = f.order_id "
        f"WHERE f.created_at = o.created_at AND f.order_id IN ({ids_sql}) "
        "GROUP BY fl.order_line_id) c ON c.order_line_id = l.id "
        f"WHERE l.order_id IN ({ids_sql})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids_params, *ids_params])
        ordered, allocated, short = cursor.fetchone()
    return {"ordered": int(ordered), "allocated": int(allocated), "short_orders": int(short)}
