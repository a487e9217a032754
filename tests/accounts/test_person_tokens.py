"""A person's API token does what the person may do, where they may (docs/people.md, "A person's
API tokens"): the principal carries the owner's permissions and meets the owner's console access
with the token's own limits; an integration's token costs no query more. The whole API × roles
matrix is tests/reliability/test_role_matrix.py."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ordino.accounts.auth import token_principal
from ordino.accounts.models import StaffAccess
from ordino.accounts.person_reach import limits_meet, person_reach
from ordino.accounts.roles import ROLE_NAMES, roles_install
from ordino.accounts.staff import staff_limits
from ordino.core.domain.errors import DomainError
from ordino.core.principal import EVERYTHING
from tests.factories import make_channel, make_location, make_token

pytestmark = pytest.mark.django_db


def principal_of(secret: str):
    return token_principal(RequestFactory().get("/api/v1/orders"), secret)


@pytest.fixture
def clerk() -> User:
    """Store staff limited to STORE-1."""
    roles_install(Group, Permission)
    make_channel("web", currency="EUR")
    store = make_location("STORE-1", kind="store")
    make_location("STORE-2", kind="store")
    user = User.objects.create_user("clara", password="a-long-enough-pass-9", is_staff=True)
    user.groups.add(Group.objects.get(name="store staff"))
    StaffAccess.objects.create(user=user).locations.add(store)
    return user


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        (None, None, None),
        (frozenset({1}), None, frozenset({1})),
        (None, frozenset({2}), frozenset({2})),
        (frozenset({1, 2}), frozenset({2, 3}), frozenset({2})),
        (frozenset({1}), frozenset({2}), frozenset()),  # nothing at all, not "no limit"
    ],
)
def test_two_limits_meet_in_their_intersection(first, second, meet):
    assert limits_meet(first, second) == meet


def test_a_clerks_token_carries_their_permissions_and_their_store(clerk):
    # given a clerk's all-scope token minted limited to STORE-2 and the channel web
    secret = make_token("*", name="handheld", owner=clerk, location_codes=["STORE-2"],
                        channel_codes=["web"])  # fmt: skip
    # when it authenticates
    principal = principal_of(secret)
    # then it reaches where both reach (nothing: STORE-1 ∩ STORE-2), in the channel web
    assert principal.location_ids == frozenset()
    assert principal.channel_ids is not None and len(principal.channel_ids) == 1
    # and permits what store staff may do, not more
    assert "accounts.fulfil" in principal.permissions
    principal.require_permission("accounts.fulfil")
    with pytest.raises(DomainError) as refused:
        principal.require_permission("accounts.refund")
    assert (refused.value.code, refused.value.status) == ("permission_denied", 403)


def test_an_unlimited_token_of_a_clerk_is_limited_to_their_store(clerk):
    principal = principal_of(make_token("*", name="handheld", owner=clerk))
    store = clerk.staff_access.locations.get()
    assert (principal.location_ids, principal.channel_ids) == (frozenset({store.pk}), None)


def test_an_integrations_token_and_a_superusers_are_limited_by_scopes_alone(db):
    root = User.objects.create_superuser("root", "root@example.com", "a-long-enough-pass-9")
    integration = principal_of(make_token("*", name="erp"))
    superuser = principal_of(make_token("*", name="root's", owner=root))
    # an integration's has no person behind it; a superuser may everything
    assert integration.permissions is None and integration.person_may("approve") is None
    assert superuser.permissions is EVERYTHING and superuser.person_may("approve") is True
    for principal in (integration, superuser):
        principal.require_permission("accounts.refund")  # no refusal
        principal.require_permission(("accounts.see_finance", "accounts.see_audit"))


def test_a_persons_may_answers_from_the_permissions_read_with_the_token(clerk):
    # given a store clerk's token, authenticated (its owner's permissions read with it)
    principal = principal_of(make_token("*", name="handheld", owner=clerk))
    # when it asks what the person may: then no statement more, and the role's answer
    with CaptureQueriesContext(connection) as queries:
        answers = [principal.person_may(a) for a in ("fulfil", "approve", "refund")]
        principal.require_permission(("accounts.refund", "accounts.fulfil"))  # one of them
    assert queries.captured_queries == []
    assert answers == [True, False, False]


def test_an_integrations_token_costs_no_query_more(db):
    secret = make_token("*", name="erp")
    principal_of(secret)  # its first use is noted (an UPDATE)
    with CaptureQueriesContext(connection) as queries:
        principal_of(secret)
    assert len(queries.captured_queries) == 1  # the token with its limits


def test_a_persons_reach_agrees_with_django_and_the_console(clerk):
    # given a person of each default role, one with a permission of their own, and the clerk
    people = [clerk]
    for role in ROLE_NAMES:
        user = User.objects.create_user(role.replace(" ", "-"), password="a-long-enough-pass-9")
        user.groups.add(Group.objects.get(name=role))
        people.append(user)
    people[-1].user_permissions.add(Permission.objects.get(codename="add_product"))
    for user in people:
        user = User.objects.get(pk=user.pk)  # no cached permissions
        # when its reach is read in one statement
        with CaptureQueriesContext(connection) as queries:
            reach = person_reach(user.pk)
        # then it holds what Django's backend and the console say
        assert len(queries.captured_queries) == 1
        assert reach.permissions == user.get_all_permissions(), user.username
        assert (reach.channel_ids, reach.location_ids) == staff_limits(user), user.username
    assert "catalog.add_product" in person_reach(people[-1].pk).permissions


def test_an_inactive_persons_token_is_unknown(clerk):
    secret = make_token("*", name="handheld", owner=clerk)
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert principal_of(secret) is None


def test_token_create_for_a_person_says_it_is_limited_by_them(clerk):
    out = io.StringIO()
    call_command("token", "create", "--name", "handheld", "--scopes", "*", "--owner", "clara",
                 stdout=out)  # fmt: skip
    assert (
        "Belongs to clara: it does only what their roles permit, within their console access."
        in out.getvalue()
    )
