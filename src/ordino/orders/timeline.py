"""The order's timeline and its outbox event, written together with every change; a person's or
an integration's action is also recorded in the audit log (docs/people.md, "Audit")."""

from __future__ import annotations

from datetime import datetime

from ordino.audit.services import audit_record
from ordino.core.sql import instances_insert
from ordino.events.services import event_emit
from ordino.orders.events import OrderEvent
from ordino.orders.models import Order, OrderTimelineEntry


def order_record(
    *,
    order: Order,
    kind: str,
    message: str,
    actor: str,
    data: dict,
    event: type[OrderEvent],
    payload: dict,
    now: datetime,
    reason: str = "",
) -> None:
    """One timeline row and one outbox event (`event` with `payload` as its details); `reason`:
    the one the person gave, for the audit."""
    entry = OrderTimelineEntry(
        order=order, kind=kind, message=message, actor=actor, data=data, created_at=now
    )
    instances_insert([entry])
    _audit(order.pk, kind, message, actor, data, reason)
    event_emit(
        event=event(order_id=order.pk, status=order.status, details=payload),
        aggregate_id=order.pk,
        now=now,
    )


def order_timeline_add(
    *, order_id: int, kind: str, message: str, actor: str, data: dict, now: datetime
) -> None:
    """One timeline row only, for a module above orders that emits its own event about the step
    (a return's: returns/services/). The caller holds the transaction."""
    entry = OrderTimelineEntry(
        order_id=order_id,
        kind=kind,
        message=message[:500],
        actor=actor,
        data=data,
        created_at=now,
    )
    instances_insert([entry])
    _audit(order_id, kind, message, actor, data)


# The audit keeps what people and integrations did to orders; the worker's own steps (actor
# `system...`) and the capture itself (the order is its own record) are left to the timeline.
NOT_AUDITED_KINDS = frozenset({"captured"})


def _audit(order_id: int, kind: str, message: str, actor: str, data: dict, reason="") -> None:
    if actor.startswith("system") or kind in NOT_AUDITED_KINDS:
        return
    if not reason and isinstance(data.get("reason"), str):
        reason = data["reason"]
    audit_record(object_type="order", object_id=order_id, action=kind, actor=actor,
                 after={"message": message, **data}, reason=reason or "")  # fmt: skip
