"""Deactivation and the user report (docs/people.md): `ordino users ...`, `GET /users/report`
and the console's report page."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory

from ordino.accounts.models import ApiToken, StaffAccess
from ordino.accounts.roles import roles_install
from ordino.accounts.services import token_create
from ordino.audit.models import AuditEntry
from ordino.core.domain.clock import utcnow
from tests.factories import auth, make_token

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-Passw0rd"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def signs_in(username: str) -> bool:
    """The console's sign-in check (django-axes wants the request)."""
    request = RequestFactory().post("/admin/login/")
    return authenticate(request=request, username=username, password=PASSWORD) is not None


@pytest.fixture
def ada(db) -> User:
    roles_install(Group, Permission)
    user = User.objects.create_user("ada", "ada@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="customer service"))
    return user


def test_a_deactivated_user_cannot_sign_in_and_their_tokens_are_revoked(ada, shop):
    # Given Ada signed in, with a token of her own and a token of an integration
    session = Client()
    session.force_login(ada)
    hers = token_create(name="ada's script", scopes="orders:read", owner=ada)
    other = make_token("orders:read", name="wms")
    # When she is deactivated
    output = run("users", "deactivate", "ada", "--reason", "left the company")
    # Then she cannot sign in, her open session ends, her token is refused, the other works
    assert output == "Deactivated ada; 1 API token(s) revoked.\n"
    assert signs_in("ada") is False
    assert session.get("/admin/").status_code == 302  # to the sign-in page
    assert Client().get("/api/v1/orders", **auth(hers.secret)).status_code == 401
    assert Client().get("/api/v1/orders", **auth(other)).status_code == 200
    # and the audit says who did it and why
    entry = AuditEntry.objects.get(object_type="user", action="deactivated")
    assert (entry.object_id, entry.reason, entry.actor.startswith("cli:")) == (
        str(ada.pk), "left the company", True)  # fmt: skip
    assert entry.after == {"is_active": False, "tokens_revoked": [hers.token.pk]}


def test_reactivating_lets_them_sign_in_but_keeps_their_tokens_revoked(ada):
    hers = token_create(name="ada's script", scopes="orders:read", owner=ada)
    run("users", "deactivate", "ada", "--reason", "on leave")
    output = run("users", "reactivate", "ada", "--reason", "back from leave")
    assert output == "Reactivated ada. Their revoked tokens stay revoked.\n"
    assert signs_in("ada") is True
    assert ApiToken.objects.get(pk=hers.token.pk).revoked_at is not None
    assert list(AuditEntry.objects.filter(object_type="user").values_list("action", flat=True)
                .order_by("id")) == ["deactivated", "reactivated"]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("deactivate", "nobody", "--reason", "x"), "No user 'nobody'"),
        (("deactivate", "ada", "--reason", "  "), "Say why the user is deactivated."),
        (("reactivate", "ada", "--reason", "x"), "'ada' is active."),
    ],
)
def test_refusals_say_why_and_change_nothing(ada, args, message):
    token = token_create(name="t", scopes="orders:read", owner=ada).token
    with pytest.raises(CommandError, match=message):
        run("users", *args)
    ada.refresh_from_db()
    assert ada.is_active is True
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert not AuditEntry.objects.filter(object_type="user").exists()


def test_deactivating_twice_is_refused(ada):
    run("users", "deactivate", "ada", "--reason", "left")
    with pytest.raises(CommandError, match="'ada' is already deactivated"):
        run("users", "deactivate", "ada", "--reason", "left")
    assert AuditEntry.objects.filter(object_type="user").count() == 1


@pytest.fixture
def staff(ada, shop, settings):
    settings.ORDINO_SEATS = 3
    now = utcnow()
    ada.last_login = now - timedelta(days=2)
    ada.save()
    bob = User.objects.create_user("bob", "bob@example.com", PASSWORD, is_staff=True)
    bob.groups.add(Group.objects.get(name="store staff"))
    StaffAccess.objects.create(user=bob).locations.add(shop["store"])
    bob.last_login = now - timedelta(days=45)
    bob.save()
    User.objects.create_user("cleo", "cleo@example.com", PASSWORD, is_staff=True)
    gone = User.objects.create_user("dan", "dan@example.com", PASSWORD, is_staff=True)
    gone.groups.add(Group.objects.get(name="store staff"))
    gone.is_active = False
    gone.save()
    return {"ada": ada, "bob": bob}


def test_the_report_compares_active_users_with_the_seats(staff):
    output = run("users", "report")
    lines = output.splitlines()
    assert lines[0] == "Active users: 3 of 3 seats (0 left); 1 deactivated."
    assert lines[1] == "Never signed in: 1; no sign-in for 30 days: 2."
    assert any(line.startswith("bob ") and line.endswith("store staff / location STORE-1")
               for line in lines)  # fmt: skip
    assert "store staff: bob" in lines  # dan is deactivated: not a member any more
    assert "customer service: ada" in lines


def test_the_report_api_answers_the_same_to_an_unrestricted_token(client, staff):
    secret = make_token("users:read", name="hr")
    body = client.get("/api/v1/users/report", **auth(secret)).json()
    assert {k: body[k] for k in ("seats", "active", "inactive", "seats_left",
                                 "never_signed_in", "idle")} == {
        "seats": 3, "active": 3, "inactive": 1, "seats_left": 0, "never_signed_in": 1, "idle": 2,
    }  # fmt: skip
    assert body["roles"] == {"customer service": ["ada"], "store staff": ["bob"]}
    bob = next(u for u in body["users"] if u["username"] == "bob")
    assert (bob["locations"], bob["roles"], bob["active"]) == (["STORE-1"], ["store staff"], True)


def test_the_report_api_needs_its_scope_and_an_unrestricted_token(client, staff, shop):
    no_scope = client.get("/api/v1/users/report", **auth(make_token("orders:read", name="a")))
    assert (no_scope.status_code, no_scope.json()["code"]) == (403, "insufficient_scope")
    limited = make_token("users:read", name="b", location_codes=["STORE-1"])
    refused = client.get("/api/v1/users/report", **auth(limited))
    assert (refused.status_code, refused.json()["code"]) == (403, "token_restricted")


def test_the_console_report_page_is_for_who_manages_users(staff):
    from django.urls import reverse

    url = reverse("console:users_report")
    agent = Client()
    agent.force_login(staff["ada"])  # customer service: may not manage users
    assert agent.get(url).status_code == 403
    admin = User.objects.create_user("root", password=PASSWORD, is_staff=True)
    admin.groups.add(Group.objects.get(name="admin"))
    boss = Client()
    boss.force_login(admin)
    page = boss.get(url)
    assert page.status_code == 200
    assert page.context["report"].active == 4  # ada, bob, cleo and root; dan is deactivated
    assert "location STORE-1" in page.content.decode()
