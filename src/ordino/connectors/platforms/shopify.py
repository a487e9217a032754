"""Shopify (docs/connectors.md, "Shopify"): the webhook signature and the order JSON of the Admin
REST API (`Order` resource, version 2025-01), the same in a webhook's body and a poll's page.

Pure: it parses and checks; the connector core stores, calls, logs and captures.

- Signature: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw body with the app's
  secret, compared in constant time. Shopify signs no timestamp, so a stale delivery cannot be
  told from a fresh one by the signature: the guard against a replay is the delivery id
  (`X-Shopify-Webhook-Id`), unique per connection in the core's store.
- Money: strings in the shop's currency ("19.99"), made exact Decimals in the currency's minor
  unit (JPY 0, EUR 2, KWD 3); more decimals than the currency has is a MappingError, never a
  rounding. After edits on Shopify's side the `current_*` totals and `current_quantity` win.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ordino.connectors.platforms.base import (
    ChannelOrderState,
    HttpTransport,
    MappingError,
    WebhookCheck,
    WebhookRefused,
)
from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import money_exact
from ordino.orders.commands import (
    CaptureOrder,
    CapturePayment,
    LineItem,
    OrderAddress,
    OrderCustomer,
)

API_VERSION = "2025-01"
ORDER_TOPICS = ("orders/create", "orders/updated", "orders/cancelled", "orders/paid")
# Shopify's gateways that take a card; any other gateway collected the money another way.
CARD_GATEWAYS = frozenset({"shopify_payments", "stripe", "braintree", "adyen", "paypal"})
OTHER_GATEWAYS = {
    "cash on delivery (cod)": "cash_on_delivery",
    "bank deposit": "bank_transfer",
    "manual": "other",
}
PAID = frozenset({"paid", "partially_paid", "authorized", "partially_refunded"})


def _text(value: object, path: str, *, required: bool = False, limit: int = 255) -> str:
    if value is None or value == "":
        if required:
            raise MappingError("is missing", path=path)
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MappingError(f"is not text: {value!r}"[:200], path=path)
    return str(value).strip()[:limit]


def _money(value: object, currency: str, path: str) -> Decimal:
    if value is None or value == "":
        return money_exact(0, currency)
    if isinstance(value, bool) or not isinstance(value, str | int):
        # Shopify sends money as strings; a float would already have lost exactness
        raise MappingError(f"is not a decimal string: {value!r}"[:200], path=path)
    try:
        amount = money_exact(str(value), currency, field=path)
    except DomainError as exc:
        raise MappingError(exc.message, path=path) from None
    if amount < 0:
        raise MappingError(f"is negative: {value!r}", path=path)
    return amount


def _time(value: object, path: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise MappingError(f"is not a time: {value!r}"[:200], path=path)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise MappingError(f"is not an ISO 8601 time: {value!r}"[:200], path=path) from None
    if moment.tzinfo is None:
        raise MappingError("has no UTC offset", path=path)
    return moment


def _object(value: object, path: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise MappingError("is not an object", path=path)
    return value


def _list(value: object, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MappingError("is not a list", path=path)
    return value


def _quantity(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise MappingError(f"is not a quantity: {value!r}"[:200], path=path)
    return value


def _sum(items: list[Any], key: str, currency: str, path: str) -> Decimal:
    total = _money(0, currency, path)
    for i, item in enumerate(items):
        total += _money(_object(item, f"{path}[{i}]").get(key), currency, f"{path}[{i}].{key}")
    return total


def _address(value: object, path: str) -> OrderAddress | None:
    data = _object(value, path)
    if not data:
        return None
    country = _text(data.get("country_code"), f"{path}.country_code", required=True).upper()
    if len(country) != 2 or not country.isalpha():
        raise MappingError(
            f"is not an ISO 3166 country code: {country!r}", path=f"{path}.country_code"
        )
    name = _text(data.get("name"), f"{path}.name") or " ".join(
        part
        for part in (_text(data.get("first_name"), path), _text(data.get("last_name"), path))
        if part
    )
    return OrderAddress(
        line1=_text(data.get("address1"), f"{path}.address1", required=True),
        line2=_text(data.get("address2"), f"{path}.address2"),
        city=_text(data.get("city"), f"{path}.city", required=True),
        region=_text(data.get("province_code"), f"{path}.province_code", limit=64),
        postal_code=_text(data.get("zip"), f"{path}.zip", limit=32),
        country=country,
        name=name,
        company=_text(data.get("company"), f"{path}.company"),
        phone=_text(data.get("phone"), f"{path}.phone", limit=32),
    )


def _customer(payload: Mapping[str, Any]) -> OrderCustomer | None:
    data = _object(payload.get("customer"), "customer")
    email = _text(payload.get("email") or data.get("email"), "email")
    if not data and not email:
        return None
    return OrderCustomer(
        external_id=_text(data.get("id"), "customer.id", limit=128),
        email=email,
        phone=_text(payload.get("phone") or data.get("phone"), "customer.phone", limit=32),
        first_name=_text(data.get("first_name"), "customer.first_name"),
        last_name=_text(data.get("last_name"), "customer.last_name"),
    )


def _line(item: object, i: int, currency: str) -> LineItem | None:
    path = f"line_items[{i}]"
    data = _object(item, path)
    quantity = _quantity(data.get("quantity"), f"{path}.quantity")
    if data.get("current_quantity") is not None:  # after edits on Shopify's side
        quantity = _quantity(data.get("current_quantity"), f"{path}.current_quantity")
    if quantity == 0:
        return None  # removed on Shopify's side
    allocations = _list(data.get("discount_allocations"), f"{path}.discount_allocations")
    discount = (
        _sum(allocations, "amount", currency, f"{path}.discount_allocations")
        if allocations
        else _money(data.get("total_discount"), currency, f"{path}.total_discount")
    )
    taxes = _list(data.get("tax_lines"), f"{path}.tax_lines")
    return LineItem(
        sku=_text(data.get("sku"), f"{path}.sku", required=True, limit=64),
        quantity=quantity,
        unit_price=_money(data.get("price"), currency, f"{path}.price"),
        discount=discount,
        tax=_sum(taxes, "price", currency, f"{path}.tax_lines"),
        name=_text(data.get("name") or data.get("title"), f"{path}.name"),
        external_id=_text(data.get("id"), f"{path}.id", limit=128),
    )


def _shipping(payload: Mapping[str, Any], currency: str) -> tuple[Decimal, Decimal]:
    price = tax = _money(0, currency, "shipping_lines")
    for i, item in enumerate(_list(payload.get("shipping_lines"), "shipping_lines")):
        path = f"shipping_lines[{i}]"
        data = _object(item, path)
        key = "discounted_price" if data.get("discounted_price") is not None else "price"
        price += _money(data.get(key), currency, f"{path}.{key}")
        tax += _sum(_list(data.get("tax_lines"), f"{path}.tax_lines"), "price", currency,
                    f"{path}.tax_lines")  # fmt: skip
    return price, tax


def _payments(payload: Mapping[str, Any], currency: str, total: Decimal) -> tuple:
    status = _text(payload.get("financial_status"), "financial_status")
    if status not in PAID or total <= 0:
        return ()
    names = _list(payload.get("payment_gateway_names"), "payment_gateway_names")
    gateway = _text(names[0] if names else payload.get("gateway"), "gateway").lower()
    method = "card" if gateway in CARD_GATEWAYS else OTHER_GATEWAYS.get(gateway, "marketplace")
    # The channel took the money: Ordino books it, it never moves it (provider offline).
    return (CapturePayment(method=method, provider="offline", token=f"shopify:{gateway}"[:255]),)


def _next_page_info(links: Mapping[str, Any]) -> str | None:
    """The `page_info` of the Link header's rel="next" URL (the transport's `links`)."""
    url = _object(links.get("next"), "links.next").get("url", "")
    values = parse_qs(urlsplit(str(url)).query).get("page_info")
    return values[0] if values else None


def _tags(value: object) -> tuple[str, ...]:
    text = _text(value, "tags", limit=4000)
    return tuple(sorted({tag.strip()[:64] for tag in text.split(",") if tag.strip()}))


class ShopifyPlatform:
    code = "shopify"
    order_topics = ORDER_TOPICS
    # Shopify's REST Admin API: a leaky bucket of 40 requests, refilled at 2 per second.
    rate_limits: Mapping[str, tuple[float, int]] = {
        "orders/list": (2.0, 40),
        "fulfillments/create": (2.0, 40),
        "fulfillment_orders/list": (2.0, 40),
        "shop/get": (2.0, 40),
        # stock pushed to the channel (services/stock.py); GraphQL's own limit is by query
        # cost (100 points/s for a standard shop): a SKU lookup costs far less than 50
        "inventory_levels/set": (2.0, 40),
        "locations/list": (2.0, 40),
        "graphql/productVariants": (2.0, 40),
        "orders/get": (2.0, 40),
        "orders/cancel": (2.0, 40),
    }

    def order_from_payload(self, payload: Mapping[str, Any], *, channel: str) -> CaptureOrder:
        payload = _object(payload, "")
        external_id = _text(payload.get("id"), "id", required=True, limit=128)
        currency = _text(payload.get("currency"), "currency", required=True).upper()
        try:
            money_exact(0, currency)
        except DomainError as exc:
            raise MappingError(exc.message, path="currency") from None
        items = _list(payload.get("line_items"), "line_items")
        lines = tuple(line for i, item in enumerate(items) if (line := _line(item, i, currency)))
        if not lines:
            raise MappingError("has no line with a quantity left", path="line_items")
        shipping, shipping_tax = _shipping(payload, currency)
        total_key = "current_total_price" if "current_total_price" in payload else "total_price"
        total = _money(payload.get(total_key), currency, total_key)
        shipping_address = _address(payload.get("shipping_address"), "shipping_address")
        return CaptureOrder(
            channel=channel,
            external_id=external_id,
            currency=currency,
            lines=lines,
            placed_at=_time(payload.get("created_at"), "created_at"),
            customer=_customer(payload),
            shipping_address=shipping_address,
            billing_address=_address(payload.get("billing_address"), "billing_address"),
            shipping_price=shipping,
            shipping_tax=shipping_tax,
            # every discount Shopify applied is allocated to the lines (discount_allocations)
            discount=Decimal(0),
            total=total,
            tags=_tags(payload.get("tags")),
            raw_payload=dict(payload),
            payments=_payments(payload, currency, total),
        )

    def order_state(self, payload: Mapping[str, Any]) -> ChannelOrderState:
        payload = _object(payload, "")
        return ChannelOrderState(
            external_id=_text(payload.get("id"), "id", required=True, limit=128),
            updated_at=_time(payload.get("updated_at"), "updated_at"),
            cancelled=_time(payload.get("cancelled_at"), "cancelled_at") is not None,
        )

    def webhook_verify(
        self, *, body: bytes, headers: Mapping[str, str], secret: str, now: datetime
    ) -> WebhookCheck:
        lowered = {key.lower(): value for key, value in headers.items()}
        signature = lowered.get("x-shopify-hmac-sha256", "")
        if not signature:
            raise WebhookRefused("signature_missing", "No X-Shopify-Hmac-Sha256 header.")
        if not secret:
            raise WebhookRefused("secret_missing", "The connection has no webhook secret.")
        expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
        if not hmac.compare_digest(expected, signature.strip().encode()):
            raise WebhookRefused("signature_invalid", "X-Shopify-Hmac-Sha256 does not match.")
        delivery_id = lowered.get("x-shopify-webhook-id", "").strip()
        topic = lowered.get("x-shopify-topic", "").strip()
        if not delivery_id or not topic:
            raise WebhookRefused(
                "headers_missing", "X-Shopify-Webhook-Id and X-Shopify-Topic are required."
            )
        sent_at = lowered.get("x-shopify-triggered-at", "").strip()
        try:
            sent = datetime.fromisoformat(sent_at) if sent_at else None
        except ValueError:
            sent = None
        return WebhookCheck(delivery_id=delivery_id[:128], topic=topic[:64], sent_at=sent)

    def orders_pull(
        self, transport: HttpTransport, *, updated_after: datetime
    ) -> Iterator[Mapping[str, Any]]:
        """Every order updated after the cursor, oldest first, 250 a page; the next page is
        named by the Link header's `page_info` (the transport hands it back as `next`)."""
        params: dict[str, Any] | None = {
            "status": "any",
            "updated_at_min": updated_after.isoformat(),
            "order": "updated_at asc",
            "limit": 250,
        }
        path = f"/admin/api/{API_VERSION}/orders.json"
        while params is not None:
            page = transport.get(path, params=params, operation="orders/list")
            yield from _list(_object(page, "").get("orders"), "orders")
            cursor = _next_page_info(getattr(page, "links", {}))
            # Shopify refuses any other parameter beside page_info on later pages
            params = {"limit": 250, "page_info": cursor} if cursor else None

    def connection_test(self, transport: HttpTransport) -> None:
        """Optional member (not in base.Platform): the cheapest authenticated call."""
        transport.get(f"/admin/api/{API_VERSION}/shop.json", operation="shop/get")

    def fulfillment_push(
        self, transport: Any, *, order_external_id: str, lines: Mapping[str, int],
        carrier: str, tracking_numbers: list[str],
    ) -> Any:  # fmt: skip
        """Optional member: tell Shopify the units shipped (`lines`: Shopify line item id →
        quantity), with tracking. What Shopify no longer has open to fulfil is not sent again,
        so a retried push sends nothing twice. None: nothing left to send."""
        path = f"/admin/api/{API_VERSION}/orders/{order_external_id}/fulfillment_orders.json"
        page = transport.get(path, operation="fulfillment_orders/list")
        wanted = dict(lines)
        by_order = []
        for fo in _list(_object(page, "").get("fulfillment_orders"), "fulfillment_orders"):
            fo = _object(fo, "fulfillment_orders[]")
            if fo.get("status") not in ("open", "in_progress"):
                continue
            items = []
            for item in _list(fo.get("line_items"), "line_items"):
                line_item_id = str(_object(item, "line_items[]").get("line_item_id"))
                take = min(wanted.get(line_item_id, 0), int(item.get("fulfillable_quantity") or 0))
                if take > 0:
                    items.append({"id": item["id"], "quantity": take})
                    wanted[line_item_id] -= take
            if items:
                by_order.append(
                    {"fulfillment_order_id": fo["id"], "fulfillment_order_line_items": items}
                )
        if not by_order:
            return None
        number = tracking_numbers[0] if tracking_numbers else ""
        body = {"fulfillment": {
            "line_items_by_fulfillment_order": by_order,
            "tracking_info": {"company": carrier, "number": number},
            "notify_customer": True,
        }}  # fmt: skip
        return transport.post(
            f"/admin/api/{API_VERSION}/fulfillments.json", json=body,
            operation="fulfillments/create",
        )  # fmt: skip

    def order_cancel_push(self, transport: Any, *, order_external_id: str) -> Any:
        """Optional member: tell Shopify the whole order was cancelled in Ordino
        (`POST /orders/{id}/cancel.json`). Shopify is read first: an order it has cancelled
        already is not sent again, so a retried push cancels once. None: nothing sent.

        The body: `reason` other (Ordino's reasons are free text), `email` true (Shopify tells
        the buyer, as it does for a fulfillment), `restock` true (Shopify's own count gets the
        units back, as Ordino's does); no `amount`: the push moves no money, a refund of what
        Shopify collected is the merchant's in Shopify (docs/connectors.md)."""
        path = f"/admin/api/{API_VERSION}/orders/{order_external_id}"
        page = transport.get(
            f"{path}.json", params={"fields": "id,cancelled_at"}, operation="orders/get"
        )
        order = _object(_object(page, "").get("order"), "order")
        if order.get("cancelled_at"):
            return None
        body = {"reason": "other", "email": True, "restock": True}
        return transport.post(f"{path}/cancel.json", json=body, operation="orders/cancel")


PLATFORM = ShopifyPlatform()
