"""Escalation: a periodic job (wiring.py `PERIODIC`, run by `ordino worker`; `ordino cases
escalate` runs it once) gives every case past its next ladder level to that level's owner,
raises its priority and e-mails them (docs/cases.md, "Escalation").

Exactly once with any number of workers: a level is claimed by a conditional update of the
case's `escalation_level` from the value read to the next; a worker that lost the race updates
no row and moves on."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model

from ordino.cases.domain import status as st
from ordino.cases.domain.ladder import Level, ladder_parse, level_next
from ordino.cases.events import CaseEscalated
from ordino.cases.models import Case
from ordino.cases.services.clock import clock_set
from ordino.cases.services.record import activity_add
from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic

ACTOR = "system:escalation"


def cases_escalate_due(*, now: datetime | None = None) -> int:
    """Escalate every case whose next level is due; how many levels were reached."""
    now = now or utcnow()
    due = Case.objects.filter(
        status__in=st.ACTIVE, waiting_since__isnull=True, next_escalation_at__lte=now
    ).values_list("pk", "escalation_level")
    return sum(_escalate(case_id, level, now) for case_id, level in list(due))


def _escalate(case_id: int, reached: int, now: datetime) -> int:
    with use_case_atomic():
        claimed = Case.objects.filter(
            pk=case_id, escalation_level=reached, status__in=st.ACTIVE,
            waiting_since__isnull=True, next_escalation_at__lte=now,
        ).update(escalation_level=reached + 1, updated_at=now)  # fmt: skip
        if not claimed:
            return 0  # another worker escalated it, or it changed meanwhile
        case = Case.objects.select_related("type", "type__team", "owner_team", "owner_user").get(
            pk=case_id
        )
        level = level_next(ladder_parse(case.type.ladder), reached)
        if level is None:  # the ladder was shortened meanwhile
            clock_set(case)
            case.save()
            return 0
        to = _hand_over(case, level)
        case.priority = st.priority_raised(case.priority)
        clock_set(case)
        case.save()
        activity_add(
            case, kind="escalated", actor=ACTOR,
            message=f"Level {reached + 1}: {level.after_hours} business hours passed; "
            f"given to {to}.",
            now=now, data={"level": reached + 1, **level.as_dict()}, event=CaseEscalated,
        )  # fmt: skip
        return 1


def _hand_over(case: Case, level: Level) -> str:
    """Give the case to the level's owner; a missing lead, manager or user leaves it with the
    team (still escalated, still e-mailed to the team)."""
    team = case.owner_team or case.type.team
    person = None
    if level.to == "lead" and team is not None:
        person = team.lead
    elif level.to == "manager" and team is not None:
        person = team.manager
    elif level.to == "user":
        person = get_user_model().objects.filter(username=level.user, is_active=True).first()
    case.owner_team = team
    case.owner_user = person
    if person is not None:
        return f"{level.to} {person.get_username()}"
    return f"team {team.name}" if team is not None else "the unassigned queue"
