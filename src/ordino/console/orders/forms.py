"""The order page's action forms: bounded like the API's inputs (orders/schemas.py)."""

from __future__ import annotations

from django import forms

from ordino.orders.commands import OrderAddress
from ordino.orders.models import OrderLine
from ordino.orders.services.comment import COMMENT_MAX


class CommentForm(forms.Form):
    text = forms.CharField(max_length=COMMENT_MAX, strip=True, widget=forms.Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=255, strip=True)


class AddressForm(forms.Form):
    name = forms.CharField(max_length=255, required=False)
    company = forms.CharField(max_length=255, required=False)
    line1 = forms.CharField(max_length=255, label="Street and number")
    line2 = forms.CharField(max_length=255, required=False, label="Address line 2")
    postal_code = forms.CharField(max_length=32, required=False)
    city = forms.CharField(max_length=128)
    region = forms.CharField(max_length=128, required=False)
    country = forms.RegexField(
        regex=r"^[A-Za-z]{2}$", max_length=2, min_length=2, label="Country (2 letters, e.g. FR)"
    )
    phone = forms.CharField(max_length=32, required=False)

    def address(self) -> OrderAddress:
        """The new address; coordinates are dropped (they belonged to the old one)."""
        data = self.cleaned_data
        return OrderAddress(**{**data, "country": data["country"].upper()})


def line_quantities(post, lines: list[OrderLine], prefix: str) -> dict[int, int]:
    """`{line number: quantity}` from fields `<prefix><line_no>` (blank: 0); ValueError when a
    quantity is not a whole number from 0 to 100,000."""
    quantities = {}
    for line in lines:
        raw = (post.get(f"{prefix}{line.line_no}") or "0").strip()
        if not raw.isdigit() or int(raw) > 100_000:
            raise ValueError(f"Line {line.line_no}: {raw!r} is not a quantity.")
        quantities[line.line_no] = int(raw)
    return quantities
