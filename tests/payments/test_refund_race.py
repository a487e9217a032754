"""16 refunds racing on one order (PostgreSQL, threads with a connection each): the check of
what is left to refund is cumulative under the payments' lock, so the refunded total never
exceeds the captured total (Saleor's bug: a check outside the lock)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from ordino.core.domain.errors import DomainError
from ordino.payments.commands import RefundOrder
from ordino.payments.models import Refund
from ordino.payments.services import refund_create
from tests.factories import order_body
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 16


def test_concurrent_refunds_never_exceed_the_captured_total(api, stocked):
    if connection.vendor != "postgresql":
        pytest.skip("a race needs PostgreSQL's row locks; SQLite serialises writers")
    # given an order of 49.48 EUR, shipped and captured
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    # when 16 goodwill refunds of 5.00 start at once
    start = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def refund() -> None:
        start.wait()
        try:
            refund_create(
                command=RefundOrder(order_id=order["id"], goodwill=Decimal("5.00"),
                                    reason="race", actor="test"),
            )  # fmt: skip
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refund) for _ in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then 9 were recorded (45.00 of 49.48), the others refused, none failed otherwise
    assert outcomes.count("ok") == 9
    assert outcomes.count("refund_exceeds_captured") == RACERS - 9
    assert sum(r.amount for r in Refund.objects.all()) == Decimal("45.00")
