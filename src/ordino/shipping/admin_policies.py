"""The console's policies per channel (docs/shipping.md, "Policies per channel"): the policy a
channel's rate shops choose by when the clerk names none, set and removed through the use cases
(audited with the reason). Shared configuration: seen and changed as the carriers' services are
(their permissions), never by a user limited to some channels or locations."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from unfold.admin import ModelAdmin

from ordino.core.admin import SharedConfigMixin
from ordino.core.domain.errors import DomainError
from ordino.shipping import channel_policies
from ordino.shipping.admin_forms import reason_field, refusal_show
from ordino.shipping.domain.policy import POLICIES
from ordino.shipping.models import ChannelShippingPolicy

VIEW, CHANGE = "shipping.view_carrierservice", "shipping.change_carrierservice"


class ChannelPolicyForm(forms.ModelForm):
    policy = forms.ChoiceField(choices=[(p, p.replace("_", " ")) for p in POLICIES])
    reason = reason_field(255)

    class Meta:
        model = ChannelShippingPolicy
        fields = ("channel", "policy", "promise_service")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["promise_service"] = (data.get("promise_service") or "").strip()
        try:
            channel_policies.channel_policy_check(data["policy"], data["promise_service"])
        except DomainError as exc:
            refusal_show(self, exc)
        return data


@admin.register(ChannelShippingPolicy)
class ChannelPolicyAdmin(SharedConfigMixin, ModelAdmin):
    form = ChannelPolicyForm
    list_display = ("channel", "policy", "promise_service", "updated_at")
    list_select_related = ("channel",)
    audit_by_use_case = frozenset({"add", "change", "delete"})  # channel_policies.py records them

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(VIEW)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(VIEW)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CHANGE) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(CHANGE) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(CHANGE) and super().has_delete_permission(request, obj)

    def get_fields(self, request, obj=None):
        fields = ["channel", "policy", "promise_service"]
        return [*fields, "reason"] if self.has_change_permission(request, obj) else fields

    def get_readonly_fields(self, request, obj=None):
        return ("channel",) if obj is not None else ()

    def save_model(self, request, obj, form, change: bool) -> None:
        saved, _ = channel_policies.channel_policy_set(
            channel=(obj.channel if change else form.cleaned_data["channel"]).code,
            policy=form.cleaned_data["policy"],
            promise_service=form.cleaned_data.get("promise_service", ""),
            actor=f"user:{request.user.get_username()}",
            reason=form.cleaned_data.get("reason", ""),
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        channel_policies.channel_policy_remove(
            channel=obj.channel.code, actor=f"user:{request.user.get_username()}"
        )

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset.select_related("channel"):
            self.delete_model(request, obj)
