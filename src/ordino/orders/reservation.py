"""Reserving stock for order lines: read candidates, ask sourcing where the items come from
(the profile in effect; docs/design.md §4), and apply that plan with one conditional update per
balance row. A row that changed under us (a concurrent order took the stock) makes us give back
this attempt's reservations, re-read and decide again.

`reservation_place` is the whole sequence capture, re-routing and edits run: reserve, write the
order's lines, write the fulfillment orders, log the ledger movements, store the decision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict
from ordino.fulfillment.domain.allocation import AllocationPlan, LineDemand, Pick
from ordino.fulfillment.placement import Placed, placement_write
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, Movement
from ordino.inventory.ledger import LedgerContext, balances_reserve, movements_log
from ordino.orders.domain.capture import shelves_location
from ordino.orders.models import Order
from ordino.orders.sourcing_inputs import order_context
from ordino.sourcing.facts import (
    NO_CONTEXT,
    OrderContext,
    Snapshot,
    candidates_load,
    order_facts,
)
from ordino.sourcing.services import Sourced, sourcing_decide, sourcing_decision_record

if TYPE_CHECKING:
    from ordino.sourcing.models import SourcingDecision

MAX_ATTEMPTS = 8

__all__ = [
    "LinesWritten",
    "Placement",
    "Reservation",
    "Snapshot",
    "candidates_load",
    "reservation_place",
    "stock_reserve",
]


@dataclass(frozen=True)
class Reservation:
    plan: AllocationPlan
    balance_ids: dict[tuple[int, int], int]  # (location_id, sku_id) → balance row
    units: dict[tuple[int, int], int]  # (location_id, sku_id) → units reserved
    location_codes: dict[int, str]
    sourced: Sourced  # the decision and its explanation


def plan_of(sourced: Sourced) -> AllocationPlan:
    """The decision as picks per line key (what placement writes) and backordered items."""
    decision = sourced.decision
    picks = [
        Pick(key, a.location_id, a.quantity)
        for key, assigned in sorted(decision.assignments.items())
        for a in assigned
        if a.quantity
    ]
    return AllocationPlan(picks=picks, backordered=dict(decision.backordered))


def stock_reserve(
    *,
    demands: Sequence[LineDemand],
    channel_id: int,
    pickup_location_id: int | None,
    snapshot: Snapshot | None = None,
    exclude_location_ids: frozenset[int] = frozenset(),
    context: OrderContext | None = None,
    order: Order | None = None,
    now: datetime | None = None,
    trigger: str = "reroute",
) -> Reservation:
    """Reserve what the stock allows and plan the rest as backordered. Never oversells.

    `snapshot`: candidates already read in this transaction (with the same `now`), used for
    the first attempt. `context`: the order as the engine's conditions see it; for an existing
    `order` it is read from it, and the decision is stored with it (`trigger`). Capture passes
    the context and stores the decision itself once the order exists.
    """
    now = now or utcnow()
    if context is None:
        context = order_context(order) if order is not None else NO_CONTEXT
    sku_ids = {sku for d in demands for sku in d.components}
    for _ in range(MAX_ATTEMPTS):
        if snapshot is None:
            snapshot = candidates_load(
                sku_ids=sku_ids,
                channel_id=channel_id,
                pickup_location_id=pickup_location_id,
                exclude_location_ids=exclude_location_ids,
                now=now,
            )
        facts = order_facts(context, demands, snapshot.sku_tags)
        sourced = sourcing_decide(order=facts, snapshot=snapshot, now=now)
        units = sourced.decision.units_by_location(facts)
        if _reserve_all(units, snapshot.balance_ids):
            if order is not None:
                sourcing_decision_record(
                    order_id=order.pk, sourced=sourced, trigger=trigger, now=now
                )
            return Reservation(
                plan=plan_of(sourced),
                balance_ids=snapshot.balance_ids,
                units=units,
                location_codes=snapshot.location_codes,
                sourced=sourced,
            )
        snapshot = None  # someone took stock meanwhile: read again
    raise Conflict(
        "stock_contention",
        "Stock for this order kept changing under concurrent orders; retry the request.",
    )


def _reserve_all(units: dict[tuple[int, int], int], ids: dict[tuple[int, int], int]) -> bool:
    """Every unit reserved, or none (one statement: inventory.ledger.balances_reserve)."""
    return balances_reserve({ids[slot]: qty for slot, qty in units.items()})


class LinesWritten(Protocol):
    """The order lines the reserved items belong to, once written."""

    @property
    def order_id(self) -> int: ...

    @property
    def line_ids(self) -> Sequence[int] | Mapping[int, int]:
        """The order line of each demand, by the demand's key."""
        ...


Written = TypeVar("Written", bound=LinesWritten)


@dataclass(frozen=True)
class Placement(Generic[Written]):
    reservation: Reservation
    written: Written  # what `lines_write` returned
    placed: Placed  # what `place` wrote
    decision: SourcingDecision  # the sourcing decision, as stored


def reservation_place(
    *,
    demands: Sequence[LineDemand],
    channel_id: int,
    delivery_method: str,
    pickup_location_id: int | None,
    lines_write: Callable[[Reservation], Written],
    actor: str,
    now: datetime,
    trigger: str,
    context: OrderContext | None = None,
    order: Order | None = None,
    snapshot: Snapshot | None = None,
    exclude_location_ids: frozenset[int] = frozenset(),
    note: str = "",
    place: Callable[..., Placed] = placement_write,
    before_writes: Callable[[Reservation], None] | None = None,
) -> Placement[Written]:
    """Reserve the items (what no stock covers is backordered), then, in this order:
    `lines_write(reservation)` writes or finds the order lines, `place` writes the fulfillment
    orders (placement_write's keywords), the ledger logs the reservation (with `note`), and the
    decision is stored (`trigger`: "capture", "reroute", "edit"). `pickup_location_id`: the
    order's store (only a pickup is served from its shelves); `context`: the order as the
    engine's conditions see it, else read from `order`; `snapshot`, `exclude_location_ids`: as
    `stock_reserve` takes them; `before_writes(reservation)`: told the plan before any write."""
    if context is None and order is None:
        raise ValueError("reservation_place needs the order or its context")
    reservation = stock_reserve(
        demands=demands,
        channel_id=channel_id,
        pickup_location_id=shelves_location(delivery_method, pickup_location_id),
        snapshot=snapshot,
        exclude_location_ids=exclude_location_ids,
        context=context if context is not None else order_context(order),
        now=now,
    )
    if before_writes is not None:
        before_writes(reservation)
    written = lines_write(reservation)
    placed = place(
        order_id=written.order_id,
        order_line_ids=written.line_ids,
        demands=demands,
        plan=reservation.plan,
        delivery_method=delivery_method,
        now=now,
    )
    reference = f"order:{written.order_id}"
    movements_log(
        [
            Movement(*slot, AVAILABLE, COMMITTED, qty)
            for slot, qty in sorted(reservation.units.items())
        ],
        context=LedgerContext(reason="reserve", actor=actor, reference=reference, note=note),
    )
    decision = sourcing_decision_record(
        order_id=written.order_id, sourced=reservation.sourced, trigger=trigger, now=now
    )
    return Placement(reservation, written, placed, decision)
