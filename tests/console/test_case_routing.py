"""Cases → Routing rules in the console: the same use cases as the API, with validation
messages naming the path; changing needs `manage_rules`, and a user limited to some stores or
channels may neither read nor change them (docs/cases.md, "Routing")."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.accounts.roles import roles_install
from ordino.audit.models import AuditEntry
from ordino.cases.models import RoutingRule, Team
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db
PAGE = reverse("console:case_routing")
BIG = {"fact": "order.value", "op": "gt", "value": "40"}


@pytest.fixture
def manager(client):
    Team.objects.create(name="VIP desk")
    client.force_login(User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough"))
    return client


def _user(client, role: str, *, limited_to=None):
    roles_install(Group, Permission)
    user = User.objects.create_user("u", password="pw-long-enough", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    if limited_to is not None:
        StaffAccess.objects.create(user=user).channels.add(limited_to)
    client.force_login(user)
    return client


def _save(client, condition=BIG, **fields):
    form = {
        "code": "big",
        "name": "Big",
        "condition": json.dumps(condition),
        "case_types": "",
        "team": "VIP desk",
        "priority": "high",
        "position": "",
        "action": "save",
        **fields,
    }
    return client.post(PAGE, form)


def test_a_manager_adds_a_rule_and_sees_it_listed_with_its_change(manager):
    response = _save(manager)
    assert (response.status_code, response["Location"]) == (302, PAGE)
    rule = RoutingRule.objects.get()
    assert (rule.team.name, rule.priority, rule.condition) == ("VIP desk", "high", BIG)
    page = manager.get(PAGE).content.decode()
    assert 'data-rule="big"' in page
    assert AuditEntry.objects.get(object_type="case_routing_rule").actor == "user:ops"


def test_a_condition_that_cannot_be_evaluated_is_shown_with_its_path_and_nothing_saved(manager):
    bad = {"all": [BIG, {"fact": "order.colour", "op": "eq", "value": "red"}]}
    response = _save(manager, bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "condition.all[1].fact: unknown fact &#x27;order.colour&#x27;" in html
    assert RoutingRule.objects.count() == 0


def test_an_unknown_case_type_is_named(manager):
    html = _save(manager, case_types="inquiry telepathy").content.decode()
    assert "case_types[1]: no case type &#x27;telepathy&#x27;" in html
    assert RoutingRule.objects.count() == 0


def test_validate_preview_edit_and_delete(manager, api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    api.post("/orders", order_body("W-1"))
    form = {"condition": json.dumps(BIG), "case_types": ""}
    valid = manager.post(PAGE, {**form, "action": "validate"}).content.decode()
    preview = manager.post(PAGE, {**form, "action": "preview"}).content.decode()
    assert "Valid: order.value &gt; 40" in valid
    assert "Would route 1 of the last 1 orders" in preview
    _save(manager)
    edited = _save(manager, priority="urgent", editing="1", reason="busier")
    assert edited.status_code == 302
    assert RoutingRule.objects.get().priority == "urgent"
    assert "Rule big" in manager.get(PAGE, {"code": "big"}).content.decode()
    deleted = manager.post(PAGE, {"code": "big", "action": "delete", "reason": "gone"})
    assert deleted.status_code == 302
    assert RoutingRule.objects.count() == 0
    changes = AuditEntry.objects.filter(object_type="case_routing_rule").order_by("id")
    assert list(changes.values_list("action", flat=True)) == ["created", "changed", "deleted"]


def test_customer_service_reads_nothing_and_may_not_save(client):
    agent = _user(client, "customer service")
    assert agent.get(PAGE).status_code == 403
    assert _save(agent).status_code == 403
    assert RoutingRule.objects.count() == 0


def test_an_operations_manager_limited_to_a_channel_is_refused(client, shop):
    limited = _user(client, "operations manager", limited_to=shop["channel"])
    assert limited.get(PAGE).status_code == 403
    assert _save(limited).status_code == 403
    assert RoutingRule.objects.count() == 0


def test_an_operations_manager_reads_and_changes_the_rules(client):
    # Given the default role (its view permission of routing rules: accounts 0008)
    Team.objects.create(name="VIP desk")
    ops = _user(client, "operations manager")
    # When they open the page and save a rule, Then both work
    assert ops.get(PAGE).status_code == 200
    assert _save(ops).status_code == 302
    assert RoutingRule.objects.get().code == "big"


def test_a_rule_editor_without_the_view_permission_finds_the_page_in_the_menu(client):
    # Given a person holding only `manage_rules` (and console access)
    user = User.objects.create_user("editor", password="pw-long-enough", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="manage_rules"))
    client.force_login(user)
    # When they open the console, Then the menu leads to the routing rules, which they may open
    assert PAGE in client.get(reverse("admin:index")).content.decode()
    assert client.get(PAGE).status_code == 200
