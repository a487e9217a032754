"""What an order asks of stock, and where sourcing placed it: the demand of each line (items and
the component units one item consumes), the picks (items of a line at a location) and what is
left backordered. Sourcing decides (docs/design.md §4, `sourcing/domain/`); fulfillment writes the
picks down as fulfillment orders (`placement.py`). They live here, in the lowest module that uses
them, so sourcing and orders both reach them downwards (docs/architecture.md, "The direction of
dependency").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LineDemand:
    key: int
    quantity: int
    components: Mapping[int, int]  # sku id → units per item ({sku: 1} for a simple SKU)


@dataclass(frozen=True)
class Pick:
    key: int
    location_id: int
    quantity: int  # items of the line (kits, not components)


@dataclass
class AllocationPlan:
    picks: list[Pick] = field(default_factory=list)
    backordered: dict[int, int] = field(default_factory=dict)
