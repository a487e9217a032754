"""The facts tax reports (catalog: docs/events.md): a rate was created, changed or deleted.

Orders captured before keep the rate they were taxed at (stored on each line); these events
let a subscriber (a storefront's price cache, a tax report) know the table moved."""

from __future__ import annotations

import dataclasses

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class TaxRateEvent(Event):
    aggregate_type = "tax_rate"

    rate_id: int
    country: str
    region: str
    tax_class: str
    rate: str  # the percentage as exact decimal text
    rate_name: str  # "name" is the event's wire name
    valid_from: str  # ISO dates
    valid_to: str | None


@dataclasses.dataclass(frozen=True)
class TaxRateCreated(TaxRateEvent):
    name = "tax.rate_created"


@dataclasses.dataclass(frozen=True)
class TaxRateChanged(TaxRateEvent):
    name = "tax.rate_changed"


@dataclasses.dataclass(frozen=True)
class TaxRateDeleted(TaxRateEvent):
    name = "tax.rate_deleted"
