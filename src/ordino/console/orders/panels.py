"""The order page's panels from modules above orders (payments, returns, invoices): each one a
template and the function that reads its context. A module adds its panel to PANELS; the page
shows them in this order, after the lines. A panel's read takes a fixed number of queries
whatever the order's size (the page's budget: tests/perf/test_order_page_queries.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from ordino.console.holds import panel as holds_panel
from ordino.console.invoices import panel as invoices_panel
from ordino.console.invoices.panel import PERMISSION as INVOICES
from ordino.console.payments.panel import money_panel_read
from ordino.console.returns.panel import returns_panel_read
from ordino.console.risk import panel as risk_panel
from ordino.console.shipping import panel as shipping_panel
from ordino.console.tax.panel import tax_panel_read
from ordino.orders.models import Order


@dataclass(frozen=True)
class Panel:
    template: str  # rendered with `panel` (what `read` returned), `order` and `may_act`
    read: Callable[[HttpRequest, Order], dict[str, Any] | None]  # None: the panel is not shown
    # shown only to who holds it, as the API's read of the same figures asks it of a person's
    # token (accounts/api_read_permissions.py); None: whoever sees the order
    permission: str | None = None


PANELS: tuple[Panel, ...] = (
    Panel(holds_panel.TEMPLATE, holds_panel.holds_panel_read),  # holds: why the work waits
    Panel(risk_panel.TEMPLATE, risk_panel.risk_panel_read),  # risk: the score and its signals
    # shipping: each fulfillment order's rate shop, explained (docs/shipping.md)
    Panel(shipping_panel.TEMPLATE, shipping_panel.shipping_panel_read),
    # payments: the order's money, as GET /orders/{id}/balance
    Panel("console/payments/_money.html", money_panel_read, "payments.view_payment"),
    Panel("console/tax/_panel.html", tax_panel_read),  # tax per rate (docs/tax.md)
    Panel("console/returns/_panel.html", returns_panel_read),
    Panel(invoices_panel.TEMPLATE, invoices_panel.invoices_panel_read, INVOICES),
)


def panels_read(request: HttpRequest, order: Order) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of each panel that has something to show for this order."""
    shown = []
    for panel in PANELS:
        if panel.permission is not None and not request.user.has_perm(panel.permission):
            continue
        context = panel.read(request, order)
        if context is not None:
            shown.append((panel.template, context))
    return shown
