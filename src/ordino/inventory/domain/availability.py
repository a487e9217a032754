"""Availability maths: per location, for kits, and per channel. Pure functions over quantities."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def location_available(on_hand: int, committed: int, safety_stock: int, unavailable: int) -> int:
    """What one location can promise of a SKU: on hand less what is committed, held as safety
    stock or unavailable; never below 0. The one statement of the rule: balances
    (`Quantities.available`) and the availability reads' rows (`inventory/availability_reads.py`)
    both ask it."""
    free = on_hand - committed - safety_stock - unavailable
    return free if free > 0 else 0


def kit_available(component_needs: Mapping[int, int], available: Mapping[int, int]) -> int:
    """Whole kits a location can make: the scarcest component decides.

    component_needs: component sku id → units per kit; available: sku id → available units.
    """
    if not component_needs:
        return 0
    return min(available.get(sku, 0) // per_kit for sku, per_kit in component_needs.items())


def channel_available(
    per_location: Mapping[int, int], *, excluded: Iterable[int] = (), buffer: int = 0
) -> int:
    """What a channel may sell: every location it may use, less the channel's buffer."""
    skip = set(excluded)
    total = sum(qty for location, qty in per_location.items() if location not in skip)
    return max(0, total - buffer)


def kit_available_by_location(
    component_needs: Mapping[int, int],
    stock: Mapping[int, Mapping[int, int]],
    locations: Iterable[int],
) -> dict[int, int]:
    """Whole kits each location can make, in the order of `locations`: every location holding
    stock of any component (a balance row, even of 0 units) is listed, the others are not.

    component_needs: component sku id → units per kit; stock: sku id → location id → available.
    """
    per_location: dict[int, int] = {}
    for location in locations:
        held = {
            sku: stock[sku][location]
            for sku in component_needs
            if sku in stock and location in stock[sku]
        }
        if held:
            per_location[location] = kit_available(component_needs, held)
    return per_location
