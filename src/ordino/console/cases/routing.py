"""Cases → Routing rules (docs/cases.md, "Routing"): the rules in the order they are tried, and
an editor — the condition as JSON, the case types, the team and the priority — with *Validate*
(each problem with its path), *Preview* (which of the last 500 orders would match, and why),
*Save* and *Delete*; the same use cases as `/api/v1/cases/routing-rules`. Reading needs the
routing rule's view permission, changing `manage_rules`; both unrestricted users only, as the
API refuses a restricted token."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ordino.accounts.roles import may
from ordino.accounts.staff import console_principal
from ordino.audit.selectors import audit_list
from ordino.cases import selectors, services
from ordino.cases.domain.status import PRIORITIES
from ordino.cases.domain.types import BUILTIN
from ordino.console.pages import console_render, console_view
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import savepoint
from ordino.holds.domain.rules import condition_check
from ordino.holds.schemas import CONDITION_MAX_CHARS, PREVIEW_MAX
from ordino.rules.domain.order_facts import HOLD_FACTS

VIEW, CHANGE = "cases.view_routingrule", "manage_rules"
EXAMPLE = {"fact": "order.value", "op": "gt", "value": "1000"}
FIELDS = ("code", "name", "condition", "case_types", "team", "priority", "position", "reason")


def _require(request: HttpRequest, change: bool = False) -> None:
    allowed = may(request.user, CHANGE) or (
        not change and request.user.has_perm(VIEW)
    )  # fmt: skip
    if not allowed or console_principal(request).scope.restricted:
        raise PermissionDenied


def _form_of(rule) -> dict:
    shown = services.routing_rule_snapshot(rule)
    return {**shown, "condition": json.dumps(shown["condition"], indent=2),
            "case_types": " ".join(shown["case_types"]), "team": shown["team"] or "",
            "position": str(shown["position"]), "reason": ""}  # fmt: skip


@console_view
def routing_rules(request: HttpRequest) -> HttpResponse:
    """The rules and the editor; `?code=` opens one rule in the editor."""
    _require(request)
    code = request.GET.get("code", "")[:64]
    form = {"condition": json.dumps(EXAMPLE, indent=2), "case_types": "", "team": "",
            "priority": "", "position": "", "code": "", "name": "", "reason": ""}  # fmt: skip
    if code:
        try:
            form = _form_of(services.routing_rule_get(code=code))
        except NotFound:
            messages.error(request, f"No routing rule {code!r}.")
    context: dict = {"errors": [], "valid": None, "preview": None, "editing": bool(code)}
    if request.method == "POST":
        form = {k: request.POST.get(k, "")[:CONDITION_MAX_CHARS] for k in FIELDS}
        context["editing"] = request.POST.get("editing") == "1"
        done = _act(request, form, context)
        if done is not None:
            return done
    rules = [services.routing_rule_snapshot(r) for r in services.routing_rules()]
    context.update(
        rules=rules, form=form, can_change=may(request.user, CHANGE), priorities=PRIORITIES,
        types=sorted(BUILTIN), teams=[t.name for t in selectors.teams()],
        facts=[(n, s.kind, s.description) for n, s in HOLD_FACTS.items()],
        audit=list(audit_list(object_type="case_routing_rule").order_by("-id")[:20]),
        preview_max=PREVIEW_MAX,
    )  # fmt: skip
    return console_render(request, "console/cases/routing.html", context, title="Routing rules")


def _act(request: HttpRequest, form: dict, context: dict) -> HttpResponse | None:
    action = request.POST.get("action", "")
    if action in ("save", "delete"):
        _require(request, change=True)
    if action == "delete":
        return _run(request, lambda: services.routing_rule_delete(
            code=form["code"], actor=_actor(request), reason=form["reason"]),
            f"Rule {form['code']} deleted.")  # fmt: skip
    try:
        condition = _condition(form["condition"])
        if action == "validate":
            context["valid"] = condition_check(condition).describe()
        elif action == "preview":
            types = form["case_types"].split()
            context["preview"] = services.routing_preview(
                condition=condition, case_type=types[0] if len(types) == 1 else ""
            )
        elif action == "save":
            return _save(request, form, condition, editing=context["editing"])
        else:
            context["errors"] = [f"Unknown action {action!r}."]
    except DomainError as refused:
        context["errors"] = [str(p["message"]) for p in refused.errors] or [refused.message]
    return None


def _save(request: HttpRequest, form: dict, condition: dict, *, editing: bool) -> HttpResponse:
    data = services.RoutingRuleIn(
        code=form["code"], name=form["name"], condition=condition,
        case_types=form["case_types"].split(), team=form["team"] or None,
        priority=form["priority"], position=_number(form["position"]),
    )  # fmt: skip
    actor = _actor(request)
    with savepoint():
        if editing:
            services.routing_rule_update(
                code=form["code"], data=data, actor=actor, reason=form["reason"]
            )
        else:
            services.routing_rule_create(data=data, actor=actor)
    messages.success(request, f"Rule {data.code} saved: new cases follow it now.")
    return redirect(reverse("console:case_routing"))


def _run(request: HttpRequest, use_case, done: str) -> HttpResponse:
    try:
        with savepoint():
            use_case()
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect(reverse("console:case_routing"))


def _condition(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DomainError("invalid_condition", f"condition: not JSON ({exc}).") from None
    condition_check(data)
    return data


def _number(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 7:
        raise DomainError("invalid_position", "position is a whole number, 0..1000000.")
    return int(text)


def _actor(request: HttpRequest) -> str:
    return console_principal(request).token.name
