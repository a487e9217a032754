"""Several `ordino worker` processes at once, the relay in queue mode and the database task
backend (docs/integrations.md, "The delivery engine"), on one database (SQLite, or PostgreSQL
when DATABASE_URL points at it): every (event, subscriber) task is claimed and run exactly once
(PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: an EXCLUSIVE transaction) and every event delivered."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from tests.concurrency.live import django_call

pytestmark = pytest.mark.concurrency

EVENTS = 60  # enough for three workers to race on every claim; fewer keeps CI short
WORKERS = 3


def test_each_subscriber_task_runs_once_with_workers_racing_in_separate_processes(
    live_db, tmp_path
):
    # given 60 due events, two subscribers each, and the database task backend
    live_db.env["ORDINO_TASKS_BACKEND"] = "database"
    assert django_call(live_db, "tests.concurrency.relay_scenario:events_emit", count=EVENTS) == (
        EVENTS
    )
    # when three worker processes start at the same instant and deliver everything
    log = tmp_path / "runs.log"
    start_at = time.time() + 3  # after every child has imported Django
    counts: list[int] = []

    def worker() -> None:
        counts.append(
            django_call(
                live_db,
                "tests.concurrency.task_scenario:work_until_delivered",
                log=str(log),
                start_at=start_at,
            )
        )

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then each subscriber ran once per event, and the workers' task counts add up to that
    runs = Counter(tuple(line.split()[:2]) for line in log.read_text().splitlines())
    assert len(runs) == 2 * EVENTS
    assert set(runs.values()) == {1}
    assert sum(counts) == 2 * EVENTS
