"""Production safety: no server on the public development key (the `ordino up` demo keeps a
generated one), `check --deploy` clean for the documented production settings, console logins
locked out after repeated failures, password rules for every way a password is set."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ordino.console.safety import secret_key_file_ensure
from ordino.settings import cache_from_env

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-enough-Passw0rd"
# The production environment of docs/operations.md (the database aside).
PRODUCTION = {
    "ORDINO_SECRET_KEY": "xK2p-" + "production-key-of-the-deploy-check-" * 2,
    "ORDINO_DEBUG": "0",
    "ORDINO_ALLOWED_HOSTS": "oms.example.com",
    "ORDINO_CSRF_TRUSTED_ORIGINS": "https://oms.example.com",
    "ORDINO_HTTPS": "1",
    "ORDINO_TRUST_X_FORWARDED_PROTO": "1",
}


def ordino(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `ordino ARGS` (or `python -c` with args[0] == "-c") in a fresh process."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ORDINO_")
        # (DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' Playwright, never in production)
        and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    base.update(ORDINO_DATA_DIR=str(tmp_path), PYTHONPATH=str(REPO / "src"), **env)
    base["DJANGO_SETTINGS_MODULE"] = "ordino.settings"
    command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", "ordino.cli"]
    command += [] if args[0] == "-c" else list(args)
    return subprocess.run(command, env=base, capture_output=True, text=True, timeout=120)


IMPORT_WSGI = "-c", "import ordino.wsgi; print('loaded')"


# -- the secret key -------------------------------------------------------------------------------


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    # When `ordino serve` starts in production mode with no key
    done = ordino(tmp_path, "serve", "--bind", "127.0.0.1:1")
    # Then it refuses, saying what to set
    assert done.returncode == 1
    assert "ORDINO_SECRET_KEY is not set" in done.stderr
    assert "Starting gunicorn" not in done.stdout + done.stderr


def test_the_wsgi_application_refuses_to_load_without_a_secret_key(tmp_path):
    # When any WSGI server loads ordino.wsgi with no key, then it fails with the reason
    refused = ordino(tmp_path, *IMPORT_WSGI)
    assert refused.returncode == 1
    assert "ImproperlyConfigured: ORDINO_SECRET_KEY is not set" in refused.stderr
    # and with a key, or on a development machine, it loads
    assert ordino(tmp_path, *IMPORT_WSGI, ORDINO_SECRET_KEY="k" * 50).stdout == "loaded\n"
    assert ordino(tmp_path, *IMPORT_WSGI, ORDINO_DEBUG="1").stdout == "loaded\n"


def test_up_generates_a_private_key_once_and_the_server_then_starts(tmp_path):
    # When `ordino up` prepares a fresh data directory without ORDINO_SECRET_KEY
    first = ordino(tmp_path, "up", "--no-demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    # Then it generated a key file that only its owner may read
    key_file = tmp_path / "secret_key"
    assert f"Generated a secret key in {key_file}" in first.stdout
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 50
    # and the server loads with it
    assert ordino(tmp_path, *IMPORT_WSGI).stdout == "loaded\n"
    shown = ordino(tmp_path, "-c", "import django; django.setup(); "
                   "from django.conf import settings; print(settings.SECRET_KEY)")  # fmt: skip
    assert shown.stdout.strip() == key
    # and a second `up` keeps it
    assert ordino(tmp_path, "up", "--no-demo", "--no-serve").returncode == 0
    assert key_file.read_text().strip() == key


def test_up_with_a_secret_key_writes_no_key_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ORDINO_SECRET_KEY", "k" * 50)
    assert secret_key_file_ensure(tmp_path / "secret_key") is False
    assert not (tmp_path / "secret_key").exists()


# -- check --deploy -------------------------------------------------------------------------------


def test_check_deploy_is_clean_for_the_documented_production_settings(tmp_path):
    # When Django's deployment check runs with the production environment of docs/operations.md
    done = ordino(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    # Then it finds nothing
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_warns_without_tls_settings(tmp_path):
    # Given the production environment without ORDINO_HTTPS (the check is not blind)
    env = {k: v for k, v in PRODUCTION.items() if k != "ORDINO_HTTPS"}
    done = ordino(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **env)
    assert done.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_https_turns_on_secure_cookies_hsts_and_the_redirect(tmp_path):
    shown = ordino(
        tmp_path,
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER, "
        "s.ORDINO_API_RATE_LIMIT, s.CACHES['default']['BACKEND'].rsplit('.', 1)[1])",
        **PRODUCTION,
    )
    assert shown.stdout.split() == [
        *("True", "True", "True", "31536000", "True"),
        *("('HTTP_X_FORWARDED_PROTO',", "'https')", "1200", "FileBasedCache"),
    ]


def test_the_cache_url_chooses_the_backend(tmp_path):
    assert cache_from_env("redis://cache:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
    assert cache_from_env(f"file://{tmp_path}")["LOCATION"] == str(tmp_path)
    assert cache_from_env("locmem://")["BACKEND"].endswith("LocMemCache")
    assert cache_from_env("")["BACKEND"].endswith("FileBasedCache")
    with pytest.raises(ImproperlyConfigured, match="ORDINO_CACHE_URL"):
        cache_from_env("memcached://x")


# -- console logins -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_login_out(client, settings):
    # Given a staff user and the default limit of 5 failures
    assert settings.AXES_FAILURE_LIMIT == 5
    User.objects.create_user("ops", password=PASSWORD, is_staff=True)
    login = reverse("admin:login")
    # When 5 wrong passwords are tried
    for n in range(5):
        client.post(login, {"username": "ops", "password": f"wrong-{n}"})
    # Then the right one is refused (429) and nobody is logged in
    locked = client.post(login, {"username": "ops", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # and the failures are rows in the database, so every process and machine sees them
    # (5 wrong passwords and the refused right one)
    assert AccessAttempt.objects.get(username="ops").failures_since_start == 6
    other_process = client.__class__()
    assert other_process.post(login, {"username": "ops", "password": PASSWORD}).status_code == 429
    # and `ordino createadmin --reset` lifts the lockout along with giving a new password
    call_command("createadmin", "--username", "ops", "--reset", stdout=io.StringIO())
    assert AccessAttempt.objects.count() == 0


@pytest.mark.django_db
def test_fewer_failures_than_the_limit_then_the_right_password_logs_in(client):
    User.objects.create_user("ops", password=PASSWORD, is_staff=True)
    login = reverse("admin:login")
    for n in range(4):
        client.post(login, {"username": "ops", "password": f"wrong-{n}"})
    response = client.post(login, {"username": "ops", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert AccessAttempt.objects.count() == 0  # a success resets the count


# -- passwords ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["a", "12345678901234", "password123", "ops-admin"])
def test_createadmin_refuses_a_weak_password_and_creates_nobody(weak):
    with pytest.raises(CommandError) as refused:
        call_command("createadmin", "--username", "ops-admin", "--password", weak)
    assert refused.value.args[0]
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_createadmin_reset_refuses_a_weak_password_and_keeps_the_old_one():
    User.objects.create_superuser("admin", "", PASSWORD)
    with pytest.raises(CommandError, match="too short"):
        call_command("createadmin", "--reset", "--password", "a")
    assert User.objects.get(username="admin").check_password(PASSWORD)


@pytest.mark.django_db
def test_the_console_refuses_a_weak_password(client):
    # Given a superuser in the console
    boss = User.objects.create_superuser("boss", "", PASSWORD)
    client.force_login(boss)
    # When the console sets a password of one character
    url = reverse("admin:auth_user_password_change", args=[boss.pk])
    response = client.post(url, {"password1": "a", "password2": "a"})
    # Then the form says why, and the password is unchanged
    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()
    assert User.objects.get(pk=boss.pk).check_password(PASSWORD)
