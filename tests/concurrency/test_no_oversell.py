"""Races real server processes against a real database: many clients capture (and cancel) orders
at once, and afterwards every order exists exactly once and no unit of stock is promised twice.

Runs on a throwaway SQLite file, or, when DATABASE_URL points at PostgreSQL, on a fresh
`ordino_conc_<random>` database on that server (created and dropped here).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.concurrency.live import django_call, inventory_check
from tests.concurrency.live import server as live_server

pytestmark = pytest.mark.concurrency

CLIENTS = 16
ORDERS = 2_000
SKUS = 20
LOCATIONS = 3
UNITS = 50
SEED = 20240611
RETRYABLE = frozenset({429, 500, 502, 503, 504})
# 409s that say "try again": the key is still being processed, or stock moved under us
TRANSIENT_CONFLICTS = frozenset(
    {"idempotency_in_progress", "stock_contention", "stock_busy", "order_changed"}
)


class Clients:
    """HTTP clients, one per thread, that retry a request with the same Idempotency-Key until it
    gets a final answer (not a transient 409, a 5xx or a broken connection)."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.local = threading.local()
        self.retries: Counter[str] = Counter()
        self.lock = threading.Lock()

    def client(self) -> httpx.Client:
        if not hasattr(self.local, "client"):
            self.local.client = httpx.Client(
                base_url=self.base_url, headers=self.headers, timeout=60
            )
        return self.local.client

    def post(self, path: str, body: dict, *, key: str | None = None) -> httpx.Response:
        key = key or uuid.uuid4().hex
        for attempt in range(60):
            try:
                response = self.client().post(path, json=body, headers={"Idempotency-Key": key})
            except httpx.TransportError as exc:
                self._retried(type(exc).__name__)
            else:
                why = _transient(response)
                if why is None:
                    return response
                self._retried(why)
            time.sleep(min(0.5, 0.01 * 2**attempt) * random.random())
        raise AssertionError(f"POST {path} kept failing: last answer {response.status_code}")

    def _retried(self, why: str) -> None:
        with self.lock:
            self.retries[why] += 1


def _transient(response: httpx.Response) -> str | None:
    if response.status_code in RETRYABLE:
        return str(response.status_code)
    if response.status_code == 409 and response.headers.get("Idempotent-Replayed") != "true":
        code = response.json().get("code")
        return f"409 {code}" if code in TRANSIENT_CONFLICTS else None
    return None


def order_body(external_id: str, lines: list[tuple[str, int]]) -> dict:
    return {
        "channel": "web",
        "external_id": external_id,
        "currency": "EUR",
        "customer": {"email": f"{external_id.lower()}@example.com"},
        "shipping_address": {"line1": "Hauptstr. 1", "city": "Berlin", "country": "DE"},
        "lines": [{"sku": sku, "quantity": qty, "unit_price": "9.90"} for sku, qty in lines],
    }


def orders_make(skus: list[str], count: int, *, prefix: str, rng: random.Random) -> list[dict]:
    return [
        order_body(
            f"{prefix}-{n:05d}",
            [(sku, rng.randint(1, 3)) for sku in rng.sample(skus, rng.randint(1, 3))],
        )
        for n in range(count)
    ]


def assert_stock_sound(db, facts: dict) -> dict:
    for b in facts["balances"]:
        assert b["committed"] >= 0 and b["on_hand"] >= 0, b
        assert b["committed"] <= b["on_hand"] - b["unavailable"], f"oversold: {b}"
    for ext, _sku, ordered, cancelled, allocated, backordered in facts["lines"]:
        assert ordered == cancelled + allocated + backordered, ext
        assert min(allocated, backordered, cancelled) >= 0, ext
    # each line's allocated items are the open items of its fulfillment lines, and each balance's
    # committed units are exactly what open fulfillment-line items hold there (no orphan)
    assert facts["mismatched_allocations"] == [], "allocated differs from open fulfillment lines"
    stock = django_call(db, "tests.concurrency.scenario:stock_facts")
    assert stock["committed_not_held"] == [], (
        "committed differs from the open fulfillment-line items holding it "
        "[location, sku, committed, held]"
    )
    check = inventory_check(db)
    assert check["ok"], f"ledger and balances differ:\n{check['output']}"
    return stock


