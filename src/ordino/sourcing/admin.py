"""The console's sourcing screens. Profiles change only through the use cases: saving a draft
validates it (bad configuration is refused with the engine's message), activation and the
default profile are actions, and every change lands in the profile's audit."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action
from unfold.widgets import UnfoldAdminIntegerFieldWidget

from ordino.core.admin import ActionPermissionMixin
from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.sourcing import services, simulation
from ordino.sourcing.domain.opening import calendar_from_dict
from ordino.sourcing.models import (
    DistanceZone,
    LocationSchedule,
    ProfileAudit,
    SourcingDecision,
    SourcingProfile,
    SourcingProfileVersion,
    TransitTime,
    ZoneDistance,
)
from ordino.sourcing.selectors import explanation_sentences


def _actor(request) -> str:
    return f"user:{request.user.get_username()}"


def _pretty(value) -> str:
    return format_html(
        '<pre style="white-space: pre-wrap">{}</pre>', json.dumps(value, indent=2, default=str)
    )


def _lines(lines: list[str]) -> str:
    return format_html(
        '<pre style="white-space: pre-wrap">{}</pre>',
        format_html_join("\n", "{}", ((line,) for line in lines)),
    )


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = SourcingProfileVersion
    fields = ("number", "status", "effective_from", "activated_at", "activated_by", "note")
    readonly_fields = fields
    ordering = ("-number",)


class AuditInline(ReadOnlyInline):
    model = ProfileAudit
    fields = ("created_at", "action", "version", "actor")
    readonly_fields = fields
    show_change_link = False


@admin.register(SourcingProfile)
class SourcingProfileAdmin(ActionPermissionMixin, ModelAdmin):
    list_display = ("code", "name", "is_default", "created_at", "created_by")
    search_fields = ("code", "name")
    inlines = [VersionInline, AuditInline]
    actions = ["make_default"]

    def get_readonly_fields(self, request, obj=None):
        return ("code", "is_default", "created_by", "created_at") if obj else ("is_default",)

    def get_fields(self, request, obj=None):
        return (
            ("code", "name", "is_default", "created_by", "created_at") if obj else ("code", "name")
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            services.profile_rename(profile=obj, actor=_actor(request))
            return
        created = services.profile_create(code=obj.code, name=obj.name, actor=_actor(request))
        obj.pk, obj.is_default, obj.created_at = created.pk, created.is_default, created.created_at

    @action(description="Make default (order capture uses it)", permissions=["act"])
    def make_default(self, request, queryset):
        profile = queryset.first()
        if profile is not None:
            services.profile_default_set(profile=profile, actor=_actor(request))
            messages.success(request, f"{profile.code} is the default profile.")


class DraftForm(forms.ModelForm):
    """Edits a draft; validated by the same service the API uses."""

    definition = forms.JSONField(
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "style": "font-family: monospace"}),
        help_text='{"strategies": [...]}: see docs/sourcing.md.',
    )

    class Meta:
        model = SourcingProfileVersion
        fields = ("profile", "definition", "effective_from", "note")

    def clean(self):
        data = super().clean()
        profile = data.get("profile") or (self.instance.profile if self.instance.pk else None)
        definition = data.get("definition")
        if profile is not None and definition is not None:
            try:
                services.definition_check(
                    definition, code=profile.code, effective_from=data.get("effective_from")
                )
            except DomainError as exc:
                problems = exc.errors or [{"message": exc.message}]
                raise forms.ValidationError([p["message"] for p in problems]) from None
        return data


class SimulateForm(forms.Form):
    order = forms.IntegerField(label="Order #", min_value=1, widget=UnfoldAdminIntegerFieldWidget())


@admin.register(SourcingProfileVersion)
class SourcingProfileVersionAdmin(ActionPermissionMixin, ModelAdmin):
    form = DraftForm
    list_display = ("profile", "number", "status", "effective_from", "activated_at", "note")
    list_filter = ("status", "profile")
    search_fields = ("profile__code", "note")
    list_select_related = ("profile",)
    actions = ["activate"]
    actions_detail = ["activate_detail", "simulate"]

    def get_readonly_fields(self, request, obj=None):
        audit = ("status", "created_by", "created_at", "activated_at", "activated_by")
        if obj is None:
            return ()
        if obj.status != SourcingProfileVersion.DRAFT:
            return ("profile", "number", "definition_pretty", "effective_from", "note", *audit)
        return ("profile", *audit)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("profile", "definition", "effective_from", "note")
        if obj.status != SourcingProfileVersion.DRAFT:
            return (
                "profile",
                "number",
                "status",
                "definition_pretty",
                "effective_from",
                "note",
                "created_by",
                "created_at",
                "activated_at",
                "activated_by",
            )
        return ("profile", "status", "definition", "effective_from", "note", "created_by")

    @admin.display(description="definition")
    def definition_pretty(self, obj):
        return _pretty(obj.definition)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != SourcingProfileVersion.DRAFT:
            return False  # an active or retired version is a record: only drafts are edited
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        draft = services.profile_draft_save(
            profile=form.cleaned_data.get("profile") or obj.profile,
            definition=form.cleaned_data["definition"],
            effective_from=form.cleaned_data.get("effective_from"),
            note=form.cleaned_data.get("note") or "",
            actor=_actor(request),
        )
        obj.pk = draft.pk

    def _activate(self, request, versions) -> None:
        for version in versions:
            try:
                services.profile_version_activate(
                    profile=version.profile, number=version.number, actor=_actor(request)
                )
                messages.success(request, f"Activated {version.profile.code} v{version.number}.")
            except DomainError as exc:
                messages.warning(request, exc.message)

    @action(description="Activate selected drafts", permissions=["act"])
    def activate(self, request, queryset):
        self._activate(request, queryset.select_related("profile"))

    @action(description="Activate", url_path="activate", permissions=["act"])
    def activate_detail(self, request, object_id):
        self._activate(request, SourcingProfileVersion.objects.filter(pk=object_id))
        return redirect(reverse("admin:sourcing_sourcingprofileversion_change", args=[object_id]))

    @action(description="Simulate on order #", url_path="simulate", permissions=["view"])
    def simulate(self, request, object_id):
        version = SourcingProfileVersion.objects.select_related("profile").get(pk=object_id)
        back = reverse("admin:sourcing_sourcingprofileversion_change", args=[object_id])
        form = SimulateForm(request.POST or None)
        result = None
        if request.method == "POST" and form.is_valid():
            now = utcnow()
            try:
                profile, label = simulation.profile_choose(
                    profile_code=version.profile.code, version=version.number, now=now
                )
                case = simulation.order_case(order_id=form.cleaned_data["order"], now=now)
                result = simulation.sourcing_simulate(
                    case=case, profile=profile, label=label, now=now
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Simulate {version.profile.code} v{version.number} on an order",
            "form": form,
            "result": result,
            "back": back,
        }
        return render(request, "sourcing/simulate.html", context)


@admin.register(ProfileAudit)
class ProfileAuditAdmin(ModelAdmin):
    list_display = ("created_at", "profile", "action", "version", "actor")
    list_filter = ("action", "profile")
    search_fields = ("profile__code", "actor", "action")
    list_select_related = ("profile", "version")

    def get_readonly_fields(self, request, obj=None):
        return ("profile", "version", "action", "actor", "created_at", "data_pretty")

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description="what")
    def data_pretty(self, obj):
        return _pretty(obj.data)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the audit is written by the use cases only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DistanceZone)
class DistanceZoneAdmin(ModelAdmin):
    list_display = ("country", "postal_prefix", "region", "zone")
    list_filter = ("country", "zone")
    search_fields = ("postal_prefix", "region", "zone")


@admin.register(ZoneDistance)
class ZoneDistanceAdmin(ModelAdmin):
    list_display = ("zone_a", "zone_b", "km")
    search_fields = ("zone_a", "zone_b")


@admin.register(TransitTime)
class TransitTimeAdmin(ModelAdmin):
    list_display = ("service", "from_zone", "to_zone", "days")
    list_filter = ("service",)
    search_fields = ("service", "from_zone", "to_zone")


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = LocationSchedule
        fields = ("location", "calendar", "cost_per_shipment")

    def clean_calendar(self):
        calendar = self.cleaned_data.get("calendar") or {}
        if calendar:
            try:
                calendar_from_dict(calendar)
            except DomainError as exc:
                raise forms.ValidationError([p["message"] for p in exc.errors]) from None
        return calendar


@admin.register(LocationSchedule)
class LocationScheduleAdmin(ModelAdmin):
    form = ScheduleForm
    list_display = ("location", "cost_per_shipment", "updated_at")
    search_fields = ("location__code", "location__name")
    list_select_related = ("location",)


@admin.register(SourcingDecision)
class SourcingDecisionAdmin(ModelAdmin):
    list_display = ("order", "created_at", "profile_code", "version_number", "outcome", "trigger")
    list_filter = ("outcome", "trigger", "profile_code")
    search_fields = ("=order__id", "order__external_id", "summary")
    list_select_related = ("order",)
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        return (
            "order",
            "created_at",
            "trigger",
            "profile_code",
            "version_number",
            "outcome",
            "strategy",
            "cancel_after",
            "why",
        )

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="why")
    def why(self, obj):
        return _lines(explanation_sentences((obj.explanation or {}).get("explanation") or {}))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
