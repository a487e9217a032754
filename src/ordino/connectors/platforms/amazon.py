"""Amazon Selling Partner API, Orders 2026-01-01: `searchOrders` by `lastUpdatedAfter` (with
`includedData`, so one call brings full orders) and `getOrder` for one order; the Order mapped
to a capture. Amazon has no order webhook over HTTP: orders are pulled on a schedule, inside the
published usage plans. Pure: the connector core stores, calls, logs and captures
(docs/connectors-marketplaces.md, "Amazon"). Shapes from amzn/selling-partner-api-models
`models/orders-api-model/orders_2026-01-01.json`. The retiring v0 shape: `amazon_v0.py`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from ordino.connectors.platforms import payload as p
from ordino.connectors.platforms.base import (
    ChannelOrderState,
    HttpTransport,
    MappingError,
    WebhookCheck,
    WebhookRefused,
)
from ordino.orders.commands import CaptureOrder, LineItem, OrderAddress, OrderCustomer

ORDERS_PATH = "/orders/2026-01-01/orders"
SEARCH_ORDERS = "searchOrders"
GET_ORDER = "getOrder"
INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "PROMOTION", "CANCELLATION", "FULFILLMENT")
PER_PAGE = 100
MAX_PAGES = 10_000
# Not ready to ship: no address, no final prices yet. Not pulled; Amazon changes the order's
# `lastUpdatedTime` when it becomes UNSHIPPED, so the next pull brings it.
NOT_READY = frozenset({"PENDING", "PENDING_AVAILABILITY"})
# Address placeholder of an Amazon-fulfilled order: Amazon withholds the street (it ships).
WITHHELD = "(fulfilled by Amazon: address withheld)"


class AmazonPlatform:
    code = "amazon"
    # The usage plans published in orders_2026-01-01.json (requests per second, burst).
    rate_limits: Mapping[str, tuple[float, int]] = {
        SEARCH_ORDERS: (0.0056, 20),
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
        fulfillment = p.mapping(payload.get("fulfillment"), "fulfillment", required=False)
        return ChannelOrderState(
            external_id=p.text(payload.get("orderId"), "orderId", required=True, max_length=128),
            updated_at=p.utc(payload.get("lastUpdatedTime"), "lastUpdatedTime", required=False),
            cancelled=fulfillment.get("fulfillmentStatus") == "CANCELLED",
        )

    def order_from_payload(self, payload: Mapping[str, Any], *, channel: str) -> CaptureOrder:
        p.mapping(payload, "$")
        fulfillment = p.mapping(payload.get("fulfillment"), "fulfillment")
        status = p.text(
            fulfillment.get("fulfillmentStatus"), "fulfillment.fulfillmentStatus", required=True
        )
        if status in NOT_READY:
            raise MappingError(
                f"a {status} order has no address or final prices yet; it is captured when "
                "Amazon moves it to UNSHIPPED",
                path="fulfillment.fulfillmentStatus",
            )
        by_amazon = fulfillment.get("fulfilledBy") == "AMAZON"
        proceeds = p.mapping(payload.get("proceeds"), "proceeds")
        grand_total = p.mapping(proceeds.get("grandTotal"), "proceeds.grandTotal")
        currency = p.currency(grand_total.get("currencyCode"), "proceeds.grandTotal.currencyCode")
        lines: list[LineItem] = []
        shipping_price = shipping_tax = p.ZERO
        items = p.sequence(payload.get("orderItems"), "orderItems")
        for i, item in enumerate(items):
            item_lines, shipping, tax = _item(p.mapping(item, f"orderItems.{i}"), i, currency)
            lines += item_lines
            shipping_price += shipping
            shipping_tax += tax
        return CaptureOrder(
            channel=channel,
            external_id=p.text(payload.get("orderId"), "orderId", required=True, max_length=128),
            currency=currency,
            lines=p.lines_bounded(lines, "orderItems"),
            placed_at=p.utc(payload.get("createdTime"), "createdTime"),
            promised_delivery=_deliver_by(fulfillment),
            customer=_buyer(payload),
            shipping_address=_address(payload, by_amazon),
            shipping_price=shipping_price,
            shipping_tax=shipping_tax,
            total=_total(proceeds, currency),
            tags=_tags(payload, by_amazon),
            raw_payload=p.raw_copy(payload),
        )

    def orders_pull(
        self, transport: HttpTransport, *, updated_after: datetime
    ) -> Iterator[Mapping[str, Any]]:
        """Every order updated after `updated_after` and ready to ship, oldest first. Amazon
        promises no order, so all pages are read before the first order is handed over."""
        params: dict[str, Any] = {
            "lastUpdatedAfter": _iso(updated_after),
            "includedData": ",".join(INCLUDED_DATA),
            "maxResultsPerPage": PER_PAGE,
        }
        orders: list[Mapping[str, Any]] = []
        token = ""
        for page in range(1, MAX_PAGES + 1):
            query = {**params, "paginationToken": token} if token else params
            body = p.mapping(transport.get(ORDERS_PATH, params=query, operation=SEARCH_ORDERS), "$")
            for i, order in enumerate(p.sequence(body.get("orders"), f"page {page}.orders")):
                orders.append(p.mapping(order, f"page {page}.orders.{i}"))
            pagination = p.mapping(body.get("pagination"), "pagination", required=False)
            token = p.text(pagination.get("nextToken"), "pagination.nextToken", max_length=4096)
            if not token:
                break
        else:
            raise MappingError(f"more than {MAX_PAGES} pages of orders", path=ORDERS_PATH)
        ready = [o for o in orders if _status(o) not in NOT_READY]
        yield from sorted(ready, key=_updated)

    def order_get(self, transport: HttpTransport, order_id: str) -> Mapping[str, Any]:
        """One order, full (`getOrder` with the same `includedData` as the pull)."""
        body = transport.get(
            f"{ORDERS_PATH}/{quote(order_id, safe='')}",
            params={"includedData": ",".join(INCLUDED_DATA)},
            operation=GET_ORDER,
        )
        return p.mapping(p.mapping(body, "$").get("order"), "order")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _status(order: Mapping[str, Any]) -> str:
    return p.mapping(order.get("fulfillment"), "fulfillment", required=False).get(
        "fulfillmentStatus", ""
    )


def _updated(order: Mapping[str, Any]) -> tuple[datetime | None, str]:
    return p.utc(order.get("lastUpdatedTime"), "lastUpdatedTime"), str(order.get("orderId"))


def _money(value: Any, currency: str, path: str, *, negative: bool = False) -> Decimal:
    """Amazon's Money `{amount, currencyCode}`; every amount of an order is in one currency."""
    money = p.mapping(value, path)
    if money.get("currencyCode") != currency:
        raise MappingError(
            f"is not in the order's currency {currency}", path=f"{path}.currencyCode"
        )
    return p.money(money.get("amount"), currency, f"{path}.amount", negative=negative)


