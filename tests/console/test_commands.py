"""The `ordino` commands, called as Django management commands against the test database."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ordino.accounts.models import ApiToken, IdempotencyKey
from ordino.console.management.commands import up as up_command
from ordino.core.domain.clock import utcnow
from ordino.core.transactions import savepoint
from ordino.demo.synthetic import demo_generate
from ordino.orders.models import Order
from tests.demo.olist_sample import olist_sample_write
from tests.factories import auth, make_channel, make_location

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def secret_of(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("ord_"))


def value_after(output: str, label: str) -> str:
    line = next(line for line in output.splitlines() if label in line)
    return line.split(label, 1)[1].split()[0]


# -- token ----------------------------------------------------------------------------------------


def test_token_create_prints_a_secret_that_works(client):
    # When a token with the catalog read scope is minted
    output = run("token", "create", "--name", "shop", "--scopes", "catalog:read")
    secret = secret_of(output)
    # Then only its hash is stored
    token = ApiToken.objects.get(name="shop")
    assert token.scopes == ["catalog:read"]
    assert secret not in token.secret_hash and token.prefix == secret[:12]
    # and the API answers with it, and refuses a scope it lacks
    assert client.get("/api/v1/catalog/skus", **auth(secret)).status_code == 200
    assert client.get("/api/v1/orders", **auth(secret)).status_code == 403
    assert client.get("/api/v1/catalog/skus").status_code == 401


def test_token_create_limits_to_channels_and_locations():
    make_channel("web")
    make_location("WH-1")
    run(
        "token", "create", "--name", "web", "--scopes", "orders:write inventory:read",
        "--channel", "web", "--location", "WH-1",
    )  # fmt: skip
    token = ApiToken.objects.get(name="web")
    assert token.scopes == ["inventory:read", "orders:write"]
    assert [c.code for c in token.channels.all()] == ["web"]
    assert [loc.code for loc in token.locations.all()] == ["WH-1"]


def test_token_create_refuses_unknown_scopes_and_codes():
    # each command is a transaction of its own (here a savepoint inside the test's)
    with pytest.raises(CommandError, match="unknown scope 'orders:delete'"), savepoint():
        run("token", "create", "--name", "x", "--scopes", "orders:delete")
    with pytest.raises(CommandError, match="Unknown channel code"), savepoint():
        run("token", "create", "--name", "x", "--scopes", "*", "--channel", "nope")
    assert ApiToken.objects.count() == 0


def test_token_list_shows_tokens_but_never_secrets():
    secret = secret_of(run("token", "create", "--name", "erp", "--scopes", "*"))
    output = run("token", "list")
    assert "erp" in output and "* (all)" in output and f"{secret[:12]}…" in output
    assert secret not in output


def test_token_revoke_stops_the_token(client):
    secret = secret_of(run("token", "create", "--name", "old", "--scopes", "*"))
    token = ApiToken.objects.get(name="old")
    # When it is revoked
    output = run("token", "revoke", str(token.pk))
    # Then it is marked revoked, the API refuses it, and the list hides it
    assert output == f"Revoked token {token.pk} 'old'.\n"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/catalog/skus", **auth(secret)).status_code == 401
    assert "old" not in run("token", "list")
    assert "old" in run("token", "list", "--all")
    with pytest.raises(CommandError, match="No token with id 999"):
        run("token", "revoke", "999")


# -- createadmin ----------------------------------------------------------------------------------


def test_createadmin_creates_with_a_random_password_shown_once(settings):
    # Given production's password hashers (tests/conftest.py makes them fast elsewhere)
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    # When the admin is created without a password
    output = run("createadmin")
    password = value_after(output, "password:")
    # Then it is a superuser whose password works and is stored only as a hash
    user = get_user_model().objects.get(username="admin")
    assert (user.is_superuser, user.is_staff) == (True, True)
    assert user.check_password(password)
    assert len(password) == 20 and password not in user.password
    assert user.password.startswith("pbkdf2_sha256$")


def test_createadmin_twice_keeps_the_password_and_says_how_to_reset():
    password = value_after(run("createadmin"), "password:")
    output = run("createadmin")
    assert "already exists" in output and "ordino createadmin --username admin --reset" in output
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_createadmin_reset_sets_a_new_password():
    old = value_after(run("createadmin"), "password:")
    new = value_after(run("createadmin", "--reset"), "password:")
    user = get_user_model().objects.get(username="admin")
    assert new != old
    assert (user.check_password(new), user.check_password(old)) == (True, False)


def test_createadmin_with_a_given_password_does_not_echo_it():
    output = run(
        "createadmin",
        "--username",
        "ops",
        "--email",
        "ops@example.com",
        "--password",
        "s3cret-pass",
    )
    assert "s3cret-pass" not in output
    user = get_user_model().objects.get(username="ops")
    assert (user.email, user.check_password("s3cret-pass")) == ("ops@example.com", True)


# -- idempotency purge ----------------------------------------------------------------------------


def test_idempotency_purge_deletes_only_old_keys():
    now = utcnow()
    for key, age in (("old", 72), ("fresh", 1)):
        IdempotencyKey.objects.create(
            caller="c",
            key=key,
            fingerprint="f",
            claimed_at=now,
            created_at=now - timedelta(hours=age),
        )
    output = run("idempotency", "purge", "--older-than-hours", "48")
    assert output == "Purged 1 idempotency key(s) older than 48 hours.\n"
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
    with pytest.raises(CommandError, match="at least 24 hours"):
        run("idempotency", "purge", "--older-than-hours", "2")


# -- demo -----------------------------------------------------------------------------------------


def test_demo_refuses_a_database_that_has_its_data():
    # Given a database that has the demo's web channel already
    make_channel("web")
    # Then `ordino demo` refuses and writes nothing
    with pytest.raises(CommandError, match=r"already in this database\. Use --force"):
        run("demo")
    assert Order.objects.count() == 0


def test_demo_olist_loads_the_sample_once(tmp_path):
    sample = olist_sample_write(tmp_path / "olist")
    # When the Olist sample is loaded
    output = run("demo", "--olist", str(sample))
    # Then its four orders are captured and two cancelled
    assert "4 orders captured, 2 cancellations, 0 refused." in output
    assert Order.objects.filter(channel__code="olist").count() == 4
    # and a second run is refused, while --force replays without duplicates
    with pytest.raises(CommandError, match="already in this database"):
        run("demo", "--olist", str(sample))
    forced = run("demo", "--olist", str(sample), "--force")
    assert "0 orders captured, 4 replayed" in forced
    assert Order.objects.count() == 4


def test_demo_olist_with_a_wrong_directory_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="lacks the Olist file"):
        run("demo", "--olist", str(tmp_path))


# -- up -------------------------------------------------------------------------------------------


@pytest.fixture
def small_demo(monkeypatch, settings, tmp_path):
    """`up` loads the seed-42 demo; a smaller shop of the same kind keeps the test quick. Its
    generated secret key goes to a temporary data directory."""
    settings.SECRET_KEY_FILE = tmp_path / "secret_key"

    def generate(**kwargs):
        return demo_generate(**{**kwargs, "orders": 12, "products": 15, "skus": 20, "customers": 6})

    monkeypatch.setattr(up_command, "demo_generate", generate)


def test_up_without_serving_migrates_loads_demo_and_prints_the_way_in(small_demo, client):
    # When `ordino up` runs on an empty database
    output = run("up", "--no-serve", "--bind", "127.0.0.1:8123")
    # Then the demo orders are there
    assert Order.objects.count() == 12
    # and the admin can log in with the printed password
    password = value_after(output, "password")
    response = client.post("/admin/login/", {"username": "admin", "password": password})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    # and the printed token works on the API
    token = value_after(output, "API token")
    assert client.get("/api/v1/orders", **auth(token)).status_code == 200
    # and the URLs are printed
    for url in (
        "http://127.0.0.1:8123/admin/",
        "http://127.0.0.1:8123/api/v1/docs",
        "http://127.0.0.1:8123/api/v1/openapi.json",
    ):
        assert url in output


def test_up_a_second_time_loads_nothing_and_prints_no_secrets(small_demo):
    first = run("up", "--no-serve")
    second = run("up", "--no-serve")
    assert Order.objects.count() == 12
    assert "Demo data: the database has data already; nothing loaded." in second
    assert "user admin (exists; new password: ordino createadmin --reset)" in second
    assert value_after(first, "API token") not in second
    assert ApiToken.objects.filter(name="demo").count() == 1


def test_up_no_demo_leaves_the_database_empty(small_demo):
    output = run("up", "--no-serve", "--no-demo")
    assert "Demo data: skipped (--no-demo)." in output
    assert Order.objects.count() == 0
    assert get_user_model().objects.filter(username="admin").exists()
