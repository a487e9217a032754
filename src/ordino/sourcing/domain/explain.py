"""The engine's answer: a Decision and its Explanation, both JSON-serialisable via to_dict().

Every item carries a short human sentence (`reason`) and the numbers behind it, so the same
record serves the order's timeline, the API and the console.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType

from ordino.sourcing.domain.facts import OrderFacts

ALLOCATED, PARTIAL, BACKORDER, REVIEW = "allocated", "partial", "backorder", "review"
OUTCOMES = (ALLOCATED, PARTIAL, BACKORDER, REVIEW)


def jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value) if isinstance(value, frozenset | set) else value
        return [jsonable(v) for v in items]
    return value


@dataclass(frozen=True)
class CandidateTrace:
    """One candidate location in one strategy: removed by a filter, or kept with its rank."""

    location_id: int
    code: str
    reason: str
    removed_by: str | None = None  # filter type ("eligible" for the built-in checks)
    rank: int | None = None  # 1 = best, among kept candidates
    score: float | None = None  # weighted ranking only
    values: Mapping[str, object] = field(default_factory=dict)  # criterion → value

    @property
    def kept(self) -> bool:
        return self.removed_by is None

    def to_dict(self) -> dict[str, object]:
        return {
            "location_id": self.location_id,
            "code": self.code,
            "kept": self.kept,
            "removed_by": self.removed_by,
            "rank": self.rank,
            "score": None if self.score is None else round(self.score, 6),
            "values": jsonable(self.values),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class SplitTrace:
    method: str  # single | exact | greedy | rank_order | none
    shipments: int
    limit: int | None
    location_ids: tuple[int, ...]
    placed: int
    wanted: int
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "shipments": self.shipments,
            "limit": self.limit,
            "location_ids": list(self.location_ids),
            "placed": self.placed,
            "wanted": self.wanted,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class StrategyTrace:
    name: str
    matched: bool
    condition: str  # why it matched or not, with the actual values
    candidates: tuple[CandidateTrace, ...] = ()
    split: SplitTrace | None = None
    result: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "matched": self.matched,
            "condition": self.condition,
            "candidates": [c.to_dict() for c in self.candidates],
            "split": None if self.split is None else self.split.to_dict(),
            "result": self.result,
        }


@dataclass(frozen=True)
class Explanation:
    profile: str
    version: int
    strategies: tuple[StrategyTrace, ...]
    summary: str

    def to_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile,
            "version": self.version,
            "summary": self.summary,
            "strategies": [s.to_dict() for s in self.strategies],
        }

    def sentences(self) -> list[str]:
        """The explanation as readable lines (timeline, console, logs)."""
        out = [self.summary]
        for s in self.strategies:
            head = "matched" if s.matched else "skipped"
            out.append(f"Strategy {s.name!r} {head}: {s.condition}.")
            for c in s.candidates:
                out.append(f"  {c.code}: {c.reason}")
            if s.split is not None:
                out.append(f"  Split: {s.split.reason}")
            if s.result:
                out.append(f"  Result: {s.result}")
        return out


@dataclass(frozen=True)
class Assignment:
    location_id: int
    quantity: int  # items of the line (a kit counts once)


@dataclass(frozen=True)
class Decision:
    order_id: str
    outcome: str  # allocated | partial | backorder | review
    strategy: str | None
    assignments: Mapping[int, tuple[Assignment, ...]]  # line key → where its items come from
    backordered: Mapping[int, int]  # line key → items not placed (> 0 only)
    explanation: Explanation
    cancel_after: datetime | None = None  # cancel what is still backordered after this

    def __post_init__(self) -> None:
        object.__setattr__(self, "assignments", MappingProxyType(dict(self.assignments)))
        object.__setattr__(self, "backordered", MappingProxyType(dict(self.backordered)))

    @property
    def location_ids(self) -> tuple[int, ...]:
        """The locations used: one fulfillment order each."""
        return tuple(sorted({a.location_id for picks in self.assignments.values() for a in picks}))

    def shipments(self) -> dict[int, dict[int, int]]:
        """location id → {line key → items}."""
        out: dict[int, dict[int, int]] = {}
        for key, picks in sorted(self.assignments.items()):
            for pick in picks:
                out.setdefault(pick.location_id, {})[key] = pick.quantity
        return {loc: out[loc] for loc in sorted(out)}

    def units_by_location(self, order: OrderFacts) -> dict[tuple[int, int], int]:
        """Component units to reserve, keyed (location id, sku id); kits consume components."""
        lines = {line.key: line for line in order.lines}
        units: dict[tuple[int, int], int] = {}
        for key, picks in self.assignments.items():
            for pick in picks:
                for sku, per in lines[key].components.items():
                    slot = (pick.location_id, sku)
                    units[slot] = units.get(slot, 0) + per * pick.quantity
        return dict(sorted(units.items()))

    def to_dict(self) -> dict[str, object]:
        return {
            "order_id": self.order_id,
            "outcome": self.outcome,
            "strategy": self.strategy,
            "assignments": {
                str(key): [{"location_id": a.location_id, "quantity": a.quantity} for a in picks]
                for key, picks in sorted(self.assignments.items())
            },
            "backordered": {str(k): v for k, v in sorted(self.backordered.items())},
            "cancel_after": None if self.cancel_after is None else self.cancel_after.isoformat(),
            "explanation": self.explanation.to_dict(),
        }


# The filter that stands for the customer's address: what it removes is out of reach of it.
ADDRESS_FILTERS = ("within_distance",)


def address_unserved(explanation: Mapping[str, object]) -> str | None:
    """Why no location can serve the order's address, or None: in every strategy that matched
    and had candidates, no location was kept, and each one the built-in checks let through was
    left out by the distance to the address (unknown, or beyond the limit). `explanation`: the
    stored dict form (`Explanation.to_dict()`). Cases read it (`address_unshippable`)."""
    tried = [
        s
        for s in explanation.get("strategies") or []  # type: ignore[union-attr]
        if isinstance(s, Mapping) and s.get("matched") and s.get("candidates")
    ]
    reasons: list[str] = []
    for strategy in tried:
        candidates = [c for c in strategy["candidates"] if isinstance(c, Mapping)]
        if any(c.get("kept") for c in candidates):
            return None
        screened = [c for c in candidates if c.get("removed_by") != "eligible"]
        if not screened or any(c.get("removed_by") not in ADDRESS_FILTERS for c in screened):
            return None
        reasons += [f"{c.get('code')}: {c.get('reason')}" for c in screened]
    return "; ".join(dict.fromkeys(reasons))[:400] if reasons else None
