"""Which kept locations ship what: fewer shipments first, then the best-ranked set.

fill = "fewest_shipments" (default):
 1. one location that covers every item: the best-ranked such location;
 2. else an exact search over sets of 2 .. limit locations, in rank order (sets are compared by
    their ranks, best first: {1, 5} beats {2, 3}), stopping at the first set that covers every
    item; the search visits at most EXACT_VISITS sets (and fills at most EXACT_FILLS of them);
 3. else (no set within the limit covers everything, or the search budget ran out) greedy set
    cover: repeatedly the location that places the most remaining items (ties: better rank), up
    to the limit. Greedy is not optimal: it can use one more shipment than necessary, or place
    fewer items than the best set of `limit` locations when stock is fragmented.
fill = "rank_order": take what the best-ranked location has, then the next, up to the limit.

Within a chosen set, lines are placed location by location in rank order (greedy: in the order
chosen), each taking what it can; with line_split off a location takes a line only whole.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from ordino.sourcing.domain.explain import SplitTrace
from ordino.sourcing.domain.facts import LocationFacts, OrderLine
from ordino.sourcing.domain.profile import SplitLimit
from ordino.sourcing.domain.stock import alone, coverable, gain, take

EXACT_VISITS = 2000
EXACT_FILLS = 200


@dataclass(frozen=True)
class Plan:
    picks: dict[int, list[tuple[int, int]]]  # line key → [(location id, items)]
    remaining: dict[int, int]  # line key → items not placed
    trace: SplitTrace


def _fill(
    locations: Sequence[LocationFacts],
    lines: Sequence[OrderLine],
    quantities: Sequence[int],
    line_split: bool,
) -> tuple[dict[int, list[tuple[int, int]]], list[int], int]:
    remaining = list(quantities)
    picks: dict[int, list[tuple[int, int]]] = {}
    placed = 0
    for loc in locations:
        stock = dict(loc.available)
        for i, line in enumerate(lines):
            wanted = remaining[i]
            if not wanted:
                continue
            items = coverable(stock, line.components, wanted)
            if not line_split and items < wanted:
                continue
            if items:
                take(stock, line.components, items)
                remaining[i] -= items
                placed += items
                picks.setdefault(line.key, []).append((loc.id, items))
    return picks, remaining, placed


def plan_split(
    ranked: Sequence[LocationFacts],
    lines: Sequence[OrderLine],
    split: SplitLimit,
    ranks: Mapping[int, int],
) -> Plan:
    """`ranked`: the kept locations, best first; `ranks`: location id → rank for the trace."""
    quantities = [line.quantity for line in lines]
    wanted = sum(quantities)
    limit = split.max_shipments
    within = "no limit" if limit is None else f"limit {limit}"

    def done(
        method: str,
        used: Sequence[LocationFacts],
        reason: str,
        result: tuple[dict[int, list[tuple[int, int]]], list[int], int] | None = None,
    ) -> Plan:
        picks, remaining, placed = result or _fill(used, lines, quantities, split.line_split)
        ids = tuple(dict.fromkeys(loc_id for p in picks.values() for loc_id, _ in p))
        rest = {line.key: remaining[i] for i, line in enumerate(lines) if remaining[i]}
        trace = SplitTrace(method, len(ids), limit, ids, placed, wanted, reason)
        return Plan(picks, rest, trace)

    if wanted == 0:
        return done("none", [], "nothing to place")
    covers = {
        loc.id: alone(loc.available, lines, quantities, line_split=split.line_split)
        for loc in ranked
    }
    useful = [loc for loc in ranked if covers[loc.id].placed]
    if not useful:
        why = "no location kept" if not ranked else "no kept location has stock for any line"
        return done("none", [], f"{why}; nothing placed of {wanted} items")
    cap = len(useful) if limit is None else min(limit, len(useful))

    def names(locs: Sequence[LocationFacts]) -> str:
        return ", ".join(f"{loc.code} (rank {ranks[loc.id]})" for loc in locs)

    if split.fill == "rank_order":
        result = _fill(useful[:cap], lines, quantities, split.line_split)
        return done(
            "rank_order",
            useful[:cap],
            f"filled in rank order: {result[2]} of {wanted} items ({within})",
            result,
        )

    single = next((loc for loc in useful if covers[loc.id].placed == wanted), None)
    if single is not None:
        return done(
            "single",
            [single],
            f"one location covers all {wanted} items: {names([single])}; 1 shipment ({within})",
        )

    visits = fills = 0
    exhausted = False
    for k in range(2, cap + 1):
        for combo in combinations(range(len(useful)), k):
            visits += 1
            if visits > EXACT_VISITS or fills >= EXACT_FILLS:
                exhausted = True
                break
            if sum(covers[useful[i].id].placed for i in combo) < wanted:
                continue
            fills += 1
            chosen = [useful[i] for i in combo]
            result = _fill(chosen, lines, quantities, split.line_split)
            if result[2] == wanted:
                return done(
                    "exact",
                    chosen,
                    f"no single location covers all {wanted} items; the best-ranked set of "
                    f"{k} that does is {names(chosen)}; {k} shipments ({within})",
                    result,
                )
        if exhausted:
            break

    result, order = _greedy(useful, lines, quantities, cap, split.line_split)
    placed = result[2]
    used = list(order)
    if limit == 1:
        reason = (
            f"ship complete impossible: no kept location covers all {wanted} items; "
            f"the best, {names(used)}, covers {placed}"
        )
    elif exhausted:
        reason = (
            f"no single location covers all {wanted} items; exact search stopped after "
            f"{visits - 1} sets; greedy set cover placed {placed} of {wanted} items with "
            f"{len(used)} shipments ({within})"
        )
    else:
        reason = (
            f"no set of at most {cap} locations covers all {wanted} items; greedy set cover "
            f"placed {placed} with {len(used)} shipments from {names(used)} ({within})"
        )
    return done("greedy", used, reason, result)


def _greedy(
    useful: Sequence[LocationFacts],
    lines: Sequence[OrderLine],
    quantities: Sequence[int],
    cap: int,
    line_split: bool,
) -> tuple[tuple[dict[int, list[tuple[int, int]]], list[int], int], list[LocationFacts]]:
    """Lazy greedy: a location's gain only shrinks as the order fills, so stale upper bounds
    in a heap are re-checked only when they reach the top. Ties go to the better rank."""
    remaining = list(quantities)
    heap = [(-gain(loc.available, lines, remaining, line_split), i) for i, loc in enumerate(useful)]
    heapq.heapify(heap)
    chosen: list[LocationFacts] = []
    while heap and len(chosen) < cap and any(remaining):
        _, i = heapq.heappop(heap)
        now = gain(useful[i].available, lines, remaining, line_split)
        if not now:
            continue
        if heap and (-now, i) > heap[0]:
            heapq.heappush(heap, (-now, i))
            continue
        chosen.append(useful[i])
        _, remaining, _ = _fill([useful[i]], lines, remaining, line_split)
    result = _fill(chosen, lines, quantities, line_split)
    return result, chosen
