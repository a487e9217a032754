"""The webhooks API (docs/webhooks.md, "API"): endpoints with a secret shown once, messages with
their attempts, replays; scoped to `webhooks:*` and unrestricted tokens; refusals change nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import respx
from standardwebhooks import Webhook

from ordino.audit.models import AuditEntry
from ordino.core.domain.clock import clock_pinned
from ordino.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from tests.factories import auth, make_channel, make_token
from tests.webhooks.conftest import URL, emit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_an_endpoint_is_made_with_its_secret_shown_once_and_audited(api):
    # when an endpoint is added
    made = api.post(
        "/webhooks/endpoints",
        {"url": URL, "event_types": ["order.shipped", "order.captured"], "description": "ERP"},
    )
    # then the answer has the secret, later reads do not
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["order.captured", "order.shipped"]
    assert (body["status"], body["url"]) == ("active", URL)
    read = api.get(f"/webhooks/endpoints/{body['id']}").json()
    assert read["secret"] is None
    listed = api.get("/webhooks/endpoints").json()["items"]
    assert [e["id"] for e in listed] == [body["id"]]
    entry = AuditEntry.objects.get(object_type="webhook_endpoint")
    assert (entry.action, entry.actor) == ("created", "token:admin")
    assert not {"secret", "secret_encrypted", "previous_secret_encrypted"} & set(entry.after)
    assert body["secret"] not in str(entry.after)
    # and a rotation gives a new one, once
    rotated = api.post(f"/webhooks/endpoints/{body['id']}/rotate-secret", {})
    assert rotated.status_code == 200
    assert rotated.json()["secret"] not in (None, body["secret"])
    assert rotated.json()["previous_secret_expires_at"] is not None


def test_refusals_say_what_and_where_and_change_nothing(api):
    plain = api.post(
        "/webhooks/endpoints", {"url": "http://example.com/h", "event_types": ["order.shipped"]}
    )
    unknown = api.post("/webhooks/endpoints", {"url": URL, "event_types": ["order.created"]})
    extra = api.post("/webhooks/endpoints", {"url": URL, "event_types": ["order.shipped"], "x": 1})
    assert (plain.status_code, plain.json()["code"], plain.json()["errors"][0]["field"]) == (
        422, "url_not_https", "url",
    )  # fmt: skip
    assert (unknown.status_code, unknown.json()["code"]) == (422, "event_type_unknown")
    assert extra.status_code == 422
    assert plain["Content-Type"] == "application/problem+json"
    assert WebhookEndpoint.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="webhook_endpoint").exists()
    assert api.get("/webhooks/endpoints/999").status_code == 404
    assert api.get("/webhooks/messages/999").json()["code"] == "webhook_message_not_found"


def test_scopes_and_restricted_tokens(client, db):
    reader = auth(make_token("webhooks:read", name="reader"))
    orders_only = auth(make_token("orders", name="orders"))
    channel = make_channel("web")
    limited = auth(make_token("*", name="limited", channel_codes=["web"]))
    body = json.dumps({"url": URL, "event_types": ["order.shipped"]})
    post = lambda headers: client.post(  # noqa: E731
        "/api/v1/webhooks/endpoints", data=body, content_type="application/json", **headers
    )
    assert client.get("/api/v1/webhooks/endpoints", **reader).status_code == 200
    assert post(reader).json()["code"] == "insufficient_scope"
    assert client.get("/api/v1/webhooks/event-types", **orders_only).status_code == 403
    assert post(limited).json()["code"] == "token_restricted"
    assert WebhookEndpoint.objects.count() == 0 and channel.pk


def test_messages_with_attempts_and_replays(api, django_capture_on_commit_callbacks):
    endpoint_id = api.post(
        "/webhooks/endpoints", {"url": URL, "event_types": ["fulfillment.accepted"]}
    ).json()["id"]
    # given a message the receiver refused, then one it took
    with respx.mock, clock_pinned(T0):
        respx.post(URL).mock(return_value=httpx.Response(500, text="no"))
        emit(order_id=7)
    message = WebhookMessage.objects.get()
    listed = api.get(f"/webhooks/endpoints/{endpoint_id}/messages", state="failed").json()
    assert [m["id"] for m in listed["items"]] == [message.pk]
    detail = api.get(f"/webhooks/messages/{message.pk}").json()
    tried = [(a["number"], a["status_code"], a["response_excerpt"]) for a in detail["attempt_list"]]
    assert tried == [(1, 500, "no")]
    # when it is replayed, the receiver gets the same webhook-id and it is delivered
    secret = WebhookEndpoint.objects.get().secret
    got = []
    with respx.mock, django_capture_on_commit_callbacks(execute=True):
        respx.post(URL).mock(side_effect=lambda r: got.append(r) or httpx.Response(200))
        replayed = api.post(f"/webhooks/messages/{message.pk}/replay", {"reason": "fixed"})
    assert replayed.status_code == 200, replayed.content
    assert replayed.json()["state"] == "pending"  # sent after the replay's commit
    delivered = api.get(f"/webhooks/messages/{message.pk}").json()
    assert delivered["state"] == "delivered"
    assert [a["replay"] for a in delivered["attempt_list"]] == [False, True]
    assert got[0].headers["webhook-id"] == f"msg_{message.pk}"
    Webhook(secret).verify(got[0].content, dict(got[0].headers))
    # and a range replay of the failed ones finds none now; of all, finds it
    window = {"from": "2026-03-01T00:00:00Z", "to": "2026-03-03T00:00:00Z"}
    only_failed = api.post(
        f"/webhooks/endpoints/{endpoint_id}/replay", {**window, "only_failed": True}
    )
    assert only_failed.json() == {"replayed": 0}
    every = api.post(f"/webhooks/endpoints/{endpoint_id}/replay", {**window, "reason": "resync"})
    assert every.json() == {"replayed": 1}
    assert WebhookMessage.objects.get().state == "pending"
    backwards = api.post(
        f"/webhooks/endpoints/{endpoint_id}/replay", {"from": window["to"], "to": window["from"]}
    )
    assert (backwards.status_code, backwards.json()["code"]) == (422, "range_empty")
    assert WebhookAttempt.objects.count() == 2


def test_disable_enable_and_delete(api):
    endpoint_id = api.post(
        "/webhooks/endpoints", {"url": URL, "event_types": ["order.shipped"]}
    ).json()["id"]
    disabled = api.post(f"/webhooks/endpoints/{endpoint_id}/disable", {"reason": "maintenance"})
    assert (disabled.json()["status"], disabled.json()["disabled_reason"]) == (
        "disabled",
        "maintenance",
    )
    again = api.post(f"/webhooks/endpoints/{endpoint_id}/disable", {"reason": "x"})
    assert (again.status_code, again.json()["code"]) == (409, "endpoint_disabled")
    assert api.post(f"/webhooks/endpoints/{endpoint_id}/enable", {}).json()["status"] == "active"
    changed = api.patch(f"/webhooks/endpoints/{endpoint_id}", {"description": "CRM"})
    assert changed.json()["description"] == "CRM"
    assert api.delete(f"/webhooks/endpoints/{endpoint_id}").status_code == 204
    assert WebhookEndpoint.objects.count() == 0
    hooks = AuditEntry.objects.filter(object_type="webhook_endpoint").order_by("id")
    actions = list(hooks.values_list("action", flat=True))
    assert actions == ["created", "disabled", "enabled", "changed", "deleted"]
