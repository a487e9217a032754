"""The relay's queue mode (ORDINO_RELAY_MODE=queue; docs/integrations.md, "The delivery engine").

The outbox stays the source of truth; the relay hands work to the queue. It claims a due event
(relay.py) and enqueues one `outbox_subscriber_run` task per subscriber that has not yet run to
its end for it (`OutboxSubscriberDone`). Each task runs its subscriber and records it done; the
last one to finish marks the event delivered. A failing subscriber releases the event's claim
with the relay's backoff (delivery.py), so the relay hands the event over again when it is due —
only its unfinished subscribers. A task lost with its worker (killed, a broker that lost the job)
is recovered the same way once the claim's lease lapses. Subscribers are idempotent: a task may
run twice (a worker killed after the subscriber, before the record), never zero times.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from django_tasks import task

from ordino.core.domain.clock import utcnow
from ordino.core.tasks import task_enqueue
from ordino.events.delivery import (
    Subscriber,
    error_text,
    outbox_delivered_mark,
    outbox_failure_record,
    subscriber_key,
)
from ordino.events.models import OutboxEvent, OutboxSubscriberDone
from ordino.events.ports import outbox_subscribers
from ordino.events.types import Event

log = logging.getLogger(__name__)

# A backend that refused the hand-over (a broker down): the event is due again after this, and
# the refusal counts no attempt (the subscribers never ran).
HANDOVER_RETRY = timedelta(seconds=30)


def event_hand_to_queue(
    *, event: OutboxEvent, subscribers: list[Subscriber], claim: datetime
) -> bool:
    """Enqueue a task for each of `subscribers` that has not run to its end for the claimed
    `event`; an event with none left is delivered at once. False when the backend refused."""
    done = set(
        OutboxSubscriberDone.objects.filter(event=event).values_list("subscriber", flat=True)
    )
    pending = [key for key in map(subscriber_key, subscribers) if key not in done]
    if not pending:
        outbox_delivered_mark(event_id=event.pk)
        return True
    for key in pending:
        if task_enqueue(outbox_subscriber_run, event.pk, key, claim.isoformat()) is None:
            outbox_failure_record(
                event=event,
                error=f"{key}: the task backend refused the hand-over (see the worker's log)",
                claim=claim,
                count_attempt=False,
                retry_in=HANDOVER_RETRY,
            )
            return False
    return True


@task()
def outbox_subscriber_run(event_id: int, subscriber: str, claim: str) -> str:
    """Run one subscriber of one outbox event, once; what happened, for the task's result."""
    event = OutboxEvent.objects.filter(pk=event_id).first()
    if event is None or event.delivered_at is not None or event.dead:
        return "skipped: delivered, dead or gone"
    wired = outbox_subscribers()
    if OutboxSubscriberDone.objects.filter(event=event, subscriber=subscriber).exists():
        event_deliver_if_done(event=event, wired=wired)
        return "skipped: done before"
    cls = next((c for c in wired if c.name == event.name), None)
    run = {subscriber_key(s): s for s in wired.get(cls, [])} if cls else {}
    if subscriber in run:
        try:
            run[subscriber](cls.from_payload(event.payload))
        except Exception as exc:
            log.warning("outbox event %s failed in %s: %s", event_id, subscriber, exc)
            outbox_failure_record(
                event=event,
                error=f"{subscriber}: {error_text(exc)}",
                claim=datetime.fromisoformat(claim),
            )
            raise  # the backend records the task as failed too
    else:
        log.warning("outbox event %s: %s is no longer wired, counted done", event_id, subscriber)
    OutboxSubscriberDone.objects.bulk_create(
        [OutboxSubscriberDone(event=event, subscriber=subscriber, done_at=utcnow())],
        ignore_conflicts=True,  # a twin task finished first
    )
    event_deliver_if_done(event=event, wired=wired)
    return "ran"


def event_deliver_if_done(
    *, event: OutboxEvent, wired: Mapping[type[Event], list[Subscriber]]
) -> bool:
    """Mark `event` delivered once every subscriber wired to it has run. Read after this task's
    own record committed: of two twins finishing together, the later one sees both."""
    cls = next((c for c in wired if c.name == event.name), None)
    wanted = {subscriber_key(s) for s in wired.get(cls, [])} if cls else set()
    done = set(
        OutboxSubscriberDone.objects.filter(event=event).values_list("subscriber", flat=True)
    )
    return wanted <= done and outbox_delivered_mark(event_id=event.pk)
