"""Location filters: each answers None (kept) or the reason, with its numbers, for removing one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ordino.sourcing.domain.distance import NO_ZONES, Distance, ZoneTable, distance_to
from ordino.sourcing.domain.facts import PICKUP, LocationFacts, OrderFacts
from ordino.sourcing.domain.profile import (
    CapacityLeft,
    ExcludeLocations,
    Filter,
    HasStock,
    InGroups,
    IsOpen,
    KindIn,
    WithinDistance,
)
from ordino.sourcing.domain.stock import Alone, alone, has_any

ELIGIBLE = "eligible"  # the built-in checks every strategy applies first


@dataclass
class Context:
    """One decision's inputs and per-location caches (distance, what it covers alone)."""

    order: OrderFacts
    now: datetime
    zones: ZoneTable = NO_ZONES
    _distance: dict[int, Distance] = field(default_factory=dict)
    _alone: dict[int, Alone] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lines = self.order.lines
        self.quantities = tuple(line.quantity for line in self.lines)
        self.wanted = sum(self.quantities)

    def distance(self, location: LocationFacts) -> Distance:
        found = self._distance.get(location.id)
        if found is None:
            found = distance_to(location, self.order.destination, self.zones)
            self._distance[location.id] = found
        return found

    def alone(self, location: LocationFacts) -> Alone:
        found = self._alone.get(location.id)
        if found is None:
            found = alone(location.available, self.lines, self.quantities)
            self._alone[location.id] = found
        return found


def eligibility(location: LocationFacts, ctx: Context) -> str | None:
    if not location.is_active:
        return "inactive"
    if ctx.order.delivery_method == PICKUP:
        if location.id != ctx.order.pickup_location_id:
            return "not the pickup store of this order"
        if not location.pickup:
            return "the pickup store does not offer pickup"
        return None
    if not location.ships:
        return "does not ship orders"
    return None


def check(rule: Filter, location: LocationFacts, ctx: Context) -> str | None:
    """None when `location` passes `rule`, else why not (one sentence, with the numbers)."""
    if isinstance(rule, InGroups):
        if location.groups.intersection(rule.groups):
            return None
        have = ", ".join(sorted(location.groups)) or "none"
        return f"not in group {' or '.join(rule.groups)} (its groups: {have})"
    if isinstance(rule, KindIn):
        if location.kind in rule.kinds:
            return None
        return f"kind {location.kind} is not {' or '.join(rule.kinds)}"
    if isinstance(rule, ExcludeLocations):
        return "excluded by the strategy" if location.code in rule.codes else None
    if isinstance(rule, CapacityLeft):
        left = location.capacity_left
        if left is None or left >= rule.minimum:
            return None
        return (
            f"{left} shipment{'s' if left != 1 else ''} left today, {rule.minimum} needed "
            f"({location.assigned_today} of {location.daily_capacity} already assigned)"
        )
    if isinstance(rule, IsOpen):
        return _closed(rule, location, ctx.now)
    if isinstance(rule, WithinDistance):
        d = ctx.distance(location)
        if d.km is None:
            if rule.unknown == "keep":
                return None
            return f"distance unknown ({d.detail}), limit {rule.km:g} km"
        if d.km <= rule.km:
            return None
        return f"{d.km:.0f} km away, beyond the {rule.km:g} km limit"
    if isinstance(rule, HasStock):
        if rule.mode == "any":
            return None if has_any(location.available, ctx.lines) else "no stock for any line"
        return _stock(rule, ctx.alone(location), ctx)
    raise TypeError(f"unknown filter {rule!r}")  # pragma: no cover - validation refuses it


def _closed(rule: IsOpen, location: LocationFacts, now: datetime) -> str | None:
    calendar = location.calendar
    if calendar is None:
        return None
    local = calendar.local(now)
    if rule.mode == "open_now":
        if calendar.is_open(now):
            return None
        return f"closed now: {calendar.describe_day(now)}"
    cutoff = calendar.day_cutoff(local.date())
    if cutoff is None:
        return f"closed today: {calendar.describe_day(now)}"
    if local.time() < cutoff:
        return None
    return f"closed: cut-off {cutoff:%H:%M} passed (local time {local:%H:%M} {calendar.timezone})"


def _stock(rule: HasStock, cover: Alone, ctx: Context) -> str | None:
    if rule.mode == "full_line":
        if cover.full_lines:
            return None
        best = max(
            (
                (items, line.quantity, line.key)
                for items, line in zip(cover.per_line, ctx.lines, strict=True)
            ),
            default=(0, 0, None),
        )
        if best[2] is None:
            return "covers no line in full"
        return f"covers no line in full (best: line {best[2]}, {best[0]} of {best[1]})"
    if cover.placed >= ctx.wanted:
        return None
    return f"cannot ship the whole order alone ({cover.placed} of {ctx.wanted} items)"
