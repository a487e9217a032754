"""The console's carriers' services (Settings → Shipping services; docs/shipping.md, "In the
console"): a list, a service's settings added and changed through `carrier_service_save`, its
zones, brackets and surcharges shown read-only, a zone table or rate sheet uploaded and a
surcharge set or removed through their use cases. Every change needs the model's change
permission (`shipping.change_carrierservice`, as the API asks) and a user not limited to some
channels or locations: services rate every location's parcels (shared configuration)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import admin, messages
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from unfold.admin import ModelAdmin
from unfold.decorators import action

from ordino.core.admin import SharedConfigMixin, word_column, word_filter
from ordino.core.domain.display import money_display
from ordino.core.domain.errors import DomainError
from ordino.shipping import (  # noqa: F401  (admin_boxes, admin_policies, admin_records)
    admin_boxes,
    admin_policies,
    admin_records,
    selectors,
    services,
)
from ordino.shipping.admin_forms import (
    SETTINGS,
    ServiceActiveForm,
    ServiceAddForm,
    ServiceForm,
    SurchargeForm,
    TableUploadForm,
    refusal_show,
)
from ordino.shipping.domain.quote import SURCHARGE_KINDS
from ordino.shipping.models import (
    Carrier,
    CarrierAccount,
    CarrierService,
    LabelPurchase,
    RateBracket,
    ServiceSurcharge,
    ServiceZone,
)
from ordino.shipping.notices import admin as notices_admin  # noqa: F401  (the e-mails' pages)

SHOWN_ROWS = 100  # of a table on the service's page; the whole table is on its own list
CHANGE = "shipping.change_carrierservice"


def _actor(request: HttpRequest) -> str:
    return f"user:{request.user.get_username()}"


@admin.register(CarrierService)
class CarrierServiceAdmin(SharedConfigMixin, ModelAdmin):
    list_display = ("carrier", "code", "name", "currency", "unit", "transit_days",
                    "max_weight_shown", "zones_column", "brackets_column", "is_active")  # fmt: skip
    list_filter = ("carrier", "is_active")
    search_fields = ("code", "name", "carrier__code", "carrier__name")
    list_select_related = ("carrier",)
    ordering = ("carrier__code", "code")
    actions_detail = ["upload", "surcharge", "switch"]
    change_form_after_template = "shipping/service_tables.html"
    # Not a role's action: the model's change permission, as the API asks (the permission
    # tests give it by codename, tests/admin/test_console_permissions.py).
    act_action = "change_carrierservice"
    audit_by_use_case = frozenset({"add", "change"})  # shipping/services.py records them

    def get_queryset(self, request):
        # with each service's zone and bracket row counts (subqueries) and its surcharges
        ordering = self.get_ordering(request)
        return selectors.service_list().order_by(*ordering)

    @admin.display(description="max weight", ordering="max_weight")
    def max_weight_shown(self, obj) -> str:
        return _plain(obj.max_weight)

    @admin.display(description="zone rows", ordering="zone_rows")
    def zones_column(self, obj) -> int:
        return obj.zone_rows

    @admin.display(description="brackets", ordering="bracket_rows")
    def brackets_column(self, obj) -> int:
        return obj.bracket_rows

    # -- permissions: one change permission for every write, add included (as the API's PUT)

    def has_add_permission(self, request) -> bool:
        return self.has_change_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # no use case deletes a service (its rates and audit would lose their subject)

    def has_act_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request)

    # -- the service's settings, through carrier_service_save

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = ServiceForm if obj is not None else ServiceAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("carrier_code", "carrier_name", "code", *SETTINGS, "reason")
        fields = ["carrier", "code", *SETTINGS, "is_active", "zones_loaded_at", "rates_loaded_at"]
        if self.has_change_permission(request, obj):
            fields.append("reason")  # a reader changes nothing: no reason to give
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("carrier", "code", "is_active", "zones_loaded_at", "rates_loaded_at")

    def save_model(self, request, obj: CarrierService, form: ServiceForm, change: bool) -> None:
        saved = services.carrier_service_save(command=form.command(), actor=_actor(request))
        obj.pk, obj.carrier = saved.pk, saved.carrier

    def change_view(self, request, object_id, form_url="", extra_context=None):
        service = self._found(request, object_id)
        extra = {**self._tables(request, service), **(extra_context or {})} if service else {}
        return super().change_view(request, object_id, form_url, extra or extra_context)

    def _tables(self, request, service: CarrierService) -> dict:
        def listed(model) -> str:
            url = reverse(f"admin:shipping_{model._meta.model_name}_changelist")
            return f"{url}?service__id__exact={service.pk}"

        may_change = self.has_act_permission(request)
        brackets = service.brackets.all()[:SHOWN_ROWS]
        surcharge_url = reverse("admin:shipping_carrierservice_surcharge", args=[service.pk])
        return {
            "zones": list(service.zones.all()[:SHOWN_ROWS]),
            "brackets": [_bracket_row(b, service.currency) for b in brackets],
            "zone_count": service.zone_rows,
            "bracket_count": service.bracket_rows,
            "surcharges": [_surcharge_row(s, service.currency) for s in service.surcharges.all()],
            "zones_url": listed(ServiceZone),
            "brackets_url": listed(RateBracket),
            "surcharge_url": surcharge_url if may_change else "",
        }

    # -- the tables, through their use cases

    def _found(self, request, object_id) -> CarrierService | None:
        digits = str(object_id).isdigit()
        return self.get_queryset(request).filter(pk=object_id).first() if digits else None

    def _service(self, request, object_id) -> CarrierService:
        found = self._found(request, object_id)
        if found is None:
            raise Http404("No such service.")
        return found

    def _page(self, request, service, form, title: str, submits, refused=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title, "service": service, "form": form, "submits": submits,
            "refused": refused, "opts": self.model._meta,
            "back": reverse("admin:shipping_carrierservice_change", args=[service.pk]),
        }  # fmt: skip
        return render(request, "shipping/service_form.html", context)

    @action(description="Upload zones or rates", url_path="upload", permissions=["act"])
    def upload(self, request, object_id):
        service = self._service(request, object_id)
        form = TableUploadForm(request.POST or None, request.FILES or None)
        refused = None
        if request.method == "POST" and form.is_valid():
            kind = form.cleaned_data["kind"]
            load = services.service_zones_load if kind == "zones" else services.service_rates_load
            data = form.cleaned_data["file"].read()
            try:
                rows = load(service_key=str(service), data=data, actor=_actor(request))
            except DomainError as exc:
                refused = exc  # every bad row is listed; the table before stands
            else:
                what = "zone rows" if kind == "zones" else "rate brackets"
                messages.success(request, f"{service}: {rows} {what} loaded, replacing the table.")
                return redirect("admin:shipping_carrierservice_change", service.pk)
        submits = [("_upload", "Replace the table")]
        return self._page(request, service, form, "Upload a table", submits, refused)

    @action(description="Set or remove a surcharge", url_path="surcharge", permissions=["act"])
    def surcharge(self, request, object_id):
        service = self._service(request, object_id)
        kind = request.GET.get("kind", "")
        row = service.surcharges.filter(kind=kind).first() if kind in SURCHARGE_KINDS else None
        form = SurchargeForm(request.POST or None, initial=_initial(row, kind))
        if request.method == "POST" and form.is_valid():
            remove = "_remove" in request.POST
            done = self._surcharge_save(request, service, form, remove)
            if done:
                return redirect("admin:shipping_carrierservice_change", service.pk)
        submits = [("_set", "Set the surcharge"), ("_remove", "Remove it")]
        return self._page(request, service, form, "Set or remove a surcharge", submits)

    @action(description="Activate or deactivate", url_path="switch", permissions=["act"])
    def switch(self, request, object_id):
        """An inactive service is never quoted nor chosen; its tables stay (docs/shipping.md)."""
        service = self._service(request, object_id)
        form = ServiceActiveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            active = "_activate" in request.POST
            services.carrier_service_activate(
                service_key=str(service), active=active, actor=_actor(request),
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
            messages.success(request, f"{service} is {'active' if active else 'inactive'}.")
            return redirect("admin:shipping_carrierservice_change", service.pk)
        title = f"{service} is {'active' if service.is_active else 'inactive'}"
        submit = ("_deactivate", "Deactivate") if service.is_active else ("_activate", "Activate")
        return self._page(request, service, form, title, [submit])

    def _surcharge_save(self, request, service, form: SurchargeForm, remove: bool) -> bool:
        surcharge = form.surcharge()
        if remove and not service.surcharges.filter(kind=surcharge.kind).exists():
            form.add_error("kind", f"No {surcharge.kind.replace('_', ' ')} surcharge is set.")
            return False
        try:
            services.service_surcharge_set(
                service_key=str(service), surcharge=surcharge, actor=_actor(request),
                remove=remove,
            )  # fmt: skip
        except DomainError as exc:
            refusal_show(form, exc)
            return False
        verb = "removed" if remove else "set"
        messages.success(
            request, f"{service}: {surcharge.kind.replace('_', ' ')} surcharge {verb}."
        )
        return True


def _plain(value: Decimal) -> str:
    """3.500 → "3.5", 0.000 → "0": the columns keep 3 decimals, people read the number."""
    return f"{value.normalize():f}"


def _bracket_row(b: RateBracket, currency: str) -> dict:
    return {"zone": b.zone, "above": _plain(b.above), "up_to": _plain(b.up_to),
            "price": money_display(b.price, currency), "row": b.row}  # fmt: skip


def _surcharge_row(s: ServiceSurcharge, currency: str) -> dict:
    def dim(v: Decimal) -> str:
        return _plain(v) if v else "—"

    return {
        "kind": s.kind, "amount": money_display(s.amount, currency) if s.amount else "—",
        "percent": f"{_plain(s.percent)} %" if s.percent else "—", "longest": dim(s.longest),
        "length_plus_girth": dim(s.length_plus_girth), "prefixes": ", ".join(s.prefixes) or "—",
    }  # fmt: skip


def _initial(row: ServiceSurcharge | None, kind: str) -> dict:
    if row is None:
        return {"kind": kind} if kind in SURCHARGE_KINDS else {}
    return {
        "kind": row.kind, "amount": row.amount, "percent": row.percent, "longest": row.longest,
        "length_plus_girth": row.length_plus_girth, "prefixes": ", ".join(row.prefixes),
    }  # fmt: skip


class ReadOnlyAdmin(ModelAdmin):
    """Rows changed only through the service's use cases: listed and shown, never edited."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Carrier)
