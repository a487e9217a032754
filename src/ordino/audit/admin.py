"""The console's audit page (read-only, searchable; the action permission `see_audit`) and the
mixin that audits a console page's saves and deletions (docs/people.md, "Audit")."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from ordino.audit.models import AuditEntry
from ordino.audit.services import audit_record, snapshot
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


class AuditedAdminMixin:
    """A console page whose saves and deletions are configuration changes: each is audited with
    the object before and after (many-to-many included: recorded after the form's relations)."""

    audit_type = ""  # the audit's object_type: channel, location, user, role, console_access
    audit_exclude: tuple[str, ...] = ("last_login",)

    def save_model(self, request, obj, form, change) -> None:
        before = None
        if change and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(stored, self.audit_exclude) if stored is not None else None
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        request._audit_before = before  # type: ignore[attr-defined]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        obj = form.instance
        audit_record(object_type=self.audit_type, object_id=obj.pk,
                     action="changed" if change else "created", label=str(obj),
                     before=getattr(request, "_audit_before", None),
                     after=snapshot(obj, self.audit_exclude))  # fmt: skip

    def delete_model(self, request, obj) -> None:
        before, pk, label = snapshot(obj, self.audit_exclude), obj.pk, str(obj)
        super().delete_model(request, obj)  # type: ignore[misc]
        audit_record(object_type=self.audit_type, object_id=pk, action="deleted",
                     label=label, before=before)  # fmt: skip
