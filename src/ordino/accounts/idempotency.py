"""API writes: one transaction per request, retried on transient conflicts, and Idempotency-Key.

Exactly once, whatever a request waits for: the key is claimed INSIDE the request's
transaction, so the claim, the change and the remembered answer commit together or not at all.
A killed process's claim vanishes with its rollback, so no lease is needed and no late writer
can apply a change twice. Nothing is claimed before the caller is authenticated.

The claim is one statement that never waits (docs/security.md, "Exactly once"). On PostgreSQL
it inserts the key's row only while taking the key's advisory transaction lock without waiting
(`pg_try_advisory_xact_lock` of a 64-bit hash of caller and key): a twin whose request is still
running holds that lock, so this request reads no row and answers 409 `idempotency_in_progress`
— after retrying its claim for up to ORDINO_IDEMPOTENCY_WAIT_SECONDS, so that a twin that ends
meanwhile is replayed instead. A twin that committed left its row: replayed (or 422 with another
body). A twin that rolled back left neither lock nor row: this request claims the key. Two keys
sharing a hash only make one wait or answer 409 while the other runs. SQLite takes the write
lock at BEGIN, so there a twin's claim is always committed or gone.

Success commits with the key's answer; the request runs without a savepoint of its own. A
refusal (a 4xx other than 409/429) rolls the request back whole and is remembered in a
transaction of its own (`refusal_remember`): if a twin claimed the key in between, the answer
is the twin's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from ordino.accounts.auth import request_principal
from ordino.accounts.idempotency_keys import (
    Claim,
    KeyedRequest,
    StoredKey,
    idempotency_claim,
    idempotency_complete,
)
from ordino.accounts.idempotency_leases import leased_run
from ordino.accounts.models import IdempotencyKey
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.problem import problem_response
from ordino.core.transactions import request_atomic

HEADER = "HTTP_IDEMPOTENCY_KEY"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REPLAY_HEADER = "Idempotent-Replayed"
RETRYABLE = frozenset({409, 429, 503})
# On an answer the middleware made from the key (Claim.outcome): never remembered as the
# request's own answer; "in_progress" makes the request wait for its twin (`run`).
KEY_ANSWER = "_ordino_key_answer"
logger = logging.getLogger("ordino.api")
# Writes that keep their own transactions (docs/connectors.md, "Exactly once"): a channel's
# webhook is stored in a transaction of its own before it is acknowledged, and its refusal is
# logged in the integration log, which a request's rollback would take away; a connection's poll
# and test call the shop over HTTP, never inside a held transaction, and store each order as
# it comes.
# A label purchase and void call a carrier too: the purchase's row commits before the call
# (docs/shipping.md, "Label purchase"), so a rollback never forgets a label that was bought; a
# rate shop asks the live carrier accounts (docs/shipping.md, "Live rates") before it writes.
# Their Idempotency-Key is a leased claim of its own (accounts/idempotency_leases.py).
OWN_TRANSACTIONS = re.compile(
    r"^/api/v1/(connectors/(\d+/webhooks/[a-z0-9_-]+|connections/\d+/(poll|test))"
    r"|fulfillment/orders/\d+/(rates|labels/(purchase|buy-chosen|\d+/void)))/?$"
)


def idempotency_purge(*, older_than_hours: int | None = None) -> int:
    hours = older_than_hours or settings.ORDINO_IDEMPOTENCY_TTL_HOURS
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=utcnow() - timedelta(hours=hours)
    ).delete()
    return deleted


def _is_transient(exc: BaseException) -> bool:
    """A deadlock, serialization failure or busy database: the whole request may simply rerun.

    So may a unique violation: a concurrent request inserted the same natural key (two
    deliveries of one channel order) and committed first. A rerun reads that row and answers as
    for a repeat instead of a server error; a unique violation that is not a race fails again
    and answers 500 once the attempts are spent.
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
        own_transactions = OWN_TRANSACTIONS.match(request.path) is not None
        key = request.META.get(HEADER)
        if key is None:
            return self.get_response(request) if own_transactions else self.run(request, None)
        if not 1 <= len(key) <= 255:
            return problem_response(
                400,
                "invalid_idempotency_key",
                "Idempotency-Key must be 1 to 255 characters.",
                errors=[{"field": "Idempotency-Key", "code": "invalid", "message": "length"}],
            )
        try:
            principal = request_principal(request)
        except DomainError as exc:  # an expired token, or one over its rate limit
            refused = problem_response(exc.status, exc.code, exc.message, exc.errors)
            if getattr(exc, "retry_after", None) is not None:
                refused["Retry-After"] = str(exc.retry_after)
            return refused
        if principal is None:
            # Nothing is written before the caller is known: the API answers 401 (a channel's
            # webhook is signed, not authorized: deduplicated by its own id instead).
            return self.get_response(request) if own_transactions else self.run(request, None)
        keyed = KeyedRequest(
            caller=hashlib.sha256(request.META.get("HTTP_AUTHORIZATION", "").encode()).hexdigest(),
            key=key,
            fingerprint=request_fingerprint(request),
        )
        if own_transactions:
            return leased_run(self.get_response, request, keyed, claim_answer)
        return self.run(request, keyed)

    def run(self, request: HttpRequest, keyed: KeyedRequest | None) -> HttpResponse:
        """The request in a transaction, rerun after a transient conflict (at most ATTEMPTS
        times) and, while a twin with the same key runs, until it ends or
        ORDINO_IDEMPOTENCY_WAIT_SECONDS have passed (then 409 in progress)."""
        give_up_waiting = time.monotonic() + settings.ORDINO_IDEMPOTENCY_WAIT_SECONDS
        attempt = waits = 0
        while True:
            request._ordino_transient_error = None  # type: ignore[attr-defined]
            request._ordino_last_attempt = attempt + 1 == self.ATTEMPTS  # type: ignore[attr-defined]
            with request_atomic():
                response = self.attempt(request, keyed)
            if keyed is not None and _remembered_refusal(response):
                # The request rolled back whole; its refusal is remembered on its own.
                with request_atomic():
                    response = refusal_remember(keyed, response)
            if getattr(request, "_ordino_transient_error", None) is not None:
                time.sleep(0.01 * (2**attempt))
                attempt += 1
            elif getattr(response, KEY_ANSWER, None) == "in_progress" and (
                time.monotonic() < give_up_waiting
            ):
                time.sleep(min(0.2, 0.01 * (2**waits)))
                waits += 1
            else:
                return response

    def attempt(self, request: HttpRequest, keyed: KeyedRequest | None) -> HttpResponse:
        """One run of the request in the current transaction, with its key claimed first. No
        savepoint: a success commits with its key's answer; anything else rolls back whole."""
        if keyed is not None:
            claim = idempotency_claim(keyed)
            if claim.outcome != "claimed":
                return claim_answer(claim)
        response = self.get_response(request)
        if response.status_code >= 400 or response.streaming:
            # A refusal to remember is written after the rollback (`run`); "try again" answers
            # (409, 429, 503, 5xx) are not the request's final answer: the claim goes with the
            # rollback, so the client's retry with the key runs anew.
            transaction.set_rollback(True)
        elif keyed is not None:
            idempotency_complete(record=claim.record, response=response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A transient conflict reruns the request (see `run`): no client sees it, so it is a
        warning without a traceback, not a server error. On the last attempt it is not caught
        here, and answers as any unexpected exception does (500, logged with its traceback)."""
        if not _is_transient(exception) or getattr(request, "_ordino_last_attempt", True):
            return None
        request._ordino_transient_error = exception  # type: ignore[attr-defined]
        logger.warning(
            "Retrying %s %s after a transient database conflict: %s",
            request.method,
            request.path,
            str(exception).splitlines()[0] if str(exception) else type(exception).__name__,
        )
        response = problem_response(503, "retrying", "A transient conflict; the request reruns.")
        response._has_been_logged = True  # type: ignore[attr-defined]  # it never leaves the server
        return response


def request_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of method, path and body. A body larger than Django keeps in memory (a stock
    feed file) is hashed as it is read into a temporary file, which the view then reads."""
    digest = hashlib.sha256(b"\0".join([request.method.encode(), request.path.encode(), b""]))
    if int(request.META.get("CONTENT_LENGTH") or 0) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        digest.update(request.body)
        return digest.hexdigest()
    # Not a with-block: the view reads it after this returns; it goes with the request.
    spool = tempfile.SpooledTemporaryFile(max_size=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    while chunk := request.read(64 * 1024):
        digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    # Django's request reads its body from _stream; the view must find it unread.
    request._stream = spool  # type: ignore[attr-defined]
    request._read_started = False  # type: ignore[attr-defined]
    return digest.hexdigest()


def _remembered_refusal(response: HttpResponse) -> bool:
    """A refusal is the request's final answer (the same request gets it again); "try again"
    answers and streamed ones are not remembered."""
    return (
        400 <= response.status_code < 500
        and response.status_code not in RETRYABLE
        and not response.streaming
        and getattr(response, KEY_ANSWER, None) is None
    )


def refusal_remember(keyed: KeyedRequest, refusal: HttpResponse) -> HttpResponse:
    """Remember `refusal` for `keyed`, in a transaction after the request's rollback. A twin
    may have claimed the key meanwhile: then the answer is the twin's (its stored answer, or
    409 in progress while it runs), so that one key never has two answers."""
    claim = idempotency_claim(keyed, refusal)
    return refusal if claim.outcome == "claimed" else claim_answer(claim)


def claim_answer(claim: Claim) -> HttpResponse:
    if claim.outcome == "mismatch":
        reused = problem_response(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was used with a different request; use a new key.",
        )
        setattr(reused, KEY_ANSWER, claim.outcome)
        return reused
    if claim.outcome == "in_progress":
        busy = problem_response(
            409,
            "idempotency_in_progress",
            "A request with this Idempotency-Key is still being processed; retry later.",
        )
        setattr(busy, KEY_ANSWER, claim.outcome)
        return busy
    return stored_response(claim.record)


def stored_response(record: StoredKey) -> HttpResponse:
    """The remembered answer, marked as a replay: the header says so, and so does the body's
    `replayed` flag where the answer has one (an order capture): this request changed nothing."""
    body = bytes(record.response_body or b"")
    content_type = record.response_content_type or "application/json"
    response = HttpResponse(
        _marked_replayed(body, content_type),
        status=record.response_status,
        content_type=content_type,
    )
    response[REPLAY_HEADER] = "true"
    setattr(response, KEY_ANSWER, "replay")
    return response


FLAG_FALSE, FLAG_TRUE = b'"replayed": false', b'"replayed": true'


def _marked_replayed(body: bytes, content_type: str) -> bytes:
    """The stored bytes with the top-level `replayed` flag set; the rest byte for byte (a
    re-encoding could change how amounts are written)."""
    if not content_type.startswith("application/json") or body.count(FLAG_FALSE) != 1:
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if not isinstance(data, dict) or data.get("replayed") is not False:
        return body
    return body.replace(FLAG_FALSE, FLAG_TRUE)
