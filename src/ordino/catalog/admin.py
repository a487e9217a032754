from django import forms
from django.contrib import admin
from unfold.admin import ModelAdmin, TabularInline

from ordino.catalog.domain.customs import (
    customs_description_check,
    hs_code_check,
    origin_country_check,
)
from ordino.catalog.models import KitComponent, Product, Sku
from ordino.core.console_export import ConsoleExportMixin
from ordino.core.domain.errors import DomainError


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


class SkuForm(forms.ModelForm):
    """The SKU page's customs data checked as the API checks it (docs/catalog-and-customers.md)."""

    class Meta:
        model = Sku
        fields = ("hs_code", "origin_country", "customs_description")  # the admin adds the rest

    def _checked(self, field: str, check) -> str:
        try:
            return check(self.cleaned_data.get(field))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_hs_code(self) -> str:
        return self._checked("hs_code", hs_code_check)

    def clean_origin_country(self) -> str:
        return self._checked("origin_country", origin_country_check)

    def clean_customs_description(self) -> str:
        return self._checked("customs_description", customs_description_check)


@admin.register(Sku)
class SkuAdmin(ConsoleExportMixin, ModelAdmin):
    form = SkuForm
    list_display = ("code", "name", "product", "kind", "barcode", "is_active")
    search_fields = ("code", "name", "barcode", "product__code", "product__name")
    list_filter = ("kind", "tax_class", "origin_country", "is_active")
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
