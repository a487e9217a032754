"""Chaos (issue 12, "Rules it must keep"): a receiver failing 60 % of the time and down for three
hours, the relay and the delivery workers killed 20 times, on a clock the test moves — every
event is delivered at least once within the schedule, in order per order, nothing lost.

A kill is a `BaseException` (nothing in Ordino may catch it, as nothing catches a SIGKILL):
the relay dies after claiming an event (before or after making its messages), a sender dies
after claiming a message (before sending, or after the receiver took it but before the answer
was recorded: the message is sent again, same `webhook-id`). Their claims are taken over when
their leases run out. The receiver's failures and the kills are seeded, so the run is the same
every time; the simulation jumps from one due moment to the next, so hours pass in seconds.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import httpx
import respx
from django.test import TestCase
from standardwebhooks import Webhook

from ordino.core.domain.clock import clock_pinned
from ordino.events.models import OutboxEvent
from ordino.events.relay import LEASE as RELAY_LEASE
from ordino.events.relay import outbox_dispatch
from ordino.events.services import event_emit
from ordino.orders.events import FulfillmentAccepted, FulfillmentPacked, OrderDelivered
from ordino.webhooks.domain.schedule import ATTEMPTS, schedule_span
from ordino.webhooks.models import WebhookEndpoint, WebhookMessage
from ordino.webhooks.services import delivery, messages_send_due, webhook_messages_create
from tests.webhooks.conftest import URL

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DOWN = (T0 + timedelta(hours=1), T0 + timedelta(hours=4))
ORDERS = 8
STEPS = (FulfillmentAccepted, FulfillmentPacked, OrderDelivered)
KILLS = 20
SEED = 12


class Killed(BaseException):
    """The process died."""


class Chaos:
    def __init__(self, secret: str, seed: int) -> None:
        self.secret = secret
        self.rng = random.Random(seed)
        self.now = T0
        self.kills = {"relay": 0, "sender": 0}
        # which calls die: 10 of the relay's, 10 of the senders' (seeded)
        self.relay_deaths = set(self.rng.sample(range(24), KILLS // 2))
        self.sender_deaths = set(self.rng.sample(range(40), KILLS // 2))
        self.relay_calls = self.sender_calls = 0
        self.received: list[tuple[str, int, int]] = []  # (webhook-id, order, sequence), 2xx
        self.forged = 0

    # the receiver -------------------------------------------------------------------------
    def receive(self, request: httpx.Request) -> httpx.Response:
        if DOWN[0] <= self.now < DOWN[1]:
            raise httpx.ConnectError("connection refused", request=request)
        if self.rng.random() < 0.6:
            return httpx.Response(503, text="try later")
        headers = request.headers
        at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
        expected = Webhook(self.secret).sign(headers["webhook-id"], at, request.content.decode())
        if expected not in headers["webhook-signature"].split(" "):
            self.forged += 1
            return httpx.Response(400)
        data = httpx.Response(200, content=request.content).json()["data"]
        self.received.append((headers["webhook-id"], data["order_id"], data["sequence"]))
        return httpx.Response(200)

    # the relay, killed now and then -------------------------------------------------------
    def subscriber(self, event) -> None:
        call, self.relay_calls = self.relay_calls, self.relay_calls + 1
        if call in self.relay_deaths and call % 2:
            self._die("relay")  # before making the messages
        webhook_messages_create(event)
        if call in self.relay_deaths:
            self._die("relay")  # after: made, but the event is not marked delivered

    # a sender, killed now and then --------------------------------------------------------
    def post(self, message):
        call, self.sender_calls = self.sender_calls, self.sender_calls + 1
        if call in self.sender_deaths and call % 2:
            self._die("sender")  # claimed, nothing sent
        answer = REAL_POST(message)
        if call in self.sender_deaths:
            self._die("sender")  # sent (maybe taken), the answer never recorded
        return answer

    def _die(self, who: str) -> None:
        self.kills[who] += 1
        raise Killed(who)


REAL_POST = delivery._post


def _run(step) -> None:
    """One process's pass: killed or not, the next pass is a new process."""
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            step()
    except Killed:
        pass