def test_concurrent_captures_never_oversell_and_each_order_is_taken_once(live_db):
    shop = django_call(
        live_db, "tests.concurrency.scenario:seed", skus=SKUS, locations=LOCATIONS, units=UNITS
    )
    orders = orders_make(shop["skus"], ORDERS, prefix="RACE", rng=random.Random(SEED))
    demand: dict[str, int] = defaultdict(int)
    for order in orders:
        for line in order["lines"]:
            demand[line["sku"]] += line["quantity"]
    assert all(demand[sku] > LOCATIONS * UNITS for sku in shop["skus"])  # the race is for stock

    with live_server(live_db, workers=2) as url:
        clients = Clients(url, shop["token"])
        with ThreadPoolExecutor(CLIENTS) as pool:
            responses = list(pool.map(lambda o: clients.post("/api/v1/orders", o), orders))

    assert Counter(r.status_code for r in responses) == {201: ORDERS}, [
        (r.status_code, r.text[:300]) for r in responses if r.status_code != 201
    ][:5]
    assert len({r.json()["id"] for r in responses}) == ORDERS
    facts = django_call(live_db, "tests.concurrency.scenario:facts")
    assert facts["orders"] == facts["distinct_external_ids"] == ORDERS
    assert facts["duplicates"] == []
    assert_stock_sound(live_db, facts)
    stock = LOCATIONS * UNITS
    assert facts["reserved_by_sku"] == {sku: min(demand[sku], stock) for sku in shop["skus"]}
    for b in facts["balances"]:  # demand exceeds stock everywhere: all of it is promised
        assert (b["on_hand"], b["committed"]) == (UNITS, UNITS), b
    print(f"\nretries: {dict(clients.retries)}; statuses: {facts['statuses']}")


def test_concurrent_cancels_release_exactly_once_beside_new_captures(live_db):
    shop = django_call(live_db, "tests.concurrency.scenario:seed", skus=5, locations=2, units=20)
    rng = random.Random(SEED + 1)
    first = orders_make(shop["skus"], 60, prefix="FIRST", rng=rng)
    later = orders_make(shop["skus"], 120, prefix="LATER", rng=rng)

    with live_server(live_db, workers=2) as url:
        clients = Clients(url, shop["token"])
        with ThreadPoolExecutor(8) as pool:
            captured = list(pool.map(lambda o: clients.post("/api/v1/orders", o), first))
            assert {r.status_code for r in captured} == {201}
            ids = [r.json()["id"] for r in captured[:40]]
            # every one of 40 orders is cancelled twice at once (two keys: two cancel attempts),
            # while new orders compete for the stock the cancels give back
            jobs = [("cancel", i) for i in ids for _ in range(2)] + [("capture", o) for o in later]
            rng.shuffle(jobs)

            def run(job):
                kind, arg = job
                if kind == "cancel":
                    return kind, arg, clients.post(f"/api/v1/orders/{arg}/cancel", {})
                return kind, arg, clients.post("/api/v1/orders", arg)

            results = list(pool.map(run, jobs))

    cancels: dict[int, list[int]] = defaultdict(list)
    for kind, arg, response in results:
        if kind == "cancel":
            cancels[arg].append(response.status_code)
        else:
            assert response.status_code == 201, response.text
    for order_id, codes in cancels.items():
        # exactly one of the two cancels did it; the other was refused (already cancelled)
        assert sorted(codes)[0] == 200 and codes.count(200) == 1, (order_id, codes)
        assert all(c == 200 or 400 <= c < 500 for c in codes), (order_id, codes)

    facts = django_call(live_db, "tests.concurrency.scenario:facts")
    assert facts["orders"] == facts["distinct_external_ids"] == 180
    stock = assert_stock_sound(live_db, facts)
    cancelled_ids = set(ids)
    for reference, moved in stock["ledger_by_order"].items():
        order_id = int(reference.split(":")[1])
        expected = moved["reserve"] if order_id in cancelled_ids else 0
        assert moved["release"] == expected, (reference, moved)
    cancelled_lines = [row for row in facts["lines"] if row[0].startswith("FIRST") and row[3]]
    assert sum(row[3] for row in cancelled_lines) == sum(
        sum(line["quantity"] for line in o["lines"]) for o in first[:40]
    )
