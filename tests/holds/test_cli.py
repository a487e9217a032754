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
