"""The facts fraud screening reports (catalog: docs/events.md), about the order (aggregate
"order"). Emitted only when a score crosses the review threshold, so capture pays for an
outbox row only when a person has something to look at."""

from __future__ import annotations

import dataclasses

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class OrderRiskEvent(Event):
    aggregate_type = "order"

    order_id: int
    score: int
    review_threshold: int  # the settings' when scored


@dataclasses.dataclass(frozen=True)
class OrderRiskFlagged(OrderRiskEvent):
    """The order's score reached the review threshold: a person reviews it."""

    name = "order.risk_flagged"


@dataclasses.dataclass(frozen=True)
class OrderRiskCleared(OrderRiskEvent):
    """A re-score put the order under the review threshold again."""

    name = "order.risk_cleared"
