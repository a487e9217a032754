"""The console's inbox (docs/cases.md, "The inbox"): my cases, my team's, the unassigned ones
and all, overdue first; a case's page with its links, activity, and its type's one-click
resolutions. Every button calls the same use case as the API with the user's scope and name
(outside the scope: 404), checks the `work_cases` action (403), and goes back with a message; a
refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.cases import selectors, services
from ordino.cases.domain.types import RESOLUTIONS
from ordino.console.pages import console_render, console_view
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint
from ordino.holds.selectors import hold_release_need
from ordino.orders.selectors import order_get, order_list

VIEWS = {"mine": "My cases", "team": "My team's", "unassigned": "Unassigned", "all": "All"}
LABELS = {
    "retry_payment": "Retry payment", "reroute": "Re-route", "cancel_line": "Cancel the units",
    "release_hold": "Release the hold", "cancel_order": "Cancel the order",
    "contact_customer": "Contact the customer",
    "approve": "Approve", "reject": "Reject (cancel the order)",
    "resolve": "Resolve", "void": "Void",
}  # fmt: skip


def _may_view(request: HttpRequest) -> None:
    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied("You may not see cases.")


def _may_act(request: HttpRequest) -> None:
    if not may(request.user, "work_cases"):
        raise PermissionDenied("You may not work cases.")


def _actor(request: HttpRequest) -> str:
    return f"user:{request.user.get_username()}"


@console_view
def inbox(request: HttpRequest) -> HttpResponse:
    _may_view(request)
    view = request.GET.get("view", "mine")
    if view not in VIEWS:
        view = "mine"
    cases = selectors.case_inbox(
        scope=console_principal(request).scope, view=view, user_id=request.user.pk
    )
    now = utcnow()
    rows = [selectors.case_serialize(c, now=now) for c in cases]
    context = {"rows": rows, "view": view, "views": VIEWS}
    return console_render(request, "console/cases/inbox.html", context, title="Inbox")


@console_view
@require_POST
def inquiry_new(request: HttpRequest) -> HttpResponse:
    """An agent opens a customer's inquiry, about an order named by its number (or id)."""
    _may_act(request)
    scope = console_principal(request).scope
    title = request.POST.get("title", "").strip()[:200]
    number = request.POST.get("order", "").strip()[:128]
    try:
        if not title:
            raise DomainError("title_missing", "Say what the customer asks.")
        order = _order_named(number, scope) if number else None
        with savepoint():
            case = services.inquiry_open(
                title=title, description=request.POST.get("description", "")[:5000],
                actor=_actor(request), order_id=order.pk if order else None,
                customer_id=order.customer_id if order else None, scope=scope,
            )  # fmt: skip
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect(reverse("console:cases_inbox"))
    messages.success(request, f"Case {case.pk} opened.")
    return redirect(reverse("console:case", args=[case.pk]))


def _order_named(number: str, scope):
    """The one order with this number in the agent's reach (else its id); none: 404's words."""
    found = list(order_list(scope=scope, external_id=number)[:2])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise DomainError(
            "order_ambiguous", f"Several orders are numbered {number!r}: give the id."
        )
    if number.isdigit():
        return order_get(order_id=int(number), scope=scope)
    raise NotFound("order", number)


@console_view
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    _may_view(request)
    try:
        case = selectors.case_get(case_id=case_id, scope=console_principal(request).scope)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    body = selectors.case_serialize(case, now=utcnow(), activities=True)
    buttons = [(r, LABELS[r]) for r in body["resolutions"] if _offers(request, case, r)]
    context = {"case": body, "buttons": buttons, "may_act": may(request.user, "work_cases")}
    return console_render(request, "console/cases/case.html", context, title=f"Case {case.pk}")


def _offers(request: HttpRequest, case, resolution: str) -> bool:
    """Release the hold: offered to a user holding the permission the hold asks."""
    if resolution != "release_hold":
        return True
    need = hold_release_need(hold_id=case.data["hold_id"])
    return need is not None and may(request.user, need.permission)


def _step(request: HttpRequest, case_id: int, action: Callable[[], str]) -> HttpResponse:
    _may_act(request)
    try:
        with savepoint():  # a refusal undoes the use case's partial work, and nothing else
            done = action()
    except NotFound as exc:
        if exc.errors:
            messages.error(request, exc.message)
        else:
            raise Http404(exc.message) from exc
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect(reverse("console:case", args=[case_id]))


@console_view
@require_POST
def case_take(request: HttpRequest, case_id: int) -> HttpResponse:
    def take() -> str:
        services.case_take(case_id=case_id, user=request.user, actor=_actor(request),
                           scope=console_principal(request).scope)  # fmt: skip
        return "The case is yours."

    return _step(request, case_id, take)


@console_view
@require_POST
def case_resolve(request: HttpRequest, case_id: int) -> HttpResponse:
    resolution = request.POST.get("resolution", "")
    note = request.POST.get("note", "")[:2000]

    def resolve() -> str:
        if resolution not in RESOLUTIONS:
            raise DomainError("resolution_invalid", "Choose one of the case's resolutions.")
        case = services.case_resolve(
            case_id=case_id, resolution=resolution, note=note, actor=_actor(request),
            scope=console_principal(request).scope,
            permitted=lambda need: may(request.user, need.permission),
        )  # fmt: skip
        return f"{LABELS[resolution]}: done; the case is {case.status}."

    return _step(request, case_id, resolve)


@console_view
@require_POST
def case_comment(request: HttpRequest, case_id: int) -> HttpResponse:
    def comment() -> str:
        text = request.POST.get("text", "")[:2000]
        scope = console_principal(request).scope
        services.case_comment(case_id=case_id, text=text, actor=_actor(request), scope=scope)
        return "Comment added."

    return _step(request, case_id, comment)


@console_view
@require_POST
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    def status() -> str:
        case = services.case_status_set(
            case_id=case_id, status=request.POST.get("status", ""), actor=_actor(request),
            note=request.POST.get("note", "")[:500], scope=console_principal(request).scope,
        )  # fmt: skip
        return f"The case is {case.status}."

    return _step(request, case_id, status)
