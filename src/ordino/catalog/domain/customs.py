"""A SKU's customs data (docs/catalog-and-customers.md, "Customs data"): what an international
parcel's declaration says of each item. Pure Python.

- HS tariff number: the Harmonized System code, 6 to 10 digits (the 6 of the HS itself, up to
  4 more of a national tariff); dots and blanks as printed ("6109.10.00") are dropped.
- Country of origin: ISO 3166-1 alpha-2, where the goods were made (not shipped from).
- Customs description: what a customs officer reads, at most 100 characters; blank, the SKU's
  name is declared.
Each may be blank: a SKU without them is refused only when a parcel needs a declaration."""

from __future__ import annotations

from ordino.core.domain.countries import country_normalise
from ordino.core.domain.errors import DomainError

HS_DIGITS = (6, 10)
DESCRIPTION_MAX = 100


def hs_code_check(value: str | None) -> str:
    """The digits of an HS tariff number ('6109.10 00' → '61091000'); '' for none."""
    raw = (value or "").strip()
    digits = raw.replace(".", "").replace(" ", "")
    if not digits:
        return ""
    low, high = HS_DIGITS
    if not digits.isascii() or not digits.isdigit() or not low <= len(digits) <= high:
        raise DomainError(
            "invalid_hs_code",
            f"hs_code {raw!r} must be {low} to {high} digits (dots and blanks are ignored).",
            field="hs_code",
        )
    return digits


def origin_country_check(value: str | None) -> str:
    """An ISO 3166-1 alpha-2 country of origin in upper case; '' for none."""
    return country_normalise(value or "", field="origin_country", required=False)


def customs_description_check(value: str | None) -> str:
    text = " ".join((value or "").split())
    if len(text) > DESCRIPTION_MAX:
        raise DomainError(
            "invalid_customs_description",
            f"customs_description is at most {DESCRIPTION_MAX} characters.",
            field="customs_description",
        )
    return text
