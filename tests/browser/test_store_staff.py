"""Store staff on a phone (390×844, touch): a clerk limited to one store accepts, picks, packs
and ships an order with tracking, and hands a pickup over with the customer's code; another
location's order is not in the queue. With ORDINO_DOC_SHOTS=1 it also saves the screenshots
of docs/console/store.md."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ordino.fulfillment.models import FulfillmentOrder, Shipment
from ordino.orders.models import Order
from tests.console.store_setup import capture, store_staff
from tests.factories import stock

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "console"


def shot(page, name: str) -> None:
    if os.environ.get("ORDINO_DOC_SHOTS"):
        page.screenshot(path=str(DOCS / f"store-{name}.png"), full_page=False)


@pytest.fixture
def store_day(api, shop):
    """The store's morning: an order to ship and one to collect; a warehouse order elsewhere."""
    stock(shop["store"], shop["TEE"], 10)
    stock(shop["store"], shop["MUG"], 10)
    stock(shop["wh_a"], shop["CAP"], 10)
    to_ship = capture(api, "W-100")
    to_collect = capture(
        api,
        "W-200",
        lines=[{"sku": "TEE", "quantity": 1, "unit_price": "19.99"}],
        delivery_method="pickup",
        pickup_location="STORE-1",
    )
    elsewhere = capture(api, "W-300", lines=[{"sku": "CAP", "quantity": 1, "unit_price": "12"}])
    clerk = store_staff("clerk", [shop["store"]])
    return clerk, to_ship, to_collect, elsewhere


def tap(page, name: str) -> None:
    """Tap a big button and wait for the answer's page."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).tap()


def test_a_clerk_works_the_stores_queue_on_a_phone(console_as, store_day):
    clerk, to_ship, to_collect, elsewhere = store_day
    page = console_as(clerk, "phone")
    # when the clerk opens the store screen
    page.goto("/admin/store/")
    queue = page.locator("#store-queue")
    # then the store's two orders wait to be accepted; the warehouse's order is not listed
    assert queue.locator(".st-card").count() == 2
    text = queue.inner_text()
    assert "W-100" in text and "W-200" in text and "W-300" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sideways
    shot(page, "queue-phone")
    # when she opens the order to ship, accepts, picks, packs and ships it with tracking
    queue.locator(f'[data-fo="{to_ship.pk}"]').tap()
    page.wait_for_url(f"**/admin/store/fo/{to_ship.pk}/")
    tap(page, "Accept")
    assert "Accepted" in page.inner_text("body")
    tap(page, "Start picking")
    shot(page, "fo-phone")
    tap(page, "Packed")
    page.fill("#carrier", "DHL")
    page.fill("#tracking_numbers", "JD0001")
    tap(page, "Ship")
    assert "Shipped 3 item(s) with DHL JD0001." in page.inner_text("body")
    # then the order shipped, with its tracking
    assert Shipment.objects.get().tracking_numbers == ["JD0001"]
    assert Order.objects.get(pk=to_ship.order_id).status == "shipped"
    # when she puts the pickup at the counter and the customer gives the code
    page.goto(f"/admin/store/fo/{to_collect.pk}/")
    tap(page, "Ready for pickup")
    code = FulfillmentOrder.objects.get(pk=to_collect.pk).pickup_code
    assert code in page.inner_text("body")
    page.fill("#pickup_code", "999999" if code != "999999" else "111111")
    tap(page, "Hand over")
    assert "The pickup code does not match" in page.inner_text("body")
    assert FulfillmentOrder.objects.get(pk=to_collect.pk).status == "ready_for_pickup"
    page.fill("#pickup_code", code)
    tap(page, "Hand over")
    # then it is collected, and the warehouse's order was never touched
    assert "Handed over" in page.inner_text("body")
    assert FulfillmentOrder.objects.get(pk=to_collect.pk).status == "picked_up"
    assert FulfillmentOrder.objects.get(pk=elsewhere.pk).status == "open"


def test_the_pick_list_prints_on_a_desktop(console_as, store_day):
    clerk, *_ = store_day
    page = console_as(clerk, "desktop")
    page.goto("/admin/store/pick-list/?location=STORE-1")
    text = page.inner_text("body")
    assert "Pick list — Location STORE-1 (STORE-1)" in text
    assert "W-100, W-200" in text and "CAP" not in text
    shot(page, "pick-list-desktop")
