"""The location staff's console: list actions and the ship / reject forms call the use cases."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from ordino.fulfillment.models import FulfillmentOrder, Shipment
from ordino.orders.models import Order, OrderTimelineEntry
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(User.objects.create_superuser("ops", "ops@example.com", "pw-long-enough"))
    return client


@pytest.fixture
def fo(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    stock(shop["wh_b"], shop["TEE"], 5)
    stock(shop["wh_b"], shop["MUG"], 5)
    order = api.post("/orders", order_body()).json()
    return FulfillmentOrder.objects.get(pk=order["fulfillment_orders"][0]["id"])


def test_accept_from_the_queue(staff, fo):
    response = staff.post(
        reverse("admin:fulfillment_fulfillmentorder_changelist"),
        {"action": "accept", "_selected_action": [fo.pk]},
        follow=True,
    )
    assert response.status_code == 200
    fo.refresh_from_db()
    assert fo.status == "accepted"
    assert OrderTimelineEntry.objects.filter(kind="fulfillment_accepted", actor="user:ops").exists()


def test_ship_form_ships_everything_open(staff, fo):
    url = reverse("admin:fulfillment_fulfillmentorder_ship", args=[fo.pk])
    assert staff.get(url).status_code == 200
    response = staff.post(url, {"carrier": "DHL", "tracking_numbers": "A1, A2"})
    assert response.status_code == 302
    shipment = Shipment.objects.get()
    assert shipment.tracking_numbers == ["A1", "A2"]
    assert Order.objects.get().status == "shipped"


def test_ship_form_shows_a_refusal_and_changes_nothing(staff, fo):
    FulfillmentOrder.objects.filter(pk=fo.pk).update(status="cancelled")
    url = reverse("admin:fulfillment_fulfillmentorder_ship", args=[fo.pk])
    response = staff.post(url, {"carrier": "DHL", "tracking_numbers": "A1"})
    assert response.status_code == 200
    assert "cannot ship" in response.content.decode()
    assert Shipment.objects.count() == 0


def test_reject_form_reroutes(staff, fo):
    url = reverse("admin:fulfillment_fulfillmentorder_reject", args=[fo.pk])
    response = staff.post(url, {"reason": "no_capacity"})
    assert response.status_code == 302
    fo.refresh_from_db()
    assert fo.status == "rejected"
    locations = set(
        FulfillmentOrder.objects.exclude(pk=fo.pk).values_list("location__code", flat=True)
    )
    assert locations == {"WH-B"}


def test_the_record_page_shows_its_steps_and_no_save_button(staff, fo):
    html = staff.get(reverse("admin:fulfillment_fulfillmentorder_change", args=[fo.pk])).content
    html = html.decode()
    assert f'href="/admin/store/fo/{fo.pk}/"' in html
    assert reverse("admin:fulfillment_fulfillmentorder_ship", args=[fo.pk]) in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html


def test_each_row_of_the_list_opens_the_store_screen(staff, fo):
    html = staff.get(reverse("admin:fulfillment_fulfillmentorder_changelist")).content.decode()
    assert f'<a href="/admin/store/fo/{fo.pk}/">Open</a>' in html
