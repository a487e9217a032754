"""Exactly once, whatever a request waits for: a stock receipt held behind a row lock (or, on
SQLite, the write lock) for longer than the Idempotency-Key wait, and its retry with the same
key sent meanwhile to the other server process, apply the receipt once.

Regression: the key was claimed in a statement of its own and taken over after a lease; on
PostgreSQL a request waiting on a row lock past the lease let its retry run too, both answered
201 and the receipt was applied twice.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time

import httpx
import pytest

from tests.concurrency.live import django_call
from tests.concurrency.live import server as live_server

pytestmark = pytest.mark.concurrency

WAIT_SECONDS = 1  # the Idempotency-Key wait (and the old lease) on the server
HELD_SECONDS = 3.0  # how long the first request is held behind the lock
SERVER_ENV = {
    "ORDINO_IDEMPOTENCY_WAIT_SECONDS": str(WAIT_SECONDS),
    "ORDINO_IDEMPOTENCY_LEASE_SECONDS": str(WAIT_SECONDS),  # what older versions read
}
RECEIPT = {"location": "WH-1", "sku": "SKU-01", "quantity": 7, "reference": "PO-ONCE"}


@contextlib.contextmanager
def stock_locked(db):
    """Hold what a receipt must wait for: every balance row (PostgreSQL) or the write lock
    (SQLite), from a connection of the test's own."""
    if db.kind == "postgres":
        import psycopg

        with psycopg.connect(db.env["DATABASE_URL"]) as conn:
            conn.execute("SELECT id FROM inventory_stockbalance FOR UPDATE").fetchall()
            yield
            conn.rollback()
    else:
        conn = sqlite3.connect(db.data_dir / "ordino.sqlite3", isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()


def receipts_with_reference(*, reference: str) -> int:
    from ordino.inventory.models import StockMovement

    return StockMovement.objects.filter(reference=reference).count()


def test_a_retry_while_the_first_request_waits_on_a_lock_applies_the_receipt_once(live_db):
    shop = django_call(live_db, "tests.concurrency.scenario:seed", skus=1, locations=1, units=5)
    headers = {"Authorization": f"Bearer {shop['token']}", "Idempotency-Key": "receipt-1"}
    answers: dict[str, httpx.Response] = {}

    def send(name: str) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            answers[name] = client.post("/api/v1/inventory/receipts", json=RECEIPT)

    with live_server(live_db, workers=2, env=SERVER_ENV) as url:
        # Given a receipt that waits behind a lock held longer than the key's wait
        with stock_locked(live_db):
            first = threading.Thread(target=send, args=("first",))
            first.start()
            time.sleep(WAIT_SECONDS + 0.5)
            # When its retry with the same key reaches the other worker meanwhile
            retry = threading.Thread(target=send, args=("retry",))
            retry.start()
            time.sleep(HELD_SECONDS - WAIT_SECONDS - 0.5)
        first.join()
        retry.join()
        # and the client retries once more after the first answered
        send("late retry")

    if live_db.kind == "postgres":
        # Then the first is applied and answered 201 ...
        assert answers["first"].status_code == 201
        assert "Idempotent-Replayed" not in answers["first"].headers
        # the retry answered 409 in progress after the wait (it never ran) ...
        assert answers["retry"].status_code == 409
        assert answers["retry"].json()["code"] == "idempotency_in_progress"
    else:
        # Then SQLite queued both writers: whichever got the lock first ran, the other waited
        # for it and replayed its answer ...
        assert answers["first"].status_code == answers["retry"].status_code == 201
        replayed = sorted(
            answers[n].headers.get("Idempotent-Replayed", "") for n in ("first", "retry")
        )
        assert replayed == ["", "true"]
        assert answers["retry"].json()["movement_ids"] == answers["first"].json()["movement_ids"]
    # ... the late retry replays the first answer
    assert answers["late retry"].status_code == 201
    assert answers["late retry"].headers["Idempotent-Replayed"] == "true"
    assert answers["late retry"].json()["movement_ids"] == answers["first"].json()["movement_ids"]
    # and the receipt was applied exactly once
    assert django_call(live_db, f"{__name__}:receipts_with_reference", reference="PO-ONCE") == 1
