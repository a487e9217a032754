"""The delivery engine (docs/integrations.md, "The delivery engine"): the relay in queue mode hands
one task per (event, subscriber) to the task backend, and every event reaches every subscriber
exactly once despite subscribers that fail, workers killed with a task in hand and relays that
died holding a claim. The same story on the database backend (tasks run by `ordino worker`'s loop,
in-process) and on Redis through RQ (an in-process RQ worker in burst mode)."""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import redis
from django_tasks import task_backends
from django_tasks_rq.backend import Job
from rq import SimpleWorker
from rq.timeouts import TimerDeathPenalty

from ordino.core.domain.clock import clock_pinned
from ordino.core.task_worker import database_task_claim, database_tasks_run
from ordino.events import ports
from ordino.events.models import OutboxEvent, OutboxSubscriberDone
from ordino.events.relay import LEASE, outbox_dispatch
from ordino.events.services import event_emit
from ordino.events.types import Event
from ordino.inventory.services import stock_receive
from ordino.orders.models import Order
from ordino.wiring import SUBSCRIBERS
from tests.factories import order_body

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("ORDINO_TEST_REDIS_URL", "redis://127.0.0.1:6379")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class ParcelBooked(Event):
    name = "test.parcel_booked"
    aggregate_type = "parcel"

    number: int = 0


# What the subscribers did, and the faults they meet: (subscriber, event number) →
CALLS: Counter = Counter()  # every call
RAN_TO_END: Counter = Counter()  # calls that returned
EFFECTS: set = set()  # their idempotent effect
FAULTS: dict[tuple[str, int], list[str]] = {}  # "before": fails; "after": effect, then killed


def _subscriber_step(name: str, event: ParcelBooked) -> None:
    key = (name, event.number)
    CALLS[key] += 1
    fault = FAULTS.get(key, []).pop(0) if FAULTS.get(key) else None
    if fault == "before":
        raise RuntimeError("the receiver answered 503")
    EFFECTS.add(key)  # idempotent: a second run changes nothing
    if fault == "after":
        raise RuntimeError("the worker was killed after the effect, before its record")
    RAN_TO_END[key] += 1


def label_print(event: ParcelBooked) -> None:
    _subscriber_step("label_print", event)


def carrier_notify(event: ParcelBooked) -> None:
    _subscriber_step("carrier_notify", event)


WIRED = {ParcelBooked: [label_print, carrier_notify]}


@pytest.fixture
def wired():
    """The test's subscribers plugged where workers look them up (events/ports.py)."""
    before = ports.outbox_subscribers._impl
    ports.outbox_subscribers.plug(lambda: WIRED)
    CALLS.clear(), RAN_TO_END.clear(), EFFECTS.clear(), FAULTS.clear()
    yield WIRED
    ports.outbox_subscribers.plug(before)


@dataclasses.dataclass
class Engine:
    name: str
    run_tasks: Callable[[], None]  # a worker runs everything due
    lose_task: Callable[[], bool]  # a worker takes one task and is killed


def database_engine(settings) -> Engine:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }

    def lose() -> bool:
        return database_task_claim(backend=task_backends["default"], worker_id="killed") is not None

    return Engine("database", lambda: database_tasks_run(worker_id="w1", max_tasks=1000), lose)


def redis_db_free() -> str:
    """A Redis database no concurrent test run uses (each run locks one of 8..15 for itself)."""
    try:
        lock = redis.Redis.from_url(f"{REDIS_URL}/0", socket_connect_timeout=2)
        lock.ping()
    except redis.RedisError as exc:
        if os.environ.get("ORDINO_TASKS_BACKEND") == "rq":
            pytest.fail(f"ORDINO_TASKS_BACKEND=rq but Redis is not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({exc}): the RQ leg is SKIPPED")
    for db in range(8, 16):
        if lock.set(f"ordino-test-db-{db}", str(uuid.uuid4()), nx=True, ex=600):
            return f"{REDIS_URL}/{db}"
    pytest.fail("Redis databases 8..15 are all taken by other test runs")


def rq_engine(settings) -> Engine:
    url = redis_db_free()
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq

    queue = django_rq.get_queue("default", job_class=Job)
    queue.connection.flushdb()

    class InProcessWorker(SimpleWorker):
        death_penalty_class = TimerDeathPenalty  # SIGALRM is pytest-timeout's

    def run() -> None:
        InProcessWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

    def lose() -> bool:
        return queue.pop_job_id() is not None

    engine = Engine("rq", run, lose)
    engine.release = lambda: (
        queue.connection.flushdb(),
        redis.Redis.from_url(f"{REDIS_URL}/0").delete(f"ordino-test-db-{url.rsplit('/', 1)[1]}"),
    )
    return engine


@pytest.fixture(params=["database", "rq"])
def engine(request, settings, wired):
    made = database_engine(settings) if request.param == "database" else rq_engine(settings)
    yield made
    getattr(made, "release", lambda: None)()


