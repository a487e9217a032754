"""Opening hours, cut-off times and closed days of a location, in the location's own timezone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ordino.core.domain.errors import DomainError

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Interval = tuple[time, time]


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        raise DomainError(
            "unknown_timezone", f"Unknown timezone {name!r}: use a name such as 'Europe/Berlin'."
        ) from None


@dataclass(frozen=True)
class Calendar:
    """A weekly schedule (weekday 0 = Monday → opening intervals), a same-day cut-off, closed dates.

    A weekday without intervals is closed. `cutoff` is the latest local time an order can come in
    to leave the same day; without it, the day's closing time is the cut-off.
    """

    timezone: str = "UTC"
    hours: Mapping[int, tuple[Interval, ...]] = field(default_factory=dict)
    cutoff: time | None = None
    closed: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        zone(self.timezone)
        object.__setattr__(self, "hours", MappingProxyType(dict(self.hours)))
        object.__setattr__(self, "closed", frozenset(self.closed))

    def local(self, now: datetime) -> datetime:
        return now.astimezone(zone(self.timezone))

    def works_on(self, day: date) -> bool:
        return day not in self.closed and bool(self.hours.get(day.weekday()))

    def day_cutoff(self, day: date) -> time | None:
        """The cut-off of a working day (explicit, or the last closing time); None if closed."""
        if not self.works_on(day):
            return None
        if self.cutoff is not None:
            return self.cutoff
        return max(end for _, end in self.hours[day.weekday()])

    def is_open(self, now: datetime) -> bool:
        local = self.local(now)
        if not self.works_on(local.date()):
            return False
        moment = local.time()
        return any(start <= moment < end for start, end in self.hours[local.weekday()])

    def before_cutoff(self, now: datetime) -> bool:
        local = self.local(now)
        cutoff = self.day_cutoff(local.date())
        return cutoff is not None and local.time() < cutoff

    def next_ship_date(self, now: datetime, *, horizon_days: int = 60) -> date | None:
        """Today if a working day before its cut-off, else the next working day (None if none)."""
        local = self.local(now)
        if self.before_cutoff(now):
            return local.date()
        day = local.date()
        for _ in range(horizon_days):
            day += timedelta(days=1)
            if self.works_on(day):
                return day
        return None

    def describe_day(self, now: datetime) -> str:
        local = self.local(now)
        day = local.date()
        if day in self.closed:
            return f"closed on {day.isoformat()}"
        intervals = self.hours.get(day.weekday()) or ()
        if not intervals:
            return f"closed on {WEEKDAYS[day.weekday()]}"
        spans = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in intervals)
        return f"{WEEKDAYS[day.weekday()]} {spans}, local time {local:%H:%M} {self.timezone}"

    def to_dict(self) -> dict[str, object]:
        return {
            "timezone": self.timezone,
            "hours": {
                WEEKDAYS[d]: [[f"{a:%H:%M}", f"{b:%H:%M}"] for a, b in self.hours[d]]
                for d in sorted(self.hours)
            },
            "cutoff": None if self.cutoff is None else f"{self.cutoff:%H:%M}",
            "closed": sorted(d.isoformat() for d in self.closed),
        }


def weekly(
    days: str, start: str, end: str, *, timezone: str = "UTC", cutoff: str | None = None
) -> Calendar:
    """A convenience: weekly('Mon-Fri', '08:00', '18:00', cutoff='16:00', timezone=...)."""
    first, _, last = days.partition("-")
    a, b = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
    interval = (time.fromisoformat(start), time.fromisoformat(end))
    return Calendar(
        timezone=timezone,
        hours={d: (interval,) for d in range(a, b + 1)},
        cutoff=time.fromisoformat(cutoff) if cutoff else None,
    )


def calendar_from_dict(data: object) -> Calendar:
    """The Calendar of `Calendar.to_dict()`'s form; DomainError('invalid_calendar') listing
    every problem. Keys: timezone, hours {"Mon": [["08:00", "18:00"]], ...}, cutoff, closed."""
    if not isinstance(data, dict):
        raise DomainError("invalid_calendar", "A calendar is an object.", field="calendar")
    r = _CalendarReader()
    for key in sorted(set(data) - {"timezone", "hours", "cutoff", "closed"}):
        r.add(f"calendar.{key}", "unknown field; use timezone, hours, cutoff, closed")
    timezone = data.get("timezone") or "UTC"
    try:
        zone(str(timezone))
    except DomainError as exc:
        r.add("calendar.timezone", exc.message)
        timezone = "UTC"
    hours = r.hours(data.get("hours") or {})
    cutoff = (
        None if data.get("cutoff") in (None, "") else r.clock(data["cutoff"], "calendar.cutoff")
    )
    closed = r.closed(data.get("closed") or [])
    if r.problems:
        raise DomainError("invalid_calendar", r.problems[0]["message"], errors=r.problems)
    return Calendar(str(timezone), hours, cutoff, frozenset(closed))


class _CalendarReader:
    """Reads the parts of a calendar's dict, collecting every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[dict[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(
            {"field": path, "code": "invalid_calendar", "message": f"{path}: {message}"}
        )

    def clock(self, value: object, path: str) -> time | None:
        try:
            return time.fromisoformat(str(value)) if isinstance(value, str) else None
        except ValueError:
            pass
        self.add(path, f"expected a time such as '16:00', got {value!r}")
        return None

    def hours(self, raw_hours: object) -> dict[int, tuple[Interval, ...]]:
        hours: dict[int, tuple[Interval, ...]] = {}
        if not isinstance(raw_hours, dict):
            self.add("calendar.hours", 'expected {"Mon": [["08:00", "18:00"]], ...}')
            raw_hours = {}
        for day, spans in raw_hours.items():
            path = f"calendar.hours.{day}"
            if day not in WEEKDAYS:
                self.add(path, f"unknown weekday; use {', '.join(WEEKDAYS)}")
                continue
            intervals = self.intervals(spans, path)
            if intervals:
                hours[WEEKDAYS.index(day)] = tuple(sorted(intervals))
        return hours

    def intervals(self, spans: object, path: str) -> list[Interval]:
        intervals = []
        for i, span in enumerate(spans if isinstance(spans, list) else [None]):
            if not isinstance(span, list | tuple) or len(span) != 2:
                self.add(f"{path}[{i}]", 'expected ["08:00", "18:00"]')
                continue
            start = self.clock(span[0], f"{path}[{i}][0]")
            end = self.clock(span[1], f"{path}[{i}][1]")
            if start is not None and end is not None:
                if start >= end:
                    self.add(f"{path}[{i}]", f"opens at {start:%H:%M} but closes at {end:%H:%M}")
                intervals.append((start, end))
        return intervals

    def closed(self, raw_closed: object) -> set[date]:
        closed: set[date] = set()
        for i, day in enumerate(raw_closed if isinstance(raw_closed, list) else [raw_closed]):
            try:
                closed.add(date.fromisoformat(str(day)))
            except ValueError:
                self.add(
                    f"calendar.closed[{i}]", f"expected a date such as '2025-12-25', got {day!r}"
                )
        return closed
