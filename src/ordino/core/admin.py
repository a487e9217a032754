"""What every console page shares: who may run an action.

An action that changes something through a use case (cancel, accept, ship, activate, revoke ...)
declares `permissions=["act"]`: it is offered, and runs, only for a user holding the page's
*action permission* (`act_action`: refund, cancel_orders, fulfil ... — accounts/roles.py,
docs/people.md), not the model's *change* permission. A user without it sees neither the action
nor its button, and a forged request is refused (django-unfold's `action` checks before the
action runs)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property

from ordino.core.domain.display import money_display, status_word
from ordino.core.domain.scope import Scope
from ordino.core.ports import Port

# May this user run this action (accounts.roles.may)? Served by accounts, plugged in wiring.py.
action_permitted: Port = Port("core.action_permitted", "may a user run a named action")


class ActionPermissionMixin:
    """`has_act_permission` for ModelAdmins whose actions call use cases: the user holds the
    page's action permission `act_action`. Unlike `has_change_permission`, it may be called with
    an object id (unfold's detail actions do) and never depends on the object, so a page can be
    read-only and still offer its actions."""

    act_action: str = ""  # an action of accounts/roles.py; every page using the mixin names one
    # Shared configuration (rules, tokens, the outbox): changed by unrestricted users only, as
    # the API answers a restricted token 403 `token_restricted` (docs/security.md).
    network_wide: bool = False

    def has_act_permission(self, request: HttpRequest, obj=None) -> bool:
        if self.network_wide and console_restricted(request):
            return False
        return action_permitted(request.user, self.act_action)


# The signed-in console user's object scope. Served by accounts (`console_principal`), which sits
# above the modules whose lists need it: plugged in wiring.py.
console_scope: Port = Port("core.console_scope", "the object scope of the signed-in console user")


def console_restricted(request: HttpRequest) -> bool:
    """Is the signed-in user limited to some channels or locations (their console access)?"""
    return console_scope(request).restricted


class SharedConfigMixin:
    """Shared configuration (channels, locations): read within the user's scope, changed by
    unrestricted users only, as the API answers a restricted token 403 `token_restricted`."""

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return not console_restricted(request) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not console_restricted(request) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not console_restricted(request) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class NetworkWideMixin(SharedConfigMixin):
    """A page about the whole network (sourcing rules and decisions, tokens, the outbox, the
    audit): an unrestricted user's only, as the API refuses a restricted token."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return not console_restricted(request) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return not console_restricted(request) and super().has_view_permission(request, obj)  # type: ignore[misc]


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
