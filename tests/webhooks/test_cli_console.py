"""`ordino webhooks` and the console's Webhooks pages: the same use cases as the API."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import httpx
import pytest
import respx
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from ordino.core.domain.clock import clock_pinned
from ordino.webhooks.models import WebhookEndpoint, WebhookMessage
from tests.webhooks.conftest import URL, emit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def ordino(*args: str) -> str:
    out = StringIO()
    call_command("webhooks", *args, stdout=out)
    return out.getvalue()


def test_the_command_line_adds_lists_disables_replays(db):
    added = ordino("add", URL, "--event", "fulfillment.accepted", "--description", "ERP")
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in added  # shown once, at creation
    assert ordino("endpoints") == f"{endpoint.pk}\tactive\t{URL}\tfulfillment.accepted\n"
    with respx.mock, clock_pinned(T0):
        respx.post(URL).mock(return_value=httpx.Response(500))
        emit(order_id=7)
    message = WebhookMessage.objects.get()
    listed = ordino("messages", str(endpoint.pk), "--state", "failed")
    assert listed.startswith(f"{message.webhook_id}\tfulfillment.accepted\torder 7 #1\tfailed")
    with respx.mock:
        respx.post(URL).mock(return_value=httpx.Response(200))
        assert (
            ordino("replay", "--message", str(message.pk))
            == f"{message.webhook_id} replayed: pending.\n"
        )
        assert ordino("send-due") == "1 message(s) tried.\n"
    assert WebhookMessage.objects.get().state == "delivered"
    assert (
        ordino("disable", str(endpoint.pk), "--reason", "moving")
        == f"Endpoint {endpoint.pk} disabled.\n"
    )
    with pytest.raises(CommandError, match="endpoint_disabled"):
        ordino("disable", str(endpoint.pk), "--reason", "again")
    with pytest.raises(CommandError, match="url_not_https"):
        ordino("add", "http://example.com", "--event", "order.shipped")
    assert WebhookEndpoint.objects.count() == 1


def test_the_console_adds_an_endpoint_and_shows_its_secret_once(client, db):
    client.force_login(User.objects.create_superuser("boss", "b@example.com", "pw-long-enough"))
    add = reverse("admin:webhooks_webhookendpoint_add")
    response = client.post(
        add, {"url": URL, "description": "ERP", "event_types": ["order.shipped"]}, follow=True
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.encode() in response.content
    page = client.get(reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200 and endpoint.secret.encode() not in page.content
    refused = client.post(add, {"url": "http://example.com", "event_types": ["order.shipped"]})
    assert refused.status_code == 200 and b"https://" in refused.content
    assert WebhookEndpoint.objects.count() == 1
    messages = client.get(reverse("admin:webhooks_webhookmessage_changelist"))
    assert messages.status_code == 200
