"""Return analytics over a period of UTC days and, optionally, one channel (docs/reports.md,
"Returns"). Reports only read: returns' and payments' tables are read here with plain ORM
aggregates, never written (docs/architecture.md, ownership).

A fixed number of queries whatever the data size (11, plus one to look up the channel):
- the period selects returns by their request time (`Return.created_at`);
- units shipped are those of fulfillment orders shipped in the period (the rate's whole);
- units returned are the received units that came back (restock + damaged + needs processing;
  missing ones did not come back);
- refunds are those payments recorded for a receipt of one of those returns (source
  `return:<id>:<receipt>`, docs/returns.md), per currency and status, never summed across
  currencies.
Rates are units returned ÷ units shipped, rounded half-even to 4 decimals (None without a whole).
Request → first refund is measured per channel (one query, the whole's p50/p90 from the same
histograms).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Concat, Length, Substr

from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder
from ordino.orders.models import Order
from ordino.payments.models import Refund
from ordino.reports.domain.metrics import money_from_scaled, percentile_from_histogram, rate
from ordino.reports.selectors import of_channels, period_check
from ordino.reports.sql import MONEY_SCALE, MinutesBetween, MoneySumMilli
from ordino.returns.models import Return, ReturnLine

TOP_DEFAULT = 10
RETURNED = F("quantity_restocked") + F("quantity_damaged") + F("quantity_needs_processing")


@dataclass(frozen=True)
class RateRow:
    key: str  # a SKU, reason, channel or location code
    units_requested: int
    units_returned: int
    units_shipped: int | None  # None where there is no shipped whole (reasons, locations)
    return_rate: Decimal | None


@dataclass(frozen=True)
class MoneyRow:
    currency: str
    status: str  # "decided" for the refund decisions; else the refund's status
    refunds: int
    amount: Decimal


@dataclass(frozen=True)
class RefundTimeRow:
    """Request → first refund of one channel's returns, in hours (nearest rank)."""

    channel: str
    returns_refunded: int
    hours_p50: Decimal | None
    hours_p90: Decimal | None


@dataclass(frozen=True)
class ReturnsReport:
    date_from: date
    date_to: date
    channel: str | None
    returns: int
    returns_by_state: dict[str, int]
    units_shipped: int
    units_requested: int
    units_returned: int
    return_rate: Decimal | None
    dispositions: dict[str, int]
    per_sku: list[RateRow]
    per_reason: list[RateRow]
    per_channel: list[RateRow]
    per_location: list[RateRow]
    refund_decisions: list[MoneyRow]
    refunds: list[MoneyRow]
    hours_to_receipt_p50: Decimal | None
    hours_to_receipt_p90: Decimal | None
    hours_to_refund_p50: Decimal | None
    hours_to_refund_p90: Decimal | None
    refund_time_per_channel: list[RefundTimeRow] = field(default_factory=list)
    top: int = field(default=TOP_DEFAULT)


def returns_report_get(
    *,
    date_from: date,
    date_to: date,
    channel_code: str | None = None,
    top: int = TOP_DEFAULT,
    scope: Scope = UNRESTRICTED,
) -> ReturnsReport:
    """The return analytics of the returns requested from `date_from` to `date_to` (UTC days,
    inclusive), of one channel if given, of the channels `scope` sees."""
    period_check(date_from, date_to)
    start = datetime.combine(date_from, time.min, tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)
    orders, _ = of_channels(
        Order.objects.all(), FulfillmentOrder.objects.none(), channel_code=channel_code, scope=scope
    )
    order_ids = orders.values("id")
    returns = Return.objects.filter(
        created_at__gte=start, created_at__lt=end, order_id__in=order_ids
    )
    lines = ReturnLine.objects.filter(ret__in=returns.values("id"))
    shipped = FulfillmentLine.objects.filter(
        fulfillment_order__shipped_at__gte=start,
        fulfillment_order__shipped_at__lt=end,
        fulfillment_order__order_id__in=order_ids,
    )
    by_state = _counts(returns, "state", Count("id"))  # 1
    totals, decisions = _line_totals(lines)  # 2
    shipped_sku = _counts(shipped, "order_line__sku_code", Sum("quantity_shipped"))  # 3
    shipped_channel = _counts(  # 4
        shipped, "fulfillment_order__order__channel__code", Sum("quantity_shipped")
    )
    units_shipped = sum(shipped_sku.values())
    receipt = _histogram(returns.filter(received_at__isnull=False), F("received_at"))  # 5
    first_refund = Subquery(_refunds_of_return(OuterRef("id")).values("created_at")[:1])
    per_channel = _histograms_per_channel(returns, first_refund)  # 6
    refund: dict[int, int] = defaultdict(int)
    for histogram in per_channel.values():
        for minutes, n in histogram.items():
            refund[minutes] += n
    return ReturnsReport(
        date_from=date_from,
        date_to=date_to,
        channel=channel_code or None,
        returns=sum(by_state.values()),
        returns_by_state=dict(sorted(by_state.items())),
        units_shipped=units_shipped,
        units_requested=totals["requested"],
        units_returned=totals["returned"],
        return_rate=rate(totals["returned"], units_shipped),
        dispositions={k: totals[k] for k in ("restock", "damaged", "needs_processing", "missing")},
        per_sku=_rates(lines, "sku_code", shipped_sku, top),  # 7
        per_reason=_rates(lines, "reason", None, None),  # 8
        per_channel=_rates(lines, "ret__order__channel__code", shipped_channel, None),  # 9
        per_location=_rates(lines, "ret__location__code", None, None),  # 10
        refund_decisions=decisions,
        refunds=_refunds(returns),  # 11
        hours_to_receipt_p50=_hours(percentile_from_histogram(receipt, 0.5)),
        hours_to_receipt_p90=_hours(percentile_from_histogram(receipt, 0.9)),
        hours_to_refund_p50=_hours(percentile_from_histogram(refund, 0.5)),
        hours_to_refund_p90=_hours(percentile_from_histogram(refund, 0.9)),
        refund_time_per_channel=[
            RefundTimeRow(
                code,
                sum(h.values()),
                _hours(percentile_from_histogram(h, 0.5)),
                _hours(percentile_from_histogram(h, 0.9)),
            )
            for code, h in sorted(per_channel.items())
        ],
        top=top,
    )


