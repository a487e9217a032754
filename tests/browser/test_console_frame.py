"""The console's frame in a real browser: signing in, the menu grouped by work."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_signs_in_and_sees_the_menu_grouped_by_work(browser, live_server):
    # given an admin
    User.objects.create_superuser("ada", "ada@example.com", "correct-horse-battery-9")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    # when she signs in through the form
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=password]", "correct-horse-battery-9")
    page.click("button[type=submit]")
    # then the dashboard shows, with the day's work first in the menu and access last
    page.wait_for_url(f"{live_server.url}/admin/")
    sidebar = page.locator("#nav-sidebar-inner, nav").first.inner_text()
    assert sidebar.index("Orders") < sidebar.index("Fulfillment") < sidebar.index("Access")
    assert "Customer addresss" not in page.content()
    page.close()


def test_a_user_without_permissions_sees_no_menu_entry_they_cannot_open(console_as):
    # given staff with the right to view orders only
    from django.contrib.auth.models import Permission

    clerk = User.objects.create_user("clerk", password="x-Very-long-pass-1", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_order"))
    # when they open the console on a phone
    page = console_as(clerk, "phone")
    page.goto("/admin/")
    # then orders are offered and access is not
    html = page.content()
    assert "/admin/orders/order/" in html
    assert "/admin/auth/user/" not in html
