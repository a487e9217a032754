"""The operations manager changes the sourcing rule in a real browser (desktop): starts a draft
from the active version, changes the split limit, reads the back-test, activates it with a
confirmation and a reason; the database then holds the new active version. With
ORDINO_SCREENSHOTS=1 the journey also saves the screenshots of docs/console/rules.md."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from ordino.sourcing import services
from ordino.sourcing.models import ProfileAudit, SourcingProfileVersion
from tests.factories import make_sku, stock
from tests.sourcing.helpers import SEPTEMBER, capture, network

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "console"


def _shot(page, name: str, selector: str | None = None) -> None:
    if os.environ.get("ORDINO_SCREENSHOTS") != "1":
        return
    target = page.locator(selector).first if selector else page
    target.screenshot(path=str(DOCS / f"rules-{name}.png"), type="png")


def test_the_manager_changes_the_split_limit_and_activates_it(console_as):
    # given a shop whose active version allows 2 shipments, and three past orders, one of them
    # with a cap only the Potsdam store holds (two shipments today)
    net = network()
    stock(net["store"], make_sku("CAP"), 4)
    profile = services.profile_create(
        code="default", name="Web shop", definition=SEPTEMBER, actor="t"
    )
    services.profile_version_activate(profile=profile, number=1, actor="t")
    for n in (1, 2):
        capture(f"W-{n}")
    capture("W-3", lines=[{"sku": "TEE", "quantity": 6, "unit_price": "19.99"},
                          {"sku": "CAP", "quantity": 1, "unit_price": "12.00"}])  # fmt: skip
    manager = User.objects.create_superuser("mia", "mia@example.com", "x-Very-long-pass-1")
    page = console_as(manager, "desktop")
    # when she opens "Rules in effect" from the menu and starts a draft from the active version
    page.goto("/admin/")
    page.get_by_role("link", name="Rules in effect").click()
    assert "Web shop" in page.locator("#in-effect").inner_text()
    page.get_by_role("link", name="Start a draft from the active version").click()
    # and changes the split limit to ship complete
    page.fill("input[name=s0-max_shipments]", "1")
    page.fill("input[name=note]", "ship complete")
    _shot(page, "editor", "#strategy-0")
    page.get_by_role("button", name="Save draft").click()
    # then the side by side names the real version and highlights the split
    assert "Saved draft version 2 of “Web shop”" in page.content()
    changed = page.locator("#side-by-side tr[data-changed]").all_inner_texts()
    assert changed == ["Split\tat most 2 shipments, fewest shipments first\t"
                       "ship complete from one location, fewest shipments first"]  # fmt: skip
    _shot(page, "side-by-side", "#side-by-side")
    # when she tries the draft on the order with the cap, found by its external id
    page.get_by_role("link", name="Try it on an order").click()
    page.fill("input[name=q]", "W-3")
    page.get_by_role("button", name="Search").click()
    page.locator("#found a").first.click()
    decision = page.locator("#decision").inner_text()
    # then both decisions read in words, with the store and the warehouse by name and kind
    assert "Location STORE-POTSDAM (store) ships 1 of 7 items" in decision
    _shot(page, "try", "#decision")
    # when she runs the back-test on the last 10 orders
    page.get_by_role("link", name="Back-test", exact=True).click()
    page.fill("input[name=orders]", "10")
    page.get_by_role("button", name="Run the back-test").click()
    # then the report compares the three orders
    report = page.locator("#report").inner_text()
    assert "3 orders: 1 would be sourced differently" in report
    assert "Split orders\t33.3 %\t0.0 %" in report
    assert "W-3" in page.locator("#changed-orders").inner_text()
    _shot(page, "backtest", "#report")
    # when she activates the draft with a reason and the confirmation
    page.get_by_role("link", name="Draft vs active").click()
    page.fill("input[name=reason]", "fewer parcels")
    page.check("input[name=confirm]")
    page.get_by_role("button", name="Activate version 2").click()
    # then the page says version 2 is in effect and the database agrees
    assert "Version 2 of “Web shop” is active" in page.content()
    statuses = dict(SourcingProfileVersion.objects.values_list("number", "status"))
    assert statuses == {1: "retired", 2: "active"}
    assert ProfileAudit.objects.filter(action="activated").first().data["reason"] == "fewer parcels"
    _shot(page, "in-effect", "#in-effect")
