"""Holds and approvals land in the inbox (docs/cases.md, "Where cases come from"): a rule's
hold opens one case per hold (`order_hold`, or `approval_required` for an approval), linked to
the order; the hold's release — by a person, its cause clearing, its rule retired — resolves
the case by itself; the case's one click `release_hold` calls the holds use case with the
agent's permission and scope; `cancel_order` cancels the order."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User

from ordino.accounts.roles import roles_install
from ordino.accounts.services import token_create
from ordino.cases.domain import types as t
from ordino.cases.models import Case
from ordino.events.models import OutboxEvent
from ordino.holds.models import OrderHold
from ordino.orders.models import Order
from tests.cases.conftest import cases_of, work
from tests.factories import auth, make_channel, make_token, order_body, stock

pytestmark = pytest.mark.django_db
BIG = {"fact": "order.value", "op": "gt", "value": "40"}


def rule(api, code: str = "big", kind: str = "hold", permission: str = "", condition=BIG):
    body = {"code": code, "name": code, "reason": "order over 40 EUR", "kind": kind,
            "release_permission": permission, "condition": condition}  # fmt: skip
    assert api.post("/holds/rules", body).status_code == 201
    assert api.post(f"/holds/rules/{code}/versions/1/activate", {"reason": "go"}).status_code == 200


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 50)
    stock(shop["wh_a"], shop["MUG"], 50)
    return shop


def held_order(api, external_id: str = "W-1") -> tuple[int, int]:
    order = api.post("/orders", order_body(external_id)).json()
    hold = OrderHold.objects.get(order_id=order["id"])
    work()
    return order["id"], hold.pk


@pytest.mark.parametrize(("kind", "permission", "case_type"),
                         [("hold", "", t.ORDER_HOLD), ("approval", "approve",
                                                       t.APPROVAL_REQUIRED)])  # fmt: skip
def test_a_hold_opens_one_case_linked_to_the_order(api, stocked, kind, permission, case_type):
    # given an active rule; when an order is held and the outbox is delivered twice
    rule(api, kind=kind, permission=permission)
    order_id, hold_id = held_order(api)
    OutboxEvent.objects.update(delivered_at=None, claimed_at=None)
    work()
    # then one case of the kind's type, about the order and its hold
    (case,) = Case.objects.all()
    assert case.type.code == case_type
    assert (case.order_id, case.status) == (order_id, "new")
    assert case.data == {"hold_id": hold_id, "rule": "big"}
    assert case.dedupe_key == f"{case_type}:{hold_id}"
    word = "approval required" if kind == "approval" else "held"
    assert case.title == f"Order W-1 {word}: order over 40 EUR"
    shown = api.get(f"/cases/{case.pk}").json()
    assert shown["resolutions"][:2] == ["release_hold", "cancel_order"]


def test_a_declined_payment_hold_opens_no_second_case(api, stocked):
    card = {"method": "card", "provider": "test", "token": "tok_decline"}
    api.post("/orders", order_body("W-1", payments=[card]))
    work()
    assert OrderHold.objects.get().cause == "payment_declined"
    assert [c.type.code for c in Case.objects.all()] == [t.PAYMENT_DECLINED]


def test_a_hold_released_by_a_person_resolves_its_case(api, stocked):
    rule(api)
    order_id, hold_id = held_order(api)
    api.post(f"/orders/{order_id}/holds/{hold_id}/release", {"reason": "known buyer"})
    work()
    (case,) = cases_of(t.ORDER_HOLD)
    assert (case.status, case.resolution) == ("resolved", "cause_gone")
    assert case.activities.last().message == ("Resolved by itself: the hold was released (manual)")


def test_a_retired_rule_and_an_edit_that_clears_the_cause_resolve_their_cases(api, stocked):
    rule(api)
    held_order(api, "W-1")
    assert api.post("/holds/rules/big/retire", {"reason": "no longer"}).status_code == 200
    work()
    (case,) = cases_of(t.ORDER_HOLD)
    assert case.status == "resolved"
    assert case.activities.last().message.endswith("(rule retired)")


def test_a_hold_released_before_delivery_opens_no_case(api, stocked):
    rule(api)
    order = api.post("/orders", order_body("W-1")).json()
    hold = OrderHold.objects.get()
    api.post(f"/orders/{order['id']}/holds/{hold.pk}/release", {"reason": "quick"})
    work()
    assert Case.objects.count() == 0


def test_release_hold_in_one_click_releases_it_and_resolves_the_case(api, stocked):
    # given an order held, with its case
    rule(api)
    order_id, hold_id = held_order(api)
    (case,) = cases_of(t.ORDER_HOLD)
    # when the agent releases it from the case
    r = api.post(f"/cases/{case.pk}/resolve", {"resolution": "release_hold", "note": "ok"})
    # then the hold is released by the agent, the work goes on, the case resolved
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["resolution"]) == ("resolved", "release_hold")
    hold = OrderHold.objects.get(pk=hold_id)
    assert (hold.released_how, hold.released_by, hold.release_reason) == (
        "manual", "token:admin", "ok")  # fmt: skip
    assert Order.objects.get(pk=order_id).status == "allocated"
    work()  # the release's event finds the case closed already
    assert Case.objects.get().resolution == "release_hold"


def test_release_hold_asks_the_agents_permission_and_changes_nothing_without_it(
    api, client, stocked
):
    # given an approval asking `refund`, and a token of a store clerk (no `refund`)
    rule(api, kind="approval", permission="refund")
    _, hold_id = held_order(api)
    (case,) = cases_of(t.APPROVAL_REQUIRED)
    roles_install(Group, Permission)
    clerk = User.objects.create_user("clerk")
    clerk.groups.add(Group.objects.get(name="store staff"))
    secret = token_create(name="clerk", scopes="cases:write holds:write", owner=clerk).secret
    # when the clerk releases it from the case
    r = client.post(f"/api/v1/cases/{case.pk}/resolve", data={"resolution": "release_hold"},
                    content_type="application/json", **auth(secret))  # fmt: skip
    # then 403, the hold open, the case still new
    assert (r.status_code, r.json()["code"]) == (403, "permission_denied")
    assert OrderHold.objects.get(pk=hold_id).released_at is None
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("new", "")


def test_release_hold_needs_the_holds_scope(api, client, stocked):
    rule(api)
    held_order(api)
    (case,) = cases_of(t.ORDER_HOLD)
    secret = make_token("cases:write", name="inbox-only")
    r = client.post(f"/api/v1/cases/{case.pk}/resolve", data={"resolution": "release_hold"},
                    content_type="application/json", **auth(secret))  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (403, "insufficient_scope")
    assert OrderHold.objects.get().released_at is None


def test_release_hold_outside_the_agents_scope_is_404(api, client, stocked):
    make_channel("market", currency="EUR")
    rule(api)
    held_order(api)
    (case,) = cases_of(t.ORDER_HOLD)
    secret = make_token("cases:write holds:write", name="market", channel_codes=["market"])
    r = client.post(f"/api/v1/cases/{case.pk}/resolve", data={"resolution": "release_hold"},
                    content_type="application/json", **auth(secret))  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (404, "case_not_found")
    assert OrderHold.objects.get().released_at is None


def test_cancel_order_cancels_it_and_its_hold_goes_with_it(api, stocked):
    rule(api)
    order_id, hold_id = held_order(api)
    (case,) = cases_of(t.ORDER_HOLD)
    r = api.post(f"/cases/{case.pk}/resolve", {"resolution": "cancel_order", "note": "fraud"})
    assert r.status_code == 200, r.content
    assert r.json()["resolution"] == "cancel_order"
    assert Order.objects.get(pk=order_id).status == "cancelled"
    work()
    hold = OrderHold.objects.get(pk=hold_id)
    assert (hold.released_how, hold.release_reason) == ("auto", "order cancelled")
