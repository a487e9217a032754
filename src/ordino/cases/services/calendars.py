"""A team's business calendar from its row: weekdays, hours, timezone, the country's public
holidays (the `holidays` package) and the team's own dates. No team: around the clock, UTC."""

from __future__ import annotations

from datetime import date, datetime

import holidays

from ordino.cases.domain.calendar import ALWAYS, BusinessCalendar
from ordino.cases.models import Team


def team_calendar(team: Team | None, *, around: datetime) -> BusinessCalendar:
    """The calendar of `team` with the holidays of the years around `around` (an SLA spans
    weeks at most; the year before and the two after cover it)."""
    if team is None:
        return ALWAYS
    years = range(around.year - 1, around.year + 3)
    days: set[date] = set()
    if team.holiday_country:
        days |= set(
            holidays.country_holidays(
                team.holiday_country, subdiv=team.holiday_subdivision or None, years=years
            )
        )
    days |= {date.fromisoformat(d) for d in team.extra_holidays or []}
    return BusinessCalendar(
        timezone=team.timezone,
        weekdays=frozenset(int(d) for d in team.weekdays),
        opens=team.opens,
        closes=team.closes,
        holidays=frozenset(days),
    )
