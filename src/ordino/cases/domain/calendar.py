"""Business hours: an SLA runs only while the team works (docs/cases.md, "The SLA clock").

A calendar is working weekdays, one daily window of local wall-clock time in an IANA timezone,
and holidays (dates, local). Arithmetic walks day by day in local time and converts each
window to UTC on its own date, so a daylight-saving change moves the window's UTC hours, never
its local ones: 9:00-17:00 Berlin is 8:00-16:00 UTC in winter and 7:00-15:00 UTC in summer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS = 3660  # ten years: a calendar with no working day at all stops here, never loops


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str = "UTC"
    weekdays: frozenset[int] = frozenset(range(7))  # Monday 0 ... Sunday 6
    opens: time = time(0, 0)
    closes: time | None = None  # None: midnight at the end of the day (a 24-hour window)
    holidays: frozenset[date] = frozenset()

    def works_on(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The day's working window in UTC (local wall-clock times on that date)."""
        zone = ZoneInfo(self.timezone)
        start = datetime.combine(day, self.opens, zone)
        end = (
            datetime.combine(day + timedelta(days=1), time(0, 0), zone)
            if self.closes is None
            else datetime.combine(day, self.closes, zone)
        )
        return start.astimezone(UTC), end.astimezone(UTC)


ALWAYS = BusinessCalendar()


def _windows(calendar: BusinessCalendar, since: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The working windows from the local day of `since` on (the first may start before it)."""
    day = since.astimezone(ZoneInfo(calendar.timezone)).date() - timedelta(days=1)
    for offset in range(MAX_DAYS):
        current = day + timedelta(days=offset)
        if calendar.works_on(current):
            yield calendar.window(current)


def business_add(calendar: BusinessCalendar, start: datetime, seconds: int) -> datetime:
    """The moment `seconds` of working time after `start`."""
    left = max(0, seconds)
    for open_at, close_at in _windows(calendar, start):
        begin = max(open_at, start)
        if begin >= close_at:
            continue
        if left == 0:
            return begin
        span = int((close_at - begin).total_seconds())
        if left <= span:
            return begin + timedelta(seconds=left)
        left -= span
    raise ValueError("the calendar has no working time")


def business_seconds(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Working seconds between `start` and `end` (0 when end is not after start)."""
    if end <= start:
        return 0
    total = 0
    for open_at, close_at in _windows(calendar, start):
        if open_at >= end:
            break
        begin, finish = max(open_at, start), min(close_at, end)
        if finish > begin:
            total += int((finish - begin).total_seconds())
    return total
