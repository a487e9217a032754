"""A small condition language over named facts, stored as JSON-friendly dicts.

    {"all": [
        {"fact": "destination.country", "op": "in", "value": ["DE", "AT"]},
        {"not": {"fact": "customer.tags", "op": "contains", "value": "vip"}},
        {"fact": "order.value", "op": "gte", "value": "100.00"}
    ]}

A node is exactly one of `all` (every item holds; an empty list always holds), `any` (at least
one holds; an empty list never holds), `not`, or a comparison `{fact, op, value}`. Facts are
described by the caller (`FactSpec`: text, number, tags or bool, optionally a closed set of
choices); the operators allowed depend on the kind:

    text    eq ne in not_in prefix        (prefix: postal codes, "10" matches "10115")
    number  eq ne in not_in gt gte lt lte (Decimal, never float; "12.50" or 12.5 are accepted)
    tags    contains contains_any         (a set of lower-case tags; values are lower-cased)
    bool    eq ne

Parsing collects every problem with its path ("condition.all[1].value") and raises one
DomainError; evaluation is pure and never raises. A missing or None fact value satisfies only
`ne` and `not_in` (and `not ...`); a missing tags fact is the empty set.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from ordino.core.domain.errors import DomainError

FactKind = Literal["text", "number", "tags", "bool"]

OPERATORS: dict[str, frozenset[str]] = {
    "text": frozenset({"eq", "ne", "in", "not_in", "prefix"}),
    "number": frozenset({"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte"}),
    "tags": frozenset({"contains", "contains_any"}),
    "bool": frozenset({"eq", "ne"}),
}
LIST_OPERATORS = frozenset({"in", "not_in", "contains_any"})
_SYMBOLS = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}


@dataclass(frozen=True)
class FactSpec:
    """What a fact is: its kind, and for closed vocabularies the values it can take."""

    kind: FactKind
    choices: frozenset[str] | None = None
    description: str = ""


Facts = Mapping[str, object]
Value = str | Decimal | bool | tuple[str, ...] | tuple[Decimal, ...]


class Condition(ABC):
    """Base of the four node types. Immutable; compare by value."""

    @abstractmethod
    def evaluate(self, facts: Facts) -> bool: ...

    @abstractmethod
    def trace(self, facts: Facts) -> tuple[bool, str]:
        """The result and a short sentence saying why, with the actual fact values."""

    @abstractmethod
    def to_dict(self) -> dict[str, object]: ...

    @abstractmethod
    def describe(self) -> str: ...


@dataclass(frozen=True)
class All(Condition):
    items: tuple[Condition, ...] = ()

    def evaluate(self, facts: Facts) -> bool:
        return all(item.evaluate(facts) for item in self.items)

    def trace(self, facts: Facts) -> tuple[bool, str]:
        if not self.items:
            return True, "no condition (always matches)"
        reasons = []
        for item in self.items:
            ok, why = item.trace(facts)
            if not ok:
                return False, why
            reasons.append(why)
        return True, "; ".join(reasons)

    def to_dict(self) -> dict[str, object]:
        return {"all": [item.to_dict() for item in self.items]}

    def describe(self) -> str:
        if not self.items:
            return "always"
        return " and ".join(_wrap(item) for item in self.items)


@dataclass(frozen=True)
class Any(Condition):
    items: tuple[Condition, ...] = ()

    def evaluate(self, facts: Facts) -> bool:
        return any(item.evaluate(facts) for item in self.items)

    def trace(self, facts: Facts) -> tuple[bool, str]:
        reasons = []
        for item in self.items:
            ok, why = item.trace(facts)
            if ok:
                return True, why
            reasons.append(why)
        if not reasons:
            return False, "an empty 'any' never matches"
        return False, "none of: " + "; ".join(reasons)

    def to_dict(self) -> dict[str, object]:
        return {"any": [item.to_dict() for item in self.items]}

    def describe(self) -> str:
        if not self.items:
            return "never"
        return " or ".join(_wrap(item) for item in self.items)


@dataclass(frozen=True)
class Not(Condition):
    item: Condition

    def evaluate(self, facts: Facts) -> bool:
        return not self.item.evaluate(facts)

    def trace(self, facts: Facts) -> tuple[bool, str]:
        ok, why = self.item.trace(facts)
        return not ok, f"not ({why})"

    def to_dict(self) -> dict[str, object]:
        return {"not": self.item.to_dict()}

    def describe(self) -> str:
        return f"not ({self.item.describe()})"


@dataclass(frozen=True)
class Compare(Condition):
    fact: str
    op: str
    value: Value
    kind: FactKind = "text"

    def evaluate(self, facts: Facts) -> bool:
        return _compare(self.kind, self.op, facts.get(self.fact), self.value)

    def trace(self, facts: Facts) -> tuple[bool, str]:
        actual = facts.get(self.fact)
        ok = _compare(self.kind, self.op, actual, self.value)
        return ok, f"{self.describe()} {'holds' if ok else 'fails'} (it is {_show(actual)})"

    def to_dict(self) -> dict[str, object]:
        return {"fact": self.fact, "op": self.op, "value": _jsonable(self.value)}

    def describe(self) -> str:
        return f"{self.fact} {_SYMBOLS.get(self.op, self.op)} {_show(self.value)}"


def _wrap(item: Condition) -> str:
    text = item.describe()
    return f"({text})" if isinstance(item, All | Any) and len(item.items) > 1 else text


def _show(value: object) -> str:
    if isinstance(value, frozenset | set):
        return "{" + ", ".join(repr(v) for v in sorted(value)) + "}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    if value is None:
        return "unknown"
    return repr(value)


def _jsonable(value: Value) -> object:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def _compare(kind: str, op: str, actual: object, expected: Value) -> bool:
    if kind == "tags":
        tags = actual if isinstance(actual, frozenset | set) else frozenset()
        if op == "contains":
            return expected in tags
        return any(tag in tags for tag in expected)  # contains_any
    if op == "ne":
        return actual is None or actual != expected
    if op == "not_in":
        return actual is None or actual not in expected  # type: ignore[operator]
    if actual is None:
        return False
    if op == "eq":
        return actual == expected
    if op == "in":
        return actual in expected  # type: ignore[operator]
    if op == "prefix":
        return isinstance(actual, str) and actual.startswith(expected)  # type: ignore[arg-type]
    try:
        if op == "gt":
            return actual > expected  # type: ignore[operator]
        if op == "gte":
            return actual >= expected  # type: ignore[operator]
        if op == "lt":
            return actual < expected  # type: ignore[operator]
        if op == "lte":
            return actual <= expected  # type: ignore[operator]
    except TypeError:
        return False
    return False


# ---------------------------------------------------------------------------------------------
# Parsing


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, path: str, code: str, message: str) -> None:
        self.items.append({"field": path, "code": code, "message": f"{path}: {message}"})


def condition_parse(
    data: object, facts: Mapping[str, FactSpec], *, path: str = "condition"
) -> Condition:
    """A Condition from its dict form, or DomainError('invalid_condition') listing every problem.

    `None` means "always" (an empty `all`).
    """
    errors = _Errors()
    result = _parse(data, facts, path, errors)
    if errors.items:
        first = errors.items[0]["message"]
        more = len(errors.items) - 1
        message = first if not more else f"{first} (and {more} more problem(s))"
        raise DomainError("invalid_condition", message, errors=errors.items)
    return result


def condition_errors(
    data: object, facts: Mapping[str, FactSpec], *, path: str = "condition"
) -> tuple[Condition | None, list[dict[str, str]]]:
    """Like condition_parse, but hands back the problems instead of raising."""
    errors = _Errors()
    result = _parse(data, facts, path, errors)
    return (None if errors.items else result), errors.items


def _parse(data: object, facts: Mapping[str, FactSpec], path: str, errors: _Errors) -> Condition:
    if data is None:
        return All(())
    if not isinstance(data, Mapping):
        errors.add(path, "not_an_object", f"expected an object, got {type(data).__name__}")
        return All(())
    keys = set(data)
    for group, node in (("all", All), ("any", Any)):
        if group in keys:
            if keys != {group}:
                _extra(errors, path, keys - {group}, group)
            items = data[group]
            if not isinstance(items, list | tuple):
                errors.add(f"{path}.{group}", "not_a_list", "expected a list of conditions")
                return node(())
            return node(
                tuple(
                    _parse(item, facts, f"{path}.{group}[{i}]", errors)
                    for i, item in enumerate(items)
                )
            )
    if "not" in keys:
        if keys != {"not"}:
            _extra(errors, path, keys - {"not"}, "not")
        return Not(_parse(data["not"], facts, f"{path}.not", errors))
    if "fact" in keys or "op" in keys:
        return _parse_compare(data, facts, path, errors)
    errors.add(
        path,
        "unknown_node",
        "expected one of 'all', 'any', 'not' or a comparison {fact, op, value}, "
        f"got keys {sorted(str(k) for k in keys)}",
    )
    return All(())


def _extra(errors: _Errors, path: str, extra: set[object], node: str) -> None:
    names = ", ".join(sorted(repr(str(k)) for k in extra))
    errors.add(path, "unexpected_keys", f"{names} not allowed next to {node!r}")


def _parse_compare(
    data: Mapping[str, object], facts: Mapping[str, FactSpec], path: str, errors: _Errors
) -> Condition:
    extra = set(data) - {"fact", "op", "value"}
    if extra:
        _extra(errors, path, extra, "a comparison")
    fact, op = data.get("fact"), data.get("op")
    spec = facts.get(fact) if isinstance(fact, str) else None
    if spec is None:
        known = ", ".join(sorted(facts))
        errors.add(f"{path}.fact", "unknown_fact", f"unknown fact {fact!r}; known facts: {known}")
        return All(())
    allowed = OPERATORS[spec.kind]
    if op not in allowed:
        errors.add(
            f"{path}.op",
            "unknown_operator",
            f"operator {op!r} does not apply to {fact} ({spec.kind}); "
            f"use one of {', '.join(sorted(allowed))}",
        )
        return All(())
    if "value" not in data:
        errors.add(f"{path}.value", "required", f"{fact} {op} needs a value")
        return All(())
    value = _parse_value(spec, str(op), data["value"], f"{path}.value", errors)
    return Compare(fact, str(op), value, spec.kind)


def _parse_value(spec: FactSpec, op: str, raw: object, path: str, errors: _Errors) -> Value:
    if op in LIST_OPERATORS:
        if not isinstance(raw, list | tuple):
            errors.add(path, "not_a_list", f"{op} needs a list of values, got {_show(raw)}")
            return ()
        return tuple(  # type: ignore[return-value]
            _parse_scalar(spec, item, f"{path}[{i}]", errors) for i, item in enumerate(raw)
        )
    return _parse_scalar(spec, raw, path, errors)


def _parse_scalar(spec: FactSpec, raw: object, path: str, errors: _Errors) -> str | Decimal | bool:
    if spec.kind == "number":
        if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
            errors.add(path, "not_a_number", f"expected a number, got {_show(raw)}")
            return Decimal(0)
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            errors.add(path, "not_a_number", f"expected a number, got {raw!r}")
            return Decimal(0)
        if not number.is_finite():
            errors.add(path, "not_a_number", f"expected a finite number, got {raw!r}")
            return Decimal(0)
        return number
    if spec.kind == "bool":
        if not isinstance(raw, bool):
            errors.add(path, "not_a_bool", f"expected true or false, got {_show(raw)}")
            return False
        return raw
    if not isinstance(raw, str):
        errors.add(path, "not_a_string", f"expected a string, got {_show(raw)}")
        return ""
    value = raw.strip().lower() if spec.kind == "tags" else raw
    if spec.choices is not None and value not in spec.choices:
        errors.add(
            path,
            "unknown_choice",
            f"{raw!r} is not one of {', '.join(repr(c) for c in sorted(spec.choices))}",
        )
    return value
