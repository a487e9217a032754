from django.contrib import admin
from unfold.admin import ModelAdmin

from ordino.audit.admin import AuditedAdminMixin
from ordino.core.admin import SharedConfigMixin
from ordino.core.console_export import ConsoleExportMixin
from ordino.locations.models import Location, LocationGroup


@admin.register(LocationGroup)
class LocationGroupAdmin(SharedConfigMixin, AuditedAdminMixin, ConsoleExportMixin, ModelAdmin):
    audit_type = "location_group"
    list_display = ("code", "name")
    search_fields = ("code", "name")
    list_filter = ("locations__kind",)


@admin.register(Location)
class LocationAdmin(SharedConfigMixin, AuditedAdminMixin, ConsoleExportMixin, ModelAdmin):
    audit_type = "location"
    list_display = (
        "code",
        "name",
        "kind",
        "city",
        "country",
        "ships",
        "pickup",
        "priority",
        "is_active",
    )
    search_fields = ("code", "name", "city", "postal_code")
    list_filter = ("kind", "ships", "pickup", "is_active", "country", "groups")
    filter_horizontal = ("groups",)
    readonly_fields = ("created_at",)
