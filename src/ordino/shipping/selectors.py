"""Shipping's reads: the services as the domain rates them, and a shipment's quotes chosen by
a policy, explained (docs/shipping.md, "Rate shopping"). Three queries whatever the number of
services: services, zones, brackets (and their surcharges)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ordino.catalog.selectors import skus_measures
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.money import quantum
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.selectors import fulfillment_get, fulfillments_serialize
from ordino.shipping.domain.contents import open_by_sku
from ordino.shipping.domain.live import currency_align
from ordino.shipping.domain.packing import BoxType as Box
from ordino.shipping.domain.packing import Item, PackedParcel, pack
from ordino.shipping.domain.policy import Choice, Offer, offer_choose, offers_make
from ordino.shipping.domain.quote import (
    Destination,
    Quote,
    Refusal,
    Service,
    Surcharge,
    parcel_quote,
)
from ordino.shipping.domain.sheets import Bracket, RateSheet
from ordino.shipping.domain.weights import DimRule, Parcel
from ordino.shipping.domain.zones import ZoneRule
from ordino.shipping.models import BoxType, CarrierService, RateBracket, ServiceZone

Rating = tuple[Service, RateSheet, list[ZoneRule]]


def service_list(*, carrier: str | None = None) -> QuerySet[CarrierService]:
    """Services with their zone and bracket row counts and their surcharges (three queries a
    page: the counts are subqueries, so no join multiplies the rows)."""

    def rows(model) -> Subquery:
        counted = model.objects.filter(service=OuterRef("pk")).order_by().values("service")
        return Subquery(counted.annotate(n=Count("pk")).values("n"))

    qs = (
        CarrierService.objects.select_related("carrier")
        .prefetch_related("surcharges")
        .annotate(
            zone_rows=Coalesce(rows(ServiceZone), 0), bracket_rows=Coalesce(rows(RateBracket), 0)
        )
    )
    return qs.filter(carrier__code=carrier) if carrier else qs


def service_get(*, carrier: str, code: str) -> CarrierService:
    service = service_list(carrier=carrier).filter(code=code).first()
    if service is None:
        raise NotFound("carrier_service", f"{carrier}:{code}")
    return service


def services_rated(*, keys: Sequence[str] = ()) -> list[Rating]:
    """Every active service with its zones and brackets loaded (or those named `carrier:code`)."""
    qs = (
        CarrierService.objects.filter(is_active=True, carrier__is_active=True)
        .select_related("carrier")
        .prefetch_related("zones", "brackets", "surcharges")
    )
    ratings = []
    for s in qs:
        if keys and f"{s.carrier.code}:{s.code}" not in keys:
            continue
        zones = [
            ZoneRule(z.zone, z.country, z.region, z.postal_prefix, z.row) for z in s.zones.all()
        ]
        q = quantum(s.currency)  # the columns keep 3 decimals: 4.900 is 4.90 EUR
        brackets = tuple(
            Bracket(b.zone, _plain(b.above), _plain(b.up_to), b.price.quantize(q), b.row)
            for b in s.brackets.all()
        )
        if zones and brackets:
            ratings.append((_service(s), RateSheet(s.currency, s.unit, brackets), zones))
    return ratings


def shipment_rates(
    *,
    parcels: Sequence[Parcel],
    destination: Destination,
    policy: str,
    ship_day: date,
    promised: date | None = None,
    keys: Sequence[str] = (),
    live: Sequence[Sequence[Quote | Refusal]] = (),
) -> Choice:
    """Every rated service's quote for every parcel, and the policy's choice among those that
    carry them all. Rate sheets in several currencies are not compared: refused. `live`: per
    parcel, the live rates of carrier accounts (domain/live.py); those priced in another
    currency than the sheets' are left out, saying so."""
    if not parcels:
        raise DomainError("parcels_required", "Give at least one parcel.", field="parcels")
    ratings = services_rated(keys=keys)
    currencies = {sheet.currency for _, sheet, _ in ratings}
    if len(currencies) > 1:
        raise DomainError(
            "mixed_currencies",
            f"The services price in {', '.join(sorted(currencies))}: name the services to compare.",
            field="services",
        )
    answers = [
        [
            parcel_quote(service, sheet, zones, parcel, destination)
            for service, sheet, zones in ratings
        ]
        for parcel in parcels
    ]
    if live:
        priced = [a.currency for per in live for a in per if isinstance(a, Quote)]
        currency = next(iter(currencies), priced[0] if priced else "")
        for mine, theirs in zip(answers, live, strict=True):
            mine.extend(currency_align(theirs, currency))
    offers, left_out = offers_make(answers, ship_day)
    return offer_choose(policy, offers, left_out, promised)


