"""Customer service in a real browser: an agent opens an order on a desktop and on a phone,
cancels one unit of a line with a reason (confirming the money difference), adds a comment, and
the database shows both. With ORDINO_SCREENSHOTS=1 it also writes the screenshots of
docs/console/orderpage.md."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User

from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.services import fulfillment_accept, fulfillment_ship
from ordino.orders.models import Order, OrderChange, OrderLine, OrderTimelineEntry
from ordino.orders.services import order_comment_add
from tests.factories import make_channel, order_body, stock

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "console"
SCREENSHOTS = os.environ.get("ORDINO_SCREENSHOTS") == "1"


@pytest.fixture
def orders(api, shop) -> dict:
    """Ada's web order W-1042 (3 tees, 1 mug, reserved at WH-A), and her earlier marketplace
    order M-77, shipped with DHL."""
    make_channel("market")
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    customer = {"email": "ada@example.com", "phone": "+33612345678", "first_name": "Ada",
                "last_name": "Lovelace", "external_id": "mk-ada"}  # fmt: skip
    earlier = api.post("/orders", order_body("M-77", channel="market", customer=customer)).json()
    fo = FulfillmentOrder.objects.get(order_id=earlier["id"])
    fulfillment_accept(fo_id=fo.pk, actor="user:paris-store")
    fulfillment_ship(fo_id=fo.pk, carrier="DHL", tracking_numbers=["JD014600006281"],
                     actor="user:paris-store")  # fmt: skip
    body = order_body(
        "W-1042",
        customer=customer,
        lines=[{"sku": "TEE", "quantity": 3, "unit_price": "19.99", "name": "Tee, navy, M"},
               {"sku": "MUG", "quantity": 1, "unit_price": "9.50", "name": "Mug, white"}],
        shipping_price="4.95",
    )  # fmt: skip
    body["shipping_address"].update(line1="12 rue de la République", city="Lyon",
                                    postal_code="69002", country="FR")  # fmt: skip
    order = api.post("/orders", body).json()
    order_comment_add(order_id=order["id"], text="Customer asked to deliver after 6 pm.",
                      actor="user:chloe")  # fmt: skip
    return {"order": Order.objects.get(pk=order["id"]), "earlier": earlier}


@pytest.fixture
def agent(db) -> User:
    user = User.objects.create_user("sam", password="x-Very-long-pass-1", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_order", "cancel_orders", "edit_orders", "refund", "view_customer"]
        )
    )
    return user


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_agent_cancels_a_unit_and_comments(console_as, agent, orders):
    order = orders["order"]
    # Given the agent opens the order on a phone: everything fits, the lines stack
    phone = console_as(agent, "phone")
    phone.goto(f"/admin/orders/{order.pk}/")
    assert phone.locator("[aria-label=Order] h1").inner_text() == "Order W-1042"
    assert no_sideways_scroll(phone)
    if SCREENSHOTS:
        phone.screenshot(path=str(DOCS / "orderpage-order-phone.png"))
    # When on a desktop they cancel one tee, with a reason
    page = console_as(agent, "desktop")
    page.goto(f"/admin/orders/{order.pk}/")
    assert no_sideways_scroll(page)
    assert "€74.42" in page.inner_text("[aria-label=Money]")  # 3 × 19.99 + 9.50 + 4.95
    if SCREENSHOTS:
        page.screenshot(path=str(DOCS / "orderpage-order-desktop.png"), full_page=False)
    page.get_by_text("Cancel units").click()
    page.fill("input[name=cancel_1]", "1")
    page.fill("#cancel-reason", "Customer ordered one too many")
    page.get_by_role("button", name="Cancel these units…").click()
    # Then the confirmation shows the money difference, and nothing changed yet
    assert page.inner_text("[data-testid=difference]") == "−€19.99"
    assert OrderChange.objects.filter(order=order).count() == 0
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**/admin/orders/{order.pk}/")
    assert "Cancelled 1 unit(s)." in page.content()
    assert page.inner_text("[data-testid=current-total]") == "€54.43"
    # When they add a comment
    page.fill("#comment-text", "Told the customer: refund of €19.99 on its way.")
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_url(f"**/admin/orders/{order.pk}/")
    # Then the database shows the cancellation and the comment, by the agent
    line = OrderLine.objects.get(order=order, line_no=1)
    assert (line.quantity_ordered, line.quantity_cancelled) == (3, 1)
    change = OrderChange.objects.get(order=order)
    assert (change.kind, change.reason, change.actor) == (
        "cancel", "Customer ordered one too many", "user:sam",
    )  # fmt: skip
    comment = OrderTimelineEntry.objects.filter(order=order, kind="comment").latest("id")
    assert (comment.message, comment.actor) == (
        "Told the customer: refund of €19.99 on its way.", "user:sam",
    )  # fmt: skip
    assert "refund of €19.99 on its way" in page.inner_text("[aria-label=Timeline]")
    if SCREENSHOTS:
        page.goto(f"/admin/customers/{order.customer_id}/")
        page.screenshot(path=str(DOCS / "orderpage-customer-desktop.png"))
