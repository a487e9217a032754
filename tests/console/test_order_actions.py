"""The order page's actions: each changes the database exactly as the API's endpoint does (the
same use case), only for a user with the orders' change permission, only within their scope;
cancel and edits pass through a confirmation that shows the money difference."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.inventory.models import StockBalance
from ordino.orders.models import Order, OrderChange, OrderLine, OrderTimelineEntry
from tests.console.test_order_page import user_with
from tests.factories import make_channel, order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(api, shop) -> Order:
    """2 tees (19.99) and 1 mug (9.50), reserved at WH-A, 4.95 shipping: €54.43."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    response = api.post("/orders", order_body("W-7", shipping_price="4.95"))
    assert response.status_code == 201, response.content
    return Order.objects.get(pk=response.json()["id"])


@pytest.fixture
def agent(client):
    client.force_login(user_with("agent", "view_order", "cancel_orders", "edit_orders", "refund"))
    return client


def snapshot() -> list:
    """Everything an action may change."""
    return [
        sorted(Order.objects.values_list("id", "status", "version", "current_total",
                                         "shipping_address")),
        sorted(OrderLine.objects.values_list("id", "quantity_ordered", "quantity_cancelled",
                                             "quantity_allocated", "quantity_backordered")),
        sorted(OrderChange.objects.values_list("id", "kind", "amount_delta")),
        sorted(OrderTimelineEntry.objects.values_list("id", "kind", "message", "actor")),
        sorted(StockBalance.objects.values_list("id", "on_hand", "committed")),
    ]  # fmt: skip


def url(name: str, order: Order) -> str:
    return reverse(f"console:{name}", args=[order.pk])


CANCEL = {"cancel_1": "1", "cancel_2": "0", "reason": "customer changed their mind"}


def test_the_page_offers_the_actions_to_an_operator(agent, order):
    html = agent.get(url("order", order)).content.decode()
    for name in ("order_cancel", "order_comment", "order_address", "order_lines"):
        assert url(name, order) in html, name


def test_cancel_asks_for_confirmation_and_shows_the_money_difference(agent, order):
    before = snapshot()
    # When the agent asks to cancel one tee
    page = agent.post(url("order_cancel", order), CANCEL)
    # Then a confirmation shows what it would do, and nothing changed yet
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cancel 1 × Item TEE (line 1)" in html
    assert "Reason: customer changed their mind" in html
    assert 'data-testid="difference">−€19.99<' in html
    assert "€54.43" in html and "€34.44" in html
    assert snapshot() == before


def state_of(order: Order) -> tuple:
    """An order's rows as an action leaves them, without ids and actors."""
    order.refresh_from_db()
    return (
        (order.status, order.version, order.current_total),
        list(OrderLine.objects.filter(order=order).order_by("line_no").values_list(
            "line_no", "quantity_cancelled", "quantity_allocated", "quantity_backordered")),
        list(OrderChange.objects.filter(order=order).values_list(
            "kind", "version", "amount_delta", "reason")),
        list(OrderTimelineEntry.objects.filter(order=order).exclude(kind="captured")
             .order_by("id").values_list("kind", "message")),
    )  # fmt: skip


def test_a_confirmed_cancel_changes_the_database_as_the_api_would(agent, order, api):
    # Given a twin of the order, captured the same way
    twin = Order.objects.get(pk=api.post("/orders", order_body("W-8", shipping_price="4.95"))
                             .json()["id"])  # fmt: skip
    committed = StockBalance.objects.get(sku__code="TEE").committed
    # When the agent confirms cancelling one tee in the console, and the API cancels the twin's
    response = agent.post(url("order_cancel", order), {**CANCEL, "confirmed": "1"})
    assert (response.status_code, response["Location"]) == (302, url("order", order))
    api.post(f"/orders/{twin.pk}/cancel", {"lines": [{"line_no": 1, "quantity": 1}],
                                           "reason": "customer changed their mind"})  # fmt: skip
    # Then both orders read the same, and each gave one tee back to the stock
    console = state_of(order)
    assert console == state_of(twin)
    assert console[0] == ("allocated", 2, console[0][2])
    assert str(console[0][2]) == "34.440"
    assert StockBalance.objects.get(sku__code="TEE").committed == committed - 2
    assert OrderChange.objects.get(order=order).actor == "user:agent"


def test_a_cancel_without_a_reason_changes_nothing(agent, order):
    before = snapshot()
    response = agent.post(url("order_cancel", order), {**CANCEL, "reason": "", "confirmed": "1"})
    assert response.status_code == 302
    assert snapshot() == before


