"""eBay Sell Fulfillment API: `getOrders` by last modification (offset pages of 200) and the
Order mapped to a capture. eBay's order notifications are not an HTTP webhook Ordino can
verify, so eBay orders are pulled on a schedule. Pure: the connector core stores, calls, logs
and captures (docs/connectors-marketplaces.md, "eBay").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ordino.connectors.platforms import payload as p
from ordino.connectors.platforms.base import (
    ChannelOrderState,
    HttpTransport,
    MappingError,
    WebhookCheck,
    WebhookRefused,
)
from ordino.orders.commands import CaptureOrder, LineItem, OrderAddress, OrderCustomer

ORDERS_PATH = "/sell/fulfillment/v1/order"
GET_ORDERS = "getOrders"
PER_PAGE = 200  # the largest `limit` getOrders accepts
MAX_PAGES = 10_000
# eBay's payment states that end an order without a sale; a cancellation is `cancelStatus`.
ENDED_PAYMENTS = frozenset({"FAILED", "FULLY_REFUNDED"})


class EbayPlatform:
    code = "ebay"
    # eBay publishes call limits per day, not per second: the Sell Fulfillment API allows an
    # application 100,000 calls a day, 1.157 a second on average; 1.15 a second with a burst
    # of 10 keeps a whole day of calls under it (docs/connectors-marketplaces.md).
    rate_limits: Mapping[str, tuple[float, int]] = {GET_ORDERS: (1.15, 10)}

    def webhook_verify(
        self, *, body: bytes, headers: Mapping[str, str], secret: str, now: datetime
    ) -> WebhookCheck:
        raise WebhookRefused(
            "webhooks_unsupported",
            "eBay orders are pulled on a schedule: eBay sends no order webhook Ordino verifies.",
        )

    def order_state(self, payload: Mapping[str, Any]) -> ChannelOrderState:
        cancel = p.mapping(payload.get("cancelStatus"), "cancelStatus", required=False)
        return ChannelOrderState(
            external_id=p.text(payload.get("orderId"), "orderId", required=True, max_length=128),
            updated_at=p.utc(payload.get("lastModifiedDate"), "lastModifiedDate", required=False),
            cancelled=cancel.get("cancelState") == "CANCELED"
            or payload.get("orderPaymentStatus") in ENDED_PAYMENTS,
        )

    def order_from_payload(self, payload: Mapping[str, Any], *, channel: str) -> CaptureOrder:
        p.mapping(payload, "$")
        pricing = p.mapping(payload.get("pricingSummary"), "pricingSummary")
        total = p.mapping(pricing.get("total"), "pricingSummary.total")
        currency = p.currency(total.get("currency"), "pricingSummary.total.currency")
        for unmapped in ("adjustment", "fee"):
            if _amount(pricing.get(unmapped), currency, f"pricingSummary.{unmapped}", signed=True):
                raise MappingError("is not mapped", path=f"pricingSummary.{unmapped}")
        lines = [
            line
            for i, item in enumerate(p.sequence(payload.get("lineItems"), "lineItems"))
            for line in _line(p.mapping(item, f"lineItems.{i}"), i, currency)
        ]
        shipping = _amount(pricing.get("deliveryCost"), currency, "pricingSummary.deliveryCost")
        shipping -= abs(
            _amount(
                pricing.get("deliveryDiscount"),
                currency,
                "pricingSummary.deliveryDiscount",
                signed=True,
            )
        )
        if shipping < 0:
            raise MappingError("exceeds the delivery cost", path="pricingSummary.deliveryDiscount")
        instruction = _instruction(payload)
        ship_to = p.mapping(
            p.mapping(instruction.get("shippingStep"), f"{_INSTRUCTION}.shippingStep").get(
                "shipTo"
            ),
            f"{_INSTRUCTION}.shippingStep.shipTo",
        )
        return CaptureOrder(
            channel=channel,
            external_id=p.text(payload.get("orderId"), "orderId", required=True, max_length=128),
            currency=currency,
            lines=p.lines_bounded(lines, "lineItems"),
            placed_at=p.utc(payload.get("creationDate"), "creationDate"),
            # the latest day eBay told the buyer to expect the parcel
            promised_delivery=p.utc_day(
                instruction.get("maxEstimatedDeliveryDate"),
                f"{_INSTRUCTION}.maxEstimatedDeliveryDate",
            ),
            customer=_customer(payload, ship_to),
            shipping_address=_address(ship_to),
            shipping_price=shipping,
            shipping_tax=p.ZERO,  # eBay's taxes are the lines', shipping's share included
            total=_amount(pricing.get("total"), currency, "pricingSummary.total"),
            tags=_tags(payload, instruction),
            raw_payload=p.raw_copy(payload),
        )

    def orders_pull(
        self, transport: HttpTransport, *, updated_after: datetime
    ) -> Iterator[Mapping[str, Any]]:
        """Every order modified after `updated_after`, oldest first (eBay sorts by creation,
        so every page is read first). `fieldGroups=TAX_BREAKDOWN` makes eBay include its
        Collect and Remit taxes in the lines and in `pricingSummary.total`."""
        since = updated_after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
            f"{updated_after.astimezone(UTC).microsecond // 1000:03d}Z"
        )
        params = {
            "filter": f"lastmodifieddate:[{since}..]",
            "limit": PER_PAGE,
            "fieldGroups": "TAX_BREAKDOWN",
        }
        orders: list[Mapping[str, Any]] = []
        for page in range(MAX_PAGES):
            query = {**params, "offset": page * PER_PAGE}
            body = p.mapping(transport.get(ORDERS_PATH, params=query, operation=GET_ORDERS), "$")
            batch = p.sequence(body.get("orders"), f"page {page + 1}.orders", required=False)
            orders += [p.mapping(o, f"page {page + 1}.orders.{i}") for i, o in enumerate(batch)]
            total = body.get("total")
            if len(batch) < PER_PAGE or (isinstance(total, int) and len(orders) >= total):
                break
        else:
            raise MappingError(f"more than {MAX_PAGES} pages of orders", path=ORDERS_PATH)
        yield from sorted(orders, key=_updated)


_INSTRUCTION = "fulfillmentStartInstructions.0"


def _updated(order: Mapping[str, Any]) -> tuple[datetime | None, str]:
    return p.utc(order.get("lastModifiedDate"), "lastModifiedDate"), str(order.get("orderId"))


def _amount(value: Any, currency: str, path: str, *, signed: bool = False) -> Decimal:
    """eBay's Amount `{value, currency}` in the order's currency; absent counts 0. eBay gives
    discounts as negative values (`priceDiscount`, `deliveryDiscount`): `signed` allows them."""
    if value is None:
        return p.ZERO
    amount = p.mapping(value, path)
    if amount.get("currency") != currency:
        raise MappingError(f"is not in the order's currency {currency}", path=f"{path}.currency")
    return p.money(amount.get("value"), currency, f"{path}.value", negative=signed)


def _line(item: Mapping[str, Any], i: int, currency: str) -> list[LineItem]:
    """`lineItemCost` is the line's price before discounts (quantity × unit price);
    `discountedLineItemCost` after them (else the applied promotions); the tax is the seller's
    `taxes` and eBay's Collect and Remit taxes."""
    path = f"lineItems.{i}"
    cost = _amount(item.get("lineItemCost"), currency, f"{path}.lineItemCost")
    if item.get("lineItemCost") is None:
        raise MappingError("is missing", path=f"{path}.lineItemCost")
    if item.get("discountedLineItemCost") is not None:
        discount = cost - _amount(
            item.get("discountedLineItemCost"), currency, f"{path}.discountedLineItemCost"
        )
    else:
        discount = _sum(item, "appliedPromotions", "discountAmount", currency, path)
    if not p.ZERO <= discount <= cost:
        raise MappingError(
            f"the discount {discount} does not fit the cost {cost}",
            path=f"{path}.discountedLineItemCost",
        )
    tax = _sum(item, "taxes", "amount", currency, path) + _sum(
        item, "ebayCollectAndRemitTaxes", "amount", currency, path
    )
    return p.lines_at_unit_price(
        sku_code=p.sku(item.get("sku"), f"{path}.sku"),
        units=p.quantity(item.get("quantity"), f"{path}.quantity"),
        amount=cost,
        discount=discount,
        tax=tax,
        currency_code=currency,
        name=p.text(item.get("title"), f"{path}.title", max_length=2000)[:255],
        external_id=p.text(item.get("lineItemId"), f"{path}.lineItemId", max_length=128),
    )


