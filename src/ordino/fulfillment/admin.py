"""The location staff's console: their queue, and every step of a fulfillment order. Every
button calls the same use case as the API, so the timeline and the ledger see it."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from ordino.core.admin import ActionPermissionMixin, ScopedListMixin, word_column, word_filter
from ordino.core.console_export import ConsoleExportMixin
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import Scope
from ordino.core.transactions import savepoint
from ordino.fulfillment import services
from ordino.fulfillment.domain.status import STATUSES
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.fulfillment.selectors import fulfillment_scope_q


class FulfillmentLineInline(TabularInline):
    model = FulfillmentLine
    fields = (
        "order_line",
        "quantity",
        "quantity_shipped",
        "quantity_rejected",
        "quantity_cancelled",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ShipmentInline(TabularInline):
    model = Shipment
    fields = ("carrier", "service", "tracking_numbers", "shipped_at", "delivered_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ShipForm(forms.Form):
    carrier = forms.CharField(max_length=64, widget=UnfoldAdminTextInputWidget)
    service = forms.CharField(max_length=64, required=False, widget=UnfoldAdminTextInputWidget)
    tracking_numbers = forms.CharField(
        help_text="One or more, separated by commas.", widget=UnfoldAdminTextInputWidget
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[(r, r.replace("_", " ")) for r in services.REJECT_REASONS],
        widget=UnfoldAdminSelectWidget,
        help_text="Not found writes the units and the free count off; damaged moves them to "
        "unavailable; the others give them back. The items are routed to another location.",
    )
    note = forms.CharField(max_length=255, required=False, widget=UnfoldAdminTextInputWidget)


def _actor(request) -> str:
    return f"user:{request.user.get_username()}"


@admin.register(FulfillmentOrder)
class FulfillmentOrderAdmin(ConsoleExportMixin, ScopedListMixin, ActionPermissionMixin, ModelAdmin):
    """Location staff's queue: filter by location and status; act from the list or the page."""

    act_action = "fulfil"  # accounts/roles.py

    list_display = (
        "id",
        "order",
        "location",
        "status_word",
        "delivery_method_word",
        "created_at",
        "work",
    )
    list_filter = (word_filter("status", STATUSES), "location", "delivery_method", "order__channel")
    export_columns = (
        ("id", "Fulfillment order"),
        ("order_id", "Order number"),
        ("order__external_id", "External id"),
        ("location__code", "Location"),
        ("status", "Status"),
        ("delivery_method", "Delivery"),
        ("created_at", "Created at (UTC)"),
    )
    status_word = word_column("status")
    delivery_method_word = word_column("delivery_method", "delivery")
    search_fields = ("=id", "=order__id", "order__external_id")
    list_select_related = ("order", "location")
    date_hierarchy = "created_at"
    inlines = [FulfillmentLineInline, ShipmentInline]
    # The handover needs the customer's pickup code: it is on the store screen, not a bulk action.
    actions = ["accept", "pick", "pack", "deliver", "ready_for_pickup"]
    actions_detail = ["ship", "reject"]
    change_form_template = "fulfillment/change_form.html"

    @admin.display(description="Work")
    def work(self, obj):
        # the store screen (console/store), by path: the console sits above this module
        return format_html('<a href="/admin/store/fo/{}/">Open</a>', obj.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "has_act_permission": self.has_act_permission(request),
            "store_url": f"/admin/store/fo/{int(object_id)}/" if object_id.isdigit() else "",
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def scope_filter(self, scope: Scope) -> Q:
        return fulfillment_scope_q(scope)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a view: every step is an action calling its use case

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def _each(self, request, queryset, step, verb: str) -> None:
        done, refused = 0, []
        for fo_id in queryset.values_list("pk", flat=True):
            try:
                with savepoint():  # one refusal must not undo the others
                    step(fo_id=fo_id, actor=_actor(request))
                done += 1
            except DomainError as exc:
                refused.append(f"#{fo_id}: {exc.message}")
        if done:
            messages.success(request, f"{verb} {done} fulfillment order(s).")
        if refused:
            messages.warning(request, "Refused: " + "; ".join(refused))

    @action(description="Accept", permissions=["act"])
    def accept(self, request, queryset):
        self._each(request, queryset, services.fulfillment_accept, "Accepted")

    @action(description="Start picking", permissions=["act"])
    def pick(self, request, queryset):
        self._each(request, queryset, services.fulfillment_pick_start, "Picking")

    @action(description="Packed", permissions=["act"])
    def pack(self, request, queryset):
        self._each(request, queryset, services.fulfillment_pack, "Packed")

    @action(description="Delivered (carrier confirmed)", permissions=["act"])
    def deliver(self, request, queryset):
        self._each(request, queryset, services.fulfillment_deliver, "Delivered")

    @action(description="Ready for pickup", permissions=["act"])
    def ready_for_pickup(self, request, queryset):
        self._each(request, queryset, services.fulfillment_ready_for_pickup, "Ready")

    def _step_form(self, request, object_id, form_class, title, submit, run):
        # the user's scope (their console access): outside it 404, as the API and the lists
        reached = self.get_queryset(request).select_related("order", "location")
        fo = reached.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if fo is None:
            raise Http404("No such fulfillment order.")
        back = reverse("admin:fulfillment_fulfillmentorder_change", args=[fo.pk])
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                with savepoint():
                    message = run(fo, form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, message)
                return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "fo": fo,
            "submit": submit,
            "back": back,
        }
        return render(request, "fulfillment/step_form.html", context)

    @action(description="Ship", url_path="ship", permissions=["act"])
    def ship(self, request, object_id):
        def run(fo, data):
            services.fulfillment_ship(
                fo_id=fo.pk,
                carrier=data["carrier"],
                service=data["service"],
                tracking_numbers=[t.strip() for t in data["tracking_numbers"].split(",")],
                actor=_actor(request),
            )
            return f"Shipped everything open on #{fo.pk}."

        return self._step_form(request, object_id, ShipForm, "Ship", "Ship all open items", run)

    @action(description="Reject", url_path="reject", permissions=["act"])
    def reject(self, request, object_id):
        def run(fo, data):
            outcome = services.fulfillment_reject(
                fo_id=fo.pk, reason=data["reason"], note=data["note"], actor=_actor(request)
            )
            where = ", ".join(r["location"] for r in outcome["rerouted_to"]) or "backordered"
            return f"Rejected; re-routed to {where}."

        return self._step_form(request, object_id, RejectForm, "Reject", "Reject all open", run)
