"""Promise a date: can a cart ship to a destination, from where, and when will it arrive.

The same engine decides where the items come from (nothing is reserved); each location's ship
date follows its calendar (today before the cut-off, else the next working day, skipping closed
dates); the delivery date adds the transit days of the carrier service between the location's
zone and the destination's zone, counted on the carrier's delivery weekdays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

from ordino.sourcing.domain.distance import NO_ZONES, ZoneTable
from ordino.sourcing.domain.engine import decide
from ordino.sourcing.domain.explain import Decision
from ordino.sourcing.domain.facts import LocationFacts, OrderFacts
from ordino.sourcing.domain.profile import Profile

ANY_ZONE = "*"


@dataclass(frozen=True)
class TransitTable:
    """Transit days per (carrier service, from zone, to zone); '*' matches any zone.

    Lookup order: exact pair, (from, '*'), ('*', to), ('*', '*'). Days are counted on
    `delivery_weekdays` (0 = Monday; Monday to Friday unless told).
    """

    days: Mapping[tuple[str, str, str], int] = field(default_factory=dict)
    delivery_weekdays: frozenset[int] = frozenset(range(5))

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", MappingProxyType(dict(self.days)))

    def transit(self, service: str, origin: str | None, target: str | None) -> int | None:
        a, b = origin or ANY_ZONE, target or ANY_ZONE
        for pair in ((a, b), (a, ANY_ZONE), (ANY_ZONE, b), (ANY_ZONE, ANY_ZONE)):
            found = self.days.get((service, *pair))
            if found is not None:
                return found
        return None

    def arrival(self, shipped: date, days: int) -> date:
        if not self.delivery_weekdays:
            return shipped + timedelta(days=days)
        day, left = shipped, days
        while left > 0:
            day += timedelta(days=1)
            if day.weekday() in self.delivery_weekdays:
                left -= 1
        return day


@dataclass(frozen=True)
class PromisedShipment:
    location_id: int
    code: str
    lines: Mapping[int, int]  # line key → items
    ship_date: date | None
    delivery_date: date | None
    transit_days: int | None
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {
            "location_id": self.location_id,
            "code": self.code,
            "lines": {str(k): v for k, v in sorted(self.lines.items())},
            "ship_date": None if self.ship_date is None else self.ship_date.isoformat(),
            "delivery_date": None if self.delivery_date is None else self.delivery_date.isoformat(),
            "transit_days": self.transit_days,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Promise:
    can_ship: bool  # every item placed
    service: str
    shipments: tuple[PromisedShipment, ...]
    backordered: Mapping[int, int]
    ship_date: date | None  # the last shipment's
    delivery_date: date | None  # the last delivery; None when any is unknown
    decision: Decision

    def to_dict(self) -> dict[str, object]:
        return {
            "can_ship": self.can_ship,
            "service": self.service,
            "ship_date": None if self.ship_date is None else self.ship_date.isoformat(),
            "delivery_date": None if self.delivery_date is None else self.delivery_date.isoformat(),
            "shipments": [s.to_dict() for s in self.shipments],
            "backordered": {str(k): v for k, v in sorted(self.backordered.items())},
            "explanation": self.decision.explanation.to_dict(),
        }


def promise(
    order: OrderFacts,
    candidates: Sequence[LocationFacts],
    profile: Profile,
    now: datetime,
    *,
    transit: TransitTable,
    service: str,
    zones: ZoneTable = NO_ZONES,
) -> Promise:
    decision = decide(order, candidates, profile, now, zones=zones)
    by_id = {loc.id: loc for loc in candidates}
    dest = order.destination
    target = zones.zone_of(dest.country, dest.region, dest.postal_code)
    shipments = []
    for location_id, lines in decision.shipments().items():
        loc = by_id[location_id]
        if loc.calendar is None:
            ship: date | None = now.date()
            why = "no calendar: ships today"
        else:
            ship = loc.calendar.next_ship_date(now)
            today = loc.calendar.local(now).date()
            if ship is None:
                why = "no working day in the next 60 days"
            elif ship == today:
                why = f"ships today, before the cut-off ({loc.calendar.describe_day(now)})"
            else:
                why = f"ships {ship:%a %Y-%m-%d}, the next working day after today's cut-off"
        origin = zones.zone_of(loc.country, loc.region, loc.postal_code)
        days = transit.transit(service, origin, target)
        arrival = None if ship is None or days is None else transit.arrival(ship, days)
        if days is None:
            why += f"; no transit time for {service} from zone {origin} to zone {target}"
        else:
            why += f"; {days} transit days by {service} (zone {origin} → {target})"
        shipments.append(PromisedShipment(location_id, loc.code, lines, ship, arrival, days, why))
    ships = [s.ship_date for s in shipments]
    arrivals = [s.delivery_date for s in shipments]
    return Promise(
        can_ship=bool(shipments) and not decision.backordered,
        service=service,
        shipments=tuple(shipments),
        backordered=decision.backordered,
        ship_date=max(ships) if ships and None not in ships else None,  # type: ignore[type-var]
        delivery_date=max(arrivals) if arrivals and None not in arrivals else None,  # type: ignore[type-var]
        decision=decision,
    )
