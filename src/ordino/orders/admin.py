"""The console's order screens. Orders are read-only here: changes go through the use cases
(the cancel action calls `order_cancel`), so the timeline and the ledger always see them."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from ordino.core.admin import (
    ActionPermissionMixin,
    CappedCountPaginator,
    ScopedListMixin,
    console_scope,
    money_column,
    word_column,
    word_filter,
)
from ordino.core.confirm import confirm_with_reason
from ordino.core.console_export import ConsoleExportMixin
from ordino.core.domain.scope import CHANGE, Scope
from ordino.orders.domain.status import STATUSES
from ordino.orders.models import (
    Order,
    OrderChange,
    OrderLine,
    OrderTimelineEntry,
)
from ordino.orders.search import order_match_q
from ordino.orders.selectors import order_scope_q
from ordino.orders.services import order_cancel


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = (
        "line_no",
        "sku_code",
        "name",
        "quantity_ordered",
        "quantity_allocated",
        "quantity_backordered",
        "quantity_cancelled",
        "quantity_shipped",
        "unit_price",
        "line_discount",
        "order_discount",
        "tax",
        "total",
    )
    readonly_fields = fields


class OrderTimelineInline(ReadOnlyInline):
    model = OrderTimelineEntry
    fields = ("created_at", "kind", "message", "actor")
    readonly_fields = fields
    ordering = ("id",)


class OrderChangeInline(ReadOnlyInline):
    model = OrderChange
    fields = ("created_at", "kind", "version", "amount_delta", "reason", "actor")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ConsoleExportMixin, ScopedListMixin, ActionPermissionMixin, ModelAdmin):
    act_action = "cancel_orders"  # accounts/roles.py
    list_display = (
        "id",
        "external_id",
        "channel",
        "status_word",
        "email",
        "grand_total_money",
        "current_total_money",
        "delivery_method_word",
        "created_at",
    )
    list_filter = (
        word_filter("status", STATUSES),
        "channel",
        word_filter("delivery_method", ("ship", "pickup", "ship_to_store"), "delivery"),
        "created_at",
    )
    search_fields = ("=id",)  # get_search_results: indexed lookups (orders/search.py)
    search_help_text = (
        "Order number, external id, e-mail, phone, postal code or tracking number (exact)."
    )
    list_select_related = ("channel",)
    # Over a million orders: no date hierarchy (its DISTINCT over the table) and no currency
    # filter (a DISTINCT too; the channel says the currency); 25 rows, as unfold renders each
    # row's cells through templates (~5 ms a row): bench/console_lists.py.
    list_per_page = 25
    paginator = CappedCountPaginator
    inlines = [OrderLineInline, OrderChangeInline, OrderTimelineInline]
    actions = ["cancel_orders"]
    show_full_result_count = False
    export_columns = (
        ("id", "Order number"),
        ("external_id", "External id"),
        ("channel__code", "Channel"),
        ("status", "Status"),
        ("email", "E-mail"),
        ("phone", "Phone"),
        ("delivery_method", "Delivery"),
        ("grand_total", "Grand total"),
        ("current_total", "Current total"),
        ("currency", "Currency"),
        ("placed_at", "Placed at (UTC)"),
        ("created_at", "Created at (UTC)"),
    )

    status_word = word_column("status")
    grand_total_money = money_column("grand_total", "grand total")
    current_total_money = money_column("current_total", "current total")
    delivery_method_word = word_column("delivery_method", "delivery")

    def scope_filter(self, scope: Scope) -> Q:
        return order_scope_q(scope)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(order_match_q(search_term)), False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a view: orders change through the actions' use cases only

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The order's page is the console's order page (console/orders/), not a model form:
        the list's links lead there, and no Save button remains."""
        if str(object_id).isdigit():
            if not self.get_queryset(request).filter(pk=int(object_id)).exists():
                raise Http404("No order with this number.")  # outside the user's reach too
            return redirect(reverse("console:order", args=[int(object_id)]))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @action(description="Cancel selected orders (releases their stock)", permissions=["act"])
    def cancel_orders(self, request, queryset):
        scope = console_scope(request)
        actor = f"user:{request.user.get_username()}"

        def cancel_one(order_id: int, reason: str) -> None:
            order_cancel(order_id=order_id, lines=None, reason=reason, actor=actor, scope=scope)

        return confirm_with_reason(
            self,
            request,
            queryset.filter(order_scope_q(scope, CHANGE)) if scope.restricted else queryset,
            action="cancel_orders",
            title="Cancel orders",
            verb="Cancel orders",
            run_one=cancel_one,
            warning="Their reserved stock is released; shipped items are not cancelled.",
        )
