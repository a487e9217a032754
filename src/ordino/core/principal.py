"""Who is calling: the principal an HTTP adapter acts for.

The API's bearer authentication (`accounts/auth.py`) makes one from an API token and the API
stores it as `request.auth`; every module's `api.py` reads it with `principal_of(request)`,
checks the API scope it needs (`require`) and hands the object scope (`core/domain/scope.py`) to
its selectors and services. It lives in core, below every module, so that no module's adapter
imports accounts (docs/architecture.md, "The direction of dependency").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Protocol

from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import Scope
from ordino.core.ports import Port

if TYPE_CHECKING:
    from django.http import HttpRequest


class Credential(Protocol):
    """What the principal was made from (an API token). Its name is the actor that timelines
    and audit records show: `token:<name>`."""

    name: str


def scope_grants(granted: Collection[str], needed: str) -> bool:
    """Whether API scopes `granted` allow `needed`: a `:write` scope implies the `:read` scope of
    the same area (the scopes themselves: `accounts/scopes.py`)."""
    if needed in granted:
        return True
    area, _, mode = needed.partition(":")
    return mode == "read" and f"{area}:write" in granted


class Principal:
    """Who is calling: the credential, its API scopes, the channels/locations it is limited to
    (None: no limit on that dimension) and, for a person's token, the person's permissions
    (`app.codename`; None: an integration's token, or a superuser's, limited by scopes alone)."""

    def __init__(
        self,
        *,
        token: Credential,
        scopes: Iterable[str],
        channel_ids: frozenset[int] | None,
        location_ids: frozenset[int] | None,
        permissions: frozenset[str] | None = None,
    ) -> None:
        self.token = token
        self.scopes: list[str] = list(scopes)
        self.channel_ids = channel_ids
        self.location_ids = location_ids
        self.permissions = permissions

    def require(self, scope: str) -> None:
        if not scope_grants(self.scopes, scope):
            raise DomainError(
                "insufficient_scope", f"This token lacks the scope {scope!r}.", status=403
            )

    def require_permission(self, permission: str | None) -> None:
        """A person's token does what the person may do (docs/people.md, "A person's API
        tokens"): the operation's permission (`accounts/api_permissions.py`) must be theirs."""
        if permission is None or self.permissions is None or permission in self.permissions:
            return
        raise DomainError(
            "permission_denied",
            f"This token belongs to a person whose roles do not permit {permission!r}.",
            status=403,
        )

    def person_may(self, action: str) -> bool | None:
        """May the person behind this principal (the console user, the token's owner) run
        `action` (docs/people.md)? None: there is none (an integration's token)."""
        return person_may(credential=self.token, action=action)

    @property
    def scope(self) -> Scope:
        """What this principal may see and do: the rule is in `core/domain/scope.py`."""
        return Scope(channel_ids=self.channel_ids, location_ids=self.location_ids)


# May the person behind a credential run `action` (accounts.roles.may on the console user, or on
# the API token's owner)? None: no person (a token without an owner). Served by accounts,
# plugged in wiring.py.
person_may: Port = Port("core.person_may", "may the person behind a credential run an action")


def principal_of(request: HttpRequest) -> Principal:
    """The caller the API authenticated for this request (`request.auth`)."""
    return request.auth  # type: ignore[attr-defined,return-value]
