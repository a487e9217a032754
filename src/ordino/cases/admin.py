"""The console's case settings (Cases → Teams, Case types) and the cases' list: a type's ladder
and resolutions are checked when saved (never at run time), a team's timezone and holidays too.
Cases are worked on their own page (console:case), not edited as a model."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from ordino.cases.domain.ladder import ladder_parse
from ordino.cases.domain.types import resolutions_check
from ordino.cases.models import Case, CaseType, Team
from ordino.core.domain.errors import DomainError


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ("name", "members", "lead", "manager", "timezone", "weekdays", "opens",
                  "closes", "holiday_country", "holiday_subdivision", "extra_holidays")  # fmt: skip

    def clean_timezone(self):
        name = self.cleaned_data["timezone"]
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(f"No timezone {name!r}.") from None
        return name

    def clean_weekdays(self):
        days = self.cleaned_data["weekdays"]
        if not days or any(d not in "0123456" for d in days) or len(set(days)) != len(days):
            raise forms.ValidationError("Digits 0 (Monday) to 6 (Sunday), each once.")
        return "".join(sorted(days))

    def clean_extra_holidays(self):
        dates = self.cleaned_data["extra_holidays"] or []
        try:
            return sorted({date.fromisoformat(d).isoformat() for d in dates})
        except (TypeError, ValueError):
            raise forms.ValidationError('A list of dates: ["2026-12-24"].') from None

    def clean(self):
        data = super().clean()
        country = (data.get("holiday_country") or "").upper()
        if country:
            try:
                holidays.country_holidays(country, subdiv=data.get("holiday_subdivision") or None)
            except NotImplementedError as exc:
                raise forms.ValidationError(str(exc)) from None
        data["holiday_country"] = country
        if data.get("opens") and data.get("closes") and data["opens"] >= data["closes"]:
            raise forms.ValidationError("A team opens before it closes.")
        return data


@admin.register(Team)
class TeamAdmin(ModelAdmin):
    form = TeamForm
    list_display = ("name", "lead", "manager", "timezone", "weekdays", "opens", "closes")
    filter_horizontal = ("members",)


class CaseTypeForm(forms.ModelForm):
    class Meta:
        model = CaseType
        fields = ("code", "name", "priority", "team", "sla_hours", "ladder", "resolutions",
                  "threshold_hours")  # fmt: skip

    def clean_ladder(self):
        try:
            return [level.as_dict() for level in ladder_parse(self.cleaned_data["ladder"])]
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_resolutions(self):
        try:
            return list(resolutions_check(self.cleaned_data["resolutions"]))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


@admin.register(CaseType)
class CaseTypeAdmin(ModelAdmin):
    form = CaseTypeForm
    list_display = ("code", "name", "priority", "team", "sla_hours")


@admin.register(Case)
class CaseAdmin(ModelAdmin):
    list_display = ("id", "page", "type", "priority", "status", "owner_user", "owner_team",
                    "due_at")  # fmt: skip
    list_filter = ("status", "type", "priority")
    search_fields = ("title",)

    @admin.display(description="case")
    def page(self, obj: Case) -> str:
        return format_html('<a href="{}">{}</a>', reverse("console:case", args=[obj.pk]), obj.title)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
