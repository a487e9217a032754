"""Writing to the outbox. Call inside the transaction of the change being reported."""

from __future__ import annotations

from datetime import datetime

from ordino.core.domain.clock import utcnow
from ordino.core.sql import instances_insert
from ordino.events.models import OutboxEvent
from ordino.events.types import Event


def event_emit(
    *, event: Event, aggregate_id: int, aggregate_type: str = "", now: datetime | None = None
) -> OutboxEvent:
    """Store `event` (about the aggregate `aggregate_id`) in the outbox, under its wire name.
    `aggregate_type` defaults to the event class's own."""
    row = OutboxEvent(
        name=event.name,
        aggregate_type=aggregate_type or event.aggregate_type,
        aggregate_id=aggregate_id,
        payload=event.payload(),
        created_at=now or utcnow(),
    )
    return instances_insert([row])[0]
