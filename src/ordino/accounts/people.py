"""People: deactivating and reactivating users, and the user report (docs/people.md).

A deactivated user cannot sign in (Django refuses an inactive user, and their open sessions
end: the session's user is no longer found), and every API token they own is revoked in the same
transaction. Reactivating does not bring the tokens back: mint new ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User

from ordino.accounts.models import ApiToken
from ordino.audit.services import audit_record
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import use_case_atomic

IDLE_AFTER = timedelta(days=30)  # the report's "idle": no sign-in for this long


def token_owners() -> dict[str, str]:
    """{'token:<name>': the owner's username} of every token a person owns (revoked ones too:
    what they did stays theirs), as the timelines name a token's actor. One query."""
    return {
        f"token:{name}": username
        for name, username in ApiToken.objects.filter(owner__isnull=False)
        .order_by("id")
        .values_list("name", "owner__username")
    }


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound("user", username, field="username")
    return user


def user_deactivate(*, username: str, reason: str) -> tuple[User, int]:
    """Deactivate a user and revoke their tokens: (the user, how many tokens were revoked)."""
    if not reason.strip():
        raise DomainError("reason_required", "Say why the user is deactivated.", field="reason")
    user = _user(username)
    if not user.is_active:
        raise DomainError("user_inactive", f"{username!r} is already deactivated.", status=409)
    with use_case_atomic():
        _active_set(user, False)
        now = utcnow()
        revoked = list(ApiToken.objects.filter(owner=user, revoked_at__isnull=True)
                       .values_list("pk", flat=True))  # fmt: skip
        ApiToken.objects.filter(pk__in=revoked).update(revoked_at=now)
        audit_record(object_type="user", object_id=user.pk, label=username, action="deactivated",
                     before={"is_active": True},
                     after={"is_active": False, "tokens_revoked": sorted(revoked)},
                     reason=reason)  # fmt: skip
    return user, len(revoked)


def user_reactivate(*, username: str, reason: str) -> User:
    if not reason.strip():
        raise DomainError("reason_required", "Say why the user is reactivated.", field="reason")
    user = _user(username)
    if user.is_active:
        raise DomainError("user_active", f"{username!r} is active.", status=409)
    with use_case_atomic():
        _active_set(user, True)
        audit_record(object_type="user", object_id=user.pk, label=username, action="reactivated",
                     before={"is_active": False}, after={"is_active": True},
                     reason=reason)  # fmt: skip
    return user


def _active_set(user: User, active: bool) -> None:
    """One conditional UPDATE: of two racing requests, the second changes nothing and is told."""
    if not User.objects.filter(pk=user.pk, is_active=not active).update(is_active=active):
        raise DomainError("user_changed", f"{user.username!r} was just changed; try again.",
                          status=409)  # fmt: skip
    user.is_active = active


@dataclass(frozen=True)
class UserLine:
    username: str
    name: str
    email: str
    active: bool
    superuser: bool
    last_login: datetime | None
    roles: tuple[str, ...]
    channels: tuple[str, ...]  # the console access: empty, every channel
    locations: tuple[str, ...]


@dataclass(frozen=True)
class UsersReport:
    seats: int | None  # ORDINO_SEATS; None: not stated
    active: int
    inactive: int
    seats_left: int | None  # negative: more active users than seats
    never_signed_in: int  # active users only
    idle: int  # active users without a sign-in for IDLE_AFTER (never included)
    users: tuple[UserLine, ...]
    roles: dict[str, tuple[str, ...]]  # each role's active members


def users_report(*, now: datetime | None = None) -> UsersReport:
    """Active users against the contracted seats, their last sign-ins, and who holds each role.
    Four queries whatever the number of users."""
    now = now or utcnow()
    users = list(
        User.objects.order_by("username").prefetch_related(
            "groups", "staff_access__channels", "staff_access__locations"
        )
    )
    lines = tuple(_line(user) for user in users)
    active = [line for line in lines if line.active]
    seats = settings.ORDINO_SEATS or None
    roles: dict[str, list[str]] = {}
    for line in active:
        for role in line.roles:
            roles.setdefault(role, []).append(line.username)
    return UsersReport(
        seats=seats,
        active=len(active),
        inactive=len(lines) - len(active),
        seats_left=None if seats is None else seats - len(active),
        never_signed_in=sum(1 for line in active if line.last_login is None),
        idle=sum(
            1 for line in active if line.last_login is None or line.last_login < now - IDLE_AFTER
        ),
        users=lines,
        roles={name: tuple(members) for name, members in sorted(roles.items())},
    )


def _line(user: User) -> UserLine:
    access = getattr(user, "staff_access", None) if _has_access(user) else None
    return UserLine(
        username=user.username,
        name=user.get_full_name(),
        email=user.email,
        active=user.is_active,
        superuser=user.is_superuser,
        last_login=user.last_login,
        roles=tuple(sorted(g.name for g in user.groups.all())),
        channels=tuple(sorted(c.code for c in access.channels.all())) if access else (),
        locations=tuple(sorted(loc.code for loc in access.locations.all())) if access else (),
    )


def _has_access(user: User) -> bool:
    try:
        user.staff_access  # noqa: B018  (prefetched: no query)
    except User.staff_access.RelatedObjectDoesNotExist:
        return False
    return True
