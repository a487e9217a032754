"""Bearer-token authentication and scope checks for the HTTP API."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest
from ninja.security import HttpBearer

from ordino.accounts.models import ApiToken
from ordino.accounts.scopes import scope_grants
from ordino.accounts.services import token_hash
from ordino.core.domain.errors import DomainError


class Principal:
    """Who is calling: the token, its scopes, and the channels/locations it is limited to."""

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        self.scopes: list[str] = list(token.scopes)

    @cached_property
    def channel_ids(self) -> frozenset[int] | None:
        ids = frozenset(self.token.channels.values_list("id", flat=True))
        return ids or None  # None: every channel

    @cached_property
    def location_ids(self) -> frozenset[int] | None:
        ids = frozenset(self.token.locations.values_list("id", flat=True))
        return ids or None

    def require(self, scope: str) -> None:
        if not scope_grants(self.scopes, scope):
            raise DomainError(
                "insufficient_scope", f"This token lacks the scope {scope!r}.", status=403
            )

    def sees_channel(self, channel_id: int) -> bool:
        return self.channel_ids is None or channel_id in self.channel_ids

    def sees_location(self, location_id: int) -> bool:
        return self.location_ids is None or location_id in self.location_ids


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        found = ApiToken.objects.filter(
            secret_hash=token_hash(token), revoked_at__isnull=True
        ).first()
        if found is None:
            return None
        principal = Principal(found)
        request.principal = principal  # type: ignore[attr-defined]
        return principal


def principal_of(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined,return-value]
