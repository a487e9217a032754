"""Single sign-on's use cases (docs/sso.md): signing a verified person in — their user found
by (issuer, subject) or made, their roles re-synced from their groups — and the mapping of
identity-provider groups to roles."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import IntegrityError
from django.utils import timezone

from ordino.audit.services import audit_record
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.sso.domain.identity import (
    IDP_GROUP_MAX,
    SsoRefused,
    email_verified,
    idp_groups_of,
    profile_of,
    roles_granted,
    subject_of,
    username_base,
    username_candidates,
)
from ordino.sso.models import IdpGroupRole, SsoIdentity


def sso_sign_in(*, issuer: str, claims: Mapping[str, object], groups_claim: str):
    """The user the verified `claims` are. Refused (SsoRefused, nothing written) when the
    groups give no role, or the user is deactivated in Ordino. Otherwise the user is made on
    the first sign-in, and at every sign-in their mapped roles become exactly what the groups
    give (roles no mapping names — given by hand in Ordino — are left alone)."""
    subject = subject_of(claims)
    # decided from reads first: a refusal leaves before the transaction, writing nothing
    mapping = list(IdpGroupRole.objects.values_list("idp_group", "role__name"))
    granted = roles_granted(idp_groups_of(claims, groups_claim), mapping)
    identity = (
        SsoIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    user = identity.user if identity else _verified_email_user(claims)
    if user is not None and not user.is_active:
        raise SsoRefused("user_inactive", f"user {user.pk} is deactivated")
    if not granted:
        raise SsoRefused("no_role", f"no mapping for the groups of {subject!r}")
    try:
        # a savepoint (core/transactions.py): the unique insert a concurrent twin may win
        with savepoint():
            if user is None:
                user = _user_create(claims)
            if identity is None:
                identity = SsoIdentity.objects.create(issuer=issuer, subject=subject, user=user)
            _profile_update(user, claims)
            _roles_sync(user, granted, managed={role for _, role in mapping})
            identity.last_login_at = timezone.now()
            identity.save(update_fields=["last_login_at"])
    except IntegrityError:
        # the same person's first sign-in twice at once (two tabs), or a username taken in
        # between: the other one won, and a new attempt finds what it made
        raise SsoRefused("try_again", f"a concurrent first sign-in of {subject!r}") from None
    return user


def _verified_email_user(claims: Mapping[str, object]):
    """An Ordino user made before SSO (a password user) is linked on their first sign-in when
    the provider vouches for the e-mail address and exactly one user without an identity has
    it; otherwise a new user is made."""
    email = profile_of(claims).email
    if not email or not email_verified(claims):
        return None
    users = list(
        get_user_model().objects.filter(email__iexact=email, sso_identities__isnull=True)[:2]
    )
    return users[0] if len(users) == 1 else None


def _user_create(claims: Mapping[str, object]):
    users = get_user_model().objects
    base = username_base(claims)
    taken = set(users.filter(username__startswith=base).values_list("username", flat=True))
    username = next(name for name in username_candidates(base) if name not in taken)
    profile = profile_of(claims)
    user = users.create_user(
        username,
        email=profile.email,
        first_name=profile.first_name,
        last_name=profile.last_name,
        is_staff=True,  # the console is what SSO signs into
    )
    user.set_unusable_password()  # signs in through the provider only
    user.save(update_fields=["password"])
    return user


def _profile_update(user: AbstractBaseUser, claims: Mapping[str, object]) -> None:
    profile = profile_of(claims)
    changed = {
        field: value
        for field, value in (
            ("email", profile.email),
            ("first_name", profile.first_name),
            ("last_name", profile.last_name),
        )
        if value and getattr(user, field) != value
    }
    for field, value in changed.items():
        setattr(user, field, value)
    if not user.is_staff:
        user.is_staff = True
        changed["is_staff"] = True
    if changed:
        user.save(update_fields=list(changed))


def _roles_sync(user, granted: frozenset[str], *, managed: set[str]) -> None:
    roles = Group.objects.filter(name__in=managed)
    had = sorted(user.groups.filter(name__in=managed).values_list("name", flat=True))
    user.groups.remove(*[role for role in roles if role.name not in granted])
    user.groups.add(*[role for role in roles if role.name in granted])
    has = sorted(role.name for role in roles if role.name in granted)
    if had != has:  # the identity provider's groups changed the user's roles
        audit_record(object_type="user", object_id=user.pk, label=user.get_username(),
                     action="roles_synced", actor="system:sso", before={"roles": had},
                     after={"roles": has})  # fmt: skip


def idp_group_map(*, idp_group: str, role_name: str) -> IdpGroupRole:
    """The IdP group gives the role (a Django Group by its exact name) from the next sign-in
    on. Mapping it twice is no change."""
    idp_group = idp_group.strip()
    if not idp_group or len(idp_group) > IDP_GROUP_MAX:
        raise DomainError(
            "invalid_idp_group",
            f"An identity-provider group is 1 to {IDP_GROUP_MAX} characters.",
            field="idp_group",
        )
    role = Group.objects.filter(name=role_name).first()
    if role is None:
        raise NotFound("role", role_name, field="role")
    with use_case_atomic():
        mapping, created = IdpGroupRole.objects.get_or_create(idp_group=idp_group, role=role)
        if created:
            audit_record(object_type="idp_group", object_id=idp_group, label=idp_group,
                         action="mapped", before=None, after={"role": role.name})  # fmt: skip
        return mapping


def idp_group_unmap(*, idp_group: str, role_name: str | None = None) -> int:
    """The IdP group gives the role (every role, without one) no more, from the next sign-in
    on. How many mappings went; none is a 404."""
    rows = IdpGroupRole.objects.filter(idp_group=idp_group.strip())
    if role_name is not None:
        rows = rows.filter(role__name=role_name)
    if not rows.exists():
        raise NotFound("idp_group_mapping", idp_group, field="idp_group")
    with use_case_atomic():
        roles = sorted(rows.values_list("role__name", flat=True))
        removed, _ = rows.delete()
        for name in roles:
            audit_record(object_type="idp_group", object_id=idp_group.strip(), action="unmapped",
                         label=idp_group.strip(), before={"role": name}, after=None)  # fmt: skip
    return removed
