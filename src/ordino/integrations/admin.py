"""The console's Integration log page (docs/integrations.md, "Console"): read-only, searchable
(error, endpoint, correlation id, object id), filtered by system, direction, outcome, status,
operation, a failure theme's signature, the object and a range of days (UTC); each call's page
shows its redacted headers and bodies. Who may read it: unrestricted users holding the action
permission `manage_integrations` (the admin role), as the API's rule. The Failure themes page
is console/integrations/views.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.html import format_html
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import RangeDateFilter, TextFilter
from unfold.utils import parse_date_str

from ordino.core.admin import CappedCountPaginator, action_permitted, console_restricted
from ordino.integrations.models import IntegrationCall
from ordino.integrations.selectors import TEXT_MAX

READ_ACTION = "manage_integrations"


def integration_log_readable(request) -> bool:
    """The console's rule for the log and its themes (the API's: `integrations/api.py`)."""
    return not console_restricted(request) and action_permitted(request.user, READ_ACTION)


class _ExactFilter(TextFilter):
    """One text box: calls whose field is exactly what was typed."""

    field = ""
    limit = 64

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if len(value) > self.limit:
            raise IncorrectLookupParameters(f"{self.title} is at most {self.limit} characters.")
        if self.field == "status_code":
            if not value.isdigit() or not 100 <= int(value) <= 599:
                raise IncorrectLookupParameters("status is 100 to 599.")
            return queryset.filter(status_code=int(value))
        return queryset.filter(**{self.field: value})


class DaysFilter(RangeDateFilter):
    """From one day to another, both included, as UTC days (the times the page shows). The
    audit page has its twin: the audit and the log sit side by side and import neither."""

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


class StatusFilter(_ExactFilter):
    title, parameter_name, field, limit = "status (e.g. 422)", "status_code", "status_code", 3


class OperationFilter(_ExactFilter):
    title, parameter_name, field = "operation", "operation", "operation"


class SignatureFilter(_ExactFilter):
    """A failure theme's calls: the Failure themes page links here."""

    title, parameter_name, field = "theme (error signature)", "error_signature", "error_signature"
    limit = TEXT_MAX["signature"]


class ObjectIdFilter(_ExactFilter):
    title, parameter_name, field = "object id", "object_id", "object_id"


@admin.register(IntegrationCall)
class IntegrationCallAdmin(ModelAdmin):
    list_display = ("at", "direction", "system", "operation", "status_code", "outcome",
                    "latency_ms", "error_short", "connection")  # fmt: skip
    list_filter = ("system", "direction", "ok", StatusFilter, OperationFilter, SignatureFilter,
                   ObjectIdFilter, ("at", DaysFilter))  # fmt: skip
    list_filter_submit = True
    list_per_page = 100
    paginator = CappedCountPaginator
    search_fields = ("error", "endpoint", "correlation_id", "object_id")
    search_help_text = "Text in the error or the endpoint; a correlation or object id."
    ordering = ("-id",)
    fields = ("at", "direction", "system", "connection", "operation", "method", "endpoint",
              "status_code", "ok", "latency_ms", "error", "error_signature", "object_type",
              "object_id", "correlation_id", "headers_shown", "request_shown",
              "response_shown")  # fmt: skip
    readonly_fields = fields

    def has_view_permission(self, request, obj=None) -> bool:
        return integration_log_readable(request)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="outcome", ordering="ok")
    def outcome(self, obj: IntegrationCall) -> str:
        return "ok" if obj.ok else "failed"

    @admin.display(description="error")
    def error_short(self, obj: IntegrationCall) -> str:
        return obj.error if len(obj.error) <= 80 else obj.error[:79] + "…"

    @admin.display(description="request headers (secrets redacted)")
    def headers_shown(self, obj: IntegrationCall) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.request_headers or {}, indent=2))

    @admin.display(description="request body (secrets redacted)")
    def request_shown(self, obj: IntegrationCall) -> str:
        return format_html("<pre>{}</pre>", _pretty(obj.request_body))

    @admin.display(description="response body")
    def response_shown(self, obj: IntegrationCall) -> str:
        return format_html("<pre>{}</pre>", _pretty(obj.response_body))


def _pretty(body: str) -> str:
    """A JSON body indented for reading; any other text as it is."""
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body
