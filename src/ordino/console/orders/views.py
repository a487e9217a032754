"""The order page (`console:order`) and its actions. Each action is a small form posting to its
own URL and calls the same use case as the API, with the console user's scope and name; it is
offered, and accepted, only with its action permission (cancel_orders, edit_orders; refund for
the money panel: accounts/roles.py). Cancel and edits go through a
confirmation page that shows what they would change (console/orders/preview.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.console.orders.forms import AddressForm, CommentForm, ReasonForm, line_quantities
from ordino.console.orders.page import order_page_read
from ordino.console.orders.panels import panels_read
from ordino.console.orders.preview import preview
from ordino.console.pages import console_render, console_view
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import CHANGE, READ
from ordino.core.transactions import savepoint
from ordino.orders.commands import EditOrder
from ordino.orders.domain.edit import EDITABLE
from ordino.orders.models import OrderLine
from ordino.orders.selectors import order_get
from ordino.orders.services import order_cancel, order_comment_add, order_edit

CONFIRM = "console/orders/confirm.html"


# The actions the order page and its panels offer (accounts/roles.py): `may.<action>` there.
PAGE_ACTIONS = ("cancel_orders", "edit_orders", "refund")


def may_act(request: HttpRequest, action: str = "edit_orders") -> bool:
    return may(request.user, action)


@console_view
def order_page(request: HttpRequest, order_id: int) -> HttpResponse:
    if not request.user.has_perm("orders.view_order"):
        raise PermissionDenied
    try:
        page = order_page_read(order_id=order_id, scope=console_principal(request).scope)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    order = page.order
    context = {
        "page": page,
        "order": order,
        "lines": [
            {
                "line": line,
                "live": line.quantity_ordered - line.quantity_cancelled,
                "cancellable": line.quantity_backordered + line.quantity_allocated,
            }
            for line in page.lines
        ],
        "may": {action: may_act(request, action) for action in PAGE_ACTIONS},
        "may_act": may_act(request, "cancel_orders") or may_act(request, "edit_orders"),
        "editable": order.status in EDITABLE,
        "address_form": AddressForm(initial=order.shipping_address or {}),
        "panels": panels_read(request, order),
    }
    return console_render(
        request, "console/orders/order.html", context, title=f"Order {order.external_id}"
    )


def _acting_on(
    request: HttpRequest, order_id: int, reach: str = CHANGE, action: str = "edit_orders"
):
    """The order an action changes: 403 without the action permission, 404 outside the scope
    (the use cases' own reach: a change needs CHANGE, a comment READ)."""
    if not may_act(request, action):
        raise PermissionDenied
    try:
        return order_get(order_id=order_id, scope=console_principal(request).scope, reach=reach)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _back(order_id: int) -> HttpResponse:
    return redirect(reverse("console:order", args=[order_id]))


def _run(request: HttpRequest, order_id: int, done: str, action) -> HttpResponse:
    """Run a use case; a refusal shows its message (the use case changed nothing)."""
    try:
        with savepoint():  # a refusal undoes the use case's partial work, and nothing else
            action()
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return _back(order_id)


@console_view
@require_POST
def order_comment(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _acting_on(request, order_id, READ)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A comment has 1 to 2000 characters.")
        return _back(order.pk)
    actor = console_principal(request).token.name
    scope = console_principal(request).scope
    return _run(
        request,
        order.pk,
        "Comment added.",
        lambda: order_comment_add(
            order_id=order.pk, text=form.cleaned_data["text"], actor=actor, scope=scope
        ),
    )


def _confirm(request, order, *, action: str, title: str, lines: list[str], outcome) -> HttpResponse:
    """The confirmation step: what the action would do, the money difference, and the same
    form again (hidden) with `confirmed`."""
    fields = [
        (k, v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "confirmed")
    ]
    context = {
        "order": order,
        "action_url": reverse(f"console:order_{action}", args=[order.pk]),
        "what": lines,
        "outcome": outcome,
        "fields": fields,
        "destructive": action == "cancel",
    }
    return console_render(request, CONFIRM, context, title=title)


@console_view
@require_POST
def order_cancel_units(request: HttpRequest, order_id: int) -> HttpResponse:
    """Cancel some units of some lines, with a reason, after a confirmation."""
    order = _acting_on(request, order_id, action="cancel_orders")
    lines = list(OrderLine.objects.filter(order_id=order.pk).order_by("line_no"))
    reason = ReasonForm(request.POST)
    try:
        wanted = {no: q for no, q in line_quantities(request.POST, lines, "cancel_").items() if q}
    except ValueError as exc:
        messages.error(request, str(exc))
        return _back(order.pk)
    if not reason.is_valid() or not wanted:
        messages.error(request, "Choose the units to cancel and give a reason.")
        return _back(order.pk)
    principal = console_principal(request)

    def run():
        return order_cancel(
            order_id=order.pk,
            lines=sorted(wanted.items()),
            reason=reason.cleaned_data["reason"],
            actor=principal.token.name,
            scope=principal.scope,
        )

    if request.POST.get("confirmed") != "1":
        by_no = {line.line_no: line for line in lines}
        what = [
            f"Cancel {q} × {by_no[no].name or by_no[no].sku_code} (line {no})"
            for no, q in wanted.items()
        ]
        what.append(f"Reason: {reason.cleaned_data['reason']}")
        return _confirm(
            request, order, action="cancel", title="Cancel units?", lines=what,
            outcome=preview(order, run),
        )  # fmt: skip
    units = sum(wanted.values())
    return _run(request, order.pk, f"Cancelled {units} unit(s).", run)


@console_view
@require_POST
def order_edit_address(request: HttpRequest, order_id: int) -> HttpResponse:
    """Change the shipping address (the edit use case), after a confirmation."""
    order = _acting_on(request, order_id)
    form = AddressForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The address is incomplete: " + _errors(form))
        return _back(order.pk)
    address = form.address()
    command = EditOrder(
        order_id=order.pk,
        expected_version=_version(request, order),
        shipping_address=address,
        reason="shipping address changed in the console",
    )
    what = ["New shipping address:", *[v for v in _address_words(address) if v]]
    return _edit(request, order, command, what, "Shipping address changed.")


@console_view
@require_POST
def order_edit_lines(request: HttpRequest, order_id: int) -> HttpResponse:
    """Change what the customer receives of each line (the edit use case): 0 removes the line."""
    order = _acting_on(request, order_id)
    lines = list(OrderLine.objects.filter(order_id=order.pk).order_by("line_no"))
    try:
        wanted = line_quantities(request.POST, lines, "quantity_")
    except ValueError as exc:
        messages.error(request, str(exc))
        return _back(order.pk)
    live = {line.line_no: line.quantity_ordered - line.quantity_cancelled for line in lines}
    changed = {no: q for no, q in wanted.items() if q != live[no]}
    if not changed:
        messages.error(request, "The quantities are the same as before: nothing to change.")
        return _back(order.pk)
    command = EditOrder(
        order_id=order.pk,
        expected_version=_version(request, order),
        change_lines=tuple((no, q) for no, q in sorted(changed.items()) if q),
        remove_lines=tuple(no for no, q in sorted(changed.items()) if not q),
        reason=request.POST.get("reason", "")[:255] or "quantities changed in the console",
    )
    what = [
        f"Line {no}: {live[no]} → {q}" + (" (removed)" if not q else "")
        for no, q in sorted(changed.items())
    ]
    return _edit(request, order, command, what, "Quantities changed.")


def _edit(request, order, command: EditOrder, what: list[str], done: str) -> HttpResponse:
    principal = console_principal(request)

    def run():
        return order_edit(command=command, actor=principal.token.name, scope=principal.scope)

    if request.POST.get("confirmed") != "1":
        action = "address" if command.shipping_address else "lines"
        return _confirm(
            request, order, action=action, title="Change the order?", lines=what,
            outcome=preview(order, run),
        )  # fmt: skip
    return _run(request, order.pk, done, run)


def _version(request: HttpRequest, order) -> int:
    """The version the agent saw (the confirmation carries it): an order changed meanwhile is
    refused rather than edited blind."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else order.version


def _address_words(address) -> list[str]:
    town = f"{address.postal_code} {address.city}".strip()
    return [address.name, address.company, address.line1, address.line2, town, address.region,
            address.country]  # fmt: skip


def _errors(form) -> str:
    return "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
