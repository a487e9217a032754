"""Ranking of the kept locations: lexicographic or weighted, always ending on a total tie-break
(location code, then id) so the order never depends on how the candidates were listed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ordino.sourcing.domain.facts import LocationFacts
from ordino.sourcing.domain.filters import Context
from ordino.sourcing.domain.profile import CRITERIA, Criterion, Ranking
from ordino.sourcing.domain.stock import stock_depth

_INF = math.inf


@dataclass(frozen=True)
class Ranked:
    location_id: int
    code: str
    rank: int
    score: float | None
    values: dict[str, object]


def raw_value(criterion: Criterion, location: LocationFacts, ctx: Context) -> object:
    name = criterion.name
    if name == "priority":
        return location.priority
    if name == "distance":
        km = ctx.distance(location).km
        return None if km is None else round(km, 3)
    if name == "stock_depth":
        return stock_depth(location.available, ctx.lines)
    if name == "cost":
        return location.cost_per_shipment
    if name == "fewest_shipments":
        return round(ctx.alone(location).placed / ctx.wanted, 6) if ctx.wanted else 1.0
    if name == "capacity_left":
        return location.capacity_left
    if name == "kind":
        prefer = criterion.prefer
        return prefer.index(location.kind) if location.kind in prefer else len(prefer)
    if name == "group":
        hits = [i for i, g in enumerate(criterion.prefer) if g in location.groups]
        return min(hits) if hits else len(criterion.prefer)
    raise ValueError(f"unknown criterion {name!r}")  # pragma: no cover - validation refuses it


def sort_value(criterion: Criterion, raw: object) -> float:
    """The value as a number where lower is better; unknown distance/cost rank last, an
    unlimited capacity ranks first."""
    if raw is None:
        return -_INF if criterion.name == "capacity_left" else _INF
    number = float(raw)  # type: ignore[arg-type]
    return -number if CRITERIA[criterion.name] else number


def rank(locations: Sequence[LocationFacts], ranking: Ranking, ctx: Context) -> list[Ranked]:
    rows = []
    for loc in locations:
        raws = {c.name: raw_value(c, loc, ctx) for c in ranking.criteria}
        keys = tuple(sort_value(c, raws[c.name]) for c in ranking.criteria)
        rows.append((loc, raws, keys))
    scores: dict[int, float] = {}
    if ranking.mode == "weighted":
        scores = _weighted(rows, ranking.criteria)
        rows.sort(key=lambda r: (-scores[r[0].id], r[2], r[0].code, r[0].id))
    else:
        rows.sort(key=lambda r: (r[2], r[0].code, r[0].id))
    return [
        Ranked(loc.id, loc.code, i + 1, scores.get(loc.id), raws)
        for i, (loc, raws, _) in enumerate(rows)
    ]


def _weighted(rows: list, criteria: Sequence[Criterion]) -> dict[int, float]:
    """Each criterion scaled to 0..1 over the candidates (1 = best, unknown = 0), times weight."""
    bounds = []
    for i in range(len(criteria)):
        finite = [r[2][i] for r in rows if math.isfinite(r[2][i])]
        bounds.append((min(finite), max(finite)) if finite else (0.0, 0.0))
    scores = {}
    for loc, _, keys in rows:
        total = 0.0
        for c, key, (low, high) in zip(criteria, keys, bounds, strict=True):
            if key == _INF:
                scaled = 0.0
            elif key == -_INF or high == low:
                scaled = 1.0
            else:
                scaled = (high - key) / (high - low)
            total += c.weight * scaled
        scores[loc.id] = round(total, 9)
    return scores
