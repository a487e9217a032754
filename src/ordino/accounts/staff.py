"""Console users as principals: the same `Principal` the API makes from a token, made from the
signed-in user and their `StaffAccess` (docs/console.md, "Who sees what"). Every console page
hands `console_principal(request).scope` to the selectors and use cases it calls, so a user
limited to a store sees, and changes, that store's work only (outside it: 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from ordino.accounts.models import StaffAccess
from ordino.accounts.scopes import SCOPES
from ordino.core.principal import Principal


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
        permissions=UserPermissions(user),
    )
    request.console_principal = principal  # type: ignore[attr-defined]
    return principal


class UserPermissions:
    """A console user's permissions as a principal holds them: asked of Django (`has_perm`,
    which reads them once per request and knows superusers and inactive users), only when a
    check needs them, so a page that asks none costs no statement."""

    def __init__(self, user) -> None:
        self.user = user

    def __contains__(self, permission: object) -> bool:
        return isinstance(permission, str) and self.user.has_perm(permission)
