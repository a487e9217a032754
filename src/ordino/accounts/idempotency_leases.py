"""Idempotency-Key on the writes that keep their own transactions (accounts/idempotency.py:
OWN_TRANSACTIONS; docs/security.md, "Exactly once"): a leased claim.

Such a request commits in several transactions and calls a carrier or a shop in between, so its
key cannot be claimed inside one transaction with its change. The key's row is claimed in a
transaction of its own, in progress since `claimed_at`; the answer is written when the view
returns. Meanwhile a twin waits, then answers 409 `idempotency_in_progress`. A claim whose
process died is taken over once ORDINO_IDEMPOTENCY_LEASE_SECONDS have passed: these writes are
safe to run again (a parcel has one live label, a webhook is deduplicated by its id); the key
spares the second call and gives the first answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from ordino.accounts.idempotency_keys import Claim, KeyedRequest, StoredKey, key_insert
from ordino.accounts.models import IdempotencyKey
from ordino.core.domain.clock import utcnow

RETRY_ANSWERS = frozenset({409, 429, 503})


def leased_run(
    get_response: Callable[[HttpRequest], HttpResponse],
    request: HttpRequest,
    keyed: KeyedRequest,
    answer_of: Callable[[Claim], HttpResponse],
) -> HttpResponse:
    """The request run once per key: a replay of the answer, a wait for a running twin (up to
    ORDINO_IDEMPOTENCY_WAIT_SECONDS, then 409), or the view with its answer remembered."""
    give_up_waiting = time.monotonic() + settings.ORDINO_IDEMPOTENCY_WAIT_SECONDS
    waits = 0
    while True:
        claim, claimed_at = lease_claim(keyed)
        if claim.outcome != "in_progress" or time.monotonic() >= give_up_waiting:
            break
        time.sleep(min(0.2, 0.01 * (2**waits)))
        waits += 1
    if claim.outcome != "claimed":
        return answer_of(claim)
    response = get_response(request)
    lease_end(claim.record, claimed_at, response)
    return response


def lease_claim(keyed: KeyedRequest) -> tuple[Claim, datetime | None]:
    """Claim the key in a transaction of its own (committed at once), or say why not; with
    the claim, when it was taken (the fence `lease_end` writes under)."""
    now = utcnow()
    with transaction.atomic():
        claimed_id = key_insert(keyed, None, at=now)
        if claimed_id is not None:
            return Claim("claimed", _claimed(claimed_id, keyed)), now
        row = (
            IdempotencyKey.objects.filter(caller=keyed.caller, key=keyed.key)
            .values("pk", "fingerprint", "state", "claimed_at")
            .first()
        )
        if row is None:  # PostgreSQL: a twin's claim, not committed yet
            return Claim("in_progress"), None
        if row["fingerprint"] != keyed.fingerprint:
            return Claim("mismatch", StoredKey(row["pk"], row["fingerprint"], row["state"])), None
        if row["state"] == IdempotencyKey.DONE:
            return Claim("replay", _stored(row["pk"])), None
        lease = timedelta(seconds=settings.ORDINO_IDEMPOTENCY_LEASE_SECONDS)
        # A conditional update: of two late twins, one takes the claim over.
        taken = IdempotencyKey.objects.filter(
            pk=row["pk"], state=IdempotencyKey.IN_PROGRESS, claimed_at__lt=now - lease
        ).update(claimed_at=now)
        if not taken:
            return Claim("in_progress"), None
        return Claim("claimed", _claimed(row["pk"], keyed)), now


def lease_end(record: StoredKey, claimed_at: datetime, response: HttpResponse) -> None:
    """Remember the answer, or give the key back when it says "try again" (409, 429, 503,
    5xx) or streams, so that a retry runs anew. A claim taken over meanwhile (this request
    outlived its lease) is the new holder's: left alone."""
    mine = IdempotencyKey.objects.filter(
        pk=record.pk, state=IdempotencyKey.IN_PROGRESS, claimed_at=claimed_at
    )
    if response.status_code >= 500 or response.status_code in RETRY_ANSWERS or response.streaming:
        mine.delete()
        return
    mine.update(
        state=IdempotencyKey.DONE,
        response_status=response.status_code,
        response_content_type=response.get("Content-Type", ""),
        response_body=bytes(response.content),
    )


def _claimed(pk: int, keyed: KeyedRequest) -> StoredKey:
    return StoredKey(pk, keyed.fingerprint, IdempotencyKey.IN_PROGRESS)


def _stored(pk: int) -> StoredKey:
    row = IdempotencyKey.objects.values(
        "fingerprint", "state", "response_status", "response_content_type", "response_body"
    ).get(pk=pk)
    body = bytes(row["response_body"]) if row["response_body"] is not None else None
    return StoredKey(
        pk,
        row["fingerprint"],
        row["state"],
        row["response_status"],
        row["response_content_type"] or "",
        body,
    )
