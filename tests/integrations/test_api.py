"""`GET /integrations/calls`, `/calls/{id}` and `/themes` (docs/integrations.md, "API"): the
filters, the payloads redacted, the themes; the scope `integrations:read`, a person's token
needs `manage_integrations`, a restricted token sees nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User

from ordino.accounts.roles import roles_install
from ordino.accounts.services import token_create
from ordino.core.domain.clock import clock_pinned
from tests.factories import auth, make_token
from tests.integrations.conftest import NOW

pytestmark = pytest.mark.django_db
CALLS = "/api/v1/integrations/calls"


@pytest.fixture
def reader(db) -> str:
    return make_token("integrations:read", name="ops")


def names(calls, response) -> list[str]:
    by_id = {call.pk: name for name, call in calls.items()}
    return [by_id[item["id"]] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["sku1", "sku2", "sku3", "woo", "stripe", "old"]),
        ({"system": "shopify"}, ["sku1", "sku2", "sku3"]),
        ({"direction": "out"}, ["woo", "stripe"]),
        ({"ok": "false", "status_code": 401}, ["woo"]),
        ({"ok": "true"}, ["stripe"]),
        ({"operation": "webhook"}, ["old"]),
        ({"connection": "shop-1", "correlation_id": "w-2"}, ["sku2"]),
        ({"object_type": "channel_order", "object_id": "2"}, ["sku2"]),
        ({"signature": "shopify orders/create 422 unknown sku <v>"}, ["sku1", "sku2", "sku3"]),
        ({"q": "XYZ"}, ["sku2"]),
        ({"q": "wp-json"}, ["woo"]),
        ({"since": "2026-11-30T00:00:00Z", "until": "2026-12-01T00:00:00Z"}, ["sku2", "woo"]),
    ],
)
def test_the_log_is_filtered(client, calls, reader, params, expected):
    response = client.get(CALLS, params, **auth(reader))
    assert response.status_code == 200
    assert names(calls, response) == expected
    assert "request_body" not in response.json()["items"][0]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 256}, "q"),
        ({"system": "s" * 33}, "system"),
        ({"status_code": 99}, "status_code"),
        ({"direction": "sideways"}, "direction"),
        ({"since": "2026-11-30"}, "since"),
        ({"limit": 201}, "limit"),
    ],
)
def test_a_bad_filter_is_422_saying_where(client, calls, reader, params, field):
    response = client.get(CALLS, params, **auth(reader))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_an_empty_range_is_422(client, calls, reader):
    response = client.get(CALLS, {"since": "2026-12-01T00:00:00Z",
                                  "until": "2026-11-01T00:00:00Z"}, **auth(reader))  # fmt: skip
    assert (response.status_code, response.json()["code"]) == (422, "invalid_range")


def test_the_log_pages_by_cursor(client, calls, reader):
    first = client.get(CALLS, {"limit": 4}, **auth(reader))
    rest = client.get(CALLS, {"limit": 4, "cursor": first.json()["next_cursor"]}, **auth(reader))
    assert names(calls, first) + names(calls, rest) == ["sku1", "sku2", "sku3", "woo", "stripe",
                                                        "old"]  # fmt: skip
    assert rest.json()["next_cursor"] is None


def test_one_call_has_its_payloads_redacted(client, calls, reader):
    response = client.get(f"{CALLS}/{calls['sku1'].pk}", **auth(reader))
    assert response.status_code == 200
    body = response.json()
    assert body["request_headers"] == {"X-Shopify-Hmac-Sha256": "[redacted]"}
    assert body["request_body"] == '{"id": 1, "token": "[redacted]"}'
    assert body["error_signature"] == "shopify orders/create 422 unknown sku <v>"
    missing = client.get(f"{CALLS}/999999", **auth(reader))
    assert (missing.status_code, missing.json()["code"]) == (404, "integration_call_not_found")


def test_failures_are_grouped_into_themes_with_a_sparkline_and_a_fix(client, calls, reader):
    with clock_pinned(NOW):
        response = client.get("/api/v1/integrations/themes", {"days": 7}, **auth(reader))
    assert response.status_code == 200
    report = response.json()
    assert (report["failures"], report["more"], len(report["days"])) == (4, 0, 7)
    sku, woo = report["themes"]
    assert sku["heading"] == ("3 Shopify inbound calls (orders/create) failed with "
                              "\"unknown SKU '…'\" this week")  # fmt: skip
    assert (sku["count"], sku["status_code"], sku["example_id"]) == (3, 422, calls["sku3"].pk)
    assert sku["per_day"] == [0, 0, 0, 0, 1, 1, 1]
    assert (sku["first_seen"], sku["last_seen"]) == ("2026-11-29T08:00:00Z",
                                                     "2026-12-01T10:00:00Z")  # fmt: skip
    assert sku["fix"]["code"] == "catalog_skus"
    assert (woo["count"], woo["fix"]["code"], woo["per_day"]) == (
        1, "connection_credentials", [0, 0, 0, 0, 0, 1, 0])  # fmt: skip


def test_themes_of_one_system_and_a_longer_period(client, calls, reader):
    with clock_pinned(NOW):
        stripe = client.get("/api/v1/integrations/themes", {"days": 90, "system": "stripe"},
                            **auth(reader)).json()  # fmt: skip
        refused = client.get("/api/v1/integrations/themes", {"days": 0}, **auth(reader))
    (old,) = stripe["themes"]
    assert (old["count"], old["fix"]["code"], len(old["per_day"])) == (1, "stripe_webhook_secret",
                                                                      90)  # fmt: skip
    assert refused.status_code == 422


def test_without_the_scope_the_log_is_403(client, calls):
    other = make_token("orders:read", name="erp")
    response = client.get(CALLS, **auth(other))
    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")


def test_a_restricted_token_is_refused_as_for_the_audit(client, calls, shop):
    limited = make_token("integrations:read", name="store", location_codes=["STORE-1"])
    for path in (CALLS, f"{CALLS}/{calls['sku1'].pk}", "/api/v1/integrations/themes"):
        response = client.get(path, **auth(limited))
        assert (response.status_code, response.json()["code"]) == (403, "token_restricted")


def test_a_persons_token_reads_the_log_only_if_the_person_manages_integrations(client, calls):
    roles_install(Group, Permission)
    admin = User.objects.create_user("root2", password="pw-long-enough", is_staff=True)
    admin.groups.add(Group.objects.get(name="admin"))
    ops = User.objects.create_user("ops", password="pw-long-enough", is_staff=True)
    ops.groups.add(Group.objects.get(name="operations manager"))
    mine = token_create(name="admin-own", scopes="integrations:read", owner=admin).secret
    theirs = token_create(name="ops-own", scopes="integrations:read", owner=ops).secret
    assert client.get(CALLS, **auth(mine)).status_code == 200
    refused = client.get(CALLS, **auth(theirs))
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
