"""Polling (docs/connectors.md, "Polling"): every order changed on the platform since the
connection's cursor goes through the same store-then-process path as a webhook, with the
delivery id `poll:<external id>:<updated_at>`, so a webhook that never came is recovered and a
webhook and a poll of the same order make one order."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from ordino.connectors.models import Connection
from ordino.connectors.platforms import PLATFORMS
from ordino.connectors.platforms.base import MappingError
from ordino.connectors.services.ingest import message_process_safely, message_store
from ordino.connectors.transport import ConnectorTransport, TransportFailed
from ordino.core.domain.clock import utcnow
from ordino.core.encryption import secret_decrypt

logger = logging.getLogger("ordino.connectors")
FIRST_POLL_LOOKBACK = timedelta(days=1)  # a new connection's first poll reaches back this far


@dataclass(frozen=True)
class PollResult:
    pulled: int
    new: int
    error: str = ""


def transport_for(connection: Connection, **options) -> ConnectorTransport:
    return ConnectorTransport(
        platform=PLATFORMS[connection.platform], base_url=connection.base_url,
        token=secret_decrypt(connection.credentials_encrypted), connection=str(connection.pk),
        **options,
    )  # fmt: skip


def connection_poll(*, connection: Connection, **transport_options) -> PollResult:
    """Pull, store and process every order changed after the cursor; the cursor moves to the
    newest `updated_at` seen. A failed call keeps the cursor (and says why on the connection):
    what was stored is kept, and the next poll asks again from the old cursor."""
    platform = PLATFORMS[connection.platform]
    cursor = connection.updated_after or (connection.created_at - FIRST_POLL_LOOKBACK)
    newest, pulled, new, error = cursor, 0, 0, ""
    transport = transport_for(connection, **transport_options)
    try:
        for payload in platform.orders_pull(transport, updated_after=cursor):
            pulled += 1
            try:
                state = platform.order_state(payload)
                delivery = f"poll:{state.external_id}:{(state.updated_at or cursor).isoformat()}"
            except MappingError:
                state, delivery = None, None  # stored anyway, it fails visibly when processed
            message, duplicate = message_store(
                connection=connection, source="poll", delivery_id=delivery, topic="poll",
                raw_body=json.dumps(payload, ensure_ascii=False),
            )  # fmt: skip
            if not duplicate:
                new += 1
                message_process_safely(message.pk)
            if state is not None and state.updated_at is not None:
                newest = max(newest, state.updated_at)
    except (TransportFailed, MappingError) as exc:
        error = str(exc)[:500]
    Connection.objects.filter(pk=connection.pk).update(
        updated_after=newest, last_poll_at=utcnow(), last_poll_error=error
    )
    connection.refresh_from_db()
    return PollResult(pulled=pulled, new=new, error=error)


def connections_poll_due() -> int:
    """The periodic job: every active connection whose poll interval has passed."""
    now, polled = utcnow(), 0
    for connection in Connection.objects.filter(is_active=True, poll_interval_seconds__gt=0):
        last = connection.last_poll_at
        if last is not None and last + timedelta(seconds=connection.poll_interval_seconds) > now:
            continue
        try:
            connection_poll(connection=connection)
        except Exception:  # one shop's failure never stops the others
            logger.exception("Polling connection %s failed", connection.pk)
        polled += 1
    return polled


def connection_test(*, connection: Connection, **transport_options) -> PollResult:
    """One call with the stored credentials: does the shop answer?"""
    platform = PLATFORMS[connection.platform]
    transport = transport_for(connection, **transport_options)
    try:
        test = getattr(platform, "connection_test", None)
        if test is not None:
            test(transport)
        else:
            next(iter(platform.orders_pull(transport, updated_after=utcnow())), None)
    except (TransportFailed, MappingError) as exc:
        return PollResult(pulled=0, new=0, error=str(exc)[:500])
    return PollResult(pulled=0, new=0)
