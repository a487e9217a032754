"""An outbox event's delivery bookkeeping, shared by the relay's two modes (relay.py, tasks.py):
the lease of a claim, the backoff of a failure, when it is given up, and how a subscriber is
named across processes."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ordino.core.domain.clock import utcnow
from ordino.events.models import OutboxEvent

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8

Subscriber = Callable[[Any], None]  # takes the event object of the class it is wired to


def subscriber_key(subscriber: Subscriber) -> str:
    """The name a task carries to find the subscriber again in another process."""
    module = getattr(subscriber, "__module__", None) or type(subscriber).__module__
    return f"{module}.{getattr(subscriber, '__qualname__', type(subscriber).__qualname__)}"[:255]


def error_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))[-4000:]


def outbox_failure_record(
    *,
    event: OutboxEvent,
    error: str,
    claim: datetime | None = None,
    count_attempt: bool = True,
    retry_in: timedelta | None = None,
) -> bool:
    """Release `event`'s claim after a failure: due again after the backoff (2^attempts s, or
    `retry_in`), dead after MAX_ATTEMPTS. Only if the event is as it was read (`attempts`) and,
    given `claim`, still under that claim: a twin task's failure in the same round, or a stale
    task whose claim was taken over, counts no second attempt. Returns whether it was recorded."""
    attempts = event.attempts + (1 if count_attempt else 0)
    rows = OutboxEvent.objects.filter(
        pk=event.pk, attempts=event.attempts, delivered_at__isnull=True
    )
    if claim is not None:
        rows = rows.filter(claimed_at=claim)
    return bool(
        rows.update(
            claimed_at=None,
            attempts=attempts,
            last_error=error[-4000:],
            next_attempt_at=utcnow() + (retry_in or timedelta(seconds=2**attempts)),
            dead=attempts >= MAX_ATTEMPTS,
        )
    )


def outbox_delivered_mark(*, event_id: int) -> bool:
    return bool(
        OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=True).update(
            delivered_at=utcnow(), claimed_at=None
        )
    )
