from __future__ import annotations

import json
import os

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.factories import auth, make_channel, make_location, make_sku, make_token
from tests.offline import network_refuse

network_refuse()  # tests never reach the network (tests/offline.py)

# Property tests are deterministic (the same examples on every run, so CI is repeatable) and
# never fail on time: these machines are shared, and a slow example is not a wrong one.
settings.register_profile(
    "ordino",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ordino")


@pytest.fixture
def shop(db):
    """A web channel in EUR, two warehouses (WH-A first by priority) and a store, three SKUs."""
    channel = make_channel("web", currency="EUR")
    wh_a = make_location("WH-A", priority=10)
    wh_b = make_location("WH-B", priority=20)
    store = make_location("STORE-1", kind="store", priority=30)
    skus = {code: make_sku(code) for code in ("TEE", "MUG", "CAP")}
    return {"channel": channel, "wh_a": wh_a, "wh_b": wh_b, "store": store, **skus}


@pytest.fixture(autouse=True)
def _api_rate_limit_off(settings):
    """Tests send many requests with one token: no rate limit, and a per-test cache (the rate
    limit tests turn the limit on themselves)."""
    settings.ORDINO_API_RATE_LIMIT = 0
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _password_hashing_fast(settings):
    """Tests create many users: one MD5 round instead of PBKDF2's 1,000,000 (a third of a second
    each). Production keeps Django's default; tests/console/test_commands.py checks that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_immediate(settings):
    """Tasks run at once in the test that enqueues them (docs/operations.md, "Workers"), unless
    ORDINO_TASKS_BACKEND names a backend (CI's broker leg: rq). The database and rq backends have
    tests of their own (tests/events/test_delivery_engine.py)."""
    if not os.environ.get("ORDINO_TASKS_BACKEND"):
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }


@pytest.fixture(autouse=True)
def _audit_actor_fresh():
    """Each test starts as `system` (docs/people.md, "Audit"): a test that authenticates a
    token outside a request (accounts/auth.py sets `token:<name>` for the rest of the request)
    would otherwise leave its actor to the next test in this worker process."""
    from ordino.audit.context import SYSTEM, actor_reset, actor_set

    token = actor_set(SYSTEM)
    yield
    actor_reset(token)


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def admin_token(db) -> str:
    return make_token("*", name="admin")


@pytest.fixture
def api(client, admin_token):
    """A tiny JSON client for /api/v1 with a full-scope token."""
    return ApiClient(client, admin_token)


class ApiClient:
    def __init__(self, client: Client, secret: str) -> None:
        self.client = client
        self.headers = auth(secret)

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(
        self, path: str, body=None, *, idempotency_key: str | None = None, raw: bytes | None = None
    ):
        headers = dict(self.headers)
        if idempotency_key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            f"/api/v1{path}", data=data, content_type="application/json", **headers
        )

    def patch(self, path: str, body):
        return self.client.patch(
            f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **self.headers
        )

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", **self.headers)


def pytest_terminal_summary(terminalreporter):
    """Say loudly when the browser tests could not run (tests/browser/conftest.py)."""
    from tests.browser.chromium import SKIP_REASON, chromium_path

    if chromium_path() is None:
        terminalreporter.write_line("#" * 78, yellow=True, bold=True)
        terminalreporter.write_line(f"## WARNING: {SKIP_REASON}", yellow=True, bold=True)
        terminalreporter.write_line("#" * 78, yellow=True, bold=True)
