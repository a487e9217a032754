"""The operations manager reads touches per order in a real browser (desktop): opens "Reports"
from the menu, sees the zero-touch rate, the chart of touches by kind drawn, and who touched
orders; picks one channel and sees its figures only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from ordino.core.domain.clock import utcnow
from ordino.orders.models import OrderTimelineEntry
from tests.factories import make_channel
from tests.reports.rows import order

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_reads_touches_per_order(console_as):
    # given three orders today: one edited and commented on by ada, two nobody touched
    now = utcnow().replace(microsecond=0)
    web, app = make_channel("web"), make_channel("app")
    ada = User.objects.create_user("ada", password="x")
    ada.groups.add(Group.objects.get_or_create(name="customer service")[0])
    touched = order(web, "W1", now, "allocated", 10, 10)
    for kind in ("edited", "comment"):
        OrderTimelineEntry.objects.create(order=touched, kind=kind, message=kind,
                                          actor="user:ada", data={}, created_at=now)  # fmt: skip
    order(web, "W2", now, "allocated", 10, 10)
    order(app, "A1", now, "allocated", 10, 10)
    manager = User.objects.create_superuser("mia", "mia@example.com", "x-Very-long-pass-1")
    page = console_as(manager, "desktop")
    # when she opens "Reports" from the menu
    page.goto("/admin/")
    page.get_by_role("link", name="Reports").click()
    # then the summary, the chart drawn, and ada with her role
    summary = page.locator("#touches-summary").inner_text()
    assert "3 orders, 1 touched by a person" in summary
    assert "zero-touch rate 67 %" in summary
    assert page.locator('[data-chart="touches-by-kind"] canvas').count() == 1
    assert "customer service" in page.locator("#touches-people").inner_text()
    # when she picks the app channel
    page.get_by_label("Channel").select_option("app")
    page.get_by_role("button", name="Show").click()
    # then only its order, untouched
    assert "1 orders, 0 touched" in page.locator("#touches-summary").inner_text()
