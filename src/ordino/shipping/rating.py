"""A fulfillment order rated: its parcels quoted by every service to the order's shipping
address, the policy's choice stored with its runners-up and the services left out, each with
why, and a line on the order's timeline (docs/shipping.md, "Rating a fulfillment order").
Live carrier accounts are asked before anything is written: no transaction is held meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, WORK, Scope
from ordino.core.transactions import use_case_atomic
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.selectors import fulfillment_get
from ordino.shipping import ports
from ordino.shipping.channel_policies import DEFAULT, channel_policy_of
from ordino.shipping.customs import parcels_contents_check
from ordino.shipping.domain.quote import Destination
from ordino.shipping.domain.weights import Parcel
from ordino.shipping.live_rating import live_rates_of
from ordino.shipping.models import FulfillmentRating
from ordino.shipping.selectors import choice_serialize, shipment_rates

# a rate shop plans a shipment: not once the fulfillment order has left or ended
RATEABLE = frozenset({fs.OPEN, fs.ACCEPTED, fs.PICKING, fs.PACKED, fs.ON_HOLD})


@dataclass(frozen=True)
class RateRequest:
    fo_id: int
    parcels: Sequence[Parcel]
    policy: str | None = None  # None: the channel's (channel_policies.py), else cheapest
    promised: date | None = None
    ship_day: date | None = None
    services: Sequence[str] = ()
    residential: bool | None = None  # None: a home unless the address names a company
    live: bool = True  # ask the live carrier accounts too (live_rating.py), if any


def fulfillment_rate(
    *, command: RateRequest, actor: str, scope: Scope = UNRESTRICTED
) -> FulfillmentRating:
    fo = fulfillment_get(fo_id=command.fo_id, scope=scope, reach=WORK)
    if fo.status not in RATEABLE:
        raise DomainError(
            "not_rateable",
            f"A fulfillment order that is {fo.status.replace('_', ' ')} is not rated any more.",
            status=409,
        )
    parcels_contents_check(fo, [p.contents for p in command.parcels])  # 422 before any call
    destination = destination_of(fo.order.shipping_address, command.residential)
    ship_day = command.ship_day or utcnow().date()
    promised = command.promised or fo.order.promised_delivery  # the channel's, unless given
    policy, said = policy_for(command.policy, fo.order, promised)
    choice = shipment_rates(
        parcels=command.parcels,
        destination=destination,
        policy=policy,
        ship_day=ship_day,
        promised=promised,
        keys=tuple(command.services),
        live=live_rates_of(fo, command.parcels) if command.live else (),
    )
    if said:
        choice = replace(choice, why=f"{said}: {choice.why}")
    answer = choice_serialize(choice)
    chosen = choice.chosen
    rating = FulfillmentRating(
        fulfillment_order=fo,
        policy=choice.policy,
        service=chosen.service.key if chosen else "",
        service_name=chosen.service.name if chosen else "",
        total=chosen.total if chosen else None,
        currency=answer["chosen"]["currency"] if chosen else "",
        ship_day=ship_day,
        delivery=chosen.delivery if chosen else None,
        promised=promised,
        why=choice.why[:500],
        parcels=[_measures(p) for p in command.parcels],
        destination=destination.__dict__,
        answer=answer,
        actor=actor,
    )
    with use_case_atomic():
        rating.save()
        ports.order_timeline_add(
            order_id=fo.order_id,
            kind="shipment_rated",
            message=_message(rating),
            actor=actor,
            data={"fulfillment_order_id": fo.pk, "service": rating.service,
                  "total": str(rating.total) if chosen else None, "policy": rating.policy},
            now=rating.created_at,
        )  # fmt: skip
    return rating


def policy_for(asked: str | None, order, promised: date | None) -> tuple[str, str]:
    """The policy a rating chooses by, and what to say of it when the person did not name it:
    the channel's own policy (cheapest on time without a promised day falls back to cheapest),
    else the default, cheapest, said as before."""
    if asked:
        return asked, ""
    policy = channel_policy_of(order.channel_id)
    if policy is None:
        return DEFAULT, ""
    channel = order.channel.code
    if policy == "cheapest_on_time" and promised is None:
        return "cheapest", f"{channel}'s policy is cheapest on time, but no day was promised"
    return policy, f"{channel}'s policy"


def fulfillment_rating_latest(*, fo_id: int, scope: Scope = UNRESTRICTED) -> FulfillmentRating:
    fo = fulfillment_get(fo_id=fo_id, scope=scope)
    found = rating_latest_of(fo.pk)
    if found is None:
        raise NotFound("rating", fo_id)
    return found


def rating_latest_of(fo_id: int) -> FulfillmentRating | None:
    """The fulfillment order's latest rating (no scope check: the caller made it)."""
    ratings = FulfillmentRating.objects.filter(fulfillment_order_id=fo_id)
    return ratings.order_by("-created_at", "-pk").first()


def ratings_of_order(*, order_id: int) -> dict[int, FulfillmentRating]:
    """Each fulfillment order's latest rating (one query), for the order page."""
    latest: dict[int, FulfillmentRating] = {}
    rows = FulfillmentRating.objects.filter(fulfillment_order__order_id=order_id)
    for r in rows.order_by("fulfillment_order_id", "-created_at", "-pk"):
        latest.setdefault(r.fulfillment_order_id, r)
    return latest


def destination_of(address: dict | None, residential: bool | None) -> Destination:
    if not address or not address.get("country"):
        raise DomainError(
            "address_required", "The order has no shipping address to rate.", status=409
        )
    if residential is None:
        residential = not str(address.get("company") or "").strip()
    return Destination(
        country=str(address["country"]),
        region=str(address.get("region") or ""),
        postal_code=str(address.get("postal_code") or ""),
        residential=residential,
    )


def live_choice(rating: FulfillmentRating | None) -> dict | None:
    """The rating's chosen offer when a live account priced it (docs/shipping.md, "Live
    rates"): its labels are bought, never typed. None otherwise."""
    if rating is None:
        return None
    chosen = (rating.answer or {}).get("chosen") or {}
    return chosen if chosen.get("account") and chosen.get("offered_as") else None


MEASURES = ("length_cm", "width_cm", "height_cm", "weight_kg")  # a rated parcel, as kept


def _measures(p: Parcel) -> dict:
    kept: dict = {k: str(getattr(p, k)) for k in MEASURES}
    if p.contents:
        kept["contents"] = [{"sku": sku, "quantity": units} for sku, units in p.contents]
    return kept


def parcel_contents(kept: dict) -> tuple[tuple[str, int], ...]:
    """A rated parcel's contents as kept by `_measures` (none when not said)."""
    return tuple((item["sku"], int(item["quantity"])) for item in kept.get("contents", ()))


def _message(r: FulfillmentRating) -> str:
    if not r.service:
        return f"Rated ({r.policy}): no service carries these parcels."
    return f"Rated ({r.policy}): {r.service_name} {r.total} {r.currency}, delivery {r.delivery}."
