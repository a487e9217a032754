"""Rate shopping: a shipment's quotes per service and the policy that chooses
(docs/shipping.md, "Policies"). Pure: the caller gives the day the parcels leave.

- `cheapest`: the lowest total; ties go to the faster, then to the service key.
- `fastest`: the earliest delivery; ties go to the cheaper.
- `best_value`: the cheapest among the services at most one business day slower than the
  fastest (a day's wait is worth saving money; more is not).
- `cheapest_on_time`: the cheapest that delivers by the promised day; when none can, the
  fastest, and the choice says the promise will be missed.
The choice keeps every runner-up in order, and each service left out with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.quote import Quote, Refusal, Service

POLICIES = ("cheapest", "fastest", "best_value", "cheapest_on_time")


def business_days_after(start: date, days: int) -> date:
    """`days` working days (Monday to Friday) after `start`."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


@dataclass(frozen=True)
class Offer:
    """One service for the whole shipment: each parcel's quote, their sum, the delivery day."""

    service: Service
    quotes: tuple[Quote, ...]
    delivery: date

    @property
    def total(self) -> Decimal:
        return sum((q.total for q in self.quotes), Decimal(0))


@dataclass(frozen=True)
class Choice:
    policy: str
    chosen: Offer | None
    runners_up: tuple[Offer, ...]
    left_out: tuple[Refusal, ...]
    why: str


def offers_make(
    per_parcel: Sequence[Sequence[Quote | Refusal]], ship_day: date
) -> tuple[list[Offer], list[Refusal]]:
    """Per parcel, each service's quote or refusal → the services that carry every parcel
    (their offers) and those that do not (the first refusal of each)."""
    by_service: dict[str, list[Quote]] = {}
    services: dict[str, Service] = {}
    refused: dict[str, Refusal] = {}
    for answers in per_parcel:
        for a in answers:
            services[a.service.key] = a.service
            if isinstance(a, Refusal):
                refused.setdefault(a.service.key, a)
            else:
                by_service.setdefault(a.service.key, []).append(a)
    for k, qs in by_service.items():  # a live provider may price some parcels, not all
        if k not in refused and len(qs) < len(per_parcel):
            refused[k] = Refusal(
                services[k], "not_every_parcel", f"priced {len(qs)} of {len(per_parcel)} parcels"
            )
    offers = [
        # a live rate's days may differ per parcel: the shipment arrives with the slowest
        Offer(
            services[k], tuple(qs), business_days_after(ship_day, max(q.transit_days for q in qs))
        )
        for k, qs in by_service.items()
        if k not in refused
    ]
    return offers, list(refused.values())


def offer_choose(
    policy: str,
    offers: Sequence[Offer],
    left_out: Sequence[Refusal] = (),
    promised: date | None = None,
) -> Choice:
    if policy not in POLICIES:
        raise DomainError(
            "unknown_policy", f"A policy is one of {', '.join(POLICIES)}.", field="policy"
        )
    if policy == "cheapest_on_time" and promised is None:
        raise DomainError(
            "promise_required", "cheapest_on_time needs the promised day.", field="promised"
        )
    if not offers:
        return Choice(policy, None, (), tuple(left_out), "no service carries this shipment")
    cheap = sorted(offers, key=lambda o: (o.total, o.delivery, o.service.key))
    fast = sorted(offers, key=lambda o: (o.delivery, o.total, o.service.key))
    why = ""
    if policy == "cheapest":
        ranked, why = cheap, "the lowest total"
    elif policy == "fastest":
        ranked, why = fast, "the earliest delivery"
    elif policy == "best_value":
        limit = business_days_after(fast[0].delivery, 1)
        near = [o for o in cheap if o.delivery <= limit]
        ranked = near + [o for o in cheap if o not in near]
        why = f"the cheapest delivering by {limit.isoformat()}, a day after the fastest"
    else:
        assert promised is not None
        on_time = [o for o in cheap if o.delivery <= promised]
        if on_time:
            ranked = on_time + [o for o in fast if o not in on_time]
            why = f"the cheapest delivering by the promised {promised.isoformat()}"
        else:
            ranked = fast
            why = f"no service delivers by the promised {promised.isoformat()}: the fastest"
    return Choice(policy, ranked[0], tuple(ranked[1:]), tuple(left_out), why)
