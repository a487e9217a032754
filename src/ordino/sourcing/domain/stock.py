"""Stock arithmetic of one order at one location: how many items of a line a stock can make.

Kits consume their components: a line of 2 kits {sku 1: 1, sku 2: 2} needs 2 of sku 1 and 4 of
sku 2 at the same location.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ordino.sourcing.domain.facts import OrderLine

_NONE: Mapping[int, int] = {}


def coverable(
    stock: Mapping[int, int],
    components: Mapping[int, int],
    wanted: int,
    used: Mapping[int, int] = _NONE,
) -> int:
    """Items (≤ wanted) the stock, less what is already `used`, can make of a line."""
    items = wanted
    for sku, per in components.items():
        can = (stock.get(sku, 0) - used.get(sku, 0)) // per
        if can < items:
            items = can
            if items <= 0:
                return 0
    return items


def take(used: dict[int, int], components: Mapping[int, int], items: int) -> None:
    """Record that `items` of a line consume their components (the stock itself is not copied)."""
    for sku, per in components.items():
        used[sku] = used.get(sku, 0) + per * items


@dataclass(frozen=True)
class Alone:
    """What one location could ship of the order on its own (lines taken in order)."""

    per_line: tuple[int, ...]  # items placeable per line, in order-line order
    placed: int
    full_lines: int

    @property
    def any(self) -> bool:
        return self.placed > 0


def alone(
    stock: Mapping[int, int],
    lines: Sequence[OrderLine],
    remaining: Sequence[int],
    *,
    line_split: bool = True,
) -> Alone:
    used: dict[int, int] = {}
    per_line = []
    full = 0
    for line, wanted in zip(lines, remaining, strict=True):
        items = coverable(stock, line.components, wanted, used) if wanted else 0
        if not line_split and items < wanted:
            items = 0
        if items:
            take(used, line.components, items)
        if wanted and items == wanted:
            full += 1
        per_line.append(items)
    return Alone(tuple(per_line), sum(per_line), full)


def gain(
    stock: Mapping[int, int],
    lines: Sequence[OrderLine],
    remaining: Sequence[int],
    line_split: bool,
) -> int:
    """Items one location adds for what is still remaining (no side effects)."""
    used: dict[int, int] = {}
    total = 0
    for line, wanted in zip(lines, remaining, strict=True):
        if not wanted:
            continue
        items = coverable(stock, line.components, wanted, used)
        if not line_split and items < wanted:
            continue
        if items:
            take(used, line.components, items)
            total += items
    return total


def solo(
    stock: Mapping[int, int], lines: Sequence[OrderLine], line_split: bool = True
) -> tuple[int, ...]:
    """Per line, the items this stock could give that line if it served no other line: an upper
    bound on its share of the line in any plan (with line_split off: the whole line or 0)."""
    out = []
    for line in lines:
        items = coverable(stock, line.components, line.quantity)
        out.append(items if line_split or items == line.quantity else 0)
    return tuple(out)


def has_any(stock: Mapping[int, int], lines: Sequence[OrderLine]) -> bool:
    return any(line.quantity and coverable(stock, line.components, 1) for line in lines)


def stock_depth(stock: Mapping[int, int], lines: Sequence[OrderLine]) -> int:
    """Available units of the SKUs (components) this order needs."""
    skus = {sku for line in lines for sku in line.components}
    return sum(max(0, stock.get(sku, 0)) for sku in skus)
