"""Hold rules and their versions: create, save a new version (a draft), activate it (the
version it replaces is retired), retire the rule's active version (its open holds are released);
every change audited (docs/holds.md, "Rules"). Modelled on sourcing/services/profiles.py."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError
from django.db.models import Max

from ordino.audit.services import audit_record
from ordino.core.domain.clock import utcnow
from ordino.core.domain.codes import code_check, name_check
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.holds import ports
from ordino.holds.domain.rules import condition_check, kind_check, rule_cause
from ordino.holds.models import HoldRule, HoldRuleAudit, HoldRuleVersion
from ordino.holds.services.active import active_rules_forget
from ordino.holds.services.holds import holds_release_cause

REASON_MAX = 255


def _audit(
    rule: HoldRule, number: int | None, action: str, actor: str, now, before=None, **data
) -> None:
    """The rule's own trail (HoldRuleAudit, docs/holds.md) and the central audit log."""
    HoldRuleAudit.objects.create(
        rule=rule, version_number=number, action=action, actor=actor, data=data, created_at=now
    )
    reason = data.get("reason")
    audit_record(object_type="hold_rule", object_id=rule.code, label=rule.name, action=action,
                 actor=actor, reason=reason if isinstance(reason, str) else "", before=before,
                 after={"version": number, **data})  # fmt: skip


def _reason_check(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError(
            "required",
            "Say what the hold means, e.g. 'first order over 1,000 EUR'.",
            field="reason",
        )
    if len(text) > REASON_MAX:
        raise DomainError("too_long", f"reason is at most {REASON_MAX} characters.", field="reason")
    return text


def rule_create(
    *,
    code: str,
    name: str,
    reason: str,
    actor: str,
    kind: str = "hold",
    release_permission: str = "",
    condition: dict | None = None,
    note: str = "",
    now: datetime | None = None,
) -> HoldRule:
    """A new rule, with its condition as version 1 (a draft) when given. Refused whole (nothing
    saved) when any part is wrong, the condition's problems named by path."""
    now = now or utcnow()
    code, name, reason = code_check(code), name_check(name), _reason_check(reason)
    kind, permission = kind_check(kind, release_permission, actions=ports.action_permissions())
    if condition is not None:
        condition_check(condition)
    with use_case_atomic():
        try:
            with savepoint():
                rule = HoldRule.objects.create(
                    code=code,
                    name=name,
                    kind=kind,
                    reason=reason,
                    release_permission=permission,
                    created_by=actor,
                    created_at=now,
                )
        except IntegrityError:
            raise Conflict(
                "hold_rule_exists", f"A rule with code {code!r} exists.", field="code"
            ) from None
        _audit(
            rule,
            None,
            "created",
            actor,
            now,
            name=name,
            kind=kind,
            reason=reason,
            release_permission=permission,
        )
        if condition is not None:
            rule_version_save(rule=rule, condition=condition, actor=actor, note=note, now=now)
    return rule


def rule_version_save(
    *, rule: HoldRule, condition: dict, actor: str, note: str = "", now: datetime | None = None
) -> HoldRuleVersion:
    """Save `condition` as the rule's draft (replacing an earlier draft): checked first, so a
    condition that could not be evaluated is refused and nothing changes."""
    now = now or utcnow()
    # stored in its canonical form: numbers as decimal text, tags lower-cased
    condition = condition_check(condition).to_dict()
    with use_case_atomic():
        draft = (
            HoldRuleVersion.objects.select_for_update()
            .filter(rule=rule, status=HoldRuleVersion.DRAFT)
            .first()
        )
        if draft is None:
            number = (rule.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            draft = HoldRuleVersion.objects.create(
                rule=rule,
                number=number,
                status=HoldRuleVersion.DRAFT,
                condition=condition,
                note=note[:500],
                created_by=actor,
                created_at=now,
            )
            action = "version_created"
            before = None
        else:
            before = {"version": draft.number, "condition": draft.condition, "note": draft.note}
            draft.condition, draft.note = condition, note[:500] or draft.note
            draft.save(update_fields=["condition", "note"])
            action = "draft_saved"
        _audit(rule, draft.number, action, actor, now, before, condition=condition, note=note)
    return draft


def rule_version_activate(
    *, rule: HoldRule, number: int, actor: str, reason: str = "", now: datetime | None = None
) -> HoldRuleVersion:
    """Put a draft in force: the next order captured or edited is tested against it. The
    version in force before it is retired; holds it placed stay until released."""
    now = now or utcnow()
    with use_case_atomic():
        version = _version_lock(rule, number)
        if version.status != HoldRuleVersion.DRAFT:
            raise Conflict(
                "version_not_draft",
                f"Version {number} of {rule.code} is {version.status}; only a draft can be "
                "activated (save the condition as a new version to bring it back).",
            )
        condition_check(version.condition)
        replaced = list(
            rule.versions.filter(status=HoldRuleVersion.ACTIVE).values_list("number", flat=True)
        )
        rule.versions.filter(status=HoldRuleVersion.ACTIVE).update(
            status=HoldRuleVersion.RETIRED, retired_at=now
        )
        version.status, version.activated_at, version.activated_by = (
            HoldRuleVersion.ACTIVE,
            now,
            actor,
        )
        version.save(update_fields=["status", "activated_at", "activated_by"])
        _audit(rule, number, "activated", actor, now, {"active": replaced}, retired=replaced,
               reason=reason)  # fmt: skip
        active_rules_forget()
    return version


def rule_retire(
    *, rule: HoldRule, actor: str, reason: str = "", now: datetime | None = None
) -> HoldRuleVersion:
    """Take the rule out of force: its active version is retired and the holds it placed that
    are still open are released (how: rule_retired)."""
    now = now or utcnow()
    with use_case_atomic():
        version = (
            HoldRuleVersion.objects.select_for_update()
            .filter(rule=rule, status=HoldRuleVersion.ACTIVE)
            .first()
        )
        if version is None:
            raise Conflict("rule_not_active", f"Rule {rule.code} has no active version to retire.")
        version.status, version.retired_at = HoldRuleVersion.RETIRED, now
        version.save(update_fields=["status", "retired_at"])
        released = holds_release_cause(
            cause=rule_cause(rule.code), how="rule_retired", actor=actor, reason=reason, now=now
        )
        _audit(rule, version.number, "retired", actor, now, {"active": [version.number]},
               reason=reason, released=released)  # fmt: skip
        active_rules_forget()
    return version


def _version_lock(rule: HoldRule, number: int) -> HoldRuleVersion:
    version = HoldRuleVersion.objects.select_for_update().filter(rule=rule, number=number).first()
    if version is None:
        raise NotFound("hold_rule_version", f"{rule.code} v{number}")
    return version
