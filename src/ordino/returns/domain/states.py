"""A return's states, like Shopify's: requested → open → closed; or declined; or cancelled.
Every change of state goes through `transition_check` (the table is the rule)."""

from __future__ import annotations

from ordino.core.domain.errors import DomainError

REQUESTED = "requested"  # asked for (by staff or the customer); waits for approval
OPEN = "open"  # approved: the units may come back and be received
CLOSED = "closed"  # done: what came back is recorded, nothing more is expected
DECLINED = "declined"  # refused by staff, with a reason
CANCELLED = "cancelled"  # withdrawn before anything was received

STATES = (REQUESTED, OPEN, CLOSED, DECLINED, CANCELLED)
PENDING = frozenset({REQUESTED, OPEN})  # states whose units still count as requested

TRANSITIONS: dict[str, frozenset[str]] = {
    REQUESTED: frozenset({OPEN, DECLINED, CANCELLED}),
    OPEN: frozenset({CLOSED, CANCELLED}),
    CLOSED: frozenset(),
    DECLINED: frozenset(),
    CANCELLED: frozenset(),
}


def transition_check(current: str, target: str) -> str:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise DomainError(
            "invalid_return_transition",
            f"A return that is {current} cannot become {target}.",
            status=409,
        )
    return target


def receive_check(state: str) -> None:
    """Units are received on an open (approved) return only."""
    if state != OPEN:
        raise DomainError(
            "return_not_open",
            f"A return that is {state} receives nothing; approve it first.",
            status=409,
        )


def cancel_check(state: str, received_units: int) -> None:
    """A return is withdrawn only before anything came back: received units are a fact."""
    transition_check(state, CANCELLED)
    if received_units:
        raise DomainError(
            "return_received",
            "Units of this return were received already; close it instead.",
            status=409,
        )


def label_check(state: str) -> None:
    """A return label is printed for an open (approved) return: the parcel is expected. Before
    approval nothing may be sent yet; after, nothing more is expected."""
    if state != OPEN:
        raise DomainError(
            "return_not_open",
            f"A return that is {state} has no label: only an open (approved) return is sent back.",
            status=409,
        )
