"""`ordino worker`: the background worker. Relays the outbox to its subscribers, and runs the
periodic jobs (uncollected pickups, expired Idempotency-Keys). Run as many as you like."""

from __future__ import annotations

import os
import signal
import time

from django.core.management.base import BaseCommand

from ordino.events.relay import outbox_dispatch
from ordino.wiring import PERIODIC, SUBSCRIBERS


class Command(BaseCommand):
    help = "Run the background worker (outbox relay and periodic jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="stop when the process that started this one (ordino serve) stops",
        )

    def handle(self, *args, once: bool, interval: float, exit_with_parent: bool, **options):
        parent = os.getppid()
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        last_run = dict.fromkeys(range(len(PERIODIC)), 0.0)
        if not once:
            self.stdout.write("ordino worker: relaying the outbox (Ctrl-C to stop)")
        while not stopping and not (exit_with_parent and os.getppid() != parent):
            delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
            for i, (every, what, job) in enumerate(PERIODIC):
                if once or time.monotonic() - last_run[i] >= every:
                    last_run[i] = time.monotonic()
                    done = job()
                    if done:
                        self.stdout.write(f"{what}: {done}")
            if delivered or failed:
                self.stdout.write(f"outbox: {delivered} delivered, {failed} failed")
            if once:
                return
            if not delivered:
                time.sleep(interval)
