"""The lists in a real browser (desktop): an admin creates a user limited to one store on the
styled user page; a manager exports the filtered order list, saves the view and finds an order
from Ctrl+K by its postal code. With ORDINO_DOC_SHOTS=1 it also writes the screenshots of
docs/console/lists.md."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from ordino.accounts.models import StaffAccess
from ordino.console.models import SavedView
from tests.console.lists_fixtures import orders_made, staff_user

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "console"


@pytest.fixture
def orders(shop, api):
    return orders_made(shop, api)


def shot(page, name: str) -> None:
    if os.environ.get("ORDINO_DOC_SHOTS"):
        page.screenshot(path=str(DOCS / f"lists-{name}.png"))


def test_an_admin_creates_a_user_limited_to_one_store(console_as, shop):
    admin = User.objects.create_superuser("root", "root@example.com", "pw-long-enough-1")
    page = console_as(admin, "desktop")
    page.goto("/admin/auth/user/add/")
    # the inputs have unfold's visible box
    assert "border" in (page.locator("input[name=username]").get_attribute("class") or "")
    page.fill("input[name=username]", "paris-clerk")
    page.fill("input[name=password1]", "Correct-horse-battery-9")
    page.fill("input[name=password2]", "Correct-horse-battery-9")
    page.select_option("select#id_staff_access-0-locations_from", label=str(shop["store"]))
    page.click("#id_staff_access-0-locations_add")
    shot(page, "user")
    page.click("button[name=_save]")
    page.wait_for_url("**/admin/auth/user/*/change/**")
    access = StaffAccess.objects.get(user__username="paris-clerk")
    assert [loc.code for loc in access.locations.all()] == ["STORE-1"]


def test_a_manager_exports_saves_a_view_and_finds_an_order_by_postal_code(console_as, orders):
    manager = staff_user("manager", "orders.view_order", "customers.view_customer")
    page = console_as(manager, "desktop")
    # the list filtered by a search
    page.goto("/admin/orders/order/?q=75001")
    assert "W-2" in page.inner_text("#result_list")
    # export: the download is a CSV of the filtered rows
    page.click("a[href*='/admin/orders/order/export/']")
    page.select_option("select[name=format]", label="csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [r["External id"] for r in rows] == ["W-2"]
    # save the view, then it is offered on the list
    page.goto("/admin/orders/order/?q=75001")
    page.click("text=Save this view")
    page.fill("input[name=name]", "Paris 1er")
    page.click("[data-testid=saved-views] button:has-text('Save')")
    page.wait_for_selector("[data-testid=saved-views] a:has-text('Paris 1er')")
    assert SavedView.objects.get().query == "q=75001"
    shot(page, "list")
    # Ctrl+K finds the order by its postal code
    page.goto("/admin/")
    page.keyboard.press("Control+k")
    page.locator("#search-input-command").wait_for()
    page.locator("#search-input-command").press_sequentially("75001", delay=30)
    result = page.locator(f"a[href='/admin/orders/{orders['W-2'].pk}/']")
    result.first.wait_for()
    shot(page, "search")
