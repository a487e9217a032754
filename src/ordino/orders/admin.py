"""The console's order screens. Orders are read-only here: changes go through the use cases
(the cancel action calls `order_cancel`), so the timeline and the ledger always see them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from ordino.core.admin import ActionPermissionMixin
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint
from ordino.orders.models import (
    Order,
    OrderChange,
    OrderLine,
    OrderTimelineEntry,
)
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
class OrderAdmin(ActionPermissionMixin, ModelAdmin):
    list_display = (
        "id",
        "external_id",
        "channel",
        "status",
        "email",
        "grand_total",
        "current_total",
        "currency",
        "delivery_method",
        "created_at",
    )
    list_filter = ("status", "channel", "delivery_method", "currency", "created_at")
    search_fields = ("=id", "external_id", "email", "phone", "lines__sku_code")
    list_select_related = ("channel",)
    date_hierarchy = "created_at"
    inlines = [OrderLineInline, OrderChangeInline, OrderTimelineInline]
    actions = ["cancel_orders"]
    show_full_result_count = False

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
            return redirect(reverse("console:order", args=[int(object_id)]))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @action(description="Cancel selected orders (releases their stock)", permissions=["act"])
    def cancel_orders(self, request, queryset):
        done, refused = 0, []
        for order in queryset:
            try:
                with savepoint():  # one refusal must not undo the others
                    order_cancel(
                        order_id=order.pk,
                        lines=None,
                        reason="cancelled in the console",
                        actor=f"user:{request.user.get_username()}",
                    )
                done += 1
            except DomainError as exc:
                refused.append(f"#{order.pk}: {exc.message}")
        if done:
            messages.success(request, f"Cancelled {done} order(s).")
        if refused:
            messages.warning(request, "Not cancelled: " + "; ".join(refused))
