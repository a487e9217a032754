"""An agent works a case: take it, assign it, move its status, comment, resolve or void it
(docs/cases.md, "Working the inbox"). Each takes the case's row lock, so two agents clicking at
once change it one after the other; a refused step changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ordino.cases.domain import status as st
from ordino.cases.events import CaseAssigned, CaseResolved
from ordino.cases.models import Case
from ordino.cases.selectors import case_get, team_by_name, user_by_name
from ordino.cases.services.clock import clock_resume, clock_stop
from ordino.cases.services.record import activity_add
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic


@contextmanager
def case_locked(case_id: int, scope: Scope) -> Iterator[Case]:
    """The case (404 outside the scope), locked for the rest of the transaction."""
    with use_case_atomic():
        case_get(case_id=case_id, scope=scope)
        yield (
            Case.objects.select_for_update(of=("self",))
            .select_related("type", "type__team", "owner_team", "owner_user", "order")
            .get(pk=case_id)
        )


def _active(case: Case) -> None:
    if case.status not in st.ACTIVE:
        raise DomainError("case_closed", f"Case {case.pk} is {case.status}.", status=409)


def _save(case: Case, now) -> None:
    case.updated_at = now
    case.save()


def case_assign(
    *, case_id: int, actor: str, user: str | None = None, team: str | None = None,
    scope: Scope = UNRESTRICTED,
) -> Case:  # fmt: skip
    """Give the case to a person (and keep its team) or to a team's queue (no person)."""
    with case_locked(case_id, scope) as case:
        if not user and not team:
            raise DomainError("assignee_missing", "Name a user or a team.", field="user")
        owner = user_by_name(user) if user else None
        queue = team_by_name(team) if team else None
        _active(case)
        now = utcnow()
        case.owner_user = owner
        if queue is not None:
            case.owner_team = queue
        if case.status == st.NEW and owner is not None:
            case.status = st.OPEN
        _save(case, now)
        to = owner.get_username() if owner else f"team {queue.name}"  # type: ignore[union-attr]
        activity_add(
            case, kind="assigned", actor=actor, message=f"Assigned to {to}.", now=now,
            data={"user": user, "team": team}, event=CaseAssigned,
        )  # fmt: skip
        return case


def case_take(*, case_id: int, user, actor: str, scope: Scope = UNRESTRICTED) -> Case:
    """The agent takes the case: theirs, and open."""
    return case_assign(case_id=case_id, actor=actor, user=user.get_username(), scope=scope)


def case_status_set(
    *, case_id: int, status: str, actor: str, note: str = "", scope: Scope = UNRESTRICTED
) -> Case:
    """open ⇄ waiting (the SLA clock stops while waiting); closing is `case_resolve`."""
    if status not in (st.OPEN, st.WAITING):
        raise DomainError(
            "case_status_invalid", "Set open or waiting; resolve or void with a resolution.",
            field="status",
        )  # fmt: skip
    with case_locked(case_id, scope) as case:
        _active(case)
        st.status_check(case.status, status)
        now = utcnow()
        before, case.status = case.status, status
        if status == st.WAITING:
            clock_stop(case, now)
        else:
            clock_resume(case, now)
        _save(case, now)
        message = f"{before} → {status}" + (f": {note}" if note else "")
        activity_add(case, kind="status", actor=actor, message=message, now=now)
        return case


def case_comment(*, case_id: int, text: str, actor: str, scope: Scope = UNRESTRICTED) -> Case:
    text = text.strip()
    if not text:
        raise DomainError("comment_empty", "Write something.", field="text")
    with case_locked(case_id, scope) as case:
        now = utcnow()
        activity_add(case, kind="comment", actor=actor, message=text, now=now)
        case.updated_at = now
        Case.objects.filter(pk=case.pk).update(updated_at=now)
        return case


def case_close(*, case: Case, resolution: str, actor: str, note: str, void: bool = False) -> Case:
    """Close a locked, active case (the caller holds the transaction)."""
    _active(case)
    now = utcnow()
    case.status = st.VOIDED if void else st.RESOLVED
    case.resolution, case.resolved_at = resolution, now
    case.due_at = case.next_escalation_at = case.waiting_since = None
    _save(case, now)
    word = "Voided" if void else "Resolved"
    activity_add(
        case, kind="resolved", actor=actor,
        message=f"{word} ({resolution.replace('_', ' ')})" + (f": {note}" if note else "."),
        now=now, data={"resolution": resolution}, event=CaseResolved,
    )  # fmt: skip
    return case
