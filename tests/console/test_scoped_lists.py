"""The order and fulfillment order lists show a limited user only what they reach; a page
outside answers 404, as the API does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ordino.fulfillment.models import FulfillmentOrder
from tests.console.lists_fixtures import signed_in, staff_user

pytestmark = pytest.mark.django_db


def test_a_user_limited_to_a_channel_lists_only_its_orders(orders):
    app = orders["A-1"].channel
    limited = signed_in(staff_user("app-agent", "orders.view_order", channels=[app]))
    page = limited.get(reverse("admin:orders_order_changelist")).content.decode()
    assert "A-1" in page
    assert "W-1" not in page and "W-2" not in page


def test_an_order_outside_the_users_reach_is_404(orders):
    app = orders["A-1"].channel
    limited = signed_in(staff_user("app-agent", "orders.view_order", channels=[app]))
    outside = reverse("admin:orders_order_change", args=[orders["W-1"].pk])
    inside = reverse("admin:orders_order_change", args=[orders["A-1"].pk])
    assert limited.get(outside).status_code == 404
    assert limited.get(inside, follow=True).status_code == 200  # on to the order page


def test_a_user_limited_to_a_location_lists_only_its_fulfillment_orders(orders, shop):
    store_user = signed_in(
        staff_user("store", "fulfillment.view_fulfillmentorder", locations=[shop["store"]])
    )
    page = store_user.get(reverse("admin:fulfillment_fulfillmentorder_changelist"))
    assert page.status_code == 200
    at_wh = FulfillmentOrder.objects.filter(location=shop["wh_a"]).first()
    assert at_wh is not None
    url = reverse("admin:fulfillment_fulfillmentorder_change", args=[at_wh.pk])
    assert store_user.get(url).status_code == 404
    assert f">{at_wh.pk}<" not in page.content.decode()
