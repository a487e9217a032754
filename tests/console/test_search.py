"""The global search (Ctrl+K) finds orders by number, external id, e-mail, phone, postal code and
tracking number, and customers by e-mail, phone and name, within the user's reach."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ordino.console.search import search_callback
from ordino.fulfillment.models import FulfillmentOrder, Shipment
from ordino.orders.models import Order
from tests.console.lists_fixtures import signed_in, staff_user

pytestmark = pytest.mark.django_db


def found(user, term: str) -> list[str]:
    request = RequestFactory().get("/admin/search/")
    request.user = user
    return [result.link for result in search_callback(request, term)]


def order_link(order: Order) -> str:
    return f"/admin/orders/{order.pk}/"


@pytest.fixture
def manager(db):
    return staff_user("manager", "orders.view_order", "customers.view_customer")


@pytest.fixture
def tracked(orders):
    fo = FulfillmentOrder.objects.filter(order=orders["W-1"]).first()
    Shipment.objects.create(
        fulfillment_order=fo,
        carrier="DHL",
        tracking_numbers=["JD0123456789"],
        shipped_at=fo.created_at,
    )
    return orders


@pytest.mark.parametrize(
    ("term", "external_id"),
    [
        ("75001", "W-2"),
        ("w-2", "W-2"),  # unfold hands the term over in lower case
        ("bo@example.com", "W-2"),
        ("BO@example.com", "W-2"),
        ("+33612345678", "W-2"),
        ("jd0123456789", "W-1"),
        ("JD0123456789", "W-1"),
    ],
)
def test_an_order_is_found_by_what_a_person_has_in_hand(tracked, manager, term, external_id):
    assert order_link(tracked[external_id]) in found(manager, term)
    others = [o for key, o in tracked.items() if key != external_id]
    assert not any(order_link(o) in found(manager, term) for o in others)


def test_an_order_is_found_by_its_number(orders, manager):
    order = orders["A-1"]
    assert found(manager, str(order.pk))[0] == order_link(order)
    assert found(manager, f"#{order.pk}")[0] == order_link(order)


def test_a_customer_is_found_by_email_phone_and_name(orders, manager):
    customer_id = orders["W-2"].customer_id
    link = f"/admin/customers/{customer_id}/"
    for term in ("bo@example.com", "+33612345678", "bo"):
        assert link in found(manager, term), term


def test_the_search_keeps_to_the_users_reach_and_permissions(orders):
    app = orders["A-1"].channel
    limited = staff_user("app-agent", "orders.view_order", channels=[app])
    assert found(limited, "ada@example.com") == [order_link(orders["A-1"])]
    nobody = staff_user("nobody")
    assert found(nobody, "75001") == []


def test_ctrl_k_answers_with_the_orders(orders, manager):
    client = signed_in(manager)
    page = client.get(reverse("admin:search"), {"s": "75001", "extended": "1"})
    assert order_link(orders["W-2"]) in page.content.decode()


def test_the_order_list_searches_postal_code_and_tracking_number(tracked, manager):
    client = signed_in(manager)
    url = reverse("admin:orders_order_changelist")
    for term, expected in (("75001", "W-2"), ("JD0123456789", "W-1")):
        rows = client.get(url, {"q": term}).context["cl"].result_list
        assert [o.external_id for o in rows] == [expected]
