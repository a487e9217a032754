"""Saved views: a list's filters and search kept under a name, for oneself or a team (a group).

A user saves and sees views only of lists they may view; a view shared with a group is seen by
its members. Names and query strings are bounded; the page number is not kept."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ordino.console.models import NAME_MAX, QUERY_MAX, SavedView
from ordino.console.pages import console_view
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint

NOT_KEPT = {"p", "_changelist_filters", "o_"}  # the page is where one is, not what one sees


def may_view(user, model_label: str) -> bool:
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def query_kept(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in NOT_KEPT]
    return urlencode(pairs)


def saved_views_for(user, model_label: str) -> QuerySet[SavedView]:
    """The views of a list the user sees: their own and those shared with their groups."""
    if not may_view(user, model_label):
        return SavedView.objects.none()
    mine_or_team = Q(owner=user) | Q(shared_with__in=user.groups.all())
    return SavedView.objects.filter(mine_or_team, model=model_label).order_by("name")


def saved_view_save(*, user, model_label: str, name: str, query: str, group_id=None) -> SavedView:
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError("saved_view_name", f"Name it in 1 to {NAME_MAX} characters.")
    if not may_view(user, model_label):
        raise DomainError("saved_view_list", "You may not view this list.")
    kept = query_kept(query)
    if len(kept) > QUERY_MAX:
        raise DomainError("saved_view_query", "Too many filters to keep in one view.")
    group = None
    if group_id:
        group = user.groups.filter(pk=group_id).first() or (
            Group.objects.filter(pk=group_id).first() if user.is_superuser else None
        )
        if group is None:
            raise DomainError("saved_view_group", "Share with a team you belong to.")
    try:
        with savepoint():
            return SavedView.objects.create(
                owner=user, model=model_label, name=name, query=kept, shared_with=group
            )
    except IntegrityError:
        raise DomainError("saved_view_exists", f"You have a view named {name!r} already.") from None


def _changelist(model_label: str) -> str:
    app_label, model_name = model_label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_changelist")


@require_POST
@console_view
def saved_view_create(request: HttpRequest):
    from django.contrib import messages

    model_label = request.POST.get("model", "")
    if not may_view(request.user, model_label):
        raise Http404
    query = request.POST.get("query", "")
    try:
        view = saved_view_save(
            user=request.user,
            model_label=model_label,
            name=request.POST.get("name", ""),
            query=query,
            group_id=request.POST.get("shared_with") or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(f"{_changelist(model_label)}?{query_kept(query)}")
    messages.success(request, f"Saved the view {view.name!r}.")
    return HttpResponseRedirect(f"{_changelist(model_label)}?{view.query}")


@require_POST
@console_view
def saved_view_delete(request: HttpRequest, view_id: int):
    view = SavedView.objects.filter(pk=view_id, owner=request.user).first()
    if view is None:
        raise Http404
    view.delete()
    return HttpResponseRedirect(_changelist(view.model))
