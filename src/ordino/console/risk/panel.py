"""The order page's fraud risk panel (console/orders/panels.py): the score and each signal's
contribution, and *Score again* — the same use case as `POST /orders/{id}/risk/rescore`, with
the console user's scope and name. One query."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.console.pages import console_view
from ordino.core.domain.errors import NotFound
from ordino.core.transactions import savepoint
from ordino.orders.models import Order
from ordino.risk import selectors, services
from ordino.risk.domain.settings import LABELS

TEMPLATE = "console/risk/_panel.html"
ACT = "edit_orders"  # scoring again changes the order's record, as an edit does


def risk_panel_read(request: HttpRequest, order: Order) -> dict[str, Any]:
    """The order's score and signals (the page already checked the order's scope)."""
    signals = selectors.order_risk_signals(order_id=order.pk)
    risk = signals[0].risk if signals else None
    return {
        "risk": risk,
        "signals": [_row(s) for s in signals],
        "threshold": selectors.risk_settings().review_threshold,
        "may_rescore": may(request.user, ACT),
    }


def _row(s) -> dict[str, Any]:
    label = LABELS.get(s.code, s.code)
    return {"code": s.code, "label": label, "detail": s.detail, "weight": s.weight,
            "points": s.points}  # fmt: skip


@console_view
@require_POST
def risk_rescore_view(request: HttpRequest, order_id: int) -> HttpResponse:
    if not may(request.user, ACT):
        raise PermissionDenied
    principal = console_principal(request)
    try:
        with savepoint():  # a refusal (outside the user's reach) undoes this step only
            risk = services.order_risk_rescore(
                order_id=order_id, actor=principal.token.name, scope=principal.scope
            )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, f"Scored again: risk {risk.score} of 100.")
    return redirect(reverse("console:order", args=[order_id]) + "#risk")