def choice_serialize(choice: Choice) -> dict:
    def offer(o: Offer) -> dict:
        return {
            "service": o.service.key,
            "name": o.service.name,
            "total": str(o.total),
            "currency": o.quotes[0].currency,
            "delivery": o.delivery.isoformat(),
            "account": o.service.account or None,
            "offered_as": o.service.offered_as or None,
            "parcels": [
                {
                    "zone": q.zone.zone if q.zone else None,
                    "billable_weight": str(q.weights.billable) if q.weights else None,
                    "unit": q.weights.unit if q.weights else None,
                    "base": str(q.base),
                    "surcharges": [
                        {"kind": c.kind, "amount": str(c.amount), "why": c.why}
                        for c in q.surcharges
                    ],
                    "total": str(q.total),
                    "why": list(q.why),
                }
                for q in o.quotes
            ],
        }

    return {
        "policy": choice.policy,
        "why": choice.why,
        "chosen": offer(choice.chosen) if choice.chosen else None,
        "runners_up": [offer(o) for o in choice.runners_up],
        "left_out": [
            {"service": r.service.key, "code": r.code, "why": r.why} for r in choice.left_out
        ],
    }


def _service(s: CarrierService) -> Service:
    return Service(
        carrier=s.carrier.code,
        code=s.code,
        name=s.name,
        dim=DimRule(s.unit, _plain(s.divisor), _plain(s.min_volume), _plain(s.increment)),
        transit_days=s.transit_days,
        max_weight=_plain(s.max_weight),
        max_longest=_plain(s.max_longest),
        max_length_plus_girth=_plain(s.max_length_plus_girth),
        surcharges=tuple(
            Surcharge(
                x.kind,
                x.amount.quantize(quantum(s.currency)),
                _plain(x.percent),
                _plain(x.longest),
                _plain(x.length_plus_girth),
                tuple(str(p).upper() for p in x.prefixes),
            )
            for x in s.surcharges.all()
        ),
    )


def _plain(value: Decimal) -> Decimal:
    """12.500 → 12.5, 10.000 → 10: as a person wrote it, for the explanations."""
    return Decimal(format(value.normalize(), "f"))


def box_type_list(*, location: str | None = None, active: bool | None = None):
    """Box types, every location's (no location) and each location's; `location`: those a
    location packs in (its own and every location's)."""
    qs = BoxType.objects.select_related("location")
    if location:
        qs = qs.filter(Q(location__isnull=True) | Q(location__code=location))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def box_type_get(*, code: str, location: str | None = None) -> BoxType:
    """The box type of that code: the location's own, or else every location's."""
    found = sorted(
        box_type_list(location=location).filter(code=code), key=lambda b: b.location_id is None
    )
    if not found:
        raise NotFound("box_type", code)
    return found[0]


def boxes_of_location(*, location_id: int) -> list[Box]:
    """The active box types a location packs in, as packing sees them. A location's own box
    type stands in for every location's of the same code."""
    rows = BoxType.objects.filter(
        Q(location__isnull=True) | Q(location_id=location_id), is_active=True
    )
    chosen: dict[str, BoxType] = {}
    for row in sorted(rows, key=lambda b: b.location_id is not None):  # own ones last: win
        chosen[row.code] = row
    return [box_domain(row) for row in chosen.values()]


def box_domain(row: BoxType) -> Box:
    return Box(
        row.code,
        (row.inner_length_mm, row.inner_width_mm, row.inner_height_mm),
        (row.outer_length_mm, row.outer_width_mm, row.outer_height_mm),
        row.tare_g,
        row.max_weight_g,
    )


def fulfillment_packing_propose(*, fo_id: int, scope: Scope = UNRESTRICTED) -> dict:
    """The boxes proposed for the fulfillment order's open items, each explained (404 outside
    the caller's scope). Refused naming the SKU that is not measured or fits no box type."""
    fo = fulfillment_get(fo_id=fo_id, scope=scope)
    lines = [ln for ln in fulfillments_serialize([fo])[0]["lines"] if ln["quantity_open"] > 0]
    open_units = open_by_sku((line["sku"], line["quantity_open"]) for line in lines)
    measures = skus_measures(codes=open_units)
    items = []
    for sku, quantity in open_units.items():
        m = measures.get(sku)
        dims = (m.length_mm, m.width_mm, m.height_mm, m.weight_grams) if m else (None,) * 4
        items.append(Item(sku, *dims, quantity))
    parcels = pack(items, boxes_of_location(location_id=fo.location_id)) if items else []
    return {
        "fulfillment_order_id": fo.pk,
        "location": fo.location.code,
        "units": sum(open_units.values()),
        "parcels": [parcel_serialize(p) for p in parcels],
        "why": [p.why for p in parcels],
    }


def parcel_serialize(p: PackedParcel) -> dict:
    parcel = p.parcel()
    return {
        "box": p.box.code,
        "items": [{"sku": sku, "quantity": n} for sku, n in p.contents],
        "items_volume_mm3": p.items_volume,
        "gross_weight_g": p.gross_weight_g,
        "outer_mm": list(p.box.outer),
        "parcel": {
            "length_cm": str(parcel.length_cm),
            "width_cm": str(parcel.width_cm),
            "height_cm": str(parcel.height_cm),
            "weight_kg": str(parcel.weight_kg),
        },
        "why": p.why,
    }


def services_transit_days() -> dict[str, int]:
    """Each active carrier service's transit days by its key (`dhl:paket`): what the rate shop
    adds to the ship day, and what sourcing's promise counts for a service its own transit
    table does not list (docs/sourcing.md, "Promise")."""
    rows = CarrierService.objects.filter(is_active=True, carrier__is_active=True).values_list(
        "carrier__code", "code", "transit_days"
    )
    return {f"{carrier}:{code}": days for carrier, code, days in rows}
