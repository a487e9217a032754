"""Handing a message to the task queue (django-tasks: `tasks.webhook_message_deliver`)."""

from __future__ import annotations

import logging

from ordino.webhooks import tasks

log = logging.getLogger(__name__)


def delivery_ask(message_id: int) -> None:
    """Ask the task queue to try the message. A queue that cannot take it loses nothing: the
    message is stored, and the periodic job `webhooks_due` sends it."""
    try:
        tasks.webhook_message_deliver.enqueue(message_id)
    except Exception as exc:  # the queue's trouble must not fail the relay or a sender
        log.warning("webhook message %s not enqueued: %s", message_id, exc)
