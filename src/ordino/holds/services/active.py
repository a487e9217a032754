"""The active rule set, cached per process so that capture with no rule active costs no
statement (docs/performance.md's budget; tests/perf).

A change to the rules (activate, retire) bumps a generation in Django's cache (a file or Redis,
never the database) after its transaction commits; each process compares the generation it
loaded with that one, so every server process sees a rule within one request. The cache is
read-only data: parsed conditions, never model instances."""

from __future__ import annotations

import threading
import uuid

from django.core.cache import cache
from django.db import transaction

from ordino.holds.domain.rules import ActiveRule, condition_check
from ordino.holds.models import HoldRuleVersion

_KEY = "ordino:holds:generation"
_lock = threading.Lock()
_loaded: dict[str, object] = {"generation": None, "rules": ()}


def active_rules() -> tuple[ActiveRule, ...]:
    """Every rule's version in force, in code order: from memory while nothing changed."""
    generation = cache.get(_KEY)
    if generation is None:
        generation = _bump()
    if _loaded["generation"] == generation:
        return _loaded["rules"]  # type: ignore[return-value]
    rules = _load()
    with _lock:
        _loaded["generation"], _loaded["rules"] = generation, rules
    return rules


def active_rules_forget() -> None:
    """Rules changed: every process reloads them (now, and again once the change commits)."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> str:
    generation = uuid.uuid4().hex
    cache.set(_KEY, generation, timeout=None)
    with _lock:
        _loaded["generation"], _loaded["rules"] = None, ()
    return generation


def _load() -> tuple[ActiveRule, ...]:
    versions = (
        HoldRuleVersion.objects.select_related("rule")
        .filter(status=HoldRuleVersion.ACTIVE)
        .order_by("rule__code")
    )
    return tuple(
        ActiveRule(
            rule_id=v.rule_id,
            code=v.rule.code,
            kind=v.rule.kind,
            reason=v.rule.reason,
            release_permission=v.rule.release_permission,
            version_id=v.pk,
            number=v.number,
            condition=condition_check(v.condition),
        )
        for v in versions
    )
