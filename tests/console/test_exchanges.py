"""The order page's Exchange action: a preview page first (the difference, where the new item is
reserved, the money), then the confirmed exchange; a refusal shows why and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ordino.orders.models import Order, OrderChange, OrderLine
from ordino.returns.models import Return
from tests.console.test_returns import agent as agent  # the fixture
from tests.console.test_returns import messages_of, page, user_with
from tests.factories import stock
from tests.returns.conftest import delivered as delivered  # the fixture

pytestmark = pytest.mark.django_db

FORM = {
    "quantity_1": "0",
    "quantity_2": "1",
    "new_sku": "CAP",
    "new_quantity": "1",
    "new_price": "19.99",
    "reason": "size_or_fit",
    "location": "WH-A",
}


def test_an_agent_previews_then_confirms_an_exchange(agent, delivered, shop):
    stock(shop["wh_a"], shop["CAP"], 2)
    order_id = delivered["id"]
    assert "Preview the exchange" in page(agent, order_id)
    url = reverse("console:exchange_start", args=[order_id])
    # When the agent previews the mug (9.50) for a cap at 19.99
    seen = agent.post(url, FORM)
    # Then the page says what would happen, and nothing happened
    body = seen.content.decode()
    assert seen.status_code == 200
    difference = body.split('data-testid="difference">', 1)[1].split("</dd>", 1)[0]
    assert "10.49" in difference
    assert "1 reserved at WH-A" in body
    assert "Charge" in body and "outstanding" in body  # an unpaid order: nothing to charge
    assert (Return.objects.count(), OrderChange.objects.filter(kind="exchange").count()) == (0, 0)
    # When the agent confirms
    version = str(Order.objects.get(pk=order_id).version)
    done = agent.post(url, {**FORM, "confirmed": "1", "version": version}, follow=True)
    ret = Return.objects.get()
    assert messages_of(done) == [f"Exchange {ret.number} made."]
    assert ret.exchange["direction"] == "customer_owes"
    assert OrderLine.objects.filter(order_id=order_id, sku_code="CAP").count() == 1


def test_a_refused_exchange_shows_why_and_changes_nothing(agent, delivered):
    url = reverse("console:exchange_start", args=[delivered["id"]])
    seen = agent.post(url, {**FORM, "new_sku": "NOPE"})
    assert "This cannot be done" in seen.content.decode()
    confirmed = agent.post(url, {**FORM, "new_sku": "NOPE", "confirmed": "1"}, follow=True)
    assert messages_of(confirmed) == ["The exchange's new lines have invalid fields."]
    assert Return.objects.count() == 0
    bad = agent.post(url, {**FORM, "new_price": "1e999"}, follow=True)
    assert messages_of(bad) == ["The new item's price is 0 to 999999999999.999."]


def test_without_the_returns_change_permission_the_action_is_403(client, delivered):
    client.force_login(user_with("viewer", "view_order", "view_return"))
    url = reverse("console:exchange_start", args=[delivered["id"]])
    assert client.post(url, FORM).status_code == 403
    assert Return.objects.count() == 0