class _Item:
    """One order item's proceeds, by breakdown type (ItemProceedsBreakdown)."""

    def __init__(self) -> None:
        self.amount = self.discount = self.tax = p.ZERO
        self.shipping = self.shipping_discount = self.shipping_tax = p.ZERO

    def add(self, breakdown: Mapping[str, Any], currency: str, path: str) -> None:
        kind = p.text(breakdown.get("type"), f"{path}.type", required=True, max_length=32)
        amount = _money(breakdown.get("subtotal"), currency, f"{path}.subtotal", negative=True)
        details = p.sequence(
            breakdown.get("detailedBreakdowns"), f"{path}.detailedBreakdowns", required=False
        )
        if kind == "ITEM":
            self.amount += amount
        elif kind == "SHIPPING":
            self.shipping += amount
        elif kind in ("DISCOUNT", "TAX") and not details:
            # Undetailed: all of it is the item's. A discount lowers proceeds: its size counts.
            if kind == "DISCOUNT":
                self.discount += abs(amount)
            else:
                self.tax += amount
        elif kind in ("DISCOUNT", "TAX"):
            for k, detail in enumerate(details):
                self._detail(
                    kind,
                    p.mapping(detail, f"{path}.detailedBreakdowns.{k}"),
                    currency,
                    f"{path}.detailedBreakdowns.{k}",
                )
        elif amount:
            raise MappingError(f"{kind} charges are not mapped", path=path)

    def _detail(self, kind: str, detail: Mapping[str, Any], currency: str, path: str) -> None:
        subtype = p.text(detail.get("subtype"), f"{path}.subtype", required=True, max_length=32)
        value = _money(detail.get("value"), currency, f"{path}.value", negative=True)
        if kind == "DISCOUNT" and subtype in ("ITEM", "SHIPPING"):
            if subtype == "ITEM":
                self.discount += abs(value)
            else:
                self.shipping_discount += abs(value)
        elif kind == "TAX" and subtype == "ITEM":
            self.tax += value
        elif kind == "TAX" and subtype == "DISCOUNT":
            self.tax -= abs(value)  # the tax the discount took off
        elif kind == "TAX" and subtype == "SHIPPING":
            self.shipping_tax += value
        elif value:
            raise MappingError(f"{kind} on {subtype} is not mapped", path=path)


