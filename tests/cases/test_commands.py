"""`ordino cases list|escalate` (docs/cases.md, "Command line")."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ordino.cases.models import RoutingRule
from ordino.cases.services import case_take, inquiry_open
from ordino.core.domain.clock import clock_pinned
from tests.cases.conftest import inquiry_type

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("cases", *args, stdout=out)
    return out.getvalue()


def test_list_shows_the_inbox_and_escalate_escalates(people):
    inquiry_type(people["team"], sla_hours=8, ladder=[{"after_hours": 4, "to": "lead"}])
    with clock_pinned(datetime(2026, 1, 12, 8, tzinfo=UTC)):
        case = inquiry_open(title="Wrong size", description="", actor="user:ana",
                            order_id=None, customer_id=None)  # fmt: skip
        mine = inquiry_open(title="Refund?", description="", actor="user:ana",
                            order_id=None, customer_id=None)  # fmt: skip
        case_take(case_id=mine.pk, user=people["ana"], actor="user:ana")
    text = run("list")
    assert "Wrong size" in text and "Refund?" in text and text.endswith("2 case(s).\n")
    assert run("list", "--mine", "ana").endswith("1 case(s).\n")
    assert "Wrong size" in run("list", "--unassigned")
    # when the clock passed the first level: both are escalated, once
    with clock_pinned(datetime(2026, 1, 12, 13, tzinfo=UTC)):
        assert run("escalate") == "Opened 0 case(s); escalated 2 case(s).\n"
        assert run("escalate") == "Opened 0 case(s); escalated 0 case(s).\n"
    case.refresh_from_db()
    assert case.owner_user == people["lea"]


def test_an_unknown_user_is_an_error(people):
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        run("list", "--mine", "nobody")


def test_routing_add_list_preview_and_remove(people):
    big = '{"fact": "order.value", "op": "gt", "value": "40"}'
    added = run("routing", "add", "big", "--name", "Big", "--condition", big, "--type",
                "inquiry", "--team", "Customer care", "--priority", "high")  # fmt: skip
    assert added == "Routing rule big added at position 10.\n"
    listed = run("routing", "list")
    assert "big" in listed and "team Customer care" in listed and "types inquiry" in listed
    assert listed.endswith("1 routing rule(s).\n")
    assert run("routing", "preview", "--condition", big) == "Would route 0 of the last 0 orders.\n"
    assert run("routing", "remove", "big", "--reason", "done") == "Routing rule big removed.\n"
    assert run("routing", "list") == "0 routing rule(s).\n"


def test_routing_add_refuses_a_rule_that_cannot_be_evaluated(people):
    bad = '{"fact": "order.colour", "op": "eq", "value": "red"}'
    with pytest.raises(CommandError, match=r"condition.fact: unknown fact 'order.colour'"):
        run("routing", "add", "bad", "--name", "Bad", "--condition", bad, "--team",
            "Customer care")  # fmt: skip
    assert RoutingRule.objects.count() == 0
