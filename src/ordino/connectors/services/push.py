"""What Ordino did to a connected channel's order, pushed back to the channel (docs/connectors.md,
"Shipments and cancellations pushed back"): when a location ships units, the platform is told
which of its lines left, with the carrier and tracking; when Ordino cancels the whole order, the
platform cancels it too. Outbox subscribers (wiring.py): a failed push raises, and the outbox
retries the event with backoff until it is dead (then a case, cases' sweep).

What a platform cannot be told (a partial cancellation; Amazon's and eBay's cancellations) is
not sent: one row in the integration log says so, for a person to do it on the channel."""

from __future__ import annotations

from ordino.connectors.models import Connection, InboundMessage
from ordino.connectors.platforms import PLATFORMS
from ordino.connectors.services.poll import transport_for
from ordino.integrations.services import integration_call_record
from ordino.orders.events import OrderCancelled, OrderLinesCancelled, OrderShipped
from ordino.orders.selectors import order_get

CANCEL_OPERATION = "orders/cancel"


def _connection_of(order) -> Connection | None:
    connection = Connection.objects.filter(channel_id=order.channel_id, is_active=True).first()
    if connection is None or not connection.credentials_encrypted or not order.external_id:
        return None  # no channel to tell, or an order the channel never had
    return connection


def fulfillment_push_on_shipped(event: OrderShipped, **transport_options) -> bool:
    """True when something was sent to the platform."""
    order = order_get(order_id=event.order_id)
    connection = _connection_of(order)
    if connection is None:
        return False
    push = getattr(PLATFORMS[connection.platform], "fulfillment_push", None)
    if push is None:
        return False
    line_ids = {line.line_no: line.external_id for line in order.lines.all()}
    lines: dict[str, int] = {}
    for shipped in event.details.get("lines", []):
        external = line_ids.get(shipped.get("line_no"))
        if external:
            lines[external] = lines.get(external, 0) + int(shipped.get("quantity", 0))
    if not lines:
        return False
    sent = push(
        transport_for(connection, **transport_options),
        order_external_id=order.external_id, lines=lines,
        carrier=str(event.details.get("carrier", "")),
        tracking_numbers=list(event.details.get("tracking_numbers", [])),
    )  # fmt: skip
    return sent is not None


def cancellation_push_on_cancelled(event: OrderCancelled, **transport_options) -> bool:
    """The whole order cancelled in Ordino: the platform cancels it too. True when something
    was sent. A cancellation that came from the channel (a message of this connection cancelled
    the order: Shopify's orders/cancelled, a Woo status or deletion, a poll) is not sent back."""
    order = order_get(order_id=event.order_id)
    connection = _connection_of(order)
    if connection is None or cancelled_by_channel(connection, order.pk):
        return False
    push = getattr(PLATFORMS[connection.platform], "order_cancel_push", None)
    if push is None:
        _not_pushed(connection, order, "the platform takes no cancellation from Ordino")
        return False
    sent = push(transport_for(connection, **transport_options), order_external_id=order.external_id)
    return sent is not None


def cancellation_push_on_lines_cancelled(event: OrderLinesCancelled) -> bool:
    """Some units cancelled, the rest goes on: no platform is told (Shopify needs an order edit,
    Woo a rewrite of the order's lines and totals). Logged as not pushed; always False."""
    order = order_get(order_id=event.order_id)
    connection = _connection_of(order)
    if connection is None or cancelled_by_channel(connection, order.pk):
        return False
    units = sum(int(line.get("quantity", 0)) for line in event.details.get("lines", []))
    _not_pushed(connection, order, f"a partial cancellation ({units} unit(s)) is not sent")
    return False


def cancelled_by_channel(connection: Connection, order_id: int) -> bool:
    """A message of the connection cancelled the order (ingest's outcome `cancelled`): the
    channel knows, telling it back would loop. Whoever processed it (the worker, a person's
    replay), the message's outcome says where the cancellation came from."""
    return InboundMessage.objects.filter(
        connection=connection, order_id=order_id, status="cancelled"
    ).exists()


def _not_pushed(connection: Connection, order, why: str) -> None:
    """One failed row of the integration log without a call: a person must do it on the
    channel (its theme groups them)."""
    integration_call_record(
        direction="out", system=connection.platform, ok=False, operation=CANCEL_OPERATION,
        connection=str(connection.pk), error=f"not pushed: {why} (docs/connectors.md)",
        object_type="order", object_id=order.pk, correlation_id=order.external_id,
    )  # fmt: skip
