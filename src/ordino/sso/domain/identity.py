"""Pure rules of a single sign-on (docs/sso.md): what a verified set of claims says about the
person — their identity-provider groups, the Ordino roles those give, a username, a profile —
and the refusals. No Django, no I/O."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ordino.core.domain.errors import DomainError

ISSUER_MAX = 255
SUBJECT_MAX = 255
IDP_GROUP_MAX = 255
# A token listing more groups than this is cut to its first ones: an IdP may send hundreds
# (Entra ID), and only mapped ones matter.
IDP_GROUPS_MAX = 500
USERNAME_MAX = 150  # django.contrib.auth's column
NAME_MAX = 150
EMAIL_MAX = 254

# Why a sign-in was refused: the code travels in the login page's ?sso_error= and the log; the
# message is what the login page shows.
REFUSALS: dict[str, str] = {
    "sso_not_configured": "Single sign-on is not configured.",
    "bad_state": "The sign-in did not start here or was already used. Please try again.",
    "provider_error": "The identity provider did not sign you in.",
    "provider_unreachable": "The identity provider could not be reached. Please try again.",
    "bad_signature": "The identity provider's token is not validly signed.",
    "wrong_audience": "The identity provider's token was issued for another application.",
    "wrong_issuer": "The identity provider's token comes from another issuer.",
    "token_expired": "The identity provider's token has expired. Please sign in again.",
    "bad_nonce": "The identity provider's token does not belong to this sign-in.",
    "invalid_token": "The identity provider's token is not valid.",
    "no_role": "Your groups at the identity provider give you no role in Ordino.",
    "user_inactive": "Your Ordino account is deactivated.",
}


class SsoRefused(DomainError):
    status = 403

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, REFUSALS[code])
        self.detail = detail  # for the log only: never shown to the person signing in


@dataclass(frozen=True)
class Profile:
    email: str
    first_name: str
    last_name: str


def claim_at(claims: Mapping[str, object], path: str) -> object:
    """A claim by name, or by a dotted path into nested objects (Keycloak's
    `realm_access.roles`). A name that exists as is wins over the path."""
    if path in claims:
        return claims[path]
    value: object = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def idp_groups_of(claims: Mapping[str, object], claim_name: str) -> frozenset[str]:
    """The groups claim: a list of strings (or one string); anything else means no groups.
    Names are kept as the IdP spells them (a mapping matches exactly)."""
    value = claim_at(claims, claim_name)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return frozenset()
    groups = (g.strip() for g in value[:IDP_GROUPS_MAX] if isinstance(g, str))
    return frozenset(g for g in groups if g and len(g) <= IDP_GROUP_MAX)


def roles_granted(idp_groups: Iterable[str], mapping: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The Ordino role names the groups give, from (idp group, role name) pairs."""
    held = set(idp_groups)
    return frozenset(role for group, role in mapping if group in held)


_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


def username_base(claims: Mapping[str, object]) -> str:
    """A readable username: preferred_username, else the e-mail address, else one derived from
    the subject. Only the characters Django's usernames allow; short enough to take a suffix."""
    for name in ("preferred_username", "email"):
        value = claims.get(name)
        if isinstance(value, str):
            cleaned = _USERNAME_UNSAFE.sub("", value.strip())[: USERNAME_MAX - 8]
            if cleaned:
                return cleaned
    subject = str(claims.get("sub", ""))
    return "sso-" + hashlib.sha256(subject.encode()).hexdigest()[:16]


def username_candidates(base: str) -> Iterable[str]:
    """`alice`, `alice-2`, `alice-3`, ... for when the name is taken by another user."""
    yield base
    for n in range(2, 1000):
        yield f"{base}-{n}"


def profile_of(claims: Mapping[str, object]) -> Profile:
    def text(name: str, limit: int) -> str:
        value = claims.get(name)
        return value.strip()[:limit] if isinstance(value, str) else ""

    email = text("email", EMAIL_MAX + 1)
    return Profile(
        email=email if len(email) <= EMAIL_MAX and "@" in email else "",
        first_name=text("given_name", NAME_MAX),
        last_name=text("family_name", NAME_MAX),
    )


def email_verified(claims: Mapping[str, object]) -> bool:
    # Some providers send the string "true" (older Cognito); only a real yes links an account.
    return claims.get("email_verified") in (True, "true")


def subject_of(claims: Mapping[str, object]) -> str:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > SUBJECT_MAX:
        raise SsoRefused("invalid_token", "the token's sub is missing or too long")
    return subject
