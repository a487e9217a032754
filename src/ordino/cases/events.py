"""The facts cases report (catalog: docs/events.md). About the case (aggregate "case"); the
assignment and escalation e-mails are sent from them, after the change committed."""

from __future__ import annotations

import dataclasses

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class CaseEvent(Event):
    aggregate_type = "case"

    case_id: int
    type: str
    status: str
    order_id: int | None = None
    owner_user_id: int | None = None
    owner_team_id: int | None = None
    message: str = ""


@dataclasses.dataclass(frozen=True)
class CaseOpened(CaseEvent):
    name = "case.opened"


@dataclasses.dataclass(frozen=True)
class CaseAssigned(CaseEvent):
    """Given to a person or a team (by an agent, or taken): they are e-mailed."""

    name = "case.assigned"


@dataclasses.dataclass(frozen=True)
class CaseEscalated(CaseEvent):
    """A ladder level was reached: the new owner is e-mailed."""

    name = "case.escalated"


@dataclasses.dataclass(frozen=True)
class CaseResolved(CaseEvent):
    """Resolved or voided (by a person, or by itself when its cause went away)."""

    name = "case.resolved"
