"""Outbound webhooks' background task (django-tasks): deliver one message. Whatever the
backend (immediate, the database, RQ), the periodic `webhooks_due` job (wiring.py) sends what
is due too, so a lost task loses nothing: the message is the source of truth."""

from __future__ import annotations

from django_tasks import task

from ordino.webhooks.services import delivery


@task()
def webhook_message_deliver(message_id: int) -> str:
    """Try the message now if it is due, unclaimed and first in its order's line."""
    return delivery.message_deliver(message_id=message_id)
