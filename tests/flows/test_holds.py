"""Story: an approval rule holds a first big order at capture; the location cannot start the
held work; an approver releases it with a reason and the location ships it; a later order of
the same customer is no first order and goes straight through (docs/holds.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User

from ordino.accounts.roles import roles_install
from ordino.accounts.services import token_create
from tests.conftest import ApiClient
from tests.flows.story import order_body

pytestmark = pytest.mark.django_db

FIRST_BIG = {
    "code": "first-big",
    "name": "First big order",
    "kind": "approval",
    "release_permission": "approve",
    "reason": "first order over 100 EUR",
    "condition": {
        "all": [
            {"fact": "customer.order_count", "op": "eq", "value": 0},
            {"fact": "order.value", "op": "gt", "value": "100"},
        ]
    },
}


def _approver(story) -> ApiClient:
    """A client with a token of Olga, an operations manager (who holds `approve`)."""
    roles_install(Group, Permission)
    olga = User.objects.create_user("olga", password="pw-long-enough")
    olga.groups.add(Group.objects.get(name="operations manager"))
    return ApiClient(story.api.client, token_create(name="olga", scopes="*", owner=olga).secret)


def test_a_first_big_order_waits_for_approval_then_ships(story):
    # given stock and the rule in force
    story.receive("WH-A", "TEE", 20)
    story.ok(story.api.post("/holds/rules", FIRST_BIG), 201)
    story.ok(story.api.post("/holds/rules/first-big/versions/1/activate", {"reason": "fraud"}))
    # when a new customer's first order of 6 tees (120 EUR) is captured
    order = story.capture(order_body("W-1", [("TEE", 6, "20.00")]))
    # then it waits for approval, its work on hold at WH-A
    assert order["status"] == "on_hold"
    assert story.fos(order["id"]) == [("WH-A", "on_hold")]
    fo = order["fulfillment_orders"][0]["id"]
    (hold,) = story.ok(story.api.get(f"/orders/{order['id']}/holds"))
    assert (hold["kind"], hold["release_permission"]) == ("approval", "approve")
    assert "order_held" in story.timeline(order["id"])
    # and the location cannot start it
    story.refused(story.step(fo, "accept"), 409, "order_held")
    # and an integration's token (nobody owns it) may not approve it: a person decides
    path = f"/orders/{order['id']}/holds/{hold['id']}/release"
    story.refused(story.api.post(path, {"reason": "auto"}), 403, "permission_denied")
    # when an approver releases it with a reason, through a token they own
    story.ok(_approver(story).post(path, {"reason": "called the customer"}))
    # then the work is open again and ships
    assert story.status(order["id"]) == "allocated"
    story.work(fo, "ship", {"carrier": "DHL", "tracking_numbers": ["JD1"]})
    assert story.status(order["id"]) == "shipped"
    assert story.timeline(order["id"])[-3:-1] == ["fulfillment_open", "order_hold_released"]
    # and the same customer's next big order is no first order: not held
    second = story.capture(order_body("W-2", [("TEE", 6, "20.00")]))
    assert second["status"] == "allocated"
    # and the report tells what the rule did
    (row,) = story.ok(story.api.get("/holds/report"))["rules"]
    assert (row["fired"], row["orders_held"], row["overridden"], row["open"]) == (1, 1, 1, 0)
