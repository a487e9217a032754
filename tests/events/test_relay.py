from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.core.management import call_command

from ordino.core.domain.clock import utcnow
from ordino.events.models import OutboxEvent
from ordino.events.relay import MAX_ATTEMPTS, outbox_dispatch, outbox_replay
from ordino.events.services import event_emit
from ordino.events.types import Event
from ordino.inventory.services import stock_receive
from ordino.orders.models import Order
from ordino.wiring import SUBSCRIBERS
from tests.factories import make_location, make_sku, order_body

pytestmark = pytest.mark.django_db


@dataclasses.dataclass(frozen=True)
class ThingHappened(Event):
    name = "test.thing_happened"
    aggregate_type = "thing"

    colour: str = "blue"


def test_a_receipt_fills_a_backorder_through_the_relay(api, shop):
    # given an order backordered for want of caps
    order = api.post(
        "/orders", order_body(lines=[{"sku": "CAP", "quantity": 2, "unit_price": "3.00"}])
    ).json()
    assert order["status"] == "backordered"
    # when caps arrive and the relay runs
    stock_receive(location_code="WH-B", sku_code="CAP", quantity=5, actor="test")
    delivered, failed = outbox_dispatch(subscribers=SUBSCRIBERS)
    # then the order is allocated at WH-B and every due event is delivered
    assert failed == 0
    assert delivered == OutboxEvent.objects.filter(delivered_at__isnull=False).count()
    assert Order.objects.get(pk=order["id"]).status == "allocated"
    assert (
        OutboxEvent.objects.filter(delivered_at__isnull=True, dead=False)
        .exclude(name="order.backorder_filled")
        .count()
        == 0
    )


def test_a_delivered_event_is_not_delivered_again(db):
    # given one event, delivered by a relay pass
    seen: list[Event] = []
    event_emit(event=ThingHappened(), aggregate_id=1)
    subscribers = {ThingHappened: [seen.append]}
    assert outbox_dispatch(subscribers=subscribers) == (1, 0)
    # when the relay passes again, then nothing is due
    assert outbox_dispatch(subscribers=subscribers) == (0, 0)
    assert seen == [ThingHappened(colour="blue")]


def test_a_failing_subscriber_is_retried_with_backoff_then_given_up(db):
    event = event_emit(event=ThingHappened(), aggregate_id=1)

    def broken(_event):
        raise RuntimeError("carrier down")

    subscribers = {ThingHappened: [broken]}
    assert outbox_dispatch(subscribers=subscribers) == (0, 1)
    event.refresh_from_db()
    assert (event.attempts, event.dead, event.delivered_at) == (1, False, None)
    assert "carrier down" in event.last_error
    # not due again before its backoff has passed
    assert outbox_dispatch(subscribers=subscribers) == (0, 0)
    for _ in range(MAX_ATTEMPTS - 1):
        OutboxEvent.objects.filter(pk=event.pk).update(
            next_attempt_at=utcnow() - timedelta(seconds=1)
        )
        outbox_dispatch(subscribers=subscribers)
    event.refresh_from_db()
    assert (event.attempts, event.dead) == (MAX_ATTEMPTS, True)
    # a person replays it once the carrier is back
    outbox_replay(event_id=event.pk)
    assert outbox_dispatch(subscribers={ThingHappened: [lambda e: None]}) == (1, 0)


def test_a_claim_of_a_dead_relay_is_taken_over_after_the_lease(db):
    event = event_emit(event=ThingHappened(), aggregate_id=1)
    OutboxEvent.objects.filter(pk=event.pk).update(claimed_at=utcnow())
    assert outbox_dispatch(subscribers={}) == (0, 0)
    OutboxEvent.objects.filter(pk=event.pk).update(claimed_at=utcnow() - timedelta(hours=1))
    assert outbox_dispatch(subscribers={}) == (1, 0)


def test_the_worker_command_runs_one_pass(db, capsys):
    event_emit(event=ThingHappened(), aggregate_id=1)
    call_command("worker", "--once")
    assert "outbox: 1 delivered, 0 failed" in capsys.readouterr().out


def test_the_outbox_keeps_the_wire_name_and_the_subscriber_gets_the_event_back(db):
    # given an event emitted as an object
    stored = event_emit(event=ThingHappened(colour="red"), aggregate_id=7)
    # then the outbox row holds its wire name, its aggregate and its fields
    stored.refresh_from_db()
    assert (stored.name, stored.aggregate_type, stored.aggregate_id, stored.payload) == (
        "test.thing_happened",
        "thing",
        7,
        {"colour": "red"},
    )
    # when the relay delivers it, then the subscriber gets an equal event object
    seen: list[Event] = []
    assert outbox_dispatch(subscribers={ThingHappened: [seen.append]}) == (1, 0)
    assert seen == [ThingHappened(colour="red")]


def test_a_stored_payload_that_no_longer_fits_its_class_is_retried_not_lost(db):
    # given a stored event whose payload lacks what its class needs
    event = event_emit(event=ThingHappened(), aggregate_id=1)
    OutboxEvent.objects.filter(pk=event.pk).update(payload={"shade": "red"})
    # when the relay passes, then it counts a failure and keeps the event for a retry
    assert outbox_dispatch(subscribers={ThingHappened: [lambda e: None]}) == (0, 1)
    event.refresh_from_db()
    assert (event.attempts, event.dead, event.delivered_at) == (1, False, None)


def test_the_worker_command_runs_the_database_backends_tasks_in_queue_mode(db, settings, capsys):
    # given the database task backend, the relay in queue mode, and a receipt's events
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.ORDINO_RELAY_MODE = "queue"
    make_location("WH-A")
    make_sku("CAP")
    stock_receive(location_code="WH-A", sku_code="CAP", quantity=5, actor="test")
    wanted = sum(
        len(subs)
        for cls, subs in SUBSCRIBERS.items()
        for e in OutboxEvent.objects.all()
        if cls.name == e.name
    )
    # when one worker pass runs, then it hands the events over and runs their tasks
    call_command("worker", "--once")
    out = capsys.readouterr().out
    assert wanted > 0
    assert f"tasks: {wanted} run, 0 failed" in out
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() == 0
