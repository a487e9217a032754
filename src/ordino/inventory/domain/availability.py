"""Availability maths: per location, for kits, and per channel. Pure functions over quantities."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


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
