"""Checks of a well-formed profile: what makes it dead or dangerous (see validation.py)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from ordino.rules.domain.conditions import All, FactSpec
from ordino.rules.domain.satisfiability import never_matches
from ordino.sourcing.domain.facts import ORDER_FACTS
from ordino.sourcing.domain.profile import ExcludeLocations, InGroups, Profile, Strategy

Problems = list[dict[str, str]]


class _Problems:
    def __init__(self) -> None:
        self.problems: Problems = []

    def add(self, path: str, code: str, message: str) -> None:
        self.problems.append({"field": path, "code": code, "message": f"{path}: {message}"})


def profile_problems(
    profile: Profile,
    known_groups: Collection[str],
    known_locations: Collection[str] | None = None,
    facts: Mapping[str, FactSpec] = ORDER_FACTS,
) -> Problems:
    """What makes a well-formed profile dead or dangerous; [] when it is fine."""
    r = _Problems()
    strategies = profile.strategies
    index: dict[str, int] = {}
    for i, s in enumerate(strategies):
        if s.name in index:
            r.add(f"strategies[{i}].name", "duplicate_strategy", f"strategy {s.name!r} repeats")
        index.setdefault(s.name, i)
        _strategy_problems(r, f"strategies[{i}]", s, known_groups, known_locations, facts)
    for i, s in enumerate(strategies):
        _fallback_problems(r, i, s, strategies, index)
    _flow(strategies, index, r)
    return r.problems


def _strategy_problems(
    r: _Problems,
    path: str,
    s: Strategy,
    known_groups: Collection[str],
    known_locations: Collection[str] | None,
    facts: Mapping[str, FactSpec],
) -> None:
    """A condition that can never match, groups and locations that do not exist, a split
    limit below 1."""
    why = never_matches(s.condition, facts)
    if why is not None:
        r.add(f"{path}.condition", "never_matches", f"strategy {s.name!r} can never match: {why}")
    for j, f in enumerate(s.filters):
        where = f"{path}.filters[{j}]"
        if isinstance(f, InGroups):
            for g in f.groups:
                if g not in known_groups:
                    r.add(f"{where}.groups", "unknown_group", _unknown_group(g, known_groups))
        if isinstance(f, ExcludeLocations) and known_locations is not None:
            for code in f.codes:
                if code not in known_locations:
                    r.add(f"{where}.codes", "unknown_location", f"no location {code!r}")
    for j, c in enumerate(s.ranking.criteria):
        if c.name == "group":
            for g in c.prefer:
                if g not in known_groups:
                    r.add(
                        f"{path}.ranking.criteria[{j}].prefer",
                        "unknown_group",
                        _unknown_group(g, known_groups),
                    )
    if s.split.max_shipments is not None and s.split.max_shipments < 1:
        r.add(
            f"{path}.split.max_shipments",
            "too_small",
            f"the split limit must be at least 1, got {s.split.max_shipments}",
        )


def _fallback_problems(
    r: _Problems, i: int, s: Strategy, strategies: Sequence[Strategy], index: Mapping[str, int]
) -> None:
    """A fallback to a next strategy that does not exist, to an unknown strategy, or to
    cancelling after less than a day."""
    fb, path = s.fallback, f"strategies[{i}].fallback"
    if fb.kind == "next" and i == len(strategies) - 1:
        r.add(
            f"{path}.kind",
            "no_next_strategy",
            f"strategy {s.name!r} is the last one: there is no next strategy to fall back to",
        )
    if fb.kind == "strategy" and fb.strategy not in index:
        r.add(
            f"{path}.strategy",
            "unknown_strategy",
            f"no strategy named {fb.strategy!r} to fall back to",
        )
    if fb.kind == "cancel_after" and (fb.days is None or fb.days < 1):
        r.add(f"{path}.days", "too_small", "cancel after at least 1 day")


def _unknown_group(group: str, known: Collection[str]) -> str:
    listed = ", ".join(sorted(known)) or "none defined"
    return f"no location group {group!r} (known groups: {listed})"


def _edges(strategies: Sequence[Strategy], index: Mapping[str, int]) -> list[list[int]]:
    """Where control can go after each strategy: the next one when its condition can fail,
    and its fallback target when it cannot place everything."""
    out: list[list[int]] = []
    for i, s in enumerate(strategies):
        targets = []
        always = s.condition is None or s.condition == All(())
        if not always and i + 1 < len(strategies):
            targets.append(i + 1)
        if s.fallback.kind == "next" and i + 1 < len(strategies):
            targets.append(i + 1)
        if s.fallback.kind == "strategy" and s.fallback.strategy in index:
            targets.append(index[s.fallback.strategy])
        out.append(sorted(set(targets)))
    return out


def _flow(strategies: Sequence[Strategy], index: Mapping[str, int], r: _Problems) -> None:
    edges = _edges(strategies, index)
    names = [s.name for s in strategies]
    state = [0] * len(strategies)  # 0 new, 1 on the current path, 2 done
    stack: list[int] = []

    def visit(i: int) -> bool:
        state[i] = 1
        stack.append(i)
        for j in edges[i]:
            if state[j] == 1:
                loop = [*stack[stack.index(j) :], j]
                r.add(
                    f"strategies[{i}].fallback",
                    "fallback_cycle",
                    "fallbacks form a cycle: " + " → ".join(names[k] for k in loop),
                )
                return True
            if state[j] == 0 and visit(j):
                return True
        stack.pop()
        state[i] = 2
        return False

    if strategies and visit(0):
        return
    for i, seen in enumerate(state):
        if not seen:
            r.add(
                f"strategies[{i}]",
                "unreachable",
                f"strategy {names[i]!r} is never reached: an earlier strategy always matches "
                "and does not fall through to it",
            )
