"""The engine's inputs from the database: candidate locations (LocationFacts) with what they
have available, and the order (OrderFacts) from a capture, a stored order or a cart.

`candidates_load` is the one query order capture reads stock with; it also reads, as an
uncorrelated sub-query, the revision of the sourcing profile in effect, so choosing the profile
costs no statement of its own. What only some profiles need (location groups, shipments
assigned today, the zone table) is read by `candidates_enrich`, and only when needed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from decimal import Decimal

from django.db.models import CharField, DecimalField, F, Q, QuerySet, Value

from ordino.core.domain.errors import DomainError
from ordino.fulfillment.domain.allocation import LineDemand
from ordino.fulfillment.selectors import fulfillment_orders_created_since
from ordino.locations.models import Location
from ordino.sourcing.candidates import ANY, PICKUP, SHIPS, Where, candidate_rows
from ordino.sourcing.domain import (
    CapacityLeft,
    Destination,
    InGroups,
    LocationFacts,
    OrderFacts,
    OrderLine,
    Profile,
    WithinDistance,
    ZoneTable,
)
from ordino.sourcing.domain.opening import Calendar, calendar_from_dict
from ordino.sourcing.models import DistanceZone, SourcingProfileVersion, ZoneDistance

UNKNOWN = "unknown"  # the profile revision was not read with the candidates (no stock rows)


def versions_in_effect(now: datetime) -> QuerySet[SourcingProfileVersion]:
    """Active versions of the default profile due at `now`, the one in effect first (the
    same order as domain.profile_in_effect: latest effective_from, undated last; then number)."""
    return (
        SourcingProfileVersion.objects.filter(
            profile__is_default=True, status=SourcingProfileVersion.ACTIVE
        )
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=now))
        .order_by(F("effective_from").desc(nulls_last=True), "-number")
    )


@dataclass(frozen=True)
class Snapshot:
    """What every candidate location has available, as read in one query."""

    candidates: list[LocationFacts]
    balance_ids: dict[tuple[int, int], int]  # (location_id, sku_id) → balance row
    skus: dict[str, tuple[int, str]]  # code → (sku id, name) of the SKUs seen
    location_codes: dict[int, str]
    sku_tags: dict[int, frozenset[str]] = field(default_factory=dict)
    profile_revision: str | None = UNKNOWN  # None: no profile configured → built-in default


def candidates_load(
    *,
    channel_id: int | None,
    pickup_location_id: int | None,
    sku_ids: set[int] | None = None,
    sku_codes: set[str] | None = None,
    exclude_location_ids: frozenset[int] = frozenset(),
    now: datetime | None = None,
    any_location: bool = False,
) -> Snapshot:
    """Every active location that may serve the order, with what it has available: one query.

    By SKU codes, the same query also tells which SKUs exist and have stock somewhere, which
    spares order capture a separate catalog read in the common case. With `now`, it also
    reads the revision of the profile version in effect (an uncorrelated sub-query).
    `channel_id` None: no channel exclusions; `any_location`: every active location, shipping
    or not (back-tests filter per order).
    """
    shelves = PICKUP if pickup_location_id is not None else SHIPS
    serving = ANY if any_location else shelves
    skus = sorted(sku_ids) if sku_ids is not None else sorted(sku_codes or ())
    where = Where(
        by_codes=sku_ids is None,
        skus=len(skus),
        excluded=len(exclude_location_ids),
        serving=serving,
        channel=channel_id is not None,
        revision=now is not None,
    )
    if not skus:
        return _snapshot([], with_revision=False)
    rows = candidate_rows(
        where,
        skus=skus,
        excluded=sorted(exclude_location_ids),
        pickup_location_id=pickup_location_id,
        channel_id=channel_id,
        now=now,
    )
    return _snapshot(rows, with_revision=now is not None)


def _snapshot(rows: Iterable[tuple], *, with_revision: bool) -> Snapshot:
    """The Snapshot of candidates rows (`candidates.candidate_rows`): the stock row, its SKU, its
    location (the 13 `location_facts` values), then (`with_revision`) the revision in effect."""
    by_location: dict[int, dict[int, int]] = {}
    locations: dict[int, tuple] = {}
    ids: dict[tuple[int, int], int] = {}
    skus: dict[str, tuple[int, str]] = {}
    tags: dict[int, frozenset[str]] = {}
    revision_read: str | None = UNKNOWN
    for row in rows:
        (pk, location_id, sku_id, on_hand, committed, safety, unavailable) = row[:7]
        code, name, sku_tags = row[7:10]
        available = max(0, on_hand - committed - safety - unavailable)
        by_location.setdefault(location_id, {})[sku_id] = available
        locations[location_id] = row[10:23]
        ids[(location_id, sku_id)] = pk
        skus[code] = (sku_id, name)
        tags[sku_id] = frozenset(str(t).lower() for t in sku_tags or ())
        if with_revision:
            revision_read = None if row[-1] is None else str(row[-1])
    candidates = [
        location_facts(location_id, locations[location_id], stock)
        for location_id, stock in by_location.items()
    ]
    return Snapshot(
        candidates=candidates,
        balance_ids=ids,
        skus=skus,
        location_codes={c.id: c.code for c in candidates},
        sku_tags=tags,
        profile_revision=revision_read,
    )


def location_facts(
    location_id: int, values: Sequence, available: Mapping[int, int]
) -> LocationFacts:
    """LocationFacts from the 13 location values of a candidates row (code … cost)."""
    (code, kind, priority, country, region, postal, lat, lon, ships, pickup, capacity) = values[:11]
    calendar_data, cost = values[11:13]
    return LocationFacts(
        id=location_id,
        code=code,
        kind=kind,
        available=available,
        priority=priority,
        country=country or "",
        region=region or "",
        postal_code=postal or "",
        latitude=None if lat is None else float(lat),
        longitude=None if lon is None else float(lon),
        ships=ships,
        pickup=pickup,
        daily_capacity=capacity,
        calendar=calendar_parse(calendar_data),
        cost_per_shipment=cost,
    )


_CALENDARS: dict[str, Calendar | None] = {}


def calendar_parse(data: object) -> Calendar | None:
    """A stored calendar (validated when saved); empty or unreadable: always open."""
    if not data:
        return None
    key = repr(data)
    if key not in _CALENDARS:
        try:
            _CALENDARS[key] = calendar_from_dict(data)
        except DomainError:
            _CALENDARS[key] = None
        if len(_CALENDARS) > 1024:
            _CALENDARS.clear()
    return _CALENDARS[key]


# --- what a profile needs beyond the stock query ----------------------------------------------


def profile_needs(profile: Profile) -> frozenset[str]:
    """'groups', 'capacity', 'distance': the facts a profile's filters or ranking look at."""
    needs: set[str] = set()
    for s in profile.strategies:
        for f in s.filters:
            if isinstance(f, InGroups):
                needs.add("groups")
            elif isinstance(f, CapacityLeft):
                needs.add("capacity")
            elif isinstance(f, WithinDistance):
                needs.add("distance")
        for c in s.ranking.criteria:
            needs.add({"group": "groups", "capacity_left": "capacity"}.get(c.name, c.name))
    return frozenset(needs & {"groups", "capacity", "distance"})


