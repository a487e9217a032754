"""An order whose shipping address no location reaches opens one `address_unshippable` case
(not a sourcing review: the address is the exception), which resolves by itself when the address
is edited to one a location serves, or the order is cancelled (docs/cases.md)."""

from __future__ import annotations

import json

import pytest

from ordino.cases.domain import types as t
from ordino.events.models import OutboxEvent
from tests.cases.conftest import cases_of, work
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db
NEAR = {"strategies": [{"name": "near", "filters": [
    {"type": "within_distance", "km": 300, "unknown": "exclude"}]}]}  # fmt: skip
PARIS = {"name": "Ada Lovelace", "line1": "1 rue de Rivoli", "city": "Paris",
         "postal_code": "75001", "country": "FR"}  # fmt: skip
BERLIN = order_body()["shipping_address"]


@pytest.fixture
def near_only(api, shop):
    """Locations ship within 300 km; Germany is one zone, France is in none."""
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    zones = {"zones": [{"country": "DE", "zone": "de"}],
             "distances": [{"zone_a": "de", "zone_b": "de", "km": "10"}]}  # fmt: skip
    put = api.client.put("/api/v1/sourcing/zones", data=json.dumps(zones),
                         content_type="application/json", **api.headers)  # fmt: skip
    assert put.status_code == 200, put.content
    made = api.post("/sourcing/profiles", {"code": "default", "name": "Near", "definition": NEAR})
    assert made.status_code == 201, made.content
    assert api.post("/sourcing/profiles/default/versions/1/activate", {}).status_code == 200
    return shop


def _far_order(api) -> dict:
    order = api.post("/orders", order_body("W-FAR", shipping_address=PARIS))
    assert order.status_code == 201, order.content
    work()
    OutboxEvent.objects.update(delivered_at=None, claimed_at=None)
    work()
    return order.json()


def test_an_address_no_location_reaches_opens_one_case_and_no_review(api, near_only):
    # given an order to Paris (no zone: every location's distance unknown), delivered twice
    order = _far_order(api)
    near = api.post("/orders", order_body("W-NEAR")).json()
    work()
    # then one address case about it, saying why; no sourcing review; the Berlin order none
    (case,) = cases_of(t.ADDRESS_UNSHIPPABLE)
    assert (case.order_id, case.status) == (order["id"], "new")
    assert case.title.startswith("Order W-FAR: no location ships to its address (WH-A: ")
    assert "distance unknown" in case.data["why"]
    assert cases_of(t.SOURCING_REVIEW) == []
    assert near["status"] == "allocated"
    assert [c.order_id for c in cases_of(t.ADDRESS_UNSHIPPABLE)] == [order["id"]]
    resolutions = api.get(f"/cases/{case.pk}").json()["resolutions"]
    assert resolutions == ["cancel_order", "contact_customer", "resolve", "void"]


def test_an_address_edited_to_one_still_unreached_keeps_the_case(api, near_only):
    order = _far_order(api)
    lyon = {**PARIS, "city": "Lyon", "postal_code": "69001"}
    edited = api.post(f"/orders/{order['id']}/edit", {"shipping_address": lyon})
    assert edited.status_code == 200, edited.content
    work()
    assert [c.status for c in cases_of(t.ADDRESS_UNSHIPPABLE)] == ["new"]


def test_an_address_edited_to_one_a_location_serves_resolves_the_case(api, near_only):
    order = _far_order(api)
    edited = api.post(f"/orders/{order['id']}/edit", {"shipping_address": BERLIN})
    assert edited.status_code == 200, edited.content
    work()
    (case,) = cases_of(t.ADDRESS_UNSHIPPABLE)
    assert (case.status, case.resolution) == ("resolved", "cause_gone")
    assert case.activities.last().message == (
        "Resolved by itself: the shipping address was changed to one a location serves"
    )


def test_cancelling_the_order_resolves_the_case(api, near_only):
    order = _far_order(api)
    assert api.post(f"/orders/{order['id']}/cancel", {"reason": "moved"}).status_code == 200
    work()
    (case,) = cases_of(t.ADDRESS_UNSHIPPABLE)
    assert (case.status, case.resolution) == ("resolved", "cause_gone")
