"""Writing to the outbox. Call inside the transaction of the change being reported."""

from __future__ import annotations

from ordino.core.domain.clock import utcnow
from ordino.events.models import OutboxEvent


def event_emit(*, name: str, aggregate_type: str, aggregate_id: int, payload: dict) -> OutboxEvent:
    return OutboxEvent.objects.create(
        name=name,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        payload=payload,
        created_at=utcnow(),
    )


def events_emit(events: list[OutboxEvent]) -> None:
    """Several events in one statement (events built with `OutboxEvent(...)`, unsaved)."""
    now = utcnow()
    for event in events:
        event.created_at = event.created_at or now
    OutboxEvent.objects.bulk_create(events)
