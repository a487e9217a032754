"""Admin console views of inventory. All read-only: stock changes only through the use cases
(API, `ordino inventory ...`), so that every change is a ledger movement with its actor.
Editing a balance here would make it disagree with the ledger."""

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from unfold.admin import ModelAdmin

from ordino.core.admin import ScopedListMixin
from ordino.core.console_export import ConsoleExportMixin
from ordino.core.domain.scope import Scope
from ordino.inventory.models import StockBalance, StockFeed, StockMovement, StockTransfer
from ordino.inventory.selectors import AVAILABLE_SQL


class ReadOnlyAdmin(ConsoleExportMixin, ScopedListMixin, ModelAdmin):
    """Stock is a location's: a user limited to locations sees theirs only."""

    scope_fields: tuple[str, ...] = ("location_id",)

    def scope_filter(self, scope: Scope) -> Q:
        if scope.location_ids is None:
            return Q()
        q = Q(pk__in=[])
        for field in self.scope_fields:
            q |= Q(**{f"{field}__in": scope.location_ids})
        return q

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyAdmin):
    list_display = (
        "sku",
        "location",
        "on_hand",
        "committed",
        "safety_stock",
        "unavailable",
        "incoming",
        "available",
        "updated_at",
    )
    list_filter = ("location", "location__kind")
    search_fields = ("sku__code", "sku__name", "location__code")
    list_select_related = ("sku", "location")
    ordering = ("sku__code", "location__priority")

    def get_queryset(self, request: HttpRequest) -> QuerySet[StockBalance]:
        return super().get_queryset(request).annotate(available_units=AVAILABLE_SQL)

    @admin.display(description="available", ordering="available_units")
    def available(self, obj: StockBalance) -> int:
        return obj.available_units  # type: ignore[attr-defined]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "created_at",
        "sku",
        "location",
        "from_state",
        "to_state",
        "quantity",
        "reason",
        "reference",
        "actor",
    )
    list_filter = ("reason", "from_state", "to_state", "location")
    search_fields = ("sku__code", "reference", "actor", "note")
    list_select_related = ("sku", "location")
    date_hierarchy = "created_at"
    ordering = ("-id",)


@admin.register(StockTransfer)
class StockTransferAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "sku",
        "source",
        "destination",
        "quantity",
        "quantity_received",
        "status",
        "reference",
        "created_at",
        "received_at",
    )
    list_filter = ("status", "source", "destination")
    search_fields = ("sku__code", "reference", "source__code", "destination__code")
    list_select_related = ("sku", "source", "destination")
    scope_fields = ("source_id", "destination_id")
    date_hierarchy = "created_at"
    ordering = ("-id",)


@admin.register(StockFeed)
class StockFeedAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "file_name",
        "status",
        "rows",
        "applied",
        "unchanged",
        "refused",
        "actor",
        "started_at",
        "finished_at",
    )
    list_filter = ("status",)
    search_fields = ("file_name", "actor")
    scope_fields = ()  # network-wide: not for a user limited to locations
    date_hierarchy = "started_at"
    ordering = ("-id",)
