"""The stock ledger's arithmetic: which named quantities a movement changes, and by how much.

A movement moves `quantity` units of one SKU at one location from one state to another.
`available` is not stored: it is what on hand leaves after committed, safety stock and unavailable.
Balances are the sum of every movement's deltas, so they can always be rebuilt from the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ordino.inventory.domain.availability import location_available

EXTERNAL = "external"  # outside Ordino: supplier, customer, write-off, counting difference
AVAILABLE = "available"
COMMITTED = "committed"
SAFETY = "safety"
UNAVAILABLE = "unavailable"
INCOMING = "incoming"  # expected or in transit towards this location
STATES = (EXTERNAL, AVAILABLE, COMMITTED, SAFETY, UNAVAILABLE, INCOMING)

FIELDS = ("on_hand", "committed", "safety_stock", "unavailable", "incoming")

# The stored fields a state counts in: units in `committed` are also on hand, and so on.
STATE_FIELDS: dict[str, tuple[str, ...]] = {
    EXTERNAL: (),
    AVAILABLE: ("on_hand",),
    COMMITTED: ("on_hand", "committed"),
    SAFETY: ("on_hand", "safety_stock"),
    UNAVAILABLE: ("on_hand", "unavailable"),
    INCOMING: ("incoming",),
}


@dataclass(frozen=True)
class Quantities:
    on_hand: int = 0
    committed: int = 0
    safety_stock: int = 0
    unavailable: int = 0
    incoming: int = 0

    @property
    def available(self) -> int:
        return location_available(self.on_hand, self.committed, self.safety_stock, self.unavailable)


def movement_deltas(from_state: str, to_state: str, quantity: int) -> dict[str, int]:
    """The change to each stored field when `quantity` units move from one state to another."""
    if from_state not in STATE_FIELDS or to_state not in STATE_FIELDS:
        raise ValueError(f"unknown stock state in {from_state!r} → {to_state!r}")
    if from_state == to_state:
        raise ValueError("a movement needs two different states")
    if quantity <= 0:
        raise ValueError("a movement moves a positive quantity")
    deltas: dict[str, int] = defaultdict(int)
    for field in STATE_FIELDS[from_state]:
        deltas[field] -= quantity
    for field in STATE_FIELDS[to_state]:
        deltas[field] += quantity
    return {field: delta for field, delta in deltas.items() if delta}


@dataclass(frozen=True)
class Movement:
    location_id: int
    sku_id: int
    from_state: str
    to_state: str
    quantity: int


def balances_project(movements: Iterable[Movement]) -> dict[tuple[int, int], Quantities]:
    """Rebuild every balance, keyed (location_id, sku_id), from the ledger alone."""
    sums: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for m in movements:
        row = sums[(m.location_id, m.sku_id)]
        for field, delta in movement_deltas(m.from_state, m.to_state, m.quantity).items():
            row[field] += delta
    return {key: Quantities(**row) for key, row in sums.items()}


def counted_movement(current_on_hand: int, counted: int) -> tuple[str, str, int] | None:
    """The movement that makes on hand equal a physical count (a cycle count)."""
    if counted == current_on_hand:
        return None
    if counted > current_on_hand:
        return (EXTERNAL, AVAILABLE, counted - current_on_hand)
    return (AVAILABLE, EXTERNAL, current_on_hand - counted)
