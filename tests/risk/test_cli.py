"""`ordino risk show|rescore|settings`: the same use cases as the API."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ordino.audit.models import AuditEntry
from ordino.risk.models import OrderRisk, RiskSetting
from tests.factories import order_body
from tests.risk.conftest import risky_body

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("risk", *args, stdout=out)
    return out.getvalue()


def test_show_prints_the_score_and_each_signal(api, stocked):
    order = api.post("/orders", risky_body("W-1")).json()
    lines = run("show", str(order["id"])).splitlines()
    assert lines[0] == f"Order {order['id']}: risk 70 of 100  to review (from 70)"
    assert len(lines) == 9
    assert lines[8].split() == ["+25", "Throwaway", "e-mail", "mailinator.com", "is", "a",
                                "throwaway", "e-mail", "domain"]  # fmt: skip


def test_rescore_scores_again_as_the_shell_user(api, stocked):
    order = api.post("/orders", order_body("W-1")).json()
    assert run("rescore", str(order["id"])).startswith(f"Order {order['id']}: risk 0 of 100")
    risk = OrderRisk.objects.get(order_id=order["id"])
    assert risk.version == 2 and risk.scored_by.startswith("cli:")


def test_an_unknown_order_is_refused(db):
    with pytest.raises(CommandError, match="No order 999"):
        run("show", "999")


def test_settings_shown_and_changed(db):
    assert '"review_threshold": 70' in run("settings")
    said = run("settings", "--weight", "velocity_card=40", "--review-threshold", "65",
               "--high-value", "EUR=750", "--reason", "cli")  # fmt: skip
    assert '"velocity_card": 40' in said and '"review_threshold": 65' in said
    assert RiskSetting.objects.get().values["high_value"] == {"EUR": "750"}
    assert AuditEntry.objects.get(object_type="risk_settings").reason == "cli"


def test_bad_settings_are_refused_with_their_path_and_change_nothing(db):
    with pytest.raises(CommandError, match=r"weights\.velocity_card: A whole number from 0 to 100"):
        run("settings", "--weight", "velocity_card=101")
    with pytest.raises(CommandError, match="write NAME=VALUE"):
        run("settings", "--weight", "velocity_card")
    assert not RiskSetting.objects.exists()
