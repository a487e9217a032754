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
