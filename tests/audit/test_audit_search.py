"""Searching the audit (docs/people.md, "Audit"): the console's page, `GET /audit` and
`ordino audit search` filter by actor, object type, object id, action, dates and text; bounded;
a location-limited person or token sees none of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.accounts.roles import roles_install
from ordino.audit.models import AuditEntry
from ordino.audit.services import audit_record
from ordino.core.domain.clock import clock_pinned
from tests.factories import auth, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(db):
    """Four entries over three days: two people, an order, a tax rate."""
    made = [
        ("2026-11-01T10:00:00+00:00", "user:ada", "order", "7", "cancelled", "customer asked"),
        ("2026-11-02T23:30:00+00:00", "user:bob", "tax_rate", "3", "changed", ""),
        ("2026-11-03T00:10:00+00:00", "user:ada", "order", "8", "edited", "new address"),
        ("2026-11-03T09:00:00+00:00", "token:erp", "order", "7", "refunded", ""),
    ]
    for at, actor, kind, pk, action, reason in made:
        with clock_pinned(datetime.fromisoformat(at)):
            audit_record(object_type=kind, object_id=pk, action=action, actor=actor,
                         reason=reason, after={"n": pk})  # fmt: skip
    AuditEntry.objects.exclude(actor__in=["user:ada", "user:bob", "token:erp"]).delete()
    return made


def ids(entries) -> list[tuple[str, str]]:
    return [(e["object_id"], e["action"]) for e in entries]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "user:ada"}, [("7", "cancelled"), ("8", "edited")]),
        ({"object_type": "order", "object_id": "7"}, [("7", "cancelled"), ("7", "refunded")]),
        ({"action": "changed"}, [("3", "changed")]),
        ({"since": "2026-11-02T00:00:00Z", "until": "2026-11-03T01:00:00Z"},
         [("3", "changed"), ("8", "edited")]),
        ({"q": "address"}, [("8", "edited")]),
        ({"actor": "user:ada", "q": "nobody"}, []),
    ],
)  # fmt: skip
def test_the_api_filters_the_audit(client, log, params, expected):
    reader = make_token("audit:read", name="auditor")
    response = client.get("/api/v1/audit", params, **auth(reader))
    assert response.status_code == 200
    assert ids(response.json()["items"]) == expected


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"actor": "u" * 129}, "too_long"),
        ({"q": "x" * 256}, "validation_error"),
        ({"object_id": "x" * 65}, "validation_error"),
        ({"since": "2026-11-03T00:00:00Z", "until": "2026-11-02T00:00:00Z"}, "invalid_range"),
        ({"since": "2026-11-03"}, "validation_error"),
        ({"limit": "0"}, "validation_error"),
    ],
)
def test_the_api_refuses_a_bad_filter_with_422(client, log, params, code):
    reader = make_token("audit:read", name="auditor")
    response = client.get("/api/v1/audit", params, **auth(reader))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


def test_the_api_pages_by_cursor(client, log):
    reader = make_token("audit:read", name="auditor")
    AuditEntry.objects.filter(object_type="api_token").delete()  # the reader's minting
    first = client.get("/api/v1/audit", {"limit": 3}, **auth(reader)).json()
    rest = client.get("/api/v1/audit", {"limit": 3, "cursor": first["next_cursor"]},
                      **auth(reader)).json()  # fmt: skip
    assert ids(first["items"]) + ids(rest["items"]) == [
        ("7", "cancelled"), ("3", "changed"), ("8", "edited"), ("7", "refunded")]  # fmt: skip
    assert rest["next_cursor"] is None


@pytest.fixture
def auditor(db):
    roles_install(Group, Permission)
    user = User.objects.create_user("ops", password="pw-long-enough", is_staff=True)
    user.groups.add(Group.objects.get(name="operations manager"))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "user:ada"}, [("7", "cancelled"), ("8", "edited")]),
        ({"object_type__exact": "order", "object_id": "7"},
         [("7", "cancelled"), ("7", "refunded")]),
        ({"action__exact": "changed"}, [("3", "changed")]),
        ({"at_from": "2026-11-02", "at_to": "2026-11-02"}, [("3", "changed")]),
        ({"at_from": "2026-11-03"}, [("8", "edited"), ("7", "refunded")]),
        ({"q": "customer asked"}, [("7", "cancelled")]),
    ],
)  # fmt: skip
def test_the_console_page_filters_the_audit(auditor, log, params, expected):
    page = auditor.get(reverse("admin:audit_auditentry_changelist"), params)
    assert page.status_code == 200
    shown = sorted(page.context["cl"].result_list, key=lambda e: e.pk)
    assert [(e.object_id, e.action) for e in shown] == expected


def test_the_console_page_refuses_a_bad_date_and_shows_nothing_wrong(auditor, log):
    page = auditor.get(reverse("admin:audit_auditentry_changelist"), {"at_from": "soon"})
    assert page.status_code == 302 and page["Location"].endswith("?e=1")  # Django's "bad filter"


def test_the_console_page_shows_pages_of_100(auditor, log):
    page = auditor.get(reverse("admin:audit_auditentry_changelist"))
    assert page.context["cl"].list_per_page == 100


def test_a_location_limited_manager_sees_no_audit_at_all(log, shop):
    # Given an operations manager limited to the store: the log names every store's orders
    roles_install(Group, Permission)
    user = User.objects.create_user("storeops", password="pw-long-enough", is_staff=True)
    user.groups.add(Group.objects.get(name="operations manager"))
    StaffAccess.objects.create(user=user).locations.add(shop["store"])
    client = Client()
    client.force_login(user)
    # Then the audit page is refused, and so is a location-limited token
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403
    secret = make_token("audit:read", name="store", location_codes=["STORE-1"])
    response = client.get("/api/v1/audit", **auth(secret))
    assert (response.status_code, response.json()["code"]) == (403, "token_restricted")


def search(*args: str) -> str:
    out = StringIO()
    call_command("audit", "search", *args, stdout=out)
    return out.getvalue()


def test_the_cli_searches_newest_first(log):
    printed = search("--actor", "user:ada")
    assert printed.splitlines()[1:] == [
        "2026-11-03 00:10:00  user:ada             edited         order 8 — new address",
        "2026-11-01 10:00:00  user:ada             cancelled      order 7 — customer asked",
    ]


def test_the_cli_filters_like_the_api_and_prints_json(log):
    printed = search("--type", "order", "--id", "7", "--since", "2026-11-02T00:00:00+00:00",
                     "--json")  # fmt: skip
    (line,) = printed.splitlines()
    entry = json.loads(line)
    assert (entry["actor"], entry["action"]) == ("token:erp", "refunded")
    assert entry["after"] == {"n": "7"}
    assert search("--q", "nobody") == "No entries.\n"
    assert len(search("--limit", "1").splitlines()) == 2  # the header and one entry


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "is not an ISO 8601 time"),
        (["--since", "2026-11-03T00:00:00"], "since needs its offset"),
        (["--since", "2026-11-03T00:00:00Z", "--until", "2026-11-01T00:00:00Z"],
         "until must be after since"),
        (["--limit", "0"], "--limit is 1 to 1000"),
        (["--actor", "a" * 129], "actor is at most 128 characters"),
    ],
)  # fmt: skip
def test_the_cli_refuses_bad_filters(log, args, message):
    with pytest.raises(CommandError, match=message):
        search(*args)


def test_entry_times_are_utc(log):
    assert AuditEntry.objects.order_by("id").first().at == datetime(2026, 11, 1, 10, tzinfo=UTC)
