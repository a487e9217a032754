"""Reading the integration log (docs/integrations.md): the filters shared by the API
(`GET /integrations/calls`), `ordino integrations log` and the console's Integration log page;
failure themes (`GET /integrations/themes`, `ordino integrations themes`, the console's Failure
themes page); the export's chunks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.integrations.domain.themes import Fix, days_of, per_day, theme_fix, theme_heading
from ordino.integrations.models import IntegrationCall

TEXT_MAX = {"system": 32, "direction": 3, "operation": 64, "connection": 64, "object_type": 40,
            "object_id": 64, "correlation_id": 128, "signature": 200, "q": 200}  # fmt: skip
THEME_DAYS_MAX = 366
THEMES_MAX = 50  # the most frequent themes of a period; the rest are counted in `more`
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class CallFilters:
    """What `integration_calls_list` filters on; every field optional. `q`: text in the error
    or the endpoint; `since` included, `until` excluded."""

    system: str | None = None
    direction: str | None = None
    ok: bool | None = None
    status_code: int | None = None
    operation: str | None = None
    connection: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    correlation_id: str | None = None
    signature: str | None = None
    q: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def integration_calls_list(filters: CallFilters = CallFilters()) -> QuerySet[IntegrationCall]:
    """Calls matching every filter given, by id (ids grow with time). A text past its bound, a
    status that is no HTTP status, a time without its offset or an empty range: DomainError,
    nothing read."""
    _check(filters)
    calls = IntegrationCall.objects.all()
    exact = {
        "system": filters.system,
        "direction": filters.direction,
        "status_code": filters.status_code,
        "operation": filters.operation,
        "connection": filters.connection,
        "object_type": filters.object_type,
        "object_id": filters.object_id,
        "correlation_id": filters.correlation_id,
        "error_signature": filters.signature,
    }
    calls = calls.filter(**{k: v for k, v in exact.items() if v is not None and v != ""})
    if filters.ok is not None:
        calls = calls.filter(ok=filters.ok)
    if filters.since is not None:
        calls = calls.filter(at__gte=filters.since)
    if filters.until is not None:
        calls = calls.filter(at__lt=filters.until)
    if filters.q:
        calls = calls.filter(Q(error__icontains=filters.q) | Q(endpoint__icontains=filters.q))
    return calls.order_by("id")


def integration_call_get(call_id: int) -> IntegrationCall:
    found = IntegrationCall.objects.filter(pk=call_id).first()
    if found is None:
        raise NotFound("integration_call", call_id)
    return found


def _check(filters: CallFilters) -> None:
    for name, limit in TEXT_MAX.items():
        text = getattr(filters, name)
        if text is not None and len(text) > limit:
            raise DomainError("too_long", f"{name} is at most {limit} characters.", field=name)
    if filters.direction not in (None, "", "in", "out"):
        raise DomainError("invalid_direction", "direction is in or out.", field="direction")
    if filters.status_code is not None and not 100 <= filters.status_code <= 599:
        raise DomainError("invalid_status", "status_code is 100 to 599.", field="status_code")
    for name in ("since", "until"):
        moment = getattr(filters, name)
        if moment is not None and moment.utcoffset() is None:
            raise DomainError("invalid_datetime", f"{name} needs its offset (Z or +01:00).",
                              field=name)  # fmt: skip
    if filters.since and filters.until and filters.until <= filters.since:
        raise DomainError("invalid_range", "until must be after since.", field="until")


@dataclass(frozen=True)
class Theme:
    signature: str
    heading: str
    count: int
    first_seen: datetime
    last_seen: datetime
    system: str
    direction: str
    operation: str
    status_code: int | None
    example_id: int
    example_error: str
    per_day: list[int]  # one count per day of the period, oldest first
    fix: Fix | None


@dataclass(frozen=True)
class ThemesReport:
    since: datetime
    until: datetime
    days: list[date]  # the days `Theme.per_day` counts, oldest first
    themes: list[Theme]  # the most frequent first
    more: int  # themes beyond THEMES_MAX, not listed
    failures: int  # every failure of the period


def integration_themes(*, days: int = 7, system: str | None = None) -> ThemesReport:
    """The period's failures grouped by signature: the last `days` days up to now (the first
    day is counted from its midnight, UTC). Three statements whatever the log holds."""
    if not 1 <= days <= THEME_DAYS_MAX:
        raise DomainError("invalid_days", f"days is 1 to {THEME_DAYS_MAX}.", field="days")
    if system is not None and len(system) > TEXT_MAX["system"]:
        raise DomainError("too_long", "system is at most 32 characters.", field="system")
    until = utcnow()
    first_day = until.date() - timedelta(days=days - 1)
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC)
    failed = IntegrationCall.objects.filter(ok=False, at__gte=since, at__lte=until)
    if system:
        failed = failed.filter(system=system)
    groups = list(
        failed.exclude(error_signature="")
        .values("error_signature")
        .annotate(n=Count("id"), first=Min("at"), last=Max("at"), example=Max("id"))
        .order_by("-n", "error_signature")
    )
    listed = groups[:THEMES_MAX]
    examples = IntegrationCall.objects.in_bulk([g["example"] for g in listed])
    daily = _per_day(failed, [g["error_signature"] for g in listed])
    period_days = days_of(first_day, until.date())
    themes = [_theme(g, examples[g["example"]], daily, period_days, days) for g in listed]
    return ThemesReport(since=since, until=until, days=period_days, themes=themes,
                        more=len(groups) - len(listed),
                        failures=sum(g["n"] for g in groups))  # fmt: skip


def _per_day(failed: QuerySet, signatures: list[str]) -> dict[str, dict[date, int]]:
    rows = (
        failed.filter(error_signature__in=signatures)
        .annotate(day=TruncDate("at", tzinfo=UTC))
        .values("error_signature", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    daily: dict[str, dict[date, int]] = {}
    for row in rows:
        daily.setdefault(row["error_signature"], {})[row["day"]] = row["n"]
    return daily


def _theme(group: dict, example: IntegrationCall, daily, period_days, days: int) -> Theme:
    signature = group["error_signature"]
    heading = theme_heading(
        count=group["n"], system=example.system, direction=example.direction,
        operation=example.operation, error=example.error, days=days,
    )  # fmt: skip
    fix = theme_fix(system=example.system, status_code=example.status_code, error=example.error)
    return Theme(
        signature=signature,
        heading=heading,
        count=group["n"],
        first_seen=group["first"],
        last_seen=group["last"],
        system=example.system,
        direction=example.direction,
        operation=example.operation,
        status_code=example.status_code,
        example_id=example.pk,
        example_error=example.error,
        per_day=per_day(daily.get(signature, {}), period_days),
        fix=fix,
    )


def integration_calls_chunks(
    filters: CallFilters, *, chunk: int = EXPORT_CHUNK
) -> Iterator[list[IntegrationCall]]:
    """The calls matching `filters` in id order, `chunk` rows per statement (keyset on id): an
    export of six months never holds more than one chunk in memory."""
    calls = integration_calls_list(filters)
    last = 0
    while rows := list(calls.filter(id__gt=last)[:chunk]):
        yield rows
        last = rows[-1].pk
