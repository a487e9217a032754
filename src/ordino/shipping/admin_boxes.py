"""The console's box types (docs/shipping.md, "Parcels and packing"): listed, added and changed
through `box_type_save` — the form asks the use case's check first and shows each refusal on
its field, nothing written; a box type's location and code are its identity, fixed once made.
Shared configuration: a console user limited to some channels or locations changes none."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from unfold.admin import ModelAdmin

from ordino.core.admin import SharedConfigMixin
from ordino.core.domain.errors import DomainError
from ordino.shipping import services
from ordino.shipping.admin_forms import reason_field, refusal_show
from ordino.shipping.commands import BoxTypeSettings
from ordino.shipping.models import BoxType

SIDES = ("length", "width", "height")
SIZES = tuple(f"{side}_{edge}_mm" for side in ("inner", "outer") for edge in SIDES)


class BoxTypeForm(forms.ModelForm):
    reason = reason_field()

    class Meta:
        model = BoxType
        fields = ("location", "code", "name", *SIZES, "tare_g", "max_weight_g", "is_active")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data  # a field the form itself refused: no command to check yet
        try:
            services.box_type_check(self.command())
        except DomainError as exc:
            refusal_show(self, exc, {"inner": "inner_length_mm", "outer": "outer_length_mm"})
        return data

    def command(self) -> BoxTypeSettings:
        data, box = self.cleaned_data, self.instance
        location = data.get("location") if box.pk is None else box.location
        return BoxTypeSettings(
            code=(data.get("code") if box.pk is None else box.code or "").strip(),
            name=data["name"].strip(),
            inner=tuple(data[f"inner_{e}_mm"] for e in SIDES),
            outer=tuple(data[f"outer_{e}_mm"] for e in SIDES),
            tare_g=data["tare_g"],
            max_weight_g=data["max_weight_g"],
            location=location.code if location else None,
            is_active=data["is_active"],
            reason=data.get("reason", ""),
        )


@admin.register(BoxType)
class BoxTypeAdmin(SharedConfigMixin, ModelAdmin):
    form = BoxTypeForm
    list_display = ("code", "name", "location", "inner_shown", "outer_shown", "tare_g",
                    "max_weight_g", "is_active")  # fmt: skip
    list_filter = ("location", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("location",)
    ordering = ("code", "location__code")
    audit_by_use_case = frozenset({"add", "change"})  # shipping/services.py records them

    @admin.display(description="inner (mm)")
    def inner_shown(self, obj: BoxType) -> str:
        return f"{obj.inner_length_mm}×{obj.inner_width_mm}×{obj.inner_height_mm}"

    @admin.display(description="outer (mm)")
    def outer_shown(self, obj: BoxType) -> str:
        return f"{obj.outer_length_mm}×{obj.outer_width_mm}×{obj.outer_height_mm}"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # packing proposals and the audit name it: make it inactive instead

    def get_fields(self, request, obj=None):
        fields = list(BoxTypeForm.Meta.fields)
        return [*fields, "reason"] if self.has_change_permission(request, obj) else fields

    def get_readonly_fields(self, request, obj=None):
        return ("location", "code") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: BoxType, form: BoxTypeForm, change: bool):
        actor = f"user:{request.user.get_username()}"
        saved = services.box_type_save(command=form.command(), actor=actor)
        obj.pk = saved.pk
