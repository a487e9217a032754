"""Live rates beside the rate sheets (docs/shipping.md, "Live rates"): what a carrier account's
provider (EasyPost, Shippo) answered for one parcel, as quotes the policy compares with the
sheets' — or, when the provider could not price it, as services left out with why. Pure: the
adapter (`shipping/live_rating.py`) makes the calls and hands over plain values.

A live service's key is `<account>:<carrier>/<service>` (e.g. `ep-main:USPS/Priority`): one
key per account and provider service, so two accounts offering the same carrier stay apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ordino.shipping.domain.quote import Quote, Refusal, Service
from ordino.shipping.domain.weights import DimRule

KEY_MAX = 65  # FulfillmentRating.service, ShipmentCost.service
NAME_MAX = 100


@dataclass(frozen=True)
class LivePrice:
    """One of the provider's rates for one parcel (carriers/base.py: LiveRate, as plain values)."""

    carrier: str
    service: str
    amount: Decimal
    currency: str
    days: int | None


def live_service(account: str, account_name: str, carrier: str, service: str) -> Service:
    code = f"{carrier}/{service}"[: KEY_MAX - len(account) - 1]
    return Service(
        carrier=account,
        code=code,
        name=f"{carrier} {service} (live, {account_name})"[:NAME_MAX],
        dim=DimRule(),
        transit_days=0,
        max_weight=Decimal(0),
        account=account,
        offered_as=f"{carrier}:{service}",
    )


def live_answers(
    account: str, account_name: str, prices: Sequence[LivePrice]
) -> list[Quote | Refusal]:
    """The provider's rates for one parcel as quotes; a rate without a delivery estimate is
    left out (no policy can place it in time), as is a price below zero."""
    answers: list[Quote | Refusal] = []
    for p in prices:
        service = live_service(account, account_name, p.carrier, p.service)
        if p.days is None or p.days < 0:
            answers.append(
                Refusal(service, "no_estimate", f"{account_name} gave no delivery estimate")
            )
            continue
        if p.amount < 0:
            answers.append(Refusal(service, "invalid_price", f"{account_name} priced it below 0"))
            continue
        timed = Service(**{**service.__dict__, "transit_days": p.days})
        why = (
            f"a live rate from {account_name}: {p.carrier} {p.service} {p.amount} {p.currency}, "
            f"{p.days} business day(s)",
        )
        answers.append(Quote(timed, p.currency, None, None, p.amount, (), why))
    return answers


def live_failure(account: str, account_name: str, message: str) -> Refusal:
    """A provider that did not price the parcel: its account is left out, saying why."""
    service = live_service(account, account_name, "*", "*")
    return Refusal(service, "live_rates_failed", f"{account_name}: {message}"[:500])


def currency_align(answers: Sequence[Quote | Refusal], currency: str) -> list[Quote | Refusal]:
    """Quotes in another currency than `currency` are left out: totals are never compared
    across currencies (no exchange rate is guessed)."""
    return [
        a
        if isinstance(a, Refusal) or a.currency == currency
        else Refusal(
            a.service,
            "other_currency",
            f"priced in {a.currency}, the other services in {currency}",
        )
        for a in answers
    ]
