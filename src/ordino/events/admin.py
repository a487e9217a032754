from __future__ import annotations

from django.contrib import admin
from unfold.admin import ModelAdmin

from ordino.events.models import OutboxEvent


@admin.register(OutboxEvent)
class OutboxEventAdmin(ModelAdmin):
    list_display = ("id", "name", "aggregate_type", "aggregate_id", "created_at", "delivered_at")
    list_filter = ("name", "aggregate_type")
    search_fields = ("=aggregate_id", "name")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
