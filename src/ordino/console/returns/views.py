"""The returns' console actions, posted from the order page's panel and from the store screen:
each calls the same use case as the API with the user's scope and name, checks the returns'
change permission (403) and scope (404), and goes back with a message; a refusal changes
nothing. The store screen (`console:returns_receive`) lists the open returns to the user's
locations, with a big button per unit and disposition."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view
from ordino.console.returns.panel import VIEW_PERMISSION, may_act
from ordino.console.store.queue import locations_for
from ordino.core.documents import document_response, refusal_text
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint
from ordino.orders.selectors import order_get
from ordino.returns import selectors, services
from ordino.returns.commands import CONSOLE, ReceiveLine, ReceiveReturn, RequestLine, RequestReturn
from ordino.returns.domain import states
from ordino.returns.domain.dispositions import DISPOSITIONS
from ordino.returns.label import LABEL_FORMATS, return_label_document

MAX_UNITS = 100_000
DONE = {"approve": "approved", "decline": "declined", "cancel": "cancelled", "close": "closed"}


def acting_check(request: HttpRequest) -> None:
    if not may_act(request):
        raise PermissionDenied("You may not change returns.")


def step_run(request: HttpRequest, back: str, action: Callable[[], str]) -> HttpResponse:
    """Run a use case; a refusal shows its message (and changes nothing)."""
    try:
        with savepoint():  # a refusal undoes the use case's partial work, and nothing else
            done = action()
    except NotFound as exc:
        if exc.errors:  # a named field (a location, a line): the user's input, not the page
            messages.error(request, exc.message)
        else:
            raise Http404(exc.message) from exc
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect(back)


def _order_page(order_id: int) -> str:
    return reverse("console:order", args=[order_id])


def units_read(request: HttpRequest, name: str) -> int:
    text = request.POST.get(name, "0").strip() or "0"
    try:
        value = int(text)
    except ValueError:
        raise DomainError("quantity_invalid", "Quantities are whole numbers.") from None
    if not 0 <= value <= MAX_UNITS:
        raise DomainError("quantity_invalid", f"Quantities are 0 to {MAX_UNITS}.")
    return value


@console_view
@require_POST
def return_start(request: HttpRequest, order_id: int) -> HttpResponse:
    acting_check(request)
    principal = console_principal(request)
    try:
        order = order_get(order_id=order_id, scope=principal.scope)
    except NotFound as exc:
        raise Http404(exc.message) from exc

    def run() -> str:
        lines = []
        for line, _ in selectors.returnable_lines(order=order):
            quantity = units_read(request, f"quantity_{line.line_no}")
            if quantity:
                lines.append(RequestLine(line.line_no, quantity))
        ret = services.return_request(
            command=RequestReturn(
                order_id=order.pk, lines=tuple(lines), reason=request.POST.get("reason", ""),
                location_code=request.POST.get("location", ""), actor=principal.token.name,
                created_via=CONSOLE, customer_note=request.POST.get("note", "")[:500],
            ),
            scope=principal.scope,
        )  # fmt: skip
        return f"Return {ret.number} requested."

    return step_run(request, _order_page(order.pk), run)


def _reached(request: HttpRequest, return_id: int):
    try:
        return selectors.return_get(return_id=return_id, scope=console_principal(request).scope)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _back(request: HttpRequest, ret) -> str:
    """Back where the form was: the store screen when posted from it, else the order page."""
    if request.POST.get("from") == "store":
        return reverse("console:returns_receive_one", args=[ret.pk])
    return _order_page(ret.order_id)


@console_view
@require_POST
def return_step(request: HttpRequest, return_id: int, step: str) -> HttpResponse:
    """approve | decline | cancel | close, from the order page."""
    acting_check(request)
    ret = _reached(request, return_id)
    principal = console_principal(request)
    common = {"return_id": ret.pk, "actor": principal.token.name, "scope": principal.scope}
    reason = request.POST.get("reason", "")
    runs: dict[str, Callable[[], object]] = {
        "approve": lambda: services.return_approve(
            **common, tracking_number=request.POST.get("tracking_number", "")[:128]
        ),
        "decline": lambda: services.return_decline(**common, reason=reason),
        "cancel": lambda: services.return_cancel(**common, reason=reason),
        "close": lambda: services.return_close(**common),
    }
    if step not in runs:
        raise Http404("No such step.")

    def run() -> str:
        runs[step]()
        return f"Return {ret.number} {DONE[step]}."

    return step_run(request, _back(request, ret), run)


@console_view
@require_POST
def return_receive(request: HttpRequest, return_id: int) -> HttpResponse:
    """Dispositions per line (`<disposition>_<line_no>` counts), or one unit (`unit` =
    `<line_no>:<disposition>`, the store screen's big buttons)."""
    acting_check(request)
    ret = _reached(request, return_id)
    principal = console_principal(request)

    def run() -> str:
        lines = _received(request, ret)
        services.return_receive(
            command=ReceiveReturn(return_id=ret.pk, lines=lines, actor=principal.token.name),
            scope=principal.scope,
        )
        units = sum(x.restock + x.damaged + x.needs_processing + x.missing for x in lines)
        return f"Return {ret.number}: {units} unit(s) received."

    return step_run(request, _back(request, ret), run)


def _received(request: HttpRequest, ret) -> tuple[ReceiveLine, ...]:
    unit = request.POST.get("unit", "")
    if unit:
        line_no, _, disposition = unit.partition(":")
        if not line_no.isdigit() or disposition not in DISPOSITIONS:
            raise DomainError("disposition_invalid", "Not a disposition.")
        return (ReceiveLine(int(line_no), **{disposition: 1}),)
    lines = []
    for line in selectors.returns_serialize([ret])[0]["lines"]:
        counts = {d: units_read(request, f"{d}_{line['line_no']}") for d in DISPOSITIONS}
        if any(counts.values()):
            lines.append(ReceiveLine(line["line_no"], **counts))
    return tuple(lines)


def _may_see(request: HttpRequest) -> None:
    if not (request.user.has_perm(VIEW_PERMISSION) or may_act(request)):
        raise PermissionDenied("You may not see returns.")


@console_view
def returns_receive(request: HttpRequest) -> HttpResponse:
    """The store screen: open returns to the user's locations, newest last."""
    _may_see(request)
    scope = console_principal(request).scope
    locations = locations_for(scope)
    open_returns = selectors.return_list(
        scope=scope, state=states.OPEN, location_ids=[loc.pk for loc in locations]
    )
    context = {"returns": selectors.returns_serialize(list(open_returns[:200]))}
    return console_render(request, "console/returns/receive.html", context, title="Returns")


@console_view
def returns_receive_one(request: HttpRequest, return_id: int) -> HttpResponse:
    _may_see(request)
    ret = _reached(request, return_id)
    (body,) = selectors.returns_serialize([ret])
    context = {
        "ret": body,
        "outstanding": [line for line in body["lines"] if line["received"] < line["quantity"]],
        "may_act": may_act(request) and ret.state == states.OPEN,
        # store staff often may not open orders: no link that answers 403
        "may_see_order": request.user.has_perm("orders.view_order"),
        "buttons": [(d, d.replace("_", " ").capitalize()) for d in DISPOSITIONS],
    }
    return console_render(
        request, "console/returns/receive_one.html", context, title=f"Return {ret.number}"
    )


@console_view
def return_label_view(request: HttpRequest, return_id: int) -> HttpResponse:
    """`?format=pdf|zpl`: an open return's label if the user sees the return (404 else, 403
    without the returns' view permission); a return that is not open answers 409 saying why."""
    if not (request.user.has_perm(VIEW_PERMISSION) or may_act(request)):
        raise PermissionDenied("You may not see returns.")
    fmt = request.GET.get("format", "pdf")
    if fmt not in LABEL_FORMATS:
        raise Http404("No such label format.")
    scope = console_principal(request).scope
    try:
        document, media_type = return_label_document(return_id=return_id, fmt=fmt, scope=scope)
    except NotFound:
        raise Http404("No such return.") from None
    except DomainError as refused:
        return refusal_text(refused, 409)
    return document_response(document, media_type, f"return-{return_id}-label.{fmt}")
