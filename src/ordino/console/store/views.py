"""The store screen (console:store) and a fulfillment order's screen (console:store_fo): a
phone-first queue of the user's location, and big buttons for each step. docs/console/store.md"""

from __future__ import annotations

from contextlib import nullcontext

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view
from ordino.console.store import queue, steps
from ordino.console.store.shipping_steps import (
    CARRIER_STEPS,
    POLICY_WORDS,
    SHIPPING_STEPS,
    labels_shown,
    packing_proposed,
    rated_parcels_text,
    rating_shown,
)
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import Scope
from ordino.core.transactions import savepoint
from ordino.fulfillment import services
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentOrder, Shipment
from ordino.fulfillment.selectors import fulfillment_scope_q
from ordino.locations.models import Location
from ordino.orders.selectors import order_timeline
from ordino.shipping.documents.selectors import manifest_carriers

VIEW_PERMISSION = "fulfillment.view_fulfillmentorder"


def may_act(request: HttpRequest) -> bool:
    """Store steps need the action permission `fulfil` (accounts/roles.py)."""
    return may(request.user, "fulfil")


def may_see(request: HttpRequest) -> None:
    """Reading the store's work needs fulfillment's view (or change) permission: 403 else."""
    if not (request.user.has_perm(VIEW_PERMISSION) or may_act(request)):
        raise PermissionDenied("You may not see fulfillment orders.")


def chosen_location(request: HttpRequest, scope: Scope) -> tuple[Location | None, list]:
    """The location asked for (`?location=CODE`) among the user's, else their first."""
    choices = queue.locations_for(scope)
    code = request.GET.get("location", "")
    chosen = next((loc for loc in choices if loc.code == code), None)
    if code and chosen is None:
        raise Http404("No such location for you.")
    return chosen or (choices[0] if choices else None), choices


@console_view
def store_queue(request: HttpRequest) -> HttpResponse:
    may_see(request)
    scope = console_principal(request).scope
    location, choices = chosen_location(request, scope)
    context = {"location": location, "choices": choices, "tab": None, "cards": [], "tabs": []}
    if location is not None:
        tabs = {t.key: t for t in queue.tabs_for(location)}
        tab = tabs.get(request.GET.get("tab", ""), tabs["accept"])
        counts = queue.tab_counts(scope, location)
        context["tab"] = tab
        context["tabs"] = [(t, counts[t.key]) for t in tabs.values()]
        context["cards"] = queue.cards(scope, location, tab)
        if tab.key == "done":  # the day's manifests, one per carrier (one query more)
            context["today"] = utcnow().date().isoformat()
            context["manifests"] = manifest_carriers(
                location_id=location.pk, day=utcnow().date(), scope=scope
            )
    title = f"Store · {location.name}" if location else "Store"
    return console_render(request, "console/store/queue.html", context, title=title)


def fo_reached(request: HttpRequest, fo_id: int) -> FulfillmentOrder:
    """The fulfillment order if the user sees it (works or hands it over); else 404."""
    may_see(request)
    fo = (
        FulfillmentOrder.objects.filter(fulfillment_scope_q(console_principal(request).scope))
        .select_related("order__customer", "order__pickup_location", "location")
        .filter(pk=fo_id)
        .first()
    )
    if fo is None:
        raise Http404("No such fulfillment order.")
    return fo


@console_view
def store_fo(request: HttpRequest, fo_id: int) -> HttpResponse:
    fo = fo_reached(request, fo_id)
    (card,) = queue.cards_of([fo])
    scope = console_principal(request).scope
    offered = steps.steps_offered(fo, scope) if may_act(request) else set()
    context = {
        "card": card,
        "fo": fo,
        "offered": offered,
        "shipments": Shipment.objects.filter(fulfillment_order=fo).order_by("id"),
        "reasons": [(r, steps.REASON_WORDS[r]) for r in services.REJECT_REASONS],
        "back": reverse("console:store") + f"?location={fo.location.code}",
        "hold_reason": _hold_reason(fo),
        "rating": rating_shown(fo.pk, scope) if "ship" in offered else None,
        "policies": list(POLICY_WORDS.items()),
    }
    context["labels"] = labels_shown(context["rating"], fo.pk, scope)
    context["rated_parcels"] = rated_parcels_text(context["rating"])
    if "ship" in offered and context["rating"] is None:  # boxes proposed, the clerk may change
        context["packing"] = packing_proposed(fo.pk, scope)
    title = f"Order {fo.order.external_id}"
    return console_render(request, "console/store/fo.html", context, title=title)


@require_POST
@console_view
def store_fo_step(request: HttpRequest, fo_id: int, step: str) -> HttpResponse:
    """One step, posted from the fulfillment order's screen: 404 outside the user's scope, 403
    without the permission; a refusal is shown and changes nothing."""
    run = steps.STEPS.get(step) or SHIPPING_STEPS.get(step)
    if run is None:
        raise Http404("No such step.")
    fo = fo_reached(request, fo_id)
    if not may_act(request):
        raise PermissionDenied("You may not change fulfillment orders.")
    items = queue.items_of([fo.pk])[fo.pk]
    ctx = steps.StepContext(
        fo=fo,
        lines=[(item.line_no, item.open) for item in items],
        principal=console_principal(request),
        post=request.POST,
    )
    try:
        with nullcontext() if step in CARRIER_STEPS else savepoint():
            message = run(ctx)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message + _details(exc))
    else:
        messages.success(request, message)
    return redirect("console:store_fo", fo_id=fo.pk)


def _details(exc: DomainError) -> str:
    said = [e["message"] for e in exc.errors if e.get("message") and e["message"] != exc.message]
    return (" " + " ".join(said)) if said else ""


def _hold_reason(fo: FulfillmentOrder) -> str:
    """Why the work waits ("Put on hold at STORE-1: payment declined."): the hold's note is on
    the order's timeline (fulfillment/services/progress.py), the only place it is kept."""
    if fo.status != fs.ON_HOLD:
        return ""
    holds = [
        entry["message"]
        for entry in order_timeline(order_id=fo.order_id)
        if entry["kind"] == "fulfillment_on_hold"
        and (entry["data"] or {}).get("fulfillment_order_id") == fo.pk
    ]
    return holds[-1] if holds else ""
