"""Idempotency-Key on the writes that keep their own transactions: a leased claim
(accounts/idempotency_leases.py; docs/security.md, "Exactly once")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ordino.accounts.idempotency import REPLAY_HEADER
from ordino.accounts.idempotency_keys import KeyedRequest
from ordino.accounts.idempotency_leases import lease_claim, lease_end
from ordino.accounts.models import IdempotencyKey
from ordino.core.problem import problem_response
from ordino.shipping.models import FulfillmentRating
from tests.shipping.test_api import BOX, paket  # noqa: F401 (a fixture)
from tests.shipping.test_rating import fo  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

KEYED = KeyedRequest(caller="c" * 64, key="k-1", fingerprint="f" * 64)


def _keys() -> list[tuple[str, str, int | None]]:
    return list(IdempotencyKey.objects.values_list("key", "state", "response_status"))


def _created():
    return problem_response(201, "created", "Created.")  # any answer with a body


def test_a_new_key_is_claimed_and_committed_in_progress():
    # when a key never seen is claimed
    claim, claimed_at = lease_claim(KEYED)
    # then it is this request's, in progress since the claim
    assert (claim.outcome, claimed_at is not None) == ("claimed", True)
    assert _keys() == [("k-1", "in_progress", None)]
    assert IdempotencyKey.objects.get().claimed_at == claimed_at


def test_a_twin_within_the_lease_is_in_progress_and_changes_nothing():
    # given a claim taken a moment ago
    lease_claim(KEYED)
    before = list(IdempotencyKey.objects.values())
    # when its twin claims the key
    claim, claimed_at = lease_claim(KEYED)
    # then it waits its turn, and the claim is untouched
    assert (claim.outcome, claimed_at) == ("in_progress", None)
    assert list(IdempotencyKey.objects.values()) == before


def test_a_claim_past_its_lease_is_taken_over_and_the_late_holder_writes_nothing(settings):
    # given a claim older than the lease (its process died, or outlived it)
    settings.ORDINO_IDEMPOTENCY_LEASE_SECONDS = 60
    first, first_at = lease_claim(KEYED)
    IdempotencyKey.objects.update(claimed_at=first_at - timedelta(seconds=61))
    # when a twin claims the key
    claim, claimed_at = lease_claim(KEYED)
    # then it takes the claim over, and the late first holder's answer is not remembered
    assert claim.outcome == "claimed"
    lease_end(first.record, first_at - timedelta(seconds=61), _created())
    assert _keys() == [("k-1", "in_progress", None)]
    lease_end(claim.record, claimed_at, _created())
    assert _keys() == [("k-1", "done", 201)]


def test_an_answer_is_remembered_and_replayed():
    # given a claim answered 201
    claim, claimed_at = lease_claim(KEYED)
    lease_end(claim.record, claimed_at, _created())
    # when the same request comes again
    again, again_at = lease_claim(KEYED)
    # then its answer is the first one's
    assert (again.outcome, again_at) == ("replay", None)
    assert (again.record.response_status, again.record.response_body) == (
        201,
        _created().content,
    )


def test_the_key_with_another_request_is_a_mismatch():
    # given a claimed key
    lease_claim(KEYED)
    # when another body comes with it
    other = KeyedRequest(caller=KEYED.caller, key=KEYED.key, fingerprint="0" * 64)
    claim, _ = lease_claim(other)
    # then it is refused as reused
    assert claim.outcome == "mismatch"
    assert _keys() == [("k-1", "in_progress", None)]


@pytest.mark.parametrize("status", [409, 429, 503, 502])
def test_a_try_again_answer_gives_the_key_back(status):
    # given a claimed key whose request answered "try again"
    claim, claimed_at = lease_claim(KEYED)
    # when it ends
    lease_end(claim.record, claimed_at, problem_response(status, "busy", "Try again."))
    # then the key is free for the retry
    assert _keys() == []
    assert lease_claim(KEYED)[0].outcome == "claimed"


def test_a_refusal_is_remembered():
    # given a claimed key whose request was refused
    claim, claimed_at = lease_claim(KEYED)
    # when it ends
    lease_end(claim.record, claimed_at, problem_response(422, "invalid", "No."))
    # then the refusal is the key's answer
    assert _keys() == [("k-1", "done", 422)]


# -- over HTTP: a rate shop, which keeps its own transactions ------------------------------------


def test_a_rate_shop_repeated_with_its_key_is_replayed_and_rates_once(api, paket, fo):  # noqa: F811
    # given a rate shop sent with an Idempotency-Key
    path = f"/fulfillment/orders/{fo['id']}/rates"
    first = api.post(path, {"parcels": [BOX], "live": False}, idempotency_key="rate-1")
    assert first.status_code == 201, first.content
    # when the client retries it with the same key
    again = api.post(path, {"parcels": [BOX], "live": False}, idempotency_key="rate-1")
    # then it gets the first answer, marked as a replay, and one rating is kept
    assert (again.status_code, again.content) == (201, first.content)
    assert again[REPLAY_HEADER] == "true"
    assert FulfillmentRating.objects.filter(fulfillment_order_id=fo["id"]).count() == 1


def test_a_rate_shop_with_a_reused_key_is_refused_and_rates_nothing(api, paket, fo):  # noqa: F811
    # given a rate shop done with key rate-1
    path = f"/fulfillment/orders/{fo['id']}/rates"
    api.post(path, {"parcels": [BOX], "live": False}, idempotency_key="rate-1")
    # when another rate shop comes with the same key
    r = api.post(
        path, {"parcels": [BOX], "live": False, "policy": "fastest"}, idempotency_key="rate-1"
    )
    # then it is refused, and nothing more was rated
    assert (r.status_code, r.json()["code"]) == (422, "idempotency_key_reused")
    assert FulfillmentRating.objects.filter(fulfillment_order_id=fo["id"]).count() == 1
