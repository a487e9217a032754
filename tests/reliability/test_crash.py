"""Crash test: the server is killed with SIGKILL (master and workers at once) at random moments
while clients ingest orders, and restarted, again and again. Clients remember which orders were
acknowledged (a 2xx) and send every other one again, with the same Idempotency-Key, until it is.

Afterwards: every acknowledged order is there under the id it was acknowledged with, none is
doubled, every reservation is held by an open fulfillment line (and every open item is
reserved), the ledger check is clean and, on SQLite, the file passes its integrity checks.

Runs on a throwaway SQLite file, or on a fresh PostgreSQL database when DATABASE_URL points at
PostgreSQL (see tests/concurrency/live.py).
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from tests.concurrency.live import (
    LiveServer,
    django_call,
    inventory_check,
    live_database,
)
from tests.concurrency.test_no_oversell import _transient, assert_stock_sound, order_body

pytestmark = pytest.mark.concurrency

SEED = 20240612
KILLS = 20
CLIENTS = 6
WORKERS = 2
SKUS = 12
KITS = 3
LOCATIONS = 3
UNITS = 60
KILL_AFTER = (0.0, 0.6)  # seconds after the restarted server first acknowledged an order


@pytest.fixture
def live_db(tmp_path):
    with live_database(tmp_path) as db:
        yield db


@dataclass
class Sent:
    body: dict
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    attempts: int = 0


class Ingest:
    """Client threads that capture orders and keep, each, the orders not yet acknowledged.

    An order is acknowledged by a 2xx; a broken connection, a 5xx, a 429 or a transient 409
    (such as `idempotency_in_progress` while a dead worker's claim has not expired) leave it
    unacknowledged, and the client sends it again later with the same key. Any other answer is
    a failure of the test.
    """

    def __init__(self, url: str, token: str, items: list[str], *, seed: int) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.items = items
        self.seed = seed
        self.lock = threading.Lock()
        self.next_no = 0
        self.accepting = True  # new orders are started while True
        self.acked: dict[str, int] = {}  # external id → order id acknowledged
        self.sent: dict[str, Sent] = {}
        self.in_flight = 0
        self.outcomes: Counter[str] = Counter()
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(CLIENTS)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self, timeout: float) -> None:
        """Start no new order; wait until every one sent is acknowledged."""
        self.accepting = False
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        alive = sum(thread.is_alive() for thread in self.threads)
        assert not alive, f"{alive} clients still have unacknowledged orders: {self.outcomes}"

    def _new(self) -> Sent | None:
        with self.lock:
            if not self.accepting:
                return None
            n = self.next_no
            self.next_no += 1
        rng = random.Random(self.seed * 100_003 + n)
        lines = [(sku, rng.randint(1, 3)) for sku in rng.sample(self.items, rng.randint(1, 3))]
        sent = Sent(order_body(f"CRASH-{n:05d}", lines))
        with self.lock:
            self.sent[sent.body["external_id"]] = sent
        return sent

    def _run(self) -> None:
        pending: list[Sent] = []  # this client's unacknowledged orders
        rng = random.Random()
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=30) as client:
            while True:
                sent = pending.pop(0) if pending else self._new()
                if sent is None:
                    return
                if self._post(client, sent):
                    continue
                pending.append(sent)
                time.sleep(0.05 + 0.15 * rng.random())

    def _post(self, client: httpx.Client, sent: Sent) -> bool:
        sent.attempts += 1
        with self.lock:
            self.in_flight += 1
        try:
            response = client.post(
                "/api/v1/orders", json=sent.body, headers={"Idempotency-Key": sent.key}
            )
        except httpx.TransportError as exc:
            self._count(type(exc).__name__)
            return False
        finally:
            with self.lock:
                self.in_flight -= 1
        why = _transient(response)
        if why is not None:
            self._count(why)
            return False
        ext = sent.body["external_id"]
        if not response.is_success:
            self._count(str(response.status_code))
            with self.lock:
                self.failures.append(f"{ext}: {response.status_code} {response.text[:300]}")
            return True  # a final answer, and a wrong one: the test fails on it
        replayed = response.headers.get("Idempotent-Replayed") == "true"
        self._count(f"{response.status_code}{' replayed' if replayed else ''}")
        with self.lock:
            self.acked[ext] = response.json()["id"]
        return True

    def _count(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1


def _wait_for_ack(ingest: Ingest, before: int, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(ingest.acked) > before:
            return True
        time.sleep(0.02)
    return False


def test_sigkilled_server_loses_and_doubles_nothing(live_db):
    started = time.monotonic()
    shop = django_call(
        live_db,
        "tests.concurrency.scenario:seed",
        skus=SKUS,
        locations=LOCATIONS,
        units=UNITS,
        kits=KITS,
    )
    rng = random.Random(SEED)
    live = LiveServer(live_db, workers=WORKERS)
    ingest = Ingest(live.url, shop["token"], shop["skus"] + shop["kits"], seed=SEED)
    kills: list[tuple[float, int]] = []  # (delay, requests in flight when killed)
    boots: list[float] = []  # seconds from a (re)start to the first acknowledgement
    try:
        assert live.start(), (live.log.read_text()[-4000:], "the server did not start")
        ingest.start()
        for _ in range(KILLS):
            acked, restarted = len(ingest.acked), time.monotonic()
            assert _wait_for_ack(ingest, acked), (
                f"no order acknowledged: {ingest.outcomes}\n{live.log.read_text()[-4000:]}"
            )
            boots.append(time.monotonic() - restarted)
            delay = rng.uniform(*KILL_AFTER)
            time.sleep(delay)
            kills.append((round(delay, 2), ingest.in_flight))
            live.kill()
            # no waiting for readiness: the clients' next acknowledgement says it serves again
            live.start(wait=False)
        ingest.finish(timeout=60)
        # an acknowledged order sent again with its key is answered from the stored response
        client = httpx.Client(base_url=live.url, headers=ingest.headers, timeout=30)
        for ext in random.Random(SEED + 1).sample(sorted(ingest.acked), 20):
            sent = ingest.sent[ext]
            again = client.post(
                "/api/v1/orders", json=sent.body, headers={"Idempotency-Key": sent.key}
            )
            assert again.is_success and again.json()["id"] == ingest.acked[ext], again.text
        client.close()
    finally:
        ingest.accepting = False
        live.stop()

    assert live.kills >= KILLS
    assert ingest.failures == [], ingest.failures[:5]
    sent_ids = set(ingest.sent)
    assert set(ingest.acked) == sent_ids  # every order was acknowledged in the end

    found = django_call(live_db, "tests.concurrency.scenario:orders_by_external_id")
    lost = sorted(ext for ext in ingest.acked if ext not in found)
    assert lost == [], f"acknowledged orders lost: {lost[:10]}"
    doubled = {ext: ids for ext, ids in found.items() if len(ids) > 1}
    assert doubled == {}, f"orders taken twice: {list(doubled.items())[:10]}"
    moved = {
        ext: (ingest.acked[ext], ids) for ext, ids in found.items() if ids[0] != ingest.acked[ext]
    }
    assert moved == {}, f"acknowledged with another id: {list(moved.items())[:10]}"
    assert set(found) == sent_ids  # nothing but what was sent

    facts = django_call(live_db, "tests.concurrency.scenario:facts")
    assert facts["orders"] == facts["distinct_external_ids"] == len(sent_ids)
    assert facts["duplicates"] == []
    stock = assert_stock_sound(live_db, facts)  # no oversell, no orphaned reservation, ledger
    assert stock["committed"] > 0
    assert inventory_check(live_db)["ok"]
    if live_db.kind == "sqlite":
        path = live_db.data_dir / "ordino.sqlite3"
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()

    keys = django_call(live_db, "tests.concurrency.scenario:idempotency_facts")
    # every key ended with its answer stored: no claim is left behind by a killed worker
    assert keys["states"] == {"done": len(sent_ids)}, keys

    in_flight = sum(1 for _delay, n in kills if n)
    cut = ingest.outcomes["RemoteProtocolError"] + ingest.outcomes["ReadError"]
    print(
        f"\n{live_db.kind}: {live.kills} kills ({in_flight} with requests in flight, {cut} "
        f"requests cut mid-way), mean restart-to-first-ack {sum(boots) / len(boots):.1f} s, "
        f"{len(sent_ids)} orders, {sum(s.attempts for s in ingest.sent.values())} attempts, "
        f"outcomes {dict(ingest.outcomes)}, statuses {facts['statuses']}, "
        f"{time.monotonic() - started:.0f} s"
    )
