"""The console's audit page (read-only, searchable; the action permission `see_audit`): filters
by actor, object type, object id, action and a range of days (UTC), a free-text search, pages of
100. The mixin that audits every console page's saves and deletions is in admin_mixin.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.html import format_html
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import RangeDateFilter, TextFilter
from unfold.utils import parse_date_str

from ordino.audit.admin_mixin import AuditedAdminMixin
from ordino.audit.models import AuditEntry
from ordino.core.admin import NetworkWideMixin, action_permitted, console_restricted, word_column

TEXT_MAX = 128  # the longest actor; an object id is at most 64


class _ExactFilter(TextFilter):
    """One text box: entries whose field is exactly what was typed."""

    field = ""

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if len(value) > TEXT_MAX:
            raise IncorrectLookupParameters(f"{self.title} is at most {TEXT_MAX} characters.")
        return queryset.filter(**{self.field: value})


class ActorFilter(_ExactFilter):
    title, parameter_name, field = "actor (e.g. user:ada)", "actor", "actor"


class ObjectIdFilter(_ExactFilter):
    title, parameter_name, field = "object id", "object_id", "object_id"


class DaysFilter(RangeDateFilter):
    """From one day to another, both included, as UTC days (the times the page shows)."""

    def queryset(self, request, queryset):
        bounds = {}
        for end, lookup, shift in (("from", "at__gte", 0), ("to", "at__lt", 1)):
            text = self.used_parameters.get(f"{self.parameter_name}_{end}")
            if not text:
                continue
            day = parse_date_str(text)
            if day is None:
                raise IncorrectLookupParameters(f"{text!r} is not a date.")
            bounds[lookup] = datetime.combine(day + timedelta(days=shift), time(), tzinfo=UTC)
        return queryset.filter(**bounds)


@admin.register(AuditEntry)
class AuditEntryAdmin(NetworkWideMixin, ModelAdmin):
    list_display = ("at", "actor", "action_word", "object_type_word", "object_id", "object_label",
                    "reason")  # fmt: skip
    action_word = word_column("action")
    object_type_word = word_column("object_type", "object")
    list_filter = (ActorFilter, "object_type", ObjectIdFilter, "action", ("at", DaysFilter))
    list_filter_submit = True  # the text boxes and days apply together, on one button
    list_per_page = 100
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
