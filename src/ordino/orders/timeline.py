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


def order_timeline_note(
    *, order_id: int, kind: str, message: str, actor: str, data: dict, now: datetime
) -> None:
    """One timeline row for a step a module above orders took (a payment authorized, a refund
    recorded): that module emits its own event; the order's version does not change."""
    entry = OrderTimelineEntry(
        order_id=order_id, kind=kind[:40], message=message[:500], actor=actor[:128], data=data,
        created_at=now,
    )  # fmt: skip
    instances_insert([entry])
