"""The sourcing rules overview (what is in effect now, for which channel; the built-in rule on a
fresh install) and the rule editor (forms, no JSON) that saves a draft through the use case."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ordino.channels.models import Channel
from ordino.console.pages import console_render, console_view
from ordino.console.sourcing.common import (
    BUILT_IN_CODE,
    actor,
    built_in_definition,
    can_change,
    require_change,
    require_view,
    rule_state,
)
from ordino.console.sourcing.editor import StrategyBlock, VersionForm, known_codes, strip_path
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.locations.models import Location
from ordino.sourcing import services
from ordino.sourcing.models import SourcingProfile, SourcingProfileVersion
from ordino.sourcing.summary import definition_summary


@console_view
def rules_overview(request: HttpRequest) -> HttpResponse:
    """Which rule decides today, for which channel, and every profile's active and draft."""
    require_view(request)
    state = rule_state()
    now = utcnow()
    scheduled = []
    if state.profile is not None:
        scheduled = list(
            state.profile.versions.filter(
                status=SourcingProfileVersion.ACTIVE, effective_from__gt=now
            ).order_by("effective_from")
        )
    channels = Channel.objects.prefetch_related(
        Prefetch("excluded_locations", queryset=Location.objects.order_by("code"))
    ).order_by("code")
    others = SourcingProfile.objects.filter(is_default=False).order_by("code")
    context = {
        "state": state,
        "summary": definition_summary(state.active_definition),
        "draft_summary": definition_summary(state.draft.definition) if state.draft else [],
        "scheduled": scheduled,
        "channels": channels,
        "others": others,
        "can_change": can_change(request),
        "now": now,
    }
    return console_render(
        request, "console/sourcing/overview.html", context, title="Sourcing rules"
    )


def _start_definition(state, start: str) -> tuple[dict, str]:
    """The definition a new editing session starts from, and where it came from."""
    if start == "active" or state.draft is None:
        if state.active is None:
            return built_in_definition(), "the built-in rule"
        return state.active.definition, f"active version {state.active.number}"
    return state.draft.definition, f"draft version {state.draft.number}"


def _blocks(data, definition: dict | None, count: int | None = None) -> list[StrategyBlock]:
    groups, locations = known_codes()
    strategies = list((definition or {}).get("strategies") or [])
    total = count if count is not None else len(strategies) + 1  # one spare block to add one
    return [
        StrategyBlock(
            i,
            data,
            strategies[i] if i < len(strategies) else None,
            groups=groups,
            locations=locations,
        )
        for i in range(total)
    ]


@console_view
def rules_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The draft of profile `code` as forms; saving creates or replaces the draft."""
    require_view(request)
    state = rule_state(code)
    if state.profile is None and code != BUILT_IN_CODE:
        return redirect("console:sourcing_rules")
    if request.method == "POST":
        require_change(request)
        return _save(request, state)
    definition, origin = _start_definition(state, request.GET.get("from", ""))
    draft = state.draft
    version = VersionForm(
        initial={
            "effective_from": draft.effective_from
            if draft and origin.startswith("draft")
            else None,
            "note": draft.note if draft and origin.startswith("draft") else "",
        }
    )
    return _render_editor(request, state, _blocks(None, definition), version, origin)


def _render_editor(request, state, blocks, version, origin, errors=()) -> HttpResponse:
    context = {
        "state": state,
        "blocks": blocks,
        "version_form": version,
        "origin": origin,
        "errors": list(errors),
        "can_change": can_change(request),
        "block_count": len(blocks),
    }
    return console_render(
        request, "console/sourcing/edit.html", context, title=f"Edit sourcing rule: {state.code}"
    )


def _save(request: HttpRequest, state) -> HttpResponse:
    try:
        count = max(1, min(int(request.POST.get("blocks", "1")), 50))
    except ValueError:
        count = 1
    blocks = _blocks(request.POST, None, count)
    version = VersionForm(request.POST)
    origin = request.POST.get("origin", "")
    if not (all([b.is_valid() for b in blocks]) and version.is_valid()):
        return _render_editor(request, state, blocks, version, origin)
    kept = [b for b in blocks if not b.form.is_blank() and not b.form.cleaned_data.get("remove")]
    definition = {"strategies": [b.definition() for b in kept]}
    try:
        with savepoint():
            draft = _draft_save(request, state, definition, version.cleaned_data)
    except DomainError as exc:
        errors = _place_errors(exc, kept)
        return _render_editor(request, state, blocks, version, origin, errors)
    messages.success(
        request,
        f"Saved draft version {draft.number} of “{draft.profile.name}”. Compare it with what is "
        "in effect, try it, then activate it.",
    )
    return redirect(reverse("console:sourcing_rules_compare", args=[draft.profile.code]))


def _draft_save(request, state, definition: dict, meta: dict) -> SourcingProfileVersion:
    if state.profile is None:  # fresh install: the first profile, with this as its first draft
        profile = services.profile_create(
            code=BUILT_IN_CODE,
            name="Default sourcing",
            definition=definition,
            effective_from=meta.get("effective_from"),
            actor=actor(request),
        )
        return profile.versions.get(status=SourcingProfileVersion.DRAFT)
    return services.profile_draft_save(
        profile=state.profile,
        definition=definition,
        effective_from=meta.get("effective_from"),
        note=meta.get("note") or "",
        actor=actor(request),
    )


def _place_errors(exc: DomainError, kept: list[StrategyBlock]) -> list[str]:
    """Put each problem next to its field; what names no field is returned for the page top."""
    loose = []
    for problem in exc.errors or [{"field": "", "message": exc.message}]:
        field = str(problem.get("field", "")).removeprefix("definition.")
        message = str(problem.get("message", ""))
        head, _, rest = field.partition(".")
        if head.startswith("strategies[") and head.endswith("]"):
            index = int(head[len("strategies[") : -1])
            if index < len(kept):
                kept[index].place_error(rest, strip_path(message, field))
                continue
        loose.append(message)
    return loose
