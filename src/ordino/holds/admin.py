"""The console's lists of holds: rules (edited in the rule editor, console/holds/), the orders'
holds and the rules' audit, read-only: every change goes through the use cases."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from ordino.holds.models import HoldRule, HoldRuleAudit, OrderHold


class ReadOnly(ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HoldRule)
class HoldRuleAdmin(ReadOnly):
    list_display = ("code", "name", "kind", "reason", "editor")
    search_fields = ("code", "name", "reason")

    @admin.display(description="editor")
    def editor(self, obj):
        return format_html('<a href="{}">Edit</a>', reverse("console:hold_rule", args=[obj.code]))


@admin.register(OrderHold)
class OrderHoldAdmin(ReadOnly):
    list_display = ("order", "cause", "kind", "reason", "placed_at", "released_at", "released_how")
    list_filter = ("kind", "released_how", "cause")
    search_fields = ("=order__id", "order__external_id", "reason", "cause")
    list_select_related = ("order",)
    show_full_result_count = False


@admin.register(HoldRuleAudit)
class HoldRuleAuditAdmin(ReadOnly):
    list_display = ("created_at", "rule", "action", "version_number", "actor")
    list_filter = ("action", "rule")
    search_fields = ("rule__code", "actor", "action")
    list_select_related = ("rule",)