class CarrierAdmin(ReadOnlyAdmin):
    """Carriers are made by their first service (`carrier_service_save`)."""

    list_display = ("code", "name", "is_active", "created_at")
    search_fields = ("code", "name")


@admin.register(ServiceZone)
class ServiceZoneAdmin(ReadOnlyAdmin):
    list_display = ("service", "row", "zone", "country", "region", "postal_prefix")
    list_filter = ("service",)
    search_fields = ("zone", "country", "region", "postal_prefix")
    list_select_related = ("service__carrier",)


@admin.register(RateBracket)
class RateBracketAdmin(ReadOnlyAdmin):
    list_display = ("service", "zone", "above", "up_to", "price", "row")
    list_filter = ("service",)
    search_fields = ("zone",)
    list_select_related = ("service__carrier",)


@admin.register(ServiceSurcharge)
class ServiceSurchargeAdmin(ReadOnlyAdmin):
    kind_word = word_column("kind")
    list_display = ("service", "kind_word", "amount", "percent", "longest", "length_plus_girth")
    list_filter = ("service", word_filter("kind", SURCHARGE_KINDS))
    search_fields = ("kind", "service__code", "service__carrier__code")
    list_select_related = ("service__carrier",)


@admin.register(CarrierAccount)
class CarrierAccountAdmin(ReadOnlyAdmin):
    """Changed through `carrier_account_save` (the API, `ordino shipping account`); the API key
    is never shown, only whether one is kept."""

    list_display = ("code", "name", "adapter", "has_api_key", "is_active", "updated_at")
    fields = ("code", "name", "adapter", "has_api_key", "is_active", "created_at", "updated_at")
    readonly_fields = ("has_api_key",)
    search_fields = ("code", "name")

    @admin.display(boolean=True, description="API key")
    def has_api_key(self, obj: CarrierAccount) -> bool:
        return bool(obj.api_key_encrypted)


@admin.register(LabelPurchase)
class LabelPurchaseAdmin(ReadOnlyAdmin):
    """Labels bought from carrier accounts (docs/shipping.md, "Label purchase"): written by
    `label_purchase` and `label_void` only."""

    status_word = word_column("status")
    list_display = ("id", "fulfillment_order", "parcel", "account", "status_word",
                    "tracking_number", "amount", "currency", "attempts", "updated_at")  # fmt: skip
    list_filter = (word_filter("status", [s for s, _ in LabelPurchase.STATUSES]), "account")
    search_fields = ("tracking_number", "key", "provider_id")
    list_select_related = ("account", "fulfillment_order")
    exclude = ("rate", "measures")
