"""Use cases of access: minting and revoking API tokens, and noting when one was last used."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache

from ordino.accounts.models import ApiToken
from ordino.accounts.scopes import scopes_parse
from ordino.audit.services import audit_record
from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import use_case_atomic
from ordino.locations.models import Location

MAX_EXPIRY_DAYS = 3650
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class MintedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_create(
    *,
    name: str,
    scopes: str | list[str],
    channel_codes: list[str] | None = None,
    location_codes: list[str] | None = None,
    expires_in_days: int | None = None,
    owner=None,
) -> MintedToken:
    """Mint a token; `owner`: the user it belongs to (revoked when they are deactivated)."""
    if not name.strip():
        raise DomainError("invalid_name", "A token needs a name.", field="name")
    expires_at = _expiry(expires_in_days)
    try:
        parsed = scopes_parse(scopes)
    except ValueError as exc:
        raise DomainError("invalid_scope", str(exc), field="scopes") from None
    if not parsed:
        raise DomainError("invalid_scope", "A token needs at least one scope.", field="scopes")
    secret = "ord_" + secrets.token_urlsafe(32)
    with use_case_atomic():
        token = ApiToken.objects.create(
            name=name.strip(),
            prefix=secret[:12],
            secret_hash=token_hash(secret),
            scopes=parsed,
            expires_at=expires_at,
            owner=owner,
        )
        for codes, model, relation in (
            (channel_codes, Channel, token.channels),
            (location_codes, Location, token.locations),
        ):
            if not codes:
                continue
            found = list(model.objects.filter(code__in=codes))
            missing = sorted(set(codes) - {o.code for o in found})
            if missing:
                raise DomainError(
                    f"{model._meta.model_name}_not_found",
                    f"Unknown {model._meta.model_name} code(s): {', '.join(missing)}.",
                )
            relation.set(found)
        audit_record(
            object_type="api_token",
            object_id=token.pk,
            label=token.name,
            action="created",
            after=_described(token, channel_codes, location_codes),
        )
    return MintedToken(token=token, secret=secret)


def _described(token: ApiToken, channels, locations) -> dict:
    return {"name": token.name, "scopes": token.scopes, "channels": sorted(channels or []),
            "locations": sorted(locations or []), "expires_at": token.expires_at,
            "owner": token.owner.get_username() if token.owner else None}  # fmt: skip


def _expiry(days: int | None) -> datetime | None:
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXPIRY_DAYS:
        raise DomainError(
            "invalid_expiry",
            f"A token expires in 1 to {MAX_EXPIRY_DAYS} days, or never.",
            field="expires_in_days",
        )
    return utcnow() + timedelta(days=days)


def token_used(*, token_id: int, last_used_at: datetime | None, now: datetime) -> None:
    """Note that the token `token_id` (last used at `last_used_at`) answered a request: one
    conditional UPDATE at most once a minute, so the API's hot path almost never writes."""
    if last_used_at is not None and last_used_at > now - LAST_USED_RESOLUTION:
        return
    # One process per minute writes; the others do not even queue on the row's lock.
    try:
        first = cache.add(f"ordino:token-used:{token_id}", 1, timeout=LAST_USED_RESOLUTION.seconds)
    except Exception:  # the cache is down: the conditional update alone still holds
        first = True
    if not first:
        return
    ApiToken.objects.filter(pk=token_id).exclude(
        last_used_at__gt=now - LAST_USED_RESOLUTION
    ).update(last_used_at=now)


def token_revoke(*, token: ApiToken, reason: str = "") -> ApiToken:
    with use_case_atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=utcnow()
        )
        token.refresh_from_db()
        if revoked:
            audit_record(object_type="api_token", object_id=token.pk, label=token.name,
                         action="revoked", before={"revoked_at": None},
                         after={"revoked_at": token.revoked_at}, reason=reason)  # fmt: skip
    return token
