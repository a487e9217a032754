from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from ordino.core.domain.clock import utcnow
from ordino.events.models import OutboxEvent
from ordino.events.relay import MAX_ATTEMPTS, outbox_dispatch, outbox_replay
from ordino.events.services import event_emit
from ordino.inventory.services import stock_receive
from ordino.orders.models import Order
from ordino.wiring import SUBSCRIBERS
from tests.factories import order_body

pytestmark = pytest.mark.django_db


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
    seen = []
    event_emit(name="thing.happened", aggregate_type="thing", aggregate_id=1, payload={})
    subscribers = {"thing.happened": [seen.append]}
    assert outbox_dispatch(subscribers=subscribers) == (1, 0)
    # when the relay passes again, then nothing is due
    assert outbox_dispatch(subscribers=subscribers) == (0, 0)
    assert [e.name for e in seen] == ["thing.happened"]


def test_a_failing_subscriber_is_retried_with_backoff_then_given_up(db):
    event = event_emit(name="thing.happened", aggregate_type="thing", aggregate_id=1, payload={})

    def broken(_event):
        raise RuntimeError("carrier down")

    subscribers = {"thing.happened": [broken]}
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
    assert outbox_dispatch(subscribers={"thing.happened": [lambda e: None]}) == (1, 0)


def test_a_claim_of_a_dead_relay_is_taken_over_after_the_lease(db):
    event = event_emit(name="thing.happened", aggregate_type="thing", aggregate_id=1, payload={})
    OutboxEvent.objects.filter(pk=event.pk).update(claimed_at=utcnow())
    assert outbox_dispatch(subscribers={}) == (0, 0)
    OutboxEvent.objects.filter(pk=event.pk).update(claimed_at=utcnow() - timedelta(hours=1))
    assert outbox_dispatch(subscribers={}) == (1, 0)


def test_the_worker_command_runs_one_pass(db, capsys):
    event_emit(name="thing.happened", aggregate_type="thing", aggregate_id=1, payload={})
    call_command("worker", "--once")
    assert "outbox: 1 delivered, 0 failed" in capsys.readouterr().out
