"""Trying a draft: simulate on an order found by search (draft vs in effect, in plain words) and
the back-test report on made orders (numbers and the orders whose location changes)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.orders.models import Order
from ordino.sourcing import services
from tests.factories import make_channel
from tests.sourcing.helpers import capture

pytestmark = pytest.mark.django_db

TRY = reverse("console:sourcing_rules_simulate", args=["default"])
BACKTEST = reverse("console:sourcing_rules_backtest", args=["default"])


def test_search_by_email_lists_the_order_to_pick(manager, drafted):
    # given
    order = capture("W-1")
    # when
    html = manager.get(TRY, {"q": "ada@example.com"}).content.decode()
    # then
    found = html.split('id="found"')[1].split("</table>")[0]
    assert f"order={order.pk}" in found
    assert "Order #" in found and "W-1" in found


def test_search_by_external_id_and_by_number(manager, drafted):
    # given
    order = capture("W-77")
    capture("W-80")
    # when
    by_external = manager.get(TRY, {"q": "W-77"}).content.decode()
    by_number = manager.get(TRY, {"q": f"#{order.pk}"}).content.decode()
    # then
    assert by_external.split('id="found"')[1].count("order=") == 1
    assert f"order={order.pk}" in by_number.split('id="found"')[1]


def test_simulating_a_picked_order_says_where_each_version_ships_from(manager, drafted):
    # given
    order = capture("W-1")
    # when
    html = manager.get(TRY, {"order": order.pk}).content.decode()
    # then
    decision = html.split('id="decision"')[1]
    draft, active = decision.split('data-side="2"')
    assert "Draft version 2: Allocated" in draft
    assert "Location STORE-POTSDAM (store) ships all 3 items and is 26 km away." in draft
    assert "Version 1 (in effect): Allocated" in active
    assert "Location CENTRAL (warehouse) ships all 3 items and is 255 km away." in active
    assert "{" not in decision.split("<details>")[0]
    captured = decision.split('id="captured"')[1]
    assert "What was decided for this order: Allocated" in captured
    assert "By default version 1," in captured
    assert "Location CENTRAL (warehouse) ships 3 items." in captured


def test_back_test_report_compares_made_orders(manager, drafted):
    # given: three orders the active version sent from the Hamburg warehouse, and the cost of a
    # shipment known for the store only
    orders = [capture(f"W-{n}") for n in (1, 2, 3)]
    services.location_schedule_set(location=drafted["store"], cost_per_shipment=Decimal("6.50"))
    # when
    html = manager.get(BACKTEST, {"orders": 10}).content.decode()
    # then
    report = html.split('id="report"')[1]
    assert "3 orders: 3 would be sourced differently" in report
    rows = {
        label: [before, after]
        for label, before, after in re.findall(
            r"<tr[^>]*><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", report
        )
    }
    assert rows["Split orders"] == ["0.0 %", "0.0 %"]
    assert rows["Shipments from stores"] == ["0.0 %", "100.0 %"]
    assert rows["Average distance per shipment"] == ["254.6 km", "26.4 km"]
    assert rows["Fully allocated"] == ["3", "3"]
    assert rows["Average cost per shipment"] == ["unknown", "6.50 over 3 shipments"]
    changed = report.split('id="changed-orders"')[1].split("</ul>")[0]
    assert [f"order={o.pk}" in changed for o in orders] == [True, True, True]


def test_back_test_orders_are_bounded(manager, drafted):
    # when
    html = manager.get(BACKTEST, {"orders": 5000}).content.decode()
    # then
    assert "Ensure this value is less than or equal to 500." in html
    assert 'id="report"' not in html


def test_back_test_over_a_period_takes_only_the_orders_captured_in_it(manager, drafted):
    # given: two orders captured on 2 and 20 November
    early, late = capture("W-1"), capture("W-2")
    Order.objects.filter(pk=early.pk).update(created_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    Order.objects.filter(pk=late.pk).update(created_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    # when
    html = manager.get(
        BACKTEST, {"orders": 10, "since": "2026-11-01", "until": "2026-11-10"}
    ).content.decode()
    # then
    report = html.split('id="report"')[1]
    assert "1 order: 1 would be sourced differently" in report
    changed = report.split('id="changed-orders"')[1].split("</ul>")[0]
    assert f"order={early.pk}" in changed and f"order={late.pk}" not in changed


def test_search_and_simulation_stay_within_the_users_channels(client, drafted):
    # given an order on web, and staff who may view sourcing for another channel only
    order = capture("W-1")
    other = make_channel("shop", currency="EUR")
    user = User.objects.create_user("far", password="x-Very-long-pass-1", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="sourcing"))
    StaffAccess.objects.create(user=user).channels.add(other)
    client.force_login(user)
    # when
    found = client.get(TRY, {"q": "W-1"}).content.decode()
    picked = client.get(TRY, {"order": order.pk})
    # then
    assert "No order matches." in found
    assert picked.status_code == 404


def test_staff_without_the_view_permission_may_not_open_the_rule_pages(client, drafted):
    # given
    user = User.objects.create_user("clerk", password="x-Very-long-pass-1", is_staff=True)
    client.force_login(user)
    # when
    pages = [
        reverse("console:sourcing_rules"),
        reverse("console:sourcing_rules_edit", args=["default"]),
        reverse("console:sourcing_rules_compare", args=["default"]),
        TRY,
        BACKTEST,
    ]
    # then
    assert [client.get(url).status_code for url in pages] == [403] * 5
