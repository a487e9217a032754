"""Django-side steps of the competing-relays race, run in child processes against the race's own
database (see live.django_call)."""

from __future__ import annotations

import os
import time

from ordino.events.models import OutboxEvent
from ordino.events.relay import outbox_dispatch
from ordino.events.services import event_emit


def events_emit(*, count: int) -> int:
    for n in range(count):
        event_emit(name="race.happened", aggregate_type="race", aggregate_id=n + 1, payload={})
    return OutboxEvent.objects.count()


def relay_until_empty(*, log: str, start_at: float) -> int:
    """One relay: wait for the common start, then deliver until nothing is due. Each delivery
    appends '<event id> <pid>' to `log` (O_APPEND: lines from several processes never mix)."""

    def record(event: OutboxEvent) -> None:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{event.pk} {os.getpid()}\n".encode())
        finally:
            os.close(fd)

    time.sleep(max(0.0, start_at - time.time()))
    delivered_here = 0
    while True:
        delivered, _ = outbox_dispatch(subscribers={"race.happened": [record]}, batch=20)
        delivered_here += delivered
        if not OutboxEvent.objects.filter(delivered_at__isnull=True, dead=False).exists():
            return delivered_here
