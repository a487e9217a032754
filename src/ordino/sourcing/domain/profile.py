"""A sourcing profile as data: ordered strategies (condition, filters, ranking, split, fallback).

Build one in code or, as the console and the API do, from its dict form with
`validation.profile_from_dict`, which refuses bad configuration with paths and reasons.
`Profile.to_dict()` gives that dict form back (round trip).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal

from ordino.rules.domain.conditions import Condition

# --- location filters ------------------------------------------------------------------------


@dataclass(frozen=True)
class InGroups:
    """Keep locations in at least one of these location groups (codes)."""

    groups: tuple[str, ...]
    type: ClassVar[str] = "in_groups"

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "groups": list(self.groups)}


@dataclass(frozen=True)
class HasStock:
    """any: can make at least one item of some line; full_line: covers at least one line in
    full; all_lines: covers the whole order alone."""

    mode: Literal["any", "full_line", "all_lines"] = "any"
    type: ClassVar[str] = "has_stock"

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "mode": self.mode}


@dataclass(frozen=True)
class IsOpen:
    """open_now: within today's opening hours; before_cutoff: a working day, cut-off not passed."""

    mode: Literal["open_now", "before_cutoff"] = "before_cutoff"
    type: ClassVar[str] = "open"

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "mode": self.mode}


@dataclass(frozen=True)
class CapacityLeft:
    """Keep locations with at least `minimum` shipments of daily capacity left (no limit: kept)."""

    minimum: int = 1
    type: ClassVar[str] = "capacity_left"

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "minimum": self.minimum}


@dataclass(frozen=True)
class WithinDistance:
    """Keep locations at most `km` from the destination; `unknown` decides when no distance."""

    km: float
    unknown: Literal["exclude", "keep"] = "exclude"
    type: ClassVar[str] = "within_distance"

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "km": self.km, "unknown": self.unknown}


@dataclass(frozen=True)
class KindIn:
    kinds: tuple[str, ...]
    type: ClassVar[str] = "kind_in"

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "kinds": list(self.kinds)}


@dataclass(frozen=True)
class ExcludeLocations:
    codes: tuple[str, ...]
    type: ClassVar[str] = "exclude_locations"

    def to_dict(self) -> dict[str, object]:
        return {"type": self.type, "codes": list(self.codes)}


Filter = InGroups | HasStock | IsOpen | CapacityLeft | WithinDistance | KindIn | ExcludeLocations
FILTER_TYPES: dict[str, type] = {
    f.type: f
    for f in (InGroups, HasStock, IsOpen, CapacityLeft, WithinDistance, KindIn, ExcludeLocations)
}

# --- ranking ---------------------------------------------------------------------------------

# criterion → True when a higher value is better
CRITERIA: dict[str, bool] = {
    "priority": False,  # the location's priority number, lower first
    "distance": False,  # km to the destination; unknown ranks last
    "stock_depth": True,  # available units of the SKUs this order needs
    "cost": False,  # cost per shipment; unknown ranks last
    "fewest_shipments": True,  # share of the order's items the location covers alone
    "capacity_left": True,  # shipments left today; no limit ranks first
    "kind": False,  # position of the location's kind in `prefer`
    "group": False,  # position of the first of `prefer` the location is in
}
PREFERENCE_CRITERIA = frozenset({"kind", "group"})


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: float = 1.0  # used by weighted ranking only
    prefer: tuple[str, ...] = ()  # for kind and group: the preferred order

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"criterion": self.name}
        if self.weight != 1.0:
            out["weight"] = self.weight
        if self.prefer:
            out["prefer"] = list(self.prefer)
        return out


@dataclass(frozen=True)
class Ranking:
    """lexicographic: the first criterion decides, the next breaks ties, and so on.
    weighted: score = Σ weight × value scaled to 0..1 over the kept candidates (1 = best)."""

    criteria: tuple[Criterion, ...] = (Criterion("priority"),)
    mode: Literal["lexicographic", "weighted"] = "lexicographic"

    def to_dict(self) -> dict[str, object]:
        return {"mode": self.mode, "criteria": [c.to_dict() for c in self.criteria]}


# --- split and fallback ----------------------------------------------------------------------


@dataclass(frozen=True)
class SplitLimit:
    """max_shipments: 1 = ship complete, N = at most N locations, None = free.

    fill: fewest_shipments picks the fewest locations that cover the most, best ranked first;
    rank_order takes from the best-ranked location, then the next, up to the limit.
    line_split: whether one line may come from several locations.
    """

    max_shipments: int | None = None
    fill: Literal["fewest_shipments", "rank_order"] = "fewest_shipments"
    line_split: bool = True

    def to_dict(self) -> dict[str, object]:
        return {
            "max_shipments": self.max_shipments,
            "fill": self.fill,
            "line_split": self.line_split,
        }

    def describe(self) -> str:
        if self.max_shipments == 1:
            return "ship complete (1 location)"
        if self.max_shipments is None:
            return "any number of shipments"
        return f"at most {self.max_shipments} shipments"


FALLBACK_KINDS = ("next", "strategy", "backorder", "review", "cancel_after")


@dataclass(frozen=True)
class Fallback:
    """What happens when the strategy cannot place every unit.

    next: try the next strategy with the whole order; strategy: jump to the named strategy;
    backorder: place what it can, backorder the rest; review: place nothing, open a review case;
    cancel_after: like backorder, and cancel what is still backordered after `days` days.
    """

    kind: Literal["next", "strategy", "backorder", "review", "cancel_after"] = "backorder"
    strategy: str | None = None
    days: int | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind}
        if self.strategy is not None:
            out["strategy"] = self.strategy
        if self.days is not None:
            out["days"] = self.days
        return out

    def describe(self) -> str:
        if self.kind == "strategy":
            return f"fall back to strategy {self.strategy!r}"
        if self.kind == "cancel_after":
            return f"backorder the rest, cancel it after {self.days} days"
        return {
            "next": "fall back to the next strategy",
            "backorder": "backorder the rest",
            "review": "open a review case",
        }[self.kind]


@dataclass(frozen=True)
class Strategy:
    name: str
    condition: Condition | None = None  # None: always
    filters: tuple[Filter, ...] = ()
    ranking: Ranking = field(default_factory=Ranking)
    split: SplitLimit = field(default_factory=SplitLimit)
    fallback: Fallback = field(default_factory=Fallback)

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "condition": None if self.condition is None else self.condition.to_dict(),
            "filters": [f.to_dict() for f in self.filters],
            "ranking": self.ranking.to_dict(),
            "split": self.split.to_dict(),
            "fallback": self.fallback.to_dict(),
        }


@dataclass(frozen=True)
class Profile:
    code: str
    strategies: tuple[Strategy, ...]
    version: int = 1
    effective_from: datetime | None = None  # None: as soon as it is active

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "version": self.version,
            "effective_from": None
            if self.effective_from is None
            else self.effective_from.isoformat(),
            "strategies": [s.to_dict() for s in self.strategies],
        }

    def strategy(self, name: str) -> Strategy | None:
        return next((s for s in self.strategies if s.name == name), None)


def profile_in_effect(profiles: Sequence[Profile], now: datetime) -> Profile | None:
    """Among active versions, the one in effect at `now`: the latest effective_from ≤ now
    (a version without a date counts as effective from the beginning); ties: highest version."""
    due = [p for p in profiles if p.effective_from is None or p.effective_from <= now]
    if not due:
        return None
    return max(
        due,
        key=lambda p: (p.effective_from is not None, p.effective_from or now, p.version),
    )
