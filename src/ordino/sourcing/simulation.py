"""Try before going live: simulate a profile on one order or a cart, back-test a draft against
the version in effect over past orders, and promise dates. Reads only: nothing is reserved.

Candidates are today's stock; for an existing order its own open reservations are added back
(as if it were not yet sourced): cases.py reads the order or the cart. Back-tests run each order
at its capture time against today's stock (stock history is not kept), with no shipments
assigned before it that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from ordino.channels.models import Channel
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.fulfillment.selectors import open_units_by_order
from ordino.shipping.selectors import services_transit_days
from ordino.sourcing.cases import Case, cart_case, order_case, with_held
from ordino.sourcing.domain import (
    BacktestCase,
    LocationFacts,
    Profile,
    TransitTable,
    address_unserved,
    backtest_compare,
    decide,
    promise,
)
from ordino.sourcing.domain.promise import ANY_ZONE
from ordino.sourcing.facts import (
    candidates_enrich,
    candidates_load,
    order_facts,
    profile_needs,
    versions_in_effect,
    zone_table,
)
from ordino.sourcing.models import SourcingProfileVersion, TransitTime
from ordino.sourcing.ports import StoredOrder, recent_orders
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


def order_address_unserved(*, order_id: int, now: datetime | None = None) -> str | None:
    """Why no location can serve the order's shipping address now (the profile capture would
    use, over today's stock), or None: it can be served, or nothing is left to source. Cases
    ask it when the address is edited (docs/cases.md, `address_unshippable`)."""
    now = now or utcnow()
    try:
        case = order_case(order_id=order_id, now=now)
    except DomainError:  # nothing left to source (or no such order): nothing is unserved
        return None
    profile, label = profile_choose(now=now)
    result = sourcing_simulate(case=case, profile=profile, label=label, now=now)
    return address_unserved(result["explanation"])  # type: ignore[arg-type]


def sourcing_backtest(
    *,
    candidate: Profile,
    baseline: Profile,
    orders: int = 100,
    channel: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[str, object]:
    """Run both profiles over the last `orders` orders (captured in [since, until) when given),
    each at its capture time, and compare."""
    period = {"since": since, "until": until} if since or until else {}
    recent = recent_orders(limit=orders, channel=channel, **period)
    sku_ids = {sku for order in recent for d in order.demands for sku in d.components}
    snapshot = candidates_load(
        sku_ids=sku_ids, channel_id=None, pickup_location_id=None, any_location=True
    )
    needs = profile_needs(candidate) | profile_needs(baseline)
    destinations = [o.context.destination for o in recent]
    located, zones = candidates_enrich(
        snapshot.candidates, needs=needs - {"capacity"}, now=utcnow(), destinations=destinations
    )
    excluded = _channel_exclusions()
    held = open_units_by_order(order_ids=[o.order_id for o in recent])
    cases = []
    for order in reversed(recent):
        if not order.demands:
            continue
        candidates = _order_candidates(
            order, with_held(located, held.get(order.order_id, {})), excluded
        )
        facts = order_facts(order.context, order.demands, snapshot.sku_tags)
        cases.append(BacktestCase(facts, candidates, order.created_at))
    comparison = backtest_compare(cases, baseline, candidate, zones=zones)
    result = comparison.to_dict()
    codes = {c.id: c.code for c in located}
    for side in ("baseline", "candidate"):
        over = result[side]["over_capacity"]  # type: ignore[index]
        result[side]["over_capacity"] = [codes.get(i, str(i)) for i in over]  # type: ignore[index]
    return {"orders": len(cases), **result}


def _channel_exclusions() -> defaultdict[int, set[int]]:
    """Channel id → the locations excluded from serving it."""
    excluded: dict[int, set[int]] = defaultdict(set)
    through = Channel.excluded_locations.through
    for channel_id, location_id in through.objects.values_list("channel_id", "location_id"):
        excluded[channel_id].add(location_id)
    return excluded


def _order_candidates(
    order: StoredOrder, located: Sequence[LocationFacts], excluded: defaultdict[int, set[int]]
) -> list[LocationFacts]:
    """The locations that could have served a past order, with only its SKUs' stock: its
    pickup store, else the shipping locations its channel does not exclude."""
    skus = {s for d in order.demands for s in d.components}
    return [
        replace(c, available={s: n for s, n in c.available.items() if s in skus})
        for c in located
        if skus & c.available.keys()
        and (
            c.id == order.pickup_location_id
            if order.pickup_location_id
            else c.ships and c.id not in excluded[order.channel_id]
        )
    ]


def transit_days_all() -> dict[tuple[str, str, str], int]:
    """The merchant's transit table, then each carrier service's own transit days (by its key,
    `dhl:paket`, any zone to any zone) where the table has no such row: a promise by a carrier
    service counts the same days as the rate shop (docs/sourcing.md, "Promise")."""
    days = {
        (service, a, b): n
        for service, a, b, n in TransitTime.objects.values_list(
            "service", "from_zone", "to_zone", "days"
        )
    }
    for service, n in services_transit_days().items():
        days.setdefault((service, ANY_ZONE, ANY_ZONE), n)
    return days


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
    transit = TransitTable(transit_days_all())
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


def order_promise_day(
    *, order_id: int, service: str, now: datetime | None = None
) -> tuple[date, str] | None:
    """The day a captured order can be promised by `service` (docs/sourcing.md, "Promise"):
    the engine's promise for its open lines from each location's calendar and the transit
    table, and why; None when it cannot promise (nothing open, a backorder, a transit or a
    working day unknown)."""
    now = now or utcnow()
    try:
        case = order_case(order_id=order_id, now=now)
    except DomainError:  # nothing open to source
        return None
    answer = sourcing_promise(case=case, service=service, now=now)
    if not answer["can_ship"] or not answer["delivery_date"]:
        return None
    why = "; ".join(f"{s['location']} {s['reason']}" for s in answer["shipments"])  # type: ignore[union-attr]
    return date.fromisoformat(str(answer["delivery_date"])), why


__all__ = [
    "BUILT_IN",
    "Case",
    "cart_case",
    "order_case",
    "order_promise_day",
    "profile_choose",
    "sourcing_backtest",
    "sourcing_promise",
    "sourcing_simulate",
]
