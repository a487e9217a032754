"""Where an order's lines are reserved, until the sourcing engine lands (docs/design.md §4).

Rule: ship from the fewest locations that can cover everything, preferring lower priority
numbers; a line may be split over locations; what no location covers is backordered.
Pure: the caller passes what every candidate location has available.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LineDemand:
    key: int
    quantity: int
    components: Mapping[int, int]  # sku id → units per item ({sku: 1} for a simple SKU)


@dataclass(frozen=True)
class Candidate:
    location_id: int
    priority: int
    available: Mapping[int, int]  # sku id → available units


@dataclass(frozen=True)
class Pick:
    key: int
    location_id: int
    quantity: int  # items of the line (kits, not components)


@dataclass
class AllocationPlan:
    picks: list[Pick] = field(default_factory=list)
    backordered: dict[int, int] = field(default_factory=dict)

    def units_by_location(self, demands: Sequence[LineDemand]) -> dict[tuple[int, int], int]:
        """Component units to reserve, keyed (location_id, sku_id)."""
        by_key = {d.key: d for d in demands}
        units: dict[tuple[int, int], int] = {}
        for pick in self.picks:
            for sku, per_item in by_key[pick.key].components.items():
                slot = (pick.location_id, sku)
                units[slot] = units.get(slot, 0) + per_item * pick.quantity
        return units


def _coverable(stock: Mapping[int, int], demand: LineDemand, wanted: int) -> int:
    can = min(stock.get(sku, 0) // per for sku, per in demand.components.items())
    return max(0, min(wanted, can))


def _take(stock: dict[int, int], demand: LineDemand, items: int) -> None:
    if not items:
        return
    for sku, per in demand.components.items():
        stock[sku] = stock.get(sku, 0) - per * items


def allocation_plan(
    demands: Sequence[LineDemand], candidates: Sequence[Candidate]
) -> AllocationPlan:
    ranked = sorted(candidates, key=lambda c: (c.priority, c.location_id))
    stock = {c.location_id: dict(c.available) for c in ranked}
    remaining = {d.key: d.quantity for d in demands}
    plan = AllocationPlan()

    def assign(location_id: int) -> int:
        placed = 0
        for d in demands:
            items = _coverable(stock[location_id], d, remaining[d.key])
            if items:
                _take(stock[location_id], d, items)
                remaining[d.key] -= items
                placed += items
                plan.picks.append(Pick(d.key, location_id, items))
        return placed

    def covers_all(location_id: int) -> bool:
        trial = dict(stock[location_id])
        for d in demands:
            if _coverable(trial, d, remaining[d.key]) < remaining[d.key]:
                return False
            _take(trial, d, remaining[d.key])
        return True

    single = next((c for c in ranked if covers_all(c.location_id)), None)
    if single is not None:
        assign(single.location_id)
        return plan

    while any(remaining.values()):
        best, best_units = None, 0
        for c in ranked:
            trial = dict(stock[c.location_id])
            units = 0
            for d in demands:
                items = _coverable(trial, d, remaining[d.key])
                _take(trial, d, items)
                units += items
            if units > best_units:
                best, best_units = c, units
        if best is None:
            break
        assign(best.location_id)

    plan.backordered = {key: qty for key, qty in remaining.items() if qty}
    return plan
