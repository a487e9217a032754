"""What shipping costs and how carriers perform, over a period of UTC days (docs/reports.md,
"Shipping"). Reports only read: shipping's and fulfillment's tables are read here, never
written (docs/architecture.md, ownership).

Two queries whatever the period: the shipments that left in the period (with their cost,
rating, location and the order's address), and the channel's look-up when one is asked.
- per service and currency: shipments, orders, parcels, units, the cost and the cost per order
  and per unit (exact, rounded half-even to the currency's minor unit); shipments shipped
  without a rated choice count apart (`unrated`);
- on time: a shipment with a promised day (its rating's) is on time when it was delivered on or
  before that day, late when delivered after it or still on the way past it, pending otherwise;
- transit per lane (service, from the location's country to the address's country): shipped →
  delivered hours, p50 and p90 (nearest rank) over the delivered shipments.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import NotFound
from ordino.core.domain.money import quantum
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.models import Shipment
from ordino.reports.domain.metrics import percentile_from_histogram, rate
from ordino.reports.selectors import period_check


@dataclass(frozen=True)
class CostRow:
    service: str  # carrier:code
    name: str
    currency: str
    shipments: int
    orders: int
    parcels: int
    units: int
    cost: Decimal
    cost_per_order: Decimal | None
    cost_per_unit: Decimal | None


@dataclass(frozen=True)
class OnTimeRow:
    service: str
    with_promise: int
    on_time: int
    late: int
    pending: int
    on_time_rate: Decimal | None  # on time ÷ (on time + late)


@dataclass(frozen=True)
class LaneRow:
    service: str
    origin: str  # country codes
    destination: str
    delivered: int
    hours_p50: Decimal | None
    hours_p90: Decimal | None


@dataclass(frozen=True)
class ShippingReport:
    date_from: date
    date_to: date
    channel: str | None
    shipments: int
    unrated: int  # shipped without a rated choice: no cost known
    costs: list[CostRow]
    on_time: list[OnTimeRow]
    lanes: list[LaneRow]


def shipping_report_get(
    *,
    date_from: date,
    date_to: date,
    channel_code: str | None = None,
    scope: Scope = UNRESTRICTED,
) -> ShippingReport:
    period_check(date_from, date_to)
    start = datetime.combine(date_from, time.min, tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)
    shipments = Shipment.objects.filter(shipped_at__gte=start, shipped_at__lt=end)
    if channel_code:
        channel = Channel.objects.filter(code=channel_code).first()
        if channel is None or not scope.sees_channel(channel.id):
            raise NotFound("channel", channel_code, field="channel")
        shipments = shipments.filter(fulfillment_order__order__channel_id=channel.id)
    elif scope.channel_ids is not None:
        shipments = shipments.filter(fulfillment_order__order__channel_id__in=scope.channel_ids)
    rows = list(
        shipments.order_by("id").values_list(
            "id", "shipped_at", "delivered_at", "lines", "fulfillment_order__order_id",
            "fulfillment_order__location__country", "fulfillment_order__order__shipping_address",
            "cost__service", "cost__service_name", "cost__amount", "cost__currency",
            "cost__parcels", "cost__rating__promised",
        )
    )  # fmt: skip
    rated = [r for r in rows if r[7] is not None]
    return ShippingReport(
        date_from=date_from,
        date_to=date_to,
        channel=channel_code,
        shipments=len(rows),
        unrated=len(rows) - len(rated),
        costs=_costs(rated),
        on_time=_on_time(rated, utcnow()),
        lanes=_lanes(rated),
    )


def _costs(rows: list[tuple]) -> list[CostRow]:
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for r in rows:
        groups[(r[7], r[10])].append(r)
    out = []
    for (service, currency), items in sorted(groups.items()):
        cost = sum((r[9] for r in items), Decimal(0)).quantize(quantum(currency))
        orders = len({r[4] for r in items})
        units = sum(int(line.get("quantity", 0)) for r in items for line in r[3] or [])
        out.append(
            CostRow(
                service=service,
                name=items[0][8],
                currency=currency,
                shipments=len(items),
                orders=orders,
                parcels=sum(r[11] for r in items),
                units=units,
                cost=cost,
                cost_per_order=_per(cost, orders, currency),
                cost_per_unit=_per(cost, units, currency),
            )
        )
    return out


def _per(cost: Decimal, whole: int, currency: str) -> Decimal | None:
    if not whole:
        return None
    return (cost / whole).quantize(quantum(currency), rounding=ROUND_HALF_EVEN)


def _on_time(rows: list[tuple], now: datetime) -> list[OnTimeRow]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in rows:
        promised, delivered_at = r[12], r[2]
        c = counts[r[7]]
        if promised is None:
            continue
        c[0] += 1
        if delivered_at is not None:
            c[1 if delivered_at.astimezone(UTC).date() <= promised else 2] += 1
        elif now.date() > promised:
            c[2] += 1  # still on the way after the promised day: already late
        else:
            c[3] += 1
    return [
        OnTimeRow(service, n, on, late, pending, rate(on, on + late))
        for service, (n, on, late, pending) in sorted(counts.items())
        if n
    ]


def _lanes(rows: list[tuple]) -> list[LaneRow]:
    hours: dict[tuple[str, str, str], list[Decimal]] = defaultdict(list)
    for r in rows:
        if r[2] is None:
            continue
        destination = str((r[6] or {}).get("country") or "")
        hours[(r[7], r[5] or "", destination)].append(_hours(r[2] - r[1]))
    return [
        LaneRow(service, origin, destination, len(values),
                _percentile(values, 0.5), _percentile(values, 0.9))
        for (service, origin, destination), values in sorted(hours.items())
    ]  # fmt: skip


def _hours(delta: timedelta) -> Decimal:
    """Exact: whole seconds and microseconds as Decimal, never a float."""
    seconds = Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds) / 10**6
    return seconds / 3600


def _percentile(values: list[Decimal], fraction: float) -> Decimal | None:
    """Nearest rank, as the other reports (reports/domain/metrics.py), to 2 decimals."""
    found = percentile_from_histogram(Counter(values), fraction)
    return None if found is None else found.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
