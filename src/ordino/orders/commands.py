"""What the order use cases are asked to do, as plain typed values: the API, the console, a
channel connector, an import and a test build the same commands (docs/design.md §9). Adapters
translate their input into these (the API: `OrderCreateIn.command()` in `orders/schemas.py`);
the use cases never see a schema.

The field names are those of the API's input, and a capture's fingerprint is taken over them:
renaming a field of `CaptureOrder` or of its parts changes every fingerprint, and a channel's
repeat of an order captured before would answer 409 (docs/design.md §8).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ordino.orders.domain.fingerprint import capture_fingerprint


@dataclass(frozen=True)
class OrderCustomer:
    """The buyer as the channel knows them; a malformed e-mail or phone is kept, not refused."""

    external_id: str = ""
    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class OrderAddress:
    line1: str
    city: str
    country: str  # ISO 3166-1 alpha-2, upper-case
    name: str = ""
    company: str = ""
    line2: str = ""
    region: str = ""
    postal_code: str = ""
    phone: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    def as_stored(self) -> dict[str, Any]:
        """The address as an order keeps it (JSON): coordinates as decimal text."""
        return {
            "name": self.name,
            "company": self.company,
            "line1": self.line1,
            "line2": self.line2,
            "city": self.city,
            "region": self.region,
            "postal_code": self.postal_code,
            "country": self.country,
            "phone": self.phone,
            "latitude": None if self.latitude is None else str(self.latitude),
            "longitude": None if self.longitude is None else str(self.longitude),
        }


@dataclass(frozen=True)
class LineItem:
    """One line as sold: `discount` and `tax` are the line's amounts, not per item. `tax`
    None: not given, Ordino computes it from the tax rates (docs/tax.md)."""

    sku: str
    quantity: int
    unit_price: Decimal
    discount: Decimal = Decimal(0)
    tax: Decimal | None = None
    name: str = ""  # default: the SKU's name
    external_id: str = ""


@dataclass(frozen=True)
class CapturePayment:
    """A payment the channel took or will take for the order: only provider tokens, brand and
    last4, never a card number. `amount`: default what the order's total leaves. Payments
    (the module above) record it through `orders/ports.py: payments_record`."""

    method: str  # card, bank_transfer, cash_on_delivery, marketplace, ...
    provider: str  # offline, test, stripe
    token: str = ""
    amount: Decimal | None = None
    brand: str = ""
    last4: str = ""
    # What fraud screening compares (docs/risk.md): the provider's card fingerprint (Stripe's
    # `card.fingerprint`: one card, whatever token) and the name on the card.
    card_fingerprint: str = ""
    card_holder: str = ""


@dataclass(frozen=True)
class CaptureOrder:
    """An order a channel sold, to record once per (channel, external id).

    `delivery_method`: "ship" (to `shipping_address`), "pickup" (collected at `pickup_location`
    from its own shelves) or "ship_to_store" (shipped to `pickup_location`). `total`: the
    channel's grand total, refused when it differs from Ordino's. `placed_at`: default now.
    """

    channel: str
    external_id: str
    currency: str
    lines: tuple[LineItem, ...]
    placed_at: datetime | None = None
    customer: OrderCustomer | None = None
    shipping_address: OrderAddress | None = None
    billing_address: OrderAddress | None = None
    delivery_method: str = "ship"
    pickup_location: str | None = None
    origin_location: str | None = None
    promised_delivery: date | None = None
    shipping_price: Decimal = Decimal(0)
    shipping_tax: Decimal | None = None
    discount: Decimal = Decimal(0)
    total: Decimal | None = None
    tags: tuple[str, ...] = ()
    raw_payload: dict[str, Any] | None = field(default=None, hash=False)
    payments: tuple[CapturePayment, ...] = ()

    def fingerprint(self) -> str:
        """What makes a repeat "the same order": every field, as sent (domain/fingerprint.py).
        No payments: the field is left out, so orders captured before it keep their
        fingerprint."""
        parts = {
            "lines": [_line_fields(line) for line in self.lines],
            "customer": _fields(self.customer),
            "shipping_address": _fields(self.shipping_address),
            "billing_address": _fields(self.billing_address),
        }
        fields = {**vars(self), **parts}
        if self.shipping_tax is None:
            fields["shipping_tax"] = _NO_TAX
        if self.payments:
            fields["payments"] = [_payment_fields(p) for p in self.payments]
        else:
            del fields["payments"]
        if self.promised_delivery is None:  # as payments: orders before it keep theirs
            del fields["promised_delivery"]
        else:
            fields["promised_delivery"] = self.promised_delivery.isoformat()
        return capture_fingerprint(fields)


# An omitted tax fingerprints as 0, as it did when it defaulted to 0: a channel's repeat of an
# order captured before Ordino computed tax is still the same order (docs/design.md §8).
_NO_TAX = Decimal(0)


def _payment_fields(payment: CapturePayment) -> dict[str, Any]:
    """A payment as it fingerprints: the card's fingerprint and holder only when sent, so
    orders captured before fraud screening keep their fingerprint."""
    fields = vars(payment).copy()
    for name in ("card_fingerprint", "card_holder"):
        if not fields[name]:
            del fields[name]
    return fields


def _line_fields(line: LineItem) -> dict[str, Any]:
    fields = vars(line)
    return fields if line.tax is not None else {**fields, "tax": _NO_TAX}


def _fields(part: object | None) -> dict[str, Any] | None:
    # vars(), not dataclasses.asdict(): the same dict without a deep copy (a capture's hot path)
    return vars(part) if part is not None else None


@dataclass(frozen=True)
class EditOrder:
    """Change an order before a location has started on the lines concerned.

    `change_lines`: (line number, quantity the customer is to receive: ordered − cancelled);
    `remove_lines`: line numbers; `expected_version`: refuse (409 `order_changed`) unless the
    order is still at this version; `shipping_address`: the new one (ship orders only).

    `exchange`: set by returns' exchange use case (docs/returns.md, "Exchanges"): the edit only
    adds lines, is allowed once the order shipped or was delivered, and is recorded as a change
    of kind `exchange` that keeps this mapping (the return it goes with) in its data.
    """

    order_id: int
    expected_version: int | None = None
    add_lines: tuple[LineItem, ...] = ()
    change_lines: tuple[tuple[int, int], ...] = ()
    remove_lines: tuple[int, ...] = ()
    shipping_address: OrderAddress | None = None
    reason: str = ""
    exchange: Mapping[str, Any] | None = field(default=None, hash=False)