def _counts(rows: QuerySet, key: str, aggregate) -> dict[str, int]:
    return {
        k: int(n or 0)
        for k, n in rows.order_by().values(key).annotate(n=aggregate).values_list(key, "n")
    }


def _line_totals(lines: QuerySet[ReturnLine]) -> tuple[dict[str, int], list[MoneyRow]]:
    """Units requested, per disposition, and the refund decisions per currency: one query."""
    rows = (
        lines.order_by()
        .values("ret__order__currency")
        .annotate(
            requested=Sum("quantity"),
            restock=Sum("quantity_restocked"),
            damaged=Sum("quantity_damaged"),
            needs_processing=Sum("quantity_needs_processing"),
            missing=Sum("quantity_missing"),
            decided=Count("id", filter=Q(refund_total__gt=0)),
            amount=MoneySumMilli("refund_total"),
        )
        .order_by("ret__order__currency")
    )
    totals: dict[str, int] = defaultdict(int)
    decisions = []
    for r in rows:
        for k in ("requested", "restock", "damaged", "needs_processing", "missing"):
            totals[k] += int(r[k] or 0)
        currency = r["ret__order__currency"]
        amount = money_from_scaled(r["amount"] or 0, MONEY_SCALE, currency)
        decisions.append(MoneyRow(currency, "decided", r["decided"], amount))
    totals["returned"] = totals["restock"] + totals["damaged"] + totals["needs_processing"]
    return totals, decisions


def _rates(lines: QuerySet, key: str, shipped: dict[str, int] | None, top: int | None):
    rows = (
        lines.order_by()
        .values(key)
        .annotate(requested=Sum("quantity"), returned=Sum(RETURNED))
        .order_by("-returned", "-requested", key)
        .values_list(key, "requested", "returned")
    )
    out = []
    for k, requested, returned in rows[:top] if top is not None else rows:
        whole = None if shipped is None else shipped.get(k, 0)
        out.append(RateRow(k, int(requested), int(returned), whole, rate(returned, whole or 0)))
    return out


def _refunds_of_return(return_id) -> QuerySet[Refund]:
    """The refunds recorded for a return's receipts: source `return:<id>:<receipt>`."""
    prefix = Concat(Value("return:"), Cast(return_id, CharField()), Value(":"))
    return Refund.objects.filter(source__startswith=prefix).order_by("created_at", "id")


def _refunds(returns: QuerySet[Return]) -> list[MoneyRow]:
    """Refunds recorded for the returns' receipts, per currency and status."""
    of_returns = Exists(
        returns.filter(order_id=OuterRef("order_id"))
        .annotate(prefix=Concat(Value("return:"), Cast("id", CharField()), Value(":")))
        .filter(prefix=Substr(OuterRef("source"), 1, Length("prefix")))
    )
    rows = (
        Refund.objects.filter(of_returns)
        .order_by()
        .values("currency", "status")
        .annotate(n=Count("id"), amount=MoneySumMilli("amount"))
        .order_by("currency", "status")
    )
    return [
        MoneyRow(
            r["currency"],
            r["status"],
            r["n"],
            money_from_scaled(r["amount"] or 0, MONEY_SCALE, r["currency"]),
        )
        for r in rows
    ]


def _histogram(returns: QuerySet[Return], at) -> dict[int, int]:
    """Request → `at` in whole minutes, as a histogram (percentiles without the rows)."""
    return dict(
        returns.annotate(at=at)
        .filter(at__isnull=False)
        .annotate(minutes=MinutesBetween("at", "created_at"))
        .order_by()
        .values("minutes")
        .annotate(n=Count("id"))
        .values_list("minutes", "n")
    )


def _histograms_per_channel(returns: QuerySet[Return], at) -> dict[str, dict[int, int]]:
    """Request → `at` in whole minutes, a histogram per channel of the returns' orders."""
    out: dict[str, dict[int, int]] = defaultdict(dict)
    for code, minutes, n in (
        returns.annotate(at=at)
        .filter(at__isnull=False)
        .annotate(minutes=MinutesBetween("at", "created_at"))
        .order_by()
        .values("order__channel__code", "minutes")
        .annotate(n=Count("id"))
        .values_list("order__channel__code", "minutes", "n")
    ):
        out[code][minutes] = n
    return out


def _hours(minutes: int | None) -> Decimal | None:
    return None if minutes is None else rate(minutes, 60, places=2)
