"""Buying the rate shop's live choice (docs/shipping.md, "Live rates"): when the latest rating
chose a live rate, each rated parcel's label is bought from that account with that service,
parcel by parcel, through `label_purchase` — so a retry after a refusal or a silence buys only
what is missing, never a second label. Called outside any transaction, as `label_purchase` is."""

from __future__ import annotations

from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, WORK, Scope
from ordino.fulfillment.selectors import fulfillment_get
from ordino.shipping.carriers.base import ParcelSpec
from ordino.shipping.models import LabelPurchase
from ordino.shipping.purchases import PurchaseRequest, label_purchase
from ordino.shipping.rating import MEASURES, live_choice, parcel_contents, rating_latest_of


def labels_buy_chosen(
    *, fo_id: int, actor: str, scope: Scope = UNRESTRICTED
) -> list[LabelPurchase]:
    """Every rated parcel's label, bought with the live choice (bought before: kept). The first
    refusal stops the run (409, as `label_purchase` says it); the labels bought stay."""
    fulfillment_get(fo_id=fo_id, scope=scope, reach=WORK)  # 404 outside, before anything
    rating = rating_latest_of(fo_id)
    chosen = live_choice(rating)
    if chosen is None:
        raise DomainError(
            "no_live_choice",
            "The latest rating chose no live rate: rate the parcels with a live carrier "
            "account active, or ship the rate sheets' choice with tracking numbers.",
            status=409,
        )
    bought = []
    for number, measures in enumerate(rating.parcels, start=1):
        command = PurchaseRequest(
            fo_id=fo_id,
            account=chosen["account"],
            parcel=number,
            measures=ParcelSpec(*(Decimal(measures[k]) for k in MEASURES)),
            service=chosen["offered_as"],
            contents=parcel_contents(measures),
        )
        purchase, _ = label_purchase(command=command, actor=actor, scope=scope)
        bought.append(purchase)
    return bought
