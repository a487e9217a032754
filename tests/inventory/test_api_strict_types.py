"""Inputs take JSON types as documented: "5" is no integer, 1 no boolean (found by fuzzing)."""

import pytest

from ordino.inventory.models import StockMovement
from tests.factories import make_location, make_sku

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"quantity": "5"}, "quantity"), ({"quantity": 5, "expected": 1}, "expected")],
)
def test_a_receipt_with_a_coerced_type_is_refused(api, extra, field):
    make_location("WH1")
    make_sku("MUG")
    resp = api.post("/inventory/receipts", {"location": "WH1", "sku": "MUG", **extra})
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == [field]
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize(
    "value",
    ["0.5", "1700000000", "2026-01-31", "2026-01-31T09:30:00", "2531-11-18T07:11:26-20:34"],
)
def test_a_movement_filter_that_is_no_iso_date_time_is_refused(api, value):
    resp = api.get("/inventory/movements", created_to=value)
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["created_to"]


def test_a_movement_filter_takes_an_iso_date_time_with_its_offset(api):
    make_location("WH1")
    make_sku("MUG")
    api.post("/inventory/receipts", {"location": "WH1", "sku": "MUG", "quantity": 2})
    later = api.get("/inventory/movements", created_from="2999-01-01T00:00:00+01:00")
    earlier = api.get("/inventory/movements", created_from="2000-01-01T00:00:00Z")
    assert (later.status_code, earlier.status_code) == (200, 200)
    assert (len(later.json()["items"]), len(earlier.json()["items"])) == (0, 1)


def test_a_transfer_of_more_units_than_a_database_integer_is_refused_not_a_server_error(api):
    # found by fuzzing: 183704453942308259107962880 units overflowed the database integer (500)
    make_location("WH1")
    make_location("WH2")
    make_sku("MUG")
    body = {"source": "WH1", "destination": "WH2", "sku": "MUG", "quantity": 10**26}
    resp = api.post("/inventory/transfers", body)
    assert resp.status_code == 422, resp.content
    assert [e["field"] for e in resp.json()["errors"]] == ["quantity"]
    resp = api.post("/inventory/adjustments", {**body, "delta": -(10**26), "reason": "lost"})
    assert resp.status_code == 422, resp.content


# --- issue 7: balances are 64-bit and bounded; filters are bounded (on both databases) --------


def _database() -> tuple:
    from ordino.inventory.models import StockBalance

    return (
        StockMovement.objects.count(),
        sorted(StockBalance.objects.values_list("id", "on_hand", "incoming", "committed")),
    )


def test_three_receipts_of_a_billion_units_fit_the_balance(api):
    # given a location and a SKU; on PostgreSQL the third receipt overflowed a 32-bit column (500)
    make_location("WH1")
    make_sku("MUG")
    body = {"location": "WH1", "sku": "MUG", "quantity": 1_000_000_000}
    # when three receipts of 10^9 units arrive
    statuses = [api.post("/inventory/receipts", body).status_code for _ in range(3)]
    # then the balance holds 3 × 10^9
    assert statuses == [201, 201, 201]
    balance = api.get("/inventory/balances", sku="MUG").json()["items"][0]
    assert (balance["on_hand"], balance["available"]) == (3_000_000_000, 3_000_000_000)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/inventory/receipts", {"quantity": 11}, "quantity"),
        ("/inventory/adjustments", {"delta": 11, "reason": "found"}, "delta"),
        ("/inventory/incoming", {"quantity": 11}, "quantity"),
    ],
)
def test_a_movement_taking_a_balance_past_its_maximum_is_a_422(api, path, body, field):
    # given a balance 10 units below the most one SKU may hold at one location
    from ordino.core.domain.bounds import MAX_BALANCE
    from ordino.inventory.models import StockBalance

    location, sku = make_location("WH1"), make_sku("MUG")
    StockBalance.objects.create(
        location=location, sku=sku, on_hand=MAX_BALANCE - 10, incoming=MAX_BALANCE - 10
    )
    before = _database()
    # when 11 more units would arrive
    resp = api.post(path, {"location": "WH1", "sku": "MUG", **body})
    # then 422 balance_too_large, and nothing changed
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] == "balance_too_large"
    assert [e["field"] for e in resp.json()["errors"]] == [field]
    assert _database() == before
    # and 10 units still fit
    amount = "delta" if "delta" in body else "quantity"
    ok = api.post(path, {"location": "WH1", "sku": "MUG", **body, amount: 10})
    assert ok.status_code == 201, ok.content


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+00:01", "1969-12-31T23:59:59Z", "9999-12-31T23:00:00-14:00"]
)
@pytest.mark.parametrize("name", ["created_from", "created_to"])
def test_a_movement_filter_date_out_of_range_is_a_422(api, name, value):
    resp = api.get("/inventory/movements", **{name: value})
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] == "date_out_of_range"
    assert [e["field"] for e in resp.json()["errors"]] == [name]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/inventory/transfers", {"status": "bogus"}, "status"),
        ("/inventory/movements", {"reason": "Bogus Reason"}, "reason"),
        ("/inventory/movements", {"sku": "x" * 65}, "sku"),
        ("/inventory/balances", {"location": "x" * 65}, "location"),
    ],
)
def test_an_unknown_or_overlong_filter_is_a_422(api, path, params, field):
    resp = api.get(path, **params)
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] == "validation_error"
    assert [e["field"] for e in resp.json()["errors"]] == [field]


def test_an_unknown_transfer_status_lists_the_allowed_values(api):
    resp = api.get("/inventory/transfers", status="bogus")
    assert "'in_transit' or 'received'" in resp.json()["errors"][0]["message"]
