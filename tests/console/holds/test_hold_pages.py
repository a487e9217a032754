"""The hold rule pages and the order page's holds panel: the same use cases as the API, with
the console user's name; a condition that cannot be evaluated is refused with its path."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ordino.holds.models import HoldRule, HoldRuleAudit, HoldRuleVersion, OrderHold
from tests.factories import order_body

pytestmark = pytest.mark.django_db

RULES = reverse("console:hold_rules")
BIG = {"fact": "order.value", "op": "gt", "value": "40"}


@pytest.fixture
def manager(client):
    client.force_login(User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough"))
    return client


@pytest.fixture
def viewer(client):
    user = User.objects.create_user("look", "look@example.com", "pw-long-enough", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="holds", codename__startswith="view_")
    )
    client.force_login(user)
    return client


def _create(client, condition=BIG, code="big"):
    return client.post(RULES, {"code": code, "name": "Big orders", "kind": "hold",
                               "reason": "order over 40 EUR", "release_permission": "",
                               "condition": json.dumps(condition)})  # fmt: skip


def test_a_manager_creates_a_rule_as_a_draft(manager):
    response = _create(manager)
    assert response.status_code == 302
    assert response["Location"] == reverse("console:hold_rule", args=["big"])
    assert HoldRuleVersion.objects.get().status == "draft"
    assert HoldRuleAudit.objects.filter(action="created", actor="user:ops").count() == 1


def test_a_bad_condition_is_shown_with_its_path_and_nothing_is_saved(manager):
    response = _create(manager, {"all": [{"fact": "order.colour", "op": "eq", "value": "red"}]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "condition.all[0].fact: unknown fact &#x27;order.colour&#x27;" in html
    assert HoldRule.objects.count() == 0


def test_validate_preview_save_and_activate_on_the_rule_page(manager, api, stocked):
    # given a rule and an order over 40 EUR
    _create(manager)
    api.post("/orders", order_body("W-1"))
    page = reverse("console:hold_rule", args=["big"])
    lower = json.dumps({"fact": "order.value", "op": "gt", "value": "30"})
    # when the manager validates, previews, saves and activates
    valid = manager.post(page, {"condition": lower, "action": "validate"}).content.decode()
    preview = manager.post(page, {"condition": lower, "action": "preview"}).content.decode()
    saved = manager.post(page, {"condition": lower, "action": "save", "note": "lower"})
    activated = manager.post(page, {"number": "1", "reason": "go", "action": "activate"})
    # then each step answers, and version 1 (the draft replaced) is in force
    assert "Valid: order.value &gt; 30" in valid
    assert "Would hold 1 of the last 1 orders" in preview
    assert "web:W-1" in preview
    assert (saved.status_code, activated.status_code) == (302, 302)
    version = HoldRuleVersion.objects.get()
    assert (version.number, version.status, version.condition["value"]) == (1, "active", "30")
    assert version.activated_by == "user:ops"


def test_a_bad_condition_on_the_rule_page_is_refused_and_the_draft_kept(manager):
    _create(manager)
    page = reverse("console:hold_rule", args=["big"])
    bad = json.dumps({"fact": "order.value", "op": "gt", "value": "a lot"})
    html = manager.post(page, {"condition": bad, "action": "save"}).content.decode()
    assert "condition.value: expected a number, got &#x27;a lot&#x27;" in html
    assert HoldRuleVersion.objects.get().condition == BIG


def test_a_viewer_sees_the_rules_but_may_not_change_them(viewer, db):
    from ordino.holds.services import rule_create

    rule_create(code="big", name="Big", reason="big", condition=BIG, actor="t")
    page = reverse("console:hold_rule", args=["big"])
    assert viewer.get(RULES).status_code == 200
    assert "Save as new version" not in viewer.get(page).content.decode()
    refused = viewer.post(page, {"number": "1", "reason": "x", "action": "activate"})
    assert refused.status_code == 403
    assert HoldRuleVersion.objects.get().status == "draft"


def test_the_order_page_shows_the_hold_and_releases_it(manager, api, stocked, big_rule):
    # given a held order
    order = api.post("/orders", order_body("W-1")).json()
    hold = OrderHold.objects.get()
    # when its page is read, then the hold is shown with a release form
    html = manager.get(reverse("console:order", args=[order["id"]])).content.decode()
    assert 'id="holds"' in html and "order over 40 EUR" in html
    assert reverse("console:hold_release", args=[order["id"], hold.pk]) in html
    # when released with a reason
    url = reverse("console:hold_release", args=[order["id"], hold.pk])
    assert manager.post(url, {"reason": "known buyer"}).status_code == 302
    hold.refresh_from_db()
    assert (hold.released_how, hold.released_by, hold.release_reason) == (
        "manual",
        "user:ops",
        "known buyer",
    )


def test_the_rules_page_shows_what_each_rule_did(manager, api, stocked, big_rule):
    # given a rule whose three holds people released, and one that never fired
    for n in (1, 2, 3):
        order = api.post("/orders", order_body(f"W-{n}")).json()
        (hold,) = api.get(f"/orders/{order['id']}/holds").json()
        api.post(f"/orders/{order['id']}/holds/{hold['id']}/release", {"reason": "fine"})
    _create(manager, code="quiet")
    # when the rules page is opened for the last 30 days
    page = manager.get(RULES, {"days": "30"}).content.decode()
    # then each rule's figures, the overridden one flagged
    assert "Holds placed in the last 30 days" in page
    big = page.split('data-report="big"')[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in big.split("<td>")[2:6]] == ["3", "3", "0.00", "3"]
    assert 'data-flag="always-overridden"' in big
    quiet = page.split('data-report="quiet"')[1].split("</tr>")[0]
    assert "always-overridden" not in quiet and "<td>0</td><td>0</td>" in quiet
    # and an unknown period falls back to the first
    assert "last 30 days" in manager.get(RULES, {"days": "7"}).content.decode()
