"""How a person is recognised: a normalised e-mail and an E.164 phone number. Pure Python."""

from __future__ import annotations

import re

import phonenumbers

from ordino.core.domain.errors import DomainError

# The shape of an address, not RFC 5322: one @, no blanks, a dotted domain with a real TLD.
_EMAIL = re.compile(
    r"^[^@\s]{1,64}@(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


def email_normalise(email: str | None, *, field: str = "email") -> str:
    """'  Ada@Example.COM ' → 'ada@example.com'; '' for no e-mail; DomainError for a bad one."""
    value = (email or "").strip().lower()
    if not value:
        return ""
    if len(value) > 254 or not _EMAIL.match(value):
        raise DomainError(
            "invalid_email", f"{field} {email!r} is not a valid e-mail address.", field=field
        )
    return value


def phone_normalise(phone: str | None, *, country: str | None = None, field: str = "phone") -> str:
    """A phone number in E.164 ('+4930901820'); national numbers are read in `country`.

    '' for no phone; DomainError when the number is not valid for its region.
    """
    value = (phone or "").strip()
    if not value:
        return ""
    region = (country or "").strip().upper() or None
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        hint = "" if region or value.startswith("+") else " (give +<country code> or a country)"
        raise DomainError(
            "invalid_phone", f"{field} {phone!r} is not a phone number{hint}.", field=field
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise DomainError(
            "invalid_phone",
            f"{field} {phone!r} is not a valid phone number"
            + (f" in {region}." if region and not value.startswith("+") else "."),
            field=field,
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def name_clean(name: str | None) -> str:
    """Inner runs of blanks collapsed, ends stripped."""
    return " ".join((name or "").split())
