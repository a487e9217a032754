"""The console's customer e-mails (docs/shipping.md, "Customer e-mails", "In the console"):

- the templates' page: each kind set by the merchant, changed through `notice_template_save`
  (a refusal on the field it names, nothing written), its preview with a sample order below
  the form; a kind not set yet is added from its built-in text (`?kind=`);
- the notices, read-only and scoped by fulfillment order (as parcels' tracking).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from unfold.admin import ModelAdmin
from unfold.widgets import (
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from ordino.core.admin import SharedConfigMixin, word_column
from ordino.core.domain.errors import DomainError
from ordino.shipping.admin_forms import refusal_show
from ordino.shipping.admin_records import _Records
from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain.notices import DEFAULTS, KINDS, VARIABLES
from ordino.shipping.models import ShippingNotice, ShippingNoticeTemplate
from ordino.shipping.notices.selectors import notice_preview
from ordino.shipping.notices.services import notice_template_check, notice_template_save


class NoticeTemplateForm(forms.ModelForm):
    """A template, turned into the use case's command and checked by it before anything is
    written: an unknown variable is refused on its field, naming it."""

    kind = forms.ChoiceField(choices=[(k, k.replace("_", " ")) for k in KINDS],
                             widget=UnfoldAdminSelectWidget)  # fmt: skip
    body = forms.CharField(
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 14}),
        help_text="Django template language. Variables: " + ", ".join(VARIABLES) + ".",
    )  # fmt: skip
    reason = forms.CharField(
        max_length=255, required=False, widget=UnfoldAdminTextInputWidget,
        help_text="Kept in the audit log with the change.",
    )  # fmt: skip

    class Meta:
        model = ShippingNoticeTemplate
        fields = ("kind", "subject", "body", "is_active")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            notice_template_check(self.command())
        except DomainError as exc:
            refusal_show(self, exc)
        return data

    def command(self) -> NoticeTemplateSettings:
        d = self.cleaned_data
        return NoticeTemplateSettings(
            kind=self.instance.kind or d["kind"], subject=d["subject"], body=d["body"],
            is_active=d.get("is_active", True), reason=d.get("reason", ""),
        )  # fmt: skip


@admin.register(ShippingNoticeTemplate)
class ShippingNoticeTemplateAdmin(SharedConfigMixin, ModelAdmin):
    form = NoticeTemplateForm
    list_display = ("kind", "subject", "is_active", "updated_at")
    ordering = ("kind",)
    change_form_after_template = "shipping/notice_preview.html"
    list_before_template = "shipping/notice_kinds.html"
    audit_by_use_case = frozenset({"add", "change"})  # notice_template_save records them
    audit_type = "shipping_notice_template"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # no use case deletes one: make it inactive

    def get_readonly_fields(self, request, obj=None):
        return ("kind",) if obj is not None else ()

    def get_fields(self, request, obj=None):
        fields = ["kind", "subject", "body", "is_active"]
        return [*fields, "reason"] if self.has_change_permission(request, obj) else fields

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        kind = request.GET.get("kind", "")
        if kind not in DEFAULTS:
            return {}
        built_in = DEFAULTS[kind]
        return {"kind": kind, "subject": built_in.subject, "body": built_in.body}

    def save_model(self, request, obj, form: NoticeTemplateForm, change: bool) -> None:
        actor = f"user:{request.user.get_username()}"
        saved, _ = notice_template_save(command=form.command(), actor=actor)
        obj.pk = saved.pk

    def changelist_view(self, request, extra_context=None):
        set_kinds = set(ShippingNoticeTemplate.objects.values_list("kind", flat=True))
        missing = [k for k in KINDS if k not in set_kinds]
        extra = {"built_in_kinds": missing, "may_add": self.has_add_permission(request)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = (
            self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        )
        extra = {"preview": _preview(row.kind)} if row is not None else {}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def add_view(self, request, form_url="", extra_context=None):
        kind = request.GET.get("kind", "")
        extra = {"preview": _preview(kind)} if kind in DEFAULTS else {}
        return super().add_view(request, form_url, {**extra, **(extra_context or {})})


def _preview(kind: str) -> dict | None:
    try:
        return notice_preview(kind=kind)
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
