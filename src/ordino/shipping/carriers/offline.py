"""The offline rate-sheet carrier (the default: needs no account): rates from the services'
sheets as `selectors.shipment_rates` quotes them. It buys no label from anyone — our own labels
are drawn from the tracking numbers a person records (docs/shipping.md, "Labels")."""

from __future__ import annotations

from decimal import Decimal

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.shipping.carriers.base import BoughtLabel, LiveRate, ShipmentSpec
from ordino.shipping.domain.quote import Destination
from ordino.shipping.domain.tracking_payloads import TrackingUpdate
from ordino.shipping.domain.weights import Parcel


def unsupported(what: str) -> DomainError:
    return DomainError(
        "carrier_unsupported",
        f"The offline rate-sheet carrier cannot {what}: use an EasyPost or Shippo account.",
        status=409,
        field="account",
    )


class OfflineCarrier:
    name = "offline"
    buys_labels = False

    def rates(self, shipment: ShipmentSpec) -> list[LiveRate]:
        from ordino.shipping.selectors import shipment_rates  # the sheets, read from the tables

        p, to = shipment.parcel, shipment.recipient
        choice = shipment_rates(
            parcels=[Parcel(p.length_cm, p.width_cm, p.height_cm, p.weight_kg)],
            destination=Destination(to.country, to.region, to.postal_code, not to.company),
            policy="cheapest",
            ship_day=utcnow().date(),
        )
        offers = ([choice.chosen] if choice.chosen else []) + list(choice.runners_up)
        return [
            LiveRate(
                carrier=o.service.carrier,
                service=o.service.code,
                amount=Decimal(o.total),
                currency=o.quotes[0].currency,
                days=o.service.transit_days,
            )
            for o in offers
        ]

    def buy(self, rate: LiveRate, *, reference: str) -> BoughtLabel:
        raise unsupported("buy a label")

    def lookup(self, rate: LiveRate, *, reference: str) -> BoughtLabel | None:
        return None

    def void(self, provider_id: str) -> str:
        raise unsupported("void a label")

    def track(self, carrier: str, tracking_number: str) -> TrackingUpdate:
        raise unsupported("track a parcel")
