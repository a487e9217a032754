"""Which units a cancellation takes, and which reservations it gives back. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ordino.core.domain.errors import DomainError


@dataclass(frozen=True)
class CancelRequest:
    line_no: int
    backordered: int
    allocated: int
    needs: Mapping[int, int]  # component sku id → units per item
    # Open fulfillment lines holding the line's reservations: (id, location id, open items)
    holdings: Sequence[tuple[int, int, int]]


@dataclass(frozen=True)
class LineCut:
    line_no: int
    quantity: int
    from_backordered: int
    from_allocated: int


@dataclass
class CancellationPlan:
    lines: list[LineCut] = field(default_factory=list)
    # (fulfillment line id, items it gives up)
    holding_cuts: list[tuple[int, int]] = field(default_factory=list)
    releases: dict[tuple[int, int], int] = field(default_factory=dict)  # (location, sku) → units


def cancellation_plan(
    *, lines: Sequence[CancelRequest], wanted: Mapping[int, int] | None
) -> CancellationPlan:
    """`wanted`: line number → units to cancel; None cancels everything not yet shipped.

    Backordered units go first (nothing to give back), then reserved ones, newest first.
    """
    by_no = {line.line_no: line for line in lines}
    if wanted is None:
        wanted = {
            n: r.backordered + r.allocated for n, r in by_no.items() if r.backordered + r.allocated
        }
    errors = []
    for line_no, quantity in wanted.items():
        line = by_no.get(line_no)
        if line is None:
            errors.append(
                {
                    "field": "lines.line_no",
                    "code": "line_not_found",
                    "message": f"No line {line_no}.",
                }
            )
        elif quantity > line.backordered + line.allocated:
            errors.append(
                {
                    "field": "lines.quantity",
                    "code": "quantity_exceeds_cancellable",
                    "message": f"Line {line_no} has {line.backordered + line.allocated} "
                    f"cancellable unit(s), not {quantity}.",
                }
            )
    if errors:
        raise DomainError(
            "invalid_cancellation", "The cancellation asks for too much.", errors=errors
        )
    if not any(wanted.values()):
        raise DomainError("nothing_to_cancel", "Nothing is left to cancel.", status=409)

    plan = CancellationPlan()
    for line_no in sorted(wanted):
        quantity = wanted[line_no]
        if not quantity:
            continue
        line = by_no[line_no]
        from_backordered = min(quantity, line.backordered)
        from_allocated = quantity - from_backordered
        plan.lines.append(LineCut(line_no, quantity, from_backordered, from_allocated))
        if from_allocated:
            _release(line, from_allocated, plan)
    return plan


def _release(line: CancelRequest, items: int, plan: CancellationPlan) -> None:
    left = items
    for holding_id, location, open_items in sorted(line.holdings, key=lambda h: -h[0]):
        take = min(left, open_items)
        if not take:
            continue
        plan.holding_cuts.append((holding_id, take))
        for sku, per in line.needs.items():
            slot = (location, sku)
            plan.releases[slot] = plan.releases.get(slot, 0) + take * per
        left -= take
        if not left:
            return
    raise DomainError(
        "allocation_mismatch",
        f"Line {line.line_no}'s reservations do not cover {items} item(s).",
        status=409,
    )
