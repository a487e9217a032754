"""Back-test: run profiles over past orders (with the candidates as they were) and compare.

Metrics per profile: split rate (orders with more than one shipment, among orders with at least
one), average distance per shipment (where known), share of shipments from stores, unfillable
lines (lines with anything backordered or held for review), review cases, the average cost per
shipment over the shipments whose location has a known cost (and how many those are), and the
locations that
would have gone over their daily capacity on some day (shipments counted per location and UTC
day of the orders, on top of the capacity already used in each candidate snapshot).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ordino.sourcing.domain.distance import NO_ZONES, ZoneTable, distance_to
from ordino.sourcing.domain.engine import decide
from ordino.sourcing.domain.explain import REVIEW, Decision
from ordino.sourcing.domain.facts import STORE, LocationFacts, OrderFacts
from ordino.sourcing.domain.profile import Profile


@dataclass(frozen=True)
class BacktestCase:
    order: OrderFacts
    candidates: Sequence[LocationFacts]
    now: datetime  # when the order was sourced


@dataclass(frozen=True)
class Metrics:
    orders: int
    allocated: int  # every item placed
    reviews: int
    shipments: int
    split_rate: float
    average_km: float | None
    store_share: float
    unfillable_lines: int
    over_capacity: tuple[int, ...]  # location ids
    average_cost: Decimal | None = None  # per shipment, over shipments with a known cost
    costed_shipments: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "orders": self.orders,
            "allocated": self.allocated,
            "reviews": self.reviews,
            "shipments": self.shipments,
            "split_rate": round(self.split_rate, 4),
            "average_km": None if self.average_km is None else round(self.average_km, 1),
            "store_share": round(self.store_share, 4),
            "unfillable_lines": self.unfillable_lines,
            "over_capacity": list(self.over_capacity),
            "average_cost": None if self.average_cost is None else str(self.average_cost),
            "costed_shipments": self.costed_shipments,
        }


@dataclass(frozen=True)
class Comparison:
    baseline: Metrics
    candidate: Metrics
    changed: tuple[str, ...]  # order ids whose assignments or outcome differ

    def to_dict(self) -> dict[str, object]:
        return {
            "baseline": self.baseline.to_dict(),
            "candidate": self.candidate.to_dict(),
            "changed_orders": len(self.changed),
            "changed": list(self.changed),
        }


def backtest(
    cases: Sequence[BacktestCase], profile: Profile, *, zones: ZoneTable = NO_ZONES
) -> tuple[Metrics, list[Decision]]:
    decisions = [decide(c.order, c.candidates, profile, c.now, zones=zones) for c in cases]
    return metrics(cases, decisions, zones=zones), decisions


def metrics(
    cases: Sequence[BacktestCase], decisions: Sequence[Decision], *, zones: ZoneTable = NO_ZONES
) -> Metrics:
    shipped_orders = split_orders = shipments = from_stores = unfillable = reviews = 0
    allocated = 0
    km: list[float] = []
    costs: list[Decimal] = []
    per_day: dict[tuple[int, object], int] = defaultdict(int)
    capacity: dict[int, tuple[int | None, int]] = {}
    for case, decision in zip(cases, decisions, strict=True):
        by_id = {loc.id: loc for loc in case.candidates}
        used = decision.location_ids
        reviews += decision.outcome == REVIEW
        allocated += not decision.backordered and decision.outcome != REVIEW
        unfillable += len(decision.backordered)
        if used:
            shipped_orders += 1
            split_orders += len(used) > 1
        day = case.now.date()
        for location_id in used:
            loc = by_id[location_id]
            shipments += 1
            from_stores += loc.kind == STORE
            distance = distance_to(loc, case.order.destination, zones).km
            if distance is not None:
                km.append(distance)
            if loc.cost_per_shipment is not None:
                costs.append(Decimal(loc.cost_per_shipment))
            per_day[(location_id, day)] += 1
            capacity.setdefault(location_id, (loc.daily_capacity, loc.assigned_today))
    over = sorted(
        {
            loc
            for (loc, _), count in per_day.items()
            if capacity[loc][0] is not None and capacity[loc][1] + count > capacity[loc][0]  # type: ignore[operator]
        }
    )
    return Metrics(
        orders=len(cases),
        allocated=allocated,
        reviews=reviews,
        shipments=shipments,
        split_rate=split_orders / shipped_orders if shipped_orders else 0.0,
        average_km=sum(km) / len(km) if km else None,
        store_share=from_stores / shipments if shipments else 0.0,
        unfillable_lines=unfillable,
        over_capacity=tuple(over),
        average_cost=(sum(costs, Decimal(0)) / len(costs)).quantize(Decimal("0.01"))
        if costs
        else None,
        costed_shipments=len(costs),
    )


def backtest_compare(
    cases: Sequence[BacktestCase],
    baseline: Profile,
    candidate: Profile,
    *,
    zones: ZoneTable = NO_ZONES,
) -> Comparison:
    base, base_decisions = backtest(cases, baseline, zones=zones)
    new, new_decisions = backtest(cases, candidate, zones=zones)
    changed = tuple(
        a.order_id
        for a, b in zip(base_decisions, new_decisions, strict=True)
        if a.outcome != b.outcome
        or dict(a.assignments) != dict(b.assignments)
        or dict(a.backordered) != dict(b.backordered)
    )
    return Comparison(base, new, changed)
