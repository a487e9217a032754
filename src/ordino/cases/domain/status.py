"""A case's states: new → open → waiting → resolved / voided (docs/cases.md, "Statuses").

`new`: nobody has looked; `open`: someone works it; `waiting`: on the customer or a third
party (the SLA clock stops); `resolved` / `voided`: closed, for good (a repeat of the cause
opens a new case)."""

from __future__ import annotations

from ordino.core.domain.errors import DomainError

NEW, OPEN, WAITING, RESOLVED, VOIDED = "new", "open", "waiting", "resolved", "voided"
STATUSES = (NEW, OPEN, WAITING, RESOLVED, VOIDED)
ACTIVE = (NEW, OPEN, WAITING)
CLOSED = (RESOLVED, VOIDED)

ALLOWED: dict[str, frozenset[str]] = {
    NEW: frozenset({OPEN, WAITING, RESOLVED, VOIDED}),
    OPEN: frozenset({WAITING, RESOLVED, VOIDED}),
    WAITING: frozenset({OPEN, RESOLVED, VOIDED}),
    RESOLVED: frozenset(),
    VOIDED: frozenset(),
}

PRIORITIES = ("low", "normal", "high", "urgent")


def status_check(current: str, target: str) -> str:
    """`target` if a case in `current` may move there, else 409 `case_status_invalid`."""
    if target not in ALLOWED.get(current, frozenset()):
        raise DomainError(
            "case_status_invalid",
            f"A {current} case cannot become {target}.",
            status=409,
        )
    return target


def priority_raised(priority: str) -> str:
    """One step more urgent (an escalation raises it), never past `urgent`."""
    index = PRIORITIES.index(priority) if priority in PRIORITIES else 1
    return PRIORITIES[min(index + 1, len(PRIORITIES) - 1)]
