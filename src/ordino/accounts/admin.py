"""Console pages of access: API tokens (mint, inspect, revoke) and remembered Idempotency-Keys.

A minted token's secret is rendered once in the answer to the form itself (no redirect, no
message): it never travels in a cookie or the session, and the page is not cached."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from unfold.admin import ModelAdmin
from unfold.decorators import action

from ordino.accounts.admin_users import ManageUsersMixin
from ordino.accounts.models import ApiToken, IdempotencyKey, StaffAccess
from ordino.accounts.roles import may
from ordino.accounts.scopes import SCOPES
from ordino.accounts.services import MAX_EXPIRY_DAYS, token_create, token_revoke
from ordino.audit.admin import AuditedAdminMixin
from ordino.core.admin import ActionPermissionMixin, NetworkWideMixin, console_restricted
from ordino.core.confirm import confirm_with_reason
from ordino.core.console_export import ConsoleExportMixin
from ordino.core.domain.errors import DomainError


class TokenStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return (("active", "Active"), ("revoked", "Revoked"))

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class ApiTokenAddForm(forms.ModelForm):
    """Minting: the secret is made by `token_create` and shown once after saving."""

    scopes = forms.MultipleChoiceField(
        choices=[(s, s) for s in SCOPES],
        widget=forms.CheckboxSelectMultiple,
        help_text="A write scope includes the read scope of the same area.",
    )
    expires_in_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        help_text="Empty: the token never expires.",
    )

    class Meta:
        model = ApiToken
        fields = ("name", "owner", "scopes", "channels", "locations")


@admin.register(ApiToken)
class ApiTokenAdmin(NetworkWideMixin, ConsoleExportMixin, ActionPermissionMixin, ModelAdmin):
    act_action = "manage_integrations"  # accounts/roles.py
    network_wide = True  # shared configuration: unrestricted users only
    list_display = (
        "name",
        "prefix_shown",
        "scopes_shown",
        "limited_to",
        "created_at",
        "expires_at",
        "last_used_at",
        "status",
    )
    list_filter = (TokenStatusFilter, "created_at")
    search_fields = ("name", "prefix")
    ordering = ("-created_at",)
    actions = ["revoke_selected"]
    filter_horizontal = ("channels", "locations")
    readonly_fields = (
        "owner",
        "prefix_shown",
        "secret_hash",
        "scopes_shown",
        "channels",
        "locations",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    fields = (
        "name",
        "owner",
        "prefix_shown",
        "scopes_shown",
        "channels",
        "locations",
        "secret_hash",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("channels", "locations")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "owner", "scopes", "channels", "locations", "expires_in_days")
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    audit_by_use_case = frozenset({"add"})  # token_create records the new token

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        data = form.cleaned_data
        try:
            minted = token_create(
                name=data["name"],
                scopes=list(data["scopes"]),
                channel_codes=[c.code for c in data["channels"]] or None,
                location_codes=[loc.code for loc in data["locations"]] or None,
                expires_in_days=data.get("expires_in_days"),
                owner=data.get("owner"),
            )
        except DomainError as exc:  # the form validated already; keep the message if not
            self.message_user(request, exc.message, messages.ERROR)
            raise
        for field in ("pk", "prefix", "secret_hash", "scopes", "created_at", "expires_at"):
            setattr(obj, field, getattr(minted.token, field))
        obj._state.adding = False
        obj.minted_secret = minted.secret  # for response_add only; never stored

    def response_add(self, request, obj, post_url_continue=None) -> HttpResponse:
        secret = getattr(obj, "minted_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        response = TemplateResponse(
            request,
            "accounts/token_minted.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Token {obj.name!r} minted",
                "token": obj,
                "secret": secret,
                "change_url": reverse("admin:accounts_apitoken_change", args=[obj.pk]),
            },
        )
        add_never_cache_headers(response)
        return response

    @admin.display(description="prefix")
    def prefix_shown(self, obj: ApiToken) -> str:
        return f"{obj.prefix}…"

    @admin.display(description="scopes")
    def scopes_shown(self, obj: ApiToken) -> str:
        return ", ".join(obj.scopes) or "-"

    @admin.display(description="limited to")
    def limited_to(self, obj: ApiToken) -> str:
        limits = [f"channel {c.code}" for c in obj.channels.all()]
        limits += [f"location {loc.code}" for loc in obj.locations.all()]
        return ", ".join(limits) or "everything"

    @admin.display(description="status")
    def status(self, obj: ApiToken) -> str:
        return "revoked" if obj.revoked_at else "active"

    @action(description="Revoke the selected tokens", permissions=["act"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet):
        def revoke_one(token_id: int, reason: str) -> None:
            token = token_revoke(token=ApiToken.objects.get(pk=token_id), reason=reason)
            self.log_change(request, token, f"Revoked: {reason}")  # the page's history

        return confirm_with_reason(
            self,
            request,
            queryset.filter(revoked_at__isnull=True),
            action="revoke_selected",
            title="Revoke API tokens",
            verb="Revoke tokens",
            run_one=revoke_one,
            warning="Their callers are refused from the next request on. This cannot be undone.",
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the row stays as the record of who could call

    def has_add_permission(self, request) -> bool:
        return not console_restricted(request) and may(request.user, "manage_integrations")

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request)


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(NetworkWideMixin, ConsoleExportMixin, ModelAdmin):
    list_display = ("key", "caller_short", "state", "response_status", "created_at")
    list_filter = ("state", "response_status", "created_at")
    search_fields = ("key", "caller")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = (
        "key",
        "caller",
        "fingerprint",
        "state",
        "claimed_at",
        "created_at",
        "response_status",
        "response_content_type",
        "response_shown",
    )
    readonly_fields = fields

    @admin.display(description="caller")
    def caller_short(self, obj: IdempotencyKey) -> str:
        return f"{obj.caller[:12]}…"

    @admin.display(description="stored response")
    def response_shown(self, obj: IdempotencyKey) -> str:
        body = bytes(obj.response_body or b"")
        text = body[:4000].decode("utf-8", errors="replace")
        return text + ("…" if len(body) > 4000 else "")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StaffAccess)
class StaffAccessAdmin(AuditedAdminMixin, ManageUsersMixin, ModelAdmin):
    audit_type = "console_access"
    """Which channels and locations a console user reaches (empty: all)."""

    list_display = ("user", "channel_list", "location_list")
    filter_horizontal = ("channels", "locations")
    search_fields = ("user__username",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("channels", "locations")

    @admin.display(description="channels")
    def channel_list(self, obj) -> str:
        return ", ".join(c.code for c in obj.channels.all()) or "all"

    @admin.display(description="locations")
    def location_list(self, obj) -> str:
        return ", ".join(loc.code for loc in obj.locations.all()) or "all"
