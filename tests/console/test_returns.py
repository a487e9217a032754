"""The console's returns: the order page's panel (start, approve, decline, receive, close), the
store screen for receiving on a phone, and the read-only returns list."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.returns.models import Return, ReturnLine
from tests.returns.conftest import balance, return_body
from tests.returns.conftest import delivered as delivered  # the fixture

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-Passw0rd"


def user_with(name: str, *codenames: str, locations=()) -> User:
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    if locations:
        StaffAccess.objects.create(user=user).locations.set(locations)
    return User.objects.get(pk=user.pk)


AGENT = ("view_order", "cancel_orders", "edit_orders", "refund", "view_return", "manage_returns")


@pytest.fixture
def agent(client):
    client.force_login(user_with("agent", *AGENT))
    return client


def page(client, order_id: int) -> str:
    response = client.get(reverse("console:order", args=[order_id]))
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_an_agent_starts_approves_receives_and_closes_a_return(agent, delivered, shop):
    order_id = delivered["id"]
    # Given the order page of a delivered order, Then it offers to start a return
    assert "Start a return" in page(agent, order_id)
    # When the agent asks one tee back to WH-A
    started = agent.post(
        reverse("console:return_start", args=[order_id]),
        {"quantity_1": "1", "quantity_2": "0", "reason": "defective", "location": "WH-A"},
        follow=True,
    )
    ret = Return.objects.get()
    assert messages_of(started) == [f"Return {ret.number} requested."]
    assert (ret.created_via, ret.actor, ret.reason) == ("console", "user:agent", "defective")
    # When approved, then received as damaged
    approved = agent.post(
        reverse("console:return_step", args=[ret.pk, "approve"]),
        {"tracking_number": "RT9"},
        follow=True,
    )
    assert messages_of(approved) == [f"Return {ret.number} approved."]
    received = agent.post(
        reverse("console:return_receive", args=[ret.pk]), {"damaged_1": "1"}, follow=True
    )
    assert messages_of(received) == [f"Return {ret.number}: 1 unit(s) received."]
    assert balance(shop["wh_a"], shop["TEE"]) == (4, 0, 1)
    # Then the panel shows the disposition and the refund decision
    html = page(agent, order_id)
    assert f'data-testid="refund-{ret.number}">€19.99' in html
    assert "tracking RT9" in html
    # and the lines' Returned column counts the tee back, the mug not
    assert re.findall(r'data-testid="line-returned">(\d+)<', html) == ["1", "0"]
    closed = agent.post(reverse("console:return_step", args=[ret.pk, "close"]), follow=True)
    assert messages_of(closed) == [f"Return {ret.number} closed."]


def test_a_refused_step_says_why_and_changes_nothing(agent, delivered):
    response = agent.post(
        reverse("console:return_start", args=[delivered["id"]]),
        {"quantity_1": "5", "reason": "defective", "location": "WH-A"},
        follow=True,
    )
    assert messages_of(response) == ["Line 1 has 2 returnable unit(s)."]
    assert not Return.objects.exists()
    bad = agent.post(
        reverse("console:return_start", args=[delivered["id"]]),
        {"quantity_1": "1", "reason": "defective", "location": "NOWHERE"},
        follow=True,
    )
    assert messages_of(bad) == ["No location 'NOWHERE'."]
    assert not Return.objects.exists()


def test_acting_needs_the_returns_change_permission(client, api, delivered):
    ret = api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1))).json()
    client.force_login(user_with("viewer", "view_order", "view_return"))
    html = page(client, delivered["id"])
    assert f"Return {ret['number']}" in html and "Start a return" not in html
    refused = client.post(reverse("console:return_step", args=[ret["id"], "approve"]))
    assert refused.status_code == 403
    assert Return.objects.get().state == "requested"


def test_a_return_outside_the_users_locations_is_404(client, api, delivered, shop):
    ret = api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1))).json()
    client.force_login(user_with("store-b", *AGENT, locations=[shop["wh_b"]]))
    assert (
        client.post(reverse("console:return_step", args=[ret["id"], "approve"])).status_code == 404
    )
    assert client.get(reverse("console:returns_receive_one", args=[ret["id"]])).status_code == 404
    assert Return.objects.get().state == "requested"


def test_the_store_screen_receives_unit_by_unit(client, api, delivered, shop):
    # Given open returns to WH-A and to WH-B, and a clerk of WH-A
    a = api.post(f"/orders/{delivered['id']}/returns", return_body((1, 2))).json()
    b = api.post(f"/orders/{delivered['id']}/returns", return_body((2, 1), location="WH-B")).json()
    for ret in (a, b):
        api.post(f"/returns/{ret['id']}/approve", {})
    client.force_login(
        user_with("clerk", "view_return", "manage_returns", locations=[shop["wh_a"]])
    )
    # Then the screen lists WH-A's return only
    listing = client.get(reverse("console:returns_receive")).content.decode()
    assert f'data-return="{a["number"]}"' in listing and b["number"] not in listing
    # When the clerk taps "Restock" then "Missing" for the two tees
    one = reverse("console:returns_receive_one", args=[a["id"]])
    assert "Needs processing" in client.get(one).content.decode()
    url = reverse("console:return_receive", args=[a["id"]])
    tapped = client.post(url, {"unit": "1:restock", "from": "store"})
    assert tapped["Location"] == one
    client.post(url, {"unit": "1:missing", "from": "store"})
    line = ReturnLine.objects.get(ret_id=a["id"])
    assert (line.quantity_restocked, line.quantity_missing) == (1, 1)
    assert balance(shop["wh_a"], shop["TEE"]) == (4, 0, 0)
    assert "Every unit is received." in client.get(one).content.decode()


def test_the_panel_reads_a_fixed_number_of_statements(agent, api, delivered):
    def statements() -> int:
        url = reverse("console:order", args=[delivered["id"]])
        agent.get(url)
        with CaptureQueriesContext(connection) as queries:
            agent.get(url)
        return len(queries.captured_queries)

    api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1)))
    one = statements()
    api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1), location="WH-B"))
    api.post(f"/orders/{delivered['id']}/returns", return_body((2, 1)))
    assert statements() == one


def test_the_returns_list_is_read_only_and_filtered(client, api, delivered):
    api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1)))
    client.force_login(User.objects.create_superuser("boss", "b@example.com", PASSWORD))
    listing = client.get(reverse("admin:returns_return_changelist") + "?state=requested")
    assert listing.status_code == 200
    assert f"R{delivered['id']}-1" in listing.content.decode()
    empty = client.get(reverse("admin:returns_return_changelist") + "?state=closed")
    assert f"R{delivered['id']}-1" not in empty.content.decode()
    ret = Return.objects.get()
    detail = client.get(reverse("admin:returns_return_change", args=[ret.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
