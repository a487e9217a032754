"""Outbound webhooks' use cases (docs/webhooks.md), by concern: `endpoints.py` (configuration,
audited), `messages.py` (the outbox subscriber that makes messages), `delivery.py` (signing,
sending, the schedule, the lease), `replay.py` (sending messages again)."""

from ordino.webhooks.services.delivery import message_deliver, messages_send_due
from ordino.webhooks.services.endpoints import (
    endpoint_create,
    endpoint_delete,
    endpoint_disable,
    endpoint_enable,
    endpoint_secret_rotate,
    endpoint_update,
)
from ordino.webhooks.services.messages import webhook_messages_create
from ordino.webhooks.services.replay import endpoint_messages_replay, message_replay

__all__ = [
    "endpoint_create",
    "endpoint_delete",
    "endpoint_disable",
    "endpoint_enable",
    "endpoint_messages_replay",
    "endpoint_secret_rotate",
    "endpoint_update",
    "message_deliver",
    "message_replay",
    "messages_send_due",
    "webhook_messages_create",
]
