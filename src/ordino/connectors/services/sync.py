"""What one channel order payload does to Ordino's order (docs/connectors.md, "What a message
does"): captured once per (channel, external id) through orders' capture; a later version with
other lines or another address goes through orders' edit; a cancelled one (or one deleted on
the channel) through orders' cancel. Runs inside the caller's transaction
(`ingest.message_process`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ordino.connectors.platforms.base import Platform
from ordino.core.transactions import savepoint
from ordino.orders.commands import CaptureOrder, EditOrder
from ordino.orders.domain.capture import OrderExists
from ordino.orders.domain.status import CANCELLED
from ordino.orders.selectors import order_get, order_list
from ordino.orders.services.cancel import order_cancel
from ordino.orders.services.capture import order_capture
from ordino.orders.services.edit import order_edit

ADDRESS_FIELDS = ("name", "company", "line1", "line2", "city", "region", "postal_code",
                  "country", "phone")  # fmt: skip


def order_sync(
    *, platform: Platform, payload: Mapping[str, Any], channel: str, actor: str
) -> tuple[str, int | None]:
    """(outcome, order id): outcome captured, updated, cancelled or ignored (nothing to do)."""
    state = platform.order_state(payload)
    if state.cancelled:
        existing = order_list(channel=channel, external_id=state.external_id).first()
        if existing is not None:
            return _cancelled(existing.pk, existing.status, actor)
    command = platform.order_from_payload(payload, channel=channel)
    try:
        with savepoint():  # a refused repeat leaves the caller's transaction usable
            result = order_capture(command=command, actor=actor)
    except OrderExists as exc:
        order_id = exc.extensions["existing"]["id"]
        return _updated(order_id, command, actor), order_id
    if state.cancelled:  # first seen already cancelled: recorded, then cancelled
        return _cancelled(result.order.pk, result.order.status, actor)
    return ("ignored" if result.replayed else "captured"), result.order.pk


def order_sync_deleted(
    *, platform: Platform, payload: Mapping[str, Any], channel: str, actor: str
) -> tuple[str, int | None]:
    """A deletion on the channel (Woo's `order.deleted`, only the order's id): the order Ordino
    has of it is cancelled (`cancelled`; refused, e.g. shipped: the caller opens a case), an
    order Ordino never had is nothing to do (`ignored`)."""
    state = platform.order_state(payload)
    existing = order_list(channel=channel, external_id=state.external_id).first()
    if existing is None:
        return "ignored", None
    return _cancelled(existing.pk, existing.status, actor, reason="Deleted on the channel")


def _cancelled(
    order_id: int, status: str, actor: str, *, reason: str = "Cancelled on the channel"
) -> tuple[str, int]:
    if status == CANCELLED:
        return "ignored", order_id
    order_cancel(order_id=order_id, lines=None, reason=reason, actor=actor)
    return "cancelled", order_id


def _updated(order_id: int, command: CaptureOrder, actor: str) -> str:
    """The channel's later version of the order: the lines and address it changed, as an edit
    (refused, e.g. once a location shipped: the caller opens a case)."""
    order = order_get(order_id=order_id)
    if order.status == CANCELLED:
        return "ignored"
    edit = edit_of(order, command)
    if edit is None:
        return "ignored"
    order_edit(command=edit, actor=actor)
    return "updated"


def edit_of(order, command: CaptureOrder) -> EditOrder | None:
    """The edit that makes `order` what `command` says (None: it says so already). Lines match
    by the channel's line id, else by SKU; a line the channel no longer has is removed."""
    rows = [row for row in order.lines.all().order_by("line_no")]
    left = {row.line_no: row.quantity_ordered - row.quantity_cancelled for row in rows}
    unmatched = {row.line_no: row for row in rows if left[row.line_no] > 0}
    change, add = [], []
    for line in command.lines:
        row = _match(line, unmatched)
        if row is None:
            add.append(line)
            continue
        del unmatched[row.line_no]
        if left[row.line_no] != line.quantity:
            change.append((row.line_no, line.quantity))
    remove = tuple(sorted(unmatched))
    address = command.shipping_address
    stored = order.shipping_address or {}
    if address is not None and all(
        str(stored.get(k) or "") == str(getattr(address, k) or "") for k in ADDRESS_FIELDS
    ):
        address = None
    if not (change or add or remove or address):
        return None
    return EditOrder(
        order_id=order.pk, add_lines=tuple(add), change_lines=tuple(change),
        remove_lines=remove, shipping_address=address, reason="Changed on the channel",
    )  # fmt: skip


def _match(line, rows: dict):
    if line.external_id:
        for row in rows.values():
            if row.external_id == line.external_id:
                return row
    return next((row for row in rows.values() if row.sku_code == line.sku), None)
