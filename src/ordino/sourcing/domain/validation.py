"""A profile from its dict form, refused with every problem's path and reason when it is wrong.

profile_from_dict() parses (types, names, operators) and then checks what makes a profile dead
or dangerous: a strategy whose condition can never match, a strategy never reached, a filter
or preference on a location group (or location) that does not exist, a filter that keeps no
location, a split limit below 1, a fallback to nothing, and a cycle of fallbacks.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ordino.core.domain.errors import DomainError
from ordino.rules.domain.conditions import Condition, FactSpec, condition_errors
from ordino.sourcing.domain.checks import profile_problems
from ordino.sourcing.domain.facts import LOCATION_KINDS, ORDER_FACTS
from ordino.sourcing.domain.profile import (
    CRITERIA,
    FALLBACK_KINDS,
    PREFERENCE_CRITERIA,
    CapacityLeft,
    Criterion,
    ExcludeLocations,
    Fallback,
    Filter,
    HasStock,
    InGroups,
    IsOpen,
    KindIn,
    Profile,
    Ranking,
    SplitLimit,
    Strategy,
    WithinDistance,
)

Problems = list[dict[str, str]]


class _Reader:
    def __init__(self) -> None:
        self.problems: Problems = []

    def add(self, path: str, code: str, message: str) -> None:
        self.problems.append({"field": path, "code": code, "message": f"{path}: {message}"})

    def obj(self, data: object, path: str, allowed: Collection[str]) -> Mapping[str, object]:
        if not isinstance(data, Mapping):
            self.add(path, "not_an_object", f"expected an object, got {type(data).__name__}")
            return {}
        for key in sorted(set(data) - set(allowed), key=str):
            self.add(f"{path}.{key}", "unknown_field", f"unknown field; use {', '.join(allowed)}")
        return data

    def text_list(self, data: object, path: str) -> tuple[str, ...]:
        if not isinstance(data, list | tuple) or not all(isinstance(v, str) for v in data):
            self.add(path, "not_a_list", "expected a list of strings")
            return ()
        if not data:
            self.add(path, "empty", "an empty list keeps no location")
        return tuple(data)

    def choice(self, data: object, path: str, choices: Sequence[str], default: str) -> str:
        if data is None:
            return default
        if data not in choices:
            self.add(path, "unknown_choice", f"{data!r} is not one of {', '.join(choices)}")
            return default
        return str(data)

    def integer(self, data: object, path: str, *, minimum: int, what: str) -> int | None:
        if isinstance(data, bool) or not isinstance(data, int):
            self.add(path, "not_an_integer", f"{what} must be a whole number, got {data!r}")
            return None
        if data < minimum:
            self.add(path, "too_small", f"{what} must be at least {minimum}, got {data}")
            return None
        return data

    def number(self, data: object, path: str, what: str) -> float | None:
        try:
            value = Decimal(str(data)) if not isinstance(data, bool) else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.add(path, "not_a_number", f"{what} must be a number, got {data!r}")
            return None
        if value <= 0:
            self.add(path, "too_small", f"{what} must be greater than 0, got {data}")
            return None
        return float(value)


def profile_from_dict(
    data: object,
    *,
    known_groups: Collection[str],
    known_locations: Collection[str] | None = None,
    facts: Mapping[str, FactSpec] = ORDER_FACTS,
) -> Profile:
    """The Profile, or DomainError('invalid_profile') whose `errors` list every problem."""
    r = _Reader()
    root = r.obj(data, "profile", ("code", "version", "effective_from", "strategies"))
    code = root.get("code")
    if not isinstance(code, str) or not code.strip():
        r.add("code", "required", "a profile needs a code")
        code = ""
    version = r.integer(root.get("version", 1), "version", minimum=1, what="version") or 1
    effective = _when(root.get("effective_from"), r)
    raw = root.get("strategies")
    strategies: list[Strategy] = []
    if not isinstance(raw, list) or not raw:
        r.add("strategies", "required", "a profile needs at least one strategy")
    else:
        strategies = [_strategy(item, f"strategies[{i}]", r, facts) for i, item in enumerate(raw)]
    profile = Profile(str(code).strip(), tuple(strategies), version, effective)
    if not r.problems:
        r.problems.extend(profile_problems(profile, known_groups, known_locations, facts))
    if r.problems:
        first, more = r.problems[0]["message"], len(r.problems) - 1
        message = first if not more else f"{first} (and {more} more problem(s))"
        raise DomainError("invalid_profile", message, errors=r.problems)
    return profile


def _when(data: object, r: _Reader) -> datetime | None:
    if data is None:
        return None
    try:
        value = datetime.fromisoformat(str(data))
    except ValueError:
        r.add("effective_from", "invalid_datetime", f"{data!r} is not an ISO 8601 date-time")
        return None
    if value.tzinfo is None:
        r.add("effective_from", "naive_datetime", "give a timezone, e.g. 2025-10-01T00:00:00Z")
        return None
    return value


def _strategy(data: object, path: str, r: _Reader, facts: Mapping[str, FactSpec]) -> Strategy:
    keys = ("name", "condition", "filters", "ranking", "split", "fallback")
    raw = r.obj(data, path, keys)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        r.add(f"{path}.name", "required", "a strategy needs a name")
        name = ""
    condition: Condition | None = None
    if raw.get("condition") is not None:
        condition, problems = condition_errors(raw["condition"], facts, path=f"{path}.condition")
        r.problems.extend(problems)
    filters = tuple(
        f
        for i, item in enumerate(_list(raw.get("filters", []), f"{path}.filters", r))
        if (f := _filter(item, f"{path}.filters[{i}]", r)) is not None
    )
    return Strategy(
        name=str(name).strip(),
        condition=condition,
        filters=filters,
        ranking=_ranking(raw.get("ranking"), f"{path}.ranking", r),
        split=_split(raw.get("split"), f"{path}.split", r),
        fallback=_fallback(raw.get("fallback"), f"{path}.fallback", r),
    )


def _list(data: object, path: str, r: _Reader) -> list[object]:
    if not isinstance(data, list):
        r.add(path, "not_a_list", "expected a list")
        return []
    return data


def _filter(data: object, path: str, r: _Reader) -> Filter | None:
    raw = r.obj(
        data, path, ("type", "groups", "mode", "minimum", "km", "unknown", "kinds", "codes")
    )
    kind = raw.get("type")
    if kind == "in_groups":
        return InGroups(r.text_list(raw.get("groups"), f"{path}.groups"))
    if kind == "has_stock":
        modes = ("any", "full_line", "all_lines")
        return HasStock(r.choice(raw.get("mode"), f"{path}.mode", modes, "any"))  # type: ignore[arg-type]
    if kind == "open":
        modes = ("before_cutoff", "open_now")
        return IsOpen(r.choice(raw.get("mode"), f"{path}.mode", modes, "before_cutoff"))  # type: ignore[arg-type]
    if kind == "capacity_left":
        minimum = r.integer(raw.get("minimum", 1), f"{path}.minimum", minimum=1, what="minimum")
        return CapacityLeft(minimum or 1)
    if kind == "within_distance":
        km = r.number(raw.get("km"), f"{path}.km", "km")
        unknown = r.choice(raw.get("unknown"), f"{path}.unknown", ("exclude", "keep"), "exclude")
        return WithinDistance(km or 1.0, unknown)  # type: ignore[arg-type]
    if kind == "kind_in":
        kinds = r.text_list(raw.get("kinds"), f"{path}.kinds")
        for i, k in enumerate(kinds):
            if k not in LOCATION_KINDS:
                r.add(f"{path}.kinds[{i}]", "unknown_kind", _unknown_kind(k))
        return KindIn(kinds)
    if kind == "exclude_locations":
        return ExcludeLocations(r.text_list(raw.get("codes"), f"{path}.codes"))
    known = "in_groups, has_stock, open, capacity_left, within_distance, kind_in, exclude_locations"
    r.add(f"{path}.type", "unknown_filter", f"unknown filter {kind!r}; use one of {known}")
    return None


def _unknown_kind(kind: str) -> str:
    return f"unknown location kind {kind!r}; use {', '.join(sorted(LOCATION_KINDS))}"


def _ranking(data: object, path: str, r: _Reader) -> Ranking:
    if data is None:
        return Ranking()
    raw = r.obj(data, path, ("mode", "criteria"))
    mode = r.choice(raw.get("mode"), f"{path}.mode", ("lexicographic", "weighted"), "lexicographic")
    criteria = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    items = _list(raw.get("criteria", []), f"{path}.criteria", r)
    if not items:
        r.add(f"{path}.criteria", "required", "a ranking needs at least one criterion")
    for i, item in enumerate(items):
        where = f"{path}.criteria[{i}]"
        c = r.obj(item, where, ("criterion", "weight", "prefer"))
        name = c.get("criterion")
        if name not in CRITERIA:
            r.add(
                f"{where}.criterion",
                "unknown_criterion",
                f"unknown criterion {name!r}; use one of {', '.join(CRITERIA)}",
            )
            continue
        weight = 1.0
        if "weight" in c:
            weight = r.number(c["weight"], f"{where}.weight", "weight") or 1.0
        prefer: tuple[str, ...] = ()
        if name in PREFERENCE_CRITERIA:
            prefer = r.text_list(c.get("prefer"), f"{where}.prefer")
            if name == "kind":
                for j, k in enumerate(prefer):
                    if k not in LOCATION_KINDS:
                        r.add(f"{where}.prefer[{j}]", "unknown_kind", _unknown_kind(k))
        elif "prefer" in c:
            r.add(f"{where}.prefer", "unexpected", f"{name} takes no 'prefer' list")
        if (str(name), prefer) in seen:
            r.add(where, "duplicate_criterion", f"criterion {name!r} is listed twice")
        seen.add((str(name), prefer))
        criteria.append(Criterion(str(name), weight, prefer))
    return Ranking(tuple(criteria) or Ranking().criteria, mode)  # type: ignore[arg-type]


def _split(data: object, path: str, r: _Reader) -> SplitLimit:
    if data is None:
        return SplitLimit()
    raw = r.obj(data, path, ("max_shipments", "fill", "line_split"))
    limit = raw.get("max_shipments")
    if limit is not None:
        what = "the split limit (max_shipments)"
        limit = r.integer(limit, f"{path}.max_shipments", minimum=1, what=what) or 1
    fill = r.choice(
        raw.get("fill"), f"{path}.fill", ("fewest_shipments", "rank_order"), "fewest_shipments"
    )
    line_split = raw.get("line_split", True)
    if not isinstance(line_split, bool):
        r.add(f"{path}.line_split", "not_a_bool", "expected true or false")
        line_split = True
    return SplitLimit(limit, fill, line_split)  # type: ignore[arg-type]


def _fallback(data: object, path: str, r: _Reader) -> Fallback:
    if data is None:
        return Fallback()
    raw = r.obj(data, path, ("kind", "strategy", "days"))
    kind = r.choice(raw.get("kind"), f"{path}.kind", FALLBACK_KINDS, "backorder")
    target = raw.get("strategy")
    days = None
    if kind == "strategy" and (not isinstance(target, str) or not target):
        r.add(f"{path}.strategy", "required", "name the strategy to fall back to")
    if kind == "cancel_after":
        days = r.integer(raw.get("days"), f"{path}.days", minimum=1, what="days")
    return Fallback(kind, target if kind == "strategy" else None, days)  # type: ignore[arg-type]
