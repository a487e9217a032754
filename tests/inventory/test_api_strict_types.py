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
