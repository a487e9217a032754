"""Use cases of access: minting and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction

from ordino.accounts.models import ApiToken
from ordino.accounts.scopes import scopes_parse
from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.locations.models import Location


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
) -> MintedToken:
    if not name.strip():
        raise DomainError("invalid_name", "A token needs a name.", field="name")
    try:
        parsed = scopes_parse(scopes)
    except ValueError as exc:
        raise DomainError("invalid_scope", str(exc), field="scopes") from None
    if not parsed:
        raise DomainError("invalid_scope", "A token needs at least one scope.", field="scopes")
    secret = "ord_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name.strip(), prefix=secret[:12], secret_hash=token_hash(secret), scopes=parsed
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
    return MintedToken(token=token, secret=secret)


def token_revoke(*, token: ApiToken) -> ApiToken:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=utcnow())
    token.refresh_from_db()
    return token
