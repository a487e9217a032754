"""The order page's statement budget (issue 14: ≤ 25 for an order with 500 timeline entries and
20 fulfillment orders). A count, never a time: the time is bench/console_order_page.py's."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.console_order_page import big_order_make
from ordino.accounts.models import StaffAccess
from ordino.orders.models import Order

pytestmark = pytest.mark.django_db
# 25 (issue 14) + the Holds panel's read (docs/holds.md); the money panel's read of what plain
# returns took back (payments' sold total) replaced nothing: 26; the Fraud risk panel's one
# read (its signals with their risk, docs/risk.md): 27; the Shipping panel's one read (each
# fulfillment order's latest rating, docs/shipping.md): 28; its shipments' costs: 29.
BUDGET = 29


def page_statements(client, order_id: int) -> int:
    url = reverse("console:order", args=[order_id])
    client.get(url)  # the session and permission caches as on a second visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_order_page_of_a_large_order_fits_the_budget(client):
    # Given an order with 500 timeline entries and 20 fulfillment orders, and a superuser
    order_id = big_order_make(timeline=500, fulfillment_orders=20)
    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw-long-enough"))
    # Then its page costs no more statements than the budget
    assert page_statements(client, order_id) <= BUDGET


def test_a_limited_agent_s_page_fits_the_budget_too(client):
    # Given an agent limited to the order's channel (their limits cost statements of their own)
    order_id = big_order_make(timeline=50, fulfillment_orders=20)
    agent = User.objects.create_user("agent", password="pw-long-enough", is_staff=True)
    agent.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_order", "cancel_orders", "edit_orders", "refund"]
        )
    )
    StaffAccess.objects.create(user=agent).channels.add(Order.objects.get(pk=order_id).channel)
    client.force_login(agent)
    assert page_statements(client, order_id) <= BUDGET
