"""The returns list in the console: read-only (a return changes only through its use cases, from
the order page's panel, the store screen or the API), filtered by state, location and reason,
scoped to the user's channels and locations like the API."""

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.utils.html import format_html
from unfold.admin import ModelAdmin, TabularInline

from ordino.core.admin import ScopedListMixin, word_column, word_filter
from ordino.core.domain.scope import Scope
from ordino.returns.domain.eligibility import REASONS
from ordino.returns.domain.states import STATES
from ordino.returns.models import Return, ReturnLine, ReturnPolicy, ReturnShipment
from ordino.returns.selectors import return_scope_q


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReturnLineInline(ReadOnly, TabularInline):
    model = ReturnLine
    fields = (
        "line_no",
        "sku_code",
        "quantity",
        "reason",
        "quantity_restocked",
        "quantity_damaged",
        "quantity_needs_processing",
        "quantity_missing",
        "refund_total",
        "refund_tax",
    )
    readonly_fields = fields
    extra = 0


class ReturnShipmentInline(ReadOnly, TabularInline):
    model = ReturnShipment
    fields = ("location", "state", "carrier", "tracking_number", "created_at", "received_at")
    readonly_fields = fields
    extra = 0


@admin.register(Return)
class ReturnAdmin(ReadOnly, ScopedListMixin, ModelAdmin):
    list_display = (
        "number",
        "order_link",
        "state_word",
        "location",
        "reason_word",
        "created_via",
        "created_at",
    )
    list_filter = (word_filter("state", STATES), "location", word_filter("reason", REASONS))
    search_fields = ("number", "=order__id", "order__external_id")
    list_select_related = ("order", "location")
    date_hierarchy = "created_at"
    ordering = ("-id",)
    inlines = [ReturnLineInline, ReturnShipmentInline]
    state_word = word_column("state")
    reason_word = word_column("reason")

    def scope_filter(self, scope: Scope) -> Q:
        return return_scope_q(scope)

    @admin.display(description="order", ordering="order_id")
    def order_link(self, obj: Return):
        # the order page (console/orders), by path: the console sits above this module
        return format_html(
            '<a href="/admin/orders/{}/#returns">{}</a>', obj.order_id, obj.order.external_id
        )


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(ReadOnly, ModelAdmin):
    """Policies are set through `/return-policies` (shared configuration)."""

    list_display = ("channel", "sku", "window_days", "returnable", "updated_at", "actor")
    list_select_related = ("channel", "sku")
