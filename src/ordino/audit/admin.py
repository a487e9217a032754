"""The console's audit page (read-only, searchable; the action permission `see_audit`); the
mixin that audits every console page's saves and deletions is in admin_mixin.py."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from ordino.audit.admin_mixin import AuditedAdminMixin
from ordino.audit.models import AuditEntry
from ordino.core.admin import NetworkWideMixin, action_permitted, console_restricted, word_column


@admin.register(AuditEntry)
class AuditEntryAdmin(NetworkWideMixin, ModelAdmin):
    list_display = ("at", "actor", "action_word", "object_type_word", "object_id", "object_label",
                    "reason")  # fmt: skip
    action_word = word_column("action")
    object_type_word = word_column("object_type", "object")
    list_filter = ("object_type", "action", "at")
    search_fields = ("actor", "object_id", "object_label", "reason")
    date_hierarchy = "at"
    ordering = ("-id",)
    fields = ("at", "actor", "action", "object_type", "object_id", "object_label", "reason",
              "before_shown", "after_shown")  # fmt: skip
    readonly_fields = fields

    def has_view_permission(self, request, obj=None) -> bool:
        return not console_restricted(request) and action_permitted(request.user, "see_audit")

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="before")
    def before_shown(self, obj: AuditEntry) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.before, indent=2, sort_keys=True))

    @admin.display(description="after")
    def after_shown(self, obj: AuditEntry) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.after, indent=2, sort_keys=True))


__all__ = ["AuditEntryAdmin", "AuditedAdminMixin"]
