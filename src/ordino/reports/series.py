"""The dashboard's time series: the KPIs per UTC day or week, for charts.

Same selection as the KPIs (`selectors.kpis_get`): orders captured from `date_from` to `date_to`
(UTC days, inclusive), of one channel or of every channel the scope sees; every figure of a
bucket is about the orders *captured* in it (their lines, fulfillment orders and shipments), so
a bucket's figures add up to the period's KPIs. The queue is the work open now.

Seven GROUP BY queries whatever the number of orders (plus one for the channel asked for):
sales per bucket, channel and currency; units ordered and allocated at capture per bucket; split
orders per bucket; units shipped (and from stores) per bucket; capture → ship minutes per bucket
as histograms; the open queue per location and status; returns requested and refunds recorded
per bucket (these by when they happened, of the channels' orders whenever captured). Buckets
are computed by SQL expressions of each database (`sql.UtcDay`, `sql.UtcWeek`); money is
summed exactly per currency.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import BigIntegerField, Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.locations.models import Location
from ordino.orders.domain import status as st
from ordino.orders.models import Order, OrderLine
from ordino.payments.models import Refund
from ordino.reports.domain.metrics import money_from_scaled, percentile_from_histogram, rate
from ordino.reports.selectors import of_channels, period_check
from ordino.reports.sql import MONEY_SCALE, MinutesBetween, MoneySumMilli, UtcDay, UtcWeek
from ordino.returns.models import Return

DAY, WEEK = "day", "week"
BUCKETS = (DAY, WEEK)
DAILY_UP_TO_DAYS = 62  # longer periods are drawn per week by default


@dataclass(frozen=True)
class SalesRow:
    """Orders and revenue of one channel in one currency in one bucket."""

    bucket: str  # YYYY-MM-DD: the day, or the Monday of the week
    channel: str
    channel_name: str
    currency: str
    orders: int
    cancelled: int
    revenue: Decimal  # current totals, in `currency` only


@dataclass(frozen=True)
class RateRow:
    """The rates of the orders captured in one bucket (None: nothing to divide by)."""

    bucket: str
    orders: int
    cancelled: int
    short_orders: int  # orders with a unit not allocated at capture
    split_orders: int
    units_ordered: int
    units_allocated: int  # at capture
    units_shipped: int
    units_shipped_from_stores: int
    fill_rate: Decimal | None
    backorder_rate: Decimal | None
    cancellation_rate: Decimal | None
    split_rate: Decimal | None
    store_ship_share: Decimal | None


@dataclass(frozen=True)
class ShipTimeRow:
    """Capture → shipment of the orders captured in one bucket, in hours (nearest rank)."""

    bucket: str
    shipments: int
    hours_p50: Decimal | None
    hours_p90: Decimal | None


@dataclass(frozen=True)
class ReturnsDayRow:
    """Returns requested in one bucket (by their request time, whatever the order's capture)
    and the units they ask back."""

    bucket: str
    returns: int
    units_requested: int


@dataclass(frozen=True)
class RefundsDayRow:
    """Refunds recorded in one bucket in one currency (failed ones aside), their amount."""

    bucket: str
    currency: str
    refunds: int
    amount: Decimal


@dataclass(frozen=True)
class LocationQueueRow:
    """Fulfillment orders open now at one location in one status."""

    location_id: int
    location: str  # code
    location_name: str
    status: str
    fulfillment_orders: int


@dataclass(frozen=True)
class Series:
    date_from: date
    date_to: date
    channel: str | None
    bucket: str  # "day" or "week"
    buckets: list[str]  # every bucket of the period, in order, empty ones too
    sales: list[SalesRow]
    rates: list[RateRow]  # one per bucket
    ship_times: list[ShipTimeRow]  # one per bucket
    queue: list[LocationQueueRow]
    returns: list[ReturnsDayRow]  # one per bucket
    refunds: list[RefundsDayRow]  # per bucket and currency, buckets with refunds only


def bucket_default(date_from: date, date_to: date) -> str:
    """Days up to about two months, weeks beyond: a chart keeps fewer than ~60 bars."""
    return DAY if (date_to - date_from).days + 1 <= DAILY_UP_TO_DAYS else WEEK


def buckets_of(date_from: date, date_to: date, bucket: str) -> list[str]:
    """Every bucket's label from `date_from` to `date_to`: days, or the Mondays of the weeks."""
    step = timedelta(days=1 if bucket == DAY else 7)
    first = date_from if bucket == DAY else date_from - timedelta(days=date_from.weekday())
    labels, day = [], first
    while day <= date_to:
        labels.append(day.isoformat())
        day += step
    return labels


def series_get(
    *,
    date_from: date,
    date_to: date,
    channel_code: str | None = None,
    bucket: str | None = None,
    scope: Scope = UNRESTRICTED,
) -> Series:
    """The dashboard's charts' data for the orders captured from `date_from` to `date_to`."""
    period_check(date_from, date_to)
    bucket = bucket or bucket_default(date_from, date_to)
    start = datetime.combine(date_from, time.min, tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)
    every, queue = of_channels(
        Order.objects.order_by(),
        FulfillmentOrder.objects.filter(status__in=fs.ACTIVE),
        channel_code=channel_code,
        scope=scope,
    )
    orders = every.filter(created_at__gte=start, created_at__lt=end)
    labels = buckets_of(date_from, date_to, bucket)
    of_bucket = UtcDay if bucket == DAY else UtcWeek
    sales = _sales(orders, of_bucket)
    returns, refunds = _returns_and_refunds(labels, every.values("id"), start, end, of_bucket)
    return Series(
        date_from=date_from,
        date_to=date_to,
        channel=channel_code or None,
        bucket=bucket,
        buckets=labels,
        sales=sales,
        rates=_rates(labels, sales, orders, of_bucket),
        ship_times=_ship_times(labels, orders.values("id"), of_bucket),
        queue=_queue(queue),
        returns=returns,
        refunds=refunds,
    )


def _sales(orders: QuerySet[Order], of_bucket) -> list[SalesRow]:
    """1. Orders, cancelled orders and revenue per bucket, channel and currency."""
    return [
        SalesRow(
            r["bucket"],
            r["channel__code"],
            r["channel__name"],
            r["currency"],
            r["orders"],
            r["cancelled"],
            money_from_scaled(r["revenue"] or 0, MONEY_SCALE, r["currency"]),
        )
        for r in orders.annotate(bucket=of_bucket("created_at"))
        .values("bucket", "channel__code", "channel__name", "currency")
        .annotate(
            orders=Count("id"),
            cancelled=Count("id", filter=Q(status=st.CANCELLED)),
            revenue=MoneySumMilli("current_total"),
        )
        .order_by("bucket", "channel__code", "currency")
    ]


def _rates(labels, sales: list[SalesRow], orders: QuerySet[Order], of_bucket) -> list[RateRow]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in sales:
        counts[row.bucket][0] += row.orders
        counts[row.bucket][1] += row.cancelled
    order_ids = orders.values("id")
    capture = _capture_per_bucket(orders, of_bucket)
    split = _split_per_bucket(order_ids, of_bucket)
    shipped = _shipped_per_bucket(order_ids, of_bucket)
    rows = []
    for label in labels:
        n, cancelled = counts.get(label, (0, 0))
        ordered, allocated, short = capture.get(label, (0, 0, 0))
        units_shipped, from_stores = shipped.get(label, (0, 0))
        rows.append(
            RateRow(
                bucket=label,
                orders=n,
                cancelled=cancelled,
                short_orders=short,
                split_orders=split.get(label, 0),
                units_ordered=ordered,
                units_allocated=allocated,
                units_shipped=units_shipped,
                units_shipped_from_stores=from_stores,
                fill_rate=rate(allocated, ordered),
                backorder_rate=rate(short, n),
                cancellation_rate=rate(cancelled, n),
                split_rate=rate(split.get(label, 0), n),
                store_ship_share=rate(from_stores, units_shipped),
            )
        )
    return rows


def _capture_per_bucket(orders: QuerySet[Order], of_bucket) -> dict[str, tuple[int, int, int]]:
    """2. Units ordered, units allocated at capture and orders short at capture, per bucket
    (the rule and the SQL of `selectors._capture_figures`, grouped by the order's bucket)."""
    ids_sql, ids_params = orders.values("id").query.sql_with_params()
    by_sql, by_params = (
        orders.annotate(bucket=of_bucket("created_at")).values("id", "bucket").query
    ).sql_with_params()
    t = {m: connection.ops.quote_name(m._meta.db_table) for m in (Order, OrderLine)}
    fl = connection.ops.quote_name(FulfillmentLine._meta.db_table)
    fo = connection.ops.quote_name(FulfillmentOrder._meta.db_table)
    sql = (
        "SELECT ob.bucket, COALESCE(SUM(l.quantity_ordered), 0), COALESCE(SUM(c.units), 0), "
        "COUNT(DISTINCT CASE WHEN l.quantity_ordered > COALESCE(c.units, 0) "
        "THEN l.order_id END) "
        f"FROM ({by_sql}) ob JOIN {t[OrderLine]} l ON l.order_id = ob.id LEFT JOIN ("
        f"SELECT fl.order_line_id, SUM(fl.quantity) AS units FROM {fl} fl "
        f"JOIN {fo} f ON f.id = fl.fulfillment_order_id "
        f"JOIN {t[Order]} o ON o.id = f.order_id "
        f"WHERE f.created_at = o.created_at AND f.order_id IN ({ids_sql}) "
        "GROUP BY fl.order_line_id) c ON c.order_line_id = l.id "
        "GROUP BY ob.bucket"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*by_params, *ids_params])
        return {b: (int(o), int(a), int(s)) for b, o, a, s in cursor.fetchall()}


