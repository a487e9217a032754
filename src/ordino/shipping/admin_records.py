"""The console's shipping records (docs/shipping.md, "In the console"): parcels' tracking with
their timelines, fulfillment orders' ratings and what shipments cost. Written only by their use
cases (tracking, rating, ship-rated): listed and shown, never edited; a console user limited to
some channels or locations sees those of the fulfillment orders they reach (404 otherwise)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin, TabularInline

from ordino.core.admin import ScopedListMixin, money_column, word_column, word_filter
from ordino.core.domain.scope import Scope
from ordino.fulfillment.selectors import fulfillment_list
from ordino.shipping.domain.tracking_maps import STATUSES
from ordino.shipping.models import FulfillmentRating, ShipmentCost, Tracker, TrackingEvent


class _Records(ScopedListMixin, ModelAdmin):
    """Read-only, scoped by the fulfillment order the record belongs to (`fo_path`)."""

    fo_path = "fulfillment_order"

    def scope_filter(self, scope: Scope) -> Q:
        return Q(**{f"{self.fo_path}__in": fulfillment_list(scope=scope).values("pk")})

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="fulfillment order")
    def fulfillment_link(self, obj):
        fo_id = (
            obj.shipment.fulfillment_order_id
            if self.fo_path.startswith("shipment")
            else (obj.fulfillment_order_id)
        )
        url = reverse("admin:fulfillment_fulfillmentorder_change", args=[fo_id])
        return format_html('<a href="{}">#{}</a>', url, fo_id)


class TrackingEventInline(TabularInline):
    model = TrackingEvent
    fields = ("occurred_at", "status", "carrier_status", "carrier_substatus", "description",
              "location", "source", "received_at")  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("occurred_at", "id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Tracker)
class TrackerAdmin(_Records):
    """A parcel's tracking: its status in one vocabulary, whether a person should act, its
    events as the carrier sent them (docs/shipping.md, "Tracking")."""

    status_word = word_column("status")
    list_display = ("tracking_number", "carrier", "status_word", "action_required",
                    "last_event_at", "delivered_at", "fulfillment_link")  # fmt: skip
    list_filter = (word_filter("status", STATUSES), "action_required", "carrier")
    search_fields = ("tracking_number",)
    ordering = ("-id",)
    list_select_related = ("fulfillment_order",)
    fields = ("carrier", "tracking_number", "status", "action_required", "last_event_at",
              "delivered_at", "shipment", "fulfillment_order", "created_at",
              "updated_at")  # fmt: skip
    readonly_fields = fields
    inlines = [TrackingEventInline]


@admin.register(FulfillmentRating)
class FulfillmentRatingAdmin(_Records):
    """Each rate shop of a fulfillment order: the policy, its choice and why; the runners-up and
    the services left out are on the order page's Shipping panel."""

    total_money = money_column("total", "total")
    list_display = ("id", "fulfillment_link", "policy", "service", "total_money", "ship_day",
                    "delivery", "promised", "created_at")  # fmt: skip
    list_filter = ("policy", "service")
    ordering = ("-id",)
    fields = ("fulfillment_order", "policy", "service", "service_name", "total", "currency",
              "ship_day", "delivery", "promised", "why", "parcels", "destination", "actor",
              "created_at")  # fmt: skip
    readonly_fields = fields


@admin.register(ShipmentCost)
class ShipmentCostAdmin(_Records):
    """What each shipment shipped with its rating's choice cost (docs/shipping.md)."""

    fo_path = "shipment__fulfillment_order"
    amount_money = money_column("amount", "cost")
    list_display = ("shipment", "fulfillment_link", "service", "amount_money", "parcels",
                    "created_at")  # fmt: skip
    list_filter = ("service", "currency")
    list_select_related = ("shipment",)
    ordering = ("-id",)
    fields = ("shipment", "rating", "service", "service_name", "amount", "currency", "parcels",
              "created_at")  # fmt: skip
    readonly_fields = fields
