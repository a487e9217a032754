"""Several `ordino worker` relays at once on one database (SQLite, or PostgreSQL when
DATABASE_URL points at it): every event is handed to its subscriber exactly once when no relay
dies (the claim is a conditional update; docs/architecture.md, Transactions and concurrency)."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from tests.concurrency.live import django_call

pytestmark = pytest.mark.concurrency

EVENTS = 300
RELAYS = 3


def test_each_event_is_delivered_once_by_relays_racing_in_separate_processes(live_db, tmp_path):
    # given 300 due events
    assert django_call(live_db, "tests.concurrency.relay_scenario:events_emit", count=EVENTS) == (
        EVENTS
    )
    # when three relay processes start at the same instant and drain the outbox
    log = tmp_path / "deliveries.log"
    start_at = time.time() + 3  # after every child has imported Django
    counts: list[int] = []

    def relay() -> None:
        counts.append(
            django_call(
                live_db,
                "tests.concurrency.relay_scenario:relay_until_empty",
                log=str(log),
                start_at=start_at,
            )
        )

    threads = [threading.Thread(target=relay) for _ in range(RELAYS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every event was delivered exactly once, and the relays' counts add up to that
    lines = log.read_text().split()
    deliveries = Counter(int(event_id) for event_id in lines[0::2])
    assert len(deliveries) == EVENTS
    assert set(deliveries.values()) == {1}
    assert sum(counts) == EVENTS
