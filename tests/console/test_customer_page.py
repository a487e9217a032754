"""The customer page (console:customer): contacts, addresses, identities and every order of the
customer across channels, newest first, paginated, within the user's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.customers.models import Customer, CustomerAddress
from ordino.orders.models import Order
from tests.console.test_order_page import user_with
from tests.factories import make_channel, order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(api, shop) -> Customer:
    """Ada bought W-1 on the web and M-1 on the marketplace (a day later)."""
    make_channel("market", currency="EUR")
    stock(shop["wh_a"], shop["TEE"], 50)
    stock(shop["wh_a"], shop["MUG"], 50)
    customer = {"email": "ada@example.com", "phone": "+4930123456", "external_id": "buyer-1"}
    for external_id, channel in (("W-1", "web"), ("M-1", "market")):
        response = api.post("/orders", order_body(external_id, channel=channel, customer=customer))
        assert response.status_code == 201, response.content
    marketplace = Order.objects.get(external_id="M-1")
    Order.objects.filter(pk=marketplace.pk).update(placed_at=marketplace.placed_at + timedelta(1))
    ada = Customer.objects.get(email="ada@example.com")
    CustomerAddress.objects.create(customer=ada, line1="Unter den Linden 1", city="Berlin",
                                   postal_code="10117", country="DE", is_default=True)  # fmt: skip
    return ada


def test_the_page_shows_contacts_addresses_and_every_order_newest_first(client, ada):
    client.force_login(user_with("boss", superuser=True))
    page = client.get(reverse("console:customer", args=[ada.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("ada@example.com", "+4930123456", "10117 Berlin", "Channel market: buyer-1",
                 "Orders (2)", "€49.48"):  # fmt: skip
        assert text in html, text
    assert html.index(">M-1<") < html.index(">W-1<")  # newest first
    assert reverse("console:order", args=[Order.objects.get(external_id="W-1").pk]) in html


def test_a_user_limited_to_a_channel_sees_only_its_orders(client, ada):
    agent = user_with("agent", "view_customer", "view_order")
    StaffAccess.objects.create(user=agent).channels.add(make_channel("pos", kind="pos"))
    StaffAccess.objects.get(user=agent).channels.add(ada.orders.get(external_id="M-1").channel)
    client.force_login(agent)
    html = client.get(reverse("console:customer", args=[ada.pk])).content.decode()
    assert "Orders (1)" in html
    assert ">M-1<" in html and ">W-1<" not in html


def test_a_customer_the_user_does_not_reach_is_not_found(client, ada):
    agent = user_with("agent", "view_customer", "view_order")
    StaffAccess.objects.create(user=agent).channels.add(make_channel("pos", kind="pos"))
    client.force_login(agent)
    assert client.get(reverse("console:customer", args=[ada.pk])).status_code == 404


def test_a_user_without_the_view_permission_is_refused(client, ada):
    client.force_login(user_with("nobody", "view_order"))
    assert client.get(reverse("console:customer", args=[ada.pk])).status_code == 403


def test_the_orders_are_paginated(client, ada, api):
    for n in range(24):
        api.post("/orders", order_body(f"W-{n + 10}", customer={"email": "ada@example.com"}))
    client.force_login(user_with("boss", superuser=True))
    first = client.get(reverse("console:customer", args=[ada.pk])).content.decode()
    second = client.get(reverse("console:customer", args=[ada.pk]), {"page": 2}).content.decode()
    assert "Orders (26)" in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in second and second.count('data-label="Order"') == 1


def test_the_customer_list_links_to_the_customer_page(client, ada):
    client.force_login(user_with("boss", superuser=True))
    changelist = client.get(reverse("admin:customers_customer_changelist")).content.decode()
    assert f'href="{reverse("console:customer", args=[ada.pk])}"' in changelist
