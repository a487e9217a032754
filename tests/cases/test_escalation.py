"""The SLA clock and the escalation ladder on a team's business calendar (docs/cases.md): the
worker's periodic job, with the clock the tests move, escalates each level exactly once; the
clock stops while a case waits; daylight saving and public holidays move deadlines as they
should; the new owner is e-mailed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail

from ordino.cases.models import Case
from ordino.cases.services import case_status_set, cases_escalate_due, inquiry_open
from ordino.cases.services.escalate import _escalate
from ordino.core.domain.clock import clock_pinned
from tests.cases.conftest import inquiry_type, work

pytestmark = pytest.mark.django_db
LADDER = [
    {"after_hours": 4, "to": "team"},
    {"after_hours": 8, "to": "lead"},
    {"after_hours": 16, "to": "manager"},
]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def opened_at(at: datetime) -> Case:
    with clock_pinned(at):
        case = inquiry_open(title="Where is my parcel?", description="", actor="user:ana",
                            order_id=None, customer_id=None)  # fmt: skip
    return Case.objects.get(pk=case.pk)


def test_due_and_escalation_run_on_business_hours(people):
    # given the team's inquiries: SLA 8 business hours, a ladder of three levels
    inquiry_type(people["team"], sla_hours=8, ladder=LADDER)
    # when one is opened on Monday 12 January 2026 at 9:00 Berlin (8:00 UTC)
    case = opened_at(utc(2026, 1, 12, 8))
    # then it is due at 17:00 Berlin, and its first level is at 13:00 Berlin
    assert (case.due_at, case.next_escalation_at) == (utc(2026, 1, 12, 16), utc(2026, 1, 12, 12))
    assert (case.owner_team, case.owner_user) == (people["team"], None)


def test_each_level_escalates_exactly_once(people):
    inquiry_type(people["team"], sla_hours=8, ladder=LADDER)
    case = opened_at(utc(2026, 1, 12, 8))
    # a minute early: nothing
    assert cases_escalate_due(now=utc(2026, 1, 12, 11, 59)) == 0
    # when the first level is due, the job runs twice (two workers, or twice in a row)
    assert cases_escalate_due(now=utc(2026, 1, 12, 12)) == 1
    assert cases_escalate_due(now=utc(2026, 1, 12, 12)) == 0
    # and a worker that read the case before the first one escalated it claims nothing
    assert _escalate(case.pk, 0, utc(2026, 1, 12, 12)) == 0
    case.refresh_from_db()
    assert (case.escalation_level, case.priority, case.owner_user) == (1, "high", None)
    assert case.next_escalation_at == utc(2026, 1, 12, 16)  # 8 business hours: 17:00 Berlin
    # when the second level is due: the lead has it, more urgent, e-mailed
    assert cases_escalate_due(now=utc(2026, 1, 12, 16)) == 1
    case.refresh_from_db()
    assert (case.escalation_level, case.priority, case.owner_user) == (2, "urgent", people["lea"])
    # the third (16 business hours) is Tuesday 17:00 Berlin, not Tuesday 00:00
    assert case.next_escalation_at == utc(2026, 1, 13, 16)
    mail.outbox.clear()
    work()
    subject = f"Escalated: case {case.pk}, Where is my parcel?"
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["ana@example.com", "lea@example.com"],
            subject,
        ),
        (["lea@example.com"], subject),
    ]
    kinds = list(case.activities.values_list("kind", flat=True))
    assert kinds == ["created", "escalated", "escalated"]


def test_the_clock_stops_while_waiting(people):
    inquiry_type(people["team"], sla_hours=8, ladder=LADDER)
    case = opened_at(utc(2026, 1, 12, 8))
    # given the case waits on the customer from Monday 10:00 to Tuesday 10:00 Berlin
    with clock_pinned(utc(2026, 1, 12, 9)):
        case_status_set(case_id=case.pk, status="waiting", actor="user:ana")
    case.refresh_from_db()
    # then no deadline runs, and no level escalates meanwhile
    assert (case.due_at, case.next_escalation_at) == (None, None)
    assert cases_escalate_due(now=utc(2026, 1, 13, 9)) == 0
    with clock_pinned(utc(2026, 1, 13, 9)):
        case_status_set(case_id=case.pk, status="open", actor="user:ana")
    case.refresh_from_db()
    # and every deadline moved by the 8 business hours it waited
    assert case.waited_seconds == 8 * 3600
    assert (case.due_at, case.next_escalation_at) == (utc(2026, 1, 13, 16), utc(2026, 1, 13, 12))


def test_a_deadline_across_the_daylight_saving_change(people):
    inquiry_type(people["team"], sla_hours=3)
    # given a case opened on Friday 27 March 2026 at 16:00 Berlin (CET, 15:00 UTC)
    case = opened_at(utc(2026, 3, 27, 15))
    # then it is due Monday 11:00 Berlin, CEST since Sunday: 09:00 UTC
    assert case.due_at == utc(2026, 3, 30, 9)


def test_a_deadline_across_public_holidays(people):
    inquiry_type(people["team"], sla_hours=2)
    # given a case opened on 24 December 2026 at 16:00 Berlin; the 25th and 26th are German
    # public holidays (the `holidays` package), the 26th and 27th a weekend
    case = opened_at(utc(2026, 12, 24, 15))
    # then it is due on Monday 28 December at 10:00 Berlin
    assert case.due_at == utc(2026, 12, 28, 9)


def test_a_teams_own_dates_are_holidays_too(people):
    people["team"].extra_holidays = ["2026-01-13"]
    people["team"].save()
    inquiry_type(people["team"], sla_hours=8)
    case = opened_at(utc(2026, 1, 12, 16))  # Monday 17:00 Berlin: closed
    assert case.due_at == utc(2026, 1, 14, 16)  # Tuesday is theirs off: Wednesday 17:00
