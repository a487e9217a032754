"""The connectors through their adapters: the API (credentials write-only, audited), the console
(connections, messages, Replay) and `ordino connectors`."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from ordino.audit.models import AuditEntry
from ordino.cases.models import Case
from ordino.connectors.models import Connection, InboundMessage
from ordino.core.encryption import secret_decrypt
from ordino.orders.models import Order
from tests.connectors.shopify import SECRET, TOKEN, shopify_order
from tests.factories import auth, make_channel, make_sku, make_token, stock

pytestmark = pytest.mark.django_db
BODY = {"channel": "web", "platform": "shopify", "base_url": "https://a.myshopify.com",
        "access_token": "shpat_x", "webhook_secret": "shpss_y"}  # fmt: skip


def test_a_connection_keeps_its_secrets_encrypted_and_never_answers_them(api, shop):
    created = api.post("/connectors/connections", BODY)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["has_credentials"] is body["has_webhook_secret"] is True
    assert "shpat_x" not in created.content.decode() and "access_token" not in body
    assert body["webhook_url"] == f"/api/v1/connectors/{body['id']}/webhooks/shopify"
    stored = Connection.objects.get()
    assert "shpat_x" not in stored.credentials_encrypted
    assert secret_decrypt(stored.credentials_encrypted) == "shpat_x"
    # when the token changes: audited without the secret
    changed = api.patch(f"/connectors/connections/{body['id']}", {"access_token": "shpat_z"})
    assert changed.status_code == 200
    entry = AuditEntry.objects.filter(object_type="connection", action="changed").get()
    assert entry.after["access_token_changed"] is True and "shpat_z" not in json.dumps(entry.after)


def test_a_second_connection_of_a_channel_and_a_bad_address_are_refused(api, shop):
    api.post("/connectors/connections", BODY)
    again = api.post("/connectors/connections", BODY)
    assert (again.status_code, again.json()["code"]) == (409, "connection_exists")
    make_channel("other")
    http = api.post("/connectors/connections", {**BODY, "channel": "other",
                                                 "base_url": "http://a.myshopify.com"})  # fmt: skip
    assert (http.status_code, http.json()["code"]) == (422, "invalid_base_url")
    assert Connection.objects.count() == 1


def test_a_channel_limited_token_is_refused(client, connection):
    token = make_token("connectors", name="web-only", channel_codes=["web"])
    response = client.get("/api/v1/connectors/messages", **auth(token))
    assert (response.status_code, response.json()["code"]) == (403, "token_restricted")


def test_messages_list_by_status_and_read_in_full(api, deliver):
    deliver(shopify_order(), delivery="d-1")
    deliver(None, raw=b"[]", delivery="d-2")
    failed = api.get("/connectors/messages", status="failed").json()["items"]
    assert [m["delivery_id"] for m in failed] == ["d-2"]
    detail = api.get(f"/connectors/messages/{failed[0]['id']}").json()
    assert (detail["raw_body"], detail["error_code"]) == ("[]", "mapping_error")
    assert detail["headers"]["X-Shopify-Hmac-Sha256"] != ""


@pytest.fixture
def console(client, db):
    user = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


def test_the_console_adds_a_connection_through_the_use_case(console, shop):
    response = console.post("/admin/connectors/connection/add/", {
        "channel": shop["channel"].pk, "platform": "shopify",
        "base_url": "https://c.myshopify.com", "is_active": "on",
        "poll_interval_seconds": "300", "access_token": "shpat_c", "webhook_secret": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content[:2000]
    stored = Connection.objects.get()
    assert secret_decrypt(stored.credentials_encrypted) == "shpat_c"
    assert AuditEntry.objects.filter(object_type="connection").count() == 1
    page = console.get(f"/admin/connectors/connection/{stored.pk}/change/")
    assert page.status_code == 200 and b"shpat_c" not in page.content


def test_the_console_replays_a_failed_message_once_fixed(console, deliver, shop):
    order = shopify_order()
    order["line_items"][1]["sku"] = "HAT"
    deliver(order)
    message = InboundMessage.objects.get()
    listing = console.get("/admin/connectors/inboundmessage/?status__exact=failed")
    assert listing.status_code == 200 and b"HAT" in listing.content
    stock(shop["wh_a"], make_sku("HAT"), 5)
    response = console.get(f"/admin/connectors/inboundmessage/{message.pk}/replay/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "captured" and Order.objects.count() == 1
    assert Case.objects.get().status == "resolved"


def test_the_command_line_adds_lists_and_replays(shop, monkeypatch, deliver):
    out = io.StringIO()
    make_channel("b2b")
    monkeypatch.setenv("ORDINO_CONNECTOR_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("ORDINO_CONNECTOR_WEBHOOK_SECRET", SECRET)
    call_command("connectors", "add", "b2b", "shopify", "https://b.myshopify.com", stdout=out)
    assert "webhooks to /api/v1/connectors/" in out.getvalue()
    call_command("connectors", "list", stdout=out)
    assert "b2b" in out.getvalue() and TOKEN not in out.getvalue()
    deliver(None, raw=b"{}")  # to the web channel's connection: no id, fails
    call_command("connectors", "messages", "--status", "failed", stdout=out)
    assert "failed" in out.getvalue()
    with pytest.raises(CommandError, match="1 message"):
        call_command("connectors", "replay", "--failed", stdout=out)
