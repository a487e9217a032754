"""The outbox relay: hands every event to its subscribers (wiring.py), at least once.

Any number of relays may run: an event is claimed with a conditional update (a claim older
than the lease is taken over, its relay having died). A subscriber that fails is retried with
exponential backoff; after MAX_ATTEMPTS the event is marked dead and stays visible in the
console for a person to look at. Subscribers must be idempotent.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q

from ordino.core.domain.clock import utcnow
from ordino.events.models import OutboxEvent
from ordino.events.types import Event

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8

Subscriber = Callable[[Any], None]  # takes the event object of the class it is wired to


@dataclass(frozen=True)
class RelayedEvent:
    """The outbox row of the event being handed to subscribers: a subscriber that needs the
    event's identity (outbound webhooks: one message per event per endpoint) reads it with
    `outbox_event_relayed()`."""

    id: int
    name: str
    aggregate_type: str
    aggregate_id: int
    created_at: datetime


_relayed: ContextVar[RelayedEvent | None] = ContextVar("ordino_outbox_relayed", default=None)


def outbox_event_relayed() -> RelayedEvent | None:
    """The outbox event the relay is handing out now (None outside a subscriber's call)."""
    return _relayed.get()


def outbox_dispatch(
    *, subscribers: Mapping[type[Event], list[Subscriber]], batch: int = 100
) -> tuple[int, int]:
    """Deliver up to `batch` due events: each stored name is mapped back to its event class,
    and the event rebuilt from its payload is handed to that class's subscribers. An event no
    one subscribes to is simply marked delivered. Returns (delivered, failed)."""
    by_name = {cls.name: cls for cls in subscribers}
    now = utcnow()
    due = (
        OutboxEvent.objects.filter(delivered_at__isnull=True, dead=False)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
        .order_by("id")
        .values_list("id", flat=True)[:batch]
    )
    delivered = failed = 0
    for event_id in list(due):
        claimed = (
            OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
            .update(claimed_at=utcnow())
        )
        if not claimed:
            continue  # another relay has it
        event = OutboxEvent.objects.get(pk=event_id)
        try:
            cls = by_name.get(event.name)
            if cls is not None:
                typed = cls.from_payload(event.payload)
                token = _relayed.set(_relayed_of(event))
                try:
                    for subscriber in subscribers[cls]:
                        subscriber(typed)
                finally:
                    _relayed.reset(token)
        except Exception as exc:  # a subscriber's failure must not stop the others
            failed += 1
            attempts = event.attempts + 1
            log.warning("outbox event %s (%s) failed: %s", event.pk, event.name, exc)
            OutboxEvent.objects.filter(pk=event.pk).update(
                claimed_at=None,
                attempts=attempts,
                last_error="".join(traceback.format_exception(exc))[-4000:],
                next_attempt_at=utcnow() + timedelta(seconds=2**attempts),
                dead=attempts >= MAX_ATTEMPTS,
            )
            continue
        OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=utcnow(), claimed_at=None)
        delivered += 1
    return delivered, failed


def _relayed_of(event: OutboxEvent) -> RelayedEvent:
    return RelayedEvent(
        id=event.pk,
        name=event.name,
        aggregate_type=event.aggregate_type,
        aggregate_id=event.aggregate_id,
        created_at=event.created_at,
    )


def outbox_replay(*, event_id: int) -> None:
    """Give a dead (or delivered) event another go."""
    OutboxEvent.objects.filter(pk=event_id).update(
        delivered_at=None, dead=False, attempts=0, next_attempt_at=None, claimed_at=None
    )
