"""The console's forms for carriers' services (docs/shipping.md, "In the console"): each turns
what a person typed into the use case's plain command, and shows the use case's refusals on
the fields they name, before anything is written."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminFileFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from ordino.core.domain.display import status_word
from ordino.core.domain.errors import DomainError
from ordino.shipping import services
from ordino.shipping.commands import ServiceSettings
from ordino.shipping.domain.files import MAX_BYTES
from ordino.shipping.domain.quote import SURCHARGE_KINDS, Surcharge
from ordino.shipping.domain.weights import UNITS
from ordino.shipping.models import CarrierService

SETTINGS = tuple(f for f in services.AUDITED if f != "is_active")  # what the form edits


def reason_field(max_length: int = 500) -> forms.CharField:
    """The reason a person gives for a change, kept in the audit log with it (optional)."""
    return forms.CharField(
        max_length=max_length, required=False, widget=UnfoldAdminTextInputWidget,
        help_text="Kept in the audit log with the change.",
    )  # fmt: skip


def refusal_show(form: forms.Form, exc: DomainError, renamed: dict[str, str] | None = None):
    """A use case's refusal on the form: each error on the field it names (under the form's
    name for it), the others above the form."""
    renamed = renamed or {}
    shown = False
    for error in exc.errors:
        field = renamed.get(error.get("field", ""), error.get("field", ""))
        form.add_error(field if field in form.fields else None, error["message"])
        shown = True
    if not shown:
        form.add_error(None, exc.message)


class ServiceForm(forms.ModelForm):
    """A service's settings, changed through `carrier_service_save` (its carrier and code are
    its identity: fixed once created)."""

    unit = forms.ChoiceField(choices=[(u, u) for u in UNITS], widget=UnfoldAdminSelectWidget)
    reason = reason_field(255)

    class Meta:
        model = CarrierService
        fields = SETTINGS

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def identity(self) -> tuple[str, str, str]:
        """(carrier code, service code, a new carrier's name)."""
        return self.instance.carrier.code, self.instance.code, ""

    def clean(self):
        data = super().clean()
        if self.errors:
            return data  # a field the form itself refused: no command to check yet
        try:
            services.service_settings_check(self.command())
        except DomainError as exc:
            refusal_show(self, exc, {"carrier": "carrier_code"})
        return data

    def command(self) -> ServiceSettings:
        carrier, code, carrier_name = self.identity()
        data = self.cleaned_data
        return ServiceSettings(
            carrier=carrier,
            code=code,
            carrier_name=carrier_name,
            reason=data.get("reason", ""),
            **{field: data[field] for field in SETTINGS},
        )


class ServiceAddForm(ServiceForm):
    """A new service: its carrier (made when new, with its name) and its code."""

    carrier_code = forms.CharField(
        max_length=32, widget=UnfoldAdminTextInputWidget,
        help_text="e.g. dhl; a new code makes a new carrier.",
    )  # fmt: skip
    carrier_name = forms.CharField(max_length=100, required=False,
                                   widget=UnfoldAdminTextInputWidget,
                                   help_text="Only for a new carrier, e.g. DHL.")  # fmt: skip

    class Meta(ServiceForm.Meta):
        fields = ("code", *SETTINGS)

    def identity(self) -> tuple[str, str, str]:
        data = self.cleaned_data
        return data["carrier_code"].strip(), data["code"].strip(), data["carrier_name"].strip()

    def clean(self):
        data = super().clean()
        if not self.errors:
            carrier, code, _ = self.identity()
            taken = CarrierService.objects.filter(carrier__code=carrier, code=code)
            if taken.exists():  # the use case would change it: adding must not
                self.add_error("code", f"{carrier}:{code} exists already: change it on its page.")
        return data


class TableUploadForm(forms.Form):
    """A zone table or a rate sheet, replacing the service's whole table."""

    KINDS = (("zones", "Zone table (zone,country,region,postal_prefix)"),
             ("rates", "Rate sheet (zone,above,up_to,price)"))  # fmt: skip

    kind = forms.ChoiceField(choices=KINDS, widget=UnfoldAdminSelectWidget)
    file = forms.FileField(widget=UnfoldAdminFileFieldWidget,
                           help_text="UTF-8 CSV with a header row, at most 5 MB.")  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(f"At most {MAX_BYTES} bytes.")
        return upload


def _amount(label: str, digits: int, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=Decimal(0), max_digits=digits, decimal_places=3,
        widget=UnfoldAdminDecimalFieldWidget, help_text=help_text,
    )  # fmt: skip


class ServiceActiveForm(forms.Form):
    """Why a service is switched on or off, kept in the audit log (`carrier_service_activate`)."""

    reason = reason_field()


class SurchargeForm(forms.Form):
    """One kind of surcharge of a service, set or removed through `service_surcharge_set`."""

    kind = forms.ChoiceField(choices=[(k, status_word(k)) for k in SURCHARGE_KINDS],
                             widget=UnfoldAdminSelectWidget)  # fmt: skip
    amount = _amount("Amount", 9, "A flat amount in the service's currency (not fuel).")
    percent = _amount("Percent", 6, "Fuel only: a percent of the base price.")
    longest = _amount("Longest side", 7, "Oversize: past this length (cm, or in for lb).")
    length_plus_girth = _amount("Length plus girth", 7, "Oversize: past this.")
    prefixes = forms.CharField(
        required=False, max_length=20_000, widget=UnfoldAdminTextareaWidget,
        help_text="Remote area: postal code prefixes, separated by commas or spaces.",
    )  # fmt: skip

    def surcharge(self) -> Surcharge:
        data = self.cleaned_data
        zero = Decimal(0)
        return Surcharge(
            kind=data["kind"],
            amount=data["amount"] or zero,
            percent=data["percent"] or zero,
            longest=data["longest"] or zero,
            length_plus_girth=data["length_plus_girth"] or zero,
            prefixes=tuple(p for p in re.split(r"[\s,;]+", data["prefixes"]) if p),
        )
