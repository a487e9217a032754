"""The console's customer e-mails (docs/shipping.md, "Customer e-mails", "In the console"):

- the templates' page: each kind set by the merchant, for every channel or one channel,
  changed through `notice_template_save` (a refusal on the field it names, nothing written);
  its Preview button renders the draft — text, and HTML in a sandboxed frame — with a sample
  order or a real one (`admin_forms.py`), saving nothing; a kind not set yet is added from its
  built-in text (`?kind=`);
- the notices, read-only and scoped by fulfillment order (as parcels' tracking).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from unfold.admin import ModelAdmin

from ordino.core.admin import SharedConfigMixin, word_column
from ordino.core.domain.errors import DomainError
from ordino.shipping.admin_records import _Records
from ordino.shipping.domain.notices import DEFAULTS, KINDS
from ordino.shipping.models import ShippingNotice, ShippingNoticeTemplate
from ordino.shipping.notices.admin_forms import NoticeTemplateForm
from ordino.shipping.notices.selectors import notice_preview
from ordino.shipping.notices.services import notice_template_save

_FIELDS = ["kind", "channel", "subject", "body", "html", "from_email", "is_active"]


@admin.register(ShippingNoticeTemplate)
class ShippingNoticeTemplateAdmin(SharedConfigMixin, ModelAdmin):
    form = NoticeTemplateForm
    list_display = ("kind", "channel_shown", "subject", "is_active", "updated_at")
    list_filter = ("kind", "channel")
    list_select_related = ("channel",)
    ordering = ("kind", "channel__code")
    change_form_after_template = "shipping/notice_preview.html"
    list_before_template = "shipping/notice_kinds.html"
    audit_by_use_case = frozenset({"add", "change"})  # notice_template_save records them
    audit_type = "shipping_notice_template"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # no use case deletes one: make it inactive

    @admin.display(description="channel", ordering="channel__code")
    def channel_shown(self, row: ShippingNoticeTemplate) -> str:
        return row.channel.code if row.channel_id else "Every channel"

    def get_readonly_fields(self, request, obj=None):
        return ("kind", "channel") if obj is not None else ()  # its identity

    def get_fields(self, request, obj=None):
        if not self.has_change_permission(request, obj):
            return _FIELDS
        return [*_FIELDS, "reason", "preview_order"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        kind = request.GET.get("kind", "")
        if kind not in DEFAULTS:
            return {}
        built_in = DEFAULTS[kind]
        return {"kind": kind, "subject": built_in.subject, "body": built_in.body,
                "html": built_in.html}  # fmt: skip

    def save_model(self, request, obj, form: NoticeTemplateForm, change: bool) -> None:
        actor = f"user:{request.user.get_username()}"
        saved, _ = notice_template_save(command=form.command(), actor=actor)
        obj.pk = saved.pk

    def changelist_view(self, request, extra_context=None):
        every = ShippingNoticeTemplate.objects.filter(channel__isnull=True)
        set_kinds = set(every.values_list("kind", flat=True))
        missing = [k for k in KINDS if k not in set_kinds]
        extra = {"built_in_kinds": missing, "may_add": self.has_add_permission(request)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = (
            self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        )
        channel = row.channel.code if row is not None and row.channel_id else ""
        shown = row is not None and request.method == "GET"  # a POST shows the draft's own
        extra = {"preview": _preview(row.kind, channel) if shown else None}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def add_view(self, request, form_url="", extra_context=None):
        kind = request.GET.get("kind", "")
        shown = kind in DEFAULTS and request.method == "GET"  # a POST shows the draft's own
        extra = {"preview": _preview(kind, "") if shown else None}
        return super().add_view(request, form_url, {**extra, **(extra_context or {})})


def _preview(kind: str, channel: str) -> dict | None:
    """What is saved (or the built-in text), with the sample order."""
    try:
        return notice_preview(kind=kind, channel=channel)
    except DomainError:  # a template saved before a check it now fails: no preview
        return None


@admin.register(ShippingNotice)
class ShippingNoticeAdmin(_Records):
    """Each customer e-mail of a shipment: sent (what it said), skipped (why) or failed."""

    kind_word = word_column("kind")
    status_word = word_column("status")
    list_display = ("id", "kind_word", "tracking_number", "status_word", "reason", "email",
                    "sent_at", "fulfillment_link")  # fmt: skip
    list_filter = ("kind", "status", "reason")
    search_fields = ("tracking_number", "email")
    ordering = ("-id",)
    fields = ("shipment", "fulfillment_order", "order_id", "kind", "tracking_number", "status",
              "reason", "email", "subject", "body", "created_at", "sent_at")  # fmt: skip
    readonly_fields = fields
