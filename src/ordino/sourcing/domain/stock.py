"""Stock arithmetic of one order at one location: how many items of a line a stock can make.

Kits consume their components: a line of 2 kits {sku 1: 1, sku 2: 2} needs 2 of sku 1 and 4 of
sku 2 at the same location.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ordino.sourcing.domain.facts import OrderLine


def coverable(stock: Mapping[int, int], components: Mapping[int, int], wanted: int) -> int:
    """Items (≤ wanted) the stock can make of a line with these components."""
    items = wanted
    for sku, per in components.items():
        can = stock.get(sku, 0) // per
        if can < items:
            items = can
            if items <= 0:
                return 0
    return items


def take(stock: dict[int, int], components: Mapping[int, int], items: int) -> None:
    for sku, per in components.items():
        stock[sku] = stock.get(sku, 0) - per * items


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
    trial = dict(stock)
    per_line = []
    full = 0
    for line, wanted in zip(lines, remaining, strict=True):
        items = coverable(trial, line.components, wanted) if wanted else 0
        if not line_split and items < wanted:
            items = 0
        if items:
            take(trial, line.components, items)
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
    trial = dict(stock)
    total = 0
    for line, wanted in zip(lines, remaining, strict=True):
        if not wanted:
            continue
        items = coverable(trial, line.components, wanted)
        if not line_split and items < wanted:
            continue
        if items:
            take(trial, line.components, items)
            total += items
    return total


def stock_depth(stock: Mapping[int, int], lines: Sequence[OrderLine]) -> int:
    """Available units of the SKUs (components) this order needs."""
    skus = {sku for line in lines for sku in line.components}
    return sum(max(0, stock.get(sku, 0)) for sku in skus)