def test_a_refused_cancel_shows_its_message_and_changes_nothing(agent, order):
    # Given more units than the line has
    before = snapshot()
    response = agent.post(
        url("order_cancel", order), {**CANCEL, "cancel_1": "5", "confirmed": "1"}, follow=True
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0]
    assert snapshot() == before


def test_a_comment_is_added_with_the_agent_as_author(agent, order):
    response = agent.post(url("order_comment", order), {"text": "Called back, all fine."})
    assert response.status_code == 302
    entry = OrderTimelineEntry.objects.get(kind="comment")
    assert (entry.order_id, entry.message, entry.actor) == (
        order.pk, "Called back, all fine.", "user:agent",
    )  # fmt: skip


def test_an_empty_comment_changes_nothing(agent, order):
    before = snapshot()
    agent.post(url("order_comment", order), {"text": "   "})
    assert snapshot() == before


def test_the_address_edit_previews_then_changes_the_address(agent, order):
    new = {"name": "Ada Lovelace", "line1": "Rue de la République 5", "city": "Lyon",
           "postal_code": "69002", "country": "fr", "version": "1"}  # fmt: skip
    before = snapshot()
    page = agent.post(url("order_address", order), new)
    assert 'data-testid="difference">€0.00<' in page.content.decode()
    assert snapshot() == before
    agent.post(url("order_address", order), {**new, "confirmed": "1"})
    order.refresh_from_db()
    assert (order.version, order.shipping_address["city"], order.shipping_address["country"]) == (
        2, "Lyon", "FR",
    )  # fmt: skip
    assert OrderChange.objects.get().kind == "edit"


def test_the_quantity_edit_shows_the_difference_then_applies(agent, order):
    form = {"quantity_1": "1", "quantity_2": "1", "version": "1"}
    before = snapshot()
    page = agent.post(url("order_lines", order), form)
    html = page.content.decode()
    assert "Line 1: 2 → 1" in html
    assert 'data-testid="difference">−€19.99<' in html
    assert snapshot() == before
    agent.post(url("order_lines", order), {**form, "confirmed": "1"})
    line = OrderLine.objects.get(order=order, line_no=1)
    assert (line.quantity_ordered, line.quantity_cancelled) == (2, 1)
    order.refresh_from_db()
    assert str(order.current_total) == "34.440"


def test_an_edit_of_an_order_changed_meanwhile_is_refused(agent, order):
    # Given the agent previewed at version 1 and the order moved to version 2 meanwhile
    agent.post(url("order_comment", order), {"text": "x"})  # a comment keeps the version
    agent.post(url("order_cancel", order), {**CANCEL, "confirmed": "1"})
    before = snapshot()
    response = agent.post(url("order_lines", order),
                          {"quantity_1": "1", "quantity_2": "2", "version": "1", "confirmed": "1"},
                          follow=True)  # fmt: skip
    assert "version 2, not 1" in str(list(response.context["messages"])[-1])
    assert snapshot() == before


@pytest.mark.parametrize("name", ["order_cancel", "order_comment", "order_address", "order_lines"])
def test_a_viewer_may_not_post_an_action(client, order, name):
    client.force_login(user_with("viewer", "view_order"))
    before = snapshot()
    form = {**CANCEL, "text": "hi", "line1": "x", "city": "y", "country": "FR",
            "quantity_1": "1", "quantity_2": "1", "confirmed": "1"}  # fmt: skip
    assert client.post(url(name, order), form).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", ["order_cancel", "order_comment", "order_address", "order_lines"])
def test_an_action_outside_the_user_s_channels_is_not_found(client, order, name):
    agent = user_with("agent", "view_order", "cancel_orders", "edit_orders", "refund")
    StaffAccess.objects.create(user=agent).channels.add(make_channel("market"))
    client.force_login(agent)
    before = snapshot()
    form = {**CANCEL, "text": "hi", "line1": "x", "city": "y", "country": "FR",
            "quantity_1": "1", "quantity_2": "1", "confirmed": "1"}  # fmt: skip
    assert client.post(url(name, order), form).status_code == 404
    assert snapshot() == before


def test_an_action_needs_a_post(agent, order):
    assert agent.get(url("order_cancel", order)).status_code == 405


def test_a_refused_preview_says_why_and_offers_no_confirmation(agent, order):
    # Given the agent asks to cancel more tees than the line has
    before = snapshot()
    page = agent.post(url("order_cancel", order), {**CANCEL, "cancel_1": "5"})
    # Then the confirmation page says why it cannot be done, offers no Confirm, changes nothing
    html = page.content.decode()
    assert "This cannot be done:" in html
    assert 'name="confirmed"' not in html
    assert snapshot() == before
