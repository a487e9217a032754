"""/api/v1/feeds: a channel's feed read, set and pushed in full; channels outside the token's
reach answer 404 (docs/feeds.md, "API")."""

from __future__ import annotations

import json

import pytest

from ordino.audit.models import AuditEntry
from ordino.feeds.models import FeedItem, FeedRun, FeedSettings
from ordino.feeds.services import feed_items_mark, feed_push_due
from tests.factories import auth, make_channel, make_token, stock
from tests.feeds.conftest import T0

pytestmark = pytest.mark.django_db

SETTINGS = {"enabled": True, "min_interval_seconds": 60, "batch_size": 50, "reason": "launch"}


def put(client, path: str, body, secret: str):
    return client.put(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **auth(secret)
    )


def test_a_feed_is_set_then_read_with_its_pending_skus_and_runs(client, api, admin_token, shop):
    # given no feed yet: the defaults, disabled
    fresh = api.get("/feeds/web").json()
    assert (fresh["configured"], fresh["settings"]["enabled"]) == (False, False)
    assert fresh["pending"] == 0

    response = put(client, "/feeds/web/settings", SETTINGS, admin_token)
    assert response.status_code == 200, response.content
    assert response.json()["settings"] == {
        "enabled": True, "min_interval_seconds": 60, "batch_size": 50,
    }  # fmt: skip
    entry = AuditEntry.objects.get(object_type="feed_settings")
    assert (entry.object_id, entry.action, entry.reason) == ("web", "created", "launch")

    stock(shop["wh_a"], shop["TEE"], 2)
    feed_push_due(T0)  # the first round: every SKU once
    feed_items_mark(sku_codes=["TEE"], now=T0)
    body = api.get("/feeds/web").json()
    assert (body["items"], body["pending"], body["failing"]) == (3, 1, 0)
    assert body["oldest_pending_since"] == "2026-03-02T09:00:00Z"
    assert [(r["kind"], r["skus_pushed"]) for r in body["runs"]] == [("delta", 3)]

    page = api.get("/feeds/web/items", pending="true").json()
    assert [(i["sku"], i["pushed_quantity"], i["pending"]) for i in page["items"]] == [
        ("TEE", 2, True)
    ]
    assert len(api.get("/feeds/web/items", pending="false").json()["items"]) == 2


def test_settings_out_of_bounds_are_refused_and_change_nothing(client, admin_token, shop):
    response = put(client, "/feeds/web/settings", {**SETTINGS, "batch_size": 0}, admin_token)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"].endswith("batch_size")
    unknown = put(client, "/feeds/web/settings", {**SETTINGS, "colour": "red"}, admin_token)
    assert unknown.status_code == 422
    assert not FeedSettings.objects.exists()
    assert not AuditEntry.objects.filter(object_type="feed_settings").exists()


def test_a_full_push_is_asked_of_the_worker_and_runs_at_its_next_round(
    client, api, admin_token, shop
):
    refused = api.post("/feeds/web/push")
    assert (refused.status_code, refused.json()["code"]) == (409, "feed_disabled")

    put(client, "/feeds/web/settings", SETTINGS, admin_token)
    feed_push_due(T0)
    asked = api.post("/feeds/web/push")
    assert asked.status_code == 202 and asked.json()["full_push_requested"] is True

    assert feed_push_due(T0) == 3  # full, though the delta's interval has not passed
    run = FeedRun.objects.order_by("-pk").first()
    assert (run.kind, run.actor, run.skus_pushed) == ("full", "token:admin", 3)
    assert api.get("/feeds/web").json()["full_push_requested"] is False


def test_a_channel_outside_the_tokens_channels_answers_404(client, shop):
    make_channel("pos", kind="pos")
    secret = make_token("*", name="limited", channel_codes=["pos"])
    for response in (
        client.get("/api/v1/feeds/web", **auth(secret)),
        client.get("/api/v1/feeds/web/items", **auth(secret)),
        put(client, "/feeds/web/settings", SETTINGS, secret),
        client.post("/api/v1/feeds/web/push", **auth(secret)),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "channel_not_found"
    assert not FeedSettings.objects.exists() and not FeedItem.objects.exists()


def test_a_location_limited_token_reaches_no_feed_and_a_channel_token_sets_none(client, shop):
    at_wh_a = make_token("*", name="wh-a", location_codes=["WH-A"])
    web_only = make_token("*", name="web", channel_codes=["web"])
    for response in (
        client.get("/api/v1/feeds/web", **auth(at_wh_a)),
        client.post("/api/v1/feeds/web/push", **auth(at_wh_a)),
        put(client, "/feeds/web/settings", SETTINGS, web_only),  # shared configuration
    ):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "token_restricted"
    assert client.get("/api/v1/feeds/web", **auth(web_only)).status_code == 200
    assert not FeedSettings.objects.exists()


def test_a_token_without_the_channels_scope_is_refused(client, shop):
    secret = make_token("inventory:read", name="reader")
    response = client.get("/api/v1/feeds/web", **auth(secret))
    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")
    writer = make_token("channels:read", name="read-only")
    assert put(client, "/feeds/web/settings", SETTINGS, writer).status_code == 403
    assert not FeedSettings.objects.exists()
