"""The pure rules of a sign-in (sso/domain/identity.py)."""

from __future__ import annotations

from ordino.sso.domain.identity import (
    idp_groups_of,
    profile_of,
    roles_granted,
    username_base,
)


def test_groups_from_a_list_a_string_a_nested_claim_or_nothing():
    assert idp_groups_of({"groups": ["a", " b ", "", 3]}, "groups") == {"a", "b"}
    assert idp_groups_of({"groups": "admins"}, "groups") == {"admins"}
    nested = {"realm_access": {"roles": ["ops"]}}
    assert idp_groups_of(nested, "realm_access.roles") == {"ops"}
    assert idp_groups_of({"groups": {"a": 1}}, "groups") == frozenset()
    assert idp_groups_of({}, "groups") == frozenset()
    assert idp_groups_of({"groups": ["x" * 256]}, "groups") == frozenset()


def test_roles_granted_by_the_mapped_groups_only():
    mapping = [("cs", "Customer service"), ("cs", "Store staff"), ("fin", "Finance")]
    assert roles_granted({"cs", "other"}, mapping) == {"Customer service", "Store staff"}
    assert roles_granted(set(), mapping) == frozenset()


def test_username_from_preferred_username_then_email_then_subject():
    assert username_base({"preferred_username": "j doe!", "email": "j@x.io"}) == "jdoe"
    assert username_base({"email": "j@x.io"}) == "j@x.io"
    assert username_base({"sub": "123"}).startswith("sso-")
    assert len(username_base({"preferred_username": "a" * 400})) == 142


def test_profile_keeps_only_a_plausible_email():
    assert profile_of({"email": "nope", "given_name": "Ann"}).email == ""
    assert profile_of({"email": "a@b.c", "family_name": "Lee"}).last_name == "Lee"
