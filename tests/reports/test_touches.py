"""Touches per order: exact figures on hand-made timelines and cases, scope, refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.accounts.services import token_create
from ordino.cases.models import Case, CaseActivity, CaseType
from ordino.core.domain.scope import Scope
from ordino.orders.models import OrderTimelineEntry
from ordino.reports.touches import touches_report_get
from tests.factories import auth, make_channel, make_location, make_token
from tests.reports.rows import at, order

pytestmark = pytest.mark.django_db
MARCH = {"since": at(1, 0), "until": at(31, 0)}


def note(o, kind: str, actor: str, when=None) -> None:
    OrderTimelineEntry.objects.create(
        order=o, kind=kind, message=kind, actor=actor, data={}, created_at=when or at(2, 12)
    )


def user(name: str, *roles: str) -> User:
    u = User.objects.create_user(name, password="x")
    u.groups.set([Group.objects.get_or_create(name=r)[0] for r in roles])
    return u


@pytest.fixture
def touched(db):
    """March 2026: W1 touched 4 times, W2 twice (a case), W3 by machines only, A1 untouched;
    W0 (February) touched, outside the period."""
    web, app = make_channel("web"), make_channel("app")
    store = make_location("STORE-1", kind="store")
    ada = user("ada", "customer service")
    user("bob", "store staff", "operations manager")
    token_create(name="ada-phone", scopes="*", owner=ada)
    token_create(name="shopify", scopes="*")
    w1 = order(web, "W1", at(1, 10), "allocated", 10, 10)
    note(w1, "captured", "user:ada")  # a capture is no touch
    note(w1, "edited", "user:ada")
    note(w1, "comment", "user:ada")
    note(w1, "order_hold_released", "cli:ops")
    note(w1, "cancelled", "token:ada-phone")  # a person's own token: a person
    note(w1, "order_held", "system:holds")
    w2 = order(web, "W2", at(2, 10), "shipped", 10, 10)
    w2.origin_location = store
    w2.save(update_fields=["origin_location"])
    note(w2, "case_created", "user:bob")
    note(w2, "shipped", "user:bob")  # routine work
    kind = CaseType.objects.create(code="inquiry", name="Inquiry")
    case = Case.objects.create(
        type=kind, title="Where is it?", priority="normal", order=w2,
        created_at=at(2, 11), updated_at=at(2, 11),
    )  # fmt: skip
    for step in ("created", "comment"):  # `created` is on the timeline already
        CaseActivity.objects.create(
            case=case, kind=step, actor="user:bob", message=step, created_at=at(2, 11)
        )
    w3 = order(web, "W3", at(3, 10), "allocated", 10, 10)
    note(w3, "edited", "token:shopify")  # an integration
    note(w3, "payment_authorized", "system")
    order(app, "A1", at(4, 10), "allocated", 10, 10)
    w0 = order(web, "W0", datetime(2026, 2, 28, 23, 59, tzinfo=UTC), "allocated", 10, 10)
    note(w0, "edited", "user:ada")
    return {"web": web, "app": app, "store": store}


def test_touches_are_counted_exactly(touched):
    # when the report of March is asked for
    with CaptureQueriesContext(connection) as queries:
        report = touches_report_get(**MARCH)
    # then 2 aggregates and 4 look-ups (tokens, channels, users, their roles)
    assert len(queries) == 6
    s = report.stats
    assert (s.orders, s.orders_touched, s.touches) == (4, 2, 6)
    assert (s.zero_touch_rate, s.mean) == (Decimal("0.5000"), Decimal("1.50"))
    assert (s.p50, s.p90, s.max) == (0, 4, 4)
    assert report.by_kind == [
        ("cancelled", 1), ("case_comment", 1), ("case_created", 1), ("comment", 1),
        ("edited", 1), ("order_hold_released", 1),
    ]  # fmt: skip
    assert report.by_user == [
        {"actor": "user:ada", "user": "ada", "roles": ["customer service"], "touches": 2},
        {"actor": "user:bob", "user": "bob", "roles": ["operations manager", "store staff"],
         "touches": 2},
        {"actor": "cli:ops", "user": None, "roles": [], "touches": 1},
        {"actor": "token:ada-phone", "user": "ada", "roles": ["customer service"], "touches": 1},
    ]  # fmt: skip
    assert report.by_role == [
        ("customer service", 3),
        ("operations manager", 2),
        ("store staff", 2),
        (None, 1),
    ]
    per = {c.channel: c.stats for c in report.per_channel}
    assert (per["app"].orders, per["app"].orders_touched, per["app"].zero_touch_rate) == (
        1, 0, Decimal("1.0000"),
    )  # fmt: skip
    assert (per["app"].mean, per["app"].p50, per["app"].max) == (Decimal("0.00"), 0, 0)
    web = per["web"]
    assert (web.orders, web.orders_touched, web.touches, web.mean) == (3, 2, 6, Decimal("2.00"))
    assert (web.zero_touch_rate, web.p50, web.p90, web.max) == (Decimal("0.3333"), 2, 4, 4)


def test_an_empty_period_has_no_figures(touched):
    report = touches_report_get(since=at(20, 0), until=at(21, 0))
    s = report.stats
    assert (s.orders, s.touches, s.zero_touch_rate, s.mean, s.p50, s.max) == (
        0, 0, None, None, None, None,
    )  # fmt: skip
    assert report.by_kind == report.by_user == report.per_channel == []


def test_a_channel_and_a_location_limit_narrow_the_orders(touched):
    # a channel asked for
    assert touches_report_get(**MARCH, channel_code="app").stats.orders == 1
    # a location-limited principal reaches the orders captured at its store
    store_only = Scope(location_ids=frozenset({touched["store"].pk}))
    report = touches_report_get(**MARCH, scope=store_only)
    assert (report.stats.orders, report.stats.touches) == (1, 2)
    assert report.by_kind == [("case_comment", 1), ("case_created", 1)]


def test_the_api_answers_the_report(touched, client):
    secret = make_token("reports:read")
    r = client.get(
        "/api/v1/reports/touches",
        {"since": "2026-03-01T00:00:00Z", "until": "2026-03-31T00:00:00Z"},
        **auth(secret),
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["orders"], body["orders_touched"], body["touches"]) == (4, 2, 6)
    assert (body["zero_touch_rate"], body["touches_mean"]) == ("0.5000", "1.50")
    assert (body["touches_p50"], body["touches_p90"], body["touches_max"]) == (0, 4, 4)
    assert body["by_role"][-1] == {"role": None, "touches": 1}
    assert [c["channel"] for c in body["per_channel"]] == ["app", "web"]


def test_a_channel_limited_token_sees_its_channel_only(touched, client):
    secret = make_token("reports:read", name="app-reports", channel_codes=["app"])
    r = client.get("/api/v1/reports/touches", {"since": "2026-03-01T00:00:00Z",
                   "until": "2026-03-31T00:00:00Z"}, **auth(secret))  # fmt: skip
    assert r.status_code == 200
    assert (r.json()["orders"], r.json()["touches"]) == (1, 0)
    r = client.get("/api/v1/reports/touches", {"channel": "web"}, **auth(secret))
    assert (r.status_code, r.json()["code"]) == (404, "channel_not_found")


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ({"since": "yesterday"}, "validation_error", "since"),
        ({"since": "2026-03-01"}, "validation_error", "since"),  # a date-time with its offset
        ({"since": "2026-03-02T00:00:00Z", "until": "2026-03-01T00:00:00Z"}, "period_invalid",
         "until"),
        ({"since": "2026-03-01T00:00:00Z", "until": "2026-03-01T00:00:00Z"}, "period_invalid",
         "until"),
        ({"since": "2024-01-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, "period_too_long",
         "since"),
        ({"since": "1900-01-01T00:00:00Z"}, "date_out_of_range", "since"),
        ({"channel": ""}, "validation_error", "channel"),
    ],
)  # fmt: skip
def test_bad_parameters_are_problems(touched, client, query, code, field):
    r = client.get("/api/v1/reports/touches", query, **auth(make_token("reports:read")))
    assert r.status_code == 422, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == code
    assert field in {e.get("field", "").split(".")[-1] for e in body.get("errors", [])}


def test_the_report_needs_its_scope(touched, client):
    r = client.get("/api/v1/reports/touches", **auth(make_token("orders:read")))
    assert r.status_code == 403


def test_the_command_prints_the_report(touched):
    out = StringIO()
    call_command("reports", "touches", "--since", "2026-03-01", "--until", "2026-03-31T00:00Z",
                 stdout=out)  # fmt: skip
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "Orders captured 2026-03-01 00:00 to 2026-03-31 00:00 UTC: 4; touched 2; zero-touch 50.0 %."
    )
    assert lines[1] == "Touches: 6; per order mean 1.50, p50 0, p90 4, max 4."
    assert lines[4].split() == [
        "web", "3", "orders,", "touched", "2,", "zero-touch", "33.3", "%;",
        "mean", "2.00,", "p50", "2,", "p90", "4,", "max", "4",
    ]  # fmt: skip
    assert "token:ada-phone (customer service)" in out.getvalue()
    assert lines[-1].split() == ["(no", "role)", "1"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "March"], "--since is no date or date-time: 'March'."),
        (["--until", "2026-03-01T00:00"], "--until needs its offset, e.g. 2026-03-01T00:00Z."),
        (["--since", "2026-03-02", "--until", "2026-03-01"], "`since` must be before `until`."),
        (["--since", "2020-01-01", "--until", "2026-01-01"], "Ask for at most 366 days at a time."),
    ],
)
def test_the_command_refuses_bad_periods(touched, args, message):
    with pytest.raises(CommandError) as refused:
        call_command("reports", "touches", *args, stdout=StringIO())
    assert str(refused.value) == message
