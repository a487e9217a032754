"""API tokens: expiry (401), last use (noted at most once a minute), per-token rate limits (429
with Retry-After, counted in the shared cache), and one authentication per request."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ordino.accounts import ratelimit
from ordino.accounts.auth import token_principal
from ordino.accounts.models import ApiToken, IdempotencyKey
from ordino.accounts.ratelimit import (
    CacheCounters,
    FileCounters,
    counters,
    rate_limit_check,
    retry_after_seconds,
)
from ordino.accounts.services import token_create
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.orders.models import Order
from ordino.settings import cache_from_env
from tests.factories import auth, make_token, order_body, stock

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def problem(response) -> tuple[int, str, str]:
    return response.status_code, response["Content-Type"], json.loads(response.content)["code"]


def token_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "accounts_apitoken" in q["sql"]]


# -- expiry ---------------------------------------------------------------------------------------


def test_an_expired_token_answers_401_and_writes_nothing(client, shop):
    # Given a token that expired a second ago
    secret = make_token("*", name="temp", expires_in_days=1)
    ApiToken.objects.update(expires_at=utcnow() - timedelta(seconds=1))
    stock(shop["wh_a"], shop["TEE"], 5)
    # When it reads and writes
    read = client.get("/api/v1/orders", **auth(secret))
    write = client.post(
        "/api/v1/orders", json.dumps(order_body()), content_type="application/json", **auth(secret)
    )
    # Then both are 401 token_expired problems, asking for a bearer token
    assert problem(read) == (401, PROBLEM, "token_expired")
    assert problem(write) == (401, PROBLEM, "token_expired")
    assert read["WWW-Authenticate"] == "Bearer"
    # and nothing was written
    assert Order.objects.count() == 0


def test_a_token_works_until_it_expires(client):
    secret = make_token("*", name="temp", expires_in_days=1)
    token = ApiToken.objects.get(name="temp")
    lifetime = token.expires_at - token.created_at
    assert lifetime == pytest.approx(timedelta(days=1), abs=timedelta(seconds=1))
    assert client.get("/api/v1/orders", **auth(secret)).status_code == 200


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_token_create_refuses_an_expiry_out_of_range(days):
    with pytest.raises(CommandError, match="expires in 1 to 3650 days"):
        call_command(
            "token", "create", "--name", "x", "--scopes", "*", "--expires-in-days", str(days)
        )
    assert ApiToken.objects.count() == 0


def test_token_create_with_an_expiry_prints_it_and_list_shows_it():
    out = io.StringIO()
    call_command(
        "token", "create", "--name", "x", "--scopes", "*", "--expires-in-days", "30", stdout=out
    )
    token = ApiToken.objects.get()
    assert f"Expires {token.expires_at:%Y-%m-%d %H:%M} UTC." in out.getvalue()
    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    header, row = listing.getvalue().splitlines()
    assert header.split()[-4:] == ["EXPIRES", "LAST", "USED", "REVOKED"]
    assert f"{token.expires_at:%Y-%m-%d %H:%M}" in row


# -- last use -------------------------------------------------------------------------------------


def test_the_last_use_is_noted_at_most_once_a_minute(client):
    # Given a token never used
    secret = make_token("*", name="erp")
    token = ApiToken.objects.get(name="erp")
    assert token.last_used_at is None
    # When it is used, then its last use is now, with one UPDATE
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/orders", **auth(secret))
    token.refresh_from_db()
    assert utcnow() - token.last_used_at < timedelta(seconds=5)
    assert [q.split()[0] for q in token_queries(first)] == ["SELECT", "UPDATE"]
    # and used again within the minute: one SELECT, no UPDATE
    with CaptureQueriesContext(connection) as again:
        client.get("/api/v1/orders", **auth(secret))
    assert [q.split()[0] for q in token_queries(again)] == ["SELECT"]
    # and a minute later it is noted again
    ApiToken.objects.update(last_used_at=utcnow() - timedelta(minutes=2))
    cache.clear()
    client.get("/api/v1/orders", **auth(secret))
    token.refresh_from_db()
    assert utcnow() - token.last_used_at < timedelta(seconds=5)


def test_a_request_authenticated_before_is_not_authenticated_again():
    # Given a request whose caller the Idempotency-Key middleware authenticated already
    secret = make_token("*", name="erp")
    request = RequestFactory().get("/api/v1/orders")
    principal = token_principal(request, secret)
    assert request.principal is principal
    # When the API authenticates it, then the same Principal answers, without a query
    with CaptureQueriesContext(connection) as queries:
        assert token_principal(request, secret) is principal
    assert queries.captured_queries == []
    # but another secret on the same request is looked up (never mixed up)
    assert token_principal(request, "ord_unknown") is None


# -- rate limits ----------------------------------------------------------------------------------


def test_past_its_rate_limit_a_token_answers_429_with_retry_after(client, settings, shop):
    # Given a limit of 3 requests a minute, and two tokens
    settings.ORDINO_API_RATE_LIMIT = 3
    busy, other = make_token("*", name="busy"), make_token("*", name="other")
    stock(shop["wh_a"], shop["TEE"], 5)
    # When the first sends 3 requests, they are served
    for _ in range(3):
        assert client.get("/api/v1/orders", **auth(busy)).status_code == 200
    # Then the 4th, read or write, is a 429 problem saying when to retry
    read = client.get("/api/v1/orders", **auth(busy))
    write = client.post(
        "/api/v1/orders", json.dumps(order_body()), content_type="application/json", **auth(busy)
    )
    keyed = client.post(
        "/api/v1/orders",
        json.dumps(order_body()),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-429",
        **auth(busy),
    )
    for response in (read, write, keyed):
        assert problem(response) == (429, PROBLEM, "rate_limited")
        assert 1 <= int(response["Retry-After"]) <= 60
    # and the refused writes changed nothing, not even an Idempotency-Key
    assert Order.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0
    # and the other token has its own allowance
    assert client.get("/api/v1/orders", **auth(other)).status_code == 200


COUNT_250 = (
    "import sys; from pathlib import Path; from ordino.accounts.ratelimit import FileCounters; "
    "c = FileCounters(Path(sys.argv[1])); print(max(c.increment(7, 100) for _ in range(250)))"
)


def test_every_process_counts_into_the_same_file_counters_and_none_is_lost(tmp_path):
    # Given the default counters (files in the cache directory) and 4 processes
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    # When each counts 250 requests of one token in one window, all at once
    processes = [
        subprocess.Popen([sys.executable, "-c", COUNT_250, str(tmp_path)], env=env,
                         stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]  # fmt: skip
    seen = [int(p.communicate(timeout=60)[0]) for p in processes]
    # Then the count is exactly 1,000: every process saw the others' requests, none was lost
    assert max(seen) == 1000
    assert FileCounters(tmp_path).increment(7, 100) == 1001


def test_file_counters_forget_the_windows_before(tmp_path):
    counters = FileCounters(tmp_path / "rate")
    assert [counters.increment(7, 100) for _ in range(3)] == [1, 2, 3]
    # the next window starts at 1, and the older window's file is gone
    assert counters.increment(7, 101) == 1
    assert sorted(p.name for p in (tmp_path / "rate").iterdir()) == ["7.101"]


def test_the_default_counters_are_files_and_redis_uses_the_cache(settings, tmp_path):
    settings.CACHES = {"default": cache_from_env(f"file://{tmp_path}")}
    assert counters().directory == tmp_path / "rate-limits"
    settings.CACHES = {"default": cache_from_env("redis://cache:6379/0")}
    assert isinstance(counters(), CacheCounters)


def test_cache_counters_count_in_the_cache():
    # (the tests' cache is in memory; with ORDINO_CACHE_URL=redis://... it is one INCR)
    assert [CacheCounters().increment(7, 100) for _ in range(3)] == [1, 2, 3]
    assert CacheCounters().increment(7, 101) == 1


def test_retry_after_counts_the_seconds_to_the_next_window():
    assert [retry_after_seconds(t) for t in (600.0, 600.5, 659.2, 659.99)] == [60, 60, 1, 1]


def test_failing_counters_serve_rather_than_refuse(monkeypatch):
    class Broken:
        def increment(self, *args, **kwargs):
            raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit, "counters", Broken)
    rate_limit_check(token_id=1, limit=1, now=0.0)
    rate_limit_check(token_id=1, limit=1, now=1.0)  # no RateLimited: served


def test_the_rate_limit_adds_no_sql_to_a_request(client, settings, tmp_path):
    # Given a token used once (its last use noted), and the default file cache
    secret = make_token("*", name="erp")
    client.get("/api/v1/orders", **auth(secret))

    def queries_of_one_request(limit: int) -> list[str]:
        settings.ORDINO_API_RATE_LIMIT = limit
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/orders", **auth(secret)).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    # Then a request with the limit on runs exactly the SQL of one without it
    assert queries_of_one_request(1000) == queries_of_one_request(0)


def test_token_create_rejects_a_non_integer_expiry():
    with pytest.raises(DomainError, match="expires in 1 to 3650 days"):
        token_create(name="x", scopes="*", expires_in_days=True)
