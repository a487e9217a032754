"""Fraud screening at capture: every order scored before holds test it, its signals stored
with the inputs they saw; a hold rule on `risk.score` holds at capture; a high score opens one
fraud review (docs/risk.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User

from ordino.accounts.roles import roles_install
from ordino.accounts.services import token_create
from ordino.cases.models import Case
from ordino.core.domain.clock import clock_pinned, utcnow
from ordino.events.models import OutboxEvent
from ordino.holds.models import OrderHold
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.risk.models import OrderRisk
from tests.cases.conftest import work
from tests.factories import auth, order_body
from tests.risk.conftest import risky_body, risky_rule

pytestmark = pytest.mark.django_db


def signal_points(order_id: int) -> dict[str, int]:
    risk = OrderRisk.objects.get(order_id=order_id)
    return {s.code: s.points for s in risk.signals.all()}


def test_capture_scores_the_order_and_stores_each_signal_and_its_inputs(api, stocked):
    # when a calm order is captured
    order = api.post("/orders", order_body("W-1")).json()
    # then it is scored 0, each signal stored with why, and the inputs it saw
    risk = api.get(f"/orders/{order['id']}/risk")
    assert risk.status_code == 200, risk.content
    body = risk.json()
    assert (body["score"], body["review"], body["review_threshold"]) == (0, False, 70)
    assert [(s["code"], s["points"]) for s in body["signals"]] == [
        ("velocity_email", 0), ("velocity_phone", 0), ("velocity_address", 0),
        ("velocity_card", 0), ("country_mismatch", 0), ("first_order_high_value", 0),
        ("name_mismatch", 0), ("email_disposable", 0),
    ]  # fmt: skip
    assert body["signals"][5]["detail"] == "the customer's first order, under 1000 EUR"
    assert body["inputs"]["seen"]["email"] == "ada@example.com"
    assert body["inputs"]["seen"]["address_key"] == "de|10117|unterdenlinden1"
    assert body["inputs"]["seen"]["total"] == "49.48"
    assert body["inputs"]["history"] == {"same_email": 0, "same_phone": 0, "same_address": 0,
                                         "same_card": 0, "earlier_orders": 0}  # fmt: skip
    assert (body["version"], body["scored_by"]) == (1, "token:admin")
    # and a calm order reports nothing to review
    assert not OutboxEvent.objects.filter(name__startswith="order.risk").exists()


def test_velocity_counts_the_earlier_orders_within_the_window_only(api, stocked):
    # given an order with this e-mail and address 25 hours ago, and one an hour ago
    for hours, number in ((25, "W-OLD"), (1, "W-1")):
        with clock_pinned(utcnow() - timedelta(hours=hours)):
            assert api.post("/orders", order_body(number)).status_code == 201
    # when a third one arrives
    order = api.post("/orders", order_body("W-2")).json()
    # then only the one inside the 24 hours counts: 1 of 3 → a third of each weight
    got = signal_points(order["id"])
    assert (got["velocity_email"], got["velocity_address"]) == (8, 7)
    assert OrderRisk.objects.get(order_id=order["id"]).score == 15


def test_the_card_fingerprint_and_holder_the_channel_sends_are_compared(api, stocked):
    card = {"method": "card", "provider": "offline", "card_fingerprint": "fp_9",
            "card_holder": "Bob Smith"}  # fmt: skip
    for number in ("W-1", "W-2", "W-3"):
        body = order_body(number, payments=[card])
        body["customer"] = {**body["customer"], "email": f"{number}@example.com"}
        order = api.post("/orders", body).json()
    got = signal_points(order["id"])
    # two other orders with this card (35 × 2/3), and the card is not Ada's
    assert (got["velocity_card"], got["name_mismatch"]) == (23, 25)


def test_a_risky_order_opens_one_fraud_review_even_when_delivered_twice(api, stocked):
    # when a risky order is captured and the worker delivers everything, then again
    order = api.post("/orders", risky_body("W-1")).json()
    assert OrderRisk.objects.get(order_id=order["id"]).score == 70
    work()
    OutboxEvent.objects.update(delivered_at=None, claimed_at=None)
    work()
    # then exactly one fraud review about the order, shown on its timeline
    (case,) = Case.objects.filter(type__code="fraud_review")
    assert (case.order_id, case.status) == (order["id"], "new")
    assert case.title == "Order W-1: fraud risk 70 (review from 70)"
    assert OrderTimelineEntry.objects.filter(order_id=order["id"], kind="case_created").count() == 1


def test_a_hold_rule_on_the_risk_score_holds_at_capture(api, stocked):
    # given a hold rule in force: a score of 70 or more waits
    risky_rule(api)
    # when a risky order and a calm one are captured
    risky = api.post("/orders", risky_body("W-1")).json()
    calm = api.post("/orders", order_body("W-2")).json()
    # then the risky one is held at capture, the calm one goes on
    assert (risky["status"], calm["status"]) == ("on_hold", "allocated")
    hold = OrderHold.objects.get(order_id=risky["id"])
    assert hold.cause == "rule:risky"
    assert not OrderHold.objects.filter(order_id=calm["id"]).exists()


def fraud_review(api) -> tuple[dict, Case]:
    """A risky order and the fraud review the worker opened for it."""
    order = api.post("/orders", risky_body("W-1")).json()
    work()
    (case,) = Case.objects.filter(type__code="fraud_review")
    return order, case


def test_rejecting_a_fraud_review_cancels_the_order(api, stocked):
    order, case = fraud_review(api)
    r = api.post(f"/cases/{case.pk}/resolve", {"resolution": "reject", "note": "stolen card"})
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("resolved", "reject")
    assert Order.objects.get(pk=order["id"]).status == "cancelled"
    # the cancellation's event finds the case closed already: nothing opens again
    work()
    assert Case.objects.filter(type__code="fraud_review").count() == 1


def test_approving_a_fraud_review_lets_the_order_go_on(api, stocked):
    order, case = fraud_review(api)
    r = api.post(f"/cases/{case.pk}/resolve", {"resolution": "approve", "note": "known buyer"})
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("resolved", "approve")
    assert Order.objects.get(pk=order["id"]).status == "allocated"
    # a resolution the type does not offer
    other = api.post(f"/cases/{case.pk}/resolve", {"resolution": "reroute"})
    assert (other.status_code, other.json()["code"]) == (409, "case_closed")


def test_an_edit_that_changes_what_the_score_saw_scores_again(api, stocked):
    # given a calm order billed and shipped in Germany
    address = order_body()["shipping_address"]
    order = api.post("/orders", order_body("W-1", billing_address=address)).json()
    assert OrderRisk.objects.get(order_id=order["id"]).score == 0
    # when its shipping address moves to Austria
    new_address = {**address, "country": "AT", "postal_code": "1010", "city": "Wien",
                   "line1": "Graben 1"}  # fmt: skip
    r = api.post(f"/orders/{order['id']}/edit", {"shipping_address": new_address})
    assert r.status_code == 200, r.content
    # then re-scored: the countries differ now; the timeline says so
    risk = OrderRisk.objects.get(order_id=order["id"])
    assert (risk.score, risk.version) == (20, 2)
    entry = OrderTimelineEntry.objects.get(order_id=order["id"], kind="risk_rescored")
    assert entry.message == "Risk re-scored: 0 → 20"


def test_an_edit_that_changes_nothing_the_score_saw_keeps_the_score(api, stocked):
    order = api.post("/orders", order_body("W-1")).json()
    # the second line of the address is not what the score compares
    moved = {**order_body("W-1")["shipping_address"], "line2": "Hinterhaus"}
    r = api.post(f"/orders/{order['id']}/edit", {"shipping_address": moved})
    assert r.status_code == 200, r.content
    assert OrderRisk.objects.get(order_id=order["id"]).version == 1
    assert not OrderTimelineEntry.objects.filter(kind="risk_rescored").exists()


def test_a_held_risky_order_rejected_is_cancelled_and_its_hold_released(api, stocked):
    # given a rule holding risky orders, and a risky order held with its fraud review
    risky_rule(api)
    order, case = fraud_review(api)
    assert Order.objects.get(pk=order["id"]).status == "on_hold"
    # when the reviewer rejects it
    r = api.post(f"/cases/{case.pk}/resolve", {"resolution": "reject", "note": "fraud"})
    assert r.status_code == 200, r.content
    work()
    # then the order is cancelled and its hold released by the worker
    assert Order.objects.get(pk=order["id"]).status == "cancelled"
    hold = OrderHold.objects.get(order_id=order["id"])
    assert (hold.released_how, hold.release_reason) == ("auto", "order cancelled")


def _value_rule(api) -> None:
    """A hold rule in force that does not read the score: orders over 40 wait."""
    rule = {"code": "big", "name": "Big", "reason": "big order",
            "condition": {"fact": "order.value", "op": "gt", "value": "40"}}  # fmt: skip
    assert api.post("/holds/rules", rule).status_code == 201
    assert api.post("/holds/rules/big/versions/1/activate", {"reason": "go"}).status_code == 200


def test_approving_a_fraud_review_releases_the_holds_its_score_placed(api, stocked):
    # given a risky order held by a rule on its score and by one on its value
    risky_rule(api)
    _value_rule(api)
    order, case = fraud_review(api)
    # when the reviewer approves it
    r = api.post(f"/cases/{case.pk}/resolve", {"resolution": "approve", "note": "known buyer"})
    assert r.status_code == 200, r.content
    # then the score's hold is released by the reviewer, the value's stays (and so the order)
    score = OrderHold.objects.get(order_id=order["id"], cause="rule:risky")
    value = OrderHold.objects.get(order_id=order["id"], cause="rule:big")
    assert (score.released_how, score.released_by, score.release_reason) == (
        "manual", "token:admin", "known buyer")  # fmt: skip
    assert value.released_at is None
    assert Order.objects.get(pk=order["id"]).status == "on_hold"
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("resolved", "approve")


def test_approving_alone_releases_the_last_hold_and_the_order_goes_on(api, stocked):
    risky_rule(api)
    order, case = fraud_review(api)
    r = api.post(f"/cases/{case.pk}/resolve", {"resolution": "approve"})
    assert r.status_code == 200, r.content
    assert OrderHold.objects.get(order_id=order["id"]).released_how == "manual"
    assert Order.objects.get(pk=order["id"]).status == "allocated"
    case.refresh_from_db()
    resolved = case.activities.get(kind="resolved").message
    assert (
        resolved
        == "Resolved (approve): The order is genuine. 1 hold(s) on its risk score released."
    )


def test_an_agent_who_may_not_release_the_scores_hold_may_not_approve(api, stocked, client):
    # given a risky order held by an approval on its score that asks `see_finance`
    risky_rule(api, kind="approval", release_permission="see_finance")
    order, case = fraud_review(api)
    roles_install(Group, Permission)
    agent = User.objects.create_user("cs", password="pw-long-enough", is_staff=True)
    agent.groups.add(Group.objects.get(name="customer service"))
    secret = token_create(name="cs", scopes="cases:write holds:write", owner=agent).secret
    # when a customer service agent's token approves the review
    r = client.post(f"/api/v1/cases/{case.pk}/resolve", data={"resolution": "approve"},
                    content_type="application/json", **auth(secret))  # fmt: skip
    # then 403 and nothing changed: the hold, the order, the case
    assert (r.status_code, r.json()["code"]) == (403, "permission_denied")
    assert OrderHold.objects.get(order_id=order["id"]).released_at is None
    assert Order.objects.get(pk=order["id"]).status == "on_hold"
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("new", "")
    assert not case.activities.filter(kind="resolved").exists()


def test_a_token_without_holds_write_may_not_approve_away_a_hold(api, stocked, client):
    risky_rule(api)
    order, case = fraud_review(api)
    secret = token_create(name="cases-only", scopes="cases:write").secret
    r = client.post(f"/api/v1/cases/{case.pk}/resolve", data={"resolution": "approve"},
                    content_type="application/json", **auth(secret))  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (403, "insufficient_scope")
    assert OrderHold.objects.get(order_id=order["id"]).released_at is None
    case.refresh_from_db()
    assert case.status == "new"
