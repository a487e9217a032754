"""Shipments pushed back to the channel (docs/connectors.md, "Shipments pushed back"): when a
location ships units of a connected channel's order, the platform is told which of its lines
left, with the carrier and tracking. An outbox subscriber (wiring.py): a failed push raises, and
the outbox retries the event with backoff until it is dead (then a case, cases' sweep)."""

from __future__ import annotations

from ordino.connectors.models import Connection
from ordino.connectors.platforms import PLATFORMS
from ordino.connectors.services.poll import transport_for
from ordino.orders.events import OrderShipped
from ordino.orders.selectors import order_get


def fulfillment_push_on_shipped(event: OrderShipped, **transport_options) -> bool:
    """True when something was sent to the platform."""
    order = order_get(order_id=event.order_id)
    connection = Connection.objects.filter(channel_id=order.channel_id, is_active=True).first()
    if connection is None or not connection.credentials_encrypted:
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
