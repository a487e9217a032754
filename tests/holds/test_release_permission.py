"""Each rule's release_permission is enforced (docs/holds.md, "Releasing"): an approval asks
its own permission, a hold (and a system cause) `approve`. Every default role, in the console
and through a token it owns: allowed exactly when the role holds the permission; refused 403,
and nothing changes. A token nobody owns releases holds, never approvals."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from ordino.accounts.roles import ROLE_NAMES, ROLES, roles_install
from ordino.accounts.services import token_create
from ordino.fulfillment.models import FulfillmentOrder
from ordino.holds.models import HoldRule, OrderHold
from tests.factories import auth, make_token, order_body

pytestmark = pytest.mark.django_db
ACTIONS_OF = {role.name: set(role.actions) for role in ROLES}
BIG = {"fact": "order.value", "op": "gt", "value": "40"}


def _rule(api, code: str, kind: str, permission: str = "") -> None:
    body = {"code": code, "name": code, "reason": f"{code} says wait", "kind": kind,
            "release_permission": permission, "condition": BIG}  # fmt: skip
    assert api.post("/holds/rules", body).status_code == 201
    assert api.post(f"/holds/rules/{code}/versions/1/activate", {"reason": "go"}).status_code == 200


@pytest.fixture
def held(api, stocked):
    """An order held by one rule; answers a function making it for a rule's kind/permission."""

    def make(kind: str, permission: str = "") -> tuple[int, int]:
        _rule(api, "r", kind, permission)
        order = api.post("/orders", order_body("W-1")).json()
        (hold,) = api.get(f"/orders/{order['id']}/holds").json()
        return order["id"], hold["id"]

    return make


def _person(role: str) -> User:
    roles_install(Group, Permission)
    user = User.objects.create_user(role.replace(" ", "-"), password="pw-long-enough",
                                    is_staff=True)  # fmt: skip
    user.groups.add(Group.objects.get(name=role))
    return user


def _unchanged(order_id: int) -> bool:
    hold = OrderHold.objects.get()
    fos = FulfillmentOrder.objects.filter(order_id=order_id)
    statuses = set(fos.values_list("status", flat=True))
    return hold.released_at is None and statuses == {"on_hold"}


def _api_release(client, secret: str, order_id: int, hold_id: int):
    return client.post(f"/api/v1/orders/{order_id}/holds/{hold_id}/release",
                       data={"reason": "checked"}, content_type="application/json",
                       **auth(secret))  # fmt: skip


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("kind", "permission"), [("approval", "refund"), ("hold", "")])
def test_a_token_releases_when_its_owner_holds_the_rules_permission(client, held, role, kind,
                                                                    permission):  # fmt: skip
    # given an order held by a rule asking `refund` (an approval) or `approve` (a hold)
    order_id, hold_id = held(kind, permission)
    needed = permission or "approve"
    secret = token_create(name="mine", scopes="holds:write", owner=_person(role)).secret
    # when a token owned by a person of the role releases it
    response = _api_release(client, secret, order_id, hold_id)
    # then released when the role holds the permission, else 403 and nothing changed
    if needed in ACTIONS_OF[role]:
        assert response.status_code == 200, response.content
        assert OrderHold.objects.get().released_how == "manual"
    else:
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "permission_denied"
        assert _unchanged(order_id)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("kind", "permission"), [("approval", "refund"), ("hold", "")])
def test_the_console_asks_the_rules_permission(held, role, kind, permission):
    order_id, hold_id = held(kind, permission)
    needed = permission or "approve"
    agent = Client()
    agent.force_login(_person(role))
    # the order page offers the button exactly when the user may use it
    page = agent.get(reverse("console:order", args=[order_id])).content.decode()
    release = reverse("console:hold_release", args=[order_id, hold_id])
    assert (release in page) == (needed in ACTIONS_OF[role])
    response = agent.post(release, {"reason": "checked"})
    if needed in ACTIONS_OF[role]:
        assert response.status_code == 302
        assert OrderHold.objects.get().released_by == f"user:{role.replace(' ', '-')}"
    else:
        assert response.status_code == 403
        assert _unchanged(order_id)


def test_a_token_nobody_owns_releases_a_hold(client, held):
    order_id, hold_id = held("hold")
    response = _api_release(client, make_token("holds:write", name="erp"), order_id, hold_id)
    assert response.status_code == 200, response.content


def test_a_token_nobody_owns_never_releases_an_approval(client, held):
    order_id, hold_id = held("approval", "approve")
    response = _api_release(client, make_token("holds:write", name="erp"), order_id, hold_id)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert _unchanged(order_id)


def test_an_approval_naming_no_action_permission_is_refused_when_saved(api):
    body = {"code": "boss", "name": "Boss", "reason": "the boss decides", "kind": "approval",
            "release_permission": "be_the_boss", "condition": BIG}  # fmt: skip
    response = api.post("/holds/rules", body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "unknown_permission"
    assert problem["errors"][0]["field"] == "release_permission"
    assert HoldRule.objects.count() == 0
