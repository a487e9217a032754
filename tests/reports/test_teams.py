"""Team membership: each team, its lead and manager, its members' roles, activity and last
sign-in — in the API, the command and the console."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ordino.cases.models import Team
from ordino.reports.teams import teams_report
from tests.factories import auth, make_location, make_token

pytestmark = pytest.mark.django_db
SEEN = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def person(name: str, *roles: str, active=True, seen=None) -> User:
    u = User.objects.create_user(name, password="x", first_name=name.title(), is_active=active)
    u.last_login = seen
    u.save(update_fields=["last_login"])
    u.groups.set([Group.objects.get_or_create(name=r)[0] for r in roles])
    return u


@pytest.fixture
def teams(db):
    """Returns desk: lead ada (active, signed in), bob (deactivated), cy (never signed in);
    Stores: a deactivated lead and no members."""
    ada = person("ada", "customer service", "operations manager", seen=SEEN)
    bob = person("bob", "customer service", active=False, seen=SEEN)
    cy = person("cy", seen=None)
    desk = Team.objects.create(name="Returns desk", lead=ada, manager=bob)
    desk.members.set([cy, ada, bob])
    Team.objects.create(name="Stores", lead=bob)
    return desk


def test_each_team_lists_its_lead_and_members_exactly(teams):
    with CaptureQueriesContext(connection) as queries:
        lines = teams_report()
    assert len(queries) == 3  # teams with lead and manager, members, their roles
    desk, stores = lines
    assert (desk.team, desk.lead, desk.lead_active, desk.manager) == (
        "Returns desk", "ada", True, "bob",
    )  # fmt: skip
    assert desk.active_members == 2
    assert [(m.username, m.lead, m.active, m.last_login, m.roles) for m in desk.members] == [
        ("ada", True, True, SEEN, ("customer service", "operations manager")),
        ("bob", False, False, SEEN, ("customer service",)),
        ("cy", False, True, None, ()),
    ]
    assert (stores.team, stores.lead, stores.lead_active, stores.members) == (
        "Stores", "bob", False, (),
    )  # fmt: skip


def test_the_api_answers_the_report_to_unrestricted_tokens(teams, client):
    r = client.get("/api/v1/reports/teams", **auth(make_token("users:read")))
    assert r.status_code == 200, r.content
    desk = r.json()[0]
    assert desk["members"][0] == {
        "username": "ada", "name": "Ada", "active": True, "last_login": "2026-11-29T10:00:00Z",
        "roles": ["customer service", "operations manager"], "lead": True,
    }  # fmt: skip
    assert (desk["lead"], desk["active_members"]) == ("ada", 2)


def test_the_api_refuses_a_restricted_token_or_a_missing_scope(teams, client):
    make_location("STORE-1", kind="store")
    limited = make_token("users:read", name="till", location_codes=["STORE-1"])
    r = client.get("/api/v1/reports/teams", **auth(limited))
    assert (r.status_code, r.json()["code"]) == (403, "token_restricted")
    r = client.get("/api/v1/reports/teams", **auth(make_token("reports:read", name="r")))
    assert r.status_code == 403


def test_the_command_prints_the_teams(teams):
    out = StringIO()
    call_command("reports", "teams", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Returns desk: lead ada, manager bob; 2 of 3 members active."
    assert lines[1].split() == [
        "ada", "lead", "active", "last", "sign-in", "2026-11-29", "10:00", "customer",
        "service,", "operations", "manager",
    ]  # fmt: skip
    assert lines[3].split()[:2] == ["cy", "active"] and lines[3].endswith("never            -")
    assert lines[4] == "Stores: lead bob (deactivated), manager none; 0 of 0 members active."
