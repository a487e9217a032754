"""The facts holds report (catalog: docs/events.md). About the order (aggregate "order"), so an
order's events read as one story."""

from __future__ import annotations

import dataclasses

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class HoldEvent(Event):
    aggregate_type = "order"

    order_id: int
    hold_id: int
    cause: str  # "rule:<code>" or a system cause ("payment_declined")
    kind: str  # hold | approval
    reason: str
    rule: str = ""  # the rule's code, blank for a system cause
    version: int | None = None


@dataclasses.dataclass(frozen=True)
class OrderHeld(HoldEvent):
    """A rule matched the order (at capture or edit), or a system cause stopped it: its
    fulfillment orders that had not started went on hold."""

    name = "order.held"


@dataclasses.dataclass(frozen=True)
class OrderHoldReleased(HoldEvent):
    """A hold ended: `how` is manual (a person), auto (its cause cleared) or rule_retired."""

    name = "order.hold_released"
    how: str = ""
    actor: str = ""
