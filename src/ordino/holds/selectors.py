"""Holds' reads: rules with their versions and audit, an order's holds, the preview and the
per-rule report (docs/holds.md)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from ordino.core.domain.errors import NotFound
from ordino.core.domain.scope import Scope
from ordino.holds import ports
from ordino.holds.domain.rules import (
    HOW_MANUAL,
    ReleaseNeed,
    RuleCounts,
    condition_check,
    release_need,
    rule_figures_of,
)
from ordino.holds.models import HoldRule, HoldRuleVersion, OrderHold

AUDIT_SHOWN = 50


def rule_list() -> list[HoldRule]:
    return list(HoldRule.objects.prefetch_related("versions").order_by("code"))


def rule_get(*, code: str) -> HoldRule:
    rule = HoldRule.objects.filter(code=code).first()
    if rule is None:
        raise NotFound("hold_rule", code)
    return rule


def version_serialize(version: HoldRuleVersion) -> dict:
    try:
        described = condition_check(version.condition).describe()
    except Exception:
        described = "(no longer valid)"
    return {
        "number": version.number,
        "status": version.status,
        "condition": version.condition,
        "described": described,
        "note": version.note,
        "created_by": version.created_by,
        "created_at": version.created_at,
        "activated_at": version.activated_at,
        "activated_by": version.activated_by,
        "retired_at": version.retired_at,
    }


def rule_serialize(rule: HoldRule, *, audit: bool = True) -> dict:
    versions = sorted(rule.versions.all(), key=lambda v: -v.number)
    by_status = {v.status: v.number for v in versions if v.status != HoldRuleVersion.RETIRED}
    entries = rule.audit.order_by("-id")[:AUDIT_SHOWN] if audit else []
    return {
        "code": rule.code,
        "name": rule.name,
        "kind": rule.kind,
        "reason": rule.reason,
        "release_permission": rule.release_permission,
        "active_version": by_status.get(HoldRuleVersion.ACTIVE),
        "draft_version": by_status.get(HoldRuleVersion.DRAFT),
        "versions": [version_serialize(v) for v in versions],
        "audit": [
            {
                "action": a.action,
                "version": a.version_number,
                "actor": a.actor,
                "data": a.data,
                "created_at": a.created_at,
            }
            for a in entries
        ],
        "created_by": rule.created_by,
        "created_at": rule.created_at,
    }


def order_holds(*, order_id: int, scope: Scope) -> list[OrderHold]:
    """The order's holds, oldest first; 404 outside the caller's scope."""
    if not ports.order_visible(order_id=order_id, scope=scope):
        raise NotFound("order", order_id)
    return list(
        OrderHold.objects.filter(order_id=order_id).select_related("rule", "version").order_by("id")
    )


def order_has_open_holds(*, order_id: int) -> bool:
    return OrderHold.objects.filter(order_id=order_id, released_at__isnull=True).exists()


def holds_listed(*, open_only: bool, order_id: int | None, limit: int) -> list[OrderHold]:
    """Holds newest first (the command line's list; no scope: an operator's shell)."""
    holds = OrderHold.objects.order_by("-placed_at", "-id")
    if open_only:
        holds = holds.filter(released_at__isnull=True)
    if order_id is not None:
        holds = holds.filter(order_id=order_id)
    return list(holds[:limit])


def order_held_because(*, order_id: int) -> str:
    """The reasons of the order's open holds ("" when none): fulfillment's port."""
    reasons = OrderHold.objects.filter(order_id=order_id, released_at__isnull=True).values_list(
        "reason", flat=True
    )
    return "; ".join(sorted(set(reasons)))


def order_hold_get(*, order_id: int, hold_id: int, scope: Scope) -> OrderHold:
    if not ports.order_visible(order_id=order_id, scope=scope):
        raise NotFound("order", order_id)
    hold = OrderHold.objects.filter(order_id=order_id, pk=hold_id).first()
    if hold is None:
        raise NotFound("hold", hold_id)
    return hold


def hold_release_need(*, hold_id: int) -> ReleaseNeed | None:
    """What releasing the hold asks (None: no such hold)."""
    row = OrderHold.objects.filter(pk=hold_id).values_list("kind", "release_permission").first()
    return release_need(*row) if row else None


def hold_open(*, hold_id: int) -> bool:
    """Is the hold still open (a case about it is worth opening)?"""
    return OrderHold.objects.filter(pk=hold_id, released_at__isnull=True).exists()


def hold_serialize(hold: OrderHold) -> dict:
    return {
        "id": hold.pk,
        "order_id": hold.order_id,
        "cause": hold.cause,
        "rule": hold.rule.code if hold.rule_id else None,
        "version": hold.version.number if hold.version_id else None,
        "kind": hold.kind,
        "reason": hold.reason,
        "release_permission": hold.release_permission,
        "held_fulfillment_orders": list(hold.held_fulfillment_orders),
        "placed_at": hold.placed_at,
        "placed_by": hold.placed_by,
        "released_at": hold.released_at,
        "released_by": hold.released_by,
        "released_how": hold.released_how,
        "release_reason": hold.release_reason,
    }


def rule_preview(*, condition: dict, limit: int) -> dict:
    """Which of the newest `limit` orders the condition would hold (checked first: a condition
    that cannot be evaluated is a 422 naming where)."""
    parsed = condition_check(condition)
    orders = ports.orders_recent_facts(limit=limit)
    matches = []
    for order_id, label, facts in orders:
        matched, why = parsed.trace(facts)
        if matched:
            matches.append({"order_id": order_id, "order": label, "why": why})
    return {"tested": len(orders), "matched": len(matches), "matches": matches}


NO_HOLDS = RuleCounts(fired=0, orders_held=0, overridden=0, open=0)


def holds_report(*, since: datetime, until: datetime) -> list[dict]:
    """Per rule (holds placed in [since, until), a period `report_period` bounded): fired,
    orders held, median hours held, overridden (released by a person) and still open; rules
    that never fired are listed with zeros. Three statements whatever the number of holds: the
    counts are the database's (GROUP BY rule); only the released holds' durations are read, for
    the median, which SQLite cannot compute."""
    holds = OrderHold.objects.filter(rule__isnull=False, placed_at__gte=since, placed_at__lt=until)
    counted = holds.values("rule_id").annotate(
        fired=Count("id"),
        orders_held=Count("order_id", distinct=True),
        overridden=Count("id", filter=Q(released_how=HOW_MANUAL)),
        open=Count("id", filter=Q(released_at__isnull=True)),
    )
    counts = {row.pop("rule_id"): RuleCounts(**row) for row in counted}
    held = ExpressionWrapper(F("released_at") - F("placed_at"), output_field=DurationField())
    hours: dict[int, list[float]] = defaultdict(list)
    durations = holds.filter(released_at__isnull=False).annotate(held=held)
    for rule_id, duration in durations.values_list("rule_id", "held"):
        hours[rule_id].append(duration.total_seconds() / 3600)
    report = []
    for rule in HoldRule.objects.order_by("code"):
        figures = rule_figures_of(counts.get(rule.pk, NO_HOLDS), hours.get(rule.pk, []))
        report.append(
            {
                "rule": rule.code,
                "name": rule.name,
                "kind": rule.kind,
                "fired": figures.fired,
                "orders_held": figures.orders_held,
                "median_hours_held": figures.median_hours_held,
                "overridden": figures.overridden,
                "open": figures.open,
                "always_overridden": figures.always_overridden,
            }
        )
    return report
