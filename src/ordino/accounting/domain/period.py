"""The journal's period: UTC days, bounded like the reports' (reports/api.py), shared by the
API, the CLI and the console."""

from __future__ import annotations

from datetime import date, timedelta

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError

MAX_DAYS = 366


def period(text_from: str | None, text_to: str | None) -> tuple[date, date]:
    """The asked period, bounded: `from` not after `to`, at most MAX_DAYS days; by default the
    30 days ending today (as the reports)."""
    date_to = _day(text_to, "to") if text_to else utcnow().date()
    date_from = _day(text_from, "from") if text_from else date_to - timedelta(days=29)
    if date_from > date_to:
        raise DomainError("period_invalid", "`from` is after `to`.", field="from")
    if (date_to - date_from).days + 1 > MAX_DAYS:
        raise DomainError(
            "period_too_long", f"Ask for at most {MAX_DAYS} days at a time.", field="from"
        )
    return date_from, date_to


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(
            "date_invalid", f"`{field}` is no calendar day: {text!r}.", field=field
        ) from None
