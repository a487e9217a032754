"""The inventory HTTP API: writes return balances and movement ids; bad input is a problem."""

from __future__ import annotations

import pytest
from django.test import Client

from ordino.inventory.models import StockMovement
from tests.conftest import ApiClient
from tests.factories import make_channel, make_kit, make_location, make_sku, make_token
from tests.inventory.helpers import snapshot

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def stock(db):
    """Two warehouses and a store, a mug and a saucer."""
    return {
        "wh1": make_location("WH1", priority=1),
        "wh2": make_location("WH2", priority=2),
        "st1": make_location("ST1", kind="store", priority=3),
        "mug": make_sku("MUG"),
        "saucer": make_sku("SAUCER"),
    }


def receive(api, location, sku, quantity):
    response = api.post(
        "/inventory/receipts", {"location": location, "sku": sku, "quantity": quantity}
    )
    assert response.status_code == 201, response.content
    return response.json()


def restricted(client: Client, *locations: str, scopes: str = "inventory") -> ApiClient:
    return ApiClient(client, make_token(scopes, name="store", location_codes=list(locations)))


# --- writes -----------------------------------------------------------------------------------


def test_a_receipt_answers_with_the_balance_and_the_movement(api, stock):
    response = api.post(
        "/inventory/receipts",
        {"location": "WH1", "sku": "MUG", "quantity": 12, "reference": "PO-7", "note": "pallet"},
    )
    assert response.status_code == 201
    body = response.json()
    movement = StockMovement.objects.get()
    assert body["movement_ids"] == [movement.id]
    [balance] = body["balances"]
    assert {k: v for k, v in balance.items() if k not in ("id", "updated_at")} == {
        "location": "WH1",
        "sku": "MUG",
        "on_hand": 12,
        "committed": 0,
        "safety_stock": 0,
        "unavailable": 0,
        "incoming": 0,
        "available": 12,
    }
    assert movement.actor == "token:admin"
    assert (movement.reference, movement.note) == ("PO-7", "pallet")


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"location": "WH1", "sku": "MUG", "quantity": 0}, "quantity", "greater_than"),
        ({"location": "WH1", "sku": "MUG", "quantity": -2}, "quantity", "greater_than"),
        ({"location": "WH1", "sku": "MUG", "quantity": "many"}, "quantity", "int_type"),
        ({"location": "WH1", "sku": "MUG"}, "quantity", "missing"),
        ({"location": "WH1", "sku": "MUG", "quantity": 1, "bin": "A1"}, "bin", "extra_forbidden"),
    ],
)
def test_bad_receipts_are_422_with_field_errors_and_write_nothing(api, stock, body, field, code):
    before = snapshot()
    response = api.post("/inventory/receipts", body)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(field, code)]
    assert snapshot() == before


def test_an_unknown_sku_is_404_naming_the_field(api, stock):
    response = api.post("/inventory/receipts", {"location": "WH1", "sku": "NOPE", "quantity": 1})
    assert response.status_code == 404
    assert response.json()["code"] == "sku_not_found"
    assert response.json()["errors"][0]["field"] == "sku"


def test_an_unknown_location_is_404(api, stock):
    response = api.post("/inventory/receipts", {"location": "NOPE", "sku": "MUG", "quantity": 1})
    assert response.status_code == 404
    assert response.json()["code"] == "location_not_found"


def test_a_kit_cannot_be_received(api, stock):
    make_kit("SET", [(stock["mug"], 1), (stock["saucer"], 1)])
    response = api.post("/inventory/receipts", {"location": "WH1", "sku": "SET", "quantity": 1})
    assert response.status_code == 422
    assert response.json()["code"] == "kit_not_stockable"


