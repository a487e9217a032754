"""HTTP adapter of the reports: `GET /reports/kpis` and `GET /reports/series` (the KPIs per
day or week, for charts). Scope `reports:read`.

Reports cover the whole network, so a token limited to some locations is refused; a token
limited to some channels sees those channels' orders only."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Query, Router, Schema
from pydantic import ConfigDict

from ordino.core.domain.errors import DomainError
from ordino.core.params import IsoDateTime
from ordino.core.principal import principal_of
from ordino.reports import selectors, series
from ordino.reports.returns import returns_report_get
from ordino.reports.schemas import (
    KpisOut,
    ReturnsOut,
    SeriesOut,
    ShippingOut,
    TeamOut,
    TouchesOut,
)
from ordino.reports.shipping import shipping_report_get
from ordino.reports.teams import teams_report
from ordino.reports.touches import touches_report_get, touches_serialize

router = Router(tags=["reports"])
MAX_DAYS = 366
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class PeriodParams(Schema):
    """A period of UTC days and an optional channel: what every report is asked for."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # Strings, not `date`: pydantic would read `?to=0` as a Unix time.
    date_from: str | None = NinjaField(
        None,
        alias="from",
        pattern=DAY,
        json_schema_extra={"format": "date"},
        description="First UTC day, YYYY-MM-DD (default: 29 days before `to`).",
    )
    date_to: str | None = NinjaField(
        None,
        alias="to",
        pattern=DAY,
        json_schema_extra={"format": "date"},
        description="Last UTC day, inclusive, YYYY-MM-DD (default: today).",
    )
    channel: str | None = NinjaField(None, min_length=1, max_length=64)


class KpiParams(PeriodParams):
    target_hours: int | None = NinjaField(
        None, ge=1, le=720, description="On-time ship target (default: the setting, 24)."
    )


@router.get("/kpis", response=KpisOut, summary="Dashboard KPIs")
def kpis(request: HttpRequest, params: Query[KpiParams]):
    """Orders and revenue per day and currency, average order value, units per order,
    backorder, cancellation, fill and split rates, the share shipped from stores, orders by
    status, the open fulfillment queue, capture-to-ship p50/p90 and the on-time rate, and the
    top SKUs, for orders captured from `from` to `to` (UTC days, inclusive)."""
    principal = principal_of(request)
    principal.require("reports:read")
    principal.scope.require_whole_network("the KPI report")
    date_from, date_to = _period(params.date_from, params.date_to)
    result = selectors.kpis_get(
        date_from=date_from,
        date_to=date_to,
        channel_code=params.channel,
        target_hours=params.target_hours,
        scope=principal.scope,
    )
    body = asdict(result)
    body["top_skus"] = [{"sku": sku, "units": units} for sku, units in result.top_skus]
    return body


class SeriesParams(PeriodParams):
    bucket: Literal["day", "week"] | None = NinjaField(
        None, description="Per UTC day or per week (Monday); default: days up to 62 days."
    )


@router.get("/series", response=SeriesOut, summary="Dashboard time series")
def series_of_period(request: HttpRequest, params: Query[SeriesParams]):
    """The dashboard's charts: orders and revenue per bucket, channel and currency; fill,
    backorder, cancellation and split rates and the share shipped from stores per bucket;
    capture-to-ship p50/p90 per bucket (all of the orders captured in the bucket); the
    fulfillment orders open now per location and status."""
    principal = principal_of(request)
    principal.require("reports:read")
    principal.scope.require_whole_network("the KPI report")
    date_from, date_to = _period(params.date_from, params.date_to)
    result = series.series_get(
        date_from=date_from,
        date_to=date_to,
        channel_code=params.channel,
        bucket=params.bucket,
        scope=principal.scope,
    )
    return asdict(result)


class ReturnsParams(PeriodParams):
    top: int = NinjaField(10, ge=1, le=100, description="How many SKUs (most returned first).")


@router.get("/returns", response=ReturnsOut, summary="Return analytics")
def returns_report(request: HttpRequest, params: Query[ReturnsParams]):
    """Return rate per SKU (top N), reason, channel and receiving location; dispositions; refund
    decisions and refunds recorded, per currency; request → receipt and → refund p50/p90 hours,
    for the returns requested from `from` to `to` (UTC days, inclusive). docs/reports.md."""
    principal = principal_of(request)
    principal.require("reports:read")
    principal.scope.require_whole_network("the returns report")
    date_from, date_to = _period(params.date_from, params.date_to)
    result = returns_report_get(
        date_from=date_from,
        date_to=date_to,
        channel_code=params.channel,
        top=params.top,
        scope=principal.scope,
    )
    return asdict(result)


@router.get("/shipping", response=ShippingOut, summary="Shipping costs and carriers")
def shipping_report(request: HttpRequest, params: Query[PeriodParams]):
    """What shipping cost per service and currency (per order, per unit), on-time delivery
    against the promised day, and transit hours p50/p90 per lane, for the shipments that left
    from `from` to `to` (UTC days, inclusive). docs/reports.md, "Shipping"."""
    principal = principal_of(request)
    principal.require("reports:read")
    principal.scope.require_whole_network("the shipping report")
    date_from, date_to = _period(params.date_from, params.date_to)
    result = shipping_report_get(
        date_from=date_from, date_to=date_to, channel_code=params.channel, scope=principal.scope
    )
    return asdict(result)


class TouchesParams(Schema):
    model_config = ConfigDict(extra="forbid")

    since: IsoDateTime | None = NinjaField(
        None, description="Orders captured from then (default: 30 days before `until`)."
    )
    until: IsoDateTime | None = NinjaField(None, description="... until then, excluded (now).")
    channel: str | None = NinjaField(None, min_length=1, max_length=64)


@router.get("/touches", response=TouchesOut, summary="Touches per order")
def touches(request: HttpRequest, params: Query[TouchesParams]):
    """The actions people took on the orders captured in [since, until) (at most 366 days):
    orders touched, the zero-touch rate, touches per order (mean, p50, p90, max), touches by
    kind, by person and by role, per channel. A restricted token sees the orders it reaches.
    docs/reports.md, "Touches per order"."""
    principal = principal_of(request)
    principal.require("reports:read")
    return touches_serialize(
        touches_report_get(
            since=params.since,
            until=params.until,
            channel_code=params.channel,
            scope=principal.scope,
        )
    )


@router.get("/teams", response=list[TeamOut], summary="Team membership")
def teams(request: HttpRequest):
    """Each case team, its lead and manager, its members with their roles, whether they are
    active and their last sign-in (docs/people.md, "Team membership"). Scope `users:read`,
    unrestricted tokens: it lists every location's staff, as `/users/report` does."""
    principal = principal_of(request)
    principal.require("users:read")
    principal.scope.require_unrestricted("the team report")
    return [asdict(line) for line in teams_report()]


def _period(text_from: str | None, text_to: str | None) -> tuple[date, date]:
    """The asked period, bounded: the default ends today, at most MAX_DAYS days."""
    date_from, date_to = selectors.period_default(_day(text_to, "to"))
    date_from = _day(text_from, "from") or date_from
    if (date_to - date_from).days + 1 > MAX_DAYS:
        raise DomainError(
            "period_too_long", f"Ask for at most {MAX_DAYS} days at a time.", field="from"
        )
    return date_from, date_to


def _day(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(
            "date_invalid", f"`{field}` is no calendar day: {text!r}.", field=field
        ) from None
