"""A declined payment stops the order's work: its open fulfillment orders go on hold (through
fulfillment's own use case, reason "payment declined"); a later authorization releases the
ones it held. Issue 11's inbox turns `PaymentDeclined` into a case."""

from __future__ import annotations

from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.fulfillment.services import fulfillment_hold, fulfillment_release
from ordino.payments.selectors import fulfillment_orders_holdable, fulfillment_orders_on_hold

REASON = "payment declined"


def fulfillment_hold_for(*, order_id: int, actor: str) -> list[int]:
    """Hold the order's open fulfillment orders; answer the ids held."""
    held = []
    for fo_id in fulfillment_orders_holdable(order_id=order_id):
        try:
            with savepoint():
                fulfillment_hold(fo_id=fo_id, reason=REASON, actor=actor)
            held.append(fo_id)
        except DomainError:  # moved on meanwhile (shipped, cancelled): nothing to hold
            continue
    return held


def fulfillment_release_for(*, fo_ids: list[int], actor: str) -> None:
    for fo_id in fulfillment_orders_on_hold(ids=fo_ids):
        try:
            with savepoint():
                fulfillment_release(fo_id=fo_id, actor=actor)
        except DomainError:
            continue
