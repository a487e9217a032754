"""Which locations that rejected an order's items may be offered them again.

A rejection means the location could not serve these items then (the shelf was empty, the units
were damaged, it had no capacity). Its items are routed elsewhere at once, never straight back.
Once sellable stock of the order's SKUs has arrived at that location since (a receipt, a count,
a transfer, a stock feed), the location is a candidate again, so an order rejected everywhere
is not backordered for ever after the warehouse is restocked (docs/fulfillment.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime


def rejecting_locations_excluded(
    rejected_at: Mapping[int, datetime], arrived_at: Mapping[int, datetime]
) -> frozenset[int]:
    """The locations still excluded: those with no arrival after their last rejection."""
    return frozenset(
        location
        for location, rejected in rejected_at.items()
        if (arrival := arrived_at.get(location)) is None or arrival <= rejected
    )
