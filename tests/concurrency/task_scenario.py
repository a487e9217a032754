"""Django-side steps of the competing task workers race, run in child processes against the
race's own database (see live.django_call): `ordino worker`'s loop with the relay in queue mode
and the database task backend."""

from __future__ import annotations

import os
import time

from ordino.core.task_worker import database_tasks_run
from ordino.events import ports
from ordino.events.models import OutboxEvent
from ordino.events.relay import outbox_dispatch
from tests.concurrency.relay_scenario import RaceHappened

LOG = {"path": ""}


def _record(subscriber: str, event: RaceHappened) -> None:
    fd = os.open(LOG["path"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{event.number} {subscriber} {os.getpid()}\n".encode())
    finally:
        os.close(fd)


def label_print(event: RaceHappened) -> None:
    _record("label_print", event)


def carrier_notify(event: RaceHappened) -> None:
    _record("carrier_notify", event)


WIRED = {RaceHappened: [label_print, carrier_notify]}


def work_until_delivered(*, log: str, start_at: float) -> int:
    """One worker: wait for the common start, then relay (queue mode) and run due tasks until
    every event is delivered. Returns the tasks it ran."""
    LOG["path"] = log
    ports.outbox_subscribers.plug(lambda: WIRED)
    time.sleep(max(0.0, start_at - time.time()))
    ran_here = 0
    while OutboxEvent.objects.filter(delivered_at__isnull=True, dead=False).exists():
        outbox_dispatch(subscribers=WIRED, batch=20, mode="queue")
        ran, _ = database_tasks_run(worker_id=f"w{os.getpid()}", max_tasks=20)
        ran_here += ran
    return ran_here
