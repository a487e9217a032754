"""Store credit in the console: the customer page shows the balance and entries and lets staff
with the permission give or take back credit with a reason; the order page refunds to store
credit and shows store-credit payments (docs/payments.md, "Store credit")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from ordino.customers.models import Customer
from ordino.orders.models import Order
from ordino.payments.models import Refund, StoreCreditAccount, StoreCreditEntry
from tests.console.test_order_page import user_with
from tests.factories import order_body, stock
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(api, shop) -> Order:
    """Ada's order of 49.48 EUR, paid by card, shipped and captured."""
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    body = api.post("/orders", order_body(payments=[card()])).json()
    work()
    api.post(f"/fulfillment/orders/{body['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    return Order.objects.get(pk=body["id"])


def give(client, customer_id: int, **form) -> object:
    url = reverse("console:customer_credit_give", args=[customer_id])
    return client.post(url, {"kind": "goodwill", "currency": "EUR", "reason": "late", **form})


def test_staff_give_credit_and_the_page_shows_it(client, shipped):
    # given a manager on Ada's page
    client.force_login(user_with("boss", superuser=True))
    ada = Customer.objects.get(pk=shipped.customer_id)
    # when they give 12.50 and then take back 2.50
    assert give(client, ada.pk, amount="12,50").status_code == 302
    assert give(client, ada.pk, amount="2.50", kind="adjustment", reason="typo").status_code == 302
    # then the page shows the balance and both entries with their reasons
    page = client.get(reverse("console:customer", args=[ada.pk])).content.decode()
    assert 'aria-label="Store credit"' in page
    assert "€10.00" in page
    assert ">late<" in page and ">typo<" in page
    assert StoreCreditAccount.objects.get().balance == Decimal("10.000")


def test_a_refused_give_shows_why_and_changes_nothing(client, shipped):
    client.force_login(user_with("boss", superuser=True))
    ada = shipped.customer_id
    for form in ({"amount": "abc"}, {"amount": "0"}, {"amount": "1.001"},
                 {"amount": "5", "kind": "adjustment"}, {"amount": "5", "reason": ""}):  # fmt: skip
        response = give(client, ada, **form)
        assert response.status_code == 302
    assert StoreCreditEntry.objects.count() == 0
    page = client.get(reverse("console:customer", args=[ada])).content.decode()
    assert "None" in page


def test_without_the_permission_nothing_is_shown_nor_given(client, shipped):
    client.force_login(user_with("agent", "view_customer", "view_order"))
    page = client.get(reverse("console:customer", args=[shipped.customer_id])).content.decode()
    assert 'aria-label="Store credit"' not in page
    assert give(client, shipped.customer_id, amount="5").status_code == 403
    client.force_login(user_with("viewer", "view_customer", "view_storecreditaccount"))
    page = client.get(reverse("console:customer", args=[shipped.customer_id])).content.decode()
    assert 'aria-label="Store credit"' in page and "Give or take back" not in page
    assert give(client, shipped.customer_id, amount="5").status_code == 403
    assert StoreCreditEntry.objects.count() == 0


def test_a_refund_to_store_credit_from_the_order_page(client, shipped):
    client.force_login(user_with("boss", superuser=True))
    url = reverse("console:order_refund", args=[shipped.pk])
    form = {"refund_1": "1", "reason": "too small", "to": "store_credit"}
    # the form offers it
    page = client.get(reverse("console:order", args=[shipped.pk])).content.decode()
    assert 'value="store_credit"' in page
    # the preview says where it goes, and records nothing
    preview = client.post(url, form).content.decode()
    assert "the customer&#x27;s store credit" in preview or "the customer's store credit" in preview
    assert (Refund.objects.count(), StoreCreditEntry.objects.count()) == (0, 0)
    # confirmed: recorded, succeeded at once, the credit issued
    assert client.post(url, {**form, "confirmed": "1"}).status_code == 302
    refund = Refund.objects.get()
    assert (refund.to, refund.status, refund.amount) == (
        "store_credit",
        "succeeded",
        Decimal("19.99"),
    )
    assert StoreCreditAccount.objects.get().balance == Decimal("19.990")
    page = client.get(reverse("console:order", args=[shipped.pk])).content.decode()
    assert "to store credit" in page


def test_the_payments_panel_shows_a_store_credit_payment(client, api, shipped):
    ada = shipped.customer_id
    api.post(f"/customers/{ada}/store-credit", {"amount": "5", "currency": "EUR", "reason": "r"})
    credit = {"method": "store_credit", "provider": "store_credit", "amount": "5.00"}
    body = api.post("/orders", order_body("W-2", payments=[credit, card()]))
    assert body.status_code == 201, body.content
    client.force_login(user_with("boss", superuser=True))
    page = client.get(reverse("console:order", args=[body.json()["id"]])).content.decode()
    assert "Store credit" in page and "store_credit" in page