def _sum(item: Mapping[str, Any], key: str, field: str, currency: str, path: str) -> Decimal:
    entries = p.sequence(item.get(key), f"{path}.{key}", required=False)
    return sum(
        (
            abs(
                _amount(
                    p.mapping(e, f"{path}.{key}.{j}").get(field),
                    currency,
                    f"{path}.{key}.{j}.{field}",
                    signed=True,
                )
            )
            for j, e in enumerate(entries)
        ),
        p.ZERO,
    )


def _instruction(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    instructions = p.sequence(
        payload.get("fulfillmentStartInstructions"), "fulfillmentStartInstructions"
    )
    if not instructions:
        raise MappingError("has no shipping instruction", path="fulfillmentStartInstructions")
    return p.mapping(instructions[0], _INSTRUCTION)


def _address(ship_to: Mapping[str, Any]) -> OrderAddress:
    path = f"{_INSTRUCTION}.shippingStep.shipTo"
    address = p.mapping(ship_to.get("contactAddress"), f"{path}.contactAddress")
    at = f"{path}.contactAddress"
    phone = p.mapping(ship_to.get("primaryPhone"), f"{path}.primaryPhone", required=False)
    return OrderAddress(
        line1=p.text(address.get("addressLine1"), f"{at}.addressLine1", required=True),
        city=p.text(address.get("city"), f"{at}.city", required=True, max_length=128),
        country=p.country(address.get("countryCode"), f"{at}.countryCode"),
        name=p.text(ship_to.get("fullName"), f"{path}.fullName"),
        company=p.text(ship_to.get("companyName"), f"{path}.companyName"),
        line2=p.text(address.get("addressLine2"), f"{at}.addressLine2"),
        region=p.text(address.get("stateOrProvince"), f"{at}.stateOrProvince", max_length=128),
        postal_code=p.text(address.get("postalCode"), f"{at}.postalCode", max_length=32),
        phone=p.text(phone.get("phoneNumber"), f"{path}.primaryPhone.phoneNumber", max_length=32),
    )


def _customer(payload: Mapping[str, Any], ship_to: Mapping[str, Any]) -> OrderCustomer:
    """The buyer by eBay user name; their registration contact, else the ship-to's."""
    buyer = p.mapping(payload.get("buyer"), "buyer", required=False)
    path = "buyer.buyerRegistrationAddress"
    registered = p.mapping(buyer.get("buyerRegistrationAddress"), path, required=False)
    phone = p.mapping(registered.get("primaryPhone"), f"{path}.primaryPhone", required=False)
    name = p.text(registered.get("fullName"), f"{path}.fullName") or p.text(
        ship_to.get("fullName"), f"{_INSTRUCTION}.shippingStep.shipTo.fullName"
    )
    first, last = p.name_split(name)
    email = p.text(registered.get("email"), f"{path}.email", max_length=254) or p.text(
        ship_to.get("email"), f"{_INSTRUCTION}.shippingStep.shipTo.email", max_length=254
    )
    return OrderCustomer(
        external_id=p.text(buyer.get("username"), "buyer.username", max_length=128),
        email=email,
        phone=p.text(phone.get("phoneNumber"), f"{path}.primaryPhone.phoneNumber", max_length=32),
        first_name=first,
        last_name=last,
    )


def _tags(payload: Mapping[str, Any], instruction: Mapping[str, Any]) -> tuple[str, ...]:
    kind = p.text(
        instruction.get("fulfillmentInstructionsType"),
        f"{_INSTRUCTION}.fulfillmentInstructionsType",
        max_length=32,
    )
    by_ebay = kind == "FULFILLED_BY_EBAY"
    tags = [p.tag("channel", "ebay"), p.tag("fulfillment", "ebay" if by_ebay else "merchant")]
    if kind and kind not in ("SHIP_TO", "FULFILLED_BY_EBAY"):
        tags.append(p.tag("ebay", kind))
    if instruction.get("ebaySupportedFulfillment") is True:
        # eBay's international programmes: the seller ships to eBay's hub (the ship-to)
        tags.append(p.tag("ebay", "supported_fulfillment"))
    if payload.get("orderPaymentStatus") == "PENDING":
        tags.append(p.tag("ebay", "payment_pending"))  # not paid yet: a hold rule can wait on it
    if any(
        p.mapping(i, "lineItems").get("ebayCollectAndRemitTaxes")
        for i in p.sequence(payload.get("lineItems"), "lineItems")
    ):
        tags.append(p.tag("ebay", "collect_and_remit"))
    return tuple(dict.fromkeys(tags))


PLATFORM = EbayPlatform()
