from django.contrib import admin
from unfold.admin import ModelAdmin

from ordino.audit.admin import AuditedAdminMixin
from ordino.channels.models import Channel
from ordino.core.admin import SharedConfigMixin
from ordino.core.console_export import ConsoleExportMixin


@admin.register(Channel)
class ChannelAdmin(SharedConfigMixin, AuditedAdminMixin, ConsoleExportMixin, ModelAdmin):
    audit_type = "channel"
    list_display = ("code", "name", "kind", "currency", "stock_buffer", "is_active")
    search_fields = ("code", "name")
    list_filter = ("kind", "currency", "prices_include_tax", "is_active")
    filter_horizontal = ("excluded_locations",)
    readonly_fields = ("created_at",)
