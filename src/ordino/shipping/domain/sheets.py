"""Rate sheets: per zone, weight brackets and their prices (docs/shipping.md, "Rate sheets").

A bracket covers billable weights above `above` up to and including `up_to`. Per zone the
brackets must start at 0 and follow each other without a gap or an overlap; a sheet with any
bad row is refused whole, every bad row named (nothing of it is loaded).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import money_exact


@dataclass(frozen=True)
class Bracket:
    zone: str
    above: Decimal
    up_to: Decimal
    price: Decimal
    row: int = 0

    def covers(self, weight: Decimal) -> bool:
        return self.above < weight <= self.up_to


@dataclass(frozen=True)
class RateSheet:
    """One service's prices in one currency, brackets in the service's weight unit. Looked up
    per zone by bisection: a 3,000-cell sheet prices a parcel in a dozen comparisons."""

    currency: str
    unit: str
    brackets: tuple[Bracket, ...]
    _by_zone: dict[str, tuple[list[Decimal], list[Bracket]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_zone: dict[str, list[Bracket]] = {}
        for b in sorted(self.brackets, key=lambda b: (b.zone, b.up_to)):
            by_zone.setdefault(b.zone, []).append(b)
        index = {zone: ([b.up_to for b in bs], bs) for zone, bs in by_zone.items()}
        object.__setattr__(self, "_by_zone", index)

    def zones(self) -> set[str]:
        return set(self._by_zone)

    def max_weight(self, zone: str) -> Decimal:
        ends, _ = self._by_zone.get(zone, ([], []))
        return ends[-1] if ends else Decimal(0)

    def bracket_for(self, zone: str, weight: Decimal) -> Bracket | None:
        """The bracket whose `above < weight <= up_to`: the first ending at or past it."""
        ends, brackets = self._by_zone.get(zone, ([], []))
        i = bisect_left(ends, weight)
        if i < len(brackets) and brackets[i].covers(weight):
            return brackets[i]
        return None


def rate_sheet_check(currency: str, unit: str, rows: Sequence[Bracket]) -> RateSheet:
    """The sheet, or DomainError `invalid_rate_sheet` listing each bad row: a price not exact
    in the currency or below 0, a bracket ending at or below where it starts, and per zone a
    first bracket not starting at 0, a gap or an overlap with the bracket before."""
    errors: list[dict[str, str]] = []
    good: list[Bracket] = []
    for b in rows:
        problem = _row_problem(b, currency)
        if problem:
            errors.append(_error(b.row, "invalid_bracket", problem))
        else:
            good.append(b)
    by_zone: dict[str, list[Bracket]] = {}
    for b in good:
        by_zone.setdefault(b.zone, []).append(b)
    for zone, brackets in by_zone.items():
        brackets.sort(key=lambda b: (b.above, b.up_to))
        end = Decimal(0)
        for i, b in enumerate(brackets):
            if b.above > end:
                where = "0" if i == 0 else f"{end} (row {brackets[i - 1].row})"
                gap = f"zone {zone}: starts above {b.above}, after {where}"
                errors.append(_error(b.row, "bracket_gap", gap))
            elif b.above < end:
                inside = f"zone {zone}: starts above {b.above}, inside row {brackets[i - 1].row}"
                errors.append(_error(b.row, "bracket_overlap", f"{inside} (up to {end})"))
            end = max(end, b.up_to)
    if errors:
        errors.sort(key=lambda e: int(e["field"].split()[-1]))
        raise DomainError("invalid_rate_sheet", "The rate sheet has errors.", errors=errors)
    return RateSheet(currency, unit, tuple(sorted(good, key=lambda b: (b.zone, b.above))))


def _row_problem(b: Bracket, currency: str) -> str:
    if not b.zone.strip():
        return "needs a zone"
    if b.above < 0 or b.up_to <= b.above:
        return f"a bracket must end above where it starts (above {b.above}, up to {b.up_to})"
    if b.price < 0:
        return f"a price cannot be below 0 ({b.price})"
    try:
        money_exact(b.price, currency, field="price")
    except DomainError as exc:
        return exc.message
    return ""


def _error(row: int, code: str, message: str) -> dict[str, str]:
    return {"field": f"row {row}", "code": code, "message": f"Row {row}: {message}."}
