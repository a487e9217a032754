"""The facts returns report (docs/events.md has the catalog and each event's details)."""

from __future__ import annotations

import dataclasses
from typing import Any, Self

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class ReturnEvent(Event):
    """Something happened to a return: its id and number, its order, its state after, and the
    step's details (flat beside them in the payload)."""

    aggregate_type = "return"

    return_id: int
    number: str
    order_id: int
    state: str
    details: dict[str, Any] = dataclasses.field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        return {
            "return_id": self.return_id,
            "number": self.number,
            "order_id": self.order_id,
            "state": self.state,
            **self.details,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        fixed = ("return_id", "number", "order_id", "state")
        details = {k: v for k, v in payload.items() if k not in fixed}
        return cls(**{k: payload[k] for k in fixed}, details=details)


@dataclasses.dataclass(frozen=True)
class ReturnRequested(ReturnEvent):
    name = "return.requested"


@dataclasses.dataclass(frozen=True)
class ReturnApproved(ReturnEvent):
    name = "return.approved"


@dataclasses.dataclass(frozen=True)
class ReturnDeclined(ReturnEvent):
    name = "return.declined"


@dataclasses.dataclass(frozen=True)
class ReturnReceived(ReturnEvent):
    """Units came back, each with its disposition, and the refund decision for them."""

    name = "return.received"


@dataclasses.dataclass(frozen=True)
class ReturnClosed(ReturnEvent):
    name = "return.closed"


@dataclasses.dataclass(frozen=True)
class ReturnCancelled(ReturnEvent):
    name = "return.cancelled"


@dataclasses.dataclass(frozen=True)
class ExchangeCreated(ReturnEvent):
    """An exchange: its return (the event's return), the new lines added to the order (its
    change version) and the money decided: which way the difference goes and what moved."""

    name = "exchange.created"


@dataclasses.dataclass(frozen=True)
class ReturnRefundRefused(ReturnEvent):
    """Payments refused a receipt's refund (nothing captured to give back, ...): a person must
    settle it (cases opens one). Details: `receipt`, `code`, `message`."""

    name = "return.refund_refused"
