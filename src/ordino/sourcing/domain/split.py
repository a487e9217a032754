"""Which kept locations ship what: fewer shipments first, then the best-ranked set.

fill = "fewest_shipments" (default):
 1. one location that covers every item: the best-ranked such location;
 2. else an exact search over sets of 2 .. limit locations in rank order (sets compare by their
    ranks, best first: {1, 5} beats {2, 3}); the first set that covers every item wins. Each
    location's `solo` coverage per line (what it could give a line serving nothing else) bounds
    what a set can do, so only sets whose bounds reach every line's quantity are filled for
    real; the last member of a set is found with one bitmask per (line, quantity still needed).
    The search stops after EXACT_PREFIXES partial sets or EXACT_FILLS real fills;
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
from ordino.sourcing.domain.stock import alone, coverable, gain, solo, take
from ordino.sourcing.domain.wording import ordinal

EXACT_PREFIXES = 400
EXACT_FILLS = 50


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
        stock, used = loc.available, {}
        for i, line in enumerate(lines):
            wanted = remaining[i]
            if not wanted:
                continue
            items = coverable(stock, line.components, wanted, used)
            if not line_split and items < wanted:
                continue
            if items:
                take(used, line.components, items)
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
    method, used, reason, result = _choose(ranked, lines, quantities, split, ranks)
    if result is None:
        result = _fill(used, lines, quantities, split.line_split)
    picks, remaining, placed = result
    ids = tuple(dict.fromkeys(loc_id for p in picks.values() for loc_id, _ in p))
    rest = {line.key: remaining[i] for i, line in enumerate(lines) if remaining[i]}
    wanted = sum(quantities)
    trace = SplitTrace(method, len(ids), split.max_shipments, ids, placed, wanted, reason)
    return Plan(picks, rest, trace)


Filled = tuple[dict[int, list[tuple[int, int]]], list[int], int]
# How the split was chosen: method, the locations used, the reason, and their fill if already made
_Choice = tuple[str, Sequence[LocationFacts], str, Filled | None]


def _choose(
    ranked: Sequence[LocationFacts],
    lines: Sequence[OrderLine],
    quantities: Sequence[int],
    split: SplitLimit,
    ranks: Mapping[int, int],
) -> _Choice:
    """Nothing to place, rank order, or one location that covers every item; else a set."""
    wanted = sum(quantities)
    if wanted == 0:
        return "none", [], "nothing to place", None
    covers = {
        loc.id: alone(loc.available, lines, quantities, line_split=split.line_split)
        for loc in ranked
    }
    useful = [loc for loc in ranked if covers[loc.id].placed]
    if not useful:
        why = "no location kept" if not ranked else "no kept location has stock for any line"
        return "none", [], f"{why}; nothing placed of {wanted} items", None
    limit = split.max_shipments
    cap = len(useful) if limit is None else min(limit, len(useful))
    if split.fill == "rank_order":
        result = _fill(useful[:cap], lines, quantities, split.line_split)
        reason = f"filled in rank order: {result[2]} of {wanted} items ({_within(limit)})"
        return "rank_order", useful[:cap], reason, result
    single = next((loc for loc in useful if covers[loc.id].placed == wanted), None)
    if single is not None:
        return (
            "single",
            [single],
            f"one location covers all {wanted} items: {_names([single], ranks)}; 1 shipment "
            f"({_within(limit)})",
            None,
        )
    skus = [sku for line in lines for sku in line.components]
    if len(skus) == len(set(skus)):  # lines share no SKU: what a location gives alone is solo
        bounds = [covers[loc.id].per_line for loc in useful]
    else:
        bounds = [solo(loc.available, lines, split.line_split) for loc in useful]
    return _set_cover(useful, bounds, lines, quantities, cap, split, ranks)


def _set_cover(
    useful: Sequence[LocationFacts],
    bounds: Sequence[tuple[int, ...]],
    lines: Sequence[OrderLine],
    quantities: Sequence[int],
    cap: int,
    split: SplitLimit,
    ranks: Mapping[int, int],
) -> _Choice:
    """No single location covers every item: the best-ranked set that does (exact search),
    else greedy set cover."""
    wanted, limit = sum(quantities), split.max_shipments
    within = _within(limit)
    found, searched, exhausted = _exact(useful, bounds, lines, quantities, cap, split.line_split)
    if found is not None:
        chosen, result = found
        k = len(chosen)
        reason = (
            f"no single location covers all {wanted} items; the best-ranked set of "
            f"{k} that does is {_names(chosen, ranks)}; {k} shipments ({within})"
        )
        return "exact", chosen, reason, result
    result, order = _greedy(useful, lines, quantities, cap, split.line_split)
    placed = result[2]
    used = list(order)
    if limit == 1:
        reason = (
            f"ship complete impossible: no kept location covers all {wanted} items; "
            f"the best, {_names(used, ranks)}, covers {placed}"
        )
    elif exhausted:
        reason = (
            f"no single location covers all {wanted} items; exact search stopped after "
            f"{searched} partial sets; greedy set cover placed {placed} of {wanted} items with "
            f"{len(used)} shipments ({within})"
        )
    else:
        reason = (
            f"no set of at most {cap} locations covers all {wanted} items; greedy set cover "
            f"placed {placed} with {len(used)} shipments from {_names(used, ranks)} ({within})"
        )
    return "greedy", used, reason, result


def _within(limit: int | None) -> str:
    return "no limit" if limit is None else f"limit {limit}"


def _names(locs: Sequence[LocationFacts], ranks: Mapping[int, int]) -> str:
    return ", ".join(f"{loc.code} (ranked {ordinal(ranks[loc.id])})" for loc in locs)


def _exact(
    useful: Sequence[LocationFacts],
    bounds: Sequence[tuple[int, ...]],
    lines: Sequence[OrderLine],
    quantities: Sequence[int],
    cap: int,
    line_split: bool,
) -> tuple[tuple[list[LocationFacts], Filled] | None, int, bool]:
    """The first set (in rank order) of 2..cap locations that places every item, if any."""
    n_lines = len(lines)
    everyone = (1 << len(useful)) - 1
    masks: dict[tuple[int, int], int] = {}

    def able(line: int, need: int) -> int:
        key = (line, need)
        if key not in masks:
            masks[key] = sum(1 << i for i, b in enumerate(bounds) if b[line] >= need)
        return masks[key]

    wanted = sum(quantities)
    prefixes = fills = 0
    for k in range(2, cap + 1):
        for prefix in combinations(range(len(useful)), k - 1):
            prefixes += 1
            if prefixes > EXACT_PREFIXES or fills >= EXACT_FILLS:
                return None, prefixes - 1, True
            last = prefix[-1]
            candidates = everyone & ~((1 << (last + 1)) - 1)  # members after the prefix
            for line in range(n_lines):
                need = quantities[line] - sum(bounds[i][line] for i in prefix)
                if need > 0:
                    candidates &= able(line, need)
                    if not candidates:
                        break
            while candidates:
                j = (candidates & -candidates).bit_length() - 1
                candidates &= candidates - 1
                chosen = [useful[i] for i in (*prefix, j)]
                fills += 1
                result = _fill(chosen, lines, quantities, line_split)
                if result[2] == wanted:
                    return (chosen, result), prefixes, False
                if fills >= EXACT_FILLS:
                    return None, prefixes, True
    return None, prefixes, False


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
