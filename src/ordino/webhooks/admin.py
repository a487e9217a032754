"""The console's outbound webhooks (Settings → Webhook endpoints, Webhook messages): endpoints
made and changed through the use cases (the signing secret shown once, after adding or
rotating), disabled with a reason, enabled; messages with their attempts, replayed after a
confirmation with a reason. Who holds `manage_integrations` (accounts/roles.py), unrestricted
users only, as the API (docs/webhooks.md, "Console")."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from ordino.core.admin import ActionPermissionMixin, NetworkWideMixin
from ordino.core.confirm import confirm_with_reason
from ordino.core.domain.errors import DomainError
from ordino.webhooks import catalog, services
from ordino.webhooks.domain.endpoints import event_types_check, url_check
from ordino.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from ordino.webhooks.services.endpoints import local_http_allowed


class EndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text="What it is sent (docs/events.md).",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "description", "event_types")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [(n, n) for n in catalog.event_types()]

    def clean_url(self):
        try:
            return url_check(self.cleaned_data["url"], allow_local_http=local_http_allowed())
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_event_types(self):
        try:
            return event_types_check(self.cleaned_data["event_types"], known=catalog.event_types())
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


def _actor(request) -> str:
    return f"user:{request.user.get_username()}"


def _secret_once(request, secret: str, what: str) -> None:
    messages.warning(
        request,
        format_html(
            "{} Its signing secret, shown this once — copy it to the receiver now: <code>{}</code>",
            what,
            secret,
        ),
    )


class IntegrationPage(NetworkWideMixin, ActionPermissionMixin, ModelAdmin):
    """Integration configuration: who may manage integrations sees and works these pages."""

    act_action = "manage_integrations"  # accounts/roles.py
    network_wide = True

    def has_view_permission(self, request, obj=None):
        return self.has_act_permission(request) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_act_permission(request) or super().has_module_permission(request)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(IntegrationPage):
    form = EndpointForm
    audit_by_use_case = frozenset({"add", "change", "delete"})  # webhooks/services records them
    list_display = ("id", "url", "description", "status", "subscribed", "created_at")
    list_filter = ("status",)
    search_fields = ("url", "description")
    ordering = ("id",)
    readonly_fields = ("status", "disabled_reason", "disabled_at", "created_at", "updated_at")
    actions = ["disable", "enable", "rotate_secret"]

    @admin.display(description="event types")
    def subscribed(self, obj: WebhookEndpoint) -> str:
        shown = ", ".join(obj.event_types[:4])
        return shown + (f" and {len(obj.event_types) - 4} more" if len(obj.event_types) > 4 else "")

    def has_add_permission(self, request):
        return self.has_act_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_act_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_act_permission(request)

    def save_model(self, request, obj: WebhookEndpoint, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.endpoint_update(
                endpoint_id=obj.pk, url=data["url"], event_types_chosen=data["event_types"],
                description=data["description"], actor=_actor(request),
            )  # fmt: skip
            return
        made = services.endpoint_create(
            url=data["url"], event_types_chosen=data["event_types"],
            description=data["description"], actor=_actor(request),
        )  # fmt: skip
        obj.pk = made.endpoint.pk
        _secret_once(request, made.secret, f"Endpoint {made.endpoint.url} added.")

    def delete_model(self, request, obj: WebhookEndpoint) -> None:
        try:
            services.endpoint_delete(endpoint_id=obj.pk, actor=_actor(request))
        except DomainError as exc:
            messages.error(request, exc.message)

    def delete_queryset(self, request, queryset) -> None:
        for endpoint in queryset:
            self.delete_model(request, endpoint)

    @action(description="Disable the selected endpoints", permissions=["act"])
    def disable(self, request, queryset):
        def disable_one(endpoint_id: int, reason: str) -> None:
            services.endpoint_disable(endpoint_id=endpoint_id, reason=reason, actor=_actor(request))

        return confirm_with_reason(
            self, request, queryset, action="disable", title="Disable webhook endpoints",
            verb="Disable", run_one=disable_one,
            warning="Nothing is sent to them, nor made for them, until they are enabled.",
        )  # fmt: skip

    @action(description="Enable the selected endpoints", permissions=["act"])
    def enable(self, request, queryset):
        for endpoint in queryset:
            services.endpoint_enable(endpoint_id=endpoint.pk, actor=_actor(request))
        messages.success(request, "Enabled: their waiting messages go again, in order.")

    @action(description="Rotate the signing secret", permissions=["act"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset[:10]:
            made = services.endpoint_secret_rotate(endpoint_id=endpoint.pk, actor=_actor(request))
            _secret_once(
                request,
                made.secret,
                f"{endpoint.url}: a new secret (the old one signs for 24 hours).",
            )


class AttemptInline(TabularInline):
    model = WebhookAttempt
    fields = ("number", "at", "status_code", "latency_ms", "error", "response_excerpt",
              "next_attempt_at", "replay")  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("number",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookMessage)
class WebhookMessageAdmin(IntegrationPage):
    inlines = [AttemptInline]
    list_display = ("webhook_id", "endpoint", "event_type", "order_id", "sequence", "state",
                    "attempts", "next_attempt_at", "delivered_at", "created_at")  # fmt: skip
    list_filter = ("state", "event_type", "endpoint")
    search_fields = ("=order_id", "=event_id", "event_type")
    date_hierarchy = "created_at"
    ordering = ("-id",)
    actions = ["replay"]
    readonly_fields = ("webhook_id", "endpoint", "event_id", "event_type", "order_id", "sequence",
                       "state", "attempts", "next_attempt_at", "delivered_at", "last_error",
                       "created_at", "says", "link")  # fmt: skip
    fields = readonly_fields

    @admin.display(description="what it says")
    def says(self, obj: WebhookMessage) -> str:
        """One "key: value" a line, not the raw JSON."""
        data = (obj.body or {}).get("data", {})
        return "\n".join(f"{k.replace('_', ' ')}: {v}" for k, v in data.items())[:4000] or "—"

    @admin.display(description="full resource")
    def link(self, obj: WebhookMessage) -> str:
        return (obj.body or {}).get("links", {}).get("self", "—")

    @action(description="Replay the selected messages (same webhook-id)", permissions=["act"])
    def replay(self, request, queryset):
        def replay_one(message_id: int, reason: str) -> None:
            services.message_replay(message_id=message_id, actor=_actor(request), reason=reason)

        return confirm_with_reason(
            self, request, queryset, action="replay", title="Replay webhook messages",
            verb="Replay", run_one=replay_one,
            warning="They are sent again with the same webhook-id: receivers that dedupe by it "
            "see each once.",
        )  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
