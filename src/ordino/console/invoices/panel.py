"""The order page's invoices panel: the order's documents without their lines, one query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ordino.invoices import selectors
from ordino.orders.models import Order

TEMPLATE = "console/invoices/_panel.html"
# who sees invoices and credit notes, here and in GET /invoices/{id} (accounts/roles.py gives it
# to customer service and finance)
PERMISSION = "invoices.view_invoice"


def invoices_panel_read(request: HttpRequest, order: Order) -> dict[str, Any] | None:
    """Not shown while the order has no invoice or credit note."""
    documents = selectors.order_invoices_brief(order_id=order.pk)
    return {"documents": documents} if documents else None
