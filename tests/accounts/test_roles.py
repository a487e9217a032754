"""Roles carry action permissions (accounts/roles.py, docs/people.md): the default roles are
shipped, `may` asks for an action, never a model's change permission."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User

from ordino.accounts.roles import ACTIONS, ROLE_NAMES, ROLES, may, roles_install

pytestmark = pytest.mark.django_db


def role_actions(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return set(
        group.permissions.filter(
            content_type__app_label="accounts", codename__in=ACTIONS
        ).values_list("codename", flat=True)
    )


def test_the_default_roles_are_shipped_with_their_actions():
    # Given the database as migrations (and `ordino users roles`) leave it
    roles_install(Group, Permission)
    # Then each default role is a group holding exactly its action permissions
    assert set(ROLE_NAMES) <= set(Group.objects.values_list("name", flat=True))
    assert role_actions("customer service") == {"cancel_orders", "edit_orders", "refund",
                                                "manage_returns", "work_cases"}  # fmt: skip
    assert role_actions("store staff") == {"fulfil", "manage_returns", "work_cases"}
    assert role_actions("warehouse staff") == {"fulfil"}
    assert role_actions("finance") == {"refund", "see_finance", "see_reports", "work_cases"}
    assert role_actions("admin") == set(ACTIONS)
    assert "manage_users" not in role_actions("operations manager")
    # the network's reports (migration 0010): who plans and who counts the money
    reports = Permission.objects.get(content_type__app_label="accounts", codename="see_reports")
    seeing = set(reports.group_set.values_list("name", flat=True))
    assert seeing == {"operations manager", "finance", "admin"}
    # and the views they work with
    store = Group.objects.get(name="store staff")
    assert store.permissions.filter(codename="view_fulfillmentorder").exists()
    assert not store.permissions.filter(codename="view_invoice").exists()
    # the roles that see everything see the cases' routing rules (migration 0008)
    routing = Permission.objects.get(content_type__app_label="cases", codename="view_routingrule")
    seeing = set(routing.group_set.values_list("name", flat=True))
    assert seeing == {"operations manager", "admin"}


def test_installing_again_adds_what_a_role_lacks_and_keeps_an_administrators_changes():
    roles_install(Group, Permission)
    store = Group.objects.get(name="store staff")
    extra = Permission.objects.get(codename="see_audit")
    store.permissions.add(extra)
    store.permissions.remove(Permission.objects.get(codename="fulfil"))
    # When the roles are installed again
    made = roles_install(Group, Permission)
    # Then nothing is made twice, the lost action is back and the administrator's grant stays
    assert made == []
    assert role_actions("store staff") == {"fulfil", "manage_returns", "work_cases", "see_audit"}


def test_may_asks_for_the_action_of_an_active_user():
    roles_install(Group, Permission)
    clerk = User.objects.create_user("clerk", password="pw-long-enough")
    clerk.groups.add(Group.objects.get(name="warehouse staff"))
    clerk = User.objects.get(pk=clerk.pk)
    assert may(clerk, "fulfil") is True
    assert may(clerk, "refund") is False
    # a deactivated user may do nothing, a superuser everything
    clerk.is_active = False
    assert may(clerk, "fulfil") is False
    boss = User.objects.create_superuser("boss", "b@example.com", "pw-long-enough")
    assert all(may(boss, action) for action in ACTIONS)


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown action 'delete_everything'"):
        may(User(), "delete_everything")


def test_every_role_names_known_actions_only():
    for role in ROLES:
        assert set(role.actions) <= set(ACTIONS), role.name
