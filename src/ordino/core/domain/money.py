"""Exact money: Decimal amounts in a currency's minor unit, and largest-remainder allocation.

No floats anywhere: an amount that carries more decimals than its currency allows is refused,
never rounded behind the caller's back.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from ordino.core.domain.errors import DomainError

# ISO 4217 minor units. Currencies not listed are refused rather than guessed.
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD "
    "GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KYD KZT LAK LBP LKR LRD LSL MAD MDL "
    "MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN "
    "QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TOP TRY "
    "TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWL"
)
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
}


def minor_unit(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise DomainError(
            "unknown_currency", f"Unknown currency {currency!r}: use an ISO 4217 code such as EUR."
        ) from None


def currency_check(currency: str) -> str:
    minor_unit(currency)
    return currency


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit(currency))


def money_exact(amount: Decimal | int | str, currency: str, *, field: str = "amount") -> Decimal:
    """The amount as a Decimal with exactly the currency's decimals; refuse any extra precision."""
    try:
        value = Decimal(amount) if not isinstance(amount, Decimal) else amount
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(
            "invalid_money", f"{amount!r} is not a decimal amount.", field=field
        ) from None
    if not value.is_finite():
        raise DomainError("invalid_money", f"{amount!r} is not a finite amount.", field=field)
    q = quantum(currency)
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -minor_unit(currency):
        raise DomainError(
            "money_precision",
            f"{value} has more decimals than {currency} allows ({minor_unit(currency)}).",
            field=field,
        )
    return value.quantize(q)


def allocate(total: Decimal, weights: Sequence[Decimal | int], currency: str) -> list[Decimal]:
    """Split `total` over `weights` by largest remainder, so the parts add up exactly to `total`.

    Ties in the remainder go to the earlier weight, which makes the split deterministic.
    """
    if not weights:
        if total:
            raise DomainError("allocation_impossible", "Cannot allocate an amount over no lines.")
        return []
    q = quantum(currency)
    units = int((total / q).to_integral_value())
    if Decimal(units) * q != total:
        raise DomainError("money_precision", f"{total} has more decimals than {currency} allows.")
    sign = -1 if units < 0 else 1
    units = abs(units)
    weight_sum = sum(Decimal(w) for w in weights)
    if weight_sum <= 0:
        # Nothing to weigh by: spread evenly.
        weights = [1] * len(weights)
        weight_sum = Decimal(len(weights))
    shares = [Decimal(units) * Decimal(w) / weight_sum for w in weights]
    floors = [int(s.to_integral_value(rounding=ROUND_FLOOR)) for s in shares]
    left = units - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [sign * Decimal(f) * q for f in floors]
