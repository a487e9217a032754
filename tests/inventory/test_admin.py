"""The admin console lists inventory read-only: stock changes only through the ledger."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from ordino.inventory import services
from ordino.inventory.models import StockMovement
from tests.factories import make_location, make_sku

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-123456"))
    make_location("WH1"), make_sku("MUG")
    services.stock_receive(location_code="WH1", sku_code="MUG", quantity=7, actor="t")
    services.stock_damage_mark(location_code="WH1", sku_code="MUG", quantity=2, actor="t")
    return client


@pytest.mark.parametrize("model", ["stockbalance", "stockmovement", "stocktransfer"])
def test_inventory_lists_render_and_cannot_add(staff, model):
    listing = staff.get(f"/admin/inventory/{model}/", {"q": "MUG"})
    assert listing.status_code == 200
    assert staff.get(f"/admin/inventory/{model}/add/").status_code == 403


def test_the_balance_list_shows_available(staff):
    listing = staff.get("/admin/inventory/stockbalance/", {"o": "8"})
    assert listing.status_code == 200
    assert listing.context["cl"].result_list[0].available_units == 5


def test_a_ledger_row_cannot_be_changed_or_deleted(staff):
    movement = StockMovement.objects.first()
    page = staff.post(f"/admin/inventory/stockmovement/{movement.id}/change/", {"quantity": 99})
    assert page.status_code == 403
    assert staff.post(f"/admin/inventory/stockmovement/{movement.id}/delete/").status_code == 403
    movement.refresh_from_db()
    assert movement.quantity == 7
