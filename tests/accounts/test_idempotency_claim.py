"""The Idempotency-Key claim against a twin with the same key, at each point of the twin's life
(accounts/idempotency_keys.py; docs/security.md, "Exactly once"), and the refusal remembered after
its request rolled back. The PostgreSQL races use a second connection as the twin."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
from django.db import connection

from ordino.accounts.idempotency import REPLAY_HEADER, refusal_remember
from ordino.accounts.idempotency_keys import KeyedRequest, idempotency_claim
from ordino.accounts.models import IdempotencyKey
from ordino.core.domain.clock import utcnow
from ordino.core.problem import problem_response
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db

KEYED = KeyedRequest(caller="c" * 64, key="k-1", fingerprint="f" * 64)
postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="PostgreSQL only (advisory locks); runs in the PostgreSQL leg",
)


def _keys() -> list[tuple[str, str, int | None]]:
    return list(IdempotencyKey.objects.values_list("key", "state", "response_status"))


def _refusal():
    return problem_response(422, "unknown_sku", "No such SKU.")


# -- any database -------------------------------------------------------------------------------


def test_an_unknown_key_is_claimed_in_progress():
    # when a key never seen is claimed
    claim = idempotency_claim(KEYED)
    # then its row is there, in progress, until the request answers
    assert claim.outcome == "claimed"
    assert _keys() == [("k-1", "in_progress", None)]


def test_a_refusal_is_remembered_when_nobody_took_the_key_meanwhile():
    # given no row for the key (the refused request rolled back with its claim)
    refusal = _refusal()
    # when the refusal is remembered
    answer = refusal_remember(KEYED, refusal)
    # then it is the answer, stored done with its status
    assert answer is refusal
    assert _keys() == [("k-1", "done", 422)]


def test_a_refusal_gives_way_to_a_twin_that_answered_meanwhile():
    # given a twin that claimed the key and committed its 201 while this request rolled back
    _twin_row(state="done", status=201, body=b'{"id": 7, "replayed": false}')
    # when this request's refusal is to be remembered
    answer = refusal_remember(KEYED, _refusal())
    # then the twin's answer is given, as a replay, and the stored answer is unchanged
    assert answer.status_code == 201
    assert answer[REPLAY_HEADER] == "true"
    assert answer.content == b'{"id": 7, "replayed": true}'
    assert _keys() == [("k-1", "done", 201)]


def test_a_refusal_meeting_the_key_used_with_another_body_is_the_reuse_refusal():
    # given the key taken meanwhile by a request with another body
    _twin_row(state="done", status=201, body=b"{}", fingerprint="0" * 64)
    # when this request's refusal is to be remembered
    answer = refusal_remember(KEYED, _refusal())
    # then it answers as any reuse of the key does, and nothing changed
    assert answer.status_code == 422
    assert b"idempotency_key_reused" in answer.content
    assert _keys() == [("k-1", "done", 201)]


def test_a_refused_capture_over_http_is_remembered_without_its_changes(api, shop):
    # given stock of one SKU only
    stock(shop["wh_a"], shop["TEE"], 5)
    bad = order_body(lines=[{"sku": "NOPE", "quantity": 1, "unit_price": "1.00"}])
    # when an order with an unknown SKU is sent with a key, then again
    first = api.post("/orders", bad, idempotency_key="k-bad")
    second = api.post("/orders", bad, idempotency_key="k-bad")
    # then the refusal is remembered once and replayed byte for byte
    assert (first.status_code, second.status_code) == (422, 422)
    assert second.content == first.content
    assert second[REPLAY_HEADER] == "true"
    assert REPLAY_HEADER not in first
    assert _keys() == [("k-bad", "done", 422)]


# -- PostgreSQL: a twin on another connection ---------------------------------------------------


@contextlib.contextmanager
def _twin():
    """A second connection to the test database, in a transaction of its own; whatever it
    committed is deleted afterwards (the test's own transaction cannot roll it back)."""
    import psycopg

    settings = connection.settings_dict
    params = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as twin:
        try:
            yield twin
        finally:
            twin.rollback()
            twin.execute(
                "DELETE FROM accounts_idempotencykey WHERE key = ANY(%s)", [[KEYED.key, "k-twin"]]
            )
            twin.commit()


def _twin_claims(twin, keyed: KeyedRequest = KEYED) -> None:
    """The twin's request, claimed and not yet answered: its lock held, its row uncommitted."""
    twin.execute("SELECT pg_advisory_xact_lock(%s)", [keyed.lock_id])
    twin.execute(
        "INSERT INTO accounts_idempotencykey (caller, key, fingerprint, state, claimed_at,"
        " response_content_type, created_at) VALUES (%s, %s, %s, 'in_progress', now(), '', now())",
        [keyed.caller, keyed.key, keyed.fingerprint],
    )


def _twin_answers(twin, keyed: KeyedRequest = KEYED) -> None:
    """The twin answers 201 and commits."""
    twin.execute(
        "UPDATE accounts_idempotencykey SET state = 'done', response_status = 201,"
        " response_content_type = 'application/json', response_body = %s WHERE key = %s",
        [b'{"replayed": false}', keyed.key],
    )
    twin.commit()


@postgres_only
def test_a_twin_still_running_makes_the_claim_answer_in_progress_without_waiting():
    with _twin() as twin:
        # given a twin that claimed the key and is still running
        _twin_claims(twin)
        # when this request claims the key
        started = time.monotonic()
        claim = idempotency_claim(KEYED)
        # then it does not wait for the twin, and wrote nothing
        assert claim.outcome == "in_progress"
        assert time.monotonic() - started < 1
        assert _keys() == []


@postgres_only
def test_a_twin_that_committed_is_replayed():
    with _twin() as twin:
        # given a twin that claimed the key and committed its answer
        _twin_claims(twin)
        _twin_answers(twin)
        # when this request claims the key, then the twin's answer is there to replay
        claim = idempotency_claim(KEYED)
        assert claim.outcome == "replay"
        assert claim.record.response_status == 201


@postgres_only
def test_a_twin_that_rolled_back_leaves_the_key_to_claim():
    with _twin() as twin:
        # given a twin that claimed the key, then rolled back (a refusal, a crash)
        _twin_claims(twin)
        twin.rollback()
        # when this request claims the key, then it is this request's
        assert idempotency_claim(KEYED).outcome == "claimed"
        assert _keys() == [("k-1", "in_progress", None)]


@postgres_only
def test_another_key_holding_the_same_lock_only_answers_in_progress():
    with _twin() as twin:
        # given a transaction holding the key's advisory lock without any row (a hash collision)
        twin.execute("SELECT pg_advisory_xact_lock(%s)", [KEYED.lock_id])
        # when this request claims the key, then it answers in progress and wrote nothing
        assert idempotency_claim(KEYED).outcome == "in_progress"
        assert _keys() == []
        # and once that transaction ends, the key is claimed
        twin.rollback()
        assert idempotency_claim(KEYED).outcome == "claimed"


@postgres_only
def test_a_refusal_while_a_twin_runs_answers_in_progress_and_remembers_nothing():
    with _twin() as twin:
        # given a twin that claimed the key after this request rolled back, still running
        _twin_claims(twin)
        # when this request's refusal is to be remembered
        answer = refusal_remember(KEYED, _refusal())
        # then the answer is the twin's to give: 409 in progress, and nothing was written
        assert answer.status_code == 409
        assert b"idempotency_in_progress" in answer.content
        assert _keys() == []


@postgres_only
def test_a_request_waits_for_its_running_twin_and_replays_its_answer(api, shop, settings):
    # given a twin of the request that runs for 0.3 s more, and a wait of 5 s
    settings.ORDINO_IDEMPOTENCY_WAIT_SECONDS = 5
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    keyed = _keyed_like(api, order_body(), "k-twin")
    with _twin() as twin:
        _twin_claims(twin, keyed)
        answering = threading.Timer(0.3, _twin_answers, args=(twin, keyed))
        answering.start()
        # when the request is sent meanwhile
        response = api.post("/orders", order_body(), idempotency_key="k-twin")
        answering.join()
    # then it waited and replayed the twin's answer, without capturing the order itself
    assert response.status_code == 201
    assert response[REPLAY_HEADER] == "true"
    assert response.content == b'{"replayed": true}'


def _keyed_like(api, body: dict, key: str) -> KeyedRequest:
    """The KeyedRequest the middleware makes of `api.post("/orders", body, key)`."""
    import hashlib
    import json

    caller = hashlib.sha256(api.headers["HTTP_AUTHORIZATION"].encode()).hexdigest()
    digest = hashlib.sha256(b"POST\0/api/v1/orders\0")
    digest.update(json.dumps(body).encode())
    return KeyedRequest(caller=caller, key=key, fingerprint=digest.hexdigest())


def _twin_row(*, state: str, status: int, body: bytes, fingerprint: str = KEYED.fingerprint):
    """A twin's row, committed (in the test's transaction, which stands for committed)."""
    IdempotencyKey.objects.create(
        caller=KEYED.caller,
        key=KEYED.key,
        fingerprint=fingerprint,
        state=state,
        claimed_at=utcnow(),
        created_at=utcnow(),
        response_status=status,
        response_content_type="application/json",
        response_body=body,
    )
