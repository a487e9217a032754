"""What a webhook message says (docs/webhooks.md, "Payloads"): pure, no I/O.

The body follows the Standard Webhooks shape: `type` (the event's wire name), `timestamp` (when
the event happened), `data` (the event's payload: its summary, as in docs/events.md, with the
`event_id`, the `order_id` and the per-order `sequence`), and `links.self`, the full resource
under /api/v1. A body stays under `BODY_LIMIT` bytes: past it, `data` keeps its scalar fields
(ids, status, amounts) and says `truncated`; the link gives the rest.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

BODY_LIMIT = 20_000  # bytes, UTF-8 (the bound: under 20 KB)

# Where an aggregate's full resource is, under /api/v1 (its `aggregate_type` → the path).
RESOURCE_PATHS = {
    "order": "/api/v1/orders/{id}",
    "return": "/api/v1/returns/{id}",
    "case": "/api/v1/cases/{id}",
    "invoice": "/api/v1/invoices/{id}",
    "customer": "/api/v1/customers/{id}",
    "tax_rate": "/api/v1/tax/rates/{id}",
    "stock_transfer": "/api/v1/inventory/transfers/{id}",
    "stock_feed": "/api/v1/inventory/feeds/{id}",
}


def resource_link(
    *, aggregate_type: str, aggregate_id: int, order_id: int | None, base: str
) -> str:
    """The full resource's URL: the aggregate's own, else its order's (a stock balance has no
    page of its own: the availability list)."""
    path = RESOURCE_PATHS.get(aggregate_type)
    if path is not None:
        return base.rstrip("/") + path.format(id=aggregate_id)
    if order_id is not None:
        return base.rstrip("/") + RESOURCE_PATHS["order"].format(id=order_id)
    return base.rstrip("/") + "/api/v1/inventory/availability"


def body_encode(body: dict[str, Any]) -> str:
    """The bytes signed and sent: compact JSON, keys in a stable order, UTF-8 kept."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str)


def _scalars(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value
        for key, value in data.items()
        if isinstance(value, (int, float, bool)) or value is None
        or (isinstance(value, str) and len(value) <= 200)
    }  # fmt: skip


def message_body(
    *,
    event_type: str,
    event_id: int,
    occurred_at: datetime,
    payload: dict[str, Any],
    order_id: int | None,
    sequence: int | None,
    link: str,
) -> dict[str, Any]:
    """The message's JSON, bounded to BODY_LIMIT bytes once encoded."""
    data = {**payload, "event_id": event_id, "order_id": order_id, "sequence": sequence}
    body = {
        "type": event_type,
        "timestamp": occurred_at.isoformat().replace("+00:00", "Z"),
        "data": data,
        "links": {"self": link},
    }
    if len(body_encode(body).encode()) <= BODY_LIMIT:
        return body
    body["data"] = {**_scalars(payload), "event_id": event_id, "order_id": order_id,
                    "sequence": sequence, "truncated": True}  # fmt: skip
    if len(body_encode(body).encode()) <= BODY_LIMIT:
        return body
    body["data"] = {"event_id": event_id, "order_id": order_id, "sequence": sequence,
                    "truncated": True}  # fmt: skip
    return body
