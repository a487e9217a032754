"""API writes: one transaction per request, retried on transient conflicts, and Idempotency-Key.

The key is claimed in its own committed statement (so a concurrent twin sees it and answers 409),
then the request runs in one transaction that also stores the response under the key: the change
and the remembered answer commit together or not at all. A claim whose process died is taken over
after a lease, so a client retrying after a crash is never locked out.
"""

from __future__ import annotations

import hashlib
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse

from ordino.accounts.models import IdempotencyKey
from ordino.core.domain.clock import utcnow
from ordino.core.problem import problem_response

HEADER = "HTTP_IDEMPOTENCY_KEY"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REPLAY_HEADER = "Idempotent-Replayed"
RETRYABLE = frozenset({409, 429, 503})


@dataclass(frozen=True)
class Claim:
    outcome: str  # "claimed", "replay", "in_progress", "mismatch"
    record: IdempotencyKey | None = None


def idempotency_claim(*, caller: str, key: str, fingerprint: str) -> Claim:
    now = utcnow()
    try:
        # Committed at once (autocommit) so a concurrent twin sees the claim; inside a caller's
        # transaction (tests), a savepoint keeps a duplicate from breaking that transaction.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            record = IdempotencyKey.objects.create(
                caller=caller, key=key, fingerprint=fingerprint, claimed_at=now, created_at=now
            )
        return Claim("claimed", record)
    except IntegrityError:
        pass
    record = IdempotencyKey.objects.filter(caller=caller, key=key).first()
    if record is None:  # expired and purged between our two statements: claim again
        return idempotency_claim(caller=caller, key=key, fingerprint=fingerprint)
    if record.fingerprint != fingerprint:
        return Claim("mismatch", record)
    if record.state == IdempotencyKey.DONE:
        return Claim("replay", record)
    stale_before = now - timedelta(seconds=settings.ORDINO_IDEMPOTENCY_LEASE_SECONDS)
    taken = IdempotencyKey.objects.filter(
        pk=record.pk, state=IdempotencyKey.IN_PROGRESS, claimed_at__lt=stale_before
    ).update(claimed_at=now)
    return Claim("claimed", record) if taken else Claim("in_progress", record)


def idempotency_complete(*, record: IdempotencyKey, response: HttpResponse) -> None:
    IdempotencyKey.objects.filter(pk=record.pk).update(
        state=IdempotencyKey.DONE,
        response_status=response.status_code,
        response_content_type=response.get("Content-Type", ""),
        response_body=bytes(response.content),
    )


def idempotency_release(*, record: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=record.pk, state=IdempotencyKey.IN_PROGRESS).delete()


def idempotency_purge(*, older_than_hours: int | None = None) -> int:
    hours = older_than_hours or settings.ORDINO_IDEMPOTENCY_TTL_HOURS
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=utcnow() - timedelta(hours=hours)
    ).delete()
    return deleted


def _is_transient(exc: BaseException) -> bool:
    """A deadlock, serialization failure or busy database: the whole request may simply rerun.

    So may a unique violation: a concurrent request inserted the same natural key (two
    deliveries of one channel order, a retry whose lease was taken over while the first still
    ran) and committed first. A rerun reads that row and answers as for a repeat (e.g. 200
    `replayed`) instead of a server error; a unique violation that is not a race fails again
    and answers as before once the attempts are spent.
    """
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate in ("40001", "40P01"):  # serialization_failure, deadlock_detected
        return True
    if isinstance(exc, IntegrityError) and sqlstate == "23505":  # unique_violation
        return True
    return "database is locked" in str(exc)


class ApiWriteMiddleware:
    """Every API write runs in one transaction (a rejected request changes nothing), is retried
    when the database reports a transient conflict, and honours Idempotency-Key."""

    ATTEMPTS = 4

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
            return self.get_response(request)
        key = request.META.get(HEADER)
        if key is None:
            return self.run(request, None)
        if not 1 <= len(key) <= 255:
            return problem_response(
                400,
                "invalid_idempotency_key",
                "Idempotency-Key must be 1 to 255 characters.",
                errors=[{"field": "Idempotency-Key", "code": "invalid", "message": "length"}],
            )
        caller = hashlib.sha256(request.META.get("HTTP_AUTHORIZATION", "").encode()).hexdigest()
        fingerprint = hashlib.sha256(
            b"\0".join([request.method.encode(), request.path.encode(), request.body])
        ).hexdigest()
        claim = idempotency_claim(caller=caller, key=key, fingerprint=fingerprint)
        if claim.outcome == "mismatch":
            return problem_response(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used with a different request; use a new key.",
            )
        if claim.outcome == "in_progress":
            return problem_response(
                409,
                "idempotency_in_progress",
                "A request with this Idempotency-Key is still being processed; retry later.",
            )
        if claim.outcome == "replay":
            return stored_response(claim.record)
        return self.run(request, claim.record)

    def run(self, request: HttpRequest, record: IdempotencyKey | None) -> HttpResponse:
        for attempt in range(self.ATTEMPTS):
            request._ordino_transient_error = None  # type: ignore[attr-defined]
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 400 or response.streaming:
                    transaction.set_rollback(True)
                elif record is not None:
                    idempotency_complete(record=record, response=response)
            if getattr(request, "_ordino_transient_error", None) is None:
                break
            if attempt + 1 < self.ATTEMPTS:
                time.sleep(0.01 * (2**attempt))
        if record is not None:
            if response.status_code in RETRYABLE or response.status_code >= 500:
                # "Try again" answers (a conflict, a lost race) are not the request's final
                # answer: the key is freed so the client's retry with it can succeed.
                idempotency_release(record=record)
            elif response.streaming:
                idempotency_release(record=record)
            elif response.status_code >= 400:
                # Refusals are answers too: the same request gets the same refusal.
                idempotency_complete(record=record, response=response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if _is_transient(exception):
            request._ordino_transient_error = exception  # type: ignore[attr-defined]


def stored_response(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        bytes(record.response_body or b""),
        status=record.response_status,
        content_type=record.response_content_type or "application/json",
    )
    response[REPLAY_HEADER] = "true"
    return response
