"""Rate shopping on the store screen (docs/console/store.md, "Rate and ship"): the parcels
packed are rated and the policy's choice shown with why; "Ship with …" ships every open item
with the chosen service, one tracking number per parcel; a live rate's labels are bought
("Buy labels"), printed and shipped — the same use cases as `POST
/fulfillment/orders/{id}/rates`, `.../ship-rated`, `.../labels/buy-chosen` and
`.../ship-labels`, with the user's scope and name."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from ordino.console.store.steps import StepContext, form_valid
from ordino.core.domain.errors import DomainError
from ordino.shipping.buy_chosen import labels_buy_chosen
from ordino.shipping.domain.weights import Parcel, parcel_parse, parcel_text
from ordino.shipping.models import FulfillmentRating
from ordino.shipping.purchases import purchases_of
from ordino.shipping.rating import (
    MEASURES,
    RateRequest,
    fulfillment_rate,
    fulfillment_rating_latest,
    live_choice,
    parcel_contents,
)
from ordino.shipping.selectors import fulfillment_packing_propose
from ordino.shipping.ship import fulfillment_ship_purchased, fulfillment_ship_rated

POLICY_WORDS = {
    "cheapest": "Cheapest",
    "fastest": "Fastest",
    "best_value": "Best value",
    "cheapest_on_time": "Cheapest on time",
}


class RateForm(forms.Form):
    parcels = forms.CharField(
        max_length=20000,
        help_text="One parcel per line: LxWxH@KG in cm and kg, e.g. 30x20x10@1.2, then what it "
        "holds, e.g. 30x20x10@1.2: TEE*2, MUG",
    )
    policy = forms.ChoiceField(choices=[("", "The channel's policy"), *POLICY_WORDS.items()],
                               required=False)  # fmt: skip
    promised = forms.DateField(required=False)


class ShipRatedForm(forms.Form):
    tracking_numbers = forms.CharField(max_length=2000)

    def tracking(self) -> list[str]:
        return [t for t in self.cleaned_data["tracking_numbers"].replace(",", " ").split() if t]


def step_rate(ctx: StepContext) -> str:
    form = form_valid(RateForm(ctx.post))
    lines = [line for line in form.cleaned_data["parcels"].splitlines() if line.strip()]
    if not 1 <= len(lines) <= 50:
        raise DomainError("invalid_parcels", "Give 1 to 50 parcels, one per line.", status=422)
    command = RateRequest(
        fo_id=ctx.fo.pk,
        parcels=[parcel_parse(line) for line in lines],
        policy=form.cleaned_data["policy"] or None,
        promised=form.cleaned_data["promised"],
    )
    rating = fulfillment_rate(
        command=command, actor=ctx.principal.token.name, scope=ctx.principal.scope
    )
    if not rating.service:
        return f"No service carries these parcels: {rating.why}."
    return f"{rating.service_name}: {rating.total} {rating.currency}, delivery {rating.delivery}."


def step_ship_rated(ctx: StepContext) -> str:
    form = form_valid(ShipRatedForm(ctx.post))
    cost = fulfillment_ship_rated(
        fo_id=ctx.fo.pk,
        tracking_numbers=form.tracking(),
        actor=ctx.principal.token.name,
        scope=ctx.principal.scope,
    )
    return (
        f"Shipped with {cost.service_name}, {cost.parcels} parcel(s), "
        f"{cost.amount} {cost.currency}."
    )


def step_buy_labels(ctx: StepContext) -> str:
    bought = labels_buy_chosen(
        fo_id=ctx.fo.pk, actor=ctx.principal.token.name, scope=ctx.principal.scope
    )
    return f"{len(bought)} label(s) bought: print them, then ship."


def step_ship_labels(ctx: StepContext) -> str:
    cost = fulfillment_ship_purchased(
        fo_id=ctx.fo.pk, actor=ctx.principal.token.name, scope=ctx.principal.scope
    )
    return (
        f"Shipped with {cost.service_name}, {cost.parcels} parcel(s), "
        f"{cost.amount} {cost.currency}."
    )


SHIPPING_STEPS = {
    "rate": step_rate,
    "ship-rated": step_ship_rated,
    "buy-labels": step_buy_labels,
    "ship-labels": step_ship_labels,
}
# Steps that call a carrier: run outside any transaction, each use case keeping its own, so a
# label bought is never forgotten by a rollback (docs/shipping.md, "Label purchase").
CARRIER_STEPS = frozenset({"rate", "buy-labels"})


def packing_proposed(fo_id: int, scope) -> dict | None:
    """Before the first rating: the boxes packing proposes for the open items, as the parcels'
    lines the clerk may change before rating (docs/shipping.md, "Parcels and packing"). None
    when nothing can be proposed (no box types, an item not measured): the clerk types them."""
    try:
        proposal = fulfillment_packing_propose(fo_id=fo_id, scope=scope)
    except DomainError:
        return None
    if not proposal["parcels"]:
        return None
    lines = [
        parcel_text(
            Parcel(
                *(Decimal(p["parcel"][k]) for k in MEASURES),
                contents=tuple((item["sku"], item["quantity"]) for item in p["items"]),
            )
        )
        for p in proposal["parcels"]
    ]
    return {"lines": "\n".join(lines), "why": proposal["why"]}


def rated_parcels_text(rating: FulfillmentRating | None) -> str:
    """The rating's parcels as the clerk typed them (with what each holds, when said), to
    rate again."""
    if rating is None:
        return ""
    return "\n".join(
        parcel_text(Parcel(*(Decimal(m[k]) for k in MEASURES), contents=parcel_contents(m)))
        for m in rating.parcels
    )


def labels_shown(rating: FulfillmentRating | None, fo_id: int, scope) -> dict | None:
    """When the rating chose a live rate: its parcels' labels so far and how many are still to
    buy, for the screen's "Buy labels" step (None otherwise: tracking numbers are typed)."""
    if live_choice(rating) is None:
        return None
    purchases = [p for p in purchases_of(fo_id=fo_id, scope=scope) if p.status != "voided"]
    bought = sum(1 for p in purchases if p.status == "bought")
    return {"purchases": purchases, "missing": max(0, len(rating.parcels) - bought)}


def rating_shown(fo_id: int, scope) -> FulfillmentRating | None:
    """The latest rating of the fulfillment order, for its screen (None before the first)."""
    try:
        return fulfillment_rating_latest(fo_id=fo_id, scope=scope)
    except DomainError:
        return None
