"""The customer's return page, `/returns/start/<signed token>/`: no login, the signed link is
the key (returns/services/link.py). It shows the order's returnable lines and asks the same
`return_request` as the API and the console, and links each open return's label (a PDF to
print, `/returns/start/<token>/label/<return id>/`); a tampered or expired link is 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from ordino.core.documents import document_response, refusal_text
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint
from ordino.orders.selectors import order_get
from ordino.returns import selectors, services
from ordino.returns.commands import CUSTOMER, RequestLine, RequestReturn
from ordino.returns.domain.eligibility import REASONS
from ordino.returns.label import return_label_document

MAX_UNITS_SHOWN = 50  # a select offers at most this many units per line


@csrf_protect
@require_http_methods(["GET", "POST"])
def return_start(request: HttpRequest, token: str) -> HttpResponse:
    try:
        order = order_get(order_id=services.return_link_order(token))
    except NotFound:
        raise Http404("No such return link.") from None
    context: dict = {"errors": [], "created": None}
    if request.method == "POST":
        try:
            with savepoint():  # a refusal undoes the use case's partial work, and nothing else
                context["created"] = services.return_request(command=_command(request, order))
        except DomainError as exc:
            context["errors"] = [e["message"] for e in exc.errors] or [exc.message]
    status = 422 if context["errors"] else 200
    page = _page(order, token)
    return render(request, "returns/start.html", {**context, **page}, status=status)


@require_http_methods(["GET"])
def return_label_customer(request: HttpRequest, token: str, return_id: int) -> HttpResponse:
    """The label of one of the link's order's returns, as a PDF, once it is open (approved);
    another order's return, or a tampered or expired link, is 404; a return not open 409."""
    try:
        order_id = services.return_link_order(token)
        if selectors.return_get(return_id=return_id).order_id != order_id:
            raise Http404("No such return.")
        document, media_type = return_label_document(return_id=return_id)
    except NotFound:
        raise Http404("No such return.") from None
    except DomainError as refused:
        return refusal_text(refused, 409)
    return document_response(document, media_type, f"return-label-{return_id}.pdf")


def _command(request: HttpRequest, order) -> RequestReturn:
    reason = request.POST.get("reason", "")
    lines = []
    for line, _ in selectors.returnable_lines(order=order):
        quantity = _int(request.POST.get(f"quantity_{line.line_no}", "0"))
        if quantity:
            lines.append(RequestLine(line.line_no, quantity))
    return RequestReturn(
        order_id=order.pk,
        lines=tuple(lines),
        reason=reason,
        location_code=selectors.customer_return_location(order_id=order.pk),
        actor="customer",
        created_via=CUSTOMER,
        customer_note=request.POST.get("note", "")[:500],
    )


def _int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise DomainError(
            "quantity_invalid", "Choose a number of items.", field="quantity"
        ) from None
    if not 0 <= value <= 10_000:
        raise DomainError("quantity_invalid", "Choose a number of items.", field="quantity")
    return value


def _page(order, token: str) -> dict:
    lines = [
        {"line": line, "returnable": facts.returnable,
         "choices": range(0, min(facts.returnable, MAX_UNITS_SHOWN) + 1)}
        for line, facts in selectors.returnable_lines(order=order)
    ]  # fmt: skip
    returns = selectors.returns_serialize(list(selectors.return_list(order_id=order.pk)))
    return {
        "order": order,
        "lines": lines,
        "any_returnable": any(x["returnable"] for x in lines),
        "reasons": [(r, r.replace("_", " ").capitalize()) for r in REASONS],
        "returns": returns,
        "token": token,
    }
