"""The console's tax rates (Settings → Tax rates): a list filtered by country and class,
searched by name; adding, changing and deleting go through the use cases (tax/services.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from unfold.admin import ModelAdmin

from ordino.core.console_export import ConsoleExportMixin
from ordino.core.domain.errors import DomainError
from ordino.tax import services
from ordino.tax.domain.rates import rate_check
from ordino.tax.models import TaxRate

FIELDS = ("country", "region", "tax_class", "rate", "name", "valid_from", "valid_to")


class TaxRateForm(forms.ModelForm):
    class Meta:
        model = TaxRate
        fields = FIELDS

    def clean(self):
        """The use case's refusals, shown on the form before anything is written."""
        data = super().clean()
        row = TaxRate(pk=self.instance.pk, **{f: data.get(f) for f in FIELDS if f in data})
        row.country = self.instance.country if self.instance.pk else (row.country or "").upper()
        row.region = (row.region or "").strip()
        try:
            if row.rate is not None:
                rate_check(row.rate)
            if row.valid_from is not None:
                services.tax_rate_check(row=row)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(TaxRate)
class TaxRateAdmin(ConsoleExportMixin, ModelAdmin):
    form = TaxRateForm
    list_display = ("name", "country", "region", "tax_class", "rate", "valid_from", "valid_to")
    list_filter = ("country", "tax_class")
    search_fields = ("name", "country", "region", "tax_class")
    ordering = ("country", "region", "tax_class", "valid_from")

    def get_readonly_fields(self, request, obj=None):
        return ("country",) if obj is not None else ()

    audit_by_use_case = frozenset({"add", "change", "delete"})  # tax/services.py records them

    def save_model(self, request, obj: TaxRate, form, change: bool) -> None:
        values = {f: form.cleaned_data[f] for f in FIELDS if f in form.cleaned_data}
        if change:
            original = TaxRate.objects.get(pk=obj.pk)
            values.pop("country", None)  # fixed once created: another country, another rate
            saved = services.tax_rate_update(tax_rate=original, **values)
        else:
            saved = services.tax_rate_create(**values)
        obj.pk = saved.pk

    def delete_model(self, request, obj: TaxRate) -> None:
        services.tax_rate_delete(tax_rate=obj)

    def delete_queryset(self, request, queryset) -> None:
        for rate in queryset:
            services.tax_rate_delete(tax_rate=rate)