def candidates_enrich(
    candidates: Sequence[LocationFacts],
    *,
    needs: Iterable[str],
    now: datetime,
    destinations: Sequence[Destination] = (),
) -> tuple[list[LocationFacts], ZoneTable]:
    """Add the groups and today's shipments to the candidates, and read the zone table, as
    far as `needs` asks: at most one statement each; none for the built-in default profile."""
    needs = set(needs)
    out = list(candidates)
    ids = [c.id for c in out]
    if "groups" in needs and ids:
        groups: dict[int, set[str]] = {}
        through = Location.groups.through
        for location_id, code in through.objects.filter(location_id__in=ids).values_list(
            "location_id", "locationgroup__code"
        ):
            groups.setdefault(location_id, set()).add(code)
        out = [replace(c, groups=frozenset(groups.get(c.id, ()))) for c in out]
    if "capacity" in needs:
        limited = [c.id for c in out if c.daily_capacity is not None]
        if limited:
            assigned = shipments_assigned(limited, now)
            out = [replace(c, assigned_today=assigned.get(c.id, 0)) for c in out]
    zones = ZoneTable()
    if "distance" in needs:
        places = [*out, *destinations]
        if any(getattr(p, "latitude", None) is None for p in places):
            zones = zone_table()
    return out, zones


