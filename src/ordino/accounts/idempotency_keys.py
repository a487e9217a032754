"""The Idempotency-Key's row (docs/security.md, "Exactly once"): claimed, answered and read by
hand-written SQL, without model instances, on the API write path (`ApiWriteMiddleware` in
accounts/idempotency.py decides when)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.http import HttpResponse

from ordino.accounts.models import IdempotencyKey
from ordino.core.domain.clock import utcnow


@dataclass(frozen=True, slots=True)
class StoredKey:
    """A key's row as the middleware reads it (no model instance on the hot path)."""

    pk: int
    fingerprint: str
    state: str
    response_status: int | None = None
    response_content_type: str = ""
    response_body: bytes | None = None


@dataclass(frozen=True)
class Claim:
    outcome: str  # "claimed", "replay", "in_progress", "mismatch"
    record: StoredKey | None = None


@dataclass(frozen=True)
class KeyedRequest:
    caller: str
    key: str
    fingerprint: str

    @property
    def lock_id(self) -> int:
        """PostgreSQL: the advisory lock of (caller, key), a signed 64-bit hash. Two keys that
        share one (a rare collision) only make one of them answer 409 in progress meanwhile."""
        digest = hashlib.blake2b(f"{self.caller}\0{self.key}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big", signed=True)


def idempotency_claim(keyed: KeyedRequest, answer: HttpResponse | None = None) -> Claim:
    """Claim `keyed` in the current transaction, or say why not: one statement that never waits,
    and a read only when the key is taken.

    With `answer`, the row is written answered at once (a refusal, remembered after its request
    rolled back). The claim is only seen by others once the transaction commits, and disappears
    if it rolls back."""
    claimed_id = key_insert(keyed, answer)
    if claimed_id is not None:
        state = IdempotencyKey.IN_PROGRESS if answer is None else IdempotencyKey.DONE
        return Claim("claimed", StoredKey(claimed_id, keyed.fingerprint, state))
    held, record = _key_read(keyed)
    if record is None:
        # PostgreSQL: a twin holds the key's lock, its claim uncommitted (or, rarely, another
        # key with the same lock id). Held and absent: the twin ended (or the row was purged)
        # after our insert; claim again, in a statement that sees what it committed.
        return idempotency_claim(keyed, answer) if held else Claim("in_progress")
    if record.fingerprint != keyed.fingerprint:
        return Claim("mismatch", record)
    if record.state == IdempotencyKey.DONE:
        return Claim("replay", record)
    if not held:
        return Claim("in_progress")
    # A claim committed unanswered by an earlier version of Ordino, whose request is long over
    # (nothing commits a claim without its answer now): this request answers it.
    if answer is not None:
        idempotency_complete(record=record, response=answer)
    return Claim("claimed", record)


# (caller, key) is claimed by the request that inserts its row. On PostgreSQL the insert happens
# only if this transaction takes the key's advisory lock, without waiting, in the same
# statement: a twin whose claim is uncommitted holds it, so the statement never queues on the
# unique index (no lock timeout to set and reset), and whoever holds the lock sees any other
# claim committed. SQLite takes the write lock at BEGIN: a twin's claim is committed or gone.
_INSERT_SQLITE = (
    "INSERT INTO {table} (caller, key, fingerprint, state, claimed_at, response_status,"
    " response_content_type, response_body, created_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (caller, key) DO NOTHING RETURNING id"
)
_INSERT_POSTGRESQL = (
    "INSERT INTO {table} (caller, key, fingerprint, state, claimed_at, response_status,"
    " response_content_type, response_body, created_at)"
    " SELECT %s, %s, %s, %s, %s::timestamptz, %s::smallint, %s, %s::bytea, %s::timestamptz"
    " WHERE pg_try_advisory_xact_lock(%s::bigint)"
    " ON CONFLICT (caller, key) DO NOTHING RETURNING id"
)
_READ_COLUMNS = "k.id, k.fingerprint, k.state, k.response_status, k.response_content_type,"
_READ_COLUMNS += " k.response_body"
_READ_SQLITE = "SELECT 1, {columns} FROM {table} k WHERE k.caller = %s AND k.key = %s"
# Tries the lock again (it is reentrant): whether a twin still runs, beside its committed row.
_READ_POSTGRESQL = (
    "SELECT lock.held, {columns} FROM (SELECT pg_try_advisory_xact_lock(%s::bigint) AS held)"
    " AS lock LEFT JOIN {table} k ON k.caller = %s AND k.key = %s"
)


def key_insert(
    keyed: KeyedRequest, answer: HttpResponse | None, at: datetime | None = None
) -> int | None:
    """The id of the row this transaction inserted for the key (claimed `at`, or now), or
    None."""
    table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(at or utcnow())
    row = [keyed.caller, keyed.key, keyed.fingerprint]
    if answer is None:
        row += [IdempotencyKey.IN_PROGRESS, at, None, "", None, at]
    else:
        row += [IdempotencyKey.DONE, at, *_answer_columns(answer), at]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_INSERT_POSTGRESQL.format(table=table), [*row, keyed.lock_id])
        else:
            cursor.execute(_INSERT_SQLITE.format(table=table), row)
        found = cursor.fetchone()
    return found[0] if found else None


def _key_read(keyed: KeyedRequest) -> tuple[bool, StoredKey | None]:
    """Whether this transaction holds the key (always, on SQLite), and its committed row."""
    table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
    where = [keyed.caller, keyed.key]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = _READ_POSTGRESQL.format(columns=_READ_COLUMNS, table=table)
            cursor.execute(sql, [keyed.lock_id, *where])
        else:
            cursor.execute(_READ_SQLITE.format(columns=_READ_COLUMNS, table=table), where)
        row = cursor.fetchone()
    if row is None:  # SQLite, no row: the key is this transaction's (the write lock is)
        return True, None
    held, pk, fingerprint, state, status, content_type, body = row
    if pk is None:
        return bool(held), None
    body = bytes(body) if body is not None else None
    return bool(held), StoredKey(pk, fingerprint, state, status, content_type or "", body)


def _answer_columns(response: HttpResponse) -> list:
    """response_status, response_content_type, response_body."""
    return [response.status_code, response.get("Content-Type", ""), bytes(response.content)]


def idempotency_complete(*, record: StoredKey, response: HttpResponse) -> None:
    table = connection.ops.quote_name(IdempotencyKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, response_status = %s, response_content_type = %s,"
            " response_body = %s WHERE id = %s",
            [IdempotencyKey.DONE, *_answer_columns(response), record.pk],
        )
