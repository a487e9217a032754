"""Django-side steps of the competing-relays race, run in child processes against the race's own
database (see live.django_call)."""

from __future__ import annotations

import dataclasses
import os
import time

from ordino.events.models import OutboxEvent
from ordino.events.relay import outbox_dispatch
from ordino.events.services import event_emit
from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class RaceHappened(Event):
    name = "test.race_happened"
    aggregate_type = "race"

    number: int  # unique per event: the race's log names deliveries by it


def events_emit(*, count: int) -> int:
    for n in range(count):
        event_emit(event=RaceHappened(number=n + 1), aggregate_id=n + 1)
    return OutboxEvent.objects.count()


def relay_until_empty(*, log: str, start_at: float) -> int:
    """One relay: wait for the common start, then deliver until nothing is due. Each delivery
    appends '<event number> <pid>' to `log` (O_APPEND: lines from several processes never mix)."""

    def record(event: RaceHappened) -> None:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{event.number} {os.getpid()}\n".encode())
        finally:
            os.close(fd)

    time.sleep(max(0.0, start_at - time.time()))
    delivered_here = 0
    while True:
        delivered, _ = outbox_dispatch(subscribers={RaceHappened: [record]}, batch=20)
        delivered_here += delivered
        if not OutboxEvent.objects.filter(delivered_at__isnull=True, dead=False).exists():
            return delivered_here
