"""The operations manager's journey on the dashboard, in a real browser: picks the last 7 days
and a channel, sees the charts drawn, opens a tile and lands on the list it counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

from ordino.core.domain.clock import utcnow
from tests.factories import make_channel, make_location, make_sku
from tests.reports.rows import fo, line, order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def week_of_orders():
    """Web orders 1, 2 and 3 days ago (one cancelled), one 10 days ago, a shop order today."""
    web, shop = make_channel("web"), make_channel("shop")
    warehouse, sku = make_location("WH-A"), make_sku("TEE")
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    for n, (days_ago, status) in enumerate(
        [(1, "shipped"), (2, "allocated"), (3, "cancelled"), (10, "allocated")]
    ):
        created = now - timedelta(days=days_ago)
        o = order(web, f"W{n}", created, status, 30, 0 if status == "cancelled" else 30)
        units = {"cancelled": 1} if status == "cancelled" else {"allocated": 1}
        fo(line(o, sku, 1, **units), warehouse, 1, "open", created)
    order(shop, "S1", now, "allocated", 50, 50)
    return web


def test_the_manager_picks_a_week_and_a_channel_and_opens_a_tile(console_as, week_of_orders):
    manager = User.objects.create_superuser("olga", "olga@example.com", "pw-long-enough-1")
    page = console_as(manager, "desktop")
    page.goto("/admin/")
    # when she picks the last 7 days and the web channel
    page.select_option("select[name=period]", "7d")
    page.select_option("select[name=channel]", "web")
    page.click("#dashboard-picker button[type=submit]")
    page.wait_for_url("**/admin/?period=7d*channel=web*")
    # then the charts are drawn (Chart.js made a chart of every canvas)
    assert page.locator("h1, h2").filter(has_text="Dashboard").count() >= 1
    canvases = page.locator("#dashboard-charts canvas")
    assert canvases.count() == 7  # orders, revenue in EUR, rates, stores, ship time, queue, returns
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('#dashboard-charts canvas')]"
        ".filter(c => window.Chart && Chart.getChart(c)).length"
    )
    assert drawn == 7
    tile = page.locator('[data-tile="orders"] [data-value]')
    assert tile.inner_text() == "3"  # the web orders of the week
    # when she opens the cancelled orders' tile
    page.locator('[data-tile="cancelled"]').click()
    page.wait_for_url("**/admin/orders/order/?*status__exact=cancelled*")
    # then the list shows the one cancelled web order of the week
    assert page.locator("#result_list tbody tr").count() == 1
    assert "W2" in page.locator("#result_list").inner_text()


def test_the_dashboard_works_on_a_phone(console_as, week_of_orders):
    manager = User.objects.create_superuser("olga", "olga@example.com", "pw-long-enough-1")
    page = console_as(manager, "phone")
    page.goto("/admin/?period=7d")
    assert page.locator('[data-tile="orders"] [data-value]').inner_text() == "4"
    assert page.locator("select[name=period]").is_visible()
    # nothing wider than the screen
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    # when the manager taps the open work at the warehouse
    queue = page.locator("#dashboard-queue a[data-queue]")
    assert queue.inner_text() == "Open at Location WH-A: 4"
    queue.click()
    # then the fulfillment orders open there are listed, all four
    page.wait_for_url("**/admin/fulfillment/fulfillmentorder/?*status__exact=open*")
    assert page.locator("#result_list tbody tr").count() == 4
