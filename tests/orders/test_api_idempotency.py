from __future__ import annotations

import hashlib
import json

import pytest

from ordino.accounts.models import IdempotencyKey
from ordino.core.domain.clock import utcnow
from ordino.orders.models import Order
from tests.conftest import ApiClient
from tests.factories import make_token, order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    return shop


def test_same_key_same_body_replays_the_stored_response_marked_as_a_replay(api, stocked):
    # Given an order captured with an Idempotency-Key
    first = api.post("/orders", order_body(), idempotency_key="k-1")
    # When the same request is sent again with the same key
    second = api.post("/orders", order_body(), idempotency_key="k-1")
    # Then the stored answer is replayed: same status and body, except that the body's
    # `replayed` flag agrees with the header (this request changed nothing)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["replayed"] is False
    assert "Idempotent-Replayed" not in first
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == {**first.json(), "replayed": True}
    assert Order.objects.count() == 1


def test_same_key_other_body_is_refused(api, stocked):
    api.post("/orders", order_body(), idempotency_key="k-1")
    response = api.post("/orders", order_body("W-2"), idempotency_key="k-1")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_a_claim_left_unanswered_by_an_earlier_version_is_answered_now(api, stocked):
    # Given a claim committed without its answer (older versions claimed keys in a statement
    # of their own; nothing commits a claim without its answer now)
    body = order_body()
    caller = hashlib.sha256(api.headers["HTTP_AUTHORIZATION"].encode()).hexdigest()
    IdempotencyKey.objects.create(
        caller=caller,
        key="k-1",
        fingerprint=_fingerprint("/api/v1/orders", body),
        claimed_at=utcnow(),
        created_at=utcnow(),
    )
    # When the request is sent with that key
    response = api.post("/orders", body, idempotency_key="k-1")
    # Then it runs, once, and its answer is remembered
    assert response.status_code == 201
    assert IdempotencyKey.objects.get(key="k-1").state == "done"
    assert Order.objects.count() == 1


def test_a_refusal_is_remembered_and_the_same_refusal_replayed(api, stocked):
    bad = order_body(lines=[{"sku": "NOPE", "quantity": 1, "unit_price": "1.00"}])
    first = api.post("/orders", bad, idempotency_key="k-bad")
    second = api.post("/orders", bad, idempotency_key="k-bad")
    assert first.status_code == second.status_code == 422
    assert second.content == first.content
    assert Order.objects.count() == 0


def test_keys_are_per_caller(api, client, stocked):

    other = ApiClient(client, make_token("*", name="other"))
    api.post("/orders", order_body(), idempotency_key="shared")
    response = other.post("/orders", order_body("W-2"), idempotency_key="shared")
    assert response.status_code == 201
    assert Order.objects.count() == 2


def test_an_overlong_key_is_a_400(api, stocked):
    response = api.post("/orders", order_body(), idempotency_key="k" * 256)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert Order.objects.count() == 0


def _fingerprint(path: str, body: dict) -> str:

    return hashlib.sha256(
        b"\0".join([b"POST", path.encode(), json.dumps(body).encode()])
    ).hexdigest()


def test_a_retryable_conflict_frees_the_key_so_the_retry_succeeds(api, stocked, monkeypatch):
    # given a first attempt that loses the stock race every time
    monkeypatch.setattr("ordino.orders.reservation.MAX_ATTEMPTS", 0)
    first = api.post("/orders", order_body(), idempotency_key="k-race")
    assert first.status_code == 409
    assert first.json()["code"] == "stock_contention"
    # when the client retries with the same key once the race is over
    monkeypatch.undo()
    retry = api.post("/orders", order_body(), idempotency_key="k-race")
    # then the order is captured, not the stored conflict replayed
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-token", "Basic YTpi", ""],
    ids=["unknown token", "another scheme", "no token"],
)
def test_nothing_is_written_before_the_caller_is_known(client, stocked, authorization):
    # Given requests whose caller is unknown, each with an Idempotency-Key
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    for n in range(5):
        # When they are sent
        response = client.post(
            "/api/v1/orders", data=json.dumps(order_body()), content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"k-{n}", **headers,
        )  # fmt: skip
        # Then each is a problem 401
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "unauthenticated"
    # and no key (nor anything else) was written
    assert IdempotencyKey.objects.count() == 0
    assert Order.objects.count() == 0


def test_the_caller_is_authenticated_once_per_request(api, stocked, monkeypatch):
    # Given a count of token look-ups (each one is rate-counted)
    from ordino.accounts import auth

    looked_up = []
    real = auth.rate_limit_check
    monkeypatch.setattr(auth, "rate_limit_check", lambda **kw: looked_up.append(1) or real(**kw))
    # When a write with an Idempotency-Key is sent (the key is claimed only for a known caller)
    response = api.post("/orders", order_body(), idempotency_key="k-once")
    # Then the token was looked up and counted once, by the middleware; the API reused it
    assert response.status_code == 201
    assert len(looked_up) == 1
