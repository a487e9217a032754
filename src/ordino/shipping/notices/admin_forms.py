"""The console's form of a customer e-mail (docs/shipping.md, "Customer e-mails", "In the
console"): what a person typed turned into the use case's command and checked by it before
anything is written, each refusal on the field it names; its Preview button renders the draft
(with the sample order, or a real one the person reaches) and saves nothing."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.html import escape
from unfold.widgets import (
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from ordino.channels.models import Channel
from ordino.core.admin import console_scope
from ordino.core.domain.errors import DomainError
from ordino.shipping.admin_forms import reason_field, refusal_show
from ordino.shipping.commands import NoticeTemplateSettings
from ordino.shipping.domain.notices import HTML_MAX, KINDS, ORDER_NUMBER_MAX, VARIABLES
from ordino.shipping.models import ShippingNoticeTemplate
from ordino.shipping.notices.checks import notice_template_check
from ordino.shipping.notices.selectors import notice_preview

PREVIEW = "_preview"  # the Preview button's name


class NoticeTemplateForm(forms.ModelForm):
    """A template, turned into the use case's command and checked by it before anything is
    written: an unknown variable is refused on its field, naming it. Previewing validates the
    same way, then leaves the form unsaved (`is_valid` answers False, with no error)."""

    request: HttpRequest | None = None  # set by the page (ShippingNoticeTemplateAdmin.get_form)
    kind = forms.ChoiceField(choices=[(k, k.replace("_", " ")) for k in KINDS],
                             widget=UnfoldAdminSelectWidget)  # fmt: skip
    channel = forms.ModelChoiceField(
        Channel.objects.order_by("code"), required=False, to_field_name="code",
        empty_label="Every channel", widget=UnfoldAdminSelectWidget,
        help_text="Orders of this channel get this template; blank: every channel without one.",
    )  # fmt: skip
    body = forms.CharField(
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 12}), label="Text",
        help_text="Plain text. Django template language. Variables: " + ", ".join(VARIABLES) + ".",
    )  # fmt: skip
    html = forms.CharField(
        required=False, max_length=HTML_MAX, label="HTML",
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 14}),
        help_text="Optional: sent beside the text. Variables are escaped.",
    )  # fmt: skip
    from_email = forms.CharField(
        required=False, max_length=254, label="From", widget=UnfoldAdminTextInputWidget,
        help_text=escape("The sender, e.g. Shop A <shop@a.example>; blank: the default sender."),
    )  # fmt: skip
    reason = reason_field(255)
    preview_order = forms.CharField(
        required=False, max_length=ORDER_NUMBER_MAX, label="Preview with order",
        widget=UnfoldAdminTextInputWidget,
        help_text="An order's number for Preview; blank: a sample order. Never saved.",
    )  # fmt: skip

    class Meta:
        model = ShippingNoticeTemplate
        fields = ("kind", "channel", "subject", "body", "html", "from_email", "is_active")

    notice_preview: dict | None = None

    def previewing(self) -> bool:
        return self.is_bound and PREVIEW in self.data

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if valid and self.previewing():
            self._preview()
            return False  # shown, never saved
        return valid

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            notice_template_check(self.command())
        except DomainError as exc:
            refusal_show(self, exc)
        return data

    def _preview(self) -> None:
        command = self.command()
        scope = console_scope(self.request)
        try:
            self.notice_preview = notice_preview(
                kind=command.kind, subject=command.subject, body=command.body,
                html=command.html, channel=command.channel,
                order_number=self.cleaned_data.get("preview_order", ""), scope=scope,
            )  # fmt: skip
        except DomainError as exc:
            refusal_show(self, exc, renamed={"order_number": "preview_order"})

    def command(self) -> NoticeTemplateSettings:
        d, row = self.cleaned_data, self.instance
        channel = row.channel if row.pk else d.get("channel")
        return NoticeTemplateSettings(
            kind=row.kind or d["kind"], channel=channel.code if channel else "",
            subject=d["subject"], body=d["body"], html=d.get("html", ""),
            from_email=d.get("from_email", "").strip(), is_active=d.get("is_active", True),
            reason=d.get("reason", ""),
        )  # fmt: skip
