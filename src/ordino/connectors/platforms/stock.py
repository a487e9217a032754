"""Stock levels pushed to the platforms, as plain data (docs/connectors.md, "Stock pushed to
the channel"; docs/feeds.md, "Pushers").

Pure functions: the connector core's pushers (services/stock.py) send them through the
transport (timeouts, rate limits, the integration log). Each needs the channel's own ids for a
SKU, which Ordino learns by a lookup call and keeps (`SkuId`): the caller passes them; a SKU
without one is refused, never guessed.

- Shopify (REST Admin API 2025-01, InventoryLevel "set"): one request per inventory item and
  location, `POST /admin/api/2025-01/inventory_levels/set.json` with `location_id`,
  `inventory_item_id` and `available` (an absolute quantity, not an adjustment). The id is the
  variant's inventory item, not the variant: learned by the GraphQL Admin API's
  `productVariants(query: "sku:...")` (`shopify_sku_lookup`), the SKUs a batch misses at once.
- WooCommerce (REST API v3): `POST /wp-json/wc/v3/products/batch` with
  `{"update": [{"id": ..., "stock_quantity": ..., "manage_stock": true}]}`, at most 100 objects
  per request (Woo's default batch limit). A variation's stock is set on its parent's
  `/products/{parent_id}/variations/batch`; `manage_stock` must be on for `stock_quantity` to
  count. Ids learned by `GET /wp-json/wc/v3/products?sku=A,B` (a SKU filter answers variations
  too, with their `parent_id`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Level = tuple[str, int]  # (SKU code, quantity to show): feeds' `Level`, by shape

SHOPIFY_API_VERSION = "2025-01"
WOOCOMMERCE_BATCH_MAX = 100
LOOKUP_MAX = 50  # SKUs asked about in one lookup call
# The integration log's "unknown SKU" theme finds this (integrations/domain/themes.py).
UNMAPPED = "unknown SKU at the channel: no product or variant has it"


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


def shopify_sku_query(skus: Sequence[str]) -> dict[str, Any]:
    """The GraphQL Admin API body asking for the inventory items of these SKUs' variants
    (`POST /admin/api/2025-01/graphql.json`)."""
    terms = " OR ".join(f'sku:"{_quoted(sku)}"' for sku in skus)
    query = (
        "query($q: String!, $n: Int!) { productVariants(first: $n, query: $q) "
        "{ nodes { sku inventoryItem { id } } } }"
    )
    return {"query": query, "variables": {"q": terms, "n": 2 * len(skus)}}


def shopify_sku_ids(skus: Sequence[str], response: Mapping[str, Any]) -> dict[str, int]:
    """SKU → inventory item id, from `shopify_sku_query`'s answer. Shopify's search is not an
    exact match: only a variant whose SKU is the one asked for counts; a SKU on two variants
    is left out (which one to set is a guess). Raises ValueError on a GraphQL error."""
    if response.get("errors"):
        raise ValueError(f"Shopify GraphQL errors: {response['errors']}"[:300])
    nodes = ((response.get("data") or {}).get("productVariants") or {}).get("nodes") or []
    found: dict[str, list[int]] = {}
    wanted = set(skus)
    for node in nodes:
        sku = node.get("sku") if isinstance(node, Mapping) else None
        gid = str((node.get("inventoryItem") or {}).get("id") or "") if sku else ""
        if sku in wanted and gid.rsplit("/", 1)[-1].isdigit():
            found.setdefault(sku, []).append(int(gid.rsplit("/", 1)[-1]))
    return {sku: ids[0] for sku, ids in found.items() if len(ids) == 1}


def shopify_location(response: Mapping[str, Any]) -> int | None:
    """The shop's one active location (`GET /admin/api/2025-01/locations.json`); None when it
    has several: which one the channel sells from is the merchant's to say."""
    active = [
        loc["id"]
        for loc in response.get("locations") or []
        if isinstance(loc, Mapping) and loc.get("active", True) and isinstance(loc.get("id"), int)
    ]
    return active[0] if len(active) == 1 else None


def woocommerce_sku_params(skus: Sequence[str]) -> dict[str, Any]:
    """`GET /wp-json/wc/v3/products` parameters finding these SKUs (products and variations)."""
    return {"sku": ",".join(skus), "per_page": 100}


def woocommerce_sku_ids(skus: Sequence[str], response: Any) -> dict[str, WooId]:
    """SKU → WooId from the products found; exact SKUs only, a SKU on two items left out."""
    found: dict[str, list[WooId]] = {}
    wanted = set(skus)
    for product in response if isinstance(response, list) else []:
        if not isinstance(product, Mapping) or product.get("sku") not in wanted:
            continue
        if not isinstance(product.get("id"), int):
            continue
        parent = product.get("parent_id") or None
        found.setdefault(product["sku"], []).append(WooId(product["id"], parent))
    return {sku: ids[0] for sku, ids in found.items() if len(ids) == 1}


def _quoted(sku: str) -> str:
    return sku.replace("\\", "\\\\").replace('"', '\\"')