def test_every_event_reaches_every_subscriber_once_despite_failures_and_killed_workers(engine):
    # given 12 events: some subscribers fail first, one is killed after its effect, one relay died
    # long ago holding a claim and another died a minute ago
    events = [event_emit(event=ParcelBooked(number=n), aggregate_id=n) for n in range(12)]
    FAULTS.update(
        {
            ("label_print", 1): ["before"],
            ("carrier_notify", 1): ["before", "before"],
            ("label_print", 4): ["after"],
            ("carrier_notify", 7): ["before", "after", "before"],
        }
    )
    OutboxEvent.objects.filter(pk=events[9].pk).update(claimed_at=START - timedelta(hours=1))
    OutboxEvent.objects.filter(pk=events[10].pk).update(claimed_at=START - timedelta(minutes=1))
    # when the relay and the workers take turns, a worker being killed with a task in hand on
    # the first two rounds, the clock moving past the backoff and the lease each round
    lost = 0
    for turn in range(12):
        with clock_pinned(START + turn * (LEASE + timedelta(minutes=1))):
            outbox_dispatch(subscribers=WIRED, mode="queue")
            if turn < 2:
                lost += engine.lose_task()
            engine.run_tasks()
        if not OutboxEvent.objects.filter(delivered_at__isnull=True).exists():
            break
    # then every event is delivered, none given up
    assert lost == 2
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).count() == 0
    assert OutboxEvent.objects.filter(dead=True).count() == 0
    # and each subscriber ran to its end exactly once per event, its effect made once
    pairs = {(s, n) for s in ("label_print", "carrier_notify") for n in range(12)}
    assert dict(RAN_TO_END) == dict.fromkeys(pairs, 1)
    assert set(EFFECTS) == pairs
    assert OutboxSubscriberDone.objects.count() == 24
    # the faults were met: the failing ones were called again, the killed one re-ran its effect
    assert CALLS[("carrier_notify", 7)] == 4
    assert CALLS[("label_print", 4)] == 2
    assert OutboxEvent.objects.get(pk=events[7].pk).attempts == 3


def test_after_the_lease_only_the_unfinished_subscriber_is_handed_over_again(engine):
    # given an event handed over as two tasks, one of them lost with the worker that took it
    event = event_emit(event=ParcelBooked(number=1), aggregate_id=1)
    with clock_pinned(START):
        assert outbox_dispatch(subscribers=WIRED, mode="queue") == (1, 0)
        assert engine.lose_task()
        engine.run_tasks()
    assert sum(CALLS.values()) == 1
    # when the relay passes within the claim's lease, then nothing is handed over again
    with clock_pinned(START + LEASE - timedelta(seconds=1)):
        assert outbox_dispatch(subscribers=WIRED, mode="queue") == (0, 0)
        engine.run_tasks()
    assert OutboxEvent.objects.get(pk=event.pk).delivered_at is None
    # when it passes after the lease, then only the lost subscriber runs, and the event is done
    with clock_pinned(START + LEASE + timedelta(seconds=1)):
        assert outbox_dispatch(subscribers=WIRED, mode="queue") == (1, 0)
        engine.run_tasks()
    assert CALLS == {("label_print", 1): 1, ("carrier_notify", 1): 1}
    assert OutboxEvent.objects.get(pk=event.pk).delivered_at is not None
    assert OutboxSubscriberDone.objects.filter(event=event).count() == 2


def test_a_backend_that_refuses_the_hand_over_leaves_the_event_due(settings, wired):
    # given Redis where nothing listens, and an event
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:9/0", "SOCKET_TIMEOUT": 1}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    event = event_emit(event=ParcelBooked(number=1), aggregate_id=1)
    # when the relay hands it over, then it failed, counts no attempt and is due in 30 s
    with clock_pinned(START):
        assert outbox_dispatch(subscribers=WIRED, mode="queue") == (0, 1)
    event.refresh_from_db()
    assert (event.attempts, event.claimed_at, event.delivered_at, event.dead) == (
        0,
        None,
        None,
        False,
    )
    assert event.next_attempt_at == START + timedelta(seconds=30)
    assert "the task backend refused the hand-over" in event.last_error
    assert CALLS == {}


def test_real_subscribers_run_through_the_queue_a_receipt_fills_a_backorder(api, shop, settings):
    # given the relay in queue mode, on the immediate backend: tasks run as they are handed over
    settings.ORDINO_RELAY_MODE = "queue"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    order = api.post(
        "/orders", order_body(lines=[{"sku": "CAP", "quantity": 2, "unit_price": "3.00"}])
    ).json()
    assert order["status"] == "backordered"
    # when caps arrive and the relay passes
    stock_receive(location_code="WH-B", sku_code="CAP", quantity=5, actor="test")
    outbox_dispatch(subscribers=SUBSCRIBERS)
    # then the order is allocated, and each event delivered was done by each of its subscribers
    assert Order.objects.get(pk=order["id"]).status == "allocated"
    delivered = OutboxEvent.objects.filter(delivered_at__isnull=False)
    expected = sum(len(SUBSCRIBERS.get(_class_named(e.name), [])) for e in delivered)
    assert OutboxSubscriberDone.objects.filter(event__in=delivered).count() == expected > 0


def _class_named(name: str):
    return next((cls for cls in SUBSCRIBERS if cls.name == name), None)


def test_the_configured_backend_passes_its_checks():
    # (CI's broker leg runs this file with ORDINO_TASKS_BACKEND=rq: django-rq installed, queues set)
    assert list(task_backends["default"].check()) == []
