"""The risk signals and the score (docs/risk.md, "The score").

Each signal has a strength from 0 to 1 (velocity grows with the other orders seen, up to the
settings' `velocity_limit`; the others are 0 or 1) and adds `round(weight × strength)` points;
the score is the sum, capped at 100. Deterministic: the same inputs, history and settings give
the same score, and every point is explained by a signal."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ordino.risk.domain.settings import SIGNALS, RiskSettings

SCORE_MAX = 100
# Throwaway inbox providers: an order paid with someone else's card rarely gives a real inbox.
DISPOSABLE_DOMAINS = frozenset({
    "mailinator.com", "guerrillamail.com", "guerrillamail.net", "10minutemail.com",
    "temp-mail.org", "tempmail.com", "yopmail.com", "trashmail.com", "sharklasers.com",
    "getnada.com", "dispostable.com", "maildrop.cc", "throwawaymail.com", "fakeinbox.com",
})  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class RiskInputs:
    """What the score looks at, normalised (keys empty when unknown)."""

    email: str = ""
    phone: str = ""
    address_key: str = ""  # `address_key()` of the shipping address
    card_key: str = ""  # the provider's card fingerprint
    shipping_country: str = ""
    billing_country: str = ""
    shipping_name: str = ""
    billing_name: str = ""
    card_holder: str = ""
    currency: str = ""
    total: Decimal = Decimal(0)


@dataclass(frozen=True)
class History:
    """What other orders say: how many share each key in the window, and how many orders the
    customer placed before (None: a guest, no customer known)."""

    same_email: int = 0
    same_phone: int = 0
    same_address: int = 0
    same_card: int = 0
    earlier_orders: int | None = None


@dataclass(frozen=True)
class Signal:
    code: str
    weight: int
    strength: Decimal  # 0 to 1
    points: int  # round(weight × strength), half up
    detail: str  # why, in words


def address_key(address: Mapping | None) -> str:
    """One shipping address however it was typed: country, postal code and first line, lower
    case, letters and digits only."""
    if not address:
        return ""
    parts = (address.get("country", ""), address.get("postal_code", ""), address.get("line1", ""))
    key = "|".join(_NOT_WORD.sub("", _plain(str(p))) for p in parts)
    return "" if key.replace("|", "") == "" else key[:200]


def name_tokens(name: str) -> frozenset[str]:
    """A name's words without accents, case or punctuation; initials left out ("Ana M. Garcia"
    and "García, Ana" are the same words)."""
    return frozenset(w for w in _NOT_WORD.split(_plain(name)) if len(w) > 1)


def names_match(a: str, b: str) -> bool:
    """One person: the shorter name's words are all in the longer one. An unknown name
    matches anything (it says nothing)."""
    x, y = name_tokens(a), name_tokens(b)
    if not x or not y:
        return True
    return x <= y or y <= x


def signals_of(inputs: RiskInputs, history: History, settings: RiskSettings) -> tuple[Signal, ...]:
    """Every signal, in the order of `SIGNALS`, with the points it adds."""
    found = {
        "velocity_email": _velocity(history.same_email, "e-mail", inputs.email, settings),
        "velocity_phone": _velocity(history.same_phone, "phone", inputs.phone, settings),
        "velocity_address": _velocity(
            history.same_address, "shipping address", inputs.address_key, settings
        ),
        "velocity_card": _velocity(history.same_card, "card", inputs.card_key, settings),
        "country_mismatch": _countries(inputs),
        "first_order_high_value": _first_high(inputs, history, settings),
        "name_mismatch": _names(inputs),
        "email_disposable": _disposable(inputs.email),
    }
    return tuple(_signal(code, *found[code], settings) for code in SIGNALS)


def score_of(signals: tuple[Signal, ...]) -> int:
    """The signals' points added up, 0 to 100."""
    return max(0, min(SCORE_MAX, sum(s.points for s in signals)))


def _signal(code: str, strength: Decimal, detail: str, settings: RiskSettings) -> Signal:
    weight = settings.weights.get(code, 0)
    points = int((weight * strength).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Signal(code, weight, strength, points, detail)


def _velocity(others: int, what: str, key: str, s: RiskSettings) -> tuple[Decimal, str]:
    if not key:
        return Decimal(0), f"no {what} to compare"
    strength = min(Decimal(1), Decimal(max(0, others)) / Decimal(s.velocity_limit))
    return strength.quantize(Decimal("0.0001")), (
        f"{others} other order(s) with this {what} in the last {s.velocity_hours} h "
        f"(full weight at {s.velocity_limit})"
    )


def _countries(i: RiskInputs) -> tuple[Decimal, str]:
    if not i.billing_country or not i.shipping_country:
        return Decimal(0), "billing or shipping country unknown"
    if i.billing_country.upper() == i.shipping_country.upper():
        return Decimal(0), f"billing and shipping in {i.shipping_country.upper()}"
    billed, shipped = i.billing_country.upper(), i.shipping_country.upper()
    return Decimal(1), f"billed in {billed}, shipped to {shipped}"


def _first_high(i: RiskInputs, h: History, s: RiskSettings) -> tuple[Decimal, str]:
    threshold = s.high_value.get(i.currency)
    if threshold is None:
        return Decimal(0), f"no high value set for {i.currency or 'the currency'}"
    if h.earlier_orders:
        return Decimal(0), f"the customer ordered {h.earlier_orders} time(s) before"
    who = "a guest's order" if h.earlier_orders is None else "the customer's first order"
    if i.total < threshold:
        return Decimal(0), f"{who}, under {format(threshold, 'f')} {i.currency}"
    high = f"high from {format(threshold, 'f')}"
    return Decimal(1), f"{who} of {format(i.total, 'f')} {i.currency} ({high})"


def _names(i: RiskInputs) -> tuple[Decimal, str]:
    named = [(w, n) for w, n in (("billing", i.billing_name), ("shipping", i.shipping_name),
                                 ("card holder", i.card_holder)) if name_tokens(n)]  # fmt: skip
    for k, (first, a) in enumerate(named):
        for second, b in named[k + 1 :]:
            if not names_match(a, b):
                return Decimal(1), f"{first} name {a!r} is not {second} name {b!r}"
    if len(named) < 2:
        return Decimal(0), "fewer than two names to compare"
    return Decimal(0), f"{' and '.join(w for w, _ in named)} names match"


def _disposable(email: str) -> tuple[Decimal, str]:
    domain = email.rpartition("@")[2].lower()
    if domain and domain in DISPOSABLE_DOMAINS:
        return Decimal(1), f"{domain} is a throwaway e-mail domain"
    return Decimal(0), "no e-mail" if not domain else f"{domain} is not a throwaway domain"


def _plain(text: str) -> str:
    """Lower case without accents ("García" is "garcia")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
