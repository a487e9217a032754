"""The live rates of a rate shop (docs/shipping.md, "Live rates"): every active carrier account
whose provider sells labels (EasyPost, Shippo) is asked for each parcel, from the fulfillment
order's location to its order's address. A provider that refuses or does not answer leaves its
account out with why; the rate sheets are rated all the same, and the whole asking keeps
within a budget. Makes calls: never inside a transaction (the callers keep their own)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from ordino.core.domain.errors import DomainError
from ordino.shipping.addresses import recipient_of, sender_of
from ordino.shipping.carrier_accounts import carrier_account_list, carrier_adapter
from ordino.shipping.carriers.base import (
    CarrierRefused,
    CarrierUnanswered,
    ParcelSpec,
    ShipmentSpec,
)
from ordino.shipping.customs import customs_of_parcel
from ordino.shipping.domain.customs import CustomsDeclaration
from ordino.shipping.domain.live import LivePrice, live_answers, live_failure
from ordino.shipping.domain.quote import Quote, Refusal
from ordino.shipping.domain.weights import Parcel

MAX_ACCOUNTS = 5  # each parcel costs one call per account
# what a rate shop may spend asking providers, whatever their number and the parcels': a clerk
# waits for the sheets' answer, not for a provider that hangs (each call's own timeout: 20 s)
BUDGET_SECONDS = 30.0


def live_rates_of(
    fo, parcels: Sequence[Parcel], *, clock=time.monotonic
) -> list[list[Quote | Refusal]]:
    """Per parcel, every live account's quotes and refusals; [] when no account rates live. An
    account that fails on a parcel is asked no more (it cannot carry them all); past the
    budget, the accounts not yet asked are left out saying so."""
    accounts = [a for a in carrier_account_list(active=True) if a.adapter != "offline"]
    if not accounts:
        return []
    sender = sender_of(fo.location)
    recipient = recipient_of(fo.order.shipping_address)
    specs = [ShipmentSpec(sender, recipient, _spec(p), customs=_customs(fo, p)) for p in parcels]
    answers: list[list[Quote | Refusal]] = [[] for _ in parcels]
    deadline = clock() + BUDGET_SECONDS
    for account in accounts[:MAX_ACCOUNTS]:
        failure = _account_rates(account, specs, answers, deadline, clock)
        if failure:
            answers[0].append(live_failure(account.code, account.name, failure))
    return answers


def _account_rates(account, specs, answers, deadline, clock) -> str:
    """One account's quotes per parcel into `answers`; why it stopped, or "" when it priced
    every parcel."""
    try:
        adapter = carrier_adapter(account)
    except DomainError as exc:  # a key that no longer decrypts: said, not fatal
        return exc.message
    for per, spec in zip(answers, specs, strict=True):
        if clock() >= deadline:
            return f"not asked: the live rates took over {BUDGET_SECONDS:.0f} s"
        try:
            rates = adapter.rates(spec)
        except CarrierRefused as exc:
            return exc.message
        except CarrierUnanswered as exc:
            return f"no answer ({exc})"
        prices = [LivePrice(r.carrier, r.service, r.amount, r.currency, r.days) for r in rates]
        per.extend(live_answers(account.code, account.name, prices))
    return ""


def _spec(p: Parcel) -> ParcelSpec:
    return ParcelSpec(p.length_cm, p.width_cm, p.height_cm, p.weight_kg)


def _customs(fo, parcel: Parcel) -> CustomsDeclaration | None:
    """The parcel's declaration, as its label purchase will send it, so that a carrier prices
    duties and paperwork as it will bill them. One that cannot be made yet (a SKU without
    customs data) is left off the rate request: the purchase refuses it, naming the SKU."""
    try:
        return customs_of_parcel(fo, parcel.contents)
    except DomainError:
        return None
