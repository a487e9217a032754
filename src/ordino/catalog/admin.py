from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from ordino.catalog.models import KitComponent, Product, Sku
from ordino.core.console_export import ConsoleExportMixin


class SkuInline(TabularInline):
    model = Sku
    fields = ("code", "name", "kind", "barcode", "is_active")
    extra = 0
    show_change_link = True


class KitComponentInline(TabularInline):
    model = KitComponent
    fk_name = "kit"
    fields = ("component", "quantity")
    autocomplete_fields = ("component",)
    extra = 0


@admin.register(Product)
class ProductAdmin(ConsoleExportMixin, ModelAdmin):
    list_display = ("code", "name", "is_active", "created_at")
    search_fields = ("code", "name")
    list_filter = ("is_active",)
    readonly_fields = ("created_at",)
    inlines = [SkuInline]


@admin.register(Sku)
class SkuAdmin(ConsoleExportMixin, ModelAdmin):
    list_display = ("code", "name", "product", "kind", "barcode", "is_active")
    search_fields = ("code", "name", "barcode", "product__code", "product__name")
    list_filter = ("kind", "tax_class", "is_active")
    list_select_related = ("product",)
    autocomplete_fields = ("product",)
    readonly_fields = ("created_at",)
    inlines = [KitComponentInline]


@admin.register(KitComponent)
class KitComponentAdmin(ConsoleExportMixin, ModelAdmin):
    list_display = ("kit", "component", "quantity")
    search_fields = ("kit__code", "component__code")
    list_filter = ("kit__is_active",)
    list_select_related = ("kit", "component")
    autocomplete_fields = ("kit", "component")
