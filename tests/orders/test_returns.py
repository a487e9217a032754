"""orders/services/returns.py: the order's side of a return (the returns module calls it)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict
from ordino.orders.models import Order, OrderChange, OrderLine
from ordino.orders.services import ReturnedLine, order_lines_return
from tests.returns.conftest import delivered as delivered  # the fixture

pytestmark = pytest.mark.django_db


def call(order_id: int, *lines: ReturnedLine) -> Order:
    return order_lines_return(
        order_id=order_id, lines=list(lines), reference="return:R1-1", actor="t", now=utcnow(),
        message="Back.",
    )  # fmt: skip


def state(order_id: int) -> tuple:
    return (
        list(OrderLine.objects.filter(order_id=order_id).values_list("quantity_returned")),
        Order.objects.get(pk=order_id).version,
        OrderChange.objects.count(),
    )


def test_returned_units_move_the_bucket_and_the_current_total(delivered):
    order = call(delivered["id"], ReturnedLine(1, 2, Decimal("39.98"), 0))
    assert order.current_total == Decimal("9.500")
    assert OrderLine.objects.get(order_id=order.pk, line_no=1).quantity_returned == 2
    change = OrderChange.objects.get()
    assert (change.kind, change.amount_delta, change.version) == ("return", Decimal("-39.980"), 4)


@pytest.mark.parametrize(
    "line",
    [
        ReturnedLine(1, 3, Decimal("1"), 0),  # more than shipped
        ReturnedLine(1, 1, Decimal("1"), 1),  # worked out after units that did not come back
        ReturnedLine(9, 1, Decimal("1"), 0),  # no such line
    ],
)
def test_a_stale_or_impossible_return_is_a_conflict(delivered, line):
    before = state(delivered["id"])
    with pytest.raises(Conflict):
        call(delivered["id"], line)
    assert state(delivered["id"]) == before
