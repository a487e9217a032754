"""Endpoints' signing secrets encrypted at rest (docs/webhooks.md, "Endpoints"): the table holds
Fernet tokens only, every reader gets the plain secret, signing and rotation work as before, and
a key that cannot read them is a clear error, never a traceback or an unsigned message."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import respx
from cryptography.fernet import Fernet
from django.db import connection as db
from standardwebhooks import Webhook

from ordino.core.domain.clock import clock_pinned
from ordino.core.domain.errors import DomainError
from ordino.integrations.models import IntegrationCall
from ordino.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from ordino.webhooks.services import endpoint_create, endpoint_secret_rotate
from tests.webhooks.conftest import URL, emit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EVENTS = ["fulfillment.accepted"]


def _raw_rows() -> list[tuple]:
    with db.cursor() as cursor:
        cursor.execute("SELECT * FROM webhooks_webhookendpoint")
        return cursor.fetchall()


def test_the_table_holds_no_plain_secret_and_readers_get_it_in_plain(db):
    # given an endpoint made, then rotated: two secrets, each shown once
    made = endpoint_create(url=URL, event_types_chosen=EVENTS)
    rotated = endpoint_secret_rotate(endpoint_id=made.endpoint.pk)
    # then neither is anywhere in the row, read by SQL or through the ORM's values
    (row,) = _raw_rows()
    (values,) = WebhookEndpoint.objects.values()
    for plain in (made.secret, rotated.secret):
        assert plain.startswith("whsec_")
        assert plain not in repr(row) and plain not in repr(values)
    # and the columns hold Fernet tokens, longer than any secret's old 100 characters
    assert values["secret_encrypted"].startswith("gAAAAA")
    assert values["previous_secret_encrypted"].startswith("gAAAAA")
    assert len(values["secret_encrypted"]) > 100
    assert "secret" not in values and "previous_secret" not in values
    # and the model reads them in plain
    stored = WebhookEndpoint.objects.get()
    assert (stored.secret, stored.previous_secret) == (rotated.secret, made.secret)


def test_messages_verify_against_the_secrets_shown_once_and_the_old_one_for_a_day(db):
    # given an endpoint made (its secret shown once), then rotated (a new one shown once)
    made = endpoint_create(url=URL, event_types_chosen=EVENTS)
    rotated = endpoint_secret_rotate(endpoint_id=made.endpoint.pk)
    received = []
    # when an event is relayed to it
    with respx.mock:
        respx.post(URL).mock(side_effect=lambda r: received.append(r) or httpx.Response(204))
        emit(order_id=7)
    # then standardwebhooks verifies the message with either plain secret
    (request,) = received
    headers = dict(request.headers)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(rotated.secret).verify(request.content, headers)["data"]["order_id"] == 7
    assert Webhook(made.secret).verify(request.content, headers)["data"]["order_id"] == 7
    assert WebhookMessage.objects.get().state == "delivered"


def test_a_key_that_cannot_read_the_secret_sends_nothing_and_says_why(endpoint, settings):
    # given the credentials key replaced after the endpoint was made
    settings.ORDINO_CREDENTIALS_KEY = Fernet.generate_key().decode()
    with pytest.raises(DomainError) as refused:
        _ = WebhookEndpoint.objects.get(pk=endpoint.pk).secret
    assert (refused.value.code, refused.value.status) == ("credentials_unreadable", 409)
    assert str(refused.value) == (
        "The endpoint's stored signing secret cannot be decrypted with the current key "
        "(ORDINO_CREDENTIALS_KEY or SECRET_KEY changed): rotate it."
    )
    # when an event is relayed to it
    with respx.mock(assert_all_called=False), clock_pinned(T0):
        route = respx.post(URL).mock(return_value=httpx.Response(204))
        emit(order_id=7)
    # then nothing unsigned left, and the attempt and the log say why; it is retried later
    assert route.called is False
    message = WebhookMessage.objects.get()
    assert (message.state, message.attempts) == ("failed", 1)
    assert message.last_error.startswith("credentials_unreadable: The endpoint's stored signing")
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (None, message.last_error)
    call = IntegrationCall.objects.get(system="webhook")
    assert (call.ok, call.status_code, call.error) == (False, None, message.last_error)


def test_with_an_unreadable_secret_the_api_reads_and_rotation_mends_it(api, settings):
    # given an endpoint made through the API, then the credentials key replaced
    made = api.post("/webhooks/endpoints", {"url": URL, "event_types": EVENTS}).json()
    settings.ORDINO_CREDENTIALS_KEY = Fernet.generate_key().decode()
    # when it is read and listed, then the API answers (no secret is decrypted to show it)
    read = api.get(f"/webhooks/endpoints/{made['id']}")
    assert (read.status_code, read.json()["secret"]) == (200, None)
    listed = api.get("/webhooks/endpoints")
    assert [e["id"] for e in listed.json()["items"]] == [made["id"]]
    # when its secret is rotated, then a new one, and the unreadable old one is not kept
    rotated = api.post(f"/webhooks/endpoints/{made['id']}/rotate-secret", {})
    assert rotated.status_code == 200, rotated.content
    new = rotated.json()["secret"]
    assert new.startswith("whsec_") and new != made["secret"]
    assert rotated.json()["previous_secret_expires_at"] is None
    stored = WebhookEndpoint.objects.get()
    assert (stored.secret, stored.previous_secret_encrypted) == (new, "")
    # and the next message is signed once, with the new secret
    received = []
    with respx.mock:
        respx.post(URL).mock(side_effect=lambda r: received.append(r) or httpx.Response(204))
        emit(order_id=8)
    headers = dict(received[0].headers)
    assert len(headers["webhook-signature"].split(" ")) == 1
    assert Webhook(new).verify(received[0].content, headers)["data"]["order_id"] == 8
