"""Card numbers never enter Ordino (docs/design.md §6): a token, a reference or a last4 that
looks like a card number (PAN) is refused, not stored."""

from __future__ import annotations

import re

from ordino.core.domain.errors import DomainError

_DIGITS = re.compile(r"\d[\d -]{10,}\d")


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def looks_like_pan(text: str) -> bool:
    """12 to 19 digits (spaces and dashes ignored) passing the Luhn check, anywhere in text."""
    for run in _DIGITS.findall(text):
        digits = re.sub(r"[ -]", "", run)
        if 12 <= len(digits) <= 19 and luhn_valid(digits):
            return True
    return False


def card_data_check(*, token: str, brand: str, last4: str, field: str = "payments") -> None:
    for name, value in (("token", token), ("brand", brand)):
        if looks_like_pan(value):
            raise DomainError(
                "card_number_refused",
                "That looks like a card number: send the provider's token, never the number.",
                field=f"{field}.{name}",
            )
    if last4 and not re.fullmatch(r"\d{4}", last4):
        raise DomainError("invalid_last4", "last4 is four digits.", field=f"{field}.last4")
