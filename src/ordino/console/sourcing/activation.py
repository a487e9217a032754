"""Draft vs active side by side, and the two changes that need a confirmation and a reason:
activating the draft and retiring an active version (both through the use cases, audited)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from ordino.console.pages import console_render, console_view
from ordino.console.sourcing.common import (
    actor,
    can_change,
    require_change,
    require_view,
    rule_state,
)
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.sourcing import services
from ordino.sourcing.models import SourcingProfileVersion
from ordino.sourcing.summary import side_by_side


class ConfirmForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Reason (kept in the profile's audit)",
        widget=forms.TextInput(attrs={"size": 60}),
    )
    confirm = forms.BooleanField(label="I have read what changes")


@console_view
def rules_compare(request: HttpRequest, code: str) -> HttpResponse:
    """The draft and the version in effect, side by side, and the activation form."""
    require_view(request)
    state = rule_state(code)
    if state.profile is None:
        raise Http404
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        require_change(request)
        if state.draft is None:
            messages.warning(request, "There is no draft to activate.")
        elif form.is_valid():
            done = _activate(request, state, form.cleaned_data["reason"])
            if done:
                return redirect("console:sourcing_rules")
    context = {
        "state": state,
        "code": code,
        "rows": side_by_side(state.active_definition, state.draft.definition)
        if state.draft
        else [],
        "form": form,
        "can_change": can_change(request),
        "retirable": state.profile.versions.filter(status=SourcingProfileVersion.ACTIVE).order_by(
            "-number"
        ),
        "retire_form": ConfirmForm(prefix="retire"),
        "audit": state.profile.audit.all()[:10],
    }
    return console_render(
        request, "console/sourcing/compare.html", context, title=f"Draft vs active: {code}"
    )


def _activate(request: HttpRequest, state, reason: str) -> bool:
    try:
        with savepoint():
            version = services.profile_version_activate(
                profile=state.profile,
                number=state.draft.number,
                actor=actor(request),
                reason=reason,
            )
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    when = version.effective_from
    messages.success(
        request,
        f"Version {version.number} of “{state.profile.name}” is active"
        f"{'' if when is None else f' from {when:%d %b %Y %H:%M} UTC'}.",
    )
    return True


@console_view
def rules_retire(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Retire an active version, after a confirmation with a reason (POST only)."""
    require_view(request)
    if request.method != "POST":
        return redirect("console:sourcing_rules_compare", code)
    require_change(request)
    state = rule_state(code)
    if state.profile is None:
        raise Http404
    form = ConfirmForm(request.POST, prefix="retire")
    if not form.is_valid():
        messages.error(request, "To retire a version, tick the confirmation and give a reason.")
        return redirect("console:sourcing_rules_compare", code)
    try:
        with savepoint():
            services.profile_version_retire(
                profile=state.profile,
                number=number,
                actor=actor(request),
                reason=form.cleaned_data["reason"],
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Version {number} of “{state.profile.name}” is retired.")
    return redirect("console:sourcing_rules_compare", code)
