"""The connector core's use cases (docs/connectors.md)."""

from ordino.connectors.services.connections import (
    ConnectionSettings,
    connection_create,
    connection_update,
)
from ordino.connectors.services.ingest import (
    message_process,
    message_replay,
    message_store,
    messages_process_pending,
    webhook_receive,
)
from ordino.connectors.services.poll import connection_poll, connection_test, connections_poll_due
from ordino.connectors.services.push import (
    cancellation_push_on_cancelled,
    cancellation_push_on_lines_cancelled,
    fulfillment_push_on_shipped,
)
from ordino.connectors.services.stock import stock_pusher_for

__all__ = [
    "ConnectionSettings",
    "cancellation_push_on_cancelled",
    "cancellation_push_on_lines_cancelled",
    "connection_create",
    "connection_poll",
    "connection_test",
    "connection_update",
    "connections_poll_due",
    "fulfillment_push_on_shipped",
    "message_process",
    "message_replay",
    "message_store",
    "messages_process_pending",
    "stock_pusher_for",
    "webhook_receive",
]
