"""A worker killed between the provider's answer and the commit of it (issue 10, "Rules it must
keep"): for an authorization, a capture and a refund, a real worker process dies with SIGKILL
right after the test provider did the call; the worker started again redelivers the event and
the retry job sends the pending transaction again with its idempotency key. Never a double
charge or refund: the test provider records every call by key, and each key moved money once.

Runs on a throwaway SQLite file, or on a fresh PostgreSQL database when DATABASE_URL points at
PostgreSQL (tests/concurrency/live.py). The steps run in child processes:
tests/reliability/payment_crash_steps.py."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from tests.concurrency.live import REPO, django_call, live_database

pytestmark = pytest.mark.concurrency

STEPS = "tests.reliability.payment_crash_steps"


@pytest.fixture
def live_db(tmp_path):
    with live_database(tmp_path) as db:
        yield db


def killed(db, hours: int) -> None:
    """Run the worker that dies at its first provider answer; it must have died so."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.concurrency.live", f"{STEPS}:worker_killed",
         json.dumps({"hours": hours})],
        env=db.env, cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == -signal.SIGKILL, (
        f"the worker was to die at a provider's answer ({result.returncode}):\n"
        f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    )


def call(db, step: str, **kwargs):
    return django_call(db, f"{STEPS}:{step}", **kwargs)


@pytest.mark.parametrize("token", ["tok_approve", "tok_lost_answer", "tok_fail_then_ok"])
def test_a_killed_worker_never_charges_or_refunds_twice(live_db, token):
    # given an order for 59.97 EUR paid by a test card whose calls `token` scripts
    order_id = call(live_db, "setup", token=token)["order_id"]

    # when the worker authorizing it dies right after the provider answered, and starts again
    killed(live_db, hours=0)
    call(live_db, "worker", hours=0)
    # then one authorization: one key at the provider, done once, recorded as succeeded
    money = call(live_db, "money", order_id=order_id)
    assert money["txns"] == [["authorize", "succeeded", "59.970"]]
    assert [(kind, outcome) for kind, _, outcome, _ in money["calls"]] == [
        ("authorize", "succeeded")
    ]

    # when the order ships and the worker capturing it dies likewise, and starts again
    call(live_db, "ship", order_id=order_id)
    killed(live_db, hours=1)
    call(live_db, "worker", hours=1)
    # then one capture of 59.97: the redelivered shipment opened no second one
    money = call(live_db, "money", order_id=order_id)
    assert money["txns"] == [
        ["authorize", "succeeded", "59.970"],
        ["capture", "succeeded", "59.970"],
    ]
    assert [(kind, outcome, amount) for kind, _, outcome, amount in money["calls"]] == [
        ("authorize", "succeeded", "59.970"),
        ("capture", "succeeded", "59.970"),
    ]

    # when two tees are refunded and the worker sending the refund dies likewise, and restarts
    call(live_db, "refund", order_id=order_id)
    killed(live_db, hours=2)
    call(live_db, "worker", hours=2)
    # then one refund of 39.98, sent under one key, moved once
    money = call(live_db, "money", order_id=order_id)
    assert money["txns"][2:] == [["refund", "succeeded", "39.980"]]
    assert [(kind, outcome, amount) for kind, _, outcome, amount in money["calls"]][2:] == [
        ("refund", "succeeded", "39.980")
    ]
    # and every key was sent at least twice (before the crash, after it) yet moved money once
    assert all(attempts >= 2 for _, attempts, _, _ in money["calls"])
