"""The operations manager edits a hold rule in a real browser (desktop): opens "Hold rules" from
the menu, sees a condition that cannot be evaluated refused with its path, previews a lower
threshold on the recent orders, saves it as a new version and activates it with a reason; the
database then holds the new version in force, and the next order over it is held."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User

from ordino.holds import services
from ordino.holds.models import HoldRuleAudit, HoldRuleVersion, OrderHold
from tests.factories import make_channel, make_location, make_sku, order_body, stock

pytestmark = pytest.mark.django_db(transaction=True)


def _capture(external_id: str, quantity: int) -> None:
    from ordino.orders.schemas import OrderCreateIn
    from ordino.orders.services import order_capture

    lines = [{"sku": "TEE", "quantity": quantity, "unit_price": "20.00"}]
    command = OrderCreateIn(**order_body(external_id, lines=lines)).command()
    order_capture(command=command, actor="t")


def test_the_manager_edits_previews_and_activates_a_hold_rule(console_as):
    # given a shop with two past orders (40 and 200 EUR) and a rule in force over 1,000 EUR
    make_channel("web", currency="EUR")
    warehouse = make_location("WH-A")
    stock(warehouse, make_sku("TEE"), 100)
    _capture("W-1", 2)
    _capture("W-2", 10)
    services.active_rules_forget()
    condition = {"fact": "order.value", "op": "gt", "value": "1000"}
    rule = services.rule_create(code="big", name="Big orders", reason="big order",
                                condition=condition, actor="t")  # fmt: skip
    services.rule_version_activate(rule=rule, number=1, actor="t")
    manager = User.objects.create_superuser("mia", "mia@example.com", "x-Very-long-pass-1")
    page = console_as(manager, "desktop")
    # when she opens "Hold rules" from the menu and the rule
    page.goto("/admin/")
    page.get_by_role("link", name="Hold rules").click()
    page.locator("#hold-rules").get_by_role("link", name="Big orders").click()
    assert "In force: version 1" in page.locator("#in-force").inner_text()
    # and types a condition on a fact that does not exist
    editor = page.get_by_label("Condition")
    editor.fill(json.dumps({"fact": "order.total", "op": "gt", "value": "100"}))
    page.get_by_role("button", name="Validate").click()
    # then it is refused with its path, nothing saved
    assert "condition.fact: unknown fact 'order.total'" in page.locator("#errors").inner_text()
    # when she lowers the threshold to 100 EUR and previews it
    page.get_by_label("Condition").fill(
        json.dumps({"fact": "order.value", "op": "gt", "value": "100"})
    )
    page.get_by_role("button", name="Preview on the last 500 orders").click()
    # then one of the two orders would be held, and why
    preview = page.locator("#preview").inner_text()
    assert "Would hold 1 of the last 2 orders" in preview
    assert "web:W-2" in preview and "order.value > 100 holds (it is 200.000)" in preview
    # when she saves it as a new version and activates it with a reason
    page.get_by_role("button", name="Save as new version").click()
    assert "Saved as draft version 2" in page.content()
    page.locator("#activate input[name=reason]").fill("more fraud lately")
    page.get_by_role("button", name="Activate version 2").click()
    # then version 2 is in force, version 1 retired, the reason audited
    assert "In force: version 2" in page.locator("#in-force").inner_text()
    assert dict(HoldRuleVersion.objects.values_list("number", "status")) == {
        1: "retired",
        2: "active",
    }
    activated = HoldRuleAudit.objects.get(action="activated", version_number=2)
    assert (activated.actor, activated.data["reason"]) == ("user:mia", "more fraud lately")
    # and the next order over 100 EUR is held
    _capture("W-3", 6)
    assert OrderHold.objects.get().reason == "big order"
