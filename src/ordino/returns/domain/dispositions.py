"""What happens to each received unit: exactly one disposition per unit, and the refund decision
for the units that came back (docs/returns.md, "Dispositions")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.orders.domain.pricing import kept_units_part

RESTOCK = "restock"  # sellable again: received into the location's available stock
DAMAGED = "damaged"  # received, then marked damaged (on hand, unavailable)
NEEDS_PROCESSING = "needs_processing"  # received on quality hold (on hand, unavailable)
MISSING = "missing"  # expected but not in the parcel: no stock movement, no refund
DISPOSITIONS = (RESTOCK, DAMAGED, NEEDS_PROCESSING, MISSING)
RETURNED = (RESTOCK, DAMAGED, NEEDS_PROCESSING)  # the units that count as returned


@dataclass(frozen=True)
class Received:
    """Units of one return line received now, by disposition."""

    line_no: int
    counts: dict[str, int]

    @property
    def units(self) -> int:
        return sum(self.counts.values())

    @property
    def returned(self) -> int:
        return sum(self.counts.get(d, 0) for d in RETURNED)


def receive_check(*, outstanding: dict[int, int], received: list[Received]) -> None:
    """Each unit gets one disposition, and no more units than the return line still expects
    (`outstanding`: line_no → requested − received before). Raise naming the field."""
    errors: list[dict[str, str]] = []
    if not received or not any(r.units for r in received):
        errors.append(_error("lines", "nothing_received", "Receive at least one unit."))
    seen: set[int] = set()
    for i, item in enumerate(received):
        errors += _item_errors(i, item, outstanding, seen)
        seen.add(item.line_no)
    if errors:
        raise DomainError(errors[0]["code"], errors[0]["message"], errors=errors)


def _item_errors(
    i: int, item: Received, outstanding: dict[int, int], seen: set[int]
) -> list[dict[str, str]]:
    if item.line_no not in outstanding:
        return [_error(f"lines.{i}.line_no", "line_not_in_return", "Not a line of this return.")]
    if item.line_no in seen:
        return [_error(f"lines.{i}.line_no", "line_repeated", "Name each line once.")]
    for name, count in item.counts.items():
        if name not in DISPOSITIONS or count < 0:
            return [_error(f"lines.{i}.{name}", "disposition_invalid", "Not a disposition.")]
    if item.units > outstanding[item.line_no]:
        return [
            _error(
                f"lines.{i}.quantity",
                "quantity_exceeds_expected",
                f"The return expects {outstanding[item.line_no]} more unit(s) "
                f"of line {item.line_no}.",
            )
        ]
    return []


@dataclass(frozen=True)
class LineMoney:
    """What the line was sold for: its stored total and tax, for its ordered units, of which
    `cancelled` were cancelled (their share is not the return's to give back)."""

    total: Decimal
    tax: Decimal
    ordered: int
    currency: str
    cancelled: int


def refund_decision(
    money: LineMoney, *, returned_before: int, units: int
) -> tuple[Decimal, Decimal]:
    """(total, tax) that `units` returned now account for, after `returned_before` units of the
    line came back already. Cumulative shares minus what earlier returns took, so every return
    of a line together gives back exactly its total and tax less the cancelled units' share
    (`kept_units_amount`: never a cent more than the line's money now, docs/returns.md)."""

    def part(amount: Decimal) -> Decimal:
        return kept_units_part(
            amount, money.ordered, money.cancelled, returned_before, units, money.currency
        )

    return part(money.total), part(money.tax)


def _error(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}
