"""The steps of the killed-worker test (tests/reliability/test_payment_crash.py), each run in a
child process against the race's own database (`tests.concurrency.live`: `python -m
tests.concurrency.live tests.reliability.payment_crash_steps:<step> '<json kwargs>'`).

`worker_killed` is the worker that dies: it runs the outbox like the real worker, but its
process kills itself with SIGKILL the moment a provider answered a payment call — after the
provider did it (the test provider's memory is committed in its own transaction, as a real
provider's is on its servers), before Ordino commits the answer. `worker` is the worker
started again, its clock later than the outbox's lease and the retry job's staleness, so the
event and the pending transaction are picked up again."""

from __future__ import annotations

import os
import signal
from datetime import timedelta
from decimal import Decimal

from ordino.core.domain.clock import clock_pinned, utcnow
from ordino.events.relay import LEASE, outbox_dispatch
from ordino.fulfillment.models import FulfillmentOrder
from ordino.fulfillment.services import fulfillment_ship
from ordino.orders.commands import CaptureOrder, CapturePayment, LineItem, OrderAddress
from ordino.orders.services import order_capture
from ordino.payments.commands import RefundLine, RefundOrder
from ordino.payments.models import PaymentTransaction, ScriptedProviderCall
from ordino.payments.services import payments_retry_due, refund_create
from ordino.payments.services import send as payment_send
from ordino.payments.services.send import STALE
from ordino.wiring import SUBSCRIBERS
from tests.factories import make_channel, make_location, make_sku, stock

LATER = max(LEASE, STALE) + timedelta(minutes=1)  # the restarted worker's clock, ahead


def setup(token: str) -> dict:
    """A shop and an order for three tees at 19.99 (59.97 EUR), paid by a test card."""
    make_channel("web", currency="EUR")
    warehouse = make_location("WH-A", priority=10)
    stock(warehouse, make_sku("TEE"), 10)
    command = CaptureOrder(
        channel="web",
        external_id="CRASH-1",
        currency="EUR",
        shipping_address=OrderAddress(
            name="Ada", line1="Unter den Linden 1", city="Berlin", country="DE"
        ),
        lines=(LineItem(sku="TEE", quantity=3, unit_price=Decimal("19.99"), tax=Decimal(0)),),
        payments=(CapturePayment(method="card", provider="test", token=token),),
    )
    order = order_capture(command=command, actor="crash-test").order
    return {"order_id": order.pk}


def _run_worker() -> dict:
    delivered = sum(outbox_dispatch(subscribers=SUBSCRIBERS)[0] for _ in range(5))
    return {"delivered": delivered, "retried": payments_retry_due()}


def worker_killed(hours: int) -> dict:
    """The worker, `hours` after the start, that dies between a provider's answer and the
    commit of it."""

    def die(**kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    payment_send.transaction_finish = die  # what transaction_send calls after the provider
    with clock_pinned(utcnow() + timedelta(hours=hours)):
        return _run_worker()  # never returns when a payment call is made


def worker(hours: int) -> dict:
    """The worker started again: later than the outbox's lease and the retry job's staleness."""
    with clock_pinned(utcnow() + timedelta(hours=hours) + LATER):
        return _run_worker()


def ship(order_id: int) -> dict:
    fo = FulfillmentOrder.objects.get(order_id=order_id)
    fulfillment_ship(fo_id=fo.pk, carrier="DHL", tracking_numbers=["JD1"], actor="crash-test")
    return {}


def refund(order_id: int) -> dict:
    """Customer service refunds two tees (39.98): recorded, sent by the worker."""
    command = RefundOrder(order_id=order_id, lines=(RefundLine(1, 2),), reason="x", actor="t")
    return {"refund_id": refund_create(command=command).pk}


def money(order_id: int) -> dict:
    """The order's transactions and the provider's calls, by kind."""
    txns = PaymentTransaction.objects.filter(payment__order_id=order_id).order_by("id")
    calls = ScriptedProviderCall.objects.filter(
        idempotency_key__in=[t.idempotency_key for t in txns]
    ).order_by("id")
    return {
        "txns": [[t.kind, t.status, str(t.amount)] for t in txns],
        "calls": [[c.kind, c.attempts, c.outcome, str(c.amount)] for c in calls],
    }
