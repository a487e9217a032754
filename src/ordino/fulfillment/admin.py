from __future__ import annotations

from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment


class FulfillmentLineInline(TabularInline):
    model = FulfillmentLine
    fields = (
        "order_line",
        "quantity",
        "quantity_shipped",
        "quantity_rejected",
        "quantity_cancelled",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ShipmentInline(TabularInline):
    model = Shipment
    fields = ("carrier", "service", "tracking_numbers", "shipped_at", "delivered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FulfillmentOrder)
class FulfillmentOrderAdmin(ModelAdmin):
    """Location staff's queue: filter by location and status."""

    list_display = ("id", "order", "location", "status", "delivery_method", "created_at")
    list_filter = ("status", "location", "delivery_method")
    search_fields = ("=id", "=order__id", "order__external_id")
    list_select_related = ("order", "location")
    date_hierarchy = "created_at"
    inlines = [FulfillmentLineInline, ShipmentInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
