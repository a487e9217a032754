"""Can a condition ever hold? A conservative check used to refuse dead configuration.

The condition is put in negation normal form and expanded into alternatives (a disjunction of
conjunctions of comparisons), capped at MAX_ALTERNATIVES; each conjunction is checked fact by
fact: equal/in sets intersected with the fact's choices, exclusions, numeric bounds, postal
prefixes, required and forbidden tags. `never_matches` answers a reason when every alternative
is contradictory and None otherwise — including when the expansion is too large to check, so a
condition is only refused when it certainly can never match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from ordino.rules.domain.conditions import All, Any, Compare, Condition, FactSpec, Not

MAX_ALTERNATIVES = 256

_NEGATE = {
    "eq": "ne",
    "ne": "eq",
    "in": "not_in",
    "not_in": "in",
    "gt": "lte",
    "lte": "gt",
    "gte": "lt",
    "lt": "gte",
    "prefix": "not_prefix",
    "not_prefix": "prefix",
    "contains": "not_contains",
    "not_contains": "contains",
    "contains_any": "not_contains_any",
    "not_contains_any": "contains_any",
}

Atom = Compare
Conjunction = tuple[Atom, ...]


class _TooBig(Exception):
    pass


def never_matches(condition: Condition | None, facts: Mapping[str, FactSpec]) -> str | None:
    """Why `condition` can never hold, or None when it may hold (or is too large to decide)."""
    if condition is None:
        return None
    try:
        alternatives = _dnf(condition, negate=False)
    except _TooBig:
        return None
    if not alternatives:
        return "it is an empty 'any', which never matches"
    reasons = []
    for conjunction in alternatives:
        reason = _contradiction(conjunction, facts)
        if reason is None:
            return None
        reasons.append(reason)
    if len(reasons) == 1:
        return reasons[0]
    return "every alternative is contradictory: " + "; ".join(dict.fromkeys(reasons))


def _dnf(node: Condition, *, negate: bool) -> list[Conjunction]:
    if isinstance(node, Not):
        return _dnf(node.item, negate=not negate)
    if isinstance(node, Compare):
        if negate:
            return [(Compare(node.fact, _NEGATE[node.op], node.value, node.kind),)]
        return [(node,)]
    conjunctive = isinstance(node, All) != negate
    assert isinstance(node, All | Any)
    parts = [_dnf(item, negate=negate) for item in node.items]
    if not conjunctive:
        out = [c for part in parts for c in part]
        if len(out) > MAX_ALTERNATIVES:
            raise _TooBig
        return out
    result: list[Conjunction] = [()]
    for part in parts:
        result = [left + right for left in result for right in part]
        if len(result) > MAX_ALTERNATIVES:
            raise _TooBig
    return result


def _contradiction(conjunction: Conjunction, facts: Mapping[str, FactSpec]) -> str | None:
    by_fact: dict[str, list[Atom]] = defaultdict(list)
    for atom in conjunction:
        by_fact[atom.fact].append(atom)
    for fact in sorted(by_fact):
        atoms = by_fact[fact]
        spec = facts.get(fact, FactSpec(atoms[0].kind))
        if spec.kind == "tags":
            ok = _tags_possible(atoms)
        elif spec.kind == "number":
            ok = _number_possible(atoms)
        elif spec.kind == "bool":
            ok = _text_possible(atoms, frozenset({True, False}))  # type: ignore[arg-type]
        else:
            ok = _text_possible(atoms, spec.choices)
        if not ok:
            described = " and ".join(_describe(a) for a in atoms)
            return f"no value of {fact} satisfies {described}"
    return None


def _describe(atom: Atom) -> str:
    if atom.op.startswith("not_") and atom.op not in ("not_in",):
        return f"not ({Compare(atom.fact, _NEGATE[atom.op], atom.value, atom.kind).describe()})"
    return atom.describe()


def _text_possible(atoms: list[Atom], choices: frozenset[str] | None) -> bool:
    allowed: set[object] | None = set(choices) if choices is not None else None
    excluded: set[object] = set()
    prefixes: list[str] = []
    not_prefixes: list[str] = []
    for atom in atoms:
        if atom.op == "eq":
            allowed = {atom.value} if allowed is None else allowed & {atom.value}
        elif atom.op == "in":
            values = set(atom.value)  # type: ignore[arg-type]
            allowed = values if allowed is None else allowed & values
        elif atom.op == "ne":
            excluded.add(atom.value)
        elif atom.op == "not_in":
            excluded.update(atom.value)  # type: ignore[arg-type]
        elif atom.op == "prefix":
            prefixes.append(str(atom.value))
        elif atom.op == "not_prefix":
            not_prefixes.append(str(atom.value))
    if allowed is not None:
        return any(
            value not in excluded
            and all(str(value).startswith(p) for p in prefixes)
            and not any(str(value).startswith(q) for q in not_prefixes)
            for value in allowed
        )
    longest = max(prefixes, key=len, default="")
    if any(not longest.startswith(p) for p in prefixes):
        return False
    return not any(longest.startswith(q) for q in not_prefixes)


def _number_possible(atoms: list[Atom]) -> bool:
    allowed: set[Decimal] | None = None
    excluded: set[Decimal] = set()
    low: tuple[Decimal, bool] | None = None  # (bound, inclusive)
    high: tuple[Decimal, bool] | None = None
    for atom in atoms:
        value = atom.value
        if atom.op == "eq":
            allowed = {value} if allowed is None else allowed & {value}  # type: ignore[arg-type]
        elif atom.op == "in":
            values = set(value)  # type: ignore[arg-type]
            allowed = values if allowed is None else allowed & values
        elif atom.op == "ne":
            excluded.add(value)  # type: ignore[arg-type]
        elif atom.op == "not_in":
            excluded.update(value)  # type: ignore[arg-type]
        elif atom.op in ("gt", "gte"):
            bound = (value, atom.op == "gte")
            if low is None or bound[0] > low[0] or (bound[0] == low[0] and not bound[1]):
                low = bound  # type: ignore[assignment]
        elif atom.op in ("lt", "lte"):
            bound = (value, atom.op == "lte")
            if high is None or bound[0] < high[0] or (bound[0] == high[0] and not bound[1]):
                high = bound  # type: ignore[assignment]

    def within(v: Decimal) -> bool:
        if low is not None and (v < low[0] or (v == low[0] and not low[1])):
            return False
        return not (high is not None and (v > high[0] or (v == high[0] and not high[1])))

    if allowed is not None:
        return any(v not in excluded and within(v) for v in allowed)
    if low is None or high is None:
        return True
    if low[0] < high[0]:
        return True
    return low[0] == high[0] and low[1] and high[1] and low[0] not in excluded


def _tags_possible(atoms: list[Atom]) -> bool:
    required: set[str] = set()
    forbidden: set[str] = set()
    any_of: list[set[str]] = []
    for atom in atoms:
        if atom.op == "contains":
            required.add(str(atom.value))
        elif atom.op == "not_contains":
            forbidden.add(str(atom.value))
        elif atom.op == "contains_any":
            any_of.append({str(v) for v in atom.value})  # type: ignore[union-attr]
        elif atom.op == "not_contains_any":
            forbidden.update(str(v) for v in atom.value)  # type: ignore[union-attr]
    if required & forbidden:
        return False
    return all(options - forbidden for options in any_of)
