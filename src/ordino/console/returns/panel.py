"""The order page's returns panel (console/orders/panels.py): the order's returns the user
reaches, with lines, states, dispositions and refund decisions, and the "Start a return" form.
A fixed number of queries whatever the order's size (tests/perf/test_order_page_queries.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.console.store.queue import locations_for
from ordino.orders.models import Order
from ordino.returns import selectors
from ordino.returns.domain.dispositions import DISPOSITIONS
from ordino.returns.domain.eligibility import REASONS

VIEW_PERMISSION = "returns.view_return"


def may_act(request: HttpRequest) -> bool:
    """Returns' steps need the action permission `manage_returns` (accounts/roles.py)."""
    return may(request.user, "manage_returns")


def returns_panel_read(request: HttpRequest, order: Order) -> dict[str, Any] | None:
    if not (request.user.has_perm(VIEW_PERMISSION) or may_act(request)):
        return None
    scope = console_principal(request).scope
    returns = selectors.returns_serialize(
        list(selectors.return_list(scope=scope, order_id=order.pk))
    )
    for ret in returns:
        ret["outstanding"] = [line for line in ret["lines"] if line["received"] < line["quantity"]]
        # a received return can only be closed (docs/returns.md: cancel answers return_received)
        ret["any_received"] = any(line["received"] for line in ret["lines"])
    lines = [
        {"line": line, "returnable": facts.returnable}
        for line, facts in selectors.returnable_lines(order=order)
    ]
    shipped = any(line["line"].quantity_shipped for line in lines)
    if not returns and not shipped:
        return None  # nothing shipped: nothing to return yet
    return {
        "returns": returns,
        "lines": lines,
        "any_returnable": any(line["returnable"] for line in lines),
        "may_act": may_act(request),
        "reasons": [(r, r.replace("_", " ").capitalize()) for r in REASONS],
        "locations": locations_for(scope),
        "dispositions": DISPOSITIONS,
    }
