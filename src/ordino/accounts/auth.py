"""Bearer-token authentication for the HTTP API: which token calls, as a `Principal` (the
principal, its scope checks and `principal_of` are in `core/principal.py`)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from ninja.security import HttpBearer

from ordino.accounts.models import ApiToken
from ordino.accounts.person_reach import NOBODY, limits_meet, person_reach
from ordino.accounts.ratelimit import rate_limit_check
from ordino.accounts.services import token_hash, token_used
from ordino.audit.context import actor_set
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.principal import Principal


@dataclass(frozen=True, slots=True)
class TokenCredential:
    """The token behind a Principal, as the hot path reads it: no model instance (building one
    costs more than the query; docs/performance.md, "The API write path")."""

    pk: int
    name: str
    secret_hash: str


# The token with its channel and location limits, in one statement per vendor (written by hand:
# the ORM spent ~1 ms per request building it). Revoked tokens are not read at all.
_LOOKUP = """SELECT t.id, t.name, t.scopes, t.expires_at, t.last_used_at, t.owner_id,
 (SELECT {agg_channel} FROM {channels} c WHERE c.apitoken_id = t.id),
 (SELECT {agg_location} FROM {locations} l WHERE l.apitoken_id = t.id)
 FROM {tokens} t WHERE t.secret_hash = %s AND t.revoked_at IS NULL"""
_lookup_sql: dict[str, str] = {}


def _lookup(vendor: str) -> str:
    if vendor not in _lookup_sql:
        quote = connection.ops.quote_name
        agg = "STRING_AGG({}::text, ',')" if vendor == "postgresql" else "GROUP_CONCAT({})"
        _lookup_sql[vendor] = _LOOKUP.format(
            agg_channel=agg.format("c.channel_id"),
            agg_location=agg.format("l.location_id"),
            channels=quote(ApiToken.channels.through._meta.db_table),
            locations=quote(ApiToken.locations.through._meta.db_table),
            tokens=quote(ApiToken._meta.db_table),
        )
    return _lookup_sql[vendor]


def _ids(text: str | None) -> frozenset[int] | None:
    """Comma-separated ids; None (no limit on that dimension) when there are none."""
    return frozenset(int(part) for part in text.split(",")) if text else None


def _aware(value: datetime | str | None) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite's driver may hand back text or a naive
    datetime; PostgreSQL's an aware one)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def token_principal(request: HttpRequest, secret: str) -> Principal | None:
    """The caller behind a bearer secret, once per request: a Principal found earlier in the same
    request (the Idempotency-Key middleware authenticates before it claims a key) is reused.

    One query reads the token with its limits, every time (nothing cached: a revoked token
    answers 401 from its next request on). None for an unknown or revoked secret; an expired
    token is a 401 `token_expired`; past its rate limit a 429 (RateLimited). A use is noted at
    most once a minute (`token_used`)."""
    secret_hash = token_hash(secret)
    known = getattr(request, "principal", None)
    if known is not None and known.token.secret_hash == secret_hash:
        return known
    with connection.cursor() as cursor:
        cursor.execute(_lookup(connection.vendor), [secret_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, name, scopes, expires_at, last_used_at, owner_id, channel_ids, location_ids = row
    now = utcnow()
    expires_at = _aware(expires_at)
    if expires_at is not None and expires_at <= now:
        raise DomainError(
            "token_expired",
            f"This API token expired at {expires_at.isoformat()}; mint a new one.",
            status=401,
        )
    # A person's token does what the person may do, where they may (docs/people.md); an
    # integration's (no owner) costs no query more.
    person = NOBODY if owner_id is None else person_reach(owner_id)
    if person is None:  # its owner was deactivated: answered as a revoked token
        return None
    rate_limit_check(token_id=token_id, limit=settings.ORDINO_API_RATE_LIMIT, now=time.time())
    token_used(token_id=token_id, last_used_at=_aware(last_used_at), now=now)
    principal = Principal(
        token=TokenCredential(pk=token_id, name=name, secret_hash=secret_hash),
        scopes=json.loads(scopes) if isinstance(scopes, str | bytes) else scopes,
        channel_ids=limits_meet(_ids(channel_ids), person.channel_ids),
        location_ids=limits_meet(_ids(location_ids), person.location_ids),
        permissions=person.permissions,
    )
    request.principal = principal  # type: ignore[attr-defined]
    actor_set(f"token:{name}")  # for the audit; the request's middleware resets it at its end
    return principal


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        return token_principal(request, token)


def request_principal(request: HttpRequest) -> Principal | None:
    """The request's caller, authenticated once: what TokenAuth found, stored on the request as
    `request.principal`, or None without a valid bearer token. For code that must know the
    caller before the API runs (ApiWriteMiddleware claims an Idempotency-Key only for one)."""
    return TokenAuth()(request)  # reads the header as the API does; answers a stored one
