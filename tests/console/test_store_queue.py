"""The store screen's queue: the user's location only, tabs by step, cards with what a clerk
needs (items, customer, delivery, age), counts per tab."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from ordino.console.store.queue import age
from ordino.core.domain.clock import utcnow
from ordino.fulfillment.models import FulfillmentOrder
from tests.console.store_setup import capture, store_staff

pytestmark = pytest.mark.django_db

QUEUE = "/admin/store/"


def tab_of(client, tab: str, location: str = "STORE-1") -> tuple[str, list[int]]:
    response = client.get(QUEUE, {"location": location, "tab": tab})
    assert response.status_code == 200
    html = response.content.decode()
    cards = [
        fo.pk for fo in FulfillmentOrder.objects.order_by("pk") if f'data-fo="{fo.pk}"' in html
    ]
    return html, cards


def counts(html: str) -> dict[str, int]:
    found = re.findall(r'data-tab="(\w+)"[^>]*>[^<]*<span class="st-count">(\d+)</span>', html)
    return {tab: int(n) for tab, n in found}


def test_the_queue_lists_the_stores_own_work_with_items_customer_and_age(
    clerk, ship_fo, pickup_fo, warehouse_fo
):
    # when the store's clerk opens the store screen
    html, cards = tab_of(clerk, "accept")
    # then both of the store's orders wait to be accepted, and the warehouse's order is not there
    assert reverse("console:store") == QUEUE
    assert cards == [ship_fo.pk, pickup_fo.pk]
    assert "W-300" not in html and "CAP" not in html
    # and each card shows the order number, the customer, the items, the delivery and the age
    for text in ("W-100", "W-200", "Ada Lovelace", "TEE", "MUG", "Ship", "Pickup", "just now"):
        assert text in html, text
    # and the tabs count what waits in each
    assert counts(html) == {"accept": 2, "pick": 0, "pack": 0, "pickup": 0, "done": 0}


def test_each_step_moves_the_card_to_its_tab(clerk, ship_fo, pickup_fo):
    # given the ship order accepted, the pickup order picking
    FulfillmentOrder.objects.filter(pk=ship_fo.pk).update(status="accepted")
    FulfillmentOrder.objects.filter(pk=pickup_fo.pk).update(status="picking")
    # then each shows in its tab only
    assert tab_of(clerk, "accept")[1] == []
    assert tab_of(clerk, "pick")[1] == [ship_fo.pk]
    assert tab_of(clerk, "pack")[1] == [pickup_fo.pk]
    # when the pickup waits at the counter and the ship order has gone
    FulfillmentOrder.objects.filter(pk=pickup_fo.pk).update(status="ready_for_pickup")
    FulfillmentOrder.objects.filter(pk=ship_fo.pk).update(status="shipped", updated_at=utcnow())
    assert tab_of(clerk, "pickup")[1] == [pickup_fo.pk]
    html, done = tab_of(clerk, "done")
    assert done == [ship_fo.pk]
    assert counts(html) == {"accept": 0, "pick": 0, "pack": 0, "pickup": 1, "done": 1}


def test_done_shows_the_last_week_only(clerk, ship_fo):
    FulfillmentOrder.objects.filter(pk=ship_fo.pk).update(
        status="delivered", updated_at=utcnow() - timedelta(days=8)
    )
    assert tab_of(clerk, "done")[1] == []


def test_another_location_is_not_offered_and_asking_for_it_is_404(clerk, warehouse_fo):
    html, _ = tab_of(clerk, "accept")
    assert 'value="WH-A"' not in html
    assert clerk.get(QUEUE, {"location": "WH-A"}).status_code == 404


def test_an_unlimited_user_picks_any_location(client, shop, warehouse_fo, ship_fo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw-long-9x"))
    html, cards = tab_of(client, "accept", location="WH-A")
    assert cards == [warehouse_fo.pk]
    assert 'value="STORE-1"' in html and 'value="WH-B"' in html


def test_age_reads_in_minutes_hours_and_days():
    now = utcnow()
    assert [age(now - d, now) for d in (timedelta(seconds=5), timedelta(minutes=12))] == [
        "just now",
        "12 min ago",
    ]
    assert age(now - timedelta(hours=3, minutes=5), now) == "3 h ago"
    assert age(now - timedelta(days=3), now) == "3 d ago"


def test_a_ship_to_store_parcel_moves_from_the_warehouse_to_the_stores_counter(
    clerk, api, store_shop, shop
):
    # given a cap to collect at the store, which only warehouse A has, shipped by the warehouse
    fo = capture(
        api,
        "W-400",
        lines=[{"sku": "CAP", "quantity": 1, "unit_price": "12.00"}],
        delivery_method="ship_to_store",
        pickup_location="STORE-1",
    )
    assert fo.location.code == "WH-A"
    assert tab_of(clerk, "pickup")[1] == []  # not the store's until it is on its way
    body = {"carrier": "DHL", "tracking_numbers": ["JD9"]}
    assert api.post(f"/fulfillment/orders/{fo.pk}/ship", body).status_code == 200
    # then the store finds it to put at the counter, and may only do that with it
    assert tab_of(clerk, "pickup")[1] == [fo.pk]
    html = clerk.get(f"/admin/store/fo/{fo.pk}/").content.decode()
    assert f"/admin/store/fo/{fo.pk}/ready/" in html
    assert f"/admin/store/fo/{fo.pk}/reject/" not in html
    # and for the warehouse it is done
    boss = store_staff("wh", [shop["wh_a"]])
    clerk.force_login(boss)
    assert tab_of(clerk, "done", location="WH-A")[1] == [fo.pk]
    html = clerk.get(f"/admin/store/fo/{fo.pk}/").content.decode()
    assert f"/admin/store/fo/{fo.pk}/ready/" not in html


def test_a_user_of_two_locations_chooses_between_them(client, shop, ship_fo, warehouse_fo):
    client.force_login(store_staff("two", [shop["store"], shop["wh_a"]]))
    html, cards = tab_of(client, "accept", location="WH-A")
    assert cards == [warehouse_fo.pk]
    assert 'value="STORE-1"' in html and 'value="WH-B"' not in html
    # without a choice, the first of them by code
    assert tab_of(client, "accept", location="")[1] == [ship_fo.pk]


def test_the_queue_reads_in_a_fixed_number_of_queries(
    clerk, api, store_shop, django_assert_max_num_queries
):
    for n in range(10):
        capture(api, f"W-5{n:02d}", lines=[{"sku": "MUG", "quantity": 1, "unit_price": "9"}])
    with django_assert_max_num_queries(13):  # the page: 12 for any number; the test: 1
        _, cards = tab_of(clerk, "accept")
    assert len(cards) == 10
