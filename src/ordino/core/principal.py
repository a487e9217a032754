"""Who is calling: the principal an HTTP adapter acts for.

The API's bearer authentication (`accounts/auth.py`) makes one from an API token and the API
stores it as `request.auth`; every module's `api.py` reads it with `principal_of(request)`,
checks the API scope it needs (`require`) and hands the object scope (`core/domain/scope.py`) to
its selectors and services. It lives in core, below every module, so that no module's adapter
imports accounts (docs/architecture.md, "The direction of dependency").
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable
from typing import TYPE_CHECKING, Protocol

from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import Scope

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


# The app whose Django permissions are the action permissions (`accounts/roles.py`, APP_LABEL):
# `person_may("refund")` asks for "accounts.refund".
ACTION_APP_LABEL = "accounts"

# A permission: "app.codename", or a tuple of them of which any one will do (the console lets
# who may view a page, or who may change what it shows, read it); None: none is needed.
Permission = str | tuple[str, ...] | None


class Everything:
    """The permissions of a superuser: every one (Django's ModelBackend rule)."""

    def __contains__(self, permission: object) -> bool:
        return True


EVERYTHING = Everything()


def permission_names(permission: Permission) -> tuple[str, ...]:
    """The permissions any one of which `permission` asks for (none: no permission needed)."""
    if permission is None:
        return ()
    return (permission,) if isinstance(permission, str) else permission


class Principal:
    """Who is calling: the credential, its API scopes, the channels/locations it is limited to
    (None: no limit on that dimension) and the permissions of the person behind it (`app.codename`;
    EVERYTHING for a superuser; None: no person, an integration's token, limited by scopes
    alone). Read once when the principal is made (`accounts/person_reach.py` for a token), so
    checking a permission costs no statement."""

    def __init__(
        self,
        *,
        token: Credential,
        scopes: Iterable[str],
        channel_ids: frozenset[int] | None,
        location_ids: frozenset[int] | None,
        permissions: Container[str] | None = None,
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

    def require_permission(self, permission: Permission) -> None:
        """A person's token does, and reads, what the person may in the console (docs/people.md,
        "A person's API tokens"): the operation's permission (`accounts/api_permissions.py`,
        `accounts/api_read_permissions.py`), or one of them, must be theirs."""
        names = permission_names(permission)
        if not names or self.permissions is None:
            return
        if any(name in self.permissions for name in names):
            return
        asked = " or ".join(repr(name) for name in names)
        refused = DomainError(
            "permission_denied",
            f"This token belongs to a person whose roles do not permit {asked}.",
            status=403,
        )
        refused.extensions = {"permissions": list(names)}  # type: ignore[attr-defined]
        raise refused

    def person_may(self, action: str) -> bool | None:
        """May the person behind this principal (the console user, the token's owner) run the
        action permission `action` (`accounts/roles.py`, docs/people.md)? None: there is no
        person (an integration's token)."""
        if self.permissions is None:
            return None
        return f"{ACTION_APP_LABEL}.{action}" in self.permissions

    @property
    def scope(self) -> Scope:
        """What this principal may see and do: the rule is in `core/domain/scope.py`."""
        return Scope(channel_ids=self.channel_ids, location_ids=self.location_ids)


def principal_of(request: HttpRequest) -> Principal:
    """The caller the API authenticated for this request (`request.auth`)."""
    return request.auth  # type: ignore[attr-defined,return-value]
