"""Console users as principals: the same `Principal` the API makes from a token, made from the
signed-in user and their `StaffAccess` (docs/console.md, "Who sees what"). Every console page
hands `console_principal(request).scope` to the selectors and use cases it calls, so a user
limited to a store sees, and changes, that store's work only (outside it: 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from ordino.accounts.auth import TokenCredential
from ordino.accounts.models import ApiToken, StaffAccess
from ordino.accounts.roles import ACTIONS, may
from ordino.accounts.scopes import SCOPES
from ordino.core.principal import Credential, Principal


@dataclass(frozen=True)
class UserCredential:
    """A console user; `name` is the actor timelines show (`user:<username>`)."""

    pk: int
    name: str


def staff_limits(user) -> tuple[frozenset[int] | None, frozenset[int] | None]:
    """(channel ids, location ids) the user is limited to; None: no limit on that dimension."""
    if user.is_superuser or not user.is_authenticated:  # the sign-in page: nobody yet
        return None, None
    access = StaffAccess.objects.filter(user=user).first()
    if access is None:
        return None, None
    channels = frozenset(access.channels.values_list("pk", flat=True))
    locations = frozenset(access.locations.values_list("pk", flat=True))
    return channels or None, locations or None


def console_principal(request: HttpRequest) -> Principal:
    """The signed-in console user as a principal (cached on the request). Console permissions
    are Django's model permissions; the API scopes are all granted, the object scope is not."""
    known = getattr(request, "console_principal", None)
    if known is not None:
        return known
    user = request.user
    channel_ids, location_ids = staff_limits(user)
    principal = Principal(
        token=UserCredential(pk=user.pk, name=f"user:{user.get_username()}"),
        scopes=SCOPES,
        channel_ids=channel_ids,
        location_ids=location_ids,
    )
    request.console_principal = principal  # type: ignore[attr-defined]
    return principal


def credential_person_may(*, credential: Credential, action: str) -> bool | None:
    """May the person behind a principal run `action`: the console user, or the API token's
    owner (`ApiToken.owner`); None for a token nobody owns. An unknown action: nobody."""
    if isinstance(credential, UserCredential):
        user = get_user_model().objects.filter(pk=credential.pk).first()
    elif isinstance(credential, TokenCredential):
        token = ApiToken.objects.select_related("owner").filter(pk=credential.pk).first()
        user = token.owner if token is not None else None
        if user is None:
            return None
    else:
        return None
    return action in ACTIONS and may(user, action)
