"""The platforms' requests for a batch of levels, as plain data (docs/feeds.md, "Platforms").

Pure functions: the connector core's transport (timeouts, retries, rate limits, the integration
log) sends them once the platform pushers are plugged behind `feeds/ports.py`. Each needs the
channel's own ids for a SKU, which Ordino does not know by itself: the caller passes them
(`ids`, from the connection's SKU mapping); a SKU without one is refused, never guessed.

- Shopify (REST Admin API 2025-01, InventoryLevel "set"): one request per inventory item and
  location, `POST /admin/api/2025-01/inventory_levels/set.json` with `location_id`,
  `inventory_item_id` and `available` (an absolute quantity, not an adjustment). The id is the
  variant's `inventory_item_id`, not the variant id: the mapping is read once from the
  variants (`GET /admin/api/2025-01/variants.json?fields=sku,inventory_item_id`) and kept.
- WooCommerce (REST API v3): `POST /wp-json/wc/v3/products/batch` with
  `{"update": [{"id": ..., "stock_quantity": ..., "manage_stock": true}]}`, at most 100 objects
  per request (Woo's default batch limit). A variation's stock is set on its parent's
  `/products/{parent_id}/variations/batch`; `manage_stock` must be on for `stock_quantity` to
  count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ordino.feeds.domain.plan import Level

SHOPIFY_API_VERSION = "2025-01"
WOOCOMMERCE_BATCH_MAX = 100
UNMAPPED = "unknown SKU at the channel: no id mapped for it"


@dataclass(frozen=True)
class PlatformRequest:
    method: str
    path: str
    body: dict[str, Any]
    skus: tuple[str, ...]  # the SKUs the request carries, to tell which failed


@dataclass(frozen=True)
class Requests:
    requests: list[PlatformRequest]
    refused: dict[str, str]  # SKU → why it was not sent


def shopify_inventory_set(
    levels: Sequence[Level], *, location_id: int, inventory_item_ids: Mapping[str, int]
) -> Requests:
    """One `inventory_levels/set` per SKU at the channel's Shopify location."""
    path = f"/admin/api/{SHOPIFY_API_VERSION}/inventory_levels/set.json"
    requests, refused = [], {}
    for sku, quantity in levels:
        item_id = inventory_item_ids.get(sku)
        if item_id is None:
            refused[sku] = UNMAPPED
            continue
        body = {"location_id": location_id, "inventory_item_id": item_id, "available": quantity}
        requests.append(PlatformRequest("POST", path, body, (sku,)))
    return Requests(requests, refused)


@dataclass(frozen=True)
class WooId:
    """A WooCommerce product, or a variation of a variable product."""

    product_id: int
    parent_id: int | None = None


def woocommerce_stock_batch(levels: Sequence[Level], *, ids: Mapping[str, WooId]) -> Requests:
    """Products in `/products/batch`, variations in their parent's `/variations/batch`, each
    at most 100 updates a request."""
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    refused = {}
    for sku, quantity in levels:
        woo = ids.get(sku)
        if woo is None:
            refused[sku] = UNMAPPED
            continue
        path = (
            "/wp-json/wc/v3/products/batch"
            if woo.parent_id is None
            else f"/wp-json/wc/v3/products/{woo.parent_id}/variations/batch"
        )
        update = {"id": woo.product_id, "stock_quantity": quantity, "manage_stock": True}
        groups.setdefault(path, []).append((sku, update))
    requests = []
    for path, updates in groups.items():
        for i in range(0, len(updates), WOOCOMMERCE_BATCH_MAX):
            chunk = updates[i : i + WOOCOMMERCE_BATCH_MAX]
            requests.append(
                PlatformRequest(
                    "POST", path, {"update": [u for _, u in chunk]}, tuple(s for s, _ in chunk)
                )
            )
    return Requests(requests, refused)


def woocommerce_batch_refused(
    request: PlatformRequest, response: Mapping[str, Any]
) -> dict[str, str]:
    """The SKUs of a batch Woo answered with an error object (HTTP 200 for the batch, an
    `error` per refused item: `{"update": [{"id": 7, "error": {"code": ..., "message": ...}}]}`)."""
    answers = response.get("update") or []
    refused = {}
    for sku, answer in zip(request.skus, answers, strict=False):
        error = answer.get("error") if isinstance(answer, Mapping) else None
        if error:
            refused[sku] = str(error.get("message") or error.get("code") or error)[:200]
    return refused
