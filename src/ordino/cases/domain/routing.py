"""Case routing rules as the pure core sees them (docs/cases.md, "Routing"): a condition over
the order's facts (holds' language and facts, `rules/domain/order_facts.py: HOLD_FACTS`) and
the case types it applies to → a team and/or a priority. Rules are tried in order; the first
that matches a new case about an order decides. Everything is checked when a rule is saved
(`routing_check`), so evaluation never fails at run time."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from ordino.cases.domain.status import PRIORITIES
from ordino.core.domain.errors import DomainError
from ordino.holds.domain.rules import condition_check
from ordino.rules.domain import Condition

CASE_TYPES_MAX = 20


@dataclass(frozen=True)
class RoutingRule:
    """One rule, parsed: `case_types` empty means every type."""

    code: str
    case_types: tuple[str, ...]
    condition: Condition
    team_id: int | None
    priority: str


@dataclass(frozen=True)
class Routed:
    rule: RoutingRule
    why: str


def routing_check(
    *, condition: object, case_types: object, team_id: int | None, priority: str,
    known_types: Collection[str],
) -> tuple[Condition, tuple[str, ...], str]:  # fmt: skip
    """The parsed condition, the case types (known, no repeats, in the order given) and the
    priority; each problem a 422 naming its field (`condition.all[1].value`, `case_types[0]`)."""
    parsed = condition_check(condition)
    if not isinstance(case_types, list | tuple) or len(case_types) > CASE_TYPES_MAX:
        raise DomainError(
            "invalid_case_types",
            f"case_types is a list of at most {CASE_TYPES_MAX} case type codes.",
            field="case_types",
        )
    for index, code in enumerate(case_types):
        if not isinstance(code, str) or code not in known_types:
            raise DomainError(
                "unknown_case_type",
                f"case_types[{index}]: no case type {str(code)[:40]!r}; known: "
                f"{', '.join(sorted(known_types))}.",
                field=f"case_types[{index}]",
            )
    priority = (priority or "").strip()
    if priority and priority not in PRIORITIES:
        raise DomainError(
            "invalid_priority",
            f"priority is one of {', '.join(PRIORITIES)} (or empty: the type's).",
            field="priority",
        )
    if team_id is None and not priority:
        raise DomainError(
            "routing_outcome_missing",
            "A routing rule sends the case to a team, sets its priority, or both.",
            field="team",
        )
    return parsed, tuple(dict.fromkeys(case_types)), priority


def route(
    rules: Sequence[RoutingRule], case_type: str, facts: Mapping[str, object]
) -> Routed | None:
    """The first rule (in order) for this case type whose condition the order matches."""
    for rule in rules:
        if rule.case_types and case_type not in rule.case_types:
            continue
        matched, why = rule.condition.trace(facts)
        if matched:
            return Routed(rule, why)
    return None
