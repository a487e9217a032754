"""The order page's holds panel (console/orders/panels.py) and its Release button: the same
use case as `POST /orders/{id}/holds/{hold_id}/release`, with the console user's scope and name.
One query whatever the order's size."""

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
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint
from ordino.holds import selectors, services
from ordino.holds.domain.rules import release_need
from ordino.holds.models import OrderHold
from ordino.orders.models import Order

TEMPLATE = "console/holds/_panel.html"


def holds_panel_read(request: HttpRequest, order: Order) -> dict[str, Any] | None:
    """The order's holds, open first; not shown when it never had one."""
    holds = list(
        OrderHold.objects.filter(order_id=order.pk).select_related("rule", "version")
    )  # the page already checked the order's scope
    if not holds:
        return None
    holds.sort(key=lambda h: (h.released_at is not None, -h.pk))
    shown = []
    for hold in holds:
        need = release_need(hold.kind, hold.release_permission)
        shown.append(
            {**selectors.hold_serialize(hold), "needs": need.permission,
             "may_release": may(request.user, need.permission)}
        )  # fmt: skip
    return {"holds": shown}


def _permitted(request: HttpRequest):
    """The console asks the user's own action permission: the hold's (docs/holds.md)."""
    return lambda need: may(request.user, need.permission)


@console_view
@require_POST
def hold_release_view(request: HttpRequest, order_id: int, hold_id: int) -> HttpResponse:
    principal = console_principal(request)
    try:
        held = selectors.order_hold_get(order_id=order_id, hold_id=hold_id, scope=principal.scope)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not may(request.user, release_need(held.kind, held.release_permission).permission):
        raise PermissionDenied
    try:
        with savepoint():
            hold = services.hold_release(
                hold_id=hold_id,
                actor=principal.token.name,
                reason=request.POST.get("reason", "")[:500],
                permitted=_permitted(request),
            )
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"Released: {hold.reason}.")
    return redirect(reverse("console:order", args=[order_id]))
