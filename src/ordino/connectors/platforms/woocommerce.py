"""WooCommerce (REST API v3): order webhooks, the v3 order JSON mapped to a capture, and the
orders pull by `modified_after` that recovers what a webhook missed (Woo disables a webhook
after 5 failed deliveries). Pure: the connector core stores, calls, logs and captures
(docs/connectors-marketplaces.md, "WooCommerce"). Shapes from woocommerce/woocommerce-rest-api-docs
`source/includes/wp-api-v3/_orders.md` and `_webhooks.md`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
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

ORDERS_PATH = "/wp-json/wc/v3/orders"
PER_PAGE = 100  # the largest page Woo's REST API serves
MAX_PAGES = 10_000  # a server that never ends its pages is stopped, not followed forever
LIST_ORDERS = "listOrders"
GET_ORDER = "getOrder"
UPDATE_ORDER = "updateOrder"
TOPICS = frozenset({"order.created", "order.updated", "order.deleted", "order.restored"})
# Woo's statuses that end an order without it being fulfilled; `trash` is a deleted order.
CANCELLED_STATUSES = frozenset({"cancelled", "refunded", "failed", "trash"})
# Woo sends this form body, unsigned, when a webhook is created or re-activated.
_PING = re.compile(rb"webhook_id=(\d{1,20})")


class WooCommercePlatform:
    code = "woocommerce"
    # Woo publishes no rate limit; a WordPress host serving 100 full orders a page is slow and
    # often shared, so one page a second with a burst of 4 (docs/connectors-marketplaces.md).
    rate_limits: Mapping[str, tuple[float, int]] = {
        LIST_ORDERS: (1.0, 4), GET_ORDER: (1.0, 4), UPDATE_ORDER: (1.0, 4),
        "products/list": (1.0, 4),  # stock pushed to the channel (services/stock.py)
        "products/batch": (1.0, 4),
    }  # fmt: skip
    # the topics whose body is the whole order; a ping carries none: stored and ignored
    order_topics = ("order.created", "order.updated", "order.restored")
    # `order.deleted` (trashed or deleted in Woo) carries only `{"id": n}`: the order Ordino
    # has of it is cancelled, an order Ordino never had is ignored (docs/connectors-marketplaces.md)
    deletion_topics = ("order.deleted",)

    def webhook_verify(
        self, *, body: bytes, headers: Mapping[str, str], secret: str, now: datetime
    ) -> WebhookCheck:
        """`X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the raw body with the webhook's
        secret, compared in constant time. Woo sends no timestamp: a replay is caught by its
        delivery id (the core's de-duplication) and by `date_modified_gmt` (never older)."""
        signature = p.header(headers, "X-WC-Webhook-Signature")
        ping = _PING.fullmatch(body.strip())
        if not signature and ping:
            return WebhookCheck(delivery_id=f"ping:{ping.group(1).decode()}", topic="ping")
        if not secret:
            raise WebhookRefused("secret_missing", "The connection has no webhook secret.")
        if not signature:
            raise WebhookRefused("signature_missing", "X-WC-Webhook-Signature is missing.")
        expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
        if not hmac.compare_digest(expected, signature.strip().encode()):
            raise WebhookRefused("signature_invalid", "X-WC-Webhook-Signature does not match.")
        topic = p.header(headers, "X-WC-Webhook-Topic").strip()
        if topic not in TOPICS:
            raise WebhookRefused(
                "topic_unsupported",
                f"Topic {topic!r} is not an order topic ({', '.join(sorted(TOPICS))}).",
            )
        return WebhookCheck(delivery_id=_delivery_id(body, headers), topic=topic)

    def order_state(self, payload: Mapping[str, Any]) -> ChannelOrderState:
        """A deleted order's webhook body is only `{"id": N}`: it counts as cancelled."""
        external_id = p.text(payload.get("id"), "id", required=True, max_length=128)
        status = p.text(payload.get("status"), "status", max_length=32)
        deleted = "status" not in payload and "line_items" not in payload
        return ChannelOrderState(
            external_id=external_id,
            updated_at=p.utc(payload.get("date_modified_gmt"), "date_modified_gmt", required=False),
            cancelled=deleted or status in CANCELLED_STATUSES,
        )

    def order_from_payload(self, payload: Mapping[str, Any], *, channel: str) -> CaptureOrder:
        p.mapping(payload, "$")
        status = p.text(payload.get("status"), "status", required=True, max_length=32)
        if status == "checkout-draft":
            raise MappingError("a checkout draft is not an order yet", path="status")
        currency = p.currency(payload.get("currency"), "currency")
        inclusive = _inclusive(payload.get("prices_include_tax"))
        lines = [
            line
            for i, item in enumerate(p.sequence(payload.get("line_items"), "line_items"))
            for line in _line(p.mapping(item, f"line_items.{i}"), i, currency, inclusive)
        ]
        shipping_price, shipping_tax = _shipping(payload, currency, inclusive)
        billing = p.mapping(payload.get("billing"), "billing", required=False)
        shipping = p.mapping(payload.get("shipping"), "shipping", required=False)
        billing_address = _address(billing, "billing", required=False)
        shipping_address = _address(shipping, "shipping", required=False) or billing_address
        if shipping_address is None:
            raise MappingError("no shipping or billing address to ship to", path="shipping")
        return CaptureOrder(
            channel=channel,
            external_id=p.text(payload.get("id"), "id", required=True, max_length=128),
            currency=currency,
            lines=p.lines_bounded(lines, "line_items"),
            placed_at=p.utc(payload.get("date_created_gmt"), "date_created_gmt", required=False),
            customer=_customer(payload, billing),
            shipping_address=shipping_address,
            billing_address=billing_address,
            shipping_price=shipping_price,
            shipping_tax=shipping_tax,
            discount=_fees_as_discount(payload, currency),
            total=p.money(payload.get("total"), currency, "total"),
            tags=_tags(payload, status),
            raw_payload=p.raw_copy(payload),
        )

    def orders_pull(
        self, transport: HttpTransport, *, updated_after: datetime
    ) -> Iterator[Mapping[str, Any]]:
        """Every order modified after `updated_after`, oldest first: Woo sorts by modification
        (`orderby=modified&order=asc`, GMT dates), pages of 100 until a short page."""
        params: dict[str, Any] = {
            "modified_after": updated_after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "dates_are_gmt": "true",
            "orderby": "modified",
            "order": "asc",
            "per_page": PER_PAGE,
        }
        for page in range(1, MAX_PAGES + 1):
            batch = transport.get(
                ORDERS_PATH, params={**params, "page": page}, operation=LIST_ORDERS
            )
            orders = p.sequence(batch, f"page {page}")
            for i, order in enumerate(orders):
                yield p.mapping(order, f"page {page}.{i}")
            if len(orders) < PER_PAGE:
                return
        raise MappingError(f"more than {MAX_PAGES} pages of orders", path=ORDERS_PATH)

    def order_cancel_push(self, transport: Any, *, order_external_id: str) -> Any:
        """Optional member: tell Woo the whole order was cancelled in Ordino
        (`PUT /orders/{id}` `{"status": "cancelled"}`). Woo is read first: an order it has
        ended already (cancelled, refunded, failed, trashed) or completed is left alone, so a
        retried push sends once and never turns a refund or a completion into a cancellation.
        None: nothing sent."""
        path = f"{ORDERS_PATH}/{order_external_id}"
        order = p.mapping(transport.get(path, operation=GET_ORDER), "$")
        status = p.text(order.get("status"), "status", max_length=32)
        if status in CANCELLED_STATUSES or status == "completed":
            return None
        return transport.put(path, json={"status": "cancelled"}, operation=UPDATE_ORDER)


def _delivery_id(body: bytes, headers: Mapping[str, str]) -> str:
    """Woo's delivery id with the body's SHA-256. Woo makes the id from the webhook's id and
    the current second (`WC_Webhook::get_new_delivery_id`: `wp_hash(id . strtotime('now'))`),
    so two deliveries of one webhook in the same second share it: de-duplicating on it alone
    would drop the second order. Id and body together are one delivery."""
    delivery = p.header(headers, "X-WC-Webhook-Delivery-ID") or p.header(
        headers, "X-WC-Delivery-ID"
    )
    return f"{delivery.strip()[:60] or 'body'}:{hashlib.sha256(body).hexdigest()}"


def _inclusive(value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise MappingError("must be true or false", path="prices_include_tax")
    return value


def _line(item: Mapping[str, Any], i: int, currency: str, inclusive: bool) -> list[LineItem]:
    """Woo's line amounts exclude tax: `subtotal` before coupons, `total` after. With prices
    entered including tax (`prices_include_tax`) the line is mapped as the shop showed it:
    tax-inclusive amounts, the tax kept as the part included (docs/tax.md)."""
    path = f"line_items.{i}"
    units = p.quantity(item.get("quantity"), f"{path}.quantity")
    subtotal = p.money(item.get("subtotal"), currency, f"{path}.subtotal")
    total = p.money(item.get("total"), currency, f"{path}.total")
    tax = p.money(item.get("total_tax"), currency, f"{path}.total_tax")
    if inclusive:
        subtotal += p.money(item.get("subtotal_tax"), currency, f"{path}.subtotal_tax")
        total += tax
    if total > subtotal:
        raise MappingError(
            f"the total {total} exceeds the subtotal {subtotal}", path=f"{path}.total"
        )
    return p.lines_at_unit_price(
        sku_code=p.sku(item.get("sku"), f"{path}.sku"),
        units=units,
        amount=subtotal,
        discount=subtotal - total,
        tax=tax,
        currency_code=currency,
        name=html.unescape(p.text(item.get("name"), f"{path}.name", max_length=1000))[:255],
        external_id=p.text(item.get("id"), f"{path}.id", max_length=128),
    )


def _shipping(
    payload: Mapping[str, Any], currency: str, inclusive: bool
) -> tuple[Decimal, Decimal]:
    price = tax = p.ZERO
    for i, line in enumerate(
        p.sequence(payload.get("shipping_lines"), "shipping_lines", required=False)
    ):
        path = f"shipping_lines.{i}"
        line = p.mapping(line, path)
        price += p.money(line.get("total"), currency, f"{path}.total")
        tax += p.money(line.get("total_tax", "0"), currency, f"{path}.total_tax")
    return (price + tax if inclusive else price), tax


def _fees_as_discount(payload: Mapping[str, Any], currency: str) -> Decimal:
    """A negative fee without tax (a discount added by a plugin) is an order discount. Other
    fees (a surcharge) have no place in an Ordino order: refused, naming the fee."""
    discount = p.ZERO
    for i, fee in enumerate(p.sequence(payload.get("fee_lines"), "fee_lines", required=False)):
        path = f"fee_lines.{i}"
        fee = p.mapping(fee, path)
        total = p.money(fee.get("total"), currency, f"{path}.total", negative=True)
        tax = p.money(fee.get("total_tax", "0"), currency, f"{path}.total_tax", negative=True)
        if total > 0 or tax != 0:
            raise MappingError(
                "fees are not mapped (only a negative fee without tax, as a discount)", path=path
            )
        discount -= total
    return discount


def _address(part: Mapping[str, Any], path: str, *, required: bool) -> OrderAddress | None:
    """Woo's billing/shipping block; None when it is empty (a virtual order ships nothing)."""
    line1 = p.text(part.get("address_1"), f"{path}.address_1")
    if not line1 and not required:
        return None
    name = " ".join(
        n
        for n in (
            p.text(part.get("first_name"), f"{path}.first_name", max_length=128),
            p.text(part.get("last_name"), f"{path}.last_name", max_length=128),
        )
        if n
    )
    return OrderAddress(
        line1=line1,
        city=p.text(part.get("city"), f"{path}.city", required=True, max_length=128),
        country=p.country(part.get("country"), f"{path}.country"),
        name=name,
        company=p.text(part.get("company"), f"{path}.company"),
        line2=p.text(part.get("address_2"), f"{path}.address_2"),
        region=p.text(part.get("state"), f"{path}.state", max_length=128),
        postal_code=p.text(part.get("postcode"), f"{path}.postcode", max_length=32),
        phone=p.text(part.get("phone"), f"{path}.phone", max_length=32),
    )


def _customer(payload: Mapping[str, Any], billing: Mapping[str, Any]) -> OrderCustomer:
    """The buyer from the billing block; a guest (`customer_id` 0) has no external id."""
    customer_id = payload.get("customer_id") or ""
    return OrderCustomer(
        external_id=p.text(customer_id, "customer_id", max_length=128),
        email=p.text(billing.get("email"), "billing.email", max_length=254),
        phone=p.text(billing.get("phone"), "billing.phone", max_length=32),
        first_name=p.text(billing.get("first_name"), "billing.first_name", max_length=128),
        last_name=p.text(billing.get("last_name"), "billing.last_name", max_length=128),
    )


def _tags(payload: Mapping[str, Any], status: str) -> tuple[str, ...]:
    tags = [p.tag("channel", "woocommerce"), p.tag("fulfillment", "merchant")]
    if status in {"pending", "on-hold"}:
        tags.append(p.tag("woocommerce", status))  # not paid yet: a hold rule can wait on it
    for i, coupon in enumerate(
        p.sequence(payload.get("coupon_lines"), "coupon_lines", required=False)
    ):
        code = p.text(p.mapping(coupon, f"coupon_lines.{i}").get("code"), f"coupon_lines.{i}.code")
        if code:
            tags.append(p.tag("coupon", code))
    for i, line in enumerate(
        p.sequence(payload.get("shipping_lines"), "shipping_lines", required=False)
    ):
        method = p.text(
            p.mapping(line, f"shipping_lines.{i}").get("method_id"), f"shipping_lines.{i}.method_id"
        )
        if method.startswith("local_pickup"):
            tags.append(p.tag("woocommerce", "local-pickup"))
    return tuple(dict.fromkeys(tags))


PLATFORM = WooCommercePlatform()
