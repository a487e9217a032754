"""The live rates of a rate shop (docs/shipping.md, "Live rates"): every active carrier account
whose provider sells labels (EasyPost, Shippo) is asked for each parcel, from the fulfillment
order's location to its order's address. A provider that refuses or does not answer leaves its
account out with why; the rate sheets are rated all the same. Makes calls: never inside a
transaction (the callers keep their own)."""

from __future__ import annotations

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
from ordino.shipping.domain.live import LivePrice, live_answers, live_failure
from ordino.shipping.domain.quote import Quote, Refusal
from ordino.shipping.domain.weights import Parcel

MAX_ACCOUNTS = 5  # each parcel costs one call per account: a rate shop stays within seconds


def live_rates_of(fo, parcels: Sequence[Parcel]) -> list[list[Quote | Refusal]]:
    """Per parcel, every live account's quotes and refusals; [] when no account rates live."""
    accounts = [a for a in carrier_account_list(active=True) if a.adapter != "offline"]
    if not accounts:
        return []
    sender = sender_of(fo.location)
    recipient = recipient_of(fo.order.shipping_address)
    answers: list[list[Quote | Refusal]] = [[] for _ in parcels]
    for account in accounts[:MAX_ACCOUNTS]:
        try:
            adapter = carrier_adapter(account)
        except DomainError as exc:  # a key that no longer decrypts: said, not fatal
            for per in answers:
                per.append(live_failure(account.code, account.name, exc.message))
            continue
        for per, parcel in zip(answers, parcels, strict=True):
            spec = ShipmentSpec(sender, recipient, _spec(parcel))
            try:
                rates = adapter.rates(spec)
            except CarrierRefused as exc:
                per.append(live_failure(account.code, account.name, exc.message))
                continue
            except CarrierUnanswered as exc:
                per.append(live_failure(account.code, account.name, f"no answer ({exc})"))
                continue
            prices = [LivePrice(r.carrier, r.service, r.amount, r.currency, r.days) for r in rates]
            per.extend(live_answers(account.code, account.name, prices))
    return answers


def _spec(p: Parcel) -> ParcelSpec:
    return ParcelSpec(p.length_cm, p.width_cm, p.height_cm, p.weight_kg)
