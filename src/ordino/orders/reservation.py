"""Reserving stock for order lines: read candidates, plan (pure domain), and apply the plan with
one conditional update per balance row. A row that changed under us (a concurrent order took the
stock) makes us give back this attempt's reservations, re-read and re-plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ordino.core.domain.errors import Conflict
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED
from ordino.inventory.ledger import balance_move
from ordino.inventory.models import StockBalance
from ordino.orders.domain.allocation import AllocationPlan, Candidate, LineDemand, allocation_plan

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Reservation:
    plan: AllocationPlan
    balance_ids: dict[tuple[int, int], int]  # (location_id, sku_id) → balance row
    units: dict[tuple[int, int], int]  # (location_id, sku_id) → units reserved
    location_codes: dict[int, str]


@dataclass(frozen=True)
class Snapshot:
    """What every candidate location has available, as read in one query."""

    candidates: list[Candidate]
    balance_ids: dict[tuple[int, int], int]  # (location_id, sku_id) → balance row
    skus: dict[str, tuple[int, str]]  # code → (sku id, name) of the SKUs seen
    location_codes: dict[int, str]


def candidates_load(
    *,
    channel_id: int,
    pickup_location_id: int | None,
    sku_ids: set[int] | None = None,
    sku_codes: set[str] | None = None,
    exclude_location_ids: frozenset[int] = frozenset(),
) -> Snapshot:
    """Every active location that may serve the order, with what it has available: one query.

    By SKU codes, the same query also tells which SKUs exist and have stock somewhere, which
    spares order capture a separate catalog read in the common case.
    """
    rows = StockBalance.objects.filter(location__is_active=True)
    if sku_ids is not None:
        rows = rows.filter(sku_id__in=sku_ids)
    else:
        rows = rows.filter(sku__code__in=sku_codes, sku__is_active=True)
    if exclude_location_ids:
        rows = rows.exclude(location_id__in=exclude_location_ids)
    if pickup_location_id is not None:
        rows = rows.filter(location_id=pickup_location_id)
    else:
        rows = rows.filter(location__ships=True).exclude(
            location__excluded_from_channels=channel_id
        )
    by_location: dict[int, dict[int, int]] = {}
    priorities: dict[int, int] = {}
    ids: dict[tuple[int, int], int] = {}
    skus: dict[str, tuple[int, str]] = {}
    location_codes: dict[int, str] = {}
    for row in rows.values_list(
        "id",
        "location_id",
        "sku_id",
        "on_hand",
        "committed",
        "safety_stock",
        "unavailable",
        "location__priority",
        "sku__code",
        "sku__name",
        "location__code",
    ):
        (pk, location_id, sku_id, on_hand, committed, safety, unavailable, priority) = row[:8]
        code, name, location_codes[location_id] = row[8:]
        available = max(0, on_hand - committed - safety - unavailable)
        by_location.setdefault(location_id, {})[sku_id] = available
        priorities[location_id] = priority
        ids[(location_id, sku_id)] = pk
        skus[code] = (sku_id, name)
    candidates = [
        Candidate(location_id=loc, priority=priorities[loc], available=stock)
        for loc, stock in by_location.items()
    ]
    return Snapshot(
        candidates=candidates, balance_ids=ids, skus=skus, location_codes=location_codes
    )


def stock_reserve(
    *,
    demands: Sequence[LineDemand],
    channel_id: int,
    pickup_location_id: int | None,
    snapshot: Snapshot | None = None,
    exclude_location_ids: frozenset[int] = frozenset(),
) -> Reservation:
    """Reserve what the stock allows and plan the rest as backordered. Never oversells.

    `snapshot`: candidates already read in this transaction, used for the first attempt.
    """
    sku_ids = {sku for d in demands for sku in d.components}
    for _ in range(MAX_ATTEMPTS):
        if snapshot is None:
            snapshot = candidates_load(
                sku_ids=sku_ids,
                channel_id=channel_id,
                pickup_location_id=pickup_location_id,
                exclude_location_ids=exclude_location_ids,
            )
        plan = allocation_plan(demands, snapshot.candidates)
        units = plan.units_by_location(demands)
        if _reserve_all(units, snapshot.balance_ids):
            return Reservation(
                plan=plan,
                balance_ids=snapshot.balance_ids,
                units=units,
                location_codes=snapshot.location_codes,
            )
        snapshot = None  # someone took stock meanwhile: read again
    raise Conflict(
        "stock_contention",
        "Stock for this order kept changing under concurrent orders; retry the request.",
    )


def _reserve_all(units: dict[tuple[int, int], int], ids: dict[tuple[int, int], int]) -> bool:
    done: list[tuple[int, int]] = []
    # Primary-key order: concurrent writers take row locks in the same order, so no deadlock.
    for balance_id, quantity in sorted((ids[slot], qty) for slot, qty in units.items()):
        if not balance_move(balance_id, AVAILABLE, COMMITTED, quantity, respect_safety=True):
            for undo_id, undo_qty in done:
                balance_move(undo_id, COMMITTED, AVAILABLE, undo_qty, respect_safety=False)
            return False
        done.append((balance_id, quantity))
    return True
