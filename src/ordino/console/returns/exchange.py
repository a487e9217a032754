"""The order page's "Exchange" action (the returns panel's form): units to return, one new item,
reason and receiving location. First a confirmation page with the exchange's preview — the
difference with its tax, where the new item would be reserved, the money to move — then the same
form again with `confirmed` makes it (docs/returns.md, "Exchanges"; docs/console.md)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view
from ordino.console.returns.views import acting_check, step_run, units_read
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import CHANGE
from ordino.core.transactions import savepoint
from ordino.orders.commands import LineItem
from ordino.orders.selectors import order_get
from ordino.returns import selectors, services
from ordino.returns.commands import CONSOLE, CreateExchange, RequestLine

CONFIRM = "console/returns/exchange_confirm.html"
MAX_PRICE = Decimal("999999999999.999")


@console_view
@require_POST
def exchange_start(request: HttpRequest, order_id: int) -> HttpResponse:
    acting_check(request)
    principal = console_principal(request)
    try:
        order = order_get(order_id=order_id, scope=principal.scope, reach=CHANGE)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    back = reverse("console:order", args=[order.pk])
    try:
        command = _command(request, order, principal.token.name)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect(back)
    if request.POST.get("confirmed") != "1":
        return _confirm(request, order, command, principal.scope)

    def run() -> str:
        ret = services.exchange_create(command=command, scope=principal.scope)
        return f"Exchange {ret.number} made."

    return step_run(request, back, run)


def _command(request: HttpRequest, order, actor: str) -> CreateExchange:
    """The form as the use case's command; malformed numbers are refused here."""
    lines = []
    for line, _ in selectors.returnable_lines(order=order):
        quantity = units_read(request, f"quantity_{line.line_no}")
        if quantity:
            lines.append(RequestLine(line.line_no, quantity))
    if not lines:
        raise DomainError("exchange_empty", "Choose the units to return.")
    try:
        price = Decimal(request.POST.get("new_price", "").strip())
    except InvalidOperation:
        raise DomainError("price_invalid", "The new item's price is a number.") from None
    if not price.is_finite() or not 0 <= price <= MAX_PRICE:
        raise DomainError("price_invalid", f"The new item's price is 0 to {MAX_PRICE}.")
    quantity = units_read(request, "new_quantity")
    sku = request.POST.get("new_sku", "").strip()[:64]
    if not sku or not quantity:
        raise DomainError("exchange_empty", "Name the new item and how many.")
    return CreateExchange(
        order_id=order.pk,
        lines=tuple(lines),
        new_lines=(LineItem(sku=sku, quantity=quantity, unit_price=price),),
        reason=request.POST.get("reason", ""),
        location_code=request.POST.get("location", "")[:64],
        actor=actor,
        refund_now=request.POST.get("refund_now") == "1",
        expected_version=_version(request, order),
        created_via=CONSOLE,
        note=request.POST.get("note", "")[:500],
    )


def _version(request: HttpRequest, order) -> int:
    """The version the agent saw: an order changed since the preview is refused (409)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else order.version


def _confirm(request: HttpRequest, order, command: CreateExchange, scope) -> HttpResponse:
    refused, outcome = "", None
    try:
        with savepoint():  # the preview's own savepoint is inside; a refusal undoes nothing else
            outcome = services.exchange_preview(command=command, scope=scope)
    except DomainError as exc:
        refused = exc.message
    fields = [
        (k, v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "confirmed")
    ]
    if "version" not in request.POST:
        fields.append(("version", str(order.version)))
    context = {
        "order": order,
        "x": outcome,
        "refused": refused,
        "fields": fields,
        "action_url": reverse("console:exchange_start", args=[order.pk]),
    }
    return console_render(request, CONFIRM, context, title="Make this exchange?")
