"""What every console page shares: who may run an action.

An action that changes something through a use case (cancel, accept, ship, activate, revoke ...)
declares `permissions=["act"]`: it is offered, and runs, only for a user holding the model's
*change* permission. A user with only *view* sees neither the action nor its button, and a
forged request is refused (django-unfold's `action` checks before the action runs)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property

from ordino.core.domain.display import money_display, status_word
from ordino.core.domain.scope import Scope
from ordino.core.ports import Port


class ActionPermissionMixin:
    """`has_act_permission` for ModelAdmins whose actions call use cases. Unlike
    `has_change_permission`, it may be called with an object id (unfold's detail actions do)
    and never depends on the object, so a page can be read-only and still offer its actions."""

    def has_act_permission(self, request: HttpRequest, obj=None) -> bool:
        opts = self.opts  # type: ignore[attr-defined]
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")


# The signed-in console user's object scope. Served by accounts (`console_principal`), which sits
# above the modules whose lists need it: plugged in wiring.py.
console_scope: Port = Port("core.console_scope", "the object scope of the signed-in console user")


class ScopedListMixin:
    """A list and its pages limited to what the signed-in user reaches: `scope_filter(scope)`
    gives the query filter (a module's `..._scope_q`). An object outside answers 404, as the API
    does, not a "does not exist" redirect that would confirm nothing either way."""

    def scope_filter(self, scope: Scope) -> Q:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        scope = console_scope(request)
        return queryset.filter(self.scope_filter(scope)) if scope.restricted else queryset

    def get_object(self, request: HttpRequest, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if found is None:
            raise Http404
        return found


def word_filter(field: str, codes: Iterable[str], title: str | None = None):
    """A list filter over a code field whose choices read as words (`picked_up` → Picked up).
    `codes`: the field's fixed set (a module's domain constants), so no query lists them."""
    lookups = tuple((code, status_word(code)) for code in codes)

    class WordFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return lookups

        def queryset(self, request, queryset):
            value = self.value()
            return queryset.filter(**{field: value}) if value else queryset

    WordFilter.title = title or field.replace("_", " ")
    WordFilter.__name__ = f"{field.title().replace('_', '')}WordFilter"
    return WordFilter


def word_column(field: str, description: str | None = None):
    """A list column showing a code field as a word."""

    @admin.display(description=description or field.replace("_", " "), ordering=field)
    def column(self, obj) -> str:
        return status_word(getattr(obj, field))

    column.__name__ = f"{field}_word"
    return column


def money_column(field: str, description: str | None = None, currency: str = "currency"):
    """A list column showing an amount with its currency's symbol and minor unit."""

    @admin.display(description=description or field.replace("_", " "), ordering=field)
    def column(self, obj) -> str:
        return money_display(getattr(obj, field), getattr(obj, currency))

    column.__name__ = f"{field}_money"
    return column


class CappedCountPaginator(Paginator):
    """A list's paginator that counts at most CAP rows (`COUNT(*)` over a LIMIT subquery): over a
    million orders an exact count costs more than the page itself. Past CAP the list shows CAP
    and its last page is page CAP / per page; narrowing the filters shows the rest."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.CAP].count()
