"""Several workers escalate at the same moment: each level happens exactly once (docs/cases.md,
"Escalation"). Real threads on separate connections; on SQLite they queue on the write lock, on
PostgreSQL they race for real on the conditional update."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from ordino.cases.models import Case, CaseActivity
from ordino.cases.services import OpenCase, case_open, cases_escalate_due, inquiry_open
from ordino.core.domain.clock import clock_pinned
from tests.cases.conftest import inquiry_type

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL")
def test_four_workers_escalate_each_case_once(people):
    inquiry_type(people["team"], sla_hours=8, ladder=[{"after_hours": 4, "to": "lead"}])
    with clock_pinned(datetime(2026, 1, 12, 8, tzinfo=UTC)):
        cases = [
            inquiry_open(
                title=f"Q{i}", description="", actor="test", order_id=None, customer_id=None
            )
            for i in range(5)
        ]
    start, counts = threading.Barrier(WORKERS), []

    def worker() -> None:
        try:
            start.wait()
            counts.append(cases_escalate_due(now=datetime(2026, 1, 12, 12, tzinfo=UTC)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == len(cases)
    assert CaseActivity.objects.filter(kind="escalated").count() == len(cases)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL")
def test_four_workers_reporting_one_cause_open_one_case(db):
    start, opened = threading.Barrier(WORKERS), []

    def worker() -> None:
        try:
            start.wait()
            _, new = case_open(OpenCase(type="dead_event", title="Event 1 died", actor="test",
                                        dedupe_key="dead_event:1"))  # fmt: skip
            opened.append(new)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(opened) == [False, False, False, True]
    assert Case.objects.filter(dedupe_key="dead_event:1").count() == 1