def _split_per_bucket(order_ids: QuerySet, of_bucket) -> dict[str, int]:
    """3. Orders with more than one fulfillment order (rejected ones aside), per bucket."""
    split_ids = (
        FulfillmentOrder.objects.filter(order_id__in=order_ids)
        .exclude(status=fs.REJECTED)
        .values("order_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("order_id")
    )
    return dict(
        Order.objects.filter(id__in=split_ids)
        .annotate(bucket=of_bucket("created_at"))
        .values("bucket")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("bucket", "n")
    )


def _shipped_per_bucket(order_ids: QuerySet, of_bucket) -> dict[str, tuple[int, int]]:
    """4. Units shipped, and of those from stores, per bucket."""
    return {
        b: (shipped or 0, from_stores or 0)
        for b, shipped, from_stores in FulfillmentLine.objects.filter(
            fulfillment_order__order_id__in=order_ids
        )
        .annotate(bucket=of_bucket("fulfillment_order__order__created_at"))
        .values("bucket")
        .annotate(
            shipped=Sum("quantity_shipped"),
            from_stores=Sum(
                "quantity_shipped", filter=Q(fulfillment_order__location__kind=Location.STORE)
            ),
        )
        .order_by()
        .values_list("bucket", "shipped", "from_stores")
    }


def _ship_times(labels: list[str], order_ids: QuerySet, of_bucket) -> list[ShipTimeRow]:
    """5. Capture → shipment minutes per bucket as histograms, then p50 and p90 per bucket."""
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    for b, minutes, n in (
        Shipment.objects.filter(fulfillment_order__order_id__in=order_ids)
        .annotate(
            bucket=of_bucket("fulfillment_order__order__created_at"),
            minutes=MinutesBetween("shipped_at", "fulfillment_order__order__created_at"),
        )
        .values("bucket", "minutes")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("bucket", "minutes", "n")
    ):
        histograms[b][minutes] = n
    return [
        ShipTimeRow(
            label,
            sum(histograms[label].values()),
            _hours(percentile_from_histogram(histograms[label], 0.5)),
            _hours(percentile_from_histogram(histograms[label], 0.9)),
        )
        for label in labels
    ]


def _returns_and_refunds(
    labels: list[str], order_ids: QuerySet, start: datetime, end: datetime, of_bucket
) -> tuple[list[ReturnsDayRow], list[RefundsDayRow]]:
    """7. Returns requested (and their units) and refunds recorded per bucket, of the orders
    of the channels asked for, by when each happened: one UNION ALL query. Reports only read
    returns' and payments' tables (docs/architecture.md)."""
    returns = (
        Return.objects.filter(order_id__in=order_ids, created_at__gte=start, created_at__lt=end)
        .annotate(bucket=of_bucket("created_at"))
        .values("bucket")
        .annotate(
            kind=Value("return"),
            cur=Value(""),
            n=Count("id", distinct=True),
            amount=Coalesce(Sum("lines__quantity"), 0, output_field=BigIntegerField()),
        )
        .values_list("bucket", "kind", "cur", "n", "amount")
        .order_by()
    )
    refunds = (
        Refund.objects.filter(order_id__in=order_ids, created_at__gte=start, created_at__lt=end)
        .exclude(status="failed")
        .annotate(bucket=of_bucket("created_at"))
        .values("bucket", "currency")
        .annotate(
            kind=Value("refund"),
            n=Count("id"),
            amount=Coalesce(MoneySumMilli("amount"), 0, output_field=BigIntegerField()),
        )
        .values_list("bucket", "kind", "currency", "n", "amount")
        .order_by()
    )
    per_bucket: dict[str, tuple[int, int]] = {}
    money = []
    for b, kind, currency, n, amount in returns.union(refunds, all=True):
        if kind == "return":
            per_bucket[b] = (int(n), int(amount or 0))
        else:
            scaled = money_from_scaled(amount or 0, MONEY_SCALE, currency)
            money.append(RefundsDayRow(b, currency, int(n), scaled))
    rows = [ReturnsDayRow(label, *per_bucket.get(label, (0, 0))) for label in labels]
    return rows, sorted(money, key=lambda r: (r.bucket, r.currency))


def _queue(queue: QuerySet[FulfillmentOrder]) -> list[LocationQueueRow]:
    """6. Open fulfillment orders now, per location and status."""
    return [
        LocationQueueRow(*row)
        for row in queue.values("location_id", "location__code", "location__name", "status")
        .annotate(n=Count("id"))
        .order_by("location__code", "status")
        .values_list("location_id", "location__code", "location__name", "status", "n")
    ]


def _hours(minutes: int | None) -> Decimal | None:
    return None if minutes is None else rate(minutes, 60, places=2)
