"""The console's sourcing screens. Profiles change only through the use cases: saving a draft
validates it (bad configuration is refused with the engine's message), activation and the
default profile are actions, and every change lands in the profile's audit."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from ordino.core.admin import ActionPermissionMixin, NetworkWideMixin
from ordino.core.domain.errors import DomainError
from ordino.sourcing import services
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
from ordino.sourcing.selectors import explanation_sentences, location_names
from ordino.sourcing.summary import definition_summary


def _actor(request) -> str:
    return f"user:{request.user.get_username()}"


def _plain(value) -> str:
    """An audit value as words: lists joined, nothing as a dash."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


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
class SourcingProfileAdmin(NetworkWideMixin, ActionPermissionMixin, ModelAdmin):
    act_action = "manage_rules"  # accounts/roles.py
    network_wide = True  # shared configuration: unrestricted users only
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

    audit_by_use_case = frozenset({"add", "change"})  # profile_create, profile_rename

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


def _summary(definition: dict) -> str:
    """A definition as the rule pages show it: strategy by strategy, in words."""
    return format_html(
        "<div>{}</div>",
        format_html_join(
            "",
            "<p><strong>{}. {}</strong></p><ul>{}</ul>",
            (
                (
                    i,
                    strategy["name"],
                    format_html_join(
                        "",
                        "<li>{}: {}</li>",
                        ((label, words) for label, words in strategy["lines"]),
                    ),
                )
                for i, strategy in enumerate(definition_summary(definition), start=1)
            ),
        ),
    )


def _rules_page(name: str, version: SourcingProfileVersion) -> str:
    return reverse(f"console:{name}", args=[version.profile.code])


@admin.register(SourcingProfileVersion)
class SourcingProfileVersionAdmin(NetworkWideMixin, ActionPermissionMixin, ModelAdmin):
    """The versions as records. Drafts are written in the rule editor (console/sourcing) and
    activated there after a side-by-side review with a confirmation and a reason."""

    act_action = "manage_rules"  # accounts/roles.py
    network_wide = True  # shared configuration: unrestricted users only

    list_display = ("profile", "number", "status", "effective_from", "activated_at", "note")
    list_filter = ("status", "profile")
    search_fields = ("profile__code", "note")
    list_select_related = ("profile",)
    actions_detail = ["edit_draft", "review", "simulate"]
    fields = (
        "profile",
        "number",
        "status",
        "rule",
        "effective_from",
        "note",
        "created_by",
        "created_at",
        "activated_at",
        "activated_by",
        "retired_at",
    )
    readonly_fields = fields

    @admin.display(description="rule")
    def rule(self, obj):
        return _summary(obj.definition)

    def has_add_permission(self, request):
        return False  # a draft starts in the rule editor

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # records: drafts change in the rule editor only

    @action(description="Edit in the rule editor", url_path="edit", permissions=["act"])
    def edit_draft(self, request, object_id):
        version = SourcingProfileVersion.objects.select_related("profile").get(pk=object_id)
        return redirect(_rules_page("sourcing_rules_edit", version))

    @action(description="Review and activate", url_path="review", permissions=["act"])
    def review(self, request, object_id):
        version = SourcingProfileVersion.objects.select_related("profile").get(pk=object_id)
        return redirect(_rules_page("sourcing_rules_compare", version))

    @action(description="Try on an order", url_path="simulate", permissions=["view"])
    def simulate(self, request, object_id):
        version = SourcingProfileVersion.objects.select_related("profile").get(pk=object_id)
        return redirect(_rules_page("sourcing_rules_simulate", version))


@admin.register(ProfileAudit)
class ProfileAuditAdmin(NetworkWideMixin, ModelAdmin):
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
        data = dict(obj.data or {})
        definition = data.pop("definition", None)
        facts = format_html_join(
            "", "<li>{}: {}</li>", ((k.replace("_", " "), _plain(v)) for k, v in data.items())
        )
        rule = _summary(definition) if isinstance(definition, dict) else ""
        return format_html("<ul>{}</ul>{}", facts, rule)

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
class SourcingDecisionAdmin(NetworkWideMixin, ModelAdmin):
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
        explanation = (obj.explanation or {}).get("explanation") or {}
        return _lines(explanation_sentences(explanation, location_names()))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
