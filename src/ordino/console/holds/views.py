"""The hold rules list and each rule's editor: the condition as JSON, validated (each problem
with its path), previewed on the last 500 orders, saved as a new version and activated with a
reason — the same use cases as `/api/v1/holds/rules` (docs/holds.md, "Console")."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.console.pages import console_render, console_view
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint
from ordino.holds import selectors, services
from ordino.holds.domain.rules import condition_check
from ordino.holds.schemas import CONDITION_MAX_CHARS, PREVIEW_MAX
from ordino.rules.domain.order_facts import HOLD_FACTS

VIEW, CHANGE = "holds.view_holdrule", "manage_rules"  # CHANGE: an action (accounts/roles.py)
REPORT_DAYS = (30, 90, 365)  # the per-rule report's periods (docs/holds.md, "The report")
EXAMPLE = {"all": [{"fact": "order.value", "op": "gt", "value": "1000"}]}


def _require(request: HttpRequest, permission: str) -> None:
    """Rules test every channel's orders: unrestricted staff with the permission only."""
    allowed = (
        may(request.user, CHANGE) if permission == CHANGE else request.user.has_perm(permission)
    )
    if not allowed:
        raise PermissionDenied
    if console_principal(request).scope.restricted:
        raise PermissionDenied


def _actor(request: HttpRequest) -> str:
    return console_principal(request).token.name


def _report_days(request: HttpRequest) -> int:
    """The report's period: the last `?days=` days, one of REPORT_DAYS (else the first)."""
    asked = request.GET.get("days", "")
    return int(asked) if asked in {str(d) for d in REPORT_DAYS} else REPORT_DAYS[0]


def _facts() -> list[tuple[str, str, str]]:
    return [(name, spec.kind, spec.description) for name, spec in HOLD_FACTS.items()]


@console_view
def rules_list(request: HttpRequest) -> HttpResponse:
    """Every rule with its version in force; a form for a new one."""
    _require(request, VIEW)
    form = {"kind": "hold", "condition": json.dumps(EXAMPLE, indent=2)}
    errors: list[str] = []
    if request.method == "POST":
        _require(request, CHANGE)
        form = {k: request.POST.get(k, "") for k in ("code", "name", "kind", "reason",
                                                    "release_permission", "condition")}  # fmt: skip
        condition, errors = _parsed(form["condition"])
        if not errors:
            try:
                with savepoint():
                    rule = services.rule_create(
                        code=form["code"], name=form["name"], reason=form["reason"],
                        kind=form["kind"], release_permission=form["release_permission"],
                        condition=condition, actor=_actor(request),
                    )  # fmt: skip
            except DomainError as refused:
                errors = _messages(refused)
            else:
                messages.success(request, f"Rule {rule.code} created; version 1 is a draft.")
                return redirect(reverse("console:hold_rule", args=[rule.code]))
    days, now = _report_days(request), utcnow()
    context = {
        "rules": [selectors.rule_serialize(r, audit=False) for r in selectors.rule_list()],
        "report": selectors.holds_report(since=now - timedelta(days=days), until=now),
        "report_days": days,
        "report_choices": REPORT_DAYS,
        "form": form,
        "errors": errors,
        "can_change": may(request.user, CHANGE),
        "facts": _facts(),
    }
    return console_render(request, "console/holds/rules.html", context, title="Hold rules")


@console_view
def rule_page(request: HttpRequest, code: str) -> HttpResponse:
    """One rule: its versions and audit, and the editor. POST `action`: validate, preview,
    save (a new version), activate (the draft, with a reason), retire (with a reason)."""
    _require(request, VIEW)
    try:
        rule = selectors.rule_get(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    shown = selectors.rule_serialize(rule)
    start = next((v for v in shown["versions"] if v["status"] == "draft"), None) or next(
        (v for v in shown["versions"] if v["status"] == "active"), None
    )
    text = json.dumps(start["condition"] if start else EXAMPLE, indent=2)
    context: dict = {"errors": [], "preview": None, "valid": None}
    if request.method == "POST":
        text = request.POST.get("condition", text)
        done = _act(request, rule, text, context)
        if done is not None:
            return done
    context.update(
        rule=shown,
        condition=text,
        can_change=may(request.user, CHANGE),
        facts=_facts(),
        preview_max=PREVIEW_MAX,
    )
    return console_render(
        request, "console/holds/rule.html", context, title=f"Hold rule: {rule.name}"
    )


def _act(request: HttpRequest, rule, text: str, context: dict) -> HttpResponse | None:
    action = request.POST.get("action", "")
    if action in ("save", "activate", "retire"):
        _require(request, CHANGE)
    if action in ("validate", "preview", "save"):
        condition, errors = _parsed(text)
        context["errors"] = errors
        if errors:
            return None
        if action == "validate":
            context["valid"] = condition_check(condition).describe()
            return None
        if action == "preview":
            context["preview"] = selectors.rule_preview(condition=condition, limit=PREVIEW_MAX)
            return None
        note = request.POST.get("note", "")[:500]
        actor = _actor(request)
        return _run(
            request,
            rule,
            "Saved as draft version {n}. Preview it, then activate it.",
            lambda: services.rule_version_save(
                rule=rule, condition=condition, actor=actor, note=note
            ),
        )
    reason, actor = request.POST.get("reason", "")[:500], _actor(request)
    if action == "activate":
        number = _number(request.POST.get("number", ""))
        return _run(
            request,
            rule,
            "Version {n} is in force: the next orders are tested.",
            lambda: services.rule_version_activate(
                rule=rule, number=number, actor=actor, reason=reason
            ),
        )
    if action == "retire":
        return _run(
            request,
            rule,
            "Retired version {n}; its open holds were released.",
            lambda: services.rule_retire(rule=rule, actor=actor, reason=reason),
        )
    context["errors"] = [f"Unknown action {action!r}."]
    return None


def _number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 10 else 0


def _run(request: HttpRequest, rule, done: str, use_case) -> HttpResponse:
    try:
        with savepoint():
            version = use_case()
    except DomainError as refused:
        for message in _messages(refused):
            messages.error(request, message)
    else:
        messages.success(request, done.format(n=version.number))
    return redirect(reverse("console:hold_rule", args=[rule.code]))


def _parsed(text: str) -> tuple[dict | None, list[str]]:
    """The condition from the editor's JSON, checked; or the problems, each with its path."""
    if len(text) > CONDITION_MAX_CHARS:
        return None, [f"condition: at most {CONDITION_MAX_CHARS} characters."]
    try:
        data = json.loads(text)
    except ValueError as exc:
        return None, [f"condition: not JSON ({exc})."]
    try:
        condition_check(data)
    except DomainError as refused:
        return None, _messages(refused)
    return data, []


def _messages(refused: DomainError) -> list[str]:
    return [str(p["message"]) for p in refused.errors] or [refused.message]
