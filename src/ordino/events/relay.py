"""The outbox relay: hands every event to its subscribers (wiring.py), at least once.

Any number of relays may run: an event is claimed with a conditional update (a claim older
than the lease is taken over, its relay having died). A subscriber that fails is retried with
exponential backoff; after MAX_ATTEMPTS the event is marked dead and stays visible in the
console for a person to look at. Subscribers must be idempotent.

Two modes (settings.ORDINO_RELAY_MODE): `inline`, the relay calls the subscribers itself; `queue`,
it hands one task per subscriber to the task backend (tasks.py; docs/integrations.md, "The
delivery engine") and the event is delivered when every one of them has run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.conf import settings
from django.db.models import Q

from ordino.core.domain.clock import utcnow
from ordino.events.delivery import (
    LEASE,
    MAX_ATTEMPTS,
    Subscriber,
    error_text,
    outbox_delivered_mark,
    outbox_failure_record,
)
from ordino.events.models import OutboxEvent, OutboxSubscriberDone
from ordino.events.tasks import event_hand_to_queue
from ordino.events.types import Event

log = logging.getLogger(__name__)

__all__ = ["LEASE", "MAX_ATTEMPTS", "Subscriber", "outbox_dispatch", "outbox_replay"]


def outbox_dispatch(
    *,
    subscribers: Mapping[type[Event], list[Subscriber]],
    batch: int = 100,
    mode: str | None = None,
) -> tuple[int, int]:
    """Deliver (inline) or hand to the task queue (queue) up to `batch` due events: each stored
    name is mapped back to its event class, and the event rebuilt from its payload is handed to
    that class's subscribers. An event no one subscribes to is simply marked delivered. Returns
    (delivered or handed over, failed)."""
    mode = mode or settings.ORDINO_RELAY_MODE
    by_name = {cls.name: cls for cls in subscribers}
    now = utcnow()
    due = (
        OutboxEvent.objects.filter(delivered_at__isnull=True, dead=False)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
        .order_by("id")
        .values_list("id", flat=True)[:batch]
    )
    done = failed = 0
    for event_id in list(due):
        claim = utcnow()
        claimed = (
            OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
            .update(claimed_at=claim)
        )
        if not claimed:
            continue  # another relay has it
        event = OutboxEvent.objects.get(pk=event_id)
        cls = by_name.get(event.name)
        theirs = subscribers[cls] if cls is not None else []
        if mode == "queue":
            ok = event_hand_to_queue(event=event, subscribers=theirs, claim=claim)
        else:
            ok = event_deliver_inline(event=event, cls=cls, subscribers=theirs)
        done, failed = done + ok, failed + (not ok)
    return done, failed


def event_deliver_inline(
    *, event: OutboxEvent, cls: type[Event] | None, subscribers: list[Subscriber]
) -> bool:
    try:
        if cls is not None:
            typed = cls.from_payload(event.payload)
            for subscriber in subscribers:
                subscriber(typed)
    except Exception as exc:  # a subscriber's failure must not stop the others
        log.warning("outbox event %s (%s) failed: %s", event.pk, event.name, exc)
        outbox_failure_record(event=event, error=error_text(exc))
        return False
    outbox_delivered_mark(event_id=event.pk)
    return True


def outbox_replay(*, event_id: int) -> None:
    """Give a dead (or delivered) event another go: every subscriber runs again, in either mode."""
    OutboxSubscriberDone.objects.filter(event_id=event_id).delete()
    OutboxEvent.objects.filter(pk=event_id).update(
        delivered_at=None, dead=False, attempts=0, next_attempt_at=None, claimed_at=None
    )
