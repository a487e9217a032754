"""Writing to the outbox. Call inside the transaction of the change being reported."""

from __future__ import annotations

from datetime import datetime

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
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


def outbox_event_replay(*, event_id: int, actor: str, reason: str) -> OutboxEvent:
    """Give a failed or dead event another go: the relay delivers it again from its first
    attempt. Who did it and why stay on the event. A pending or delivered event is refused:
    replaying a delivered one would run its subscribers twice on purpose."""
    event = OutboxEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise NotFound("outbox_event", event_id)
    if event.delivered_at is not None:
        raise DomainError("outbox_event_delivered", "It was delivered: nothing to replay.")
    if not event.dead and event.attempts == 0:
        raise DomainError("outbox_event_pending", "It has not failed: the relay delivers it.")
    OutboxEvent.objects.filter(pk=event_id).update(
        dead=False,
        attempts=0,
        next_attempt_at=None,
        claimed_at=None,
        replayed_at=utcnow(),
        replayed_by=actor[:128],
        replay_reason=reason[:255],
    )
    event.refresh_from_db()
    return event
