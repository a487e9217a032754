"""CSV and XLSX export of a console list (django-import-export, unfold's forms).

A list adds export with one base class: `class SkuAdmin(ConsoleExportMixin, ModelAdmin)`. The
export holds exactly what the list's filters and search select (import-export builds the
changelist from the same query string), within the signed-in user's scope (the admin's
`get_queryset`), and is offered to whoever may view the list. Columns are the list's model
fields, in the list's order, under their verbose names; a module may name its own with
`export_columns = (("attribute", "Header"), ...)`. Money is an exact decimal in the currency's
minor unit next to a currency column, dates are ISO 8601 in UTC, codes are words.

Export only: importing would write tables without their use cases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from import_export import fields, resources, widgets
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from unfold.contrib.import_export.forms import ExportForm

from ordino.core.domain.display import status_word
from ordino.core.domain.money import MINOR_UNITS

CODE_FIELDS = frozenset(
    {
        "status",
        "state",
        "kind",
        "delivery_method",
        "reason",
        "from_state",
        "to_state",
        "action",
        "outcome",
        "trigger",
    }
)


class IsoUtcWidget(widgets.Widget):
    """A moment as ISO 8601 in UTC (`2026-11-30T23:07:14+00:00`); a date as `2026-11-30`."""

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return ""


class ExactMoneyWidget(widgets.Widget):
    """A decimal amount in its currency's minor unit, as text: exact, never a float."""

    def __init__(self, currency_attribute: str = "currency") -> None:
        super().__init__()
        self.currency_attribute = currency_attribute

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        currency = _attribute(obj, self.currency_attribute) if obj is not None else None
        places = MINOR_UNITS.get(currency or "", 2)
        return str(Decimal(value).quantize(Decimal(1).scaleb(-places)))


class WordWidget(widgets.Widget):
    """A status or kind code as the word a person reads (`ready_for_pickup` → Ready for pickup)."""

    def render(self, value, obj=None, **kwargs):
        return status_word(str(value)) if value not in (None, "") else ""


class TextWidget(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def _attribute(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _widget_for(field: models.Field | None, name: str, currency_attribute: str | None):
    if isinstance(field, models.DateTimeField | models.DateField):
        return IsoUtcWidget()
    if isinstance(field, models.DecimalField) and currency_attribute:
        return ExactMoneyWidget(currency_attribute)
    if name.split("__")[-1] in CODE_FIELDS:
        return WordWidget()
    return TextWidget()


def _model_field(model, path: str) -> models.Field | None:
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except Exception:  # a property or a method: exported as text
            return None
        model = field.related_model or model
    return field


def default_columns(model, list_display) -> list[tuple[str, str]]:
    """The list's columns that are model fields, under their verbose names."""
    columns = []
    names = {f.name for f in model._meta.concrete_fields}
    for name in list_display:
        if isinstance(name, str) and name in names:
            field = model._meta.get_field(name)
            columns.append((name, str(field.verbose_name).capitalize()))
    return columns


def resource_for(model, columns, currency_attribute: str | None) -> type[resources.Resource]:
    """A Resource class exporting `columns` ((attribute, header), ...) of `model`."""
    declared = {}
    for attribute, header in columns:
        widget = _widget_for(_model_field(model, attribute), attribute, currency_attribute)
        declared[attribute] = fields.Field(attribute=attribute, column_name=header, widget=widget)

    class Meta:
        pass

    Meta.model = model
    Meta.fields = tuple(declared)
    Meta.export_order = tuple(declared)
    name = f"{model.__name__}ExportResource"
    return type(name, (resources.ModelResource,), {**declared, "Meta": Meta})


def _is_code_field(model, name) -> bool:
    if not isinstance(name, str) or name not in CODE_FIELDS:
        return False
    field = _model_field(model, name)
    return isinstance(field, models.CharField) and not field.choices


def word_display(field: str, description: str):
    """A list column showing the code field `field` as a word."""

    def display(obj) -> str:
        return status_word(getattr(obj, field))

    display.short_description = description  # type: ignore[attr-defined]
    display.admin_order_field = field  # type: ignore[attr-defined]
    display.__name__ = f"{field}_word"
    return display


class WordValuesFilter(admin.AllValuesFieldListFilter):
    """The values a code field holds, offered as words."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            display = choice.get("display")
            if isinstance(display, str) and choice.get("query_string") and display != "All":
                choice = {**choice, "display": status_word(display)}
            yield choice


class ConsoleExportMixin(ExportMixin):
    """Export the list as CSV or XLSX; see the module's docstring. Its code columns and filters
    (status, kind, reason ...) read as words."""

    export_form_class = ExportForm
    export_formats = [CSV, XLSX]
    export_columns: tuple[tuple[str, str], ...] = ()
    export_currency_attribute: str | None = "currency"
    # The list's saved views (the console's, console/templatetags/saved_views.py) above it.
    list_before_template = "console/lists/saved_views_before.html"

    def get_list_display(self, request: HttpRequest):
        model = self.model  # type: ignore[attr-defined]
        return [
            word_display(name, str(model._meta.get_field(name).verbose_name))
            if _is_code_field(model, name)
            else name
            for name in super().get_list_display(request)  # type: ignore[misc]
        ]

    def get_list_filter(self, request: HttpRequest):
        model = self.model  # type: ignore[attr-defined]
        return [
            (name, WordValuesFilter) if _is_code_field(model, name) else name
            for name in super().get_list_filter(request)  # type: ignore[misc]
        ]

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)  # type: ignore[attr-defined]

    def get_export_resource_classes(self, request: HttpRequest):
        model = self.model  # type: ignore[attr-defined]
        columns = self.export_columns or default_columns(model, self.list_display)  # type: ignore[attr-defined]
        if self.export_currency_attribute and not any(
            attribute == self.export_currency_attribute for attribute, _ in columns
        ):
            has_money = any(
                isinstance(_model_field(model, a), models.DecimalField) for a, _ in columns
            )
            if has_money and _model_field(model, self.export_currency_attribute) is not None:
                columns = [*columns, (self.export_currency_attribute, "Currency")]
        currency = self.export_currency_attribute
        if currency and _model_field(model, currency) is None:
            currency = None
        return [resource_for(model, columns, currency)]
