"""One channel order delivered twice at the same moment (two connectors, or a retry racing its
original after a lease takeover), without an Idempotency-Key to tell them apart, reaches two
server processes: one capture answers 201, the other 200 `replayed`, never a server error, and
the order exists once. Regression: on PostgreSQL the loser's insert hit the unique constraint on
(channel, external id) and answered 500.
"""

from __future__ import annotations

import threading
from collections import Counter

import httpx
import pytest

from tests.concurrency.live import django_call
from tests.concurrency.live import server as live_server
from tests.concurrency.test_no_oversell import order_body

pytestmark = pytest.mark.concurrency

PAIRS = 40


def test_the_same_order_sent_twice_at_once_is_taken_once_without_a_server_error(live_db):
    shop = django_call(live_db, "tests.concurrency.scenario:seed", skus=2, locations=1, units=500)
    headers = {"Authorization": f"Bearer {shop['token']}"}
    answers: dict[str, list[tuple[int, str]]] = {}
    with live_server(live_db, workers=2) as url:
        for n in range(PAIRS):
            body = order_body(f"TWICE-{n:03d}", [(shop["skus"][0], 1)])
            barrier = threading.Barrier(2)
            got: list[tuple[int, str]] = []

            def send(body=body, barrier=barrier, got=got) -> None:
                with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
                    barrier.wait()
                    response = client.post("/api/v1/orders", json=body)
                got.append((response.status_code, response.text[:200]))

            threads = [threading.Thread(target=send) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            answers[body["external_id"]] = got

    for ext, got in answers.items():
        assert sorted(code for code, _ in got) == [200, 201], (ext, got)
    found = django_call(live_db, "tests.concurrency.scenario:orders_by_external_id")
    assert Counter(len(ids) for ids in found.values()) == {1: PAIRS}
    stock = django_call(live_db, "tests.concurrency.scenario:stock_facts")
    assert stock["committed"] == stock["held"] == PAIRS
    assert stock["committed_not_held"] == []