def _item(
    item: Mapping[str, Any], i: int, currency: str
) -> tuple[list[LineItem], Decimal, Decimal]:
    """An order item's lines (ITEM is the line's amount, quantity × unit price), and its
    shipping price (net of shipping discounts) and shipping tax."""
    path = f"orderItems.{i}"
    units = p.quantity(item.get("quantityOrdered"), f"{path}.quantityOrdered", allow_zero=True)
    product = p.mapping(item.get("product"), f"{path}.product")
    sku = p.sku(product.get("sellerSku"), f"{path}.product.sellerSku")
    proceeds = item.get("proceeds")
    if proceeds is None:
        raise MappingError("is missing: pull with includedData=PROCEEDS", path=f"{path}.proceeds")
    money = _Item()
    breakdowns = p.sequence(
        p.mapping(proceeds, f"{path}.proceeds").get("breakdowns"), f"{path}.proceeds.breakdowns"
    )
    for j, breakdown in enumerate(breakdowns):
        bpath = f"{path}.proceeds.breakdowns.{j}"
        money.add(p.mapping(breakdown, bpath), currency, bpath)
    _item_check(money, units, path)
    shipping = money.shipping - money.shipping_discount
    if not units:  # an item cancelled before shipping: nothing left of it to capture
        return [], shipping, money.shipping_tax
    lines = p.lines_at_unit_price(
        sku_code=sku,
        units=units,
        amount=money.amount,
        discount=money.discount,
        tax=money.tax,
        currency_code=currency,
        name=p.text(product.get("title"), f"{path}.product.title", max_length=2000)[:255],
        external_id=p.text(item.get("orderItemId"), f"{path}.orderItemId", max_length=128),
    )
    return lines, shipping, money.shipping_tax


def _item_check(money: _Item, units: int, path: str) -> None:
    where = f"{path}.proceeds.breakdowns"
    if money.amount < 0 or (not units and money.amount):
        raise MappingError(f"the ITEM amount {money.amount} does not fit {units} units", path=where)
    if money.discount > money.amount:
        raise MappingError(f"the discount {money.discount} exceeds {money.amount}", path=where)
    if money.tax < 0 or money.shipping_tax < 0:
        raise MappingError("the tax comes out negative", path=where)
    if money.shipping_discount > money.shipping:
        raise MappingError("the shipping discount exceeds the shipping price", path=where)


def _total(proceeds: Mapping[str, Any], currency: str) -> Decimal:
    """The grand total less delivery tips: a tip goes to the driver, not into the order."""
    total = _money(proceeds.get("grandTotal"), currency, "proceeds.grandTotal")
    breakdowns = p.sequence(proceeds.get("breakdowns"), "proceeds.breakdowns", required=False)
    for j, breakdown in enumerate(breakdowns):
        breakdown = p.mapping(breakdown, f"proceeds.breakdowns.{j}")
        if breakdown.get("type") == "DELIVERY_TIP":
            total -= _money(
                breakdown.get("subtotal"), currency, f"proceeds.breakdowns.{j}.subtotal"
            )
    return total


