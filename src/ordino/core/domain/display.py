"""How values read to a person in the console (docs/console.md, "Words and numbers"): money with
the currency's symbol and exactly its minor unit, codes as words, addresses as addresses. Pure
functions, so every module's console code and the template filters (`core/templatetags/
ordino_format.py`) say things the same way."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ordino.core.domain.money import MINOR_UNITS

# Symbols where one is unambiguous in a European or American shop; other currencies show
# their code ("1,000 CHF" reads better than a guessed sign).
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "BRL": "R$", "INR": "₹", "KRW": "₩"}

# Words a code's underscores would not give (`picked_up` reads "picked up" already).
WORDS = {"backordered": "on backorder", "ready_for_pickup": "ready for pickup"}


def money_display(amount: Decimal | int | str | None, currency: str) -> str:
    """`Decimal("1234.5"), "EUR"` → "€1,234.50"; exact (Decimal, never float); "—" for None."""
    if amount is None or amount == "":
        return "—"
    value = Decimal(amount)
    places = MINOR_UNITS.get(currency, 2)
    digits = f"{abs(value):,.{places}f}"
    sign = "−" if value < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{digits} {currency}"


def status_word(code: str | None) -> str:
    """`"ready_for_pickup"` → "Ready for pickup"."""
    if not code:
        return "—"
    word = WORDS.get(code, code.replace("_", " "))
    return word[:1].upper() + word[1:]


ADDRESS_ORDER = ("name", "company", "line1", "line2", "postal_code", "city", "region", "country")


def address_lines(address: Mapping | None) -> list[str]:
    """An address dict (as orders store it) → the lines a label would print."""
    if not address:
        return []
    lines = [str(address[k]) for k in ("name", "company", "line1", "line2") if address.get(k)]
    town = " ".join(str(address[k]) for k in ("postal_code", "city") if address.get(k))
    if town:
        lines.append(town)
    lines += [str(address[k]) for k in ("region", "country") if address.get(k)]
    return lines
