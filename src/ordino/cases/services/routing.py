"""Case routing rules (docs/cases.md, "Routing"): stored as data, checked when saved (never at
run time), ordered (the first match wins), every change in the audit log; applied when a case
about an order is opened (`case_route`, called by `case_open`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError
from django.db.models import Max

from ordino.audit.services import audit_record
from ordino.cases.domain.routing import Routed, RoutingRule, route, routing_check
from ordino.cases.domain.types import BUILTIN
from ordino.cases.models import CaseType
from ordino.cases.models import RoutingRule as StoredRule
from ordino.cases.selectors import team_by_name
from ordino.core.domain.clock import utcnow
from ordino.core.domain.codes import code_check, name_check
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.holds.domain.rules import condition_check
from ordino.orders.hold_facts import orders_hold_facts, orders_recent_hold_facts
from ordino.orders.models import Order

AUDIT_TYPE = "case_routing_rule"
PREVIEW_MAX = 500


@dataclass(frozen=True)
class RoutingRuleIn:
    """A rule as a person writes it: the team by name (none: keep the type's team)."""

    code: str
    name: str
    condition: dict
    case_types: list[str]
    team: str | None = None
    priority: str = ""
    position: int | None = None


def _known_types() -> set[str]:
    return set(BUILTIN) | set(CaseType.objects.values_list("code", flat=True))


def routing_rule_snapshot(rule: StoredRule) -> dict:
    """A rule as the audit and the API show it."""
    return {
        "code": rule.code,
        "name": rule.name,
        "position": rule.position,
        "condition": rule.condition,
        "case_types": list(rule.case_types),
        "team": rule.team.name if rule.team_id else None,
        "priority": rule.priority,
    }


def _checked(data: RoutingRuleIn) -> dict:
    """The fields to store, each checked; a problem is a 422 naming its field."""
    code, name = code_check(data.code), name_check(data.name)
    team = team_by_name(data.team) if data.team else None
    condition, types, priority = routing_check(
        condition=data.condition, case_types=data.case_types,
        team_id=team.pk if team else None, priority=data.priority, known_types=_known_types(),
    )  # fmt: skip
    if data.position is not None and not 0 <= data.position <= 1_000_000:
        raise DomainError("invalid_position", "position is 0..1000000.", field="position")
    return {"code": code, "name": name[:120], "condition": condition.to_dict(),
            "case_types": list(types), "team": team, "priority": priority}  # fmt: skip


def routing_rule_create(*, data: RoutingRuleIn, actor: str) -> StoredRule:
    """A new rule, last in order unless a position is given. Refused whole when any part is
    wrong (the condition's problems by path); nothing is saved."""
    fields = _checked(data)
    now = utcnow()
    with use_case_atomic():
        position = data.position
        if position is None:
            position = (StoredRule.objects.aggregate(n=Max("position"))["n"] or 0) + 10
        try:
            with savepoint():
                rule = StoredRule.objects.create(
                    **fields, position=position, created_by=actor, created_at=now, updated_at=now
                )
        except IntegrityError:
            raise Conflict(
                "routing_rule_exists", f"A routing rule {fields['code']!r} exists.", field="code"
            ) from None
        audit_record(object_type=AUDIT_TYPE, object_id=rule.code, label=rule.name,
                     action="created", after=routing_rule_snapshot(rule), actor=actor)  # fmt: skip
    return rule


def routing_rule_update(
    *, code: str, data: RoutingRuleIn, actor: str, reason: str = ""
) -> StoredRule:
    """Replace a rule's name, condition, types, team, priority (and position when given);
    checked as when created; the audit keeps before and after."""
    fields = _checked(data)
    with use_case_atomic():
        rule = _locked(code)
        before = routing_rule_snapshot(rule)
        fields.pop("code")
        for name, value in fields.items():
            setattr(rule, name, value)
        if data.position is not None:
            rule.position = data.position
        rule.updated_at = utcnow()
        rule.save()
        audit_record(object_type=AUDIT_TYPE, object_id=rule.code, label=rule.name,
                     action="changed", before=before, after=routing_rule_snapshot(rule),
                     reason=reason, actor=actor)  # fmt: skip
    return rule


def routing_rule_delete(*, code: str, actor: str, reason: str = "") -> None:
    with use_case_atomic():
        rule = _locked(code)
        before = routing_rule_snapshot(rule)
        rule.delete()
        audit_record(object_type=AUDIT_TYPE, object_id=code, label=before["name"],
                     action="deleted", before=before, reason=reason, actor=actor)  # fmt: skip


def _locked(code: str) -> StoredRule:
    rule = (
        StoredRule.objects.select_for_update(of=("self",))
        .select_related("team")
        .filter(code=code)
        .first()
    )
    if rule is None:
        raise NotFound("routing_rule", code)
    return rule


def routing_rule_get(*, code: str) -> StoredRule:
    rule = StoredRule.objects.select_related("team").filter(code=code).first()
    if rule is None:
        raise NotFound("routing_rule", code)
    return rule


def routing_rules() -> list[StoredRule]:
    return list(StoredRule.objects.select_related("team").order_by("position", "id"))


def _parsed(rules: list[StoredRule]) -> list[RoutingRule]:
    """The stored rules, parsed; one a later release's facts no longer accept is skipped (a
    rule never fails at run time: it was checked when saved)."""
    parsed = []
    for rule in rules:
        try:
            condition = condition_check(rule.condition)
        except DomainError:
            continue
        parsed.append(RoutingRule(rule.code, tuple(rule.case_types), condition, rule.team_id,
                                  rule.priority))  # fmt: skip
    return parsed


def case_route(*, type_code: str, order_id: int) -> Routed | None:
    """The routing rule a new case of this type about this order follows; None when no rule
    matches (then its type's team and priority). One statement when there are no rules."""
    rules = _parsed(routing_rules())
    if not rules:
        return None
    facts = orders_hold_facts(Order.objects.filter(pk=order_id)).get(order_id)
    if facts is None:
        return None
    return route(rules, type_code, facts)


def routing_preview(*, condition: dict, case_type: str = "", limit: int = PREVIEW_MAX) -> dict:
    """Which of the newest `limit` orders the condition matches, and why (checked first: a
    condition that could not be evaluated is a 422 naming where)."""
    parsed = condition_check(condition)
    if case_type and case_type not in _known_types():
        raise DomainError("unknown_case_type", f"No case type {case_type!r}.", field="case_type")
    rule = RoutingRule("preview", (case_type,) if case_type else (), parsed, None, "normal")
    orders = orders_recent_hold_facts(limit=max(1, min(limit, PREVIEW_MAX)))
    matches = []
    for order_id, label, facts in orders:
        routed = route([rule], case_type or "any", facts)
        if routed is not None:
            matches.append({"order_id": order_id, "order": label, "why": routed.why})
    return {"tested": len(orders), "matched": len(matches), "matches": matches}
