"""A store user sees only their store (issue 11's rule; docs/people.md, "Staff limited to their
stores and channels"): a clerk of the default role *store staff*, limited to STORE-1, signs into
the console. The order list, the order page, the fulfillment orders, the store screen, the
inbox, the Ctrl+K search and the dashboard show STORE-1's order and nothing of STORE-2's, and
STORE-2's order and fulfillment order opened by URL answer 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User

from ordino.accounts.models import StaffAccess
from ordino.accounts.roles import roles_install
from ordino.cases.services import inquiry_open
from tests.console.store_setup import capture
from tests.factories import make_location, order_body, stock

pytestmark = pytest.mark.django_db(transaction=True)
POSTAL_CODE = order_body()["shipping_address"]["postal_code"]  # both orders ship there


@pytest.fixture
def two_stores(api, shop):
    """STORE-1 ships tees, STORE-2 ships mugs: one order each, each with an inquiry case."""
    store_b = make_location("STORE-2", kind="store", priority=40)
    stock(shop["store"], shop["TEE"], 5)
    stock(store_b, shop["MUG"], 5)
    mine = capture(api, "W-A1", lines=[{"sku": "TEE", "quantity": 1, "unit_price": "19.99"}])
    theirs = capture(api, "W-B1", lines=[{"sku": "MUG", "quantity": 1, "unit_price": "9.99"}])
    assert (mine.location.code, theirs.location.code) == ("STORE-1", "STORE-2")
    for fo in (mine, theirs):
        inquiry_open(title=f"Call about {fo.order.external_id}", description="", actor="test",
                     order_id=fo.order_id, customer_id=None)  # fmt: skip
    roles_install(Group, Permission)
    clerk = User.objects.create_user("clerk-a", password="a-long-enough-pass-9", is_staff=True)
    clerk.groups.add(Group.objects.get(name="store staff"))
    StaffAccess.objects.create(user=clerk).locations.add(shop["store"])
    return clerk, mine, theirs


def test_a_store_user_sees_only_their_store(console_as, two_stores):
    clerk, mine, theirs = two_stores
    page = console_as(clerk, "desktop")
    # the order list: their store's order only
    page.goto("/admin/orders/order/")
    listed = page.inner_text("#result_list")
    assert "W-A1" in listed and "W-B1" not in listed
    # the order page of their store's order
    assert page.goto(f"/admin/orders/{mine.order_id}/").status == 200
    assert "W-A1" in page.inner_text("body")
    # the fulfillment orders and the store screen: their store's work only
    page.goto("/admin/fulfillment/fulfillmentorder/")
    listed = page.inner_text("#result_list")
    assert "W-A1" in listed and "W-B1" not in listed and "STORE-2" not in listed
    page.goto("/admin/store/")
    queue = page.locator("#store-queue")
    assert queue.locator(f'[data-fo="{mine.pk}"]').count() == 1
    assert queue.locator(f'[data-fo="{theirs.pk}"]').count() == 0
    assert "W-B1" not in queue.inner_text()
    # the inbox: the case of their store's order, not the other's
    page.goto("/admin/cases/inbox/?view=all")
    inbox = page.inner_text("[aria-label=Inbox]")
    assert "Call about W-A1" in inbox and "Call about W-B1" not in inbox
    # Ctrl+K by the postal code both orders ship to: their store's order only
    page.goto("/admin/")
    page.keyboard.press("Control+k")
    page.locator("#search-input-command").wait_for()
    page.locator("#search-input-command").press_sequentially(POSTAL_CODE, delay=30)
    page.locator(f"a[href='/admin/orders/{mine.order_id}/']").first.wait_for()
    assert page.locator(f"a[href='/admin/orders/{theirs.order_id}/']").count() == 0
    # the dashboard adds up the whole network, which store staff do not see (`see_reports`):
    # the plain index, no figures
    page.goto("/admin/")
    body = page.inner_text("body")
    assert page.locator("[data-tile]").count() == 0
    assert "W-B1" not in body and "STORE-2" not in body
    # the other store's order, fulfillment order and store page by URL: 404, as if unknown
    paths = (f"/admin/orders/{theirs.order_id}/", f"/admin/store/fo/{theirs.pk}/",
             f"/admin/fulfillment/fulfillmentorder/{theirs.pk}/change/")  # fmt: skip
    for path in paths:
        response = page.goto(path)
        assert response.status == 404, path
        assert "W-B1" not in page.inner_text("body"), path
    # not vacuous: an unlimited user sees STORE-2's order on the same pages
    root = User.objects.create_superuser("root", "root@example.com", "a-long-enough-pass-9")
    page = console_as(root, "desktop")
    page.goto("/admin/orders/order/")
    assert "W-B1" in page.inner_text("#result_list")
    page.goto("/admin/cases/inbox/?view=all")
    assert "Call about W-B1" in page.inner_text("[aria-label=Inbox]")
    for path in paths:
        assert page.goto(path).status == 200, path
