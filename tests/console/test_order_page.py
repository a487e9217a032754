"""The order page (console:order): what an agent reads there, and who may open it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.fulfillment.models import FulfillmentOrder, Shipment
from ordino.fulfillment.services import fulfillment_accept, fulfillment_ship
from ordino.orders.models import Order
from ordino.orders.services import order_comment_add
from tests.factories import make_channel, order_body, stock

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-Passw0rd"


def user_with(username: str, *codenames: str, superuser: bool = False) -> User:
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.com", PASSWORD)
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def order(api, shop) -> Order:
    """Ada's web order: 2 tees and 1 mug from WH-A, shipped with DHL (tracking JD0001)."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    body = order_body("W-100", shipping_price="4.95")
    body["shipping_address"]["line1"] = "Rue de la République 5"
    response = api.post("/orders", body)
    assert response.status_code == 201, response.content
    order = Order.objects.get(pk=response.json()["id"])
    fo = FulfillmentOrder.objects.get(order=order)
    fulfillment_accept(fo_id=fo.pk, actor="user:store")
    fulfillment_ship(fo_id=fo.pk, carrier="DHL", tracking_numbers=["JD0001"], actor="user:store")
    order_comment_add(order_id=order.pk, text="Customer asked for a gift wrap.", actor="user:ann")
    return order


def test_the_page_shows_the_order_in_words_and_money(client, order):
    # Given a superuser
    client.force_login(user_with("boss", superuser=True))
    # When they open the order page
    page = client.get(reverse("console:order", args=[order.pk]))
    # Then the page shows the header, money with currency, the address as an address
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "Order W-100",
        "Channel web",
        ">Shipped<",
        "€54.43",  # 2 × 19.99 + 9.50 + 4.95
        "€4.95",
        "Rue de la République 5",
        "10117 Berlin",
        "Ada Lovelace",
        reverse("console:customer", args=[order.customer_id]),
    ):
        assert text in html, text
    # and the fulfillment order by location name, its shipment with a tracking link
    assert "Location WH-A" in html
    assert 'href="https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD0001"' in html
    # and its labels, to print again (docs/shipping.md, "Labels")
    labels = reverse("console:store_shipment_labels", args=[Shipment.objects.get().pk])
    assert f'href="{labels}?format=pdf"' in html
    assert client.get(f"{labels}?format=pdf")["Content-Type"] == "application/pdf"
    # and the timeline in words, with the staff comment and its author
    assert "Customer asked for a gift wrap." in html
    assert "user:ann" in html
    # and never JSON, a Python repr or a bare code
    for raw in ("\\u00e9", "OrderTimelineEntry object", "{&#x27;", "54.430", "ready_for"):
        assert raw not in html, raw


def test_the_sourcing_decision_reads_in_location_names(client, order):
    client.force_login(user_with("boss", superuser=True))
    html = client.get(reverse("console:order", args=[order.pk])).content.decode()
    assert "Why these locations" in html
    assert "Location WH-A (warehouse): 3 items" in html


def test_the_changelist_link_leads_to_the_order_page(client, order):
    client.force_login(user_with("boss", superuser=True))
    response = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("console:order", args=[order.pk]),
    )


def test_a_viewer_sees_the_order_but_no_action(client, order):
    client.force_login(user_with("viewer", "view_order"))
    page = client.get(reverse("console:order", args=[order.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for url in ("order_cancel", "order_comment", "order_address", "order_lines"):
        assert reverse(f"console:{url}", args=[order.pk]) not in html, url


def test_an_operator_may_comment_on_a_shipped_order_but_not_change_it(client, order):
    client.force_login(user_with("agent", "view_order", "cancel_orders", "edit_orders", "refund"))
    html = client.get(reverse("console:order", args=[order.pk])).content.decode()
    assert reverse("console:order_comment", args=[order.pk]) in html
    assert "An order that is shipped can no longer be cancelled or changed." in html
    for url in ("order_cancel", "order_address", "order_lines"):
        assert reverse(f"console:{url}", args=[order.pk]) not in html, url


def test_a_user_without_the_view_permission_is_refused(client, order):
    client.force_login(user_with("nobody"))
    assert client.get(reverse("console:order", args=[order.pk])).status_code == 403


def test_an_order_outside_the_user_s_channels_is_not_found(client, order):
    # Given an agent limited to the marketplace channel
    agent = user_with("agent", "view_order", "cancel_orders", "edit_orders", "refund")
    StaffAccess.objects.create(user=agent).channels.add(make_channel("market"))
    client.force_login(agent)
    # Then the web order does not exist for them
    assert client.get(reverse("console:order", args=[order.pk])).status_code == 404


def test_a_user_limited_to_a_location_sees_its_order_without_the_sourcing_ranks(
    client, order, shop
):
    clerk = user_with("clerk", "view_order")
    StaffAccess.objects.create(user=clerk).locations.add(shop["wh_a"])
    client.force_login(clerk)
    html = client.get(reverse("console:order", args=[order.pk])).content.decode()
    assert "it is not shown to users limited to some locations" in html
    assert "Location WH-A (warehouse): 3 items" not in html


def test_a_module_panel_shows_what_its_read_returns(client, order, monkeypatch, settings):
    # Given a panel whose read says the order's external id, and one with nothing to show
    from django.template import engines

    from ordino.console.orders import panels

    template = engines["django"].from_string(
        '<section aria-label="Test panel">Panel of {{ panel.ref }}</section>'
    )
    monkeypatch.setattr(
        panels,
        "PANELS",
        (
            panels.Panel(template.template, lambda request, o: {"ref": o.external_id}),
            panels.Panel("no/such/template.html", lambda request, o: None),
        ),
    )
    client.force_login(user_with("boss", superuser=True))
    # When the order page is opened
    page = client.get(reverse("console:order", args=[order.pk]))
    # Then the first panel is there, the second not read into the page
    assert page.status_code == 200
    assert page.content.decode().count("Panel of W-100") == 1
