"""`ordino holds list|release`: the same use cases as the API."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ordino.fulfillment.models import FulfillmentOrder
from ordino.holds.models import OrderHold
from tests.factories import order_body

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("holds", *args, stdout=out)
    return out.getvalue()


def test_list_shows_open_holds_and_release_lets_the_work_go(api, stocked, big_rule):
    # given a held order
    order = api.post("/orders", order_body("W-1")).json()
    hold = OrderHold.objects.get()
    # when the open holds are listed
    listed = _run("list", "--open")
    # then the hold is there with its cause and reason
    assert f"order {order['id']}" in listed
    assert "rule:big" in listed and "order over 40 EUR" in listed and "open" in listed
    # when it is released from the command line
    said = _run("release", str(hold.pk), "--reason", "checked by phone")
    # then released manually by the shell's user, the work open again
    assert said == f"Hold {hold.pk} of order {order['id']} released: order over 40 EUR.\n"
    hold.refresh_from_db()
    assert (hold.released_how, hold.release_reason) == ("manual", "checked by phone")
    assert hold.released_by.startswith("cli:")
    assert FulfillmentOrder.objects.get(order_id=order["id"]).status == "open"
    assert _run("list", "--open") == "No holds.\n"


def test_releasing_twice_is_refused_and_changes_nothing(api, stocked, big_rule):
    api.post("/orders", order_body("W-1"))
    hold = OrderHold.objects.get()
    _run("release", str(hold.pk), "--reason", "ok")
    with pytest.raises(CommandError, match="released already"):
        _run("release", str(hold.pk), "--reason", "again")
    hold.refresh_from_db()
    assert hold.release_reason == "ok"


def test_an_unknown_hold_is_refused():
    with pytest.raises(CommandError, match="No hold 999"):
        _run("release", "999", "--reason", "x")


def _three_held_and_released_by_people(api) -> None:
    for n in (1, 2, 3):
        order = api.post("/orders", order_body(f"W-{n}")).json()
        (hold,) = api.get(f"/orders/{order['id']}/holds").json()
        api.post(f"/orders/{order['id']}/holds/{hold['id']}/release", {"reason": "fine"})


def test_the_report_shows_each_rule_and_flags_one_always_overridden(api, stocked, big_rule):
    # given a rule whose three holds people released
    _three_held_and_released_by_people(api)
    # when the report is asked for
    lines = _run("report", "--days", "7").splitlines()
    # then one row per rule, the figures exact, the rule flagged
    assert lines[0] == "Holds placed in the last 7 days, per rule."
    assert lines[2].split()[:3] == ["big", "3", "3"]
    assert lines[2].split()[4:] == ["3", "0", "always", "overridden"]


def test_the_report_s_period_is_bounded():
    for days in ("0", "367"):  # at most 366 days, as GET /holds/report
        with pytest.raises(CommandError, match="--days is between 1 and 366"):
            _run("report", "--days", days)
    assert _run("report") == "Holds placed in the last 90 days, per rule.\nNo rule.\n"
