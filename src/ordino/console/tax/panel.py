"""The order page's tax panel: the lines' tax per rate, the shipping tax, and whether Ordino
computed it or kept the channel's (docs/tax.md). One query, whatever the order's size."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ordino.orders.models import Order
from ordino.orders.selectors import order_tax_by_rate


def tax_panel_read(request: HttpRequest, order: Order) -> dict[str, Any] | None:
    rows = order_tax_by_rate(order_id=order.pk)
    if not order.tax_total and all(row["tax_rate"] is None for row in rows):
        return None  # no tax at all: nothing to say beyond the money card's 0
    for row in rows:  # 19.000 reads "19 %", 8.875 "8.875 %"
        rate = row["tax_rate"]
        row["rate_text"] = "" if rate is None else f"{format(rate.normalize(), 'f')} %"
    return {
        "rows": rows,
        "computed": any(row["tax_rate"] is not None for row in rows),
        "inclusive": order.channel.prices_include_tax,
        "shipping_tax": order.shipping_tax,
    }
