"""Bearer-token authentication for the HTTP API: which token calls, as a `Principal` (the
principal, its scope checks and `principal_of` are in `core/principal.py`)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.http import HttpRequest
from ninja.security import HttpBearer

from ordino.accounts.models import ApiToken
from ordino.accounts.ratelimit import rate_limit_check
from ordino.accounts.services import token_hash, token_used
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.principal import Principal


def _principal(token: ApiToken) -> Principal:
    return Principal(
        token=token,
        scopes=token.scopes,
        # Read with the token in one query (see token_principal); None means no restriction.
        channel_ids=_ids(getattr(token, "channel_id_list", None)),
        location_ids=_ids(getattr(token, "location_id_list", None)),
    )


def _ids(text: str | None) -> frozenset[int] | None:
    return frozenset(int(part) for part in text.split(",")) if text else None


class IdList(Aggregate):
    """Comma-separated ids, on SQLite and PostgreSQL alike."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s::text, ',')",
            **extra,
        )


def _id_list(through, owner: str, target: str) -> Subquery:
    return Subquery(
        through.objects.filter(**{owner: OuterRef("pk")})
        .values(owner)
        .annotate(ids=IdList(target))
        .values("ids")
    )


def token_principal(request: HttpRequest, secret: str) -> Principal | None:
    """The caller behind a bearer secret, once per request: a Principal found earlier in the same
    request (the Idempotency-Key middleware authenticates before it claims a key) is reused.

    One query reads the token with its limits. None for an unknown or revoked secret; an expired
    token is a 401 `token_expired`; past its rate limit a 429 (RateLimited). A use is noted at
    most once a minute (`token_used`)."""
    secret_hash = token_hash(secret)
    known = getattr(request, "principal", None)
    if known is not None and known.token.secret_hash == secret_hash:
        return known
    found = (
        ApiToken.objects.filter(secret_hash=secret_hash, revoked_at__isnull=True)
        .annotate(
            channel_id_list=_id_list(ApiToken.channels.through, "apitoken_id", "channel_id"),
            location_id_list=_id_list(ApiToken.locations.through, "apitoken_id", "location_id"),
        )
        .first()
    )
    if found is None:
        return None
    now = utcnow()
    if found.expires_at is not None and found.expires_at <= now:
        raise DomainError(
            "token_expired",
            f"This API token expired at {found.expires_at.isoformat()}; mint a new one.",
            status=401,
        )
    rate_limit_check(token_id=found.pk, limit=settings.ORDINO_API_RATE_LIMIT, now=time.time())
    token_used(token=found, now=now)
    principal = _principal(found)
    request.principal = principal  # type: ignore[attr-defined]
    return principal


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        return token_principal(request, token)


def request_principal(request: HttpRequest) -> Principal | None:
    """The request's caller, authenticated once: what TokenAuth found, stored on the request as
    `request.principal`, or None without a valid bearer token. For code that must know the
    caller before the API runs (ApiWriteMiddleware claims an Idempotency-Key only for one)."""
    return TokenAuth()(request)  # reads the header as the API does; answers a stored one
