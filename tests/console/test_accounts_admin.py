"""The console's access pages: minting a token shows its secret once in the answer itself (never in
a cookie), revoking goes through the use case, remembered Idempotency-Keys are read-only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.urls import reverse

from ordino.accounts.models import ApiToken, IdempotencyKey
from ordino.accounts.services import token_hash
from ordino.core.domain.clock import utcnow
from tests.factories import auth, make_channel, make_token

pytestmark = pytest.mark.django_db
SECRET_SHOWN = re.compile(r'<pre id="token-secret"[^>]*>(ord_[^<]+)</pre>')
ONE_SECOND = timedelta(seconds=1)


@pytest.fixture
def staff(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw-long-enough"))
    return client


def test_adding_a_token_mints_it_and_shows_the_secret_once_in_the_page_itself(staff, client):
    # Given a channel to limit the token to
    web = make_channel("web")
    # When a token is added in the console
    response = staff.post(
        reverse("admin:accounts_apitoken_add"),
        {"name": "shopify", "scopes": ["orders:write", "catalog:read"], "channels": [web.pk]},
    )
    # Then it exists with its scopes and limit, and only its hash is stored
    token = ApiToken.objects.get(name="shopify")
    assert token.scopes == ["catalog:read", "orders:write"]
    assert [c.code for c in token.channels.all()] == ["web"]
    # and the answer is the page with the secret (no redirect), never cached
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = SECRET_SHOWN.search(response.content.decode()).group(1)
    assert secret.startswith(token.prefix)
    assert ApiToken.objects.filter(secret_hash=token_hash(secret)).get() == token
    # and the secret is in no message, no cookie and not in the session
    assert [str(m) for m in get_messages(response.wsgi_request)] == []
    assert all(secret not in morsel.value for morsel in response.cookies.values())
    assert secret not in str(dict(staff.session))
    # and it works on the API
    assert client.get("/api/v1/catalog/skus", **auth(secret)).status_code == 200
    # and the change page never shows it again
    page = staff.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert secret.encode() not in page.content


def test_a_token_minted_in_the_console_may_expire(staff):
    # When a token is added with an expiry of 30 days
    staff.post(
        reverse("admin:accounts_apitoken_add"),
        {"name": "temp", "scopes": ["orders:read"], "expires_in_days": "30"},
    )
    # Then it expires 30 days from now
    token = ApiToken.objects.get(name="temp")
    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=30), abs=ONE_SECOND)


def test_the_revoke_action_revokes_through_the_use_case(staff, client):
    secret = make_token("*", name="old")
    token = ApiToken.objects.get(name="old")
    response = staff.post(
        reverse("admin:accounts_apitoken_changelist"),
        {
            "action": "revoke_selected",
            "_selected_action": [token.pk],
            "confirmed": "yes",
            "reason": "rotated",
        },
        follow=True,
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/catalog/skus", **auth(secret)).status_code == 401


def test_token_pages_and_filters_open(staff):
    make_token("*", name="a")
    url = reverse("admin:accounts_apitoken_changelist")
    for query in ("", "?status=active", "?status=revoked", "?q=a"):
        assert staff.get(url + query).status_code == 200
    assert staff.get(reverse("admin:accounts_apitoken_add")).status_code == 200


def test_idempotency_keys_are_read_only(staff):
    now = utcnow()
    key = IdempotencyKey.objects.create(
        caller="c" * 64, key="k-1", fingerprint="f", state="done", claimed_at=now,
        created_at=now, response_status=201, response_body=b'{"id": 1}',
    )  # fmt: skip
    change = reverse("admin:accounts_idempotencykey_change", args=[key.pk])
    page = staff.get(change)
    assert page.status_code == 200
    assert b"{&quot;id&quot;: 1}" in page.content
    assert staff.get(reverse("admin:accounts_idempotencykey_add")).status_code == 403
    staff.post(change, {"key": "changed"})
    key.refresh_from_db()
    assert key.key == "k-1"
