"""API writes: one transaction per request, retried on transient conflicts, and Idempotency-Key.

Exactly once, whatever a request waits for: the key is claimed INSIDE the request's
transaction, so the claim, the change and the remembered answer commit together or not at all.
A concurrent twin's claim waits on the unique index until the first request ends: it then sees
the committed answer and replays it, or, if the first one is still running after
ORDINO_IDEMPOTENCY_WAIT_SECONDS, answers 409 `idempotency_in_progress` (PostgreSQL's lock
timeout). A killed process's claim vanishes with its rollback, so no lease is needed and no
late writer can apply a change twice. Nothing is claimed before the caller is authenticated.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse

from ordino.accounts.auth import request_principal
from ordino.accounts.models import IdempotencyKey
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.problem import problem_response
from ordino.core.transactions import request_atomic, savepoint

HEADER = "HTTP_IDEMPOTENCY_KEY"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REPLAY_HEADER = "Idempotent-Replayed"
RETRYABLE = frozenset({409, 429, 503})
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout expired
logger = logging.getLogger("ordino.api")


@dataclass(frozen=True)
class Claim:
    outcome: str  # "claimed", "replay", "in_progress", "mismatch"
    record: IdempotencyKey | None = None


def idempotency_claim(*, caller: str, key: str, fingerprint: str) -> Claim:
    """Claim (caller, key) in the current transaction, or say why not.

    Must run inside the request's transaction: the claim is only seen by others once that
    transaction commits with the answer, and disappears if it rolls back."""
    now = utcnow()
    try:
        with _waiting_at_most(settings.ORDINO_IDEMPOTENCY_WAIT_SECONDS):
            claimed_id = _claim_insert(caller, key, fingerprint, now)
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            # The twin's claim is still uncommitted. The failed statement spoilt this
            # transaction: it rolls back (it wrote nothing) and the caller hears "in progress".
            transaction.set_rollback(True)
            return Claim("in_progress")
        raise
    if claimed_id is not None:
        record = IdempotencyKey(
            pk=claimed_id, caller=caller, key=key, fingerprint=fingerprint, claimed_at=now,
            created_at=now,
        )  # fmt: skip
        return Claim("claimed", record)
    # the twin committed first: its answer is there to read
    record = IdempotencyKey.objects.filter(caller=caller, key=key).first()
    if record is None:  # purged between our two statements: claim again
        return idempotency_claim(caller=caller, key=key, fingerprint=fingerprint)
    if record.fingerprint != fingerprint:
        return Claim("mismatch", record)
    if record.state == IdempotencyKey.DONE:
        return Claim("replay", record)
    # A claim committed unanswered by an earlier version of Ordino, whose request is long over
    # (nothing commits a claim without its answer now): this request answers it.
    IdempotencyKey.objects.filter(pk=record.pk).update(claimed_at=now)
    return Claim("claimed", record)


def _claim_insert(caller: str, key: str, fingerprint: str, now) -> int | None:
    """One statement, no savepoint: the new claim's id, or None when (caller, key) exists. Waits
    for a twin's uncommitted claim (PostgreSQL: at most the lock timeout), then sees its row."""
    table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (caller, key, fingerprint, state, claimed_at,"
            " response_content_type, created_at) VALUES (%s, %s, %s, %s, %s, '', %s)"
            " ON CONFLICT (caller, key) DO NOTHING RETURNING id",
            [caller, key, fingerprint, IdempotencyKey.IN_PROGRESS, at, at],
        )
        row = cursor.fetchone()
    return row[0] if row else None


class _waiting_at_most:
    """PostgreSQL: a statement waiting for a lock (a twin's uncommitted claim) gives up after
    `seconds`, for the claim only. SQLite serialises writers at BEGIN, so a twin never gets
    this far before the first request has committed or rolled back."""

    def __init__(self, seconds: float) -> None:
        self.ms = max(1, int(seconds * 1000))

    def __enter__(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{self.ms}ms"])

    def __exit__(self, exc_type, exc, tb) -> None:
        if connection.vendor == "postgresql" and exc_type is None:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
        # on an error the transaction rolls back, which undoes the setting


def idempotency_complete(*, record: IdempotencyKey, response: HttpResponse) -> None:
    IdempotencyKey.objects.filter(pk=record.pk).update(
        state=IdempotencyKey.DONE,
        response_status=response.status_code,
        response_content_type=response.get("Content-Type", ""),
        response_body=bytes(response.content),
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


@dataclass(frozen=True)
class KeyedRequest:
    caller: str
    key: str
    fingerprint: str


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
        try:
            principal = request_principal(request)
        except DomainError as exc:  # an expired token, or one over its rate limit
            refused = problem_response(exc.status, exc.code, exc.message, exc.errors)
            if getattr(exc, "retry_after", None) is not None:
                refused["Retry-After"] = str(exc.retry_after)
            return refused
        if principal is None:
            # Nothing is written before the caller is known: the API answers 401.
            return self.run(request, None)
        keyed = KeyedRequest(
            caller=hashlib.sha256(request.META.get("HTTP_AUTHORIZATION", "").encode()).hexdigest(),
            key=key,
            fingerprint=request_fingerprint(request),
        )
        return self.run(request, keyed)

    def run(self, request: HttpRequest, keyed: KeyedRequest | None) -> HttpResponse:
        for attempt in range(self.ATTEMPTS):
            request._ordino_transient_error = None  # type: ignore[attr-defined]
            request._ordino_last_attempt = attempt + 1 == self.ATTEMPTS  # type: ignore[attr-defined]
            with request_atomic():
                response = self.attempt(request, keyed)
            if getattr(request, "_ordino_transient_error", None) is None:
                break
            time.sleep(0.01 * (2**attempt))
        return response

    def attempt(self, request: HttpRequest, keyed: KeyedRequest | None) -> HttpResponse:
        """One run of the request in the current transaction, with its key claimed first."""
        if keyed is None:
            response = self.get_response(request)
            if response.status_code >= 400 or response.streaming:
                transaction.set_rollback(True)
            return response
        claim = idempotency_claim(caller=keyed.caller, key=keyed.key, fingerprint=keyed.fingerprint)
        if claim.outcome != "claimed":
            return claim_answer(claim)
        with savepoint():  # a refusal undoes the request, not the claim
            response = self.get_response(request)
            if response.status_code >= 400 or response.streaming:
                transaction.set_rollback(True)
        if response.streaming or response.status_code in RETRYABLE or response.status_code >= 500:
            # "Try again" answers are not the request's final answer: the claim goes with the
            # rollback, so the client's retry with the key runs anew.
            transaction.set_rollback(True)
        else:
            # Success and refusals alike: the same request gets the same answer.
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


def claim_answer(claim: Claim) -> HttpResponse:
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
    return stored_response(claim.record)


def stored_response(record: IdempotencyKey) -> HttpResponse:
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
