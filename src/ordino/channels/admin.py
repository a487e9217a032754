from django.contrib import admin
from unfold.admin import ModelAdmin

from ordino.channels.models import Channel


@admin.register(Channel)
class ChannelAdmin(ModelAdmin):
    list_display = ("code", "name", "kind", "currency", "stock_buffer", "is_active")
    search_fields = ("code", "name")
    list_filter = ("kind", "currency", "is_active")
    filter_horizontal = ("excluded_locations",)
    readonly_fields = ("created_at",)
