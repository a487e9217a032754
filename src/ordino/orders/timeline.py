"""The order's timeline and its outbox event, written together with every change."""

from __future__ import annotations

from datetime import datetime

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
) -> None:
    """One timeline row and one outbox event (`event` with `payload` as its details)."""
    entry = OrderTimelineEntry(
        order=order, kind=kind, message=message, actor=actor, data=data, created_at=now
    )
    instances_insert([entry])
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
