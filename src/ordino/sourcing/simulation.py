"""Try before going live: simulate a profile on one order or a cart, back-test a draft against
the version in effect over past orders, and promise dates. Reads only: nothing is reserved.

Candidates are today's stock; for an existing order its own open reservations are added back
(as if it were not yet sourced). Back-tests run each order at its capture time against today's
stock (stock history is not kept), with no shipments assigned before it that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from ordino.catalog.models import KitComponent, Sku
from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.fulfillment.domain.allocation import LineDemand
from ordino.fulfillment.selectors import open_units_by_order
from ordino.locations.models import Location
from ordino.sourcing.domain import (
    BacktestCase,
    Destination,
    LocationFacts,
    OrderFacts,
    Profile,
    TransitTable,
    backtest_compare,
    decide,
    promise,
)
from ordino.sourcing.facts import (
    OrderContext,
    candidates_enrich,
    candidates_load,
    order_facts,
    profile_needs,
    versions_in_effect,
    zone_table,
)
from ordino.sourcing.models import SourcingProfileVersion, TransitTime
from ordino.sourcing.ports import recent_orders, stored_order
from ordino.sourcing.selectors import profile_get
from ordino.sourcing.services import (
    BUILT_IN,
    definition_check,
    profile_for_capture,
    version_parse,
)

# --- which profile -----------------------------------------------------------------------------


def profile_choose(
    *,
    profile_code: str | None = None,
    version: int | str | None = None,
    definition: dict | None = None,
    now: datetime,
) -> tuple[Profile, str]:
    """The profile to try, and a label: a definition (validated), a profile's version number,
    its 'draft' or 'active' (in effect at `now`), or by default what capture would use."""
    if definition is not None:
        code = profile_code or "simulation"
        return definition_check(definition, code=code, number=1), f"{code} (given definition)"
    if profile_code is None:
        profile, version_id = profile_for_capture("unknown", now)
        return profile, _label(profile, version_id)
    profile_row = profile_get(code=profile_code)
    versions = profile_row.versions.all()
    if version in (None, "active"):
        row = (
            versions_in_effect(now).filter(profile=profile_row).first()
            if profile_row.is_default
            else versions.filter(status=SourcingProfileVersion.ACTIVE)
            .exclude(effective_from__gt=now)
            .order_by("-effective_from", "-number")
            .first()
        )
        if row is None:
            raise NotFound("active_version", profile_code)
    elif version == "draft":
        row = versions.filter(status=SourcingProfileVersion.DRAFT).first()
        if row is None:
            raise NotFound("draft", profile_code)
    else:
        try:
            number = int(version)
        except (TypeError, ValueError):
            raise DomainError(
                "invalid_version", "version is a number, 'draft' or 'active'.", field="version"
            ) from None
        row = versions.filter(number=number).first()
        if row is None:
            raise NotFound("sourcing_profile_version", f"{profile_code} v{version}")
    parsed = version_parse(
        row.definition, code=profile_row.code, number=row.number, effective_from=row.effective_from
    )
    return parsed, f"{profile_row.code} v{row.number} ({row.status})"


def _label(profile: Profile, version_id: int | None) -> str:
    return "built-in default" if version_id is None else f"{profile.code} v{profile.version}"


# --- the order or the cart ---------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    order: OrderFacts
    candidates: list[LocationFacts]


def _own_reservations(order_ids: Sequence[int]) -> dict[int, dict[tuple[int, int], int]]:
    """Units each order holds at its locations (open fulfillment lines), by (location, sku)."""
    return open_units_by_order(order_ids=order_ids)


def _with_held(
    candidates: Sequence[LocationFacts], held: Mapping[tuple[int, int], int]
) -> list[LocationFacts]:
    if not held:
        return list(candidates)
    out = []
    for c in candidates:
        extra = {sku: n for (loc, sku), n in held.items() if loc == c.id}
        if extra:
            available = dict(c.available)
            for sku, n in extra.items():
                available[sku] = available.get(sku, 0) + n
            c = replace(c, available=available)
        out.append(c)
    return out


def order_case(*, order_id: int, now: datetime, scope: Scope = UNRESTRICTED) -> Case:
    """A stored order (NotFound outside `scope`) with its own reservations given back."""
    order = stored_order(order_id=order_id, scope=scope)
    if not order.demands:
        raise DomainError("nothing_to_source", f"Order {order_id} has no open quantity.")
    snapshot = candidates_load(
        sku_ids={s for d in order.demands for s in d.components},
        channel_id=order.channel_id,
        pickup_location_id=order.pickup_location_id,
    )
    facts = order_facts(order.context, order.demands, snapshot.sku_tags)
    held = _own_reservations([order.order_id]).get(order.order_id, {})
    return Case(facts, _with_held(snapshot.candidates, held))


def cart_case(
    *,
    lines: Sequence[Mapping],
    destination: Mapping,
    channel: str | None = None,
    delivery_method: str = "ship",
    pickup_location: str | None = None,
    value: Decimal | None = None,
    currency: str | None = None,
    customer_tags: Sequence[str] = (),
    scope: Scope = UNRESTRICTED,
) -> Case:
    """A hypothetical cart: lines [{sku, quantity}], a destination, optionally a channel (one
    the caller's `scope` sees)."""
    channel_row = None
    if channel is not None:
        channel_row = Channel.objects.filter(code=channel).first()
        if channel_row is None or not scope.sees_channel(channel_row.pk):
            raise NotFound("channel", channel, field="channel")
    pickup = None
    if delivery_method != "ship":
        pickup = Location.objects.filter(code=pickup_location or "", is_active=True).first()
        if pickup is None:
            raise NotFound("location", pickup_location, field="pickup_location")
    codes = [str(line["sku"]) for line in lines]
    skus = {
        code: (pk, kind, tuple(tags or ()))
        for pk, code, kind, tags in Sku.objects.filter(code__in=codes, is_active=True).values_list(
            "id", "code", "kind", "tags"
        )
    }
    missing = sorted(set(codes) - skus.keys())
    if missing:
        raise DomainError(
            "sku_not_found",
            f"Unknown SKU(s): {', '.join(missing)}.",
            errors=[
                {"field": f"lines.{i}.sku", "code": "sku_not_found", "message": f"No SKU {code!r}."}
                for i, code in enumerate(codes)
                if code in missing
            ],
        )
    kits: dict[int, dict[int, int]] = defaultdict(dict)
    kit_ids = [pk for pk, kind, _ in skus.values() if kind == Sku.KIT]
    for kit, component, qty in KitComponent.objects.filter(kit_id__in=kit_ids).values_list(
        "kit_id", "component_id", "quantity"
    ):
        kits[kit][component] = qty
    demands, line_skus = [], {}
    for i, line in enumerate(lines):
        pk, kind, _ = skus[str(line["sku"])]
        parts = kits[pk] if kind == Sku.KIT else {pk: 1}
        if not parts:
            raise DomainError(
                "kit_empty", f"Kit {line['sku']} has no components.", field=f"lines.{i}.sku"
            )
        demands.append(LineDemand(key=i + 1, quantity=int(line["quantity"]), components=parts))
        line_skus[i + 1] = pk
    sku_ids = {s for d in demands for s in d.components}
    snapshot = candidates_load(
        sku_ids=sku_ids,
        channel_id=channel_row.pk if channel_row else None,
        pickup_location_id=pickup.pk if pickup else None,
    )
    tags = dict(snapshot.sku_tags)
    tags.update({pk: frozenset(str(t).lower() for t in tg) for pk, _, tg in skus.values()})
    context = OrderContext(
        order_id="cart",
        channel=channel or "",
        destination=_destination(destination) if pickup is None else _store(pickup),
        delivery_method=delivery_method,
        value=value if value is not None else Decimal(0),
        currency=currency or (channel_row.currency if channel_row else "EUR"),
        customer_tags=frozenset(str(t).lower() for t in customer_tags),
        pickup_location_id=pickup.pk if pickup else None,
        line_skus=line_skus,
    )
    return Case(order_facts(context, demands, tags), snapshot.candidates)


def _destination(data: Mapping) -> Destination:
    lat, lon = data.get("latitude"), data.get("longitude")
    return Destination(
        country=(data.get("country") or "").upper(),
        region=data.get("region") or "",
        postal_code=data.get("postal_code") or "",
        latitude=None if lat is None else float(lat),
        longitude=None if lon is None else float(lon),
    )


def _store(location: Location) -> Destination:
    return _destination(
        {
            "country": location.country,
            "region": location.region,
            "postal_code": location.postal_code,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )


# --- the three reads ---------------------------------------------------------------------------


def sourcing_simulate(
    *, case: Case, profile: Profile, label: str, now: datetime | None = None
) -> dict[str, object]:
    """The decision the profile would take now, with its explanation; nothing reserved."""
    now = now or utcnow()
    candidates, zones = candidates_enrich(
        case.candidates,
        needs=profile_needs(profile),
        now=now,
        destinations=[case.order.destination],
    )
    decision = decide(case.order, candidates, profile, now, zones=zones)
    codes = {c.id: c.code for c in candidates}
    return {
        "profile": label,
        "now": now,
        "outcome": decision.outcome,
        "strategy": decision.strategy,
        "shipments": [
            {"location": codes[loc], "lines": {str(k): v for k, v in lines.items()}}
            for loc, lines in decision.shipments().items()
        ],
        "backordered": {str(k): v for k, v in decision.backordered.items()},
        "cancel_after": decision.cancel_after,
        "explanation": decision.explanation.to_dict(),
        "sentences": decision.explanation.sentences(),
    }


def sourcing_backtest(
    *, candidate: Profile, baseline: Profile, orders: int = 100, channel: str | None = None
) -> dict[str, object]:
    """Run both profiles over the last `orders` orders (at their capture time) and compare."""
    recent = recent_orders(limit=orders, channel=channel)
    sku_ids = {sku for order in recent for d in order.demands for sku in d.components}
    snapshot = candidates_load(
        sku_ids=sku_ids, channel_id=None, pickup_location_id=None, any_location=True
    )
    needs = profile_needs(candidate) | profile_needs(baseline)
    destinations = [o.context.destination for o in recent]
    located, zones = candidates_enrich(
        snapshot.candidates, needs=needs - {"capacity"}, now=utcnow(), destinations=destinations
    )
    excluded: dict[int, set[int]] = defaultdict(set)
    through = Channel.excluded_locations.through
    for channel_id, location_id in through.objects.values_list("channel_id", "location_id"):
        excluded[channel_id].add(location_id)
    held = _own_reservations([o.order_id for o in recent])
    cases = []
    for order in reversed(recent):
        if not order.demands:
            continue
        skus = {s for d in order.demands for s in d.components}
        candidates = [
            replace(c, available={s: n for s, n in c.available.items() if s in skus})
            for c in _with_held(located, held.get(order.order_id, {}))
            if skus & c.available.keys()
            and (
                c.id == order.pickup_location_id
                if order.pickup_location_id
                else c.ships and c.id not in excluded[order.channel_id]
            )
        ]
        facts = order_facts(order.context, order.demands, snapshot.sku_tags)
        cases.append(BacktestCase(facts, candidates, order.created_at))
    comparison = backtest_compare(cases, baseline, candidate, zones=zones)
    result = comparison.to_dict()
    codes = {c.id: c.code for c in located}
    for side in ("baseline", "candidate"):
        over = result[side]["over_capacity"]  # type: ignore[index]
        result[side]["over_capacity"] = [codes.get(i, str(i)) for i in over]  # type: ignore[index]
    return {"orders": len(cases), **result}


def sourcing_promise(
    *, case: Case, service: str, profile: Profile | None = None, now: datetime | None = None
) -> dict[str, object]:
    """Can the cart ship, from where, and when: the engine's promise with the merchant's zone
    and transit tables and each location's calendar."""
    now = now or utcnow()
    if profile is None:
        profile, _ = profile_for_capture("unknown", now)
    candidates, _ = candidates_enrich(
        case.candidates,
        needs=profile_needs(profile),
        now=now,
        destinations=[case.order.destination],
    )
    zones = zone_table()
    transit = TransitTable(
        {
            (service_, a, b): days
            for service_, a, b, days in TransitTime.objects.values_list(
                "service", "from_zone", "to_zone", "days"
            )
        }
    )
    answer = promise(
        case.order, candidates, profile, now, transit=transit, service=service, zones=zones
    )
    codes = {c.id: c.code for c in candidates}
    out = answer.to_dict()
    for shipment in out["shipments"]:  # type: ignore[union-attr]
        shipment["location"] = codes[shipment.pop("location_id")]
        shipment.pop("code", None)
    out["now"] = now.isoformat()
    return out


__all__ = [
    "BUILT_IN",
    "Case",
    "cart_case",
    "order_case",
    "profile_choose",
    "sourcing_backtest",
    "sourcing_promise",
    "sourcing_simulate",
]
