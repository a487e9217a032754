"""The steps store staff take on a fulfillment order, each a call of the same use case the API
calls (fulfillment/services), with the console user's scope and name. A step reads its form,
calls the use case, and answers the message to show; a refusal raises `DomainError`, and the
use case changed nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms

from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import HAND_OVER, WORK, FulfillmentFacts, Scope
from ordino.core.principal import Principal
from ordino.fulfillment import services
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentOrder

REASON_WORDS = {
    "not_found": "Not found on the shelf",
    "damaged": "Damaged",
    "no_capacity": "No capacity today",
    "other": "Other",
}
SHIPPABLE = frozenset({fs.OPEN, fs.ACCEPTED, fs.PICKING, fs.PACKED})
PICKUP_METHODS = frozenset({"pickup", "ship_to_store"})


class ShipForm(forms.Form):
    carrier = forms.CharField(max_length=64)
    service = forms.CharField(max_length=64, required=False)
    tracking_numbers = forms.CharField(
        max_length=1000, help_text="One or more, separated by commas or spaces."
    )

    def tracking(self) -> list[str]:
        raw = self.cleaned_data["tracking_numbers"].replace(",", " ").split()
        return [t for t in raw if t]


class RejectForm(forms.Form):
    reason = forms.ChoiceField(choices=[(r, REASON_WORDS[r]) for r in services.REJECT_REASONS])
    note = forms.CharField(max_length=255, required=False)


class HoldForm(forms.Form):
    reason = forms.CharField(max_length=255)


class HandoverForm(forms.Form):
    pickup_code = forms.CharField(max_length=16)


def line_quantities(post, fo_lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(line number, quantity) pairs from the `qty-<line no>` inputs, for lines given more than
    zero; only lines of this fulfillment order are read."""
    chosen = []
    for line_no, _open in fo_lines:
        raw = (post.get(f"qty-{line_no}") or "0").strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
            raise DomainError(
                "invalid_quantity", f"Line {line_no}: give a whole number of items.", status=422
            )
        if int(raw) > 0:
            chosen.append((line_no, int(raw)))
    if not chosen:
        raise DomainError("nothing_chosen", "Choose at least one item.", status=422)
    return chosen


def form_valid(form: forms.Form) -> forms.Form:
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        raise DomainError("invalid_form", f"Check the form — {problems}", status=422)
    return form


@dataclass(frozen=True)
class StepContext:
    fo: FulfillmentOrder
    lines: list[tuple[int, int]]  # (line number, open items)
    principal: Principal
    post: object

    @property
    def who(self) -> dict:
        return {
            "fo_id": self.fo.pk,
            "actor": self.principal.token.name,
            "scope": self.principal.scope,
        }


def step_accept(ctx: StepContext) -> str:
    services.fulfillment_accept(**ctx.who)
    return "Accepted. Pick the items next."


def step_pick(ctx: StepContext) -> str:
    services.fulfillment_pick_start(**ctx.who)
    return "Picking started."


def step_pack(ctx: StepContext) -> str:
    services.fulfillment_pack(**ctx.who)
    return "Packed."


def step_hold(ctx: StepContext) -> str:
    form = form_valid(HoldForm(ctx.post))
    services.fulfillment_hold(reason=form.cleaned_data["reason"], **ctx.who)
    return "Put on hold."


def step_release(ctx: StepContext) -> str:
    services.fulfillment_release(**ctx.who)
    return "Released back to the queue."


def step_ship(ctx: StepContext) -> str:
    form = form_valid(ShipForm(ctx.post))
    lines = line_quantities(ctx.post, ctx.lines)
    shipment = services.fulfillment_ship(
        carrier=form.cleaned_data["carrier"],
        service=form.cleaned_data["service"],
        tracking_numbers=form.tracking(),
        lines=lines,
        **ctx.who,
    )
    units = sum(q for _, q in lines)
    return (
        f"Shipped {units} item(s) with {shipment.carrier} {', '.join(shipment.tracking_numbers)}."
    )


def step_reject(ctx: StepContext) -> str:
    form = form_valid(RejectForm(ctx.post))
    lines = line_quantities(ctx.post, ctx.lines)
    outcome = services.fulfillment_reject(
        reason=form.cleaned_data["reason"], note=form.cleaned_data["note"], lines=lines, **ctx.who
    )
    where = ", ".join(r["location"] for r in outcome["rerouted_to"])
    units = sum(q for _, q in lines)
    return f"Rejected {units} item(s); " + (f"sent to {where}." if where else "backordered.")


def step_ready(ctx: StepContext) -> str:
    fo = services.fulfillment_ready_for_pickup(**ctx.who)
    return (
        f"Ready for pickup until {fo.pickup_deadline:%d %b}. The customer's code: {fo.pickup_code}."
    )


def step_handover(ctx: StepContext) -> str:
    form = form_valid(HandoverForm(ctx.post))
    services.fulfillment_picked_up(pickup_code=form.cleaned_data["pickup_code"], **ctx.who)
    return "Handed over. The order is collected."


STEPS: dict[str, Callable[[StepContext], str]] = {
    "accept": step_accept,
    "pick": step_pick,
    "pack": step_pack,
    "hold": step_hold,
    "release": step_release,
    "ship": step_ship,
    "reject": step_reject,
    "ready": step_ready,
    "handover": step_handover,
}


HANDED_OVER = frozenset({"ready", "handover"})


def steps_offered(fo: FulfillmentOrder, scope: Scope) -> set[str]:
    """Which buttons the screen shows: the steps the fulfillment order's status allows and the
    user reaches (working it at its location; handing it over at the pickup store). The use
    case still decides; this only keeps buttons that cannot work off the screen."""
    facts = FulfillmentFacts(
        channel_id=fo.order.channel_id,
        location_id=fo.location_id,
        pickup_location_id=fo.order.pickup_location_id,
    )
    offered = _by_status(fo)
    if not scope.reaches_fulfillment(facts, WORK):
        offered -= offered - HANDED_OVER
    if not scope.reaches_fulfillment(facts, HAND_OVER):
        offered -= HANDED_OVER
    return offered


def _by_status(fo: FulfillmentOrder) -> set[str]:
    status, method = fo.status, fo.delivery_method
    offered = set()
    if status == fs.OPEN:
        offered |= {"accept", "hold"}
    if status == fs.ACCEPTED:
        offered |= {"pick", "hold"}
    if status == fs.PICKING:
        offered.add("pack")
    if status == fs.ON_HOLD:
        offered.add("release")
    if status in SHIPPABLE:
        offered.add("reject")
        at_counter = method == "pickup" or fo.location_id == fo.order.pickup_location_id
        offered.add("ready" if method in PICKUP_METHODS and at_counter else "ship")
    if status == fs.SHIPPED and method == "ship_to_store":
        offered.add("ready")
    if status == fs.READY_FOR_PICKUP:
        offered.add("handover")
    return offered
