"""Shipping the choice: a fulfillment order shipped with the service its latest rating chose,
one package per rated parcel, and what it costs kept beside the shipment (docs/shipping.md,
"Shipping the choice"). Fulfillment records the shipment itself (`fulfillment_ship`): shipping
sits above it, so it calls the use case and adds its own row in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import quantum
from ordino.core.domain.scope import UNRESTRICTED, WORK, Scope
from ordino.core.transactions import use_case_atomic
from ordino.fulfillment.selectors import fulfillment_get
from ordino.fulfillment.services import PackageIn, fulfillment_ship
from ordino.shipping.models import FulfillmentRating, LabelPurchase, ShipmentCost
from ordino.shipping.rating import live_choice, rating_latest_of


def fulfillment_ship_rated(
    *,
    fo_id: int,
    tracking_numbers: Sequence[str],
    actor: str,
    scope: Scope = UNRESTRICTED,
) -> ShipmentCost:
    """Ship every open item with the latest rating's chosen service: one tracking number per
    rated parcel, in the parcels' order. 409 when nothing was chosen or the parcels and the
    tracking numbers do not pair up; the shipment and its cost are written together."""
    fulfillment_get(fo_id=fo_id, scope=scope, reach=WORK)  # 404 outside, before anything
    rating = _rating_chosen(fo_id)
    if live_choice(rating) is not None:
        raise DomainError(
            "labels_required",
            f"{rating.service_name} is a live rate: buy its labels (labels/buy-chosen), then "
            "ship the bought labels.",
            status=409,
        )
    parcels = rating.parcels
    if len(tracking_numbers) != len(parcels):
        raise DomainError(
            "tracking_numbers_mismatch",
            f"The rating has {len(parcels)} parcel(s): give one tracking number each "
            f"({len(tracking_numbers)} given).",
            field="tracking_numbers",
        )
    carrier, _, code = rating.service.partition(":")
    packages = [
        PackageIn(weight_grams=_grams(p["weight_kg"]), tracking_number=t.strip())
        for p, t in zip(parcels, tracking_numbers, strict=True)
    ]
    with use_case_atomic():
        shipment = fulfillment_ship(
            fo_id=fo_id,
            carrier=carrier,
            service=code,
            tracking_numbers=[t.strip() for t in tracking_numbers],
            packages=packages,
            actor=actor,
            scope=scope,
        )
        return ShipmentCost.objects.create(
            shipment=shipment,
            rating=rating,
            service=rating.service,
            service_name=rating.service_name,
            amount=rating.total.quantize(quantum(rating.currency)),
            currency=rating.currency,
            parcels=len(parcels),
        )


def fulfillment_ship_purchased(
    *, fo_id: int, actor: str, scope: Scope = UNRESTRICTED
) -> ShipmentCost:
    """Ship every open item with the labels bought for its parcels (docs/shipping.md, "Label
    purchase"): one package per bought label, its tracking number the carrier's, the carrier and
    service those the labels were bought with, their price kept as the shipment's cost. 409 when
    no label is bought, a parcel in between has none, or the labels differ in carrier, service
    or currency; the shipment and its cost are written together."""
    fulfillment_get(fo_id=fo_id, scope=scope, reach=WORK)  # 404 outside, before anything
    bought = _labels_bought(fo_id)
    first = bought[0]
    carrier, service = first.rate.get("carrier", ""), first.rate.get("service", "")
    packages = [
        PackageIn(weight_grams=_grams(p.measures["weight_kg"]), tracking_number=p.tracking_number)
        for p in bought
    ]
    amount = sum((p.amount for p in bought), Decimal(0)).quantize(quantum(first.currency))
    with use_case_atomic():
        shipment = fulfillment_ship(
            fo_id=fo_id,
            carrier=carrier,
            service=service,
            tracking_numbers=[p.tracking_number for p in bought],
            packages=packages,
            actor=actor,
            scope=scope,
        )
        return ShipmentCost.objects.create(
            shipment=shipment,
            rating=_rating_bought(fo_id, f"{carrier}:{service}", len(bought)),
            service=f"{carrier}:{service}"[:65],
            service_name=f"{carrier} {service}"[:100],
            amount=amount,
            currency=first.currency,
            parcels=len(bought),
        )


def _labels_bought(fo_id: int) -> list[LabelPurchase]:
    bought = list(
        LabelPurchase.objects.filter(
            fulfillment_order_id=fo_id, status=LabelPurchase.BOUGHT
        ).order_by("parcel")
    )
    if not bought:
        raise DomainError("no_label_bought", "Buy a label for each parcel first.", status=409)
    numbers = [p.parcel for p in bought]
    if numbers != list(range(1, len(bought) + 1)):
        raise DomainError(
            "labels_incomplete",
            f"Labels are bought for parcels {numbers}: buy one for every parcel from 1.",
            status=409,
        )
    for p in bought:  # a label bought through label_purchase has both: kept by another path?
        if p.amount is None or not p.currency or "weight_kg" not in (p.measures or {}):
            raise DomainError(
                "label_unpriced",
                f"Parcel {p.parcel}'s label has no price or weight recorded: void it and buy "
                "it again.",
                status=409,
            )
    kinds = {(p.rate.get("carrier"), p.rate.get("service"), p.currency) for p in bought}
    if len(kinds) > 1:
        raise DomainError(
            "labels_mixed",
            "The labels were bought with different carriers, services or currencies: ship "
            "them as one shipment with one service.",
            status=409,
        )
    return bought


def _rating_bought(fo_id: int, offered_as: str, parcels: int) -> FulfillmentRating | None:
    """The latest rating when its live choice is what was bought, parcel for parcel: the
    shipment's promise and delivery day are then its (the on-time report reads them)."""
    rating = rating_latest_of(fo_id)
    chosen = live_choice(rating) or {}
    if chosen.get("offered_as") == offered_as and len(rating.parcels) == parcels:
        return rating
    return None


def _rating_chosen(fo_id: int) -> FulfillmentRating:
    rating = rating_latest_of(fo_id)
    if rating is None or not rating.service or rating.total is None:
        raise DomainError(
            "no_service_chosen",
            "Rate the fulfillment order first: its latest rating chose no service.",
            status=409,
        )
    return rating


def _grams(weight_kg: str) -> int:
    """The parcel's weight as the shipment records it: whole grams, rounded up."""
    return int((Decimal(weight_kg) * 1000).to_integral_value(rounding=ROUND_CEILING))


def costs_of_order(*, order_id: int) -> dict[int, list[ShipmentCost]]:
    """Each fulfillment order's shipped costs (one query), for the order page."""
    costs: dict[int, list[ShipmentCost]] = {}
    rows = ShipmentCost.objects.filter(shipment__fulfillment_order__order_id=order_id)
    for c in rows.select_related("shipment").order_by("shipment_id"):
        costs.setdefault(c.shipment.fulfillment_order_id, []).append(c)
    return costs
