"""Destructive bulk actions ask first: an intermediate page lists the selection and asks a
reason; only the second post (with `confirmed` and a reason) runs the use case, one item at a
time, each in its own savepoint so one refusal keeps the others (and says why).

Large selections run in chunks of `CHUNK` ids (never the whole queryset in memory) and end with
one summary: how many were done and each refusal with its message."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from unfold.widgets import UnfoldAdminTextareaWidget

from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint

CHUNK = 100
SHOWN = 50  # the confirmation page names this many of the selection, then counts the rest
REFUSALS_SHOWN = 20


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=255,
        min_length=3,
        strip=True,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 2}),
        help_text="Recorded with the change (the order's timeline, the audit).",
    )


@dataclass
class Outcome:
    done: int = 0
    refused: list[str] = field(default_factory=list)


def run_each(ids: Iterable[int], run_one: Callable[[int], None]) -> Outcome:
    """`run_one(id)` for every id, each in a savepoint; a DomainError is a refusal."""
    outcome = Outcome()
    for object_id in ids:
        try:
            with savepoint():
                run_one(object_id)
        except DomainError as exc:
            outcome.refused.append(f"#{object_id}: {exc.message}")
        else:
            outcome.done += 1
    return outcome


def _chunked_ids(queryset: QuerySet):
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield from ids[start : start + CHUNK]


def confirm_with_reason(
    model_admin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str,
    verb: str,
    run_one: Callable[[int, str], None],
    warning: str = "",
):
    """The action's body: the confirmation page on the first post, the work on the second."""
    form = ReasonForm(request.POST if request.POST.get("confirmed") else None)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        outcome = run_each(_chunked_ids(queryset), lambda pk: run_one(pk, reason))
        _summarise(model_admin, request, outcome, verb)
        return None
    count = queryset.count()
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "form": form,
        "action": action,
        "verb": verb,
        "warning": warning,
        "count": count,
        "shown": [str(obj) for obj in queryset.order_by("pk")[:SHOWN]],
        "more": max(0, count - SHOWN),
        "selected": queryset.values_list("pk", flat=True)[: CHUNK * 100],
        "select_across": request.POST.get("select_across", "0"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "changelist_filters": request.GET.urlencode(),
    }
    return TemplateResponse(request, "core/confirm_action.html", context)


def _summarise(model_admin, request, outcome: Outcome, verb: str) -> None:
    if outcome.done:
        model_admin.message_user(request, f"{verb}: {outcome.done}.", messages.SUCCESS)
    if outcome.refused:
        shown = "; ".join(outcome.refused[:REFUSALS_SHOWN])
        more = len(outcome.refused) - REFUSALS_SHOWN
        tail = f" … and {more} more" if more > 0 else ""
        model_admin.message_user(
            request,
            f"Refused {len(outcome.refused)}: {shown}{tail}",
            messages.WARNING,
        )
