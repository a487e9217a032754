"""Amazon Selling Partner API, Orders v0 (retired by Amazon on 2027-03-27): `getOrders` by
`LastUpdatedAfter` and `NextToken`, then `getOrderItems` for each order; the two mapped to a
capture. Kept for sellers whose application is not yet on 2026-01-01 (`amazon.py`). Pure:
the connector core stores, calls, logs and captures (docs/connectors-marketplaces.md, "Amazon").
Shapes from amzn/selling-partner-api-models `models/orders-api-model/ordersV0.json`.

The payload this module hands over and maps is the `getOrders` order with the `getOrderItems`
items under `OrderItems`: v0 has no call that returns both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from ordino.connectors.platforms import amazon
from ordino.connectors.platforms import payload as p
from ordino.connectors.platforms.base import (
    ChannelOrderState,
    HttpTransport,
    MappingError,
    WebhookCheck,
    WebhookRefused,
)
from ordino.orders.commands import CaptureOrder, LineItem, OrderAddress, OrderCustomer

ORDERS_PATH = "/orders/v0/orders"
GET_ORDERS = "getOrders"
GET_ORDER_ITEMS = "getOrderItems"
GET_ORDER = "getOrder"
PER_PAGE = 100
MAX_PAGES = 10_000
NOT_READY = frozenset({"Pending", "PendingAvailability"})  # no prices or address yet
# Charges an Ordino order has no place for: refused when not zero.
UNMAPPED = ("GiftWrapPrice", "GiftWrapTax", "CODFee")


class AmazonV0Platform:
    code = "amazon_v0"
    # The usage plans published in ordersV0.json (requests per second, burst).
    rate_limits: Mapping[str, tuple[float, int]] = {
        GET_ORDERS: (0.0167, 20),
        GET_ORDER_ITEMS: (0.5, 30),
        GET_ORDER: (0.5, 30),
    }

    def webhook_verify(
        self, *, body: bytes, headers: Mapping[str, str], secret: str, now: datetime
    ) -> WebhookCheck:
        raise WebhookRefused(
            "webhooks_unsupported",
            "Amazon sends no order webhook over HTTP: Amazon orders are pulled on a schedule.",
        )

    def order_state(self, payload: Mapping[str, Any]) -> ChannelOrderState:
        return ChannelOrderState(
            external_id=p.text(
                payload.get("AmazonOrderId"), "AmazonOrderId", required=True, max_length=128
            ),
            updated_at=p.utc(payload.get("LastUpdateDate"), "LastUpdateDate", required=False),
            cancelled=payload.get("OrderStatus") == "Canceled",
        )

    def order_from_payload(self, payload: Mapping[str, Any], *, channel: str) -> CaptureOrder:
        p.mapping(payload, "$")
        status = p.text(payload.get("OrderStatus"), "OrderStatus", required=True, max_length=32)
        if status in NOT_READY:
            raise MappingError(
                f"a {status} order has no address or prices yet; it is captured when Amazon "
                "moves it to Unshipped",
                path="OrderStatus",
            )
        by_amazon = payload.get("FulfillmentChannel") == "AFN"
        order_total = p.mapping(payload.get("OrderTotal"), "OrderTotal")
        currency = p.currency(order_total.get("CurrencyCode"), "OrderTotal.CurrencyCode")
        lines: list[LineItem] = []
        shipping_price = shipping_tax = p.ZERO
        items = p.sequence(payload.get("OrderItems"), "OrderItems")
        for i, item in enumerate(items):
            item_lines, shipping, tax = _item(p.mapping(item, f"OrderItems.{i}"), i, currency)
            lines += item_lines
            shipping_price += shipping
            shipping_tax += tax
        return CaptureOrder(
            channel=channel,
            external_id=p.text(
                payload.get("AmazonOrderId"), "AmazonOrderId", required=True, max_length=128
            ),
            currency=currency,
            lines=p.lines_bounded(lines, "OrderItems"),
            placed_at=p.utc(payload.get("PurchaseDate"), "PurchaseDate"),
            # the end of the delivery window committed to (seller-fulfilled orders only)
            promised_delivery=p.utc_day(payload.get("LatestDeliveryDate"), "LatestDeliveryDate"),
            customer=_buyer(payload),
            shipping_address=_address(payload, by_amazon),
            shipping_price=shipping_price,
            shipping_tax=shipping_tax,
            total=_money(payload.get("OrderTotal"), currency, "OrderTotal"),
            tags=_tags(payload, by_amazon),
            raw_payload=p.raw_copy(payload),
        )

    def orders_pull(
        self,
        transport: HttpTransport,
        *,
        updated_after: datetime,
        marketplace_ids: Sequence[str] = (),
    ) -> Iterator[Mapping[str, Any]]:
        """Every order updated after `updated_after` and out of Pending, oldest first, each
        with its items. v0 requires the marketplaces (the connection's); all order pages are
        read first (Amazon promises no order), then the items of each order as it is handed
        over."""
        params: dict[str, Any] = {
            "LastUpdatedAfter": updated_after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "MaxResultsPerPage": PER_PAGE,
        }
        if marketplace_ids:
            params["MarketplaceIds"] = ",".join(marketplace_ids)
        orders = [
            o
            for o in _pages(transport, ORDERS_PATH, params, GET_ORDERS, "Orders")
            if o.get("OrderStatus") not in NOT_READY
        ]
        for order in sorted(orders, key=_updated):
            yield {**order, "OrderItems": self.order_items(transport, order)}

    def order_items(self, transport: HttpTransport, order: Mapping[str, Any]) -> list[Any]:
        order_id = p.text(order.get("AmazonOrderId"), "AmazonOrderId", required=True)
        path = f"{ORDERS_PATH}/{quote(order_id, safe='')}/orderItems"
        return list(_pages(transport, path, {}, GET_ORDER_ITEMS, "OrderItems"))


def _pages(
    transport: HttpTransport, path: str, params: dict[str, Any], operation: str, key: str
) -> Iterator[Mapping[str, Any]]:
    """v0's pages: `payload.<key>` and `payload.NextToken` until there is none."""
    token = ""
    for page in range(1, MAX_PAGES + 1):
        query = {**params, "NextToken": token} if token else params
        body = p.mapping(
            p.mapping(transport.get(path, params=query, operation=operation), "$").get("payload"),
            "payload",
        )
        for i, entry in enumerate(p.sequence(body.get(key), f"page {page}.payload.{key}")):
            yield p.mapping(entry, f"page {page}.payload.{key}.{i}")
        token = p.text(body.get("NextToken"), "payload.NextToken", max_length=4096)
        if not token:
            return
    raise MappingError(f"more than {MAX_PAGES} pages", path=path)


def _updated(order: Mapping[str, Any]) -> tuple[datetime | None, str]:
    return p.utc(order.get("LastUpdateDate"), "LastUpdateDate"), str(order.get("AmazonOrderId"))


def _money(value: Any, currency: str, path: str, *, required: bool = True) -> Decimal:
    """v0's Money `{CurrencyCode, Amount}`: one currency per order; absent counts 0."""
    if value is None and not required:
        return p.ZERO
    money = p.mapping(value, path)
    if money.get("CurrencyCode") != currency:
        raise MappingError(
            f"is not in the order's currency {currency}", path=f"{path}.CurrencyCode"
        )
    return p.money(money.get("Amount"), currency, f"{path}.Amount")


def _item(
    item: Mapping[str, Any], i: int, currency: str
) -> tuple[list[LineItem], Decimal, Decimal]:
    """`ItemPrice` is the line's price, quantity × unit price (not the unit price); the
    promotion is the line's discount and its tax comes off the item's tax. Shipping is the
    order's, less its discount, with its own tax."""
    path = f"OrderItems.{i}"
    units = p.quantity(item.get("QuantityOrdered"), f"{path}.QuantityOrdered", allow_zero=True)
    sku = p.sku(item.get("SellerSKU"), f"{path}.SellerSKU")

    def money(name: str) -> Decimal:
        return _money(item.get(name), currency, f"{path}.{name}", required=name == "ItemPrice")

    for name in UNMAPPED:
        if money(name):
            raise MappingError(f"{name} is not mapped", path=f"{path}.{name}")
    amount, discount = money("ItemPrice"), money("PromotionDiscount")
    tax = money("ItemTax") - money("PromotionDiscountTax")
    shipping = money("ShippingPrice") - money("ShippingDiscount")
    shipping_tax = money("ShippingTax") - money("ShippingDiscountTax")
    if discount > amount:
        raise MappingError(f"exceeds the ItemPrice {amount}", path=f"{path}.PromotionDiscount")
    if tax < 0:
        raise MappingError("exceeds the ItemTax", path=f"{path}.PromotionDiscountTax")
    if shipping < 0 or shipping_tax < 0:
        raise MappingError("exceeds the shipping price or its tax", path=f"{path}.ShippingDiscount")
    if not units:
        if amount:
            raise MappingError("no units but a price", path=f"{path}.QuantityOrdered")
        return [], shipping, shipping_tax
    lines = p.lines_at_unit_price(
        sku_code=sku,
        units=units,
        amount=amount,
        discount=discount,
        tax=tax,
        currency_code=currency,
        name=p.text(item.get("Title"), f"{path}.Title", max_length=2000)[:255],
        external_id=p.text(item.get("OrderItemId"), f"{path}.OrderItemId", max_length=128),
    )
    return lines, shipping, shipping_tax


def _address(payload: Mapping[str, Any], by_amazon: bool) -> OrderAddress:
    """The shipping address; for an order Amazon ships (AFN) the street is withheld, as in
    2026-01-01 (amazon.py)."""
    path = "ShippingAddress"
    address = p.mapping(payload.get(path), path, required=not by_amazon)
    fallbacks = ("Municipality", "County", "District")
    return amazon.address_of(address, path, by_amazon, fallbacks, pascal=True)


def _buyer(payload: Mapping[str, Any]) -> OrderCustomer | None:
    buyer = p.mapping(payload.get("BuyerInfo"), "BuyerInfo", required=False)
    if not buyer:
        return None
    first, last = p.name_split(p.text(buyer.get("BuyerName"), "BuyerInfo.BuyerName"))
    email = p.text(buyer.get("BuyerEmail"), "BuyerInfo.BuyerEmail", max_length=254)
    return OrderCustomer(email=email, first_name=first, last_name=last)


def _tags(payload: Mapping[str, Any], by_amazon: bool) -> tuple[str, ...]:
    tags = [p.tag("channel", "amazon"), p.tag("fulfillment", "amazon" if by_amazon else "merchant")]
    flags = {
        "IsPrime": "prime",
        "IsBusinessOrder": "amazon_business",
        "IsPremiumOrder": "premium",
        "IsReplacementOrder": "replacement",
        "IsISPU": "in_store_pick_up",
    }
    tags += [
        p.tag("amazon", tag) for flag, tag in flags.items() if payload.get(flag) in (True, "true")
    ]
    marketplace = p.text(payload.get("MarketplaceId"), "MarketplaceId", max_length=32)
    if marketplace:
        tags.append(p.tag("amazon", "marketplace", marketplace))
    return tuple(dict.fromkeys(tags))


PLATFORM = AmazonV0Platform()
