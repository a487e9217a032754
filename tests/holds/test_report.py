"""The per-rule report's period is bounded (docs/holds.md, "The report"): the last 90 days
unless asked, at most 366 days, else 422 `invalid_period`; the database counts, so reading it
costs the same few statements whatever the number of holds."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest

from ordino.core.domain.clock import utcnow
from ordino.holds.models import OrderHold
from ordino.holds.selectors import holds_report
from tests.factories import order_body

pytestmark = pytest.mark.django_db


def _report(api, **period):
    return api.get(f"/holds/report?{urlencode(period)}")


def test_the_report_counts_only_the_holds_placed_in_the_period_asked(api, stocked, big_rule):
    # given an order held now
    api.post("/orders", order_body("W-1"))
    now = utcnow()
    # when the report of the last hour is read: then the hold counts
    recent = _report(api, **{"from": (now - timedelta(hours=1)).isoformat(),
                             "to": (now + timedelta(minutes=1)).isoformat()})  # fmt: skip
    assert recent.status_code == 200, recent.content
    assert [(r["rule"], r["fired"], r["open"]) for r in recent.json()["rules"]] == [("big", 1, 1)]
    # and of a week that ended yesterday: it does not
    old = _report(api, **{"from": (now - timedelta(days=8)).isoformat(),
                          "to": (now - timedelta(days=1)).isoformat()})  # fmt: skip
    assert [(r["rule"], r["fired"]) for r in old.json()["rules"]] == [("big", 0)]
    body = old.json()
    assert body["until"].startswith((now - timedelta(days=1)).date().isoformat())


def test_a_period_longer_than_366_days_is_refused_naming_the_field(api, big_rule):
    now = utcnow()
    response = _report(api, **{"from": (now - timedelta(days=367)).isoformat(),
                               "to": now.isoformat()})  # fmt: skip
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_period"
    assert [e["field"] for e in body["errors"]] == ["from"]


def test_the_report_costs_three_statements_whatever_the_holds(
    api, stocked, big_rule, django_assert_num_queries
):
    # given many held orders, some released
    for n in range(12):
        api.post("/orders", order_body(f"W-{n}"))
    for hold in OrderHold.objects.order_by("id")[:5]:
        api.post(f"/orders/{hold.order_id}/holds/{hold.pk}/release", {"reason": "ok"})
    now = utcnow()
    # when the report is read: the counts, the released holds' durations, the rules
    with django_assert_num_queries(3):
        (row,) = holds_report(since=now - timedelta(days=1), until=now + timedelta(seconds=1))
    # then its figures are the holds'
    assert (row["fired"], row["orders_held"], row["overridden"], row["open"]) == (12, 12, 5, 7)
    assert row["always_overridden"] is True
    assert row["median_hours_held"] is not None
