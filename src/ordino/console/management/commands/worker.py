"""`ordino worker`: the background worker. Relays the outbox to its subscribers (inline, or as
tasks: ORDINO_RELAY_MODE), runs the periodic jobs (uncollected pickups, expired
Idempotency-Keys, ...) and, with the database task backend (the default), the due tasks. Run as
many as you like, on as many machines as share the database (docs/operations.md, "Workers").

With the rq backend, tasks run in RQ workers: `ordino worker --tasks-only` is one (run several);
`ordino worker` itself then relays and runs the periodic jobs only."""

from __future__ import annotations

import os
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from ordino.core.task_worker import database_tasks_run, rq_worker_run, worker_id_new
from ordino.core.tasks import tasks_backend_name
from ordino.events.relay import outbox_dispatch
from ordino.wiring import PERIODIC, SUBSCRIBERS

TASKS_PER_PASS = 100  # then the relay and the periodic jobs get their turn


class Command(BaseCommand):
    help = "Run the background worker (outbox relay, periodic jobs, tasks)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="stop when the process that started this one (ordino serve) stops",
        )
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--tasks-only",
            action="store_true",
            help="run tasks only, no relay nor periodic jobs (with rq: an RQ worker)",
        )
        which.add_argument(
            "--no-tasks",
            action="store_true",
            help="relay and periodic jobs only: tasks run in `ordino worker --tasks-only`",
        )

    def handle(self, *args, once: bool, interval: float, exit_with_parent: bool, **options):
        backend = tasks_backend_name()
        if options["tasks_only"] and backend == "rq":
            self.stdout.write("ordino worker: an RQ worker on the task queues (Ctrl-C to stop)")
            rq_worker_run(burst=once)
            return
        relaying = not options["tasks_only"]
        running_tasks = backend == "database" and not options["no_tasks"]
        parent = os.getppid()
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        last_run = dict.fromkeys(range(len(PERIODIC)), 0.0)
        worker_id = worker_id_new()
        if not once:
            doing = ["relaying the outbox"] * relaying
            doing += [f"running {backend} tasks"] * running_tasks
            self.stdout.write(f"ordino worker: {', '.join(doing)} (Ctrl-C to stop)")
            if relaying and backend == "rq":
                self.stdout.write("tasks run in RQ workers: ordino worker --tasks-only")
        while not stopping and not (exit_with_parent and os.getppid() != parent):
            busy = relaying and self.relay_pass(once=once, last_run=last_run)
            if running_tasks:
                ran, failed = database_tasks_run(worker_id=worker_id, max_tasks=TASKS_PER_PASS)
                if ran:
                    self.stdout.write(f"tasks: {ran} run, {failed} failed")
                busy = busy or ran > 0
            if once:
                return
            if not busy:
                time.sleep(interval)

    def relay_pass(self, *, once: bool, last_run: dict[int, float]) -> bool:
        delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
        for i, (every, what, job) in enumerate(PERIODIC):
            if once or time.monotonic() - last_run[i] >= every:
                last_run[i] = time.monotonic()
                done = job()
                if done:
                    self.stdout.write(f"{what}: {done}")
        if delivered or failed:
            queued = settings.ORDINO_RELAY_MODE == "queue"
            verb = "handed to the task queue" if queued else "delivered"
            self.stdout.write(f"outbox: {delivered} {verb}, {failed} failed")
        return delivered > 0
