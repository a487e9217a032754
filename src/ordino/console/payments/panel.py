"""The money panel's read: the figures of `GET /orders/{id}/balance`, read by the same selector
(so the page and the API always agree), in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ordino.orders.models import Order
from ordino.payments.selectors import balance_serialize, order_money_read


def money_panel_read(request: HttpRequest, order: Order) -> dict[str, Any] | None:
    read = order_money_read(order=order)
    if not read.payments and not read.refunds:
        return {"balance": None, "refundable_lines": _lines(read)}
    return {"balance": balance_serialize(read), "refundable_lines": _lines(read)}


def _lines(read) -> list[dict[str, Any]]:
    return [{"line_no": x.line_no, "shipped": x.shipped} for x in read.lines if x.shipped]