def _next_wake(now: datetime, emissions: list) -> datetime | None:
    """The next moment something is due: an emission, a message's next attempt, a lease's end."""
    times = [at for at, *_ in emissions]
    waiting = WebhookMessage.objects.filter(state__in=("pending", "failed"))
    times += [m for m in waiting.values_list("next_attempt_at", flat=True) if m]
    times += [c + delivery.LEASE for c in waiting.values_list("claimed_at", flat=True) if c]
    stuck = OutboxEvent.objects.filter(delivered_at__isnull=True)
    times += [c + RELAY_LEASE for c in stuck.values_list("claimed_at", flat=True) if c]
    times += [n for n in stuck.values_list("next_attempt_at", flat=True) if n]
    if not stuck.exists() and not waiting.exists() and not emissions:
        return None
    # a past time is a message waiting its turn behind an earlier one of its order: that one's
    # time is in the list too
    return min((t for t in times if t > now), default=now) + timedelta(seconds=1)


def test_chaos_every_event_delivered_at_least_once_in_order_nothing_lost(endpoint, monkeypatch):
    # given a flaky receiver, and 8 orders' 24 events over the first five hours
    chaos = Chaos(WebhookEndpoint.objects.get(pk=endpoint.pk).secret, SEED)
    monkeypatch.setattr(delivery, "_post", chaos.post)
    monkeypatch.setattr(delivery, "_rng", random.Random(SEED))
    subscribers = {cls: [chaos.subscriber] for cls in STEPS}
    emissions = sorted(
        (T0 + timedelta(minutes=chaos.rng.randrange(0, 300) + 60 * step), order, step)
        for order in range(1, ORDERS + 1)
        for step in range(len(STEPS))
    )
    emitted = []
    # when the relay and the senders run at every due moment, dying now and then
    with respx.mock:
        respx.post(URL).mock(side_effect=chaos.receive)
        for _ in range(2000):
            with clock_pinned(chaos.now):
                while emissions and emissions[0][0] <= chaos.now:
                    _, order, step = emissions.pop(0)
                    event = STEPS[step](order_id=order, status="s", details={"step": step})
                    emitted.append(event_emit(event=event, aggregate_id=order).pk)
                _run(lambda: outbox_dispatch(subscribers=subscribers))
                _run(messages_send_due)
                wake = _next_wake(chaos.now, emissions)
            if wake is None:
                break
            chaos.now = wake
            assert chaos.now < T0 + timedelta(days=5), "still not done after five days"
        else:
            raise AssertionError("the simulation did not settle")

    # then the relay and the senders died 20 times
    assert chaos.kills == {"relay": KILLS // 2, "sender": KILLS // 2}
    # and every event made its message, each delivered within its ten attempts, none dead
    messages = list(WebhookMessage.objects.order_by("id"))
    assert sorted(m.event_id for m in messages) == sorted(emitted) and len(emitted) == 24
    assert {m.state for m in messages} == {"delivered"}
    assert all(m.round_attempts <= ATTEMPTS for m in messages)
    assert all(m.delivered_at - m.created_at <= schedule_span() * 1.1 for m in messages)
    # and the receiver took every message at least once, correctly signed
    taken = {webhook_id for webhook_id, _, _ in chaos.received}
    assert taken == {m.webhook_id for m in messages} and chaos.forged == 0
    # and each order's messages first arrived in their sequence, 1, 2, 3
    first_seen: dict[int, list[int]] = defaultdict(list)
    seen = set()
    for webhook_id, order, sequence in chaos.received:
        if webhook_id not in seen:
            seen.add(webhook_id)
            first_seen[order].append(sequence)
    assert dict(first_seen) == {order: [1, 2, 3] for order in range(1, ORDERS + 1)}
