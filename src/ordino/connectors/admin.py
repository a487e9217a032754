"""The console's connectors (docs/connectors.md, "Console"): connections (credentials
write-only: a blank field keeps the stored secret), inbound messages with Replay, and Poll now.
Every button calls the same use case as the API; an unrestricted user's pages only, as the API
refuses a restricted token."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from unfold.admin import ModelAdmin
from unfold.decorators import action
from unfold.widgets import UnfoldAdminPasswordWidget

from ordino.connectors import services
from ordino.connectors.models import Connection, InboundMessage
from ordino.connectors.platforms import PLATFORMS
from ordino.core.admin import ActionPermissionMixin, NetworkWideMixin, word_column
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint


def _actor(request) -> str:
    return f"user:{request.user.get_username()}"


class ConnectionForm(forms.ModelForm):
    platform = forms.ChoiceField(choices=[(code, code) for code in sorted(PLATFORMS)])
    access_token = forms.CharField(
        required=False, max_length=500, widget=UnfoldAdminPasswordWidget(render_value=False),
        help_text="Write-only: leave blank to keep the stored token.",
    )  # fmt: skip
    webhook_secret = forms.CharField(
        required=False, max_length=500, widget=UnfoldAdminPasswordWidget(render_value=False),
        help_text="Write-only: the app's secret that signs webhooks; blank keeps it.",
    )  # fmt: skip

    class Meta:
        model = Connection
        fields = ("channel", "platform", "base_url", "is_active", "poll_interval_seconds",
                  "inventory_location_id")  # fmt: skip


@admin.register(Connection)
class ConnectionAdmin(NetworkWideMixin, ActionPermissionMixin, ModelAdmin):
    form = ConnectionForm
    act_action = "manage_integrations"
    network_wide = True
    audit_by_use_case = frozenset({"add", "change"})  # connection_create/update audit
    list_display = ("channel", "platform", "base_url", "is_active", "poll_interval_seconds",
                    "last_poll_at", "last_poll_error")  # fmt: skip
    list_filter = ("platform", "is_active")
    readonly_fields = ("updated_after", "last_poll_at", "last_poll_error", "created_at")
    actions = ["poll_now"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ("channel", "platform") if obj is not None else ()
        return (*fixed, *self.readonly_fields)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # its messages keep it: deactivate instead

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        values = services.ConnectionSettings(
            platform=None if change else data["platform"], base_url=data["base_url"],
            access_token=data.get("access_token") or None,
            webhook_secret=data.get("webhook_secret") or None,
            is_active=data["is_active"], poll_interval_seconds=data["poll_interval_seconds"],
            inventory_location_id=data.get("inventory_location_id") or 0,
        )  # fmt: skip
        if change:
            saved = services.connection_update(connection=obj, values=values)
        else:
            saved = services.connection_create(channel=data["channel"].code, values=values)
        obj.pk = saved.pk
        obj.refresh_from_db()

    @action(description="Poll now", permissions=["act"])
    def poll_now(self, request, queryset):
        for connection in queryset:
            result = services.connection_poll(connection=connection)
            if result.error:
                messages.warning(request, f"{connection}: {result.error}")
            else:
                messages.success(
                    request, f"{connection}: {result.pulled} order(s) pulled, {result.new} new."
                )


@admin.register(InboundMessage)
class InboundMessageAdmin(NetworkWideMixin, ActionPermissionMixin, ModelAdmin):
    act_action = "manage_integrations"
    network_wide = True
    list_display = ("id", "connection", "source", "topic", "external_order_id", "status_word",
                    "error_message", "order_id", "attempts", "received_at")  # fmt: skip
    list_filter = ("status", "source", "connection")
    search_fields = ("external_order_id", "delivery_id")
    actions = ["replay"]
    actions_detail = ["replay_one"]
    status_word = word_column("status", "Status")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # nothing accepted is ever lost

    def _replay(self, request, message_ids) -> None:
        done, failed = 0, []
        for message_id in message_ids:
            try:
                with savepoint():
                    message = services.message_replay(
                        message=InboundMessage.objects.get(pk=message_id), actor=_actor(request)
                    )
            except DomainError as exc:
                failed.append(f"#{message_id}: {exc.message}")
                continue
            if message.status == "failed":
                failed.append(f"#{message_id}: {message.error_path} {message.error_message}")
            else:
                done += 1
        if done:
            messages.success(request, f"Replayed {done} message(s).")
        if failed:
            messages.warning(request, "Still failing: " + "; ".join(failed))

    @action(description="Replay", permissions=["act"])
    def replay(self, request, queryset):
        self._replay(request, list(queryset.values_list("pk", flat=True)))

    @action(description="Replay", url_path="replay", permissions=["act"])
    def replay_one(self, request, object_id):
        self._replay(request, [int(object_id)])
        return redirect("admin:connectors_inboundmessage_change", object_id)
