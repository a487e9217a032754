"""One service's price for one parcel, explained (docs/shipping.md, "Rate shopping").

The quote says why: the zone matched, the actual, dimensional and billable weights, the
bracket, and each surcharge with its reason. A parcel a service cannot carry (over its weight
or size limits, a zone its sheet does not price) gets no quote but a reason, so the order page
can say why a service was left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import quantum
from ordino.shipping.domain.sheets import RateSheet
from ordino.shipping.domain.weights import DimRule, Parcel, Weights, billable_weight
from ordino.shipping.domain.zones import ZoneMatch, ZoneRule, postal_normal, zone_match

SURCHARGE_KINDS = ("fuel", "residential", "oversize", "remote_area")


@dataclass(frozen=True)
class Surcharge:
    """`fuel`: `percent` of the base price; the others a flat `amount` when they apply:
    `residential` to a home address, `oversize` past `longest` or `length_plus_girth` (in the
    service's length unit), `remote_area` to postal codes starting with one of `prefixes`."""

    kind: str
    amount: Decimal = Decimal(0)
    percent: Decimal = Decimal(0)
    longest: Decimal = Decimal(0)
    length_plus_girth: Decimal = Decimal(0)
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    carrier: str
    code: str
    name: str
    dim: DimRule
    transit_days: int
    max_weight: Decimal  # in dim.unit
    max_longest: Decimal = Decimal(0)  # 0: no limit (the service's length unit)
    max_length_plus_girth: Decimal = Decimal(0)
    surcharges: tuple[Surcharge, ...] = ()
    # a live rate (domain/live.py): the carrier account whose provider priced it, and the
    # provider's carrier:service that buying it names; blank for a rate sheet's service
    account: str = ""
    offered_as: str = ""

    @property
    def key(self) -> str:
        return f"{self.carrier}:{self.code}"

    @property
    def live(self) -> bool:
        return bool(self.account)


@dataclass(frozen=True)
class Destination:
    country: str
    region: str = ""
    postal_code: str = ""
    residential: bool = False


@dataclass(frozen=True)
class Charge:
    kind: str
    amount: Decimal
    why: str


@dataclass(frozen=True)
class Quote:
    """A rate sheet's quote has its zone and weights; a live rate (domain/live.py) has neither:
    the provider priced the parcel and says only its total."""

    service: Service
    currency: str
    zone: ZoneMatch | None
    weights: Weights | None
    base: Decimal
    surcharges: tuple[Charge, ...]
    why: tuple[str, ...] = field(default=())

    @property
    def total(self) -> Decimal:
        return self.base + sum((c.amount for c in self.surcharges), Decimal(0))

    @property
    def transit_days(self) -> int:
        return self.service.transit_days


@dataclass(frozen=True)
class Refusal:
    service: Service
    code: str
    why: str


def parcel_quote(
    service: Service,
    sheet: RateSheet,
    zones: Sequence[ZoneRule],
    parcel: Parcel,
    destination: Destination,
) -> Quote | Refusal:
    unit = service.dim.unit
    try:
        zone = zone_match(
            zones,
            country=destination.country,
            region=destination.region,
            postal_code=destination.postal_code,
        )
    except DomainError as exc:
        return Refusal(service, exc.code, exc.message)
    size = _size_refusal(service, parcel)
    if size:
        return Refusal(service, "parcel_too_large", size)
    weights = billable_weight(parcel, service.dim)
    if weights.billable > service.max_weight:
        return Refusal(
            service,
            "parcel_too_heavy",
            f"billable {weights.billable} {unit} is over the service's {service.max_weight} {unit}",
        )
    bracket = sheet.bracket_for(zone.zone, weights.billable)
    if bracket is None:
        return Refusal(
            service,
            "not_priced",
            f"the rate sheet has no price for zone {zone.zone} at {weights.billable} {unit} "
            f"(it prices up to {sheet.max_weight(zone.zone)} {unit})",
        )
    charges = tuple(_charges(service, bracket.price, parcel, destination, sheet.currency))
    why = (
        zone.why(),
        weights.why(),
        f"bracket above {bracket.above} up to {bracket.up_to} {unit} (row {bracket.row}): "
        f"{bracket.price} {sheet.currency}",
        *(f"{c.kind}: {c.amount} {sheet.currency} ({c.why})" for c in charges),
    )
    return Quote(service, sheet.currency, zone, weights, bracket.price, charges, why)


def _size_refusal(service: Service, parcel: Parcel) -> str:
    unit = "in" if service.dim.unit == "lb" else "cm"
    longest = parcel.sides(service.dim.unit)[0]
    if service.max_longest and longest > service.max_longest:
        return (
            f"its longest side {longest:.1f} {unit} is over the {service.max_longest} {unit} limit"
        )
    girth = parcel.length_plus_girth(service.dim.unit)
    if service.max_length_plus_girth and girth > service.max_length_plus_girth:
        return (
            f"its length plus girth {girth:.1f} {unit} is over the "
            f"{service.max_length_plus_girth} {unit} limit"
        )
    return ""


def _charges(service: Service, base: Decimal, parcel: Parcel, to: Destination, currency: str):
    q = quantum(currency)
    unit = service.dim.unit
    for s in service.surcharges:
        if s.kind == "fuel" and s.percent:
            amount = (base * s.percent / 100).quantize(q, rounding=ROUND_HALF_UP)
            yield Charge("fuel", amount, f"{s.percent} % of the base {base}")
        elif s.kind == "residential" and to.residential:
            yield Charge("residential", s.amount, "a home address")
        elif s.kind == "oversize" and _oversize(s, parcel, unit):
            yield Charge("oversize", s.amount, "past the service's oversize dimensions")
        elif s.kind == "remote_area" and any(
            postal_normal(to.postal_code).startswith(p) for p in s.prefixes
        ):
            yield Charge("remote_area", s.amount, f"postal code {to.postal_code}")


def _oversize(s: Surcharge, parcel: Parcel, unit: str) -> bool:
    longest = parcel.sides(unit)[0]
    return bool(
        (s.longest and longest > s.longest)
        or (s.length_plus_girth and parcel.length_plus_girth(unit) > s.length_plus_girth)
    )
