"""What order capture decides before it writes anything: the delivery and pickup rules, the
lines' SKUs, a usable contact, a repeat of an order captured before. Pure Python: the service
(`orders/services/capture.py`) reads the facts and asks these (docs/design.md §3, §8).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ordino.catalog.domain.lines import line_skus_known
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.domain.money import currency_check
from ordino.core.domain.scope import Scope
from ordino.customers.domain.contact import email_normalise, phone_normalise
from ordino.orders.domain import status as st

SHIP = "ship"
PICKUP = "pickup"
SHIP_TO_STORE = "ship_to_store"


class OrderExists(Conflict):
    """The channel sent an order it had sent before, with other contents: nothing is applied.
    The problem names the existing order, so the channel can change it through its endpoints."""

    def __init__(self, order_id: int, external_id: str) -> None:
        href = f"/api/v1/orders/{order_id}"
        super().__init__(
            "order_exists",
            f"Order {external_id!r} of this channel was captured before (order "
            f"{order_id}) with other contents; this request changed nothing. Change the order "
            f"with POST {href}/edit or {href}/cancel.",
            field="external_id",
        )
        self.extensions = {"existing": {"id": order_id, "href": href}}


def repeat_check(*, order_id: int, external_id: str, stored: str, fingerprint: str) -> None:
    """A repeat is a replay only if it says what the first capture said. Orders captured before
    fingerprints were kept (`stored` blank) cannot be compared, and replay as before."""
    if stored and stored != fingerprint:
        raise OrderExists(order_id, external_id)


def origin_location_of(scope: Scope, requested_id: int | None) -> int | None:
    """The till capturing the order: the one named (a location the caller sees), or the only
    location the caller is limited to. A caller limited to several must name it."""
    origin_id = scope.origin_location(requested_id)
    if origin_id is None and scope.location_ids is not None:
        raise DomainError(
            "origin_location_required",
            "This token is limited to several locations: name the one capturing the order.",
            field="origin_location",
        )
    return origin_id


def currency_accepted(currency: str, *, channel_code: str, channel_currency: str) -> None:
    """A known currency, and the one the channel sells in."""
    currency_check(currency)
    if currency != channel_currency:
        raise DomainError(
            "currency_mismatch",
            f"Channel {channel_code} sells in {channel_currency}, not {currency}.",
            field="currency",
        )


def promise_check(promised: date | None, placed_on: date) -> None:
    """A channel's promised day (docs/orders.md, "The promised day") is not before the order
    was placed: whatever the channel (API, connector, import), the same rule."""
    if promised is not None and promised < placed_on:
        raise DomainError(
            "promise_before_placed",
            f"The promised day {promised.isoformat()} is before the order was placed "
            f"({placed_on.isoformat()}).",
            field="promised_delivery",
        )


def pickup_store_named(delivery_method: str, pickup_location: str | None) -> bool:
    """Whether the order names a store to collect at; a ship order names none, the others must."""
    if delivery_method == SHIP:
        if pickup_location:
            raise DomainError(
                "pickup_location_unexpected",
                "pickup_location is only for delivery_method 'pickup' or 'ship_to_store'.",
                field="pickup_location",
            )
        return False
    if not pickup_location:
        raise DomainError(
            "pickup_location_required",
            "A pickup or ship-to-store order names the store it is collected at.",
            field="pickup_location",
        )
    return True


def pickup_store_check(code: str, *, offers_pickup: bool) -> None:
    if not offers_pickup:
        raise DomainError(
            "not_a_pickup_location",
            f"Location {code} does not offer pickup.",
            field="pickup_location",
        )


def shelves_location(delivery_method: str, pickup_location_id: int | None) -> int | None:
    """The store whose own shelves serve the order, if any. Only a pickup is served from the
    store's shelves; ship-to-store is sourced like a shipment, to the store's address."""
    return pickup_location_id if delivery_method == PICKUP else None


def shipping_address_check(delivery_method: str, *, has_address: bool) -> None:
    if delivery_method == SHIP and not has_address:
        raise DomainError(
            "address_required", "A ship order needs a shipping address.", field="shipping_address"
        )


def line_skus_check(line_codes: Sequence[str], consumes: Mapping[str, dict[int, int]]) -> None:
    """Every line names a SKU that can be sold (`consumes`: what one item of each active SKU
    takes from stock, by code); refused naming each line (`lines.1.sku`) that fails."""
    line_skus_known(line_codes, consumes.keys())
    for code, needs in consumes.items():
        if not needs:
            raise DomainError(
                "kit_empty",
                f"Kit {code} has no components to sell.",
                field=f"lines.{list(line_codes).index(code)}.sku",
            )


def contact_usable(email: str, phone: str, country: str | None) -> tuple[str, str, list[str]]:
    """The e-mail and phone fit to recognise the buyer by, and what was wrong with the others.
    An order is never refused for a malformed contact: what the channel sent stays on the
    order, and the timeline says so."""
    warnings = []
    try:
        email = email_normalise(email)
    except DomainError as exc:
        email = ""
        warnings.append(exc.message)
    try:
        phone = phone_normalise(phone, country=country)
    except DomainError as exc:
        phone = ""
        warnings.append(exc.message)
    return email, phone, warnings


def captured_status(*, backordered: bool) -> str:
    """A new order is allocated, or backordered when some item found no stock."""
    return st.transition_check(st.CREATED, st.BACKORDERED if backordered else st.ALLOCATED)
