"""Delivery (docs/webhooks.md): signed with Standard Webhooks, retried on the schedule, a later
Retry-After honoured, 410 disables the endpoint, dead after the tenth attempt, an order's
messages in order, a crashed sender's claim taken over after its lease."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
from standardwebhooks import Webhook

from ordino.core.domain.clock import clock_pinned
from ordino.events.models import OutboxEvent
from ordino.events.relay import outbox_replay
from ordino.integrations.models import IntegrationCall
from ordino.webhooks.domain.schedule import DELAYS
from ordino.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from ordino.webhooks.services import delivery as delivery_module
from ordino.webhooks.services import (
    endpoint_enable,
    endpoint_secret_rotate,
    message_deliver,
    messages_send_due,
)
from tests.webhooks.conftest import URL, emit, relay

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _attempts(message: WebhookMessage) -> list[tuple[int, datetime, int | None]]:
    return list(
        WebhookAttempt.objects.filter(message=message)
        .order_by("number")
        .values_list("number", "at", "status_code")
    )


def test_a_receiver_verifies_the_signature_with_standardwebhooks(endpoint):
    # given a receiver that keeps what it got
    secret = WebhookEndpoint.objects.get(pk=endpoint.pk).secret
    received = []
    with respx.mock:
        respx.post(URL).mock(side_effect=lambda r: received.append(r) or httpx.Response(204))
        # when an order event is relayed
        event_id = emit(order_id=7)
    # then one POST came, and standardwebhooks verifies it with the endpoint's secret
    (request,) = received
    body = Webhook(secret).verify(request.content, dict(request.headers))
    message = WebhookMessage.objects.get()
    assert request.headers["webhook-id"] == message.webhook_id == f"msg_{message.pk}"
    assert body["type"] == "fulfillment.accepted"
    assert body["data"] == {"order_id": 7, "status": "accepted", "fulfillment_order_id": 1,
                            "event_id": event_id, "sequence": 1}  # fmt: skip
    assert body["links"]["self"] == "/api/v1/orders/7"
    assert (message.state, message.attempts) == ("delivered", 1)
    # and the integration log has the call, its signature and no secret
    call = IntegrationCall.objects.get()
    seen = (call.system, call.direction, call.connection, call.correlation_id, call.status_code)
    assert seen == ("webhook", "out", str(endpoint.pk), message.webhook_id, 204)
    assert call.ok is True
    assert call.request_headers["webhook-signature"] == "[redacted]"
    assert secret not in json.dumps(call.request_headers) + call.request_body


def test_a_tampered_body_or_another_secret_does_not_verify(endpoint):
    received = []
    with respx.mock:
        respx.post(URL).mock(side_effect=lambda r: received.append(r) or httpx.Response(200))
        emit(order_id=7)
    request = received[0]
    secret = WebhookEndpoint.objects.get(pk=endpoint.pk).secret
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(secret).verify(
            request.content.replace(b"accepted", b"shipped!"), dict(request.headers)
        )
    with pytest.raises(Exception, match="No matching signature"):
        Webhook("whsec_" + "A" * 32).verify(request.content, dict(request.headers))


def test_after_a_rotation_both_secrets_verify_for_a_day(endpoint):
    old = WebhookEndpoint.objects.get(pk=endpoint.pk).secret
    new = endpoint_secret_rotate(endpoint_id=endpoint.pk).secret
    received = []
    with respx.mock:
        respx.post(URL).mock(side_effect=lambda r: received.append(r) or httpx.Response(200))
        emit(order_id=7)
    headers = dict(received[0].headers)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(received[0].content, headers)
    Webhook(new).verify(received[0].content, headers)


def test_a_failing_receiver_is_retried_on_the_schedule_then_the_message_is_dead(endpoint):
    # given a receiver that always answers 500
    with respx.mock, clock_pinned(T0):
        respx.post(URL).mock(return_value=httpx.Response(500, text="boom"))
        emit(order_id=7)  # the first attempt, at once
    message = WebhookMessage.objects.get()
    # when the periodic job runs at each next attempt's time
    at = T0
    for delay in DELAYS[1:]:
        at += delay
        with respx.mock, clock_pinned(at - timedelta(seconds=1)):
            respx.post(URL).mock(return_value=httpx.Response(500))
            assert messages_send_due() == 0  # not due a second early
        with respx.mock, clock_pinned(at):
            respx.post(URL).mock(return_value=httpx.Response(500))
            assert messages_send_due() == 1
    # then ten attempts at exactly the schedule's times, and the message is dead
    message.refresh_from_db()
    times = [a[1] for a in _attempts(message)]
    expected = [T0]
    for delay in DELAYS[1:]:
        expected.append(expected[-1] + delay)
    assert times == expected
    assert (message.state, message.attempts, message.next_attempt_at) == ("dead", 10, None)
    assert IntegrationCall.objects.filter(system="webhook", ok=False).count() == 10


def test_a_later_retry_after_is_honoured(endpoint):
    with respx.mock, clock_pinned(T0):
        respx.post(URL).mock(return_value=httpx.Response(429, headers={"Retry-After": "600"}))
        emit(order_id=7)
    message = WebhookMessage.objects.get()
    assert (message.state, message.next_attempt_at) == ("failed", T0 + timedelta(minutes=10))
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.next_attempt_at) == (429, T0 + timedelta(minutes=10))


def test_410_disables_the_endpoint_its_messages_wait_and_enabling_resumes(endpoint):
    # given a receiver that is gone
    with respx.mock, clock_pinned(T0):
        respx.post(URL).mock(return_value=httpx.Response(410))
        emit(order_id=7)
    endpoint.refresh_from_db()
    assert endpoint.status == "disabled"
    assert "410 Gone" in endpoint.disabled_reason
    # when more events come and time passes, nothing is made or sent for it
    with respx.mock(assert_all_called=False) as mock, clock_pinned(T0 + timedelta(hours=1)):
        route = mock.post(URL).mock(return_value=httpx.Response(200))
        emit(order_id=8)
        assert messages_send_due() == 0
        assert route.call_count == 0
    assert WebhookMessage.objects.count() == 1
    # when it is enabled again, its waiting message goes
    endpoint_enable(endpoint_id=endpoint.pk)
    with respx.mock, clock_pinned(T0 + timedelta(hours=2)):
        respx.post(URL).mock(return_value=httpx.Response(200))
        assert messages_send_due() == 1
    assert WebhookMessage.objects.get().state == "delivered"


def test_an_orders_messages_go_in_order(endpoint):
    # given the receiver fails the order's first message
    with respx.mock, clock_pinned(T0):
        respx.post(URL).mock(return_value=httpx.Response(503))
        emit(order_id=7)
    sent = []
    with respx.mock, clock_pinned(T0 + timedelta(seconds=1)):
        respx.post(URL).mock(
            side_effect=lambda r: sent.append(json.loads(r.content)) or httpx.Response(200)
        )
        # when the order's second event and another order's come
        from ordino.orders.events import FulfillmentPacked

        emit(order_id=7, cls=FulfillmentPacked)
        emit(order_id=9)
        # then the other order's goes, the second of order 7 waits its turn
        assert [(b["data"]["order_id"], b["data"]["sequence"]) for b in sent] == [(9, 1)]
    with respx.mock, clock_pinned(T0 + timedelta(seconds=5)):
        respx.post(URL).mock(
            side_effect=lambda r: sent.append(json.loads(r.content)) or httpx.Response(200)
        )
        messages_send_due()
    # and once the first is delivered, the second follows
    assert [(b["data"]["order_id"], b["data"]["sequence"]) for b in sent] == [
        (9, 1),
        (7, 1),
        (7, 2),
    ]


def test_relaying_an_event_again_makes_no_second_message(endpoint):
    with respx.mock:
        respx.post(URL).mock(return_value=httpx.Response(200))
        emit(order_id=7)
        outbox_replay(event_id=OutboxEvent.objects.get().pk)
        relay()
    assert WebhookMessage.objects.count() == 1
    assert WebhookAttempt.objects.count() == 1


class Killed(BaseException):
    """The sender's process dies (not an error it could catch)."""


def test_a_sender_that_dies_after_its_claim_is_taken_over_after_the_lease(endpoint, monkeypatch):
    # given the first send dies between the claim and the answer (the task backend keeps the
    # worker alive; the message keeps the dead sender's claim)
    def die(*args, **kwargs):
        raise Killed

    with clock_pinned(T0):
        monkeypatch.setattr(delivery_module, "_post", die)
        emit(order_id=7)
    monkeypatch.undo()
    message = WebhookMessage.objects.get()
    assert (message.claimed_at, message.attempts) == (T0, 0)
    # when another sender looks before the lease ran out, it leaves it
    with clock_pinned(T0 + delivery_module.LEASE - timedelta(seconds=1)):
        assert message_deliver(message_id=message.pk) == "not_due"
    # then after the lease it takes it over and delivers
    with respx.mock, clock_pinned(T0 + delivery_module.LEASE + timedelta(seconds=1)):
        respx.post(URL).mock(return_value=httpx.Response(200))
        assert messages_send_due() == 1
    message.refresh_from_db()
    assert (message.state, message.attempts, message.claimed_at) == ("delivered", 1, None)
