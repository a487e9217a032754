"""The order's timeline and its outbox event, written together with every change."""

from __future__ import annotations

from datetime import datetime

from ordino.events.models import OutboxEvent
from ordino.events.services import events_emit
from ordino.orders.models import Order, OrderTimelineEntry


def order_record(
    *,
    order: Order,
    kind: str,
    message: str,
    actor: str,
    data: dict,
    event: str,
    payload: dict,
    now: datetime,
) -> None:
    """One timeline row and one outbox event: two statements."""
    OrderTimelineEntry.objects.create(
        order=order, kind=kind, message=message, actor=actor, data=data, created_at=now
    )
    events_emit(
        [
            OutboxEvent(
                name=event,
                aggregate_type="order",
                aggregate_id=order.pk,
                payload={"order_id": order.pk, "status": order.status, **payload},
                created_at=now,
            )
        ]
    )
