"""The outbox in the console: what is pending, delivered, failing (with its attempts and last
error) or dead, and a replay of failed or dead events through `outbox_event_replay`, after a
confirmation with a reason (who replayed what, and why, stays on the event)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from unfold.admin import ModelAdmin
from unfold.decorators import action

from ordino.core.admin import ActionPermissionMixin, NetworkWideMixin
from ordino.core.confirm import confirm_with_reason
from ordino.core.console_export import ConsoleExportMixin
from ordino.events.models import OutboxEvent
from ordino.events.services import outbox_event_replay

STATES = {
    "pending": ("Pending", Q(delivered_at__isnull=True, dead=False, attempts=0)),
    "delivered": ("Delivered", Q(delivered_at__isnull=False)),
    "failed": ("Failed, retrying", Q(delivered_at__isnull=True, dead=False, attempts__gt=0)),
    "dead": ("Dead (gave up)", Q(delivered_at__isnull=True, dead=True)),
}


def delivery_state(event: OutboxEvent) -> str:
    for code, (word, _) in STATES.items():
        if _matches(code, event):
            return word
    return "—"


def _matches(code: str, event: OutboxEvent) -> bool:
    if code == "delivered":
        return event.delivered_at is not None
    if event.delivered_at is not None:
        return False
    if code == "dead":
        return event.dead
    return not event.dead and (event.attempts > 0) == (code == "failed")


class DeliveryStateFilter(admin.SimpleListFilter):
    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return tuple((code, word) for code, (word, _) in STATES.items())

    def queryset(self, request, queryset):
        state = STATES.get(self.value() or "")
        return queryset.filter(state[1]) if state else queryset


@admin.register(OutboxEvent)
class OutboxEventAdmin(NetworkWideMixin, ConsoleExportMixin, ActionPermissionMixin, ModelAdmin):
    act_action = "manage_integrations"  # accounts/roles.py
    network_wide = True  # shared configuration: unrestricted users only
    list_display = (
        "id",
        "name",
        "aggregate_type",
        "aggregate_id",
        "created_at",
        "state",
        "attempts",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = (DeliveryStateFilter, "name", "aggregate_type")
    search_fields = ("=aggregate_id", "name")
    date_hierarchy = "created_at"
    ordering = ("-id",)
    actions = ["replay"]
    readonly_fields = (
        "name",
        "aggregate_type",
        "aggregate_id",
        "payload_shown",
        "created_at",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "delivered_at",
        "subscribers_done",
        "replayed_at",
        "replayed_by",
        "replay_reason",
    )
    fields = readonly_fields

    @admin.display(description="delivery")
    def state(self, obj: OutboxEvent) -> str:
        return delivery_state(obj)

    @admin.display(description="subscribers done")
    def subscribers_done(self, obj: OutboxEvent) -> str:
        """In the relay's queue mode, each subscriber that ran to its end, and when."""
        rows = obj.done_by.order_by("done_at", "subscriber")
        return "\n".join(f"{r.subscriber}: {r.done_at:%Y-%m-%d %H:%M:%S} UTC" for r in rows) or "—"

    @admin.display(description="what it says")
    def payload_shown(self, obj: OutboxEvent) -> str:
        """One "key: value" a line (nested values as text), not the raw JSON."""
        payload = obj.payload if isinstance(obj.payload, dict) else {"value": obj.payload}
        lines = [f"{key.replace('_', ' ')}: {value}" for key, value in payload.items()]
        return "\n".join(lines)[:4000] or "—"

    @action(description="Replay the selected failed or dead events", permissions=["act"])
    def replay(self, request, queryset):
        actor = f"user:{request.user.get_username()}"

        def replay_one(event_id: int, reason: str) -> None:
            outbox_event_replay(event_id=event_id, actor=actor, reason=reason)

        return confirm_with_reason(
            self,
            request,
            queryset,
            action="replay",
            title="Replay outbox events",
            verb="Replay events",
            run_one=replay_one,
            warning="Their subscribers run again: they must be idempotent (they are, by rule).",
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
