"""The SLA clock of a case (docs/cases.md, "The SLA clock"): due `sla_hours` business hours
after it was opened on its team's calendar, plus the business time it spent waiting; the ladder's
levels likewise. While waiting, the clock stops: no due time, no escalation."""

from __future__ import annotations

from datetime import datetime

from ordino.cases.domain.calendar import business_add, business_seconds
from ordino.cases.domain.ladder import ladder_parse, level_next
from ordino.cases.models import Case
from ordino.cases.services.calendars import team_calendar


def _team(case: Case):
    return case.owner_team or case.type.team


def clock_set(case: Case) -> None:
    """Due time and the next escalation from the opening, the SLA and the time waited."""
    if case.waiting_since is not None:
        case.due_at = case.next_escalation_at = None
        return
    calendar = team_calendar(_team(case), around=case.created_at)
    hours = 3600
    case.due_at = business_add(
        calendar, case.created_at, case.type.sla_hours * hours + case.waited_seconds
    )
    level = level_next(ladder_parse(case.type.ladder), case.escalation_level)
    case.next_escalation_at = (
        None
        if level is None
        else business_add(
            calendar, case.created_at, level.after_hours * hours + case.waited_seconds
        )
    )


def clock_stop(case: Case, now: datetime) -> None:
    case.waiting_since = now
    clock_set(case)


def clock_resume(case: Case, now: datetime) -> None:
    """Back from waiting: the business time waited is added to every deadline."""
    if case.waiting_since is None:
        return
    calendar = team_calendar(_team(case), around=case.waiting_since)
    case.waited_seconds += business_seconds(calendar, case.waiting_since, now)
    case.waiting_since = None
    clock_set(case)