def shipments_assigned(location_ids: Sequence[int], now: datetime) -> dict[int, int]:
    """Fulfillment orders created at each location since midnight UTC of `now`'s day."""
    midnight = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    return fulfillment_orders_created_since(location_ids=location_ids, since=midnight)


def zone_table() -> ZoneTable:
    """The merchant's zones and km between zones, in one statement."""
    text, number = CharField(), DecimalField(max_digits=9, decimal_places=1)
    zones = DistanceZone.objects.order_by().values_list(
        Value("z", text), "country", "region", "postal_prefix", "zone", Value(None, number)
    )
    pairs = ZoneDistance.objects.order_by().values_list(
        Value("d", text), "zone_a", "zone_b", Value("", text), Value("", text), "km"
    )
    postal: dict[tuple[str, str], str] = {}
    regions: dict[tuple[str, str], str] = {}
    countries: dict[str, str] = {}
    km: dict[tuple[str, str], float] = {}
    for kind, a, b, prefix, zone, dist in zones.union(pairs, all=True):
        if kind == "d":
            km[(a, b)] = float(dist)
        elif prefix:
            postal[(a, prefix.replace(" ", "").upper())] = zone
        elif b:
            regions[(a, b)] = zone
        else:
            countries[a] = zone
    return ZoneTable(postal=postal, regions=regions, countries=countries, km=km)


# --- the order --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderContext:
    """What the engine's conditions and distances need to know of an order, besides its lines."""

    order_id: str
    channel: str
    destination: Destination
    delivery_method: str = "ship"
    value: Decimal = Decimal(0)
    currency: str = "EUR"
    customer_tags: frozenset[str] = frozenset()
    pickup_location_id: int | None = None
    line_skus: Mapping[int, int] = field(default_factory=dict)  # line key → SKU sold


NO_CONTEXT = OrderContext(order_id="", channel="", destination=Destination(country=""))


def destination_of(address: Mapping | None, pickup: object | None = None) -> Destination:
    """The customer's address, or for pickup the store's (a Location or its values)."""
    if pickup is not None:
        return Destination(
            country=pickup.country or "",
            region=pickup.region or "",
            postal_code=pickup.postal_code or "",
            latitude=None if pickup.latitude is None else float(pickup.latitude),
            longitude=None if pickup.longitude is None else float(pickup.longitude),
        )
    address = address or {}
    lat, lon = address.get("latitude"), address.get("longitude")
    return Destination(
        country=address.get("country") or "",
        region=address.get("region") or "",
        postal_code=address.get("postal_code") or "",
        latitude=None if lat in (None, "") else float(lat),
        longitude=None if lon in (None, "") else float(lon),
    )


def order_facts(
    context: OrderContext, demands: Sequence[LineDemand], sku_tags: Mapping[int, frozenset[str]]
) -> OrderFacts:
    """OrderFacts for these demands. A line's SKU tags: its SKU's, else its components'."""
    lines = []
    for d in demands:
        sku = context.line_skus.get(d.key)
        if sku is not None and sku in sku_tags:
            tags = sku_tags[sku]
        else:
            tags = frozenset().union(*(sku_tags.get(s, frozenset()) for s in d.components))
        lines.append(
            OrderLine(
                key=d.key,
                sku_id=sku if sku is not None else next(iter(d.components)),
                quantity=d.quantity,
                sku_tags=tags,
                components=dict(d.components),
            )
        )
    method = context.delivery_method
    return OrderFacts(
        order_id=context.order_id,
        channel=context.channel,
        destination=context.destination,
        lines=tuple(lines),
        delivery_method=method,
        value=context.value,
        currency=context.currency,
        customer_tags=context.customer_tags,
        pickup_location_id=context.pickup_location_id if method != "ship" else None,
    )
