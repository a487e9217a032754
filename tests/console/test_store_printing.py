"""Paper for the stockroom: the pick list (by SKU, with order numbers) and the packing slip
(ship-to address as an address, items, order number)."""

from __future__ import annotations

import re

import pytest

from ordino.fulfillment.models import FulfillmentOrder

pytestmark = pytest.mark.django_db


def rows(html: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    cells = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def test_the_pick_list_groups_the_stores_open_items_by_sku(clerk, ship_fo, pickup_fo, warehouse_fo):
    # when the clerk prints the pick list of everything to pick at the store
    response = clerk.get("/admin/store/pick-list/", {"location": "STORE-1"})
    html = response.content.decode()
    # then tees of both orders are one row, the mug another; the warehouse's cap is not there
    assert response.status_code == 200
    assert rows(html) == [
        "MUG Item MUG STORE-1 1 W-100",
        "TEE Item TEE STORE-1 3 W-100, W-200",
    ]
    assert "CAP" not in html and "W-300" not in html
    assert "@media print" in html


def test_a_pick_list_of_chosen_orders(clerk, ship_fo, pickup_fo):
    html = clerk.get("/admin/store/pick-list/", {"location": "STORE-1", "fo": pickup_fo.pk})
    assert [r.split()[0] for r in rows(html.content.decode())] == ["TEE"]


def test_the_packing_slip_shows_the_address_and_items(clerk, ship_fo):
    html = clerk.get(f"/admin/store/fo/{ship_fo.pk}/packing-slip/").content.decode()
    assert "Packing slip — order W-100" in html
    assert "Ada Lovelace<br>Unter den Linden 1<br>" in html
    assert "{" not in html.split("<body>")[1]  # no JSON, no repr
    assert [r.split()[0] for r in rows(html)] == ["TEE", "MUG"]


def test_another_locations_pick_list_is_404(clerk, warehouse_fo):
    assert clerk.get("/admin/store/pick-list/", {"location": "WH-A"}).status_code == 404
    assert FulfillmentOrder.objects.get(pk=warehouse_fo.pk).status == "open"
