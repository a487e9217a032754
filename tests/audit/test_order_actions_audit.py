"""Every action a person or an integration takes on an order is in the audit under their name
(docs/people.md, "Audit"): edit and address change, a location's rejection and the re-route,
shipping, refund, return, hold release, case resolution, cancel. The worker's own steps and
the capture stay on the order's timeline only."""

from __future__ import annotations

import json

import pytest

from ordino.audit.models import AuditEntry
from ordino.cases.services import inquiry_open
from ordino.holds.services import order_hold_system
from tests.factories import order_body, stock
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db


def actions(order_id: int) -> list[tuple[str, str]]:
    rows = AuditEntry.objects.filter(object_type="order", object_id=str(order_id)).order_by("id")
    return list(rows.values_list("actor", "action"))


def test_every_action_on_an_order_is_audited_with_its_actor(api, shop):
    # Given stock at both warehouses and an order paid by card, authorized by the worker
    for wh in ("wh_a", "wh_b"):
        stock(shop[wh], shop["TEE"], 10)
        stock(shop[wh], shop["MUG"], 10)
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    order_id, fo = order["id"], order["fulfillment_orders"][0]["id"]
    address = order["shipping_address"]
    # When the integration ("admin" token) changes the address, WH-A rejects, WH-B ships,
    # a unit is refunded and returned, a hold is released and a case is resolved
    moved = {"shipping_address": {**address, "city": "Bonn"}}
    edited = api.post(f"/orders/{order_id}/edit", moved)
    assert edited.status_code == 200, edited.content
    rejected = api.post(f"/fulfillment/orders/{fo}/reject", {"reason": "damaged"})
    assert rejected.status_code == 200, rejected.content
    new_fo = api.get(f"/orders/{order_id}").json()["fulfillment_orders"][-1]["id"]
    assert api.post(f"/fulfillment/orders/{new_fo}/ship", SHIP).status_code == 200
    work()
    refund = {"lines": [{"line_no": 2, "quantity": 1}], "reason": "damaged mug"}
    assert api.post(f"/orders/{order_id}/refunds", refund).status_code == 201
    asked = {"location": "WH-A", "reason": "other", "lines": [{"line_no": 1, "quantity": 1}]}
    assert api.post(f"/orders/{order_id}/returns", asked).status_code == 201
    hold = order_hold_system(order_id=order_id, cause="test", actor="system")
    released = api.post(f"/orders/{order_id}/holds/{hold.pk}/release", {"reason": "known buyer"})
    assert released.status_code == 200, released.content
    case = inquiry_open(title="Where is it?", description="", actor="system", order_id=order_id,
                        customer_id=None)  # fmt: skip
    resolved = api.post(f"/cases/{case.pk}/resolve", {"resolution": "resolve", "note": "Found."})
    assert resolved.status_code == 200, resolved.content
    work()
    # Then each is in the audit under the token's name, and the system's steps are not
    assert actions(order_id) == [
        ("token:admin", "payment_added"),  # the card given with the order
        ("token:admin", "edited"),
        ("token:admin", "rejected"),  # and re-routed to WH-B
        ("token:admin", "shipped"),
        ("token:admin", "refund_recorded"),
        ("token:admin", "return.requested"),
        ("token:admin", "order_hold_released"),
        ("token:admin", "case_resolved"),
    ]
    rejected_entry = AuditEntry.objects.get(object_type="order", action="rejected")
    assert "WH-B" in json.dumps(rejected_entry.after)
    released_entry = AuditEntry.objects.get(object_type="order", action="order_hold_released")
    assert released_entry.reason == "known buyer"


def test_a_cancel_is_audited_with_its_reason(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order_id = api.post("/orders", order_body("W-2")).json()["id"]
    response = api.post(f"/orders/{order_id}/cancel", {"reason": "customer asked"})
    assert response.status_code == 200, response.content
    (entry,) = AuditEntry.objects.filter(object_type="order", object_id=str(order_id))
    assert (entry.actor, entry.action, entry.reason) == ("token:admin", "cancelled",
                                                         "customer asked")  # fmt: skip
