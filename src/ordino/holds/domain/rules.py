"""Hold rules as the pure core sees them: checking a condition when it is saved, evaluating the
active rule set against one order's facts, and the report's arithmetic (docs/holds.md).

A rule that could fail at run time is refused when saved: `condition_check` parses the
condition against HOLD_FACTS (an unknown fact, an operator that does not fit its kind, a value of
the wrong type: each problem with its path) and refuses one that can never match. Evaluation
itself never raises (rules/domain/conditions.py)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import median

from ordino.core.domain.errors import DomainError
from ordino.rules.domain import Condition, condition_parse, never_matches
from ordino.rules.domain.order_facts import HOLD_FACTS

KINDS = ("hold", "approval")
APPROVE = "approve"  # the action that releases holds and system causes (docs/people.md)
HOW_MANUAL = "manual"
RULE_CAUSE_PREFIX = "rule:"


def rule_cause(code: str) -> str:
    """The cause an open hold of rule `code` is stored under (one open hold per cause)."""
    return f"{RULE_CAUSE_PREFIX}{code}"


def condition_check(data: object, *, path: str = "condition") -> Condition:
    """The parsed condition, or DomainError('invalid_condition') naming every problem's path."""
    if not isinstance(data, Mapping):
        raise DomainError(
            "invalid_condition",
            f"{path}: expected an object such as "
            '{"fact": "order.value", "op": "gt", "value": "1000"}',
            field=path,
        )
    condition = condition_parse(data, HOLD_FACTS, path=path)
    dead = never_matches(condition, HOLD_FACTS)
    if dead is not None:
        raise DomainError("condition_never_matches", f"{path}: {dead}.", field=path)
    return condition


def kind_check(kind: str, release_permission: str, *, actions: Collection[str]) -> tuple[str, str]:
    """An approval names the action permission that may release it (one of `actions`,
    accounts/roles.py); a hold names none (releasing it asks `approve`)."""
    if kind not in KINDS:
        raise DomainError("invalid_kind", f"kind {kind!r} is not hold or approval.", field="kind")
    permission = (release_permission or "").strip()
    if kind == "approval" and not permission:
        raise DomainError(
            "release_permission_required",
            "An approval rule names the permission that may release it, e.g. 'approve'.",
            field="release_permission",
        )
    if kind == "approval" and permission not in actions:
        raise DomainError(
            "unknown_permission",
            f"release_permission {permission[:64]!r} is not an action permission; use one of "
            f"{', '.join(sorted(actions))}.",
            field="release_permission",
        )
    return kind, permission if kind == "approval" else ""


@dataclass(frozen=True)
class ReleaseNeed:
    """What releasing one hold asks of whoever releases it: the action permission (an
    approval's own, else `approve`) and whether it is an approval (a person decides)."""

    permission: str
    approval: bool


def release_need(kind: str, release_permission: str) -> ReleaseNeed:
    """A hold rule's holds and system causes ask `approve`; an approval its rule's permission."""
    return ReleaseNeed(release_permission or APPROVE, kind == "approval")


def condition_reads(data: object, fact: str) -> bool:
    """Whether a stored condition (its dict form) tests `fact` anywhere, even under `not`."""
    if isinstance(data, Mapping):
        if data.get("fact") == fact:
            return True
        return any(condition_reads(data.get(key), fact) for key in ("all", "any", "not"))
    if isinstance(data, list):
        return any(condition_reads(item, fact) for item in data)
    return False


@dataclass(frozen=True)
class ActiveRule:
    """One rule's version in force, parsed once (the capture's cache holds these)."""

    rule_id: int
    code: str
    kind: str
    reason: str
    release_permission: str
    version_id: int
    number: int
    condition: Condition

    @property
    def cause(self) -> str:
        return rule_cause(self.code)


@dataclass(frozen=True)
class Verdict:
    rule: ActiveRule
    matched: bool
    why: str


def rules_evaluate(rules: Sequence[ActiveRule], facts: Mapping[str, object]) -> list[Verdict]:
    """Each rule's verdict on the order, with the sentence saying why."""
    verdicts = []
    for rule in rules:
        matched, why = rule.condition.trace(facts)
        verdicts.append(Verdict(rule, matched, why))
    return verdicts


@dataclass(frozen=True)
class HoldSpan:
    """What the report needs of one hold."""

    rule_id: int | None
    order_id: int
    placed_at: datetime
    released_at: datetime | None
    released_how: str


# A rule whose holds people release every time, at least this many times, "no longer serves
# a purpose" (docs/holds.md, "The report"): fewer releases say too little to flag it.
ALWAYS_OVERRIDDEN_AFTER = 3


@dataclass(frozen=True)
class RuleFigures:
    fired: int
    orders_held: int
    median_hours_held: Decimal | None
    overridden: int
    open: int
    always_overridden: bool = False  # every released hold released by a person, 3 or more


@dataclass(frozen=True)
class RuleCounts:
    """One rule's holds counted (by the database: holds/selectors.py `holds_report`)."""

    fired: int
    orders_held: int  # distinct orders
    overridden: int  # released by a person
    open: int


def rule_figures_of(counts: RuleCounts, hours_held: Sequence[float]) -> RuleFigures:
    """Per rule: the counts, the delay it added (median of `hours_held`, the hours from placed
    to released of each released hold) and whether people override it every time."""
    middle = None
    if hours_held:
        middle = Decimal(str(median(hours_held))).quantize(Decimal("0.01"))
    overridden = counts.overridden
    return RuleFigures(
        fired=counts.fired,
        orders_held=counts.orders_held,
        median_hours_held=middle,
        overridden=overridden,
        open=counts.open,
        always_overridden=overridden >= ALWAYS_OVERRIDDEN_AFTER and overridden == len(hours_held),
    )


def rule_figures(spans: Sequence[HoldSpan]) -> RuleFigures:
    """`rule_figures_of` one rule's holds, each as a HoldSpan."""
    hours = [
        (span.released_at - span.placed_at).total_seconds() / 3600
        for span in spans
        if span.released_at is not None
    ]
    counts = RuleCounts(
        fired=len(spans),
        orders_held=len({span.order_id for span in spans}),
        overridden=sum(1 for span in spans if span.released_how == HOW_MANUAL),
        open=sum(1 for span in spans if span.released_at is None),
    )
    return rule_figures_of(counts, hours)


# The report's period (docs/holds.md, "The report"): the last 90 days unless asked, at most 366.
REPORT_DEFAULT_DAYS = 90
REPORT_MAX_DAYS = 366


def report_period(
    since: datetime | None, until: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The period [since, until) the report covers: `until` defaults to now, `since` to
    REPORT_DEFAULT_DAYS before `until`; longer than REPORT_MAX_DAYS, empty or reversed: 422
    `invalid_period` naming the field (`from`, or `to` when only it is asked)."""
    field = "from" if since is not None else "to"
    until = until or now
    since = since or until - timedelta(days=REPORT_DEFAULT_DAYS)
    if since >= until:
        raise DomainError("invalid_period", "`from` must come before `to`.", field=field)
    if until - since > timedelta(days=REPORT_MAX_DAYS):
        raise DomainError(
            "invalid_period",
            f"Ask for at most {REPORT_MAX_DAYS} days at a time (from {since.isoformat()} "
            f"to {until.isoformat()}).",
            field=field,
        )
    return since, until
