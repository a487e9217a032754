"""The audit log (docs/people.md, "Audit"): configuration changes and actions on orders are
recorded with actor, time, before, after and reason; `GET /audit` and the console page read it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from ordino.accounts.roles import roles_install
from ordino.audit.models import AuditEntry
from ordino.channels.models import Channel
from ordino.orders.models import Order
from tests.factories import auth, make_token, order_body, stock

pytestmark = pytest.mark.django_db


def entries(**filters) -> list[tuple]:
    return list(AuditEntry.objects.filter(**filters).order_by("id")
                .values_list("actor", "object_type", "object_id", "action"))  # fmt: skip


def test_an_api_change_of_a_channel_is_recorded_with_before_and_after(client, shop):
    secret = make_token("*", name="erp")
    # When the ERP renames the channel
    response = client.patch("/api/v1/channels/web", {"name": "Web shop EU"},
                            content_type="application/json", **auth(secret))  # fmt: skip
    assert response.status_code == 200
    # Then the audit has who, what, before and after
    entry = AuditEntry.objects.get(object_type="channel", action="changed")
    assert (entry.actor, entry.object_id) == ("token:erp", "web")
    assert (entry.before["name"], entry.after["name"]) == (shop["channel"].name, "Web shop EU")
    assert entry.before["currency"] == entry.after["currency"] == "EUR"


def test_a_refused_change_records_nothing(client, shop):
    secret = make_token("*", name="erp")
    response = client.patch("/api/v1/channels/web", {"currency": "XXX1"},
                            content_type="application/json", **auth(secret))  # fmt: skip
    assert response.status_code == 422
    assert not AuditEntry.objects.filter(object_type="channel").exists()
    assert Channel.objects.get(code="web").currency == "EUR"


def test_a_console_users_actions_on_orders_are_recorded(client, api, shop):
    # Given a customer service agent and an order
    roles_install(Group, Permission)
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = Order.objects.get(pk=api.post("/orders", order_body("W-1")).json()["id"])
    agent = User.objects.create_user("agent", password="pw-long-enough", is_staff=True)
    agent.groups.add(Group.objects.get(name="customer service"))
    client.force_login(agent)
    # When they comment and cancel a unit
    client.post(reverse("console:order_comment", args=[order.pk]), {"text": "called"})
    client.post(
        reverse("console:order_cancel", args=[order.pk]),
        {"cancel_1": "1", "cancel_2": "0", "reason": "changed mind", "confirmed": "1"},
    )
    # Then the cancellation is in the audit under their name, with its reason; the comment (a
    # note, no change) and the capture (the order is its own record) stay on the timeline
    assert entries(object_type="order") == [("user:agent", "order", str(order.pk), "cancelled")]
    entry = AuditEntry.objects.get(object_type="order")
    assert (entry.reason, entry.after["lines"]) == ("changed mind", [{"line_no": 1, "quantity": 1}])


def test_a_console_change_of_a_role_is_recorded(client):
    roles_install(Group, Permission)
    boss = User.objects.create_superuser("boss", "b@example.com", "pw-long-enough")
    client.force_login(boss)
    role = Group.objects.get(name="warehouse staff")
    before = sorted(role.permissions.values_list("pk", flat=True))
    audit = Permission.objects.get(codename="see_audit")
    response = client.post(
        reverse("admin:auth_group_change", args=[role.pk]),
        {"name": "warehouse staff", "permissions": [*before, audit.pk]},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="role")
    assert (entry.actor, entry.action, entry.object_id) == ("user:boss", "changed", str(role.pk))
    assert entry.before["permissions"] == before
    assert entry.after["permissions"] == sorted([*before, audit.pk])


def test_minting_and_revoking_a_token_is_recorded_without_its_secret(client):
    from ordino.accounts.services import token_create, token_revoke

    minted = token_create(name="wms", scopes="fulfillment:write")
    token_revoke(token=minted.token, reason="replaced")
    assert entries(object_type="api_token") == [
        ("system", "api_token", str(minted.token.pk), "created"),
        ("system", "api_token", str(minted.token.pk), "revoked"),
    ]
    assert "secret_hash" not in str(AuditEntry.objects.first().after)
    assert AuditEntry.objects.last().reason == "replaced"


@pytest.fixture
def logged(client, shop):
    secret = make_token("*", name="erp")
    for name in ("One", "Two"):
        client.patch("/api/v1/channels/web", {"name": name}, content_type="application/json",
                     **auth(secret))  # fmt: skip
    client.patch("/api/v1/locations/WH-A", {"name": "North"}, content_type="application/json",
                 **auth(secret))  # fmt: skip
    AuditEntry.objects.filter(object_type="api_token").delete()  # the tokens' minting
    assert AuditEntry.objects.count() == 3
    return secret


def test_the_api_lists_and_filters_the_audit(client, logged):
    reader = make_token("audit:read", name="auditor")
    AuditEntry.objects.filter(object_type="api_token").delete()
    every = client.get("/api/v1/audit", **auth(reader)).json()
    assert [(e["object_type"], e["object_id"], e["after"]["name"]) for e in every["items"]] == [
        ("channel", "web", "One"), ("channel", "web", "Two"), ("location", "WH-A", "North"),
    ]  # fmt: skip
    some = client.get("/api/v1/audit", {"object_type": "location"}, **auth(reader)).json()
    assert [e["object_id"] for e in some["items"]] == ["WH-A"]
    searched = client.get("/api/v1/audit", {"q": "erp", "limit": 2}, **auth(reader)).json()
    assert len(searched["items"]) == 2 and searched["next_cursor"] is not None


@pytest.mark.parametrize(
    ("scopes", "limits", "status", "code"),
    [
        ("orders:read", {}, 403, "insufficient_scope"),
        ("audit:read", {"location_codes": ["WH-A"]}, 403, "token_restricted"),
    ],
)
def test_the_audit_api_is_for_unrestricted_auditors(client, logged, scopes, limits, status, code):
    secret = make_token(scopes, name="other", **limits)
    response = client.get("/api/v1/audit", **auth(secret))
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_the_audit_filters_are_bounded(client, logged):
    reader = make_token("audit:read", name="auditor")
    response = client.get("/api/v1/audit", {"since": "yesterday"}, **auth(reader))
    assert response.status_code == 422


def test_the_console_page_is_for_who_may_see_the_audit(logged):
    roles_install(Group, Permission)
    url = reverse("admin:audit_auditentry_changelist")
    finance = User.objects.create_user("fin", password="pw-long-enough", is_staff=True)
    finance.groups.add(Group.objects.get(name="finance"))
    manager = User.objects.create_user("ops", password="pw-long-enough", is_staff=True)
    manager.groups.add(Group.objects.get(name="operations manager"))
    refused, shown = Client(), Client()
    refused.force_login(finance)
    shown.force_login(manager)
    assert refused.get(url).status_code == 403
    page = shown.get(url, {"q": "WH-A"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
