"""The one interface every carrier adapter keeps (docs/shipping.md, "Carrier adapters"):
rates for a shipment, buy a rate's label, find a label bought before (after an answer that never
came), void a label, track a number. Plain values in and out; the adapters make the calls."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from ordino.shipping.domain.customs import CustomsDeclaration
from ordino.shipping.domain.tracking_payloads import TrackingUpdate

TIMEOUT_SECONDS = 20  # every call to a carrier's API: connect and read


@dataclass(frozen=True)
class Address:
    name: str
    street1: str
    city: str
    postal_code: str
    country: str
    street2: str = ""
    region: str = ""
    company: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ParcelSpec:
    length_cm: Decimal
    width_cm: Decimal
    height_cm: Decimal
    weight_kg: Decimal


@dataclass(frozen=True)
class ShipmentSpec:
    """One parcel from a location to the order's address; `reference` is our purchase's key;
    `customs` when it crosses a customs border (docs/shipping.md, "Customs")."""

    sender: Address
    recipient: Address
    parcel: ParcelSpec
    reference: str = ""
    customs: CustomsDeclaration | None = None


@dataclass(frozen=True)
class LiveRate:
    """One service's price for a shipment, as the provider answered it."""

    carrier: str  # the provider's name of the carrier: USPS, DHLExpress, ...
    service: str  # its service: Priority, usps_priority, ...
    amount: Decimal
    currency: str
    shipment_id: str = ""  # the provider's shipment the rate belongs to
    rate_id: str = ""
    days: int | None = None

    @property
    def key(self) -> str:
        return f"{self.carrier}:{self.service}"


@dataclass(frozen=True)
class BoughtLabel:
    tracking_number: str
    label_url: str
    amount: Decimal
    currency: str
    carrier: str
    service: str
    provider_id: str  # what void and look-up name: EasyPost's shipment, Shippo's transaction


class CarrierRefused(Exception):
    """The provider answered and said no (a 4xx, an error status): nothing was bought."""

    def __init__(self, message: str, *, code: str = "carrier_refused", status: int | None = None):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


class CarrierUnanswered(Exception):
    """No answer we can trust (a timeout, a broken connection, a 5xx): a label may have been
    bought. Resolved by looking it up, never by buying again."""


class CarrierAdapter(Protocol):
    name: str
    buys_labels: bool  # False: rates only (the offline rate sheets)

    def rates(self, shipment: ShipmentSpec) -> list[LiveRate]: ...

    def buy(self, rate: LiveRate, *, reference: str) -> BoughtLabel: ...

    def lookup(self, rate: LiveRate, *, reference: str) -> BoughtLabel | None: ...

    def void(self, provider_id: str) -> str: ...

    def track(self, carrier: str, tracking_number: str) -> TrackingUpdate: ...