def test_malformed_json_is_400(api, stock):
    response = api.post("/inventory/receipts", raw=b"{not json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_without_a_token_it_is_401(client, stock):
    response = client.post(
        "/api/v1/inventory/receipts",
        data={"location": "WH1", "sku": "MUG", "quantity": 1},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert StockMovement.objects.count() == 0


def test_a_read_only_token_cannot_write(client, stock):
    reader = ApiClient(client, make_token("inventory:read"))
    response = reader.post("/inventory/receipts", {"location": "WH1", "sku": "MUG", "quantity": 1})
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert reader.get("/inventory/balances").status_code == 200


def test_a_location_restricted_token_only_touches_its_locations(client, api, stock):
    # Given a store token limited to ST1 and stock in both places
    receive(api, "WH1", "MUG", 5)
    receive(api, "ST1", "MUG", 2)
    store = restricted(client, "ST1")
    # When it writes to a warehouse, Then the warehouse does not exist for it
    before = snapshot()
    response = store.post("/inventory/receipts", {"location": "WH1", "sku": "MUG", "quantity": 1})
    assert response.status_code == 404
    assert response.json()["code"] == "location_not_found"
    assert snapshot() == before
    # And it sees only its own balances, movements and availability
    balances = store.get("/inventory/balances").json()["items"]
    assert [(b["location"], b["on_hand"]) for b in balances] == [("ST1", 2)]
    movements = store.get("/inventory/movements").json()["items"]
    assert {m["location"] for m in movements} == {"ST1"}
    availability = store.get("/inventory/availability/MUG").json()
    assert availability["network"] == 2
    assert [line["location"] for line in availability["locations"]] == ["ST1"]
    # And it may still write at its own store
    response = store.post("/inventory/receipts", {"location": "ST1", "sku": "MUG", "quantity": 1})
    assert response.status_code == 201


def test_adjustments_need_a_known_reason(api, stock):
    receive(api, "WH1", "MUG", 5)
    response = api.post(
        "/inventory/adjustments", {"location": "WH1", "sku": "MUG", "delta": -2, "reason": "oops"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    response = api.post(
        "/inventory/adjustments",
        {"location": "WH1", "sku": "MUG", "delta": -2, "reason": "expired", "note": "best before"},
    )
    assert response.status_code == 201
    assert response.json()["balances"][0]["on_hand"] == 3


def test_an_adjustment_of_zero_is_refused(api, stock):
    response = api.post(
        "/inventory/adjustments", {"location": "WH1", "sku": "MUG", "delta": 0, "reason": "found"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "delta_invalid"
    assert response.json()["errors"][0]["field"] == "delta"


def test_removing_more_than_is_available_is_409_and_writes_nothing(api, stock):
    receive(api, "WH1", "MUG", 2)
    before = snapshot()
    response = api.post(
        "/inventory/adjustments", {"location": "WH1", "sku": "MUG", "delta": -3, "reason": "lost"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert snapshot() == before


def test_a_count_sets_on_hand(api, stock):
    receive(api, "WH1", "MUG", 10)
    response = api.post("/inventory/counts", {"location": "WH1", "sku": "MUG", "counted": 8})
    assert response.status_code == 201
    body = response.json()
    assert body["balances"][0]["on_hand"] == 8
    assert len(body["movement_ids"]) == 1
    again = api.post("/inventory/counts", {"location": "WH1", "sku": "MUG", "counted": 8})
    assert again.json()["movement_ids"] == []


def test_damage_mark_write_off_and_release(api, stock):
    receive(api, "WH1", "MUG", 10)
    marked = api.post("/inventory/damages", {"location": "WH1", "sku": "MUG", "quantity": 4})
    assert marked.status_code == 201
    assert marked.json()["balances"][0]["unavailable"] == 4
    assert marked.json()["balances"][0]["available"] == 6
    api.post(
        "/inventory/damages",
        {"location": "WH1", "sku": "MUG", "quantity": 1, "action": "release"},
    )
    gone = api.post(
        "/inventory/damages",
        {"location": "WH1", "sku": "MUG", "quantity": 3, "action": "write_off"},
    )
    assert gone.json()["balances"][0] | {"id": 0, "updated_at": ""} == {
        "id": 0,
        "updated_at": "",
        "location": "WH1",
        "sku": "MUG",
        "on_hand": 7,
        "committed": 0,
        "safety_stock": 0,
        "unavailable": 0,
        "incoming": 0,
        "available": 7,
    }


def test_safety_stock_is_set_not_added(api, stock):
    receive(api, "WH1", "MUG", 10)
    for quantity in (4, 4, 1):
        response = api.post(
            "/inventory/safety-stock", {"location": "WH1", "sku": "MUG", "quantity": quantity}
        )
        assert response.status_code == 200
    balance = response.json()["balances"][0]
    assert (balance["safety_stock"], balance["available"]) == (1, 9)


def test_incoming_then_expected_receipt(api, stock):
    response = api.post(
        "/inventory/incoming", {"location": "WH1", "sku": "MUG", "quantity": 5, "reference": "PO"}
    )
    assert response.json()["balances"][0]["incoming"] == 5
    response = api.post(
        "/inventory/receipts", {"location": "WH1", "sku": "MUG", "quantity": 5, "expected": True}
    )
    balance = response.json()["balances"][0]
    assert (balance["incoming"], balance["on_hand"]) == (0, 5)


def test_a_transfer_round_trip(api, stock):
    receive(api, "WH1", "MUG", 10)
    sent = api.post(
        "/inventory/transfers",
        {"source": "WH1", "destination": "ST1", "sku": "MUG", "quantity": 4, "reference": "T-1"},
    )
    assert sent.status_code == 201
    body = sent.json()
    transfer = body["transfer"]
    assert (transfer["status"], transfer["quantity"], transfer["source"]) == (
        "in_transit",
        4,
        "WH1",
    )
    assert [(b["location"], b["on_hand"], b["incoming"]) for b in body["balances"]] == [
        ("WH1", 6, 0),
        ("ST1", 0, 4),
    ]
    assert len(body["movement_ids"]) == 2
    part = api.post(f"/inventory/transfers/{transfer['id']}/receive", {"quantity": 1})
    assert part.status_code == 200
    assert part.json()["transfer"]["quantity_received"] == 1
    rest = api.post(f"/inventory/transfers/{transfer['id']}/receive", {})
    assert rest.json()["transfer"]["status"] == "received"
    assert rest.json()["balances"][0]["on_hand"] == 4
    listed = api.get("/inventory/transfers", status="received").json()["items"]
    assert [t["id"] for t in listed] == [transfer["id"]]
    assert api.get(f"/inventory/transfers/{transfer['id']}").json()["quantity_received"] == 4


def test_only_the_destination_receives_a_transfer(client, api, stock):
    receive(api, "WH1", "MUG", 10)
    transfer = api.post(
        "/inventory/transfers", {"source": "WH1", "destination": "ST1", "sku": "MUG", "quantity": 2}
    ).json()["transfer"]
    warehouse = restricted(client, "WH1")
    refused = warehouse.post(f"/inventory/transfers/{transfer['id']}/receive", {})
    assert refused.status_code == 404
    assert refused.json()["code"] == "transfer_not_found"
    outsider = restricted(client, "WH2")
    assert outsider.get(f"/inventory/transfers/{transfer['id']}").status_code == 404
    store = restricted(client, "ST1")
    assert store.post(f"/inventory/transfers/{transfer['id']}/receive", {}).status_code == 200


# --- reads ------------------------------------------------------------------------------------


def test_balances_filter_and_paginate_with_a_cursor(api, stock):
    for location in ("WH1", "WH2", "ST1"):
        receive(api, location, "MUG", 3)
    receive(api, "WH1", "SAUCER", 1)
    page = api.get("/inventory/balances", sku="MUG", limit=2).json()
    assert [b["location"] for b in page["items"]] == ["WH1", "WH2"]
    page2 = api.get("/inventory/balances", sku="MUG", limit=2, cursor=page["next_cursor"]).json()
    assert [b["location"] for b in page2["items"]] == ["ST1"]
    assert page2["next_cursor"] is None
    at_wh1 = api.get("/inventory/balances", location="WH1").json()["items"]
    assert [b["sku"] for b in at_wh1] == ["MUG", "SAUCER"]


def test_a_bad_cursor_is_400(api, stock):
    response = api.get("/inventory/balances", cursor="garbage!")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_movements_filter_by_reason_reference_sku_and_time(api, stock):
    receive(api, "WH1", "MUG", 3)
    api.post(
        "/inventory/adjustments",
        {"location": "WH1", "sku": "MUG", "delta": 1, "reason": "found", "reference": "AUD-1"},
    )
    receive(api, "WH2", "SAUCER", 2)
    found = api.get("/inventory/movements", reason="found").json()["items"]
    assert [(m["reason"], m["reference"], m["quantity"]) for m in found] == [("found", "AUD-1", 1)]
    assert len(api.get("/inventory/movements", reference="AUD-1").json()["items"]) == 1
    assert [m["sku"] for m in api.get("/inventory/movements", sku="SAUCER").json()["items"]] == [
        "SAUCER"
    ]
    first = StockMovement.objects.order_by("id").first()
    later = api.get("/inventory/movements", created_from=first.created_at.isoformat()).json()
    assert len(later["items"]) == 3
    earlier = api.get("/inventory/movements", created_to=first.created_at.isoformat()).json()
    assert earlier["items"] == []


def test_availability_per_location_network_and_channel(api, stock):
    # Given mugs at two warehouses and the store, safety stock at WH1
    receive(api, "WH1", "MUG", 10)
    receive(api, "WH2", "MUG", 4)
    receive(api, "ST1", "MUG", 3)
    api.post("/inventory/safety-stock", {"location": "WH1", "sku": "MUG", "quantity": 2})
    # And a marketplace that may not sell store stock and keeps 5 units back
    channel = make_channel("amazon", kind="marketplace", stock_buffer=5)
    channel.excluded_locations.add(stock["st1"])
    # When availability is asked for that channel
    response = api.get("/inventory/availability/MUG", channel="amazon")
    assert response.status_code == 200
    body = response.json()
    # Then each location shows its quantities, the network sums them, the channel applies its rules
    assert [(line["location"], line["available"]) for line in body["locations"]] == [
        ("WH1", 8),
        ("WH2", 4),
        ("ST1", 3),
    ]
    assert body["locations"][0]["quantities"] == {
        "on_hand": 10,
        "committed": 0,
        "safety_stock": 2,
        "unavailable": 0,
        "incoming": 0,
    }
    assert body["network"] == 15
    assert body["channel"] == {
        "code": "amazon",
        "stock_buffer": 5,
        "excluded_locations": ["ST1"],
        "available": 7,
    }


def test_inactive_locations_do_not_count(api, stock):
    receive(api, "WH1", "MUG", 10)
    receive(api, "WH2", "MUG", 4)
    stock["wh2"].is_active = False
    stock["wh2"].save()
    assert api.get("/inventory/availability/MUG").json()["network"] == 10


def test_a_kit_is_as_available_as_its_scarcest_component(api, stock):
    make_kit("SET", [(stock["mug"], 2), (stock["saucer"], 1)])
    receive(api, "WH1", "MUG", 9)
    receive(api, "WH1", "SAUCER", 10)
    receive(api, "WH2", "MUG", 2)
    receive(api, "WH2", "SAUCER", 1)
    receive(api, "ST1", "MUG", 5)  # no saucers there
    body = api.get("/inventory/availability/SET").json()
    assert body["kind"] == "kit"
    assert [(x["location"], x["available"], x["quantities"]) for x in body["locations"]] == [
        ("WH1", 4, None),
        ("WH2", 1, None),
        ("ST1", 0, None),
    ]
    assert body["network"] == 5


def test_unknown_sku_or_channel_in_availability_is_404(api, stock):
    assert api.get("/inventory/availability/NOPE").status_code == 404
    response = api.get("/inventory/availability/MUG", channel="nope")
    assert response.status_code == 404
    assert response.json()["code"] == "channel_not_found"


def test_bulk_availability_in_a_few_queries_whatever_the_number_of_skus(
    api, stock, django_assert_max_num_queries
):
    # Given 60 SKUs stocked at two warehouses, and a kit
    skus = [make_sku(f"BULK-{i}") for i in range(60)]
    for i, sku in enumerate(skus):
        receive(api, "WH1", sku.code, i + 1)
        receive(api, "WH2", sku.code, 1)
    make_kit("SET", [(stock["mug"], 1), (skus[0], 1)])
    receive(api, "WH1", "MUG", 3)
    make_channel("web", stock_buffer=1)
    codes = [s.code for s in skus] + ["SET", "GHOST"]
    # When all are asked at once, Then a handful of queries answer (auth and token included)
    with django_assert_max_num_queries(12):
        response = api.post("/inventory/availability/bulk", {"skus": codes, "channel": "web"})
    assert response.status_code == 200
    body = response.json()
    assert body["unknown_skus"] == ["GHOST"]
    items = {item["sku"]: item for item in body["items"]}
    assert items["BULK-0"] == {
        "sku": "BULK-0",
        "kind": "simple",
        "network": 2,
        "channel": 1,
        "locations": {"WH1": 1, "WH2": 1},
    }
    assert items["BULK-59"]["network"] == 61
    # The kit needs a mug and a BULK-0: WH2 has no mugs
    assert items["SET"] == {
        "sku": "SET",
        "kind": "kit",
        "network": 1,
        "channel": 0,
        "locations": {"WH1": 1, "WH2": 0},
    }
    # And it wrote nothing
    assert StockMovement.objects.filter(reason="receipt").count() == StockMovement.objects.count()


def test_bulk_availability_refuses_more_than_1000_skus(api, stock):
    response = api.post("/inventory/availability/bulk", {"skus": ["X"] * 1001})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "skus"