def _address(payload: Mapping[str, Any], by_amazon: bool) -> OrderAddress:
    """The delivery address. Amazon withholds the street of an order it ships itself (FBA):
    the order keeps what Amazon gives (city, region, postal code, country), the street says
    so, since Ordino ships nothing of it."""
    path = "recipient.deliveryAddress"
    recipient = p.mapping(payload.get("recipient"), "recipient", required=not by_amazon)
    address = p.mapping(recipient.get("deliveryAddress"), path, required=not by_amazon)
    return address_of(address, path, by_amazon, ("municipality", "districtOrCounty"))


def address_of(
    address: Mapping[str, Any],
    path: str,
    by_amazon: bool,
    city_fallbacks: tuple[str, ...],
    *,
    pascal: bool = False,
) -> OrderAddress:
    """An Amazon address as an order's, in either API's key case (2026-01-01: `addressLine1`;
    v0, `pascal`: `AddressLine1`); the street of an order Amazon ships itself is withheld."""

    def key(name: str) -> str:
        return name[0].upper() + name[1:] if pascal else name

    def text(name: str, **bounds: Any) -> str:
        return p.text(address.get(key(name)), f"{path}.{key(name)}", **bounds)

    line1 = text("addressLine1", required=not by_amazon)
    city = text("city", max_length=128) or p.text(
        next((address.get(k) for k in city_fallbacks if address.get(k)), None),
        f"{path}.{key('city')}",
        required=not by_amazon,
        max_length=128,
    )
    extra = [text(k) for k in ("addressLine2", "addressLine3")]
    return OrderAddress(
        line1=line1 or WITHHELD,
        city=city or WITHHELD[:128],
        country=p.country(address.get(key("countryCode")), f"{path}.{key('countryCode')}"),
        name=text("name"),
        company=text("companyName"),
        line2=", ".join(e for e in extra if e)[:255],
        region=text("stateOrRegion", max_length=128),
        postal_code=text("postalCode", max_length=32),
        phone=text("phone", max_length=32),
    )


def _buyer(payload: Mapping[str, Any]) -> OrderCustomer | None:
    """The buyer: Amazon's per-order relay e-mail and one name. No billing address is given."""
    buyer = p.mapping(payload.get("buyer"), "buyer", required=False)
    if not buyer:
        return None
    first, last = p.name_split(p.text(buyer.get("buyerName"), "buyer.buyerName"))
    email = p.text(buyer.get("buyerEmail"), "buyer.buyerEmail", max_length=254)
    return OrderCustomer(email=email, first_name=first, last_name=last)


def _tags(payload: Mapping[str, Any], by_amazon: bool) -> tuple[str, ...]:
    tags = [p.tag("channel", "amazon"), p.tag("fulfillment", "amazon" if by_amazon else "merchant")]
    programs = p.sequence(payload.get("programs"), "programs", required=False)
    tags += [p.tag("amazon", str(program)) for program in programs if program in _PROGRAM_TAGS]
    sales = p.mapping(payload.get("salesChannel"), "salesChannel", required=False)
    marketplace = p.text(sales.get("marketplaceId"), "salesChannel.marketplaceId", max_length=32)
    if marketplace:
        tags.append(p.tag("amazon", "marketplace", marketplace))
    return tuple(dict.fromkeys(tags))


_PROGRAM_TAGS = frozenset({"PRIME", "AMAZON_BUSINESS", "PREMIUM", "PREORDER", "IN_STORE_PICK_UP"})

PLATFORM = AmazonPlatform()


def _deliver_by(fulfillment: Mapping[str, Any]) -> date | None:
    """The end of the window the seller committed to deliver in (`deliverByWindow`)."""
    window = p.mapping(
        fulfillment.get("deliverByWindow"), "fulfillment.deliverByWindow", required=False
    )
    return p.utc_day(window.get("latestDateTime"), "fulfillment.deliverByWindow.latestDateTime")
